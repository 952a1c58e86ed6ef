"""Does augmentation help shopgen's classifiers? Every figure with its no-augmentation baseline from
the same run, on the same held-out sets, fixed seeds.

    flock /tmp/shopgen-cpu.lock python benchmarks/augment.py [--only shop,live,sentiment,paraphrase]
        [--repeats 3] [--n-per-row 4] [--alpha 0.1] [--out results.json]

shop        the assistant's intent model (text features; with --embed also its e5 half) trained on
            10%, 25%, 50% and 100% of src/shopgen/assistant/data/intent_train.jsonl (a stratified
            sample per seed), with and without EDA; tested on tests/assistant/data/intent_test.jsonl.
live        the live comment intent model on 10/25/50/100% of src/shopgen/live/data/intent_seed.jsonl:
            no augmentation, EDA, the live trainer's own comment-style edits (live.train.augment), and
            both; tested on tests/live/data/intent_eval.jsonl (rules on, as served).
sentiment   the linear sentiment model trained on 1,000 reviews sampled from
            online_shopping_10_cats.train.csv, with and without EDA; tested on the test CSV.
paraphrase  the embedded LLM's paraphrases (filtered: facts, e5 similarity, the split's own classifier
            agreeing, duplicates) of the 10% shop split, seed 0 only (slow: one LLM call per row).

Data: ../shared/data (SHOPGEN_SHARED_DATA to point elsewhere) for the reviews.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import statistics
import time
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from shopgen.augment import pipeline
from shopgen.augment.rows import Row
from shopgen.augment.rows import read as read_rows
from shopgen.metrics.classification import report

ROOT = Path(__file__).resolve().parents[1]
SHARED = Path(os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parents[1] / "shared" / "data")
SHOP_TRAIN = ROOT / "src/shopgen/assistant/data/intent_train.jsonl"
SHOP_TEST = ROOT / "tests/assistant/data/intent_test.jsonl"
LIVE_TRAIN = ROOT / "src/shopgen/live/data/intent_seed.jsonl"
LIVE_TEST = ROOT / "tests/live/data/intent_eval.jsonl"
REVIEWS = SHARED / "reviews"
FRACTIONS = (0.1, 0.25, 0.5, 1.0)


def stratified(rows: list[Row], frac: float, seed: int) -> list[Row]:
    """``frac`` of each label's rows (at least one), seeded."""
    if frac >= 1:
        return list(rows)
    by: dict[str, list[Row]] = defaultdict(list)
    for r in rows:
        by[r.label].append(r)
    rng, out = random.Random(seed), []
    for label in sorted(by):
        group = by[label][:]
        rng.shuffle(group)
        out += group[: max(1, round(frac * len(group)))]
    return sorted(out, key=lambda r: r.line)


def eda_rows(rows: list[Row], args, seed: int) -> list[dict]:
    records, _ = pipeline.run(rows, method="eda", n_per_row=args.n_per_row, seed=seed, alpha=args.alpha)
    return records


def _scores(gold, pred, labels) -> dict:
    r = report(gold, pred, labels)
    return {"accuracy": round(r["accuracy"], 4), "macro_f1": round(r["macro_f1"], 4)}


def _summary(runs: list[dict]) -> dict:
    out = {"n_train": round(statistics.mean(r["n_train"] for r in runs), 1)}
    for k in ("accuracy", "macro_f1"):
        vals = [r[k] for r in runs]
        out[k] = round(statistics.mean(vals), 4)
        out[k + "_sd"] = round(statistics.stdev(vals), 4) if len(vals) > 1 else 0.0
    out["runs"] = runs
    return out


