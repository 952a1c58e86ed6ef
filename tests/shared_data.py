"""The public data beside the checkout (``../shared/data``), read in place and never copied.

Tests that need it call :func:`shared_path`; when the folder is absent they skip with the
path in the reason, unless ``SHOPGEN_REQUIRE`` names ``shared`` (CI does), where they fail.
``SHOPGEN_SHARED_DATA`` points elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path

ROOT = Path(os.environ.get("SHOPGEN_SHARED_DATA") or Path(__file__).resolve().parents[1].parent / "shared" / "data")


def shared_path(relative: str) -> Path:
    """The path of ``relative`` under the shared data folder; skip (or fail) when it is missing."""
    from tests.conftest import need

    path = ROOT / relative
    need("shared", path.exists(), f"shared data not found at {path} (it sits beside the project checkout)")
    return path
