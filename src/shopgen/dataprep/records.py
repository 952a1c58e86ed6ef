"""Reading and writing the files data preparation works on: JSON Lines in any of the project's
shapes (``{"text", "label"}``, AdvertiseGen ``{"content", "summary"}``, FAQ ``{"question",
"answer"}``, BEIR ``{"_id", "text"}`` …) and CSV/TSV with or without a header.

Which fields hold text is found from the names first (:data:`TEXT_NAMES`), then from the values
(string columns that are neither ids nor a handful of repeated categories); ``fields`` overrides
both. A headerless CSV names its columns ``col1``, ``col2`` … (ATEC's question pairs:
``--fields col2,col3 --label-field col4``).

Every bad line raises InvalidInput naming the file and line; output is written to a temporary
file beside the target and renamed over it, so a failed run never leaves half a file.
"""

from __future__ import annotations

import csv
import io
import json
import os
import re
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from shopgen.core import csvrows, jsonl
from shopgen.core.errors import InvalidInput

TEXT_NAMES = (
    "text", "content", "summary", "review", "comment", "question", "answer", "query", "title",
    "description", "desc", "body", "prompt", "response", "instruction", "input", "output",
    "sentence", "sentence1", "sentence2", "q1", "q2", "s1", "s2",
)  # fmt: skip
LABEL_NAMES = ("label", "intent", "sentiment", "labels")
_ID = re.compile(r"^(_?id|uid|.*[_-]id|idx|index|no)$", re.I)


@dataclass
class Row:
    line: int  # 1-based line of the file where the row starts
    values: dict  # the whole row, every field as read


@dataclass
class Table:
    path: Path
    kind: str  # "jsonl" or "csv"
    rows: list[Row]
    columns: list[str] = field(default_factory=list)  # csv: the header (or col1…)
    header: bool = True  # csv: whether the file had a header line
    delimiter: str = ","


def read(path: str | Path) -> Table:
    """Read a ``.jsonl``/``.json`` file or a CSV/TSV (delimiter sniffed). Raises InvalidInput for a
    missing file, an empty one, or a bad line (named)."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if path.suffix.lower() in (".jsonl", ".json", ".ndjson"):
        table = _read_jsonl(path)
    else:
        table = _read_csv(path)
    if not table.rows:
        raise InvalidInput(f"{path.name}: no rows")
    return table


def _read_jsonl(path: Path) -> Table:
    with path.open(encoding="utf-8-sig") as f:
        rows = [Row(n, obj) for n, obj in jsonl.strict_objects(f, path.name)]
    return Table(path, "jsonl", rows)


def _looks_like_header(first: list[str]) -> bool:
    names = [c.strip().lower() for c in first]
    if any(n in TEXT_NAMES or n in LABEL_NAMES for n in names):
        return True
    return all(re.fullmatch(r"[A-Za-z_][\w .-]{0,40}", c.strip() or "0") for c in first)


def _read_csv(path: Path) -> Table:
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text (byte {exc.start})") from None
    first = raw.split("\n", 1)[0]
    delimiter = "\t" if first.count("\t") > first.count(",") else ","
    reader = csv.reader(io.StringIO(raw, newline=""), delimiter=delimiter)
    rows_iter = csvrows.rows(reader, path.name)
    head = next(rows_iter, None)
    if head is None:
        raise InvalidInput(f"{path.name}: no rows")
    header = _looks_like_header(head)
    columns = [c.strip() for c in head] if header else [f"col{i}" for i in range(1, len(head) + 1)]
    if len(set(columns)) != len(columns):
        raise InvalidInput(f"{path.name} line 1: repeated column names in the header")
    rows: list[Row] = [] if header else [Row(1, dict(zip(columns, head)))]
    line = reader.line_num
    for values in rows_iter:
        start, line = line + 1, reader.line_num
        if not values:
            continue
        if len(values) != len(columns):
            raise InvalidInput(f"{path.name} line {start}: {len(values)} fields, the file has {len(columns)}")
        rows.append(Row(start, dict(zip(columns, values))))
    return Table(path, "csv", rows, columns, header, delimiter)


def detect_label_field(table: Table, given: str | None) -> str | None:
    """``given`` (checked to exist), else the first of :data:`LABEL_NAMES` the file has, else None."""
    names = _names(table)
    if given:
        if given not in names:
            raise InvalidInput(f"{table.path.name}: no field {given!r} (fields: {', '.join(names)})")
        return given
    return next((n for n in LABEL_NAMES if n in names), None)


def detect_text_fields(table: Table, given: Sequence[str] | None, label: str | None) -> list[str]:
    """The fields to clean: ``given`` (checked to exist), else the known text names the file has,
    else string fields that are neither ids nor repeated categories. InvalidInput when none."""
    names = _names(table)
    if given:
        missing = [f for f in given if f not in names]
        if missing:
            raise InvalidInput(f"{table.path.name}: no field {missing[0]!r} (fields: {', '.join(names)})")
        return list(given)
    known = [n for n in names if n.lower() in TEXT_NAMES and n != label]
    if known:
        return known
    sample = [r.values for r in table.rows[:2000]]
    found = [n for n in names if n != label and not _ID.match(n) and _is_text(n, sample)]
    if not found:
        raise InvalidInput(
            f"{table.path.name}: no text field found; name one with --fields (fields: {', '.join(names)})"
        )
    return found


def _is_text(name: str, sample: list[dict]) -> bool:
    values = [v.get(name) for v in sample]
    strings = [v for v in values if isinstance(v, str) and v.strip()]
    if len(strings) < 0.9 * len(values) or all(s.strip().lstrip("-").replace(".", "").isdigit() for s in strings):
        return False
    distinct = len(set(strings))
    mean_len = sum(map(len, strings)) / len(strings)
    return distinct > 0.5 * len(strings) or mean_len >= 12


def _names(table: Table) -> list[str]:
    if table.kind == "csv":
        return table.columns
    seen: dict[str, None] = {}
    for r in table.rows[:2000]:
        seen.update(dict.fromkeys(r.values))
    return list(seen)


def write(table: Table, rows: list[dict], out: str | Path) -> Path:
    """Write ``rows`` in ``out``'s format (``.jsonl``: JSON Lines, anything else: the input's CSV
    dialect and header), atomically."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    as_jsonl = out.suffix.lower() in (".jsonl", ".ndjson") or (table.kind == "jsonl" and out.suffix.lower() != ".csv")
    fd, tmp = tempfile.mkstemp(prefix=f".{out.name}.", dir=out.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            if as_jsonl:
                for r in rows:
                    f.write(json.dumps(r, ensure_ascii=False) + "\n")
            else:
                columns = table.columns or list(dict.fromkeys(k for r in rows for k in r))
                w = csv.writer(f, delimiter=table.delimiter, lineterminator="\n")
                if table.header or table.kind == "jsonl":
                    w.writerow(columns)
                w.writerows([r.get(c, "") for c in columns] for r in rows)
        os.replace(tmp, out)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out
