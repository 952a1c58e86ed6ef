"""Read a BEIR-format retrieval task: corpus.jsonl, queries.jsonl, qrels.tsv.

Errors name the file and line; nothing is half-read.
"""

from __future__ import annotations

import csv
from pathlib import Path

from shopgen.core import jsonl
from shopgen.core.errors import InvalidInput


def _jsonl(path: Path, with_title: bool) -> list[tuple[str, str]]:
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
            out.append((_id, f"{title} {text}".strip() if title else text))
    if not out:
        raise InvalidInput(f"{path.name}: no entries")
    return out


def load_corpus(path: str | Path) -> list[tuple[str, str]]:
    return _jsonl(Path(path), with_title=True)


def load_queries(path: str | Path) -> list[tuple[str, str]]:
    return _jsonl(Path(path), with_title=False)


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
