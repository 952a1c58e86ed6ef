"""Labelled training and test files of the text classifiers: JSON Lines ``{"text", "label"}``."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

from shopgen.core import jsonl
from shopgen.core.errors import InvalidInput


def read_labelled(path: str | Path, labels: Collection[str] | None = None) -> tuple[list[str], list[str]]:
    """Texts and labels of ``path``. A bad line raises InvalidInput naming it: a text or label that is
    not a non-empty string, or a label outside ``labels`` when given. The file needs two labels or more."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    texts, found = [], []
    with path.open(encoding="utf-8") as f:
        for n, obj in jsonl.strict_objects(f, path.name):
            text, label = obj.get("text"), obj.get("label")
            if not isinstance(text, str) or not text.strip() or not isinstance(label, str) or not label:
                raise InvalidInput(f"{path.name} line {n}: text and label must be non-empty strings")
            if labels is not None and label not in labels:
                raise InvalidInput(f"{path.name} line {n}: label must be one of {', '.join(labels)}, not {label!r}")
            texts.append(text)
            found.append(label)
    if len(set(found)) < 2:
        raise InvalidInput(f"{path.name}: needs at least two labels")
    return texts, found
