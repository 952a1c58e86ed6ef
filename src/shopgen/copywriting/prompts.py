"""Prompts for each kind of copy: a system instruction, the facts (and only the facts), and up to k
exemplars as style guides. Also the per-kind limits and decoding defaults :mod:`generate` enforces.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopgen.copywriting import seasons
from shopgen.copywriting.attrs import Fact
from shopgen.core.errors import InvalidInput
from shopgen.models.llm.base import Message


@dataclass(frozen=True)
class KindSpec:
    min_chars: int  # zh characters; English limits are ``EN_SCALE`` times these
    max_chars: int
    max_tokens: int
    temperature: float
    zh: str
    en: str
    # > 1 discourages repeating tokens (llama.cpp's repeat_penalty); None: the backend's default
    repeat_penalty: float | None = None
    # prose whose length may follow the exemplars' (the shop's house style) within the limits
    length_from_exemplars: bool = False


REPEAT_PENALTY = 1.1  # llama.cpp's usual value; its effect alone was not measured (BENCHMARKS.md, product copy)
EN_SCALE = 3  # an English word is ~5 characters, a Chinese word ~1.7
LIVE_SECTIONS = ("【开场】", "【卖点】", "【价格】", "【下单】")
LIVE_SECTIONS_EN = ("[Hook]", "[Features]", "[Price]", "[Call to action]")

KINDS: dict[str, KindSpec] = {
    "title": KindSpec(
        6,
        30,
        48,
        0.5,
        "写一个商品标题，不超过30个字，包含品类和最重要的卖点，不加引号、不加标点结尾。",
        "Write one product title of at most 90 characters with the category and the key selling point. No quotes.",
    ),
    "description": KindSpec(
        80,
        200,
        320,
        0.6,
        "写一段80到200字的商品描述，一段话，语言自然流畅。",
        "Write a product description of 240 to 600 characters in one paragraph.",
        repeat_penalty=REPEAT_PENALTY,
        length_from_exemplars=True,
    ),
    "selling_points": KindSpec(
        3,
        5,
        256,
        0.6,
        "写3到5条卖点，每条一行，以“- ”开头，每条不超过25个字。",
        "Write 3 to 5 selling points, one per line, each starting with '- '.",
    ),
    "live_script": KindSpec(
        200,
        260,
        480,
        0.7,
        "写一段约60秒的直播口播稿（200到260字），依次分为四段并加标签：【开场】吸引注意的开场钩子，"
        "【卖点】两到三个核心卖点，【价格】报出价格，【下单】号召下单。口语化，像主播在说话。",
        "Write a ~60-second live-stream script (600-780 characters) in four labelled sections: "
        "[Hook] an opening hook, [Features] two or three key features, [Price] the price reveal, "
        "[Call to action] ask viewers to buy now. Spoken style.",
    ),
    "social_post": KindSpec(
        60,
        300,
        420,
        0.8,
        "写一篇小红书风格的种草笔记：第一行是吸睛标题，正文分短段落，适当使用emoji，结尾附3到5个#话题标签。",
        "Write a Xiaohongshu/Instagram-style post: a catchy first line, short paragraphs with emoji, "
        "and 3-5 #hashtags at the end.",
    ),
}

AUDIENCES = {
    "学生党": "面向学生：强调性价比（说出价格）、百搭和青春感，用学生熟悉的场景（上课、宿舍、社团）。",
    "职场女性": "面向职场女性：强调通勤得体、质感和省心打理。",
    "宝妈": "面向宝妈：强调安全、舒适、实用和好打理。",
    "运动爱好者": "面向运动爱好者：强调功能、透气、舒适和耐用。",
    "银发族": "面向中老年人：语言平实，强调舒适、易用和健康安心，不用网络流行语。",
}
TONES = {
    "活泼": "语气活泼亲切，可以用感叹句。",
    "专业": "语气专业克制，用事实说话。",
    "温柔": "语气温柔细腻。",
    "高端": "语气高级简洁，突出质感，不用夸张感叹。",
    "幽默": "语气轻松幽默。",
    "简洁": "语言简洁，不堆砌形容词。",
}
RULES_ZH = (
    "只能使用下面“商品信息”中的事实：不得编造颜色、材质、尺码、价格、数字或功效；信息中没有的就不要提。"
    "遵守《广告法》：不用“最”“第一”“顶级”“绝对”“100%”等极限词，不宣称治疗、祛斑、减肥等医疗功效。"
    "只输出文案本身，不要解释。"
)
RULES_EN = (
    "Use only the facts under 'Product facts': never invent colours, materials, sizes, prices, numbers or "
    "benefits. No superlatives such as 'best', 'No. 1', '100%', and no medical claims. Output only the copy."
)


def check_kind(kind: str) -> KindSpec:
    """Raise InvalidInput listing the valid kinds for an unknown one."""
    if kind not in KINDS:
        raise InvalidInput(f"unknown kind {kind!r}; valid kinds: {', '.join(KINDS)}")
    return KINDS[kind]


def check_lang(lang: str) -> str:
    if lang not in ("zh", "en"):
        raise InvalidInput(f"unknown lang {lang!r}; valid: zh, en")
    return lang


def limits(kind: str, lang: str = "zh") -> tuple[int, int]:
    spec = check_kind(kind)
    if kind == "selling_points":  # counted in bullets, whatever the language
        return spec.min_chars, spec.max_chars
    scale = EN_SCALE if lang == "en" else 1
    return spec.min_chars * scale, spec.max_chars * scale


def exemplar_length(kind: str, exemplars: list[str], lang: str = "zh") -> int | None:
    """The median length of the exemplars, within the kind's limits (None: the kind's own limits apply)."""
    if not exemplars or not check_kind(kind).length_from_exemplars or lang != "zh":
        return None
    low, high = limits(kind, lang)
    sizes = sorted(len("".join(e.split())) for e in exemplars)
    return max(low, min(high, sizes[len(sizes) // 2]))


def _audience_hint(audience: str | None) -> str:
    if not audience:
        return ""
    return AUDIENCES.get(audience, f"面向{audience}：突出这类人群最在意的方面。")


def _tone_hint(tone: str | None) -> str:
    if not tone:
        return ""
    return TONES.get(tone, f"语气：{tone}。")


def system_prompt(kind: str, audience: str | None = None, tone: str | None = None, lang: str = "zh") -> str:
    spec = check_kind(kind)
    if check_lang(lang) == "en":
        extra = (f" Audience: {audience}." if audience else "") + (f" Tone: {tone}." if tone else "")
        return f"You are an e-commerce copywriter. {spec.en}{extra} {RULES_EN}"
    return "".join(["你是资深电商文案。", spec.zh, _audience_hint(audience), _tone_hint(tone), RULES_ZH])


# Paperwork facts: true, checked by grounding, but no shopper reads copy for them. Left out of the
# prompt (a model given 「执行标准：GB/T 22849-2014」 recites it instead of selling the product).
PAPERWORK = frozenset({"执行标准", "安全类别", "货号", "条形码", "生产许可证", "产品标准号", "洗涤说明"})


def facts_block(facts: list[Fact], lang: str = "zh") -> str:
    head = "Product facts:" if lang == "en" else "商品信息："
    return "\n".join([head] + [f"- {k}：{v}" for k, v in facts if k not in PAPERWORK])


def build_messages(
    facts: list[Fact],
    kind: str,
    *,
    audience: str | None = None,
    tone: str | None = None,
    lang: str = "zh",
    exemplars: list[str] | None = None,
    feedback: str | None = None,
    length: int | None = None,
) -> list[Message]:
    """The chat messages for one piece of copy. ``feedback`` names the problems of a rejected attempt;
    ``length`` (characters) asks for about that long, e.g. the exemplars' length."""
    parts = [facts_block(facts, lang)]
    season = seasons.prompt_rule(facts)
    if season:
        if lang == "en":
            names = {"春": "spring", "夏": "summer", "秋": "autumn", "冬": "winter"}
            season = f"Season: {'/'.join(names[x] for x in seasons.allowed(facts))} only; mention no other season."
        parts.append(season)
    if exemplars:
        head = (
            "Example copy (style only; do not copy its facts):"
            if lang == "en"
            else "参考文案（只学习写法和风格，不要照搬其中的事实）："
        )
        parts.append("\n".join([head] + [f"{i}. {e}" for i, e in enumerate(exemplars, 1)]))
    if length:
        parts.append(f"Length: about {length} characters." if lang == "en" else f"篇幅：约{length}字，与参考文案相当。")
    if feedback:
        parts.append(
            ("The previous draft had problems: " if lang == "en" else "上一稿有问题：")
            + feedback
            + (" Rewrite it using only the facts." if lang == "en" else "请只根据商品信息重写。")
        )
    parts.append("Write the copy now." if lang == "en" else "请写文案：")
    return [
        {"role": "system", "content": system_prompt(kind, audience, tone, lang)},
        {"role": "user", "content": "\n\n".join(parts)},
    ]