class CachedEmbedder:
    """e5 with a per-text cache: the same text is embedded once across every split."""

    def __init__(self, inner) -> None:
        self.inner, self.model, self.name, self.dim, self._cache = inner, inner.model, inner.name, inner.dim, {}

    def embed_queries(self, texts):
        todo = [t for t in dict.fromkeys(texts) if t not in self._cache]
        for i in range(0, len(todo), 64):
            for t, v in zip(todo[i : i + 64], self.inner.embed_queries(todo[i : i + 64])):
                self._cache[t] = v
        return np.vstack([self._cache[t] for t in texts])

    embed_passages = embed_queries


def shop(args, embedder) -> dict:
    from shopgen.assistant.intent import fit

    rows, test = read_rows(SHOP_TRAIN), read_rows(SHOP_TEST)
    labels = sorted({r.label for r in rows})
    tt, tl = [r.text for r in test], [r.label for r in test]
    out = {"train": SHOP_TRAIN.name, "test": SHOP_TEST.name, "n_test": len(test), "embed": embedder is not None}
    for frac in FRACTIONS:
        res = {"none": [], "eda": []}
        for seed in range(1 if frac >= 1 else args.repeats):
            sub = stratified(rows, frac, seed)
            sets = {"none": [{"text": r.text, "label": r.label} for r in sub], "eda": eda_rows(sub, args, seed)}
            for name, recs in sets.items():
                model = fit([r["text"] for r in recs], [r["label"] for r in recs], embedder=embedder)
                pred = [lb for lb, _ in model.predict(tt, embedder)]
                res[name].append({"seed": seed, "n_train": len(recs), **_scores(tl, pred, labels)})
        out[f"{int(frac * 100)}%"] = {k: _summary(v) for k, v in res.items()}
        print(f"shop {frac}: " + ", ".join(f"{k} {out[f'{int(frac * 100)}%'][k]['accuracy']}" for k in res), flush=True)
    return out


def live(args) -> dict:
    from shopgen.live import train as live_train
    from shopgen.live.classify import evaluate

    rows = read_rows(LIVE_TRAIN)
    out = {"train": LIVE_TRAIN.name, "test": LIVE_TEST.name}
    for frac in FRACTIONS:
        res = defaultdict(list)
        for seed in range(1 if frac >= 1 else args.repeats):
            sub = stratified(rows, frac, seed)
            texts, labels = [r.text for r in sub], [r.label for r in sub]
            eda = eda_rows(sub, args, seed)
            own = live_train.augment(texts, labels, 8, 13)
            sets = {
                "none": (texts, labels),
                "eda": ([r["text"] for r in eda], [r["label"] for r in eda]),
                "live_edits": own,
                "live_edits+eda": live_train.augment([r["text"] for r in eda], [r["label"] for r in eda], 8, 13),
            }
            for name, (xs, ys) in sets.items():
                ev = evaluate(live_train.fit(xs, ys), LIVE_TEST)
                res[name].append(
                    {"seed": seed, "n_train": len(xs), "accuracy": ev["accuracy"], "macro_f1": ev["macro_f1"]}
                )
        out[f"{int(frac * 100)}%"] = {k: _summary(v) for k, v in res.items()}
        print(f"live {frac}: " + ", ".join(f"{k} {out[f'{int(frac * 100)}%'][k]['accuracy']}" for k in res), flush=True)
    return out


def sentiment(args) -> dict:
    from shopgen.insight import datasets
    from shopgen.insight import train as training

    texts, labels = datasets.read_labelled(REVIEWS / "online_shopping_10_cats.train.csv")
    tx, ty = datasets.read_labelled(REVIEWS / "online_shopping_10_cats.test.csv")
    res = defaultdict(list)
    for seed in range(args.repeats):
        idx = random.Random(seed).sample(range(len(texts)), args.n_reviews)
        sub = [Row(i, texts[i], str(labels[i])) for i in idx]
        sets = {"none": [{"text": r.text, "label": r.label} for r in sub], "eda": eda_rows(sub, args, seed)}
        for name, recs in sets.items():
            model = training.fit([r["text"] for r in recs], [int(r["label"]) for r in recs])
            pred = (model.proba(tx) >= 0.5).astype(int).tolist()
            res[name].append({"seed": seed, "n_train": len(recs), **_scores(ty, pred, [0, 1])})
        print(f"sentiment seed {seed}: " + ", ".join(f"{k} {v[-1]['accuracy']}" for k, v in res.items()), flush=True)
    return {
        "train": f"{args.n_reviews} sampled from online_shopping_10_cats.train.csv",
        "n_test": len(tx),
        **{k: _summary(v) for k, v in res.items()},
    }


