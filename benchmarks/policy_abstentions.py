"""Why the assistant abstains on policy questions: was the answer in what the model was shown?

    python benchmarks/policy_abstentions.py --report policy.json [--data tests/assistant/data/policy_questions.jsonl]

``policy.json`` is the output of ``shopgen assist policy-eval --json`` over the demo shop. For each
question it abstained on by the model's own words (route ``abstain``), the same assistant (the demo
shop, e5, no LLM call) prepares the prompt again and this script reports whether one of the
question's right phrases (``must``) was in

- the evidence the model read (each passage compacted to ``EVIDENCE_CHARS`` around the question),
- the whole passages retrieved (so compaction cut it), or
- neither (retrieval did not bring it, or the right phrase is worded differently in the passage).

The right phrases are answer wordings (「买家承担」, 「可以」), so "in the evidence" is a proxy: a
passage can hold the answer in other words. Prints one JSON object.
"""

from __future__ import annotations

import argparse
import json
import tempfile
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--report", required=True, help="shopgen assist policy-eval --json output")
    ap.add_argument("--data", default=str(ROOT / "tests" / "assistant" / "data" / "policy_questions.jsonl"))
    args = ap.parse_args()

    from shopgen.assistant import policyeval
    from shopgen.assistant.answer import Draft, assistant_over
    from shopgen.assistant.index import KnowledgeIndex, load_docs
    from shopgen.core.settings import Settings
    from shopgen.demo.loader import load_demo
    from shopgen.server import build_runtime
    from shopgen.store.db import Database

    items = {i["id"]: i for i in policyeval.load(args.data)}
    report = json.loads(Path(args.report).read_text(encoding="utf-8"))
    abstained = [e["id"] for e in report["items"] if e["route"] == "abstain"]

    tmp = Path(tempfile.mkdtemp(prefix="policy-abst-"))
    settings = Settings(data_dir=tmp, llm_backend="fake")
    db = Database(f"sqlite:///{tmp / 'shop.db'}")
    db.migrate()
    load_demo(db)
    runtime = build_runtime(settings)
    index = KnowledgeIndex(load_docs(db), runtime.embedder(), tmp / "index-cache")
    assistant = assistant_over(db, index, runtime.llm(), runtime.intent())

    where, rows = Counter(), []
    for qid in abstained:
        item = items[qid]
        draft = assistant.prepare(item["q"])
        if not isinstance(draft, Draft):
            where["not the model's route now"] += 1
            continue
        shown = [m for m in item["must"] if m in draft.evidence]
        whole = "\n".join(h.get("text", "") for h in draft.hits)
        found = [m for m in item["must"] if m in whole]
        place = "in the evidence shown" if shown else "cut by compaction" if found else "not in the passages"
        where[place] += 1
        rows.append(
            {
                "id": qid,
                "topic": item.get("topic"),
                "q": item["q"],
                "where": place,
                "phrases": shown or found,
                "passages": [h["title"] for h in draft.hits],
            }
        )
    out = {
        "report": args.report,
        "abstained_by_the_model": len(abstained),
        "where_the_answer_was": dict(where.most_common()),
        "questions": rows,
    }
    out["by_topic"] = {f"{t} / {w}": n for (t, w), n in Counter((r["topic"], r["where"]) for r in rows).most_common()}
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
