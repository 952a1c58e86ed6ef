"""JSON Lines input with line numbers: one reader for every JSONL file shopgen accepts.

>>> list(objects(['{"a": 1}', "", "[1]", "{oops"]))
[(1, {'a': 1}, None), (3, None, 'each line must be a JSON object'), (4, None, 'not valid JSON: Expecting property name enclosed in double quotes at column 2')]
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from shopgen.core.errors import InvalidInput


def objects(lines: Iterable[str]) -> Iterator[tuple[int, dict | None, str | None]]:
    """``(line number, object, None)`` or ``(line number, None, what is wrong)`` per non-blank line,
    so a caller can report every bad line at once."""
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield n, None, f"not valid JSON: {exc.msg} at column {exc.colno}"
            continue
        if isinstance(obj, dict):
            yield n, obj, None
        else:
            yield n, None, "each line must be a JSON object"


def strict_objects(lines: Iterable[str], name: str) -> Iterator[tuple[int, dict]]:
    """Like :func:`objects`, but the first bad line raises InvalidInput naming ``name`` and the line."""
    for n, obj, error in objects(lines):
        if error is not None:
            raise InvalidInput(f"{name} line {n}: {error}")
        yield n, obj
