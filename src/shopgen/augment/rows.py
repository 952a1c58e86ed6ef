"""Labelled rows to augment, and the augmented file written back.

Input: JSON Lines ``{"text", "label"}`` (the intent seed sets) or CSV with a ``label`` column and a
text column (``review``, ``text``, ``content`` or ``comment``: the review sets). A bad line raises
InvalidInput naming the file and the line. Output: JSON Lines ``{"text", "label", "source", "of"}``
(``of``: the input line it came from), written to a temporary file and renamed, so a failed run
leaves no half-written file.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from shopgen.core import csvrows, jsonl
from shopgen.core.errors import InvalidInput

TEXT_COLUMNS = ("text", "review", "content", "comment")


@dataclass(frozen=True)
class Row:
    line: int
    text: str
    label: str


def _row(name: str, line: int, text, label) -> Row:
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput(f"{name} line {line}: the text must be a non-empty string")
    if isinstance(label, bool) or not isinstance(label, str | int) or not str(label).strip():
        raise InvalidInput(f"{name} line {line}: the label must be a non-empty string or an integer")
    return Row(line, text.strip(), str(label).strip())


def _jsonl(path: Path) -> list[Row]:
    with path.open(encoding="utf-8") as f:
        return [_row(path.name, n, o.get("text"), o.get("label")) for n, o in jsonl.strict_objects(f, path.name)]


def _csv(path: Path) -> list[Row]:
    with path.open(encoding="utf-8-sig", newline="") as f:
        reader = csv.DictReader(f)
        header = csvrows.fieldnames(reader, path.name)
        column = next((c for c in TEXT_COLUMNS if c in header), None)
        if "label" not in header or column is None:
            raise InvalidInput(f"{path.name} line 1: needs a label column and one of {', '.join(TEXT_COLUMNS)}")
        out = []
        for rec in csvrows.rows(reader, path.name):
            if None in rec or any(v is None for v in rec.values()):
                raise InvalidInput(f"{path.name} line {reader.line_num}: expected {len(header)} columns")
            out.append(_row(path.name, reader.line_num, rec[column], rec["label"]))
        return out


def read(path: str | Path) -> list[Row]:
    """Rows of a ``.jsonl`` or ``.csv`` file. Raises InvalidInput (missing file, bad line, no rows)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix not in (".jsonl", ".csv"):
        raise InvalidInput(f"{path.name}: unknown format '{suffix}' (use .jsonl or .csv)")
    try:
        rows = _jsonl(path) if suffix == ".jsonl" else _csv(path)
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text ({exc.reason})") from None
    if not rows:
        raise InvalidInput(f"{path.name}: no rows")
    return rows


def write(records: Iterable[dict], out: str | Path) -> int:
    """Write JSON Lines atomically; returns the number of lines."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    n = 0
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            for rec in records:
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
                n += 1
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return n
