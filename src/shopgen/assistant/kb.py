"""Knowledge-base import: FAQ (CSV or JSONL question–answer) and policy documents (Markdown).

Every line is checked before anything is written; a bad line raises ImportFailed naming it.
Entries are upserted by (kind, question), so importing a file twice adds nothing.

FAQ CSV columns: ``question,answer[,topic]``. FAQ JSONL: ``{"question", "answer"[, "topic"][, "kind"]}``.
Markdown: each ``#``/``##`` section becomes one policy entry titled by its heading; sections
longer than :data:`CHUNK_CHARS` are split at paragraph boundaries.
"""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

from sqlalchemy import select

from shopgen.core import csvrows, jsonl
from shopgen.core.errors import ImportFailed, InvalidInput
from shopgen.store.models import KBEntry

CHUNK_CHARS = 400
MAX_Q, MAX_A = 500, 5000


def _entry(line: int, obj: dict, errors: list) -> dict | None:
    q, a = str(obj.get("question") or "").strip(), str(obj.get("answer") or "").strip()
    kind = obj.get("kind") or "faq"
    problem = (
        "question is empty"
        if not q
        else "answer is empty"
        if not a
        else f"question longer than {MAX_Q} characters"
        if len(q) > MAX_Q
        else f"answer longer than {MAX_A} characters"
        if len(a) > MAX_A
        else f"kind must be faq or policy, got {kind!r}"
        if kind not in ("faq", "policy")
        else None
    )
    if problem:
        errors.append({"line": line, "error": problem})
        return None
    return {"kind": kind, "topic": str(obj.get("topic") or "常见问题")[:32], "question": q, "answer": a}


def parse_jsonl(text: str) -> tuple[list[dict], list[dict]]:
    rows, errors = [], []
    for n, obj, problem in jsonl.objects(text.splitlines()):
        if problem is not None:
            errors.append({"line": n, "error": problem})
        elif (e := _entry(n, obj, errors)) is not None:
            rows.append(e)
    return rows, errors


def parse_csv(text: str) -> tuple[list[dict], list[dict]]:
    reader = csv.DictReader(io.StringIO(text))
    if not {"question", "answer"} <= set(csvrows.fieldnames(reader)):
        return [], [{"line": 1, "error": "CSV header must include question and answer"}]
    rows, errors = [], []
    for rec in csvrows.rows(reader):
        if (e := _entry(reader.line_num, rec, errors)) is not None:
            rows.append(e)
    return rows, errors


def parse_markdown(text: str, topic: str) -> list[dict]:
    sections, title, buf = [], topic, []
    for line in text.splitlines():
        m = re.match(r"^#{1,3}\s+(.*)", line)
        if m:
            if "".join(buf).strip():
                sections.append((title, "\n".join(buf).strip()))
            title, buf = m.group(1).strip(), []
        else:
            buf.append(line)
    if "".join(buf).strip():
        sections.append((title, "\n".join(buf).strip()))
    out = []
    for title, body in sections:
        for i, chunk in enumerate(_chunks(body)):
            name = title if i == 0 else f"{title}（{i + 1}）"
            out.append({"kind": "policy", "topic": topic[:32], "question": name[:MAX_Q], "answer": chunk})
    return out


def _chunks(body: str) -> list[str]:
    paras = [p.strip() for p in re.split(r"\n\s*\n", body) if p.strip()]
    chunks, cur = [], ""
    for p in paras:
        if cur and len(cur) + len(p) > CHUNK_CHARS:
            chunks.append(cur)
            cur = p
        else:
            cur = f"{cur}\n{p}" if cur else p
    return chunks + ([cur] if cur else [])


def read_file(path: str | Path) -> list[dict]:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    try:
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InvalidInput(f"{path}: not UTF-8 text (byte {exc.start})") from exc
    suffix = path.suffix.lower()
    if suffix in (".md", ".markdown"):
        rows, errors = parse_markdown(text, path.stem), []
    elif suffix in (".jsonl", ".ndjson"):
        rows, errors = parse_jsonl(text)
    elif suffix == ".csv":
        rows, errors = parse_csv(text)
    else:
        raise InvalidInput(f"{path}: use .csv or .jsonl for FAQ, .md for policy documents")
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
        raise ImportFailed(
            f"{path.name} line {first['line']}: {first['error']}{more}; nothing was imported", errors[:50]
        )
    if not rows:
        raise ImportFailed(f"{path.name}: no entries found; nothing was imported", [])
    return rows


def import_entries(db, rows: list[dict], source: str) -> dict:
    created = updated = 0
    with db.session() as s:
        for r in rows:
            e = s.scalars(select(KBEntry).where(KBEntry.kind == r["kind"], KBEntry.question == r["question"])).first()
            if e is None:
                e = KBEntry(kind=r["kind"], question=r["question"])
                s.add(e)
                created += 1
            else:
                updated += 1
            e.topic, e.answer, e.source = r["topic"], r["answer"], source
    return {"created": created, "updated": updated, "total": created + updated}


def import_file(db, path: str | Path) -> dict:
    return import_entries(db, read_file(path), Path(path).name)
