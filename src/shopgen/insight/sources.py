"""Where the studio's review insight reads from: the reviews file and the alert log.

Shared by the API, the web page and the CLI so all three look at the same files.
"""

from __future__ import annotations

from pathlib import Path

DEMO_REVIEWS = Path(__file__).resolve().parent.parent / "demo" / "data" / "reviews.jsonl"


def reviews_path(settings) -> Path:
    """``SHOPGEN_INSIGHT_REVIEWS``, or the demo shop's reviews."""
    return Path(settings.insight_reviews) if settings.insight_reviews else DEMO_REVIEWS


def alert_log(data_dir: str | Path) -> Path:
    """The studio's alert log (``insight monitor --studio`` appends to it)."""
    return Path(data_dir) / "insight" / "alerts.jsonl"
