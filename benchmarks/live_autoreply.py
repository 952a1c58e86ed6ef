"""Live copilot auto-replies: time from a batch arriving to the reply event, for questions the
demo shop's knowledge base answers. Prints JSON.

    .venv/bin/python benchmarks/live_autoreply.py [--questions 40]

A fresh demo shop (temporary data dir, the e5 embedder, the LLM never called: auto-replies use the
assistant's model-free routes only). Each round sends one batch in which two viewers ask the same FAQ
question (so it becomes a cluster worth answering) into its own room; the latency is the wall time of
``ingest_many`` for that batch — labelling, aggregation, the answer and the reply event together.
The index is built before the clock starts. Only ``ask`` clusters are auto-answered (the issue's
rule), so FAQ questions the intent model labels ``return`` or ``complain`` get no auto-reply; the
figures count the ones that were answered.
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

from shopgen.api.assist import assistant_for
from shopgen.core.settings import Settings
from shopgen.demo.loader import DATA, load_demo
from shopgen.live.service import service
from shopgen.metrics.retrieval import percentile
from shopgen.server import create_app


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--questions", type=int, default=40)
    args = ap.parse_args()
    faqs = [
        json.loads(x)["question"]
        for x in (DATA / "kb.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(x).get("kind", "faq") == "faq"
    ]
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app(Settings(data_dir=Path(tmp), llm_backend="fake"))
        load_demo(app.state.db)
        assistant_for(app).prepare("包邮吗")  # build the index, embed the documents, load e5: before timing
        svc = service(app)
        lat, replied = [], 0
        asked = (faqs * 3)[: args.questions]
        for i, q in enumerate(asked):
            room = f"bench{i}"
            svc.open(room, "FZ-1001")
            log = svc.logs[room]
            batch = [{"user": "a", "text": q, "ts": 10.0}, {"user": "b", "text": q, "ts": 10.5}]
            t = time.perf_counter()
            svc.ingest(room, batch)
            dt = (time.perf_counter() - t) * 1000
            if any(e["type"] == "reply" for e in log.after(0)):
                replied += 1
                lat.append(dt)
            svc.close(room)
    print(
        json.dumps(
            {
                "questions": len(asked),
                "answered_from_kb": replied,
                "reply_ms_p50": round(percentile(lat, 50), 1) if lat else None,
                "reply_ms_p95": round(percentile(lat, 95), 1) if lat else None,
                "reply_ms_max": round(max(lat), 1) if lat else None,
            },
            ensure_ascii=False,
            indent=2,
        )
    )


if __name__ == "__main__":
    main()
