"""Intent with rare classes: what class weighting does on long-tailed training data.

Real customer-service intent sets are long-tailed (a few intents carry most turns, dozens are
rare). No such labelled Chinese set is public in a form we can ship, so this builds two from what
is here and trains on a long tail, then tests on the same long tail (the natural distribution:
accuracy) and reports macro-F1 (the rare classes):

- ``intent``: shopgen's own intent turns (10 labels), training classes cut to a geometric tail;
  test turns (written separately) cut to the same proportions.
- ``reviews``: the category (10) of online_shopping_10_cats reviews, first 80 characters, train
  from the train split and test from the test split, both geometric tails.

For each, ``balance`` 0 (as before), 0.5 and 1 ("balanced"), text half alone and with e5, over
seeds; ``--c 30,auto`` compares a fixed C (equal halves) with C and the halves' mix chosen by
cross-validation on the training part; ``--hierarchy`` trains each also with hierarchical labels
(:data:`PARENTS`: ``售后/return`` …; a head over the parents rescales the labels) and scores the
same flat labels. Usage:
``python benchmarks/intent_longtail.py [--data-dir ../shared/data] [--seeds 3] [--balance 1 --c 30,auto] [--hierarchy]``.
"""

from __future__ import annotations

import argparse
import csv
import json
import random
import time
from collections import defaultdict
from pathlib import Path

import numpy as np

from shopgen.assistant.intent import DEFAULT_DATA, fit
from shopgen.core.settings import Settings
from shopgen.metrics.classification import report
from shopgen.models.embed import create_embedder
from shopgen.models.textclf import read_labelled

ROOT = Path(__file__).resolve().parent.parent
# a two-level grouping of each set's labels, written by hand before measuring
PARENTS = {
    "intent": {
        "return": "售后",
        "complaint": "售后",
        "order_status": "订单",
        "shipping": "订单",
        "payment": "支付",
        "invoice": "支付",
        "product": "售前",
        "promotion": "售前",
        "human": "其他",
        "chitchat": "其他",
    },
    "reviews": {
        "平板": "数码",
        "手机": "数码",
        "计算机": "数码",
        "热水器": "家电",
        "水果": "食品",
        "蒙牛": "食品",
        "洗发水": "日用",
        "衣服": "日用",
        "书籍": "书籍",
        "酒店": "酒店",
    },
}


def tail(pairs, ratio, top, rng, min_n=2):
    """Classes in a random order, the i-th keeping top·ratio^i examples (at least min_n)."""
    labels = sorted({lb for _, lb in pairs})
    rng.shuffle(labels)
    return with_order(pairs, labels, ratio, top, rng, min_n), labels


def with_order(pairs, order, ratio, top, rng, min_n=2):
    """The classes in ``order``, the i-th keeping top·ratio^i of its examples (at least min_n)."""
    by = defaultdict(list)
    for t, lb in pairs:
        by[lb].append(t)
    out = []
    for i, lb in enumerate(order):
        items = by[lb][:]
        rng.shuffle(items)
        out += [(t, lb) for t in items[: max(min_n, int(round(top * ratio**i)))]]
    return out


def sets(name, data_dir, seed):
    rng = random.Random(seed)
    if name == "intent":
        train = list(zip(*read_labelled(DEFAULT_DATA)))
        test = list(zip(*read_labelled(ROOT / "tests/assistant/data/intent_test.jsonl")))
        tr, order = tail(train, 0.62, 60, rng, 3)
        te = with_order(test, order, 0.62, 30, rng, 2)
        return tr, te
    rows = {}
    for split in ("train", "test"):
        with open(data_dir / f"reviews/online_shopping_10_cats.{split}.csv", encoding="utf-8") as f:
            rows[split] = [(r["review"][:80], r["cat"]) for r in csv.DictReader(f) if r["review"].strip()]
    tr, order = tail(rows["train"], 0.55, 1200, rng, 4)
    te = with_order(rows["test"], order, 0.55, 600, rng, 3)
    return tr, te


class Memo:
    """The embedder with every text's vector kept: the same texts are fitted several times."""

    def __init__(self, inner) -> None:
        self.inner, self.model, self.seen = inner, inner.model, {}

    def embed_queries(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self.seen]
        for i in range(0, len(todo), 64):
            self.seen.update(zip(todo[i : i + 64], self.inner.embed_queries(todo[i : i + 64])))
        return np.vstack([self.seen[t] for t in texts])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--sets", default="intent,reviews")
    ap.add_argument("--balance", default="0,0.5,1")
    ap.add_argument("--c", default="30", help="comma-separated: numbers, or auto (chosen by cross-validation)")
    ap.add_argument("--hierarchy", action="store_true", help="also train with parent/label labels")
    args = ap.parse_args()
    embedder = Memo(create_embedder(Settings()))
    out = []
    for name in args.sets.split(","):
        for seed in range(args.seeds):
            tr, te = sets(name, args.data_dir, seed)
            grid = [(float(b), c) for b in args.balance.split(",") for c in args.c.split(",")]
            for use_e5, (balance, c), hier in [
                (e, g, h) for e in (False, True) for g in grid for h in ((False, True) if args.hierarchy else (False,))
            ]:
                start = time.perf_counter()
                up = PARENTS[name]
                model = fit(
                    [t for t, _ in tr],
                    [f"{up[lb]}/{lb}" if hier else lb for _, lb in tr],
                    embedder=embedder if use_e5 else None,
                    balance=balance,
                    c=None if c == "auto" else float(c),
                )
                pred = [lb.split("/")[-1] for lb, _ in model.predict([t for t, _ in te], embedder if use_e5 else None)]
                r = report([lb for _, lb in te], pred, [lb.split("/")[-1] for lb in model.labels])
                out.append(
                    {
                        "set": name,
                        "seed": seed,
                        "e5": use_e5,
                        "balance": balance,
                        "c": c,
                        "hierarchy": hier,
                        "chosen": {k: model.meta.get(k) for k in ("c", "c_dense", "dense_weight")},
                        "n_train": len(tr),
                        "n_test": len(te),
                        "accuracy": round(r["accuracy"], 4),
                        "macro_f1": round(r["macro_f1"], 4),
                        "seconds": round(time.perf_counter() - start, 1),
                    }
                )
                print(json.dumps(out[-1], ensure_ascii=False), flush=True)
    summary = defaultdict(list)
    for r in out:
        summary[(r["set"], r["e5"], r["balance"], r["c"], r["hierarchy"])].append((r["accuracy"], r["macro_f1"]))
    print(
        json.dumps(
            [
                {
                    "set": k[0],
                    "e5": k[1],
                    "balance": k[2],
                    "c": k[3],
                    "hierarchy": k[4],
                    "accuracy": round(float(np.mean([a for a, _ in v])), 4),
                    "macro_f1": round(float(np.mean([f for _, f in v])), 4),
                }
                for k, v in sorted(summary.items())
            ],
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
