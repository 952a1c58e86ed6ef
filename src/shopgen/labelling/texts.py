"""The texts a labelling task is made of: an uploaded file, the shop's reviews, or what shoppers
wrote to the assistant.

Uploads: ``.jsonl`` (one object a line with ``text``; ``source`` or ``id`` kept when present),
``.csv`` (a header row with a ``text`` column; ``review``, ``content`` or ``comment`` also do) or
``.txt`` (one text a line). Every bad line is named with its file and line number, and one bad
line rejects the whole file, so a task is never made of half a file. Exact repeats are kept once.

Raises InvalidInput (Chinese, ``detail["field"] == "file"``; ``detail["lines"]`` lists bad lines).
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path

from shopgen.core.errors import InvalidInput
from shopgen.security import pii

MAX_ITEMS = 5000
MAX_TEXT = 2000
SHOWN = 5  # bad lines named in the message; ``detail`` lists up to 100
TEXT_COLUMNS = ("text", "review", "content", "comment")
SUFFIXES = (".jsonl", ".ndjson", ".csv", ".txt")


@dataclass(frozen=True)
class Text:
    text: str
    source: str = ""


def _bad(name: str, problems: list[tuple[int, str]]) -> InvalidInput:
    shown = "；".join(f"第 {n} 行：{why}" for n, why in problems[:SHOWN])
    more = f"；另有 {len(problems) - SHOWN} 行有问题" if len(problems) > SHOWN else ""
    lines = [{"line": n, "error": why} for n, why in problems[:100]]
    return InvalidInput(f"{name} {shown}{more}（整个文件未导入）", {"field": "file", "lines": lines})


def _text_problem(value) -> str | None:
    if not isinstance(value, str) or not value.strip():
        return "缺少 text（应为非空文本）"
    if len(value.strip()) > MAX_TEXT:
        return f"文本太长（{len(value.strip())} 个字，最多 {MAX_TEXT} 个）"
    return None


def _jsonl(lines: list[str], name: str) -> tuple[list[Text], list[tuple[int, str]]]:
    out, bad = [], []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        try:
            obj = json.loads(raw)
        except json.JSONDecodeError as exc:
            bad.append((n, f"不是有效的 JSON（第 {exc.colno} 列）"))
            continue
        if not isinstance(obj, dict):
            bad.append((n, '每行应是一个 JSON 对象，如 {"text": "…"}'))
            continue
        if why := _text_problem(obj.get("text")):
            bad.append((n, why))
            continue
        ref = obj.get("source", obj.get("id"))
        out.append(Text(obj["text"].strip(), f"{name}:{ref if isinstance(ref, str | int) else n}"[:200]))
    return out, bad


def _csv(body: str, name: str) -> tuple[list[Text], list[tuple[int, str]]]:
    reader = csv.reader(io.StringIO(body))
    header = [h.strip().lower() for h in next(reader, [])]
    column = next((header.index(c) for c in TEXT_COLUMNS if c in header), None)
    if column is None:
        raise InvalidInput(
            f"{name} 第 1 行：表头里没有 text 列（也可叫 review、content 或 comment）", {"field": "file"}
        )
    out, bad = [], []
    for row in reader:
        n = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        value = row[column] if column < len(row) else ""
        if why := _text_problem(value):
            bad.append((n, why))
        else:
            out.append(Text(value.strip(), f"{name}:{n}"[:200]))
    return out, bad


def _plain(lines: list[str], name: str) -> tuple[list[Text], list[tuple[int, str]]]:
    out, bad = [], []
    for n, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        if why := _text_problem(raw):
            bad.append((n, why))
        else:
            out.append(Text(raw.strip(), f"{name}:{n}"[:200]))
    return out, bad


def unique(texts: list[Text]) -> tuple[list[Text], int]:
    """The texts with exact repeats (after trimming) dropped, and how many were dropped."""
    seen: set[str] = set()
    out = [t for t in texts if not (t.text in seen or seen.add(t.text))]
    return out, len(texts) - len(out)


def _bounded(texts: list[Text], name: str, empty: str = "没有任何文本，请检查文件内容") -> list[Text]:
    if not texts:
        raise InvalidInput(f"{name}：{empty}", {"field": "file"})
    if len(texts) > MAX_ITEMS:
        raise InvalidInput(
            f"{name}：有 {len(texts)} 条文本，一个任务最多 {MAX_ITEMS} 条，请拆成几个文件", {"field": "file"}
        )
    return texts


def read_upload(data: bytes, filename: str) -> list[Text]:
    """The texts of an uploaded file (see the module docstring), repeats dropped."""
    name = Path(filename or "upload").name[:100] or "upload"
    suffix = Path(name).suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"文件：{name} 的格式不支持，请上传 .jsonl、.csv 或 .txt（每行一条文本）", {"field": "file"})
    try:
        body = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput(f"文件：{name} 不是 UTF-8 编码的文本", {"field": "file"}) from None
    if "\x00" in body:
        raise InvalidInput(f"文件：{name} 不是文本文件", {"field": "file"})
    if suffix == ".csv":
        texts, bad = _csv(body, name)
    else:
        lines = body.splitlines()
        texts, bad = (_plain if suffix == ".txt" else _jsonl)(lines, name)
    if bad:
        raise _bad(name, bad)
    return _bounded(unique(texts)[0], name)


def from_reviews(path: Path) -> list[Text]:
    """Review texts of a reviews JSONL file (``{"text", "product_sku", …}``); unreadable lines are
    the file's own problem and are named like an upload's."""
    name = path.name
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except OSError as exc:
        raise InvalidInput(f"评论数据：读不到 {name}（{exc.strerror}）", {"field": "source"}) from None
    texts, bad = _jsonl(lines, name)
    if bad:
        raise _bad(name, bad)
    texts = [Text(t.text, t.source) for t in texts]
    return _bounded(unique(texts)[0][:MAX_ITEMS], f"评论数据 {name}", "没有任何评论")


def from_conversations(s, *, order_pattern: str = pii.DEFAULT_ORDER_PATTERN) -> list[Text]:
    """What shoppers wrote to the assistant (their turns, newest first, personal data masked:
    training files travel further than the conversation log)."""
    from sqlalchemy import select

    from shopgen.store.models import Message

    rows = s.execute(
        select(Message.conversation_id, Message.content)
        .where(Message.role == "user")
        .order_by(Message.id.desc())
        .limit(MAX_ITEMS * 2)
    )
    texts = [
        Text(pii.mask(content.strip(), order_pattern=order_pattern), f"conversation:{cid}")
        for cid, content in rows
        if content and content.strip() and len(content.strip()) <= MAX_TEXT
    ]
    return _bounded(unique(texts)[0][:MAX_ITEMS], "对话记录", "还没有买家发给智能客服的消息")


SOURCES = {"upload": "上传文件", "reviews": "店铺评论", "conversations": "买家对话"}


def gather(source: str, *, data: bytes | None, filename: str, s, reviews: Path, order_pattern: str):
    """``(texts, source description)`` for a new task: ``upload`` reads ``data`` (the uploaded
    file's bytes), ``reviews`` the reviews file, ``conversations`` the shoppers' turns."""
    if source == "upload":
        if not data:
            what = "请选择要上传的文件" if not filename else f"{Path(filename).name} 是空文件"
            raise InvalidInput(f"文件：{what}", {"field": "file"})
        return read_upload(data, filename), f"上传 {Path(filename or 'upload').name}"
    if source == "reviews":
        return from_reviews(reviews), f"店铺评论 {reviews.name}"
    if source == "conversations":
        return from_conversations(s, order_pattern=order_pattern), "买家对话"
    listing = "、".join(f"{v}（{k}）" for k, v in SOURCES.items())
    raise InvalidInput(f"来源：没有“{str(source)[:20]}”这种来源，可选 {listing}", {"field": "source"})
