"""Aspect evaluation: per-aspect precision / recall / F1 of detection, and polarity accuracy.

Data: JSONL ``{"text", "aspects": {"质量": "positive", "尺码": "negative", …}}``. Polarity is
scored on aspects both labelled and detected; a gold ``mixed`` counts as right only when predicted
``mixed``.
"""

from __future__ import annotations

from pathlib import Path

from shopgen.core.errors import ImportFailed
from shopgen.insight import aspects, datasets
from shopgen.insight.lexicon import ASPECTS

POLARITIES = ("positive", "negative", "mixed")


def read_gold(path: str | Path) -> list[tuple[str, dict[str, str]]]:
    rows = []
    for no, rec in datasets.iter_records(path):
        gold = rec.get("aspects")
        if not isinstance(gold, dict) or any(a not in ASPECTS or p not in POLARITIES for a, p in gold.items()):
            raise ImportFailed(
                f"{Path(path).name} line {no}: 'aspects' must map known aspects to a polarity", {"line": no}
            )
        rows.append((datasets.text_of(rec, f"line {no}"), gold))
    return rows


def _prf(tp: int, fp: int, fn: int) -> dict:
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {
        "precision": round(p, 4),
        "recall": round(r, 4),
        "f1": round(2 * p * r / (p + r), 4) if p + r else 0.0,
        "support": tp + fn,
    }


def evaluate(path: str | Path, model) -> dict:
    rows = read_gold(path)
    counts = {a: [0, 0, 0] for a in ASPECTS}
    right = total = 0
    for text, gold in rows:
        pred = {r["aspect"]: r["polarity"] for r in aspects.analyze(text, model)}
        for a in ASPECTS:
            counts[a][0] += a in gold and a in pred
            counts[a][1] += a in pred and a not in gold
            counts[a][2] += a in gold and a not in pred
        for a in gold.keys() & pred.keys():
            total += 1
            right += gold[a] == pred[a]
    per = {a: _prf(*c) for a, c in counts.items()}
    micro = _prf(*(sum(c[i] for c in counts.values()) for i in range(3)))
    macro_f1 = sum(v["f1"] for v in per.values()) / len(per)
    return {
        "n": len(rows),
        "micro": micro,
        "macro_f1": round(macro_f1, 4),
        "per_aspect": per,
        "polarity_accuracy": round(right / total, 4) if total else 0.0,
        "polarity_n": total,
    }
