"""Sentiment evaluation: accuracy, macro-F1, throughput, and baselines in the same run.

Baselines: snownlp (``SnowNLP(t).sentiments > 0.5``; slow, so scored on a seeded sample of
``baseline_n`` texts) and, when training data is given, a character 1–3-gram TF-IDF logistic
regression — the "about 93%" anchor.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
import time
from pathlib import Path

import numpy as np

from shopgen.core.lazy import require
from shopgen.insight import datasets
from shopgen.insight import train as training
from shopgen.insight.sentiment import model_path as linear_path


def macro_f1(y: np.ndarray, pred: np.ndarray) -> float:
    f1s = []
    for cls in (0, 1):
        tp = np.sum((pred == cls) & (y == cls))
        prec = tp / max(np.sum(pred == cls), 1)
        rec = tp / max(np.sum(y == cls), 1)
        f1s.append(0.0 if prec + rec == 0 else 2 * prec * rec / (prec + rec))
    return float(np.mean(f1s))


def scores(y, pred) -> dict:
    y, pred = np.asarray(y), np.asarray(pred)
    return {"n": int(len(y)), "accuracy": round(float(np.mean(y == pred)), 4), "macro_f1": round(macro_f1(y, pred), 4)}


def sha256(path: str | Path) -> str:
    return hashlib.sha256(Path(path).read_bytes()).hexdigest()


def train_and_save(data: str, out: str, *, dev: str | None = None, c: float = 8.0, min_df: int = 2) -> dict:
    texts, labels = datasets.read_labelled(data)
    digest = sha256(data)
    meta = {
        "trained_on": Path(data).name,
        "sha256": digest,
        "data_sha256": digest,
        "script": f"shopgen insight train --data {Path(data).name} --c {c:g} --min-df {min_df}",
        "n_train": len(texts),
        "c": c,
        "min_df": min_df,
        "description": "char 1-3 grams + jieba words/bigrams + negation scope; NB-scaled logistic regression",
        "date": dt.date.today().isoformat(),
    }
    model = training.fit(texts, labels, c=c, min_df=min_df, meta=meta)
    result = {"model": str(out), "n_train": len(texts), "n_features": len(model.vocab)}
    if dev:
        dx, dy = datasets.read_labelled(dev)
        result["dev_accuracy"] = model.meta["dev_accuracy"] = scores(dy, model.proba(dx) >= 0.5)["accuracy"]
        model.meta["dev"] = Path(dev).name
    model.save(Path(out))
    return result


def _timed(model, texts: list[str]) -> tuple[np.ndarray, float]:
    model.proba(texts[:50])  # warm up jieba's dictionary so it is not timed
    start = time.perf_counter()
    p = model.proba(texts)
    return p, len(texts) / max(time.perf_counter() - start, 1e-9)


def _pool_speed(path, texts: list[str], workers: int) -> float:
    from shopgen.insight.parallel import Pool

    with Pool(path, workers) as pool:
        start = time.perf_counter()
        pool.proba(texts)
        return len(texts) / max(time.perf_counter() - start, 1e-9)


def snownlp_baseline(texts: list[str], labels: list[int], n: int, seed: int) -> dict:
    snownlp = require("snownlp", "insight")
    idx = sorted(random.Random(seed).sample(range(len(texts)), min(n, len(texts))))
    start = time.perf_counter()
    pred = [int(snownlp.SnowNLP(texts[i]).sentiments > 0.5) for i in idx]
    speed = len(idx) / max(time.perf_counter() - start, 1e-9)
    return {**scores([labels[i] for i in idx], pred), "texts_per_s": round(speed, 1)}


def char_ngram_baseline(train_texts, train_labels, texts, labels) -> dict:
    fx = require("sklearn.feature_extraction.text", "insight")
    lm = require("sklearn.linear_model", "insight")
    vec = fx.TfidfVectorizer(analyzer="char", ngram_range=(1, 3), min_df=2, sublinear_tf=True)
    clf = lm.LogisticRegression(C=4.0, solver="liblinear").fit(vec.fit_transform(train_texts), train_labels)
    start = time.perf_counter()
    pred = clf.predict(vec.transform(texts))
    speed = len(texts) / max(time.perf_counter() - start, 1e-9)
    return {**scores(labels, pred), "texts_per_s": round(speed, 1)}


def run(
    test: str,
    *,
    model=None,
    train: str | None = None,
    model_path: str | None = None,
    baseline_n: int = 1000,
    seed: int = 7,
    char_train: str | None = None,
    workers: int = 1,
) -> dict:
    """Evaluate ``model`` (the loaded model ``model_path`` names: ``linear`` / ``ensemble`` or a file),
    or one trained on ``train``, on ``test``.

    ``texts_per_s`` is one process scoring the whole file as one batch; with ``workers`` > 1 a warm
    pool of that many processes is timed too (``texts_per_s_<n>proc``; linear models only — the
    ensemble's embedder already uses every core).
    """
    texts, labels = datasets.read_labelled(test)
    char_train = char_train or train
    tr = datasets.read_labelled(char_train) if char_train else None
    if train:
        model = training.fit(*datasets.read_labelled(train))
    elif model is None:
        raise ValueError("give the loaded model or a training file")
    p, speed = _timed(model, texts)
    out = {
        **scores(labels, p >= 0.5),
        "texts_per_s": round(speed, 1),
        "model": "trained" if train else (model_path or "default"),
        "baseline": {},
    }
    pool_path = None if train else linear_path(model_path)
    if workers > 1 and pool_path is not None:
        out[f"texts_per_s_{workers}proc"] = round(_pool_speed(pool_path, texts, workers), 1)
    if baseline_n:
        out["baseline"]["snownlp"] = snownlp_baseline(texts, labels, baseline_n, seed)
    if tr:
        out["baseline"]["char_ngram_lr"] = char_ngram_baseline(*tr, texts, labels)
    return out
