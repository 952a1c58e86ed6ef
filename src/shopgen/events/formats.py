"""Event files: read, validate line by line, and import all or nothing.

Formats (``fmt``; ``auto`` tells them apart by extension and first line):

``jsonl``   one event per line: ``{"id"?, "user", "item", "type", "ts", "surface"?, "value"?, "context"?}``
``csv``     a header with ``user,item,type,ts`` (optional ``id,surface,value,context``; context as JSON)
``inter``   RecBole atomic files: tab separated, typed header (``user_id:token item_id:token
            rating:float timestamp:float``); each row becomes ``as_type`` (default ``view``)
``amazon``  Amazon review data (2018), JSON lines, ``.gz`` or not: ``reviewerID``, ``asin``,
            ``overall``, ``unixReviewTime``; a review is a ``purchase`` with the rating as value
``taobao``  Taobao UserBehavior CSV, no header: ``user_id,item_id,category_id,behavior_type,timestamp``
            (pv → view, fav → favorite, cart → cart, buy → purchase)

Any bad row names its line; :func:`import_file` then raises ImportFailed listing the bad lines
(up to 50) and writes nothing.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from collections.abc import Iterator
from pathlib import Path

from pydantic import ValidationError

from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.events.hub import Ingested
from shopgen.events.schema import TYPES, EventIn
from shopgen.events.store import Ingest
from shopgen.store.catalog import validation_message

FORMATS = ("auto", "jsonl", "csv", "inter", "amazon", "taobao")
MAX_ERRORS = 50
TAOBAO_TYPES = {"pv": "view", "fav": "favorite", "cart": "cart", "buy": "purchase"}
TAOBAO_HEADER = ["user_id", "item_id", "category_id", "behavior_type", "timestamp"]

Parsed = tuple[int, EventIn | None, str | None]


def _open(path: Path) -> io.TextIOBase:
    if path.suffix.lower() == ".gz":
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8-sig")
    return path.open(encoding="utf-8-sig", newline="")


def _first_line(path: Path) -> str:
    try:
        with _open(path) as f:
            for line in f:
                if line.strip():
                    return line.strip()
    except (OSError, EOFError, UnicodeDecodeError) as exc:
        raise InvalidInput(f"{path.name}: cannot read it ({exc})") from exc
    return ""


def detect(path: Path) -> str:
    """The format of ``path`` from its extension and first line."""
    name = path.name.lower().removesuffix(".gz")
    first = _first_line(path)
    if name.endswith(".inter"):
        return "inter"
    if name.endswith((".json", ".jsonl", ".ndjson")):
        return "amazon" if '"reviewerID"' in first and '"asin"' in first else "jsonl"
    if name.endswith((".csv", ".txt")):
        fields = [f.strip().lower() for f in first.split(",")]
        if fields == TAOBAO_HEADER or (len(fields) == 5 and fields[3] in TAOBAO_TYPES):
            return "taobao"
        return "csv"
    raise InvalidInput(f"{path.name}: cannot tell the format; use --format with one of {', '.join(FORMATS[1:])}")


def _event(n: int, obj: dict) -> Parsed:
    try:
        return n, EventIn.model_validate(obj), None
    except ValidationError as exc:
        return n, None, validation_message(exc)


def _jsonl(f) -> Iterator[Parsed]:
    from shopgen.core import jsonl

    for n, obj, problem in jsonl.objects(f):
        yield (n, None, problem) if problem else _event(n, obj)


def _csv(f) -> Iterator[Parsed]:
    reader = csv.DictReader(f)
    header = set(reader.fieldnames or [])
    missing = {"user", "item", "type", "ts"} - header
    if missing:
        yield 1, None, f"CSV header must include user, item, type, ts (missing: {', '.join(sorted(missing))})"
        return
    unknown = header - {"id", "user", "item", "type", "ts", "surface", "value", "context"}
    if unknown:
        yield 1, None, f"unknown CSV columns: {', '.join(sorted(unknown))}"
        return
    for rec in reader:
        n = reader.line_num
        obj = {k: v.strip() for k, v in rec.items() if k is not None and v is not None and v.strip()}
        if "context" in obj:
            try:
                obj["context"] = json.loads(obj["context"])
            except json.JSONDecodeError as exc:
                yield n, None, f"context: not valid JSON ({exc.msg})"
                continue
        yield _event(n, obj)


def _inter(f, as_type: str) -> Iterator[Parsed]:
    header = f.readline().rstrip("\r\n").split("\t")
    names = [h.split(":", 1)[0].strip() for h in header]
    if "user_id" not in names or "item_id" not in names:
        yield 1, None, "a RecBole .inter header needs user_id:token and item_id:token (tab separated)"
        return
    col = {name: i for i, name in enumerate(names)}
    for n, line in enumerate(f, start=2):
        if not line.strip():
            continue
        parts = line.rstrip("\r\n").split("\t")
        if len(parts) != len(names):
            yield n, None, f"expected {len(names)} tab-separated fields, got {len(parts)}"
            continue
        obj = {"user": parts[col["user_id"]], "item": parts[col["item_id"]], "type": as_type}
        # without timestamps the file's order is kept: line n happened n seconds after 1970
        obj["ts"] = parts[col["timestamp"]] if "timestamp" in col else n
        if "rating" in col and parts[col["rating"]].strip():
            obj["value"] = parts[col["rating"]]
        yield _event(n, obj)


def _amazon(f, as_type: str) -> Iterator[Parsed]:
    from shopgen.core import jsonl

    for n, obj, problem in jsonl.objects(f):
        if problem:
            yield n, None, problem
            continue
        missing = [k for k in ("reviewerID", "asin", "unixReviewTime") if k not in obj]
        if missing:
            yield n, None, f"an Amazon review needs {', '.join(missing)}"
            continue
        rec = {"user": obj["reviewerID"], "item": obj["asin"], "type": as_type, "ts": obj["unixReviewTime"]}
        if obj.get("overall") is not None:
            rec["value"] = obj["overall"]
        yield _event(n, rec)


def _taobao(f) -> Iterator[Parsed]:
    for n, parts in enumerate(csv.reader(f), start=1):
        if not parts:
            continue
        if n == 1 and [p.strip().lower() for p in parts] == TAOBAO_HEADER:
            continue
        if len(parts) != 5:
            yield n, None, f"expected 5 fields (user_id,item_id,category_id,behavior_type,timestamp), got {len(parts)}"
            continue
        user, item, category, behaviour, ts = (p.strip() for p in parts)
        kind = TAOBAO_TYPES.get(behaviour.lower())
        if kind is None:
            yield n, None, f"behavior_type {behaviour!r} is not one of {', '.join(TAOBAO_TYPES)}"
            continue
        yield _event(n, {"user": user, "item": item, "type": kind, "ts": ts, "context": {"category_id": category}})


def read(path: str | Path, fmt: str = "auto", as_type: str | None = None) -> Iterator[Parsed]:
    """``(line, event, None)`` or ``(line, None, what is wrong)`` for every row of ``path``.

    Raises InvalidInput for a missing file, an unknown format or type, or a file that is not text."""
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    if fmt not in FORMATS:
        raise InvalidInput(f"unknown event format {fmt!r}; valid: {', '.join(FORMATS)}")
    if as_type is not None and as_type not in TYPES:
        raise InvalidInput(f"unknown event type {as_type!r}; valid: {', '.join(TYPES)}")
    fmt = detect(path) if fmt == "auto" else fmt
    readers = {
        "jsonl": lambda f: _jsonl(f),
        "csv": lambda f: _csv(f),
        "inter": lambda f: _inter(f, as_type or "view"),
        "amazon": lambda f: _amazon(f, as_type or "purchase"),
        "taobao": lambda f: _taobao(f),
    }
    try:
        with _open(path) as f:
            yield from readers[fmt](f)
    except (UnicodeDecodeError, EOFError, gzip.BadGzipFile) as exc:
        raise InvalidInput(f"{path.name}: not a readable {fmt} file ({exc})") from exc


def _failed(name: str, errors: list[dict]) -> ImportFailed:
    first = errors[0]
    more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
    return ImportFailed(f"{name} line {first['line']}: {first['error']}{more}; nothing was imported", errors)


def events(path: str | Path, fmt: str = "auto", as_type: str | None = None) -> list[EventIn]:
    """Every event of a file, validated; ImportFailed naming the bad lines otherwise."""
    out, errors = [], []
    for n, e, problem in read(path, fmt, as_type):
        if problem is not None:
            if len(errors) < MAX_ERRORS:
                errors.append({"line": n, "error": problem})
        elif not errors:
            out.append(e)
    if errors:
        raise _failed(Path(path).name, errors)
    if not out:
        raise _failed(Path(path).name, [{"line": 1, "error": "the file holds no events"}])
    return out


def import_file(db, path: str | Path, fmt: str = "auto", as_type: str | None = None, batch: int = 5000) -> Ingested:
    """Import a file in one transaction, streamed in batches; any bad line → nothing is written."""
    path = Path(path)
    errors: list[dict] = []
    with db.session() as s:
        job = Ingest(s, batch, source=path.name)
        for n, e, problem in read(path, fmt, as_type):
            if problem is not None:
                if len(errors) < MAX_ERRORS:
                    errors.append({"line": n, "error": problem})
            elif not errors:
                job.add(e)
        if not errors and job.received == 0:
            errors.append({"line": 1, "error": "the file holds no events"})
        if errors:
            raise _failed(path.name, errors)  # the session rolls back what was flushed
        return job.result()
