"""Lazy imports of heavy optional dependencies."""

from __future__ import annotations

import importlib
from types import ModuleType

from shopgen.core.errors import MissingExtra


def require(module: str, extra: str) -> ModuleType:
    """Import ``module`` or raise :class:`MissingExtra` naming the extra that provides it."""
    try:
        return importlib.import_module(module)
    except ImportError as exc:
        raise MissingExtra(module, extra) from exc
