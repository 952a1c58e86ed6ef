"""Shopper-turn intent: shopgen's linear text classifier over the shared text features, averaged
with its dense half, a softmax over e5 sentence embeddings.

On 514 hand-written training turns, 5-fold cross-validation on the training file gave 0.759
accuracy for the text features alone, 0.839 for e5 alone and 0.850 for the average, so the
default uses both. The dense half only applies with the embedding model it was trained on
(``meta["dense_embedder"]``, multilingual-e5-small); with another embedder, or none, the text half
answers alone (:meth:`~shopgen.models.textclf.LinearTextClassifier.uses`).

Labels (the shipped default): product, order_status, return, complaint, shipping, payment,
invoice, promotion, human, chitchat. ``shopgen intent train --data FILE`` fits another on
labelled JSONL (``{"text", "label"}``), choosing C and the halves' mix by cross-validation on it;
the model file is the one format of :class:`~shopgen.models.textclf.LinearTextClassifier` (numpy
only, no pickle). Hierarchical labels (``售后/退货``: parent, ``/``, label, on every label of the
file) add a head over the parents, trained on every example of a parent's labels together, which
rescales each parent's labels as far as cross-validation on the file says it helps (0: flat). On
the two long-tailed sets of benchmarks/intent_longtail.py it changed accuracy and macro-F1 by
less than a point either way (BENCHMARKS.md). The runtime loads a model once (``runtime.intent(name)``); the functions here
take the loaded model.
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import numpy as np

from shopgen.core.lazy import require
from shopgen.models.textclf import LinearTextClassifier, from_logistic
from shopgen.models.textclf.linear import within_parents
from shopgen.text.features import featurize
from shopgen.text.vectorize import build_vocab, tfidf_rows

DEFAULT_MODEL = Path(__file__).parent / "data" / "intent-zh-linear.npz"
DEFAULT_DATA = Path(__file__).parent / "data" / "intent_train.jsonl"
# class weighting for ``shopgen intent train``: on long-tailed training sets (benchmarks/intent_longtail.py)
# "balanced" raised macro-F1 most without costing accuracy
BALANCE = 1.0
ABSTAIN_AT = (0.3, 0.4, 0.5, 0.6, 0.7)
# ``shopgen intent train`` chooses C per half and the dense half's weight by cross-validation
# (benchmarks/intent_longtail.py: on both long-tailed sets macro-F1 rose, see BENCHMARKS.md)
C_GRID = (3.0, 10.0, 30.0)
DENSE_WEIGHTS = (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9)
CV_FOLDS = 3
C_DEFAULT = 30.0
SEPARATOR = "/"  # parent/label
# how far a parent head rescales its labels, chosen by cross-validation (0: flat)
PARENT_WEIGHTS = (0.0, 0.5, 1.0)


def parents_of(labels: list[str]) -> list[str] | None:
    """Each label's parent when every label is written ``parent/label`` (with at least two parents,
    and some parent holding two labels); None for flat labels."""
    if not labels or not all(SEPARATOR in lb and lb.split(SEPARATOR, 1)[0] for lb in labels):
        return None
    parents = [lb.split(SEPARATOR, 1)[0] for lb in labels]
    distinct = set(parents)
    return parents if 1 < len(distinct) < len(labels) else None


def load(name: str | Path | None = None) -> LinearTextClassifier:
    """The shipped model (``None`` or ``"default"``) or one trained with ``shopgen intent train``.
    Raises ConfigError for a missing or foreign file."""
    return LinearTextClassifier.load(DEFAULT_MODEL if name in (None, "default") else Path(name), "intent model")


def class_weights(y: np.ndarray, power: float) -> np.ndarray:
    """Per-example weights ``(n / (k · n_class)) ** power``: 0 leaves the classes as they come, 1 is
    scikit-learn's "balanced" (every class weighs the same in total)."""
    counts = np.bincount(y).astype(float)
    present = np.count_nonzero(counts)  # a cross-validation fold may lack a rare intent
    with np.errstate(divide="ignore"):
        w = (len(y) / (present * counts)) ** power
    return w[y]


