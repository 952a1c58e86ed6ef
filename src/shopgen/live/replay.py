"""Recorded comments: read them, then replay them at real-time speed, ×N, or as fast as possible.

Formats (``format="auto"`` sniffs the first bytes):

- ``bilibili-xml``: danmaku XML, ``<d p="time,mode,size,color,timestamp,pool,userhash,dmid">text</d>``
  → ``ts`` = ``time`` (seconds into the video), ``user`` = ``userhash``, ``id`` = ``dmid``; the room is
  ``room`` or the file's ``<chatid>``.
- ``csv``: either a header row naming at least ``text`` and ``ts`` (``room``, ``user``, ``id`` optional),
  or the headerless 11-column Bilibili export ``part,index,hh:mm:ss,mode,size,color,date,pool,userhash,dmid,text``
  → room = ``part`` (P2, P3 …), ``ts`` = the video offset in seconds, ``user`` = ``userhash``, ``id`` = ``dmid``.
- ``jsonl``: ``{"room", "user", "text", "ts", "id"?}`` per line.

``room`` given to :func:`read` overrides the file's rooms. A malformed row (not the format at all:
a broken ``<d>`` element, a wrong column count, a time that is no number) raises InvalidInput naming
the file and the position. A well-formed comment that is not a valid comment (over 200 characters,
empty, binary) is one viewer's comment, not a broken file: with ``rejected`` (a list) it is left
out, recorded there with its position and reason, and reading goes on; without, it raises too.
Positions are lines, and for danmaku XML (often one line) also the column and the comment's number.
"""

from __future__ import annotations

import csv
import html
import io
import re
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path

from shopgen.core import csvrows
from shopgen.core.errors import InvalidInput
from shopgen.core.jsonl import strict_objects
from shopgen.live.normalize import Comment

FORMATS = ("auto", "bilibili-xml", "csv", "jsonl")
_D = re.compile(r'<d\s+p="([^"]*)"\s*>(.*?)</d>', re.S)
_D_START = re.compile(r"<d[\s>]")
_CHATID = re.compile(r"<chatid>\s*([^<\s]+)\s*</chatid>")
_HMS = re.compile(r"^(?:(\d+):)?(\d{1,2}):(\d{1,2}(?:\.\d+)?)$")


def sniff(path: Path) -> str:
    with path.open("rb") as f:
        head = f.read(4096).decode("utf-8", "replace").lstrip("\ufeff \t\r\n")
    if head.startswith("<") or '<d p="' in head:
        return "bilibili-xml"
    if head.startswith("{"):
        return "jsonl"
    return "csv"


def read(
    path: str | Path, format: str = "auto", room: str | None = None, *, rejected: list[dict] | None = None
) -> list[Comment]:
    """All comments of a recording, in file order. ``rejected``: see the module docstring; each
    entry is ``{"at": "line 1 column 5213 (comment 18)", "error": "comment text is too long …"}``."""
    path = Path(path)
    if format not in FORMATS:
        raise InvalidInput(f"unknown format {format!r}; use one of {', '.join(FORMATS)}")
    if not path.is_file():
        raise InvalidInput(f"no such file: {path}")
    fmt = sniff(path) if format == "auto" else format
    reader = {"bilibili-xml": _xml, "csv": _csv, "jsonl": _jsonl}[fmt]
    try:
        with path.open(encoding="utf-8-sig", newline="") as f:
            return [c for c in reader(f, path.name, room, rejected) if c is not None]
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path.name}: not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _bad(name: str, at: str | int, what: str) -> InvalidInput:
    at = f"line {at}" if isinstance(at, int) else at
    return InvalidInput(f"{name} {at}: {what}", {"at": at})


def _make(name: str, at: str | int, rejected: list[dict] | None, **kw) -> Comment | None:
    """The comment, or None when it is invalid and ``rejected`` collects it (else InvalidInput)."""
    try:
        return Comment(**kw)
    except InvalidInput as exc:
        if rejected is None:
            raise _bad(name, at, exc.message) from None
        rejected.append({"at": f"line {at}" if isinstance(at, int) else at, "error": exc.message})
        return None


def _xml(f: io.TextIOBase, name: str, room: str | None, rejected: list[dict] | None) -> Iterator[Comment | None]:
    text = f.read()
    if "<d" not in text and "<i" not in text:
        raise InvalidInput(f"{name}: not Bilibili danmaku XML (no <d> elements)")
    m = _CHATID.search(text)
    room = room or (f"bilibili-{m.group(1)}" if m else Path(name).stem)
    starts = [m.start() for m in _D_START.finditer(text)]
    line, line_start, prev = 1, 0, 0
    for k, pos in enumerate(starts):
        # each element is matched only up to the next one, so a broken one cannot swallow the rest
        end = starts[k + 1] if k + 1 < len(starts) else len(text)
        newlines = text.count("\n", prev, pos)
        if newlines:
            line, line_start = line + newlines, text.rfind("\n", prev, pos) + 1
        prev = pos
        at = f"line {line} column {pos - line_start + 1} (comment {k + 1})"
        d = _D.match(text, pos, end)
        if d is None:
            raise _bad(
                name, at, 'malformed <d> element (expected <d p="time,mode,size,color,timestamp,pool,user,id">text</d>)'
            )
        p = d.group(1).split(",")
        if len(p) < 8:
            raise _bad(name, at, f"<d p> has {len(p)} fields, expected 8")
        try:
            ts = float(p[0])
        except ValueError:
            raise _bad(name, at, f"<d p> time is not a number: {p[0]!r}") from None
        yield _make(name, at, rejected, room=room, user=p[6], text=html.unescape(d.group(2)), ts=ts, id=p[7])


