"""Follow-up questions: does searching an elliptical turn with the previous question find the
right knowledge-base entry more often?

Data: ``tests/assistant/data/followups.jsonl`` (30 pairs written for the demo knowledge base: 24
elliptical follow-ups such as 「衣服不合适可以退吗？」→「那运费谁出」, 6 turns that stand alone), each
with the entries (FAQ questions or policy titles) that answer it. The index is the assistant's own
(hybrid, e5) over the demo shop (``shopgen demo load`` into a temporary data directory).

Usage: ``python benchmarks/followups.py [--k 3]``
"""

from __future__ import annotations

import argparse
import json
import tempfile
from pathlib import Path

from shopgen.assistant.followup import is_elliptical, retrieval_query
from shopgen.assistant.index import KnowledgeIndex, load_docs
from shopgen.core.settings import Settings
from shopgen.demo.loader import load_demo
from shopgen.models.embed import create_embedder
from shopgen.store.db import Database

ROOT = Path(__file__).resolve().parent.parent
DATA = ROOT / "tests" / "assistant" / "data" / "followups.jsonl"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--k", type=int, default=3)
    args = ap.parse_args()
    rows = [json.loads(line) for line in DATA.read_text(encoding="utf-8").splitlines() if line.strip()]
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings(data_dir=Path(tmp))
        db = Database(settings.resolved_database_url())
        db.migrate()
        load_demo(db)
        index = KnowledgeIndex(load_docs(db), create_embedder(settings), Path(tmp))
        out = {"n": len(rows), "k": args.k}
        for mode in ("turn alone (before)", "with the previous question"):
            hits = {"elliptical": [0, 0], "standalone": [0, 0]}
            for r in rows:
                history = [{"role": "user", "content": r["previous"]}, {"role": "assistant", "content": "……"}]
                query = r["text"] if mode.startswith("turn") else retrieval_query(r["text"], history)
                titles = [h["title"] for h in index.search(query, "hybrid", args.k)]
                kind = "elliptical" if is_elliptical(r["text"]) else "standalone"
                hits[kind][0] += any(t in r["gold"] for t in titles)
                hits[kind][1] += 1
            out[mode] = {
                k: {"hit": h, "of": n, f"hit@{args.k}": round(h / n, 3) if n else None} for k, (h, n) in hits.items()
            }
        print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
