"""The live-comment intent model: a multinomial logistic regression over character n-grams,
stored as plain arrays and scored in numpy only.

Labels (see ``data/intent_seed.jsonl`` for examples):

========== =====================================================================================
buy        wants it now or has just bought: 扣1, 已拍, 上链接, 怎么买, 想要白色的
ask        a question about product / price / stock / shipping / use: 这件有XL吗, 包邮吗
rate       a short verdict or score without an account of use: 好评, 五星, 性价比很高, 垃圾
review     an account of having used the product: 上次买的穿了一个月没起球
complain   dissatisfaction with delivery, service, the stream or the host: 发货太慢, 直播卡死了
return     a return / refund / exchange request or question: 怎么退货, 能换大一码吗
recommend  asks for or gives a recommendation: 学生党推荐哪款, 姐妹们这个可以冲
other      greetings, chit-chat, emoji: 主播好漂亮, 来了来了, 666
========== =====================================================================================

Features (:func:`features`) of the *normalised* text (:func:`shopgen.live.normalize.normalize`):
character 1–3-grams of ``^text$`` (the anchors let "1" alone differ from the 1 in "1米6"), plus an
emoji flag. Rows are sublinear-tf × idf, L2-normalised; ``scores = X · W + b``, softmax over labels.

File format: one compressed ``.npz`` (float16 ``coef`` of shape features × labels, the vocabulary as
one NUL-joined string, ``labels``, and a JSON ``meta`` with provenance: seed file hash, augmentation
settings, scikit-learn version, held-out figures). Loading never unpickles anything.
A small rule layer (:data:`RULES`) answers the very short, unambiguous comments first.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from shopgen.models import npz
from shopgen.text.vectorize import Sparse, tfidf_feature_rows

LABELS = ("buy", "ask", "rate", "review", "complain", "return", "recommend", "other")
DATA = Path(__file__).parent / "data"
DEFAULT_MODEL = DATA / "live-intent.npz"
SEED = DATA / "intent_seed.jsonl"

#: Exact normalised texts (or patterns) that are unambiguous; checked before the model.
RULES: tuple[tuple[re.Pattern, str], ...] = (
    (re.compile(r"^(扣|\+)?[1１一]{1,3}$|^扣[1-9]$|^(已拍|已下单|已付款|已买|拍了|上链接|求链接|链接)[!.]?$"), "buy"),
    (re.compile(r"^(6{2,3}|2333|23333|哈哈|hh+|hhh|啊啊|\[emoji\])$"), "other"),
    (re.compile(r"^(好评|五星好评|差评)[!.]?$"), "rate"),
)


def rule(norm: str) -> str | None:
    for pattern, label in RULES:
        if pattern.match(norm):
            return label
    return None


def features(norm: str, has_emoji: bool = False) -> list[str]:
    chars = "^" + norm.replace(" ", "") + "$"
    out = [chars[i] for i in range(1, len(chars) - 1)]
    for n in (2, 3):
        out.extend(chars[i : i + n] for i in range(len(chars) - n + 1))
    if has_emoji:
        out.append("\x01emoji")
    return out


def tfidf(feats: list[list[str]], vocab: dict[str, int], idf: np.ndarray) -> Sparse:
    """Sublinear-tf × idf rows, L2-normalised (the same weighting as the sentiment model)."""
    return tfidf_feature_rows(feats, vocab, idf)


@dataclass
class IntentModel:
    vocab: dict[str, int]
    idf: np.ndarray
    coef: np.ndarray  # (n_features, n_labels)
    intercept: np.ndarray  # (n_labels,)
    labels: tuple[str, ...] = LABELS
    meta: dict = field(default_factory=dict)

    def rows(self, feats: list[list[str]]) -> Sparse:
        return tfidf(feats, self.vocab, self.idf)

    def proba_features(self, feats: list[list[str]]) -> np.ndarray:
        """Label probabilities, shape (len(feats), n_labels)."""
        k = len(self.labels)
        if not feats:
            return np.zeros((0, k), np.float32)
        m = self.rows(feats)
        contrib = self.coef[m.indices] * m.values[:, None]
        contrib = np.vstack([contrib, np.zeros((1, k), np.float32)])
        logits = np.add.reduceat(contrib, np.minimum(m.indptr[:-1], len(contrib) - 1), axis=0)
        logits[np.diff(m.indptr) == 0] = 0.0
        logits = logits + self.intercept
        logits -= logits.max(axis=1, keepdims=True)
        e = np.exp(logits)
        return e / e.sum(axis=1, keepdims=True)

    def save(self, path: Path | str) -> Path:
        return npz.save(
            path,
            meta=self.meta,
            sort_meta=True,
            strings={"vocab": npz.vocab_terms(self.vocab), "labels": self.labels},
            idf=self.idf.astype(np.float16),
            coef=self.coef.astype(np.float16),
            intercept=self.intercept.astype(np.float32),
        )

    @classmethod
    def load(cls, path: Path | str) -> IntentModel:
        z = npz.load(path, "live intent model", ("vocab", "idf", "coef", "intercept", "labels"))
        return cls(
            vocab=z.vocab(),
            idf=z.arrays["idf"].astype(np.float32),
            coef=z.arrays["coef"].astype(np.float32),
            intercept=z.arrays["intercept"].astype(np.float32),
            labels=tuple(z.strings("labels")),
            meta=z.meta,
        )


_LOCK = threading.Lock()
_CACHE: dict[Path, IntentModel] = {}


def get_model(path: str | Path | None = None) -> IntentModel:
    """Load a model once per path and share it (the default ships with the package)."""
    key = Path(path or DEFAULT_MODEL).resolve()
    with _LOCK:
        if key not in _CACHE:
            _CACHE[key] = IntentModel.load(key)
        return _CACHE[key]
