"""Fit the e5 head of the ``ensemble`` sentiment model and choose its blend weight.

    shopgen insight train-head --train TRAIN.csv --dev DEV.csv --out HEAD.npz [--cache DIR]
                               [--head mlp|lr] [--alpha 1e-3 ...]

The head on e5 query embeddings is fitted on the train file: ``mlp`` (the default; one ReLU layer of
256 units, scikit-learn's MLPClassifier with early stopping on a 10% slice of train, inputs scaled
by 10, seeded; L2 ``alpha`` chosen on dev) or ``lr`` (logistic regression, C chosen on dev);
the blend weight ``a`` of ``a · linear + (1 − a) · head`` is the one with the best dev accuracy on a
0.05 grid. The test split is never read. Embedding 50k reviews takes a while (the embedder runs at
about a hundred texts/s on two cores), so ``--cache`` keeps ``train.npy`` / ``dev.npy`` (float16
rows, in file order) and reuses them when present.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import numpy as np

from shopgen.core.lazy import require
from shopgen.insight import datasets
from shopgen.insight.ensemble import EMBED_MODEL, E5Head
from shopgen.insight.evaluate import scores, sha256

C_GRID = (0.25, 1.0, 4.0, 16.0, 64.0)
ALPHA_GRID = (1e-3, 1e-2)
HIDDEN, SCALE = 256, 10.0


def embeddings(texts: list[str], emb, cache: Path | None, name: str, batch: int = 64) -> np.ndarray:
    path = cache / f"{name}.npy" if cache else None
    if path is not None and path.is_file():
        rows = np.load(path).astype(np.float32)
        if len(rows) == len(texts):
            return rows
    rows = np.concatenate(
        [
            emb.embed_queries([t if t.strip() else "。" for t in texts[i : i + batch]])
            for i in range(0, len(texts), batch)
        ]
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        np.save(path, rows.astype(np.float16))
    return rows


def _candidates(x, y, kind: str, grid):
    """(hyper-parameter, head) pairs, one per grid value."""
    if kind == "lr":
        lm = require("sklearn.linear_model", "insight")
        for c in grid or C_GRID:
            clf = lm.LogisticRegression(C=c, max_iter=3000).fit(x, y)
            yield {"c": c}, E5Head(w2=clf.coef_.ravel().astype(np.float32), b2=float(clf.intercept_[0]))
        return
    nn = require("sklearn.neural_network", "insight")
    for alpha in grid or ALPHA_GRID:
        clf = nn.MLPClassifier(
            (HIDDEN,),
            alpha=alpha,
            early_stopping=True,
            validation_fraction=0.1,
            max_iter=200,
            random_state=0,
            batch_size=256,
        ).fit(x * SCALE, y)
        yield (
            {"alpha": alpha, "hidden": HIDDEN, "epochs": int(clf.n_iter_)},
            E5Head(
                w1=clf.coefs_[0].astype(np.float32),
                b1=clf.intercepts_[0].astype(np.float32),
                w2=clf.coefs_[1].ravel().astype(np.float32),
                b2=float(clf.intercepts_[1][0]),
                scale=SCALE,
            ),
        )


def fit_head(
    x: np.ndarray, y: np.ndarray, dx: np.ndarray, dy: np.ndarray, dev_linear: np.ndarray, kind: str = "mlp", grid=None
) -> tuple[E5Head, dict]:
    """Best (hyper-parameter, a) on dev by blended accuracy; returns the head and the dev figures."""
    best = None
    for params, head in _candidates(x, y, kind, grid):
        head_dev = head.decision(dx)
        for a in np.round(np.arange(0.0, 1.0001, 0.05), 2):
            acc = float(np.mean(((a * dev_linear + (1 - a) * head_dev) > 0) == dy))
            if best is None or acc > best[0]:
                best = (acc, params, float(a), head, float(np.mean((head_dev > 0) == dy)))
    acc, params, a, head, head_acc = best
    return head, {
        **params,
        "linear_weight": a,
        "dev_accuracy": round(acc, 4),
        "dev_accuracy_head_alone": round(head_acc, 4),
        "dev_accuracy_linear_alone": scores(dy, dev_linear > 0)["accuracy"],
    }


def train_head(
    train: str,
    dev: str,
    out: str,
    *,
    linear,
    embedder,
    cache: Path | None = None,
    head: str = "mlp",
    grid: list[float] | None = None,
) -> dict:
    """Fit the head on ``train``, choose the blend on ``dev`` against ``linear`` (the linear sentiment
    model) and write it to ``out``. ``embedder`` must be the e5 one (``runtime.embedder("e5")``)."""
    tx, ty = datasets.read_labelled(train)
    dx, dy = datasets.read_labelled(dev)
    x, d = embeddings(tx, embedder, cache, "train"), embeddings(dx, embedder, cache, "dev")
    dev_linear = linear.decision(dx)
    model, figures = fit_head(x, np.asarray(ty), d, np.asarray(dy), dev_linear, head, grid)
    model.meta = {
        "trained_on": Path(train).name,
        "sha256": sha256(train),
        "n_train": len(tx),
        "dev": Path(dev).name,
        "embedder": EMBED_MODEL,
        "embedding": "query: prefix, L2-normalised",
        "head": {"mlp": f"MLP, one ReLU layer of {HIDDEN}, inputs x{SCALE:g}", "lr": "logistic regression"}[head],
        **{k: figures[k] for k in ("c", "alpha", "hidden", "epochs") if k in figures},
        "blend": {"linear_weight": figures["linear_weight"], "chosen_on": "dev accuracy, 0.05 grid"},
        "linear_model_meta": {k: linear.meta.get(k) for k in ("sha256", "date", "n_features")},
        **{k: v for k, v in figures.items() if k.startswith("dev_")},
        "date": dt.date.today().isoformat(),
    }
    model.save(out)
    return {"out": str(out), **figures}
