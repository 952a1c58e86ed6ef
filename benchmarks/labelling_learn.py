"""Labelling queue: do suggestions get better as a person labels? (shopgen.labelling.learn)

A simulated person takes items from the real queue (SQLite, the shipped models as suggesters) and
gives each its gold label. For every item handed out, the suggestion shown is compared with the
gold label: "accepted" means the person could press Enter. Run with learning (as shipped) and
without (the model's suggestions only), same items, same order rules.

Tasks:

- ``intent``: the 253 written test turns of the assistant's intent (labels: the model's own
  codes; the shipped model was trained on other turns).
- ``intent-renamed``: the same turns, the task's labels renamed to the studio's Chinese names
  (商品咨询, 订单状态 …): the model knows none of them, so only learning can suggest.
- ``category``: 1,000 reviews of online_shopping_10_cats (test split, seed 0), labelled with their
  product category (书籍, 平板 …): a shop's own label set.
- ``sentiment``: the same 1,000 reviews, positive/negative (the shipped sentiment model).

Usage: ``python benchmarks/labelling_learn.py [--data-dir ../shared/data] [--tasks intent,category]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import tempfile
from pathlib import Path

from shopgen.core.settings import Settings
from shopgen.labelling import learn, queue
from shopgen.labelling.kinds import LABEL_NAMES
from shopgen.labelling.suggest import for_kind
from shopgen.labelling.texts import Text
from shopgen.security.principal import Principal
from shopgen.server import build_runtime, labelling_models
from shopgen.store.db import Database

ROOT = Path(__file__).resolve().parent.parent
PERSON = Principal(kind="user", name="bench", role="operator")


def intent_turns(renamed: bool) -> tuple[list[str], list[str]]:
    texts, gold = [], []
    for line in (ROOT / "tests" / "assistant" / "data" / "intent_test.jsonl").read_text().splitlines():
        row = json.loads(line)
        texts.append(row["text"])
        gold.append(LABEL_NAMES[row["label"]] if renamed else row["label"])
    return texts, gold


def reviews(data_dir: Path, column: str, n: int = 1000) -> tuple[list[str], list[str]]:
    with open(data_dir / "reviews" / "online_shopping_10_cats.test.csv", encoding="utf-8") as f:
        rows = [r for r in csv.DictReader(f) if r["review"].strip()]
    random.Random(0).shuffle(rows)
    rows = rows[:n]
    if column == "label":
        return [r["review"][:200] for r in rows], ["positive" if r["label"] == "1" else "negative" for r in rows]
    return [r["review"][:200] for r in rows], [r["cat"] for r in rows]


def run(kind: str, texts: list[str], gold: list[str], labels: list[str], models, learning: bool) -> dict:
    saved = learn.LEARN_FROM
    learn.LEARN_FROM = learn.LEARN_FROM if learning else 10**9
    queue._learned.clear()
    try:
        with tempfile.TemporaryDirectory() as tmp:
            db = Database(f"sqlite:///{Path(tmp) / 'bench.db'}")
            db.migrate()
            truth = dict(zip(texts, gold, strict=True))
            accepted = []
            with db.session() as s:
                task = queue.create(
                    s,
                    PERSON,
                    name="bench",
                    kind=kind,
                    labels=labels,
                    texts=[Text(t, "bench") for t in dict.fromkeys(texts)],
                    source="bench",
                )
                suggester = for_kind(kind, models)
                while (item := queue.next_item(s, task, suggester, PERSON)) is not None:
                    accepted.append(item.suggested == truth[item.text])
                    queue.label(s, task, item.id, PERSON, label=truth[item.text])
            db.dispose()
    finally:
        learn.LEARN_FROM = saved
    n = len(accepted)
    quarters = [accepted[i * n // 4 : (i + 1) * n // 4] for i in range(4)]
    return {
        "items": n,
        "accepted": round(sum(accepted) / n, 4),
        "by_quarter": [round(sum(q) / len(q), 4) for q in quarters],
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--tasks", default="intent,intent-renamed,category,sentiment")
    args = ap.parse_args()
    tmp = tempfile.mkdtemp()
    models = labelling_models(build_runtime(Settings(data_dir=Path(tmp), llm_backend="fake")))
    out = {}
    for name in args.tasks.split(","):
        if name in ("intent", "intent-renamed"):
            texts, gold = intent_turns(renamed=name == "intent-renamed")
            kind = "intent"
        elif name == "category":
            texts, gold = reviews(args.data_dir, "cat")
            kind = "intent"
        else:
            texts, gold = reviews(args.data_dir, "label")
            kind = "sentiment"
        labels = sorted(set(gold))
        out[name] = {
            "model only": run(kind, texts, gold, labels, models, learning=False),
            "learning (shipped)": run(kind, texts, gold, labels, models, learning=True),
        }
        print(json.dumps({name: out[name]}, ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
