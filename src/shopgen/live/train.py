"""Train the live intent model: seed set → rule-based augmentation → logistic regression → ``.npz``.

Reproduce the shipped model (deterministic for a given scikit-learn version)::

    python -m shopgen.live.train                       # = shopgen live train
    python -m shopgen.live.train --data SEED.jsonl --out model.npz [--eval tests/live/data/intent_eval.jsonl]

The seed set (``data/intent_seed.jsonl``, ``{"text", "label"}`` per line) is hand-written; each line
is expanded into ``augment`` variants by seeded random edits that live comments actually show:
姐妹们/家人们 prefixes, trailing particles, emoji and punctuation, repeated characters, product-noun
substitution within a category, and common typos / slang (怎么 → 怎莫/咋, 什么 → 啥, 吗 → 嘛).
Training needs the ``insight`` extra (scikit-learn); scoring the result needs numpy only.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.live.classify import evaluate
from shopgen.live.intent import DEFAULT_MODEL, LABELS, SEED, text_features
from shopgen.live.normalize import normalize
from shopgen.models.textclf import LinearTextClassifier, from_logistic, read_labelled
from shopgen.text.vectorize import build_vocab, tfidf_rows

PREFIXES = ("姐妹们", "家人们", "宝宝们", "主播", "老铁", "请问", "那个", "哎", "我想问下", "亲")
SUFFIXES = ("!", "?", "~", "啊", "呀", "呢", "哈", "了", "哈哈", "!!", "。", "吧", "...")
EMOJI = ("😂", "👍", "❤️", "🙏", "😭", "🔥", "[doge]", "[笑哭]", "😊", "🥰")
PRODUCTS = (
    ("口红", "面膜", "精华", "粉底液", "面霜", "眼影", "洗面奶", "香水", "防晒"),
    ("衣服", "裙子", "裤子", "外套", "T恤", "鞋子", "羽绒服", "毛衣", "衬衫", "卫衣"),
    ("零食", "牛肉干", "坚果", "螺蛳粉", "饼干", "咖啡", "茶叶", "辣条"),
    ("耳机", "充电宝", "手机壳", "键盘", "音箱", "手表", "数据线", "平板"),
    ("锅", "枕头", "床单", "拖把", "被子", "电饭煲", "空气炸锅", "保温杯", "收纳盒"),
)
TYPOS = (
    ("怎么", "怎莫"),
    ("怎么", "咋"),
    ("什么", "啥"),
    ("什么", "神马"),
    ("吗", "嘛"),
    ("吗", "么"),
    ("的", "滴"),
    ("这个", "这款"),
    ("没有", "木有"),
    ("可以", "可"),
    ("喜欢", "稀饭"),
    ("是不是", "是否"),
)


def _swap_product(text: str, rng: random.Random) -> str | None:
    for group in PRODUCTS:
        for noun in sorted(group, key=len, reverse=True):
            if noun in text:
                return text.replace(noun, rng.choice([g for g in group if g != noun]), 1)
    return None


def augment_one(text: str, rng: random.Random) -> str:
    """One random variant of ``text`` (one to three edits)."""
    out = text
    for _ in range(rng.randint(1, 3)):
        op = rng.randrange(7)
        if op == 0:
            out = rng.choice(PREFIXES) + rng.choice(("", "，", " ")) + out
        elif op == 1:
            out = out + rng.choice(SUFFIXES)
        elif op == 2:
            pos = rng.choice((0, len(out)))
            out = out[:pos] + rng.choice(EMOJI) * rng.randint(1, 3) + out[pos:]
        elif op == 3 and out:
            i = rng.randrange(len(out))
            out = out[: i + 1] + out[i] * rng.randint(2, 4) + out[i + 1 :]
        elif op == 4:
            out = _swap_product(out, rng) or out
        elif op == 5:
            options = [(a, b) for a, b in TYPOS if a in out]
            if options:
                a, b = rng.choice(options)
                out = out.replace(a, b, 1)
        elif op == 6:
            out = "".join(c for c in out if c not in "，,。!！?？ ") or out
    return out


def augment(texts: list[str], labels: list[str], per_text: int = 8, seed: int = 13) -> tuple[list[str], list[str]]:
    """The seed lines plus ``per_text`` distinct variants of each (fewer if edits collide)."""
    rng = random.Random(seed)
    out_t, out_l, seen = [], [], set()
    for text, label in zip(texts, labels):
        variants = [text] + [augment_one(text, rng) for _ in range(per_text * 2)]
        kept = 0
        for v in variants:
            key = (normalize(v).key, label)
            if key in seen or kept > per_text:
                continue
            seen.add(key)
            out_t.append(v)
            out_l.append(label)
            kept += 1
    return out_t, out_l


def fit(
    texts: list[str], labels: list[str], *, c: float = 8.0, min_df: int = 1, meta: dict | None = None
) -> LinearTextClassifier:
    """Multinomial logistic regression (lbfgs, balanced classes) on the tf-idf rows."""
    if len(set(labels)) < 2:
        raise InvalidInput("training needs at least two labels")
    lm = require("sklearn.linear_model", "insight")
    feats = [text_features(t) for t in texts]
    vocab, idf = build_vocab(feats, min_df)
    present = [lb for lb in LABELS if lb in set(labels)]
    x = tfidf_rows(feats, vocab, idf).to_csr(len(vocab))
    y = np.array([present.index(lb) for lb in labels])
    clf = lm.LogisticRegression(C=c, max_iter=3000, class_weight="balanced", tol=1e-6)
    clf.fit(x, y)
    import sklearn

    meta = {
        **(meta or {}),
        "features": "live-chars",
        "c": c,
        "min_df": min_df,
        "n_train": len(texts),
        "n_features": len(vocab),
        "sklearn": sklearn.__version__,
        "description": "char 1-3-grams of ^normalised$ + emoji flag, tf-idf",
    }
    return LinearTextClassifier(tuple(present), vocab, idf, *from_logistic(clf), meta)


def train(
    data: str | Path = SEED,
    out: str | Path = DEFAULT_MODEL,
    *,
    per_text: int = 8,
    seed: int = 13,
    c: float = 8.0,
    eval_path: str | Path | None = None,
) -> dict:
    """Train from a seed file and write the model; returns a summary (with held-out figures if asked)."""
    texts, labels = read_labelled(data, LABELS)
    aug_t, aug_l = augment(texts, labels, per_text, seed)
    digest = hashlib.sha256(Path(data).read_bytes()).hexdigest()
    meta = {
        "seed_file": Path(data).name,
        "seed_sha256": digest,
        "data_sha256": digest,
        "n_seed": len(texts),
        "augment_per_text": per_text,
        "augment_seed": seed,
        "script": "python -m shopgen.live.train",
    }
    model = fit(aug_t, aug_l, c=c, meta=meta)
    summary = {"model": str(out), "n_seed": len(texts), "n_train": len(aug_t), "n_features": len(model.vocab)}
    if eval_path:
        ev = evaluate(model, eval_path)
        model.meta["heldout"] = {
            "file": Path(eval_path).name,
            "n": ev["n"],
            "accuracy": ev["accuracy"],
            "macro_f1": ev["macro_f1"],
        }
        summary["heldout"] = ev
    model.save(out)
    return summary


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m shopgen.live.train", description=__doc__.splitlines()[0])
    p.add_argument("--data", default=str(SEED))
    p.add_argument("--out", default=str(DEFAULT_MODEL))
    p.add_argument("--eval", dest="eval_path", default=None)
    p.add_argument("--augment", type=int, default=8)
    p.add_argument("--seed", type=int, default=13)
    p.add_argument("--c", type=float, default=8.0)
    a = p.parse_args(argv)
    r = train(a.data, a.out, per_text=a.augment, seed=a.seed, c=a.c, eval_path=a.eval_path)
    print(json.dumps(r, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
