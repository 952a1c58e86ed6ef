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

Features (:func:`features`, registered as ``"live-chars"``) of the *normalised* text
(:func:`shopgen.live.normalize.normalize`): character 1–3-grams of ``^text$`` (the anchors let "1"
alone differ from the 1 in "1米6"), plus an emoji flag. The model is shopgen's one linear text
classifier (:class:`shopgen.models.textclf.LinearTextClassifier`: sublinear-tf × idf rows,
L2-normalised, softmax over the labels) in its one file format, with the seed file's hash and the
augmentation settings in its ``meta``. A small rule layer (:data:`RULES`) answers the very short,
unambiguous comments first.
"""

from __future__ import annotations

import re
from pathlib import Path

from shopgen.core.errors import ConfigError
from shopgen.live.normalize import normalize
from shopgen.models.textclf import LinearTextClassifier
from shopgen.text.features import register as register_features

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


def text_features(text: str) -> list[str]:
    """:func:`features` of a raw comment (normalised first): what ``"live-chars"`` names."""
    n = normalize(text)
    return features(n.key, n.has_emoji)


register_features("live-chars", text_features)


def load(name: str | Path | None = None) -> LinearTextClassifier:
    """The shipped model (``None`` or ``"default"``) or one trained with ``shopgen live train``.
    Raises ConfigError for a missing or foreign file. The runtime caches what this loads."""
    path = DEFAULT_MODEL if name in (None, "default") else Path(name)
    model = LinearTextClassifier.load(path, "live intent model")
    if model.features != "live-chars":
        raise ConfigError(f"{path} is not a live intent model (its features are {model.features!r})")
    return model
