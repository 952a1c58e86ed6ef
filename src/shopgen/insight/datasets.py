"""Streaming readers for CSV and JSONL files; every error names the file's line.

Large files are read line by line (never loaded whole), with a progress bar on stderr when it is a
terminal. The format follows the suffix: ``.csv`` / ``.tsv`` or ``.jsonl`` / ``.ndjson`` / ``.json``.
"""

from __future__ import annotations

import csv
import json
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import click

from shopgen.core.errors import ImportFailed, InvalidInput

TEXT_COLUMNS = ("review", "text", "content", "comment")


def file_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv"):
        return "csv"
    if suffix in (".jsonl", ".ndjson", ".json"):
        return "jsonl"
    raise InvalidInput(f"{path.name}: unknown format '{suffix}' (use .csv or .jsonl)")


@contextmanager
def _progress(path: Path, fh):
    """Yield a callback taking bytes read; draws a bar only when stderr is a terminal."""
    if not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=path.stat().st_size, label=path.name, file=sys.stderr) as bar:
        yield bar.update


def iter_records(path: str | Path) -> Iterator[tuple[int, dict]]:
    """Yield ``(line_number, record)`` for each data row. Raises InvalidInput / ImportFailed."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    fmt = file_format(path)
    with open(path, encoding="utf-8-sig", newline="") as fh, _progress(path, fh) as tick:
        try:
            yield from (_csv_rows if fmt == "csv" else _jsonl_rows)(path, fh, tick)
        except UnicodeDecodeError as exc:
            raise ImportFailed(f"{path.name}: not UTF-8 text ({exc.reason})") from exc


def _csv_rows(path: Path, fh, tick) -> Iterator[tuple[int, dict]]:
    reader = csv.reader(fh, delimiter="\t" if path.suffix.lower() == ".tsv" else ",")
    try:
        header = [h.strip().lower() for h in next(reader)]
    except StopIteration:
        raise ImportFailed(f"{path.name}: the file is empty") from None
    line = reader.line_num
    try:
        for row in reader:
            tick(sum(len(c.encode()) for c in row) + len(row))
            start, line = line + 1, reader.line_num
            if not row:
                continue
            if len(row) != len(header):
                raise ImportFailed(
                    f"{path.name} line {start}: expected {len(header)} columns, got {len(row)}", {"line": start}
                )
            yield start, dict(zip(header, row))
    except csv.Error as exc:
        raise ImportFailed(
            f"{path.name} line {reader.line_num}: malformed CSV ({exc})", {"line": reader.line_num}
        ) from exc


def _jsonl_rows(path: Path, fh, tick) -> Iterator[tuple[int, dict]]:
    for no, raw in enumerate(fh, 1):
        tick(len(raw.encode()))
        if not raw.strip():
            continue
        try:
            rec = json.loads(raw)
        except json.JSONDecodeError as exc:
            raise ImportFailed(f"{path.name} line {no}: malformed JSON ({exc.msg})", {"line": no}) from exc
        if not isinstance(rec, dict):
            raise ImportFailed(f"{path.name} line {no}: expected a JSON object", {"line": no})
        yield no, rec


def text_of(rec: dict, where: str) -> str:
    for col in TEXT_COLUMNS:
        if col in rec and rec[col] is not None:
            return str(rec[col])
    raise ImportFailed(f"{where}: no text column (one of {', '.join(TEXT_COLUMNS)})")


#: label values read as 1 / 0: numbers, and the words the studio's 数据标注 export writes
POSITIVE, NEGATIVE = ("1", "1.0", "positive"), ("0", "0.0", "negative")


def read_labelled(path: str | Path) -> tuple[list[str], list[int]]:
    """Texts and 0/1 labels from CSV (``label`` + ``review``/``text``) or JSONL (``{"text", "label"}``);
    a label may also be ``positive`` / ``negative`` (a sentiment export of the studio's 数据标注)."""
    texts: list[str] = []
    labels: list[int] = []
    name = Path(path).name
    for no, rec in iter_records(path):
        where = f"{name} line {no}"
        label = str(rec.get("label", "")).strip()
        if label not in POSITIVE + NEGATIVE:
            raise ImportFailed(f"{where}: label must be 0 or 1 (or positive / negative), got {label!r}", {"line": no})
        texts.append(text_of(rec, where))
        labels.append(int(label in POSITIVE))
    if not texts:
        raise ImportFailed(f"{name}: no data rows")
    return texts, labels