def fit(
    texts: list[str],
    labels: list[str],
    *,
    c: float | None = None,
    min_df: int = 1,
    source: str = "",
    embedder=None,
    balance: float = BALANCE,
) -> LinearTextClassifier:
    """Fit the text half, and the dense half when an embedder is given.

    ``c`` (inverse regularisation) and, with both halves, how much the dense half weighs are
    chosen by :data:`CV_FOLDS`-fold cross-validation on the training data itself when ``c`` is
    None (:func:`choose`): what suits 500 hand-written turns over 10 intents does not suit
    thousands of real turns over 49. A number fixes ``c`` for both halves and weighs them equally
    (how the shipped model was made: C = 30 by 5-fold CV on its training file)."""
    lm = require("sklearn.linear_model", "insight")
    feats = [featurize(t) for t in texts]
    names = sorted(set(labels))
    y = np.array([names.index(lb) for lb in labels])
    e = _embed(embedder, texts) if embedder is not None else None
    chosen = choose(feats, e, y, balance, min_df) if c is None else {"c_text": c, "c_dense": c, "dense_weight": 0.5}
    vocab, idf, x = _rows(feats, np.arange(len(y)), min_df)
    clf = _fit_rows(lm, x, y, chosen["c_text"], balance)
    meta = {
        "features": "zh-words",
        "source": source,
        "n": len(texts),
        "c": chosen["c_text"],
        "balance": balance,
        "script": "shopgen intent train",
        "trained": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    if c is None:
        meta["chosen_by"] = f"{CV_FOLDS}-fold cross-validation on the training data"
        meta["cv_score"] = chosen.get("cv_score")
    model = LinearTextClassifier(tuple(names), vocab, idf, *from_logistic(clf), meta)
    if e is not None:
        head = _fit_dense(lm, e, y, np.arange(len(y)), chosen["c_dense"], balance)
        model.dense_coef, model.dense_intercept = from_logistic(head, full=True)
        model.meta |= {"dense_embedder": embedder.model, "c_dense": chosen["c_dense"]}
        model.meta["dense_weight"] = chosen["dense_weight"]
    parents = parents_of(names)
    if parents is not None:
        beta = 1.0 if "oof" not in chosen else choose_parent_weight(feats, e, y, parents, chosen, balance, min_df)
        model.meta["parent_weight"] = beta
        if beta > 0:
            model.parent = _parent_head(lm, x, e, [parents[i] for i in y], vocab, idf, chosen, balance)
            model.meta["parents"] = parents
            model.__post_init__()  # checks the head against the labels
    return model


def _parent_head(lm, x, e, parent_labels, vocab, idf, chosen, balance) -> LinearTextClassifier:
    """The head over the parents: the labels' tf-idf rows ``x`` (so the same vocabulary), C and
    halves' mix."""
    pnames = sorted(set(parent_labels))
    py = np.array([pnames.index(p) for p in parent_labels])
    every = np.arange(len(py))
    clf = _fit_rows(lm, x, py, chosen["c_text"], balance)
    head = LinearTextClassifier(
        tuple(pnames), vocab, idf, *from_logistic(clf), {"dense_weight": chosen["dense_weight"]}
    )
    if e is not None:
        head.dense_coef, head.dense_intercept = from_logistic(
            _fit_dense(lm, e, py, every, chosen["c_dense"], balance), full=True
        )
    return head


def _embed(embedder, texts: list[str]) -> np.ndarray:
    return np.vstack([embedder.embed_queries(texts[i : i + 64]) for i in range(0, len(texts), 64)])


def _rows(feats, idx, min_df: int = 1):
    """The vocabulary of the texts ``idx`` and their tf-idf rows."""
    part = [feats[i] for i in idx]
    vocab, idf = build_vocab(part, min_df)
    return vocab, idf, tfidf_rows(part, vocab, idf).to_csr(len(vocab))


def _fit_rows(lm, x, y, c: float, balance: float):
    return lm.LogisticRegression(C=c, max_iter=2000).fit(x, y, sample_weight=class_weights(y, balance))


def _fit_dense(lm, e, y, idx, c: float, balance: float):
    return lm.LogisticRegression(C=c, max_iter=3000).fit(e[idx], y[idx], sample_weight=class_weights(y[idx], balance))


def _score(p: np.ndarray, y: np.ndarray) -> tuple[float, float]:
    """Accuracy, then balanced accuracy (the mean recall over intents) to break ties. Scoring the
    choice by balanced accuracy alone raised macro-F1 more but cost up to 4 points of accuracy on
    one long-tailed set (BENCHMARKS.md); accuracy first never cost more than half a point."""
    pred = p.argmax(axis=1)
    recalls = [float(np.mean(pred[y == k] == k)) for k in np.unique(y)]
    return float(np.mean(pred == y)), float(np.mean(recalls))


def _splits(y: np.ndarray) -> list | None:
    """Stratified folds (an intent with fewer examples than folds is simply missing from some
    training parts); None when no intent has two examples."""
    import warnings

    ms = require("sklearn.model_selection", "insight")
    folds = min(CV_FOLDS, int(np.bincount(y).max()))
    if folds < 2:
        return None
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # rare intents: "the least populated class has only 1 member"
        return list(ms.StratifiedKFold(folds, shuffle=True, random_state=0).split(np.zeros(len(y)), y))


def _out_of_fold(feats, e, y, splits, c_texts, c_denses, balance: float, min_df: int):
    """Out-of-fold probabilities of the text half for each C in ``c_texts`` and of the dense half
    for each in ``c_denses``."""
    lm = require("sklearn.linear_model", "insight")
    k = len(np.unique(y))
    oof_text = {c: np.zeros((len(y), k)) for c in c_texts}
    oof_dense = {c: np.zeros((len(y), k)) for c in c_denses}
    for train_idx, held in splits:
        vocab, idf, x = _rows(feats, train_idx, min_df)  # once a fold, for every C
        x_held = tfidf_rows([feats[i] for i in held], vocab, idf).to_csr(len(vocab))
        for c in c_texts:
            clf = _fit_rows(lm, x, y[train_idx], c, balance)
            oof_text[c][np.ix_(held, clf.classes_)] = clf.predict_proba(x_held)
        for c in c_denses if e is not None else ():
            head = _fit_dense(lm, e, y, train_idx, c, balance)
            oof_dense[c][np.ix_(held, head.classes_)] = head.predict_proba(e[held])
    return oof_text, oof_dense


def choose(
    feats: list[list[str]], e: np.ndarray | None, y: np.ndarray, balance: float = BALANCE, min_df: int = 1
) -> dict:
    """``c`` per half from :data:`C_GRID` and the dense half's weight from :data:`DENSE_WEIGHTS`,
    by out-of-fold predictions (:func:`_splits`). ``oof``: the chosen mix's out-of-fold
    probabilities, ``splits`` the folds (a parent head is weighed on them: :func:`choose_parent_weight`)."""
    import warnings

    splits = _splits(y)
    if splits is None:
        return {"c_text": C_DEFAULT, "c_dense": C_DEFAULT, "dense_weight": 0.5}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        oof_text, oof_dense = _out_of_fold(feats, e, y, splits, C_GRID, C_GRID, balance, min_df)
    c_text = max(C_GRID, key=lambda c: _score(oof_text[c], y))
    if e is None:
        return {
            "c_text": c_text,
            "c_dense": c_text,
            "dense_weight": 0.0,
            "cv_score": round(_score(oof_text[c_text], y)[0], 4),
            "oof": oof_text[c_text],
            "splits": splits,
        }
    c_dense = max(C_GRID, key=lambda c: _score(oof_dense[c], y))
    mixes = {w: _score((1 - w) * oof_text[c_text] + w * oof_dense[c_dense], y) for w in DENSE_WEIGHTS}
    weight = max(DENSE_WEIGHTS, key=lambda w: (mixes[w], -abs(w - 0.5)))
    return {
        "c_text": c_text,
        "c_dense": c_dense,
        "dense_weight": weight,
        "cv_score": round(mixes[weight][0], 4),
        "oof": (1 - weight) * oof_text[c_text] + weight * oof_dense[c_dense],
        "splits": splits,
    }


def choose_parent_weight(feats, e, y: np.ndarray, parents: list[str], chosen: dict, balance: float, min_df: int):
    """How far the parent head rescales the labels (:data:`PARENT_WEIGHTS`; 0: not at all), by
    the same folds' out-of-fold predictions; ties go to the smaller weight."""
    import warnings

    pnames = sorted(set(parents))
    of = np.array([pnames.index(p) for p in parents])
    py = of[y]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        po_text, po_dense = _out_of_fold(
            feats, e, py, chosen["splits"], [chosen["c_text"]], [chosen["c_dense"]], balance, min_df
        )
    w = chosen["dense_weight"] if e is not None else 0.0
    parent_oof = (1 - w) * po_text[chosen["c_text"]] + w * po_dense[chosen["c_dense"]]
    flat = chosen["oof"]
    scores = {b: _score(within_parents(flat, parent_oof, of, b), y) for b in PARENT_WEIGHTS}
    return max(PARENT_WEIGHTS, key=lambda b: (scores[b], -b))


def abstain_table(gold: list[str], scored: list[tuple[str, float]], at=ABSTAIN_AT) -> list[dict]:
    """For each threshold: the share of turns answered (confidence at or above it; the rest go to
    a person) and the accuracy on those."""
    out = []
    for t in at:
        kept = [(g, p) for g, (p, conf) in zip(gold, scored) if conf >= t]
        out.append(
            {
                "below": t,
                "answered": round(len(kept) / len(gold), 4) if gold else 0.0,
                "accuracy_answered": round(sum(g == p for g, p in kept) / len(kept), 4) if kept else None,
            }
        )
    return out


def classify(text: str, model: LinearTextClassifier, embedder=None) -> str:
    return model.predict([text], embedder)[0][0]