def _seconds(value: str) -> float:
    value = value.strip()
    m = _HMS.match(value)
    if m:
        h, mi, s = m.groups()
        return int(h or 0) * 3600 + int(mi) * 60 + float(s)
    return float(value)


def _csv(f: io.TextIOBase, name: str, room: str | None, rejected: list[dict] | None) -> Iterator[Comment | None]:
    rows = csv.reader(f)
    header: dict[str, int] | None = None
    for row in csvrows.rows(rows, name):
        n = rows.line_num
        if not row or not any(c.strip() for c in row):
            continue
        if header is None:
            cols = [c.strip().lower() for c in row]
            if "text" in cols:
                header = {c: i for i, c in enumerate(cols)}
                if "ts" not in header and "time" not in header:
                    raise _bad(name, n, "the header needs a ts (or time) column")
                continue
            header = {}
        if header:
            if len(row) != len(header):
                raise _bad(name, n, f"{len(row)} columns, the header has {len(header)}")
            get = lambda k, d="", row=row, header=header: row[header[k]] if k in header else d  # noqa: E731
            ts_raw = get("ts") if "ts" in header else get("time")
            try:
                ts = _seconds(ts_raw)
            except ValueError:
                raise _bad(name, n, f"ts is not a number or hh:mm:ss: {ts_raw!r}") from None
            yield _make(
                name,
                n,
                rejected,
                room=room or get("room") or Path(name).stem,
                user=get("user"),
                text=get("text"),
                ts=ts,
                id=get("id"),
            )
            continue
        if len(row) != 11:
            raise _bad(
                name,
                n,
                f"{len(row)} columns; expected a header row with text,ts or the 11-column "
                "Bilibili export (part,index,hh:mm:ss,mode,size,color,date,pool,user,id,text)",
            )
        try:
            ts = _seconds(row[2])
        except ValueError:
            raise _bad(name, n, f"time is not hh:mm:ss: {row[2]!r}") from None
        yield _make(name, n, rejected, room=room or row[0], user=row[8], text=row[10], ts=ts, id=row[9])


def _jsonl(f: io.TextIOBase, name: str, room: str | None, rejected: list[dict] | None) -> Iterator[Comment | None]:
    for n, obj in strict_objects(f, name):
        missing = [k for k in ("text", "ts") if k not in obj] + ([] if room or "room" in obj else ["room"])
        if missing:  # not a comment record at all: the file is wrong
            raise _bad(name, n, f"comment is missing {', '.join(missing)}")
        yield _make(
            name,
            n,
            rejected,
            room=str(room or obj["room"]),
            user=obj.get("user", ""),
            text=obj["text"],
            ts=obj["ts"],
            id=str(obj.get("id") or ""),
        )


def parse_speed(value: object, name: str = "speed", most: float = float("inf")) -> float | None:
    """A replay speed: ``"max"`` (or None) for as fast as possible, else a number in (0, ``most``].

    The one parser for the HTTP API and the CLI; ``name`` is how the caller's users know the
    setting (``--speed`` on the command line), so the message points at what to fix."""
    if value is None or value == "max":
        return None
    try:
        speed = float(value)
    except (TypeError, ValueError):
        raise InvalidInput(f"{name} must be 'max' or a positive number, not {value!r}") from None
    if not 0 < speed <= most:
        raise InvalidInput(
            f"{name} must be 'max' or a number in (0, {most:g}]" if most < float("inf") else f"{name} must be positive"
        )
    return speed


def paced(
    comments: Iterable[Comment],
    speed: float | None = None,
    batch: int = 512,
    clock=time.perf_counter,
    sleep=time.sleep,
    *,
    max_wait: float | None = None,
    stop: threading.Event | None = None,
) -> Iterator[list[Comment]]:
    """Batches of comments, released at the pace of their ``ts``.

    ``speed=None`` (max): batches of ``batch`` comments, no waiting. ``speed=N``: comment ``ts`` is
    released ``(ts - first ts) / N`` seconds after the start (1 = real time); each batch holds the
    comments that are due, and each comment's ``extra["received"]`` is the ``clock()`` time it
    became due, so latency is measured from then. Comments are sorted by ``ts`` (stably) first.

    ``max_wait``: no single wait is longer (a recording's hour-long break is cut to that, and the
    rest of the recording moves up). ``stop``: waits end as soon as it is set, and so do the batches."""
    items = sorted(comments, key=lambda c: c.ts)
    if speed is None:
        for i in range(0, len(items), batch):
            chunk = items[i : i + batch]
            now = clock()
            for c in chunk:
                c.extra["received"] = now
            yield chunk
        return
    if speed <= 0:
        raise InvalidInput("speed must be positive")
    if not items:
        return
    t0, start, i = items[0].ts, clock(), 0
    while i < len(items):
        due_at = start + (items[i].ts - t0) / speed
        now = clock()
        if max_wait is not None and due_at - now > max_wait:
            start -= due_at - now - max_wait
            due_at = now + max_wait
        if due_at > now:
            if stop is None:
                sleep(due_at - now)
            elif stop.wait(due_at - now):
                return
            now = clock()
        chunk = []
        while i < len(items) and len(chunk) < batch and start + (items[i].ts - t0) / speed <= now:
            items[i].extra["received"] = start + (items[i].ts - t0) / speed
            chunk.append(items[i])
            i += 1
        yield chunk
