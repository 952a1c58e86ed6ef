"""Themes among negative reviews: TF-IDF over jieba words, KMeans, c-TF-IDF keywords.

Negative reviews are those labelled 0 when a row has a ``label``, else rated 1–2 when it has a
1–5 ``rating``, else those the sentiment model scores below 0.5. Each theme gets its share of the negatives, the words that set it
apart (class-based TF-IDF, as in BERTopic) and the reviews nearest its centre. KMeans runs with a
fixed seed, so the same input gives the same themes.
"""

from __future__ import annotations

import math
from collections import Counter
from functools import lru_cache
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.insight import datasets
from shopgen.insight.sentiment import analyze
from shopgen.text.features import normalise
from shopgen.text.similarity import bigrams, dice

CATEGORY_COLUMNS = ("cat", "category", "product_sku", "product")


@lru_cache(maxsize=1)
def stopwords() -> frozenset[str]:
    return frozenset((Path(__file__).parent / "data" / "stopwords.txt").read_text(encoding="utf-8").split())


@lru_cache(maxsize=1)
def _tokenizer():
    """A private jieba tokenizer with shop terms (跑绒, 起球, 色差 …), so the sentiment model's
    tokenisation is left exactly as it was trained."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    with open(Path(__file__).parent / "data" / "userdict.txt", "rb") as fh:  # jieba leaks a path it opens itself
        tok.load_userdict(fh)
    return tok


def tokens(text: str) -> list[str]:
    stop = stopwords()
    return [
        w
        for w in _tokenizer().lcut(normalise(text), HMM=False)
        if w not in stop and len(w) > 1 and not w.isdigit() and w.isalnum()
    ]


def negatives(path: str, category: str | None, model) -> list[str]:
    """Negative texts of ``path`` (optionally of one category / product): by label or rating when
    the file has them, otherwise by ``model``'s sentiment."""
    texts, unlabelled = [], []
    for no, rec in datasets.iter_records(path):
        if category and not any(str(rec.get(c, "")) == category for c in CATEGORY_COLUMNS):
            continue
        text = datasets.text_of(rec, f"line {no}")
        if not text.strip():
            continue
        label = str(rec.get("label", "")).strip()
        if label in ("0", "1"):
            texts += [text] if label == "0" else []
        elif str(rec.get("rating", "")).strip() in ("1", "2", "3", "4", "5"):
            texts += [text] if str(rec["rating"]).strip() in ("1", "2") else []
        else:
            unlabelled.append(text)
    if unlabelled:
        texts += [t for t, r in zip(unlabelled, analyze(unlabelled, model)) if r["label"] == "negative"]
    return texts


def c_tf_idf(docs: list[list[str]], assign: np.ndarray, k: int, top: int) -> list[list[str]]:
    per = [Counter() for _ in range(k)]
    for toks, c in zip(docs, assign):
        per[c].update(toks)
    total = Counter()
    for c in per:
        total.update(c)
    avg = sum(sum(c.values()) for c in per) / k
    out = []
    for c in per:
        n = sum(c.values()) or 1
        scored = {w: (cnt / n) * math.log(1 + avg / total[w]) for w, cnt in c.items()}
        out.append([w for w, _ in sorted(scored.items(), key=lambda kv: (-kv[1], kv[0]))[:top]])
    return out


SAME_REVIEW_DICE = 0.8  # two reviews this alike (character bigrams) are one example
MIN_KEYWORD_SHARE = 0.15  # a theme's keyword appears in at least this share of its reviews (and in two)


def relevant_keywords(ranked: list[str], docs: list[list[str]], top: int) -> list[str]:
    """The c-TF-IDF words (best first) that many of the theme's own reviews use: a word from one
    stray review (推荐 in a mixed one) says nothing about the theme. A theme of one review keeps its words."""
    if len(docs) < 2:
        return ranked[:top]
    df = Counter(w for d in docs for w in set(d))
    need = max(2, math.ceil(MIN_KEYWORD_SHARE * len(docs)))
    # a loose theme (no word that common) keeps the words at least two of its reviews share
    return [w for w in ranked if df[w] >= need][:top] or [w for w in ranked if df[w] >= 2][:top] or ranked[:3]


def pick_examples(texts: list[str], docs: list[list[str]], keywords: list[str], n: int) -> list[str]:
    """Up to ``n`` of ``texts`` (nearest the centre first), each saying something different: the
    same review (or a near copy of it) only once, and ones that use a theme keyword first."""
    kept: list[set[str]] = []
    on_topic, other = [], []
    words = set(keywords)
    for text, doc in zip(texts, docs):
        grams = bigrams(text)
        if any(grams == g or dice(grams, g) >= SAME_REVIEW_DICE for g in kept):
            continue  # the same complaint again, give or take a 「，推荐」
        kept.append(grams)
        (on_topic if words & set(doc) else other).append(text)
    return (on_topic + other)[:n]


def _lsa(x, seed: int):
    """Project onto a few latent dimensions: short reviews share few words, and KMeans on raw
    sparse TF-IDF then piles most of them into one cluster."""
    dims = min(50, x.shape[1] - 1, x.shape[0] - 1)
    if dims < 2:
        return x.toarray()
    svd = require("sklearn.decomposition", "insight").TruncatedSVD(n_components=dims, random_state=seed)
    z = svd.fit_transform(x)
    return z / np.maximum(np.linalg.norm(z, axis=1, keepdims=True), 1e-9)


def cluster(texts: list[str], k: int, *, seed: int = 0, top: int = 8, examples: int = 3) -> list[dict]:
    if len(texts) < 2:
        raise InvalidInput(f"need at least 2 negative reviews to find themes, found {len(texts)}")
    fx = require("sklearn.feature_extraction.text", "insight")
    km = require("sklearn.cluster", "insight")
    docs = [tokens(t) for t in texts]
    vec = fx.TfidfVectorizer(analyzer=lambda d: d, min_df=1, sublinear_tf=True)
    x = vec.fit_transform(docs)
    k = max(1, min(k, len(texts) // 2))
    x = _lsa(x, seed)
    model = km.KMeans(n_clusters=k, random_state=seed, n_init=10).fit(x)
    keywords = c_tf_idf(docs, model.labels_, k, top * 3)
    dist = model.transform(x)
    themes = []
    for c in range(k):
        members = np.flatnonzero(model.labels_ == c)
        ranked = members[np.argsort(dist[members, c], kind="stable")]
        words = relevant_keywords(keywords[c], [docs[i] for i in members], top)
        themes.append(
            {
                "size": int(len(members)),
                "share": round(len(members) / len(texts), 4),
                "keywords": words,
                "examples": pick_examples([texts[i] for i in ranked], [docs[i] for i in ranked], words, examples),
            }
        )
    themes.sort(key=lambda t: (-t["size"], t["keywords"]))
    return [{"id": i + 1, **t} for i, t in enumerate(themes)]


def run(path: str, *, model, category: str | None = None, k: int = 5, seed: int = 0) -> dict:
    texts = negatives(path, category, model)
    return {"n_negative": len(texts), "category": category, "k": k, "themes": cluster(texts, k, seed=seed)}
