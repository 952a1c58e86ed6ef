"""Read a BEIR-format retrieval task: corpus.jsonl, queries.jsonl, qrels.tsv.

Errors name the file and line; nothing is half-read.
"""

from __future__ import annotations

import csv
from pathlib import Path

from shopgen.core import jsonl
from shopgen.core.errors import InvalidInput


def _jsonl(path: Path, with_title: bool) -> list[tuple[str, str, str]]:
    """(id, title, text) per line; the title is "" where there is none."""
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    out = []
    with open(path, encoding="utf-8") as f:
        for n, obj in jsonl.strict_objects(f, path.name):
            if "_id" not in obj or "text" not in obj:
                raise InvalidInput(f"{path.name} line {n}: expected a JSON object with _id and text")
            _id, text = str(obj["_id"]), obj["text"]
            if not isinstance(text, str):
                raise InvalidInput(f"{path.name} line {n}: text must be a string")
            title = obj.get("title") if with_title else None
            if title is not None and not isinstance(title, str):
                raise InvalidInput(f"{path.name} line {n}: title must be a string")
            out.append((_id, title or "", text))
    if not out:
        raise InvalidInput(f"{path.name}: no entries")
    return out


def load_corpus(path: str | Path) -> list[tuple[str, str]]:
    """(id, text) per document, a title put before its text."""
    return joined(load_fields(path))


def joined(fields: list[tuple[str, str, str]]) -> list[tuple[str, str]]:
    return [(i, f"{t} {x}".strip() if t else x) for i, t, x in fields]


def load_fields(path: str | Path) -> list[tuple[str, str, str]]:
    """(id, title, text) per document: a corpus of question (title) + answer (text) pairs is
    searched with the two fields weighted apart (:mod:`shopgen.search.fields`)."""
    return _jsonl(Path(path), with_title=True)


def has_titles(fields: list[tuple[str, str, str]]) -> bool:
    """Whether most documents have a title (a question + answer corpus)."""
    return sum(1 for _, t, _ in fields if t) * 2 > len(fields)


def load_queries(path: str | Path) -> list[tuple[str, str]]:
    return [(i, x) for i, _, x in _jsonl(Path(path), with_title=False)]


def load_qrels(path: str | Path) -> dict[str, dict[str, int]]:
    path = Path(path)
    if not path.is_file():
        raise InvalidInput(f"{path}: no such file")
    qrels: dict[str, dict[str, int]] = {}
    with open(path, encoding="utf-8", newline="") as f:
        reader = csv.reader(f, delimiter="\t")
        header = next(reader, None)
        if header is None or [h.strip() for h in header[:2]] != ["query-id", "corpus-id"]:
            raise InvalidInput(f"{path.name} line 1: expected the header 'query-id\\tcorpus-id\\tscore'")
        for row in reader:
            if not row:
                continue
            try:
                qid, did, score = row[0], row[1], int(row[2])
            except (IndexError, ValueError) as exc:
                raise InvalidInput(
                    f"{path.name} line {reader.line_num}: expected query-id, corpus-id, integer score"
                ) from exc
            qrels.setdefault(qid, {})[did] = score
    return qrels