def paraphrase(args, settings, embedder) -> dict:
    """The 10% shop split, seed 0: none / EDA / paraphrase / both, label check by the split's own model."""
    from shopgen.assistant.intent import fit
    from shopgen.models.llm import create_llm

    llm = create_llm(settings)
    rows, test = read_rows(SHOP_TRAIN), read_rows(SHOP_TEST)
    labels = sorted({r.label for r in rows})
    sub = stratified(rows, 0.1, 0)
    base = fit([r.text for r in sub], [r.label for r in sub], embedder=embedder)
    labeler = lambda ts: [lb for lb, _ in base.predict(ts, embedder)]  # noqa: E731
    start = time.perf_counter()
    recs, rep = pipeline.run(
        sub,
        method="paraphrase",
        n_per_row=args.n_per_row,
        llm=llm,
        embedder=embedder,
        labeler=labeler,
        min_similarity=args.min_similarity,
    )
    seconds = time.perf_counter() - start
    eda = eda_rows(sub, args, 0)
    sets = {
        "none": [{"text": r.text, "label": r.label} for r in sub],
        "paraphrase": recs,
        "eda": eda,
        "eda+paraphrase": eda + recs[len(sub) :],
    }
    out = {
        "split": "10%, seed 0",
        "rows": len(sub),
        "report": rep["paraphrase"],
        "seconds_per_row": round(seconds / len(sub), 1),
    }
    out["examples"] = [{"of": r["of"], "text": r["text"]} for r in recs[len(sub) :][:12]]
    for name, rs in sets.items():
        model = fit([r["text"] for r in rs], [r["label"] for r in rs], embedder=embedder)
        pred = [lb for lb, _ in model.predict([r.text for r in test], embedder)]
        out[name] = {"n_train": len(rs), **_scores([r.label for r in test], pred, labels)}
    print(
        "paraphrase: " + json.dumps({k: v for k, v in out.items() if k != "examples"}, ensure_ascii=False), flush=True
    )
    return out


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--only", default="shop,live,sentiment")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--n-per-row", type=int, default=4)
    p.add_argument("--alpha", type=float, default=0.1)
    p.add_argument("--n-reviews", type=int, default=1000)
    p.add_argument("--embed", action="store_true", help="also fit the shop intent model's e5 half")
    p.add_argument("--min-similarity", type=float, default=0.95)
    p.add_argument("--out", default=None)
    a = p.parse_args()
    from shopgen.core.settings import Settings
    from shopgen.models.embed import create_embedder

    settings = Settings()
    only = set(a.only.split(","))
    e5 = CachedEmbedder(create_embedder(settings, "e5")) if (a.embed or "paraphrase" in only) else None
    result = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}",
        "settings": {"n_per_row": a.n_per_row, "alpha": a.alpha, "repeats": a.repeats},
    }
    start = time.perf_counter()
    if "shop" in only:
        result["shop_intent"] = shop(a, e5 if a.embed else None)
    if "live" in only:
        result["live_intent"] = live(a)
    if "sentiment" in only:
        result["sentiment"] = sentiment(a)
    if "paraphrase" in only:
        result["paraphrase"] = paraphrase(a, settings, e5)
    result["seconds"] = round(time.perf_counter() - start, 1)
    text = json.dumps(result, ensure_ascii=False, indent=2)
    if a.out:
        Path(a.out).write_text(text + "\n", encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
