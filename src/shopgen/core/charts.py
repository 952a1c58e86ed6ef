"""matplotlib set up for Chinese labels, shared by every PNG report (Agg backend, the CJK font
from :mod:`shopgen.core.fonts` registered with matplotlib, whose own cache may predate it).

``extra`` names the pip extra that brings matplotlib, for the MissingExtra message.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from shopgen.core import fonts
from shopgen.core.lazy import require


@lru_cache(maxsize=4)
def pyplot(extra: str):
    mpl = require("matplotlib", extra)
    mpl.use("Agg")
    return require("matplotlib.pyplot", extra)


@lru_cache(maxsize=4)
def cjk_family(extra: str) -> str:
    """A CJK font family matplotlib can draw with; BackendError naming the package to install."""
    fm = require("matplotlib.font_manager", extra)
    font = fonts.cjk_font()
    if font.family not in {f.name for f in fm.fontManager.ttflist}:
        fm.fontManager.addfont(str(font.path))
    if font.family in {f.name for f in fm.fontManager.ttflist}:
        return font.family
    return fm.FontProperties(fname=str(font.path)).get_name()  # a collection registers its first face


def figure(width: float = 8, height: float = 4, extra: str = "insight"):
    """``(plt, (fig, ax))`` with the CJK font set."""
    plt = pyplot(extra)
    plt.rcParams["font.family"] = [cjk_family(extra), "sans-serif"]
    plt.rcParams["axes.unicode_minus"] = False
    return plt, plt.subplots(figsize=(width, height), dpi=110)


def save(plt, fig, path: Path) -> Path:
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return path
