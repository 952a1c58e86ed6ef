"""shopgen: AIGC for e-commerce and live-stream selling (人 people, 货 goods, 场 scene).

Nothing heavy is imported here: models, databases and web apps are built on demand
from a :class:`shopgen.core.settings.Settings` object that the caller passes in.
"""

__version__ = "0.1.0"
