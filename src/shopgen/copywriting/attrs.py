"""Facts: the ``(key, value)`` pairs a piece of copy may state, from AdvertiseGen strings or the catalog.

Keys may repeat (an AdvertiseGen item often has several 风格 or 图案), so facts are a list, not a dict.

>>> parse_attrs("类型#上衣*材质#牛仔布*风格#简约*风格#街头")
[('类型', '上衣'), ('材质', '牛仔布'), ('风格', '简约'), ('风格', '街头')]
>>> format_attrs([('类型', '上衣'), ('颜色', '白色')])
'类型#上衣*颜色#白色'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from shopgen.core.errors import InvalidInput

Fact = tuple[str, str]
Facts = list[Fact]

# AdvertiseGen's own separators; a stray one inside a value would make the string ambiguous.
_PAIR_SEP, _KV_SEP = "*", "#"


def parse_attrs(text: str) -> Facts:
    """Parse ``类型#上衣*材质#牛仔布`` into ``[(key, value), ...]``.

    Raises InvalidInput naming the first malformed pair (missing ``#``, empty key or value).
    """
    if not isinstance(text, str) or not text.strip():
        raise InvalidInput("attributes are empty; expected e.g. '类型#上衣*材质#牛仔布'")
    facts: Facts = []
    for i, pair in enumerate(text.strip().split(_PAIR_SEP), start=1):
        pair = pair.strip()
        if not pair:
            raise InvalidInput(f"attribute {i} is empty (two '*' in a row or a trailing '*') in {text!r}")
        key, sep, value = pair.partition(_KV_SEP)
        key, value = key.strip(), value.strip()
        if not sep:
            raise InvalidInput(f"attribute {i} {pair!r} has no '#'; expected key#value, e.g. '颜色#白色'")
        if not key or not value:
            raise InvalidInput(f"attribute {i} {pair!r} needs both a key and a value (key#value)")
        if _KV_SEP in value:
            raise InvalidInput(f"attribute {i} {pair!r} has more than one '#'")
        facts.append((key, value))
    return facts


def format_attrs(facts: Iterable[Fact]) -> str:
    """The inverse of :func:`parse_attrs`."""
    return _PAIR_SEP.join(f"{k}{_KV_SEP}{v}" for k, v in facts)


def check_facts(facts: Any) -> Facts:
    """Accept facts as a list of pairs, a mapping, or an AdvertiseGen string; raise InvalidInput otherwise."""
    if isinstance(facts, str):
        return parse_attrs(facts)
    if isinstance(facts, Mapping):
        facts = list(facts.items())
    out: Facts = []
    for i, pair in enumerate(facts or [], start=1):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            raise InvalidInput(f"fact {i} must be a (key, value) pair, got {pair!r}")
        k, v = str(pair[0]).strip(), str(pair[1]).strip()
        if k and v:
            out.append((k, v))
    if not out:
        raise InvalidInput("no facts given: copy must be grounded in at least one product fact")
    return out


def values_of(facts: Iterable[Fact], key: str) -> list[str]:
    return [v for k, v in facts if k == key]


def field(obj: Any, name: str, default: Any = None) -> Any:
    """``obj[name]`` for a mapping, ``obj.name`` otherwise (products, results, their dicts)."""
    if isinstance(obj, Mapping):
        return obj.get(name, default)
    return getattr(obj, name, default)


def _attributes(product: Any) -> list[tuple[str, str]]:
    raw = field(product, "attributes") or []
    if isinstance(raw, Mapping):
        return [(str(k), str(v)) for k, v in raw.items()]
    out = []
    for a in raw:  # ORM ProductAttribute rows or {"name", "value"} dicts
        name, value = field(a, "name"), field(a, "value")
        if name and value:
            out.append((str(name), str(value)))
    return out


def _price(value: Any) -> str | None:
    if value in (None, ""):
        return None
    try:
        d = Decimal(str(value))
    except InvalidOperation:
        return None
    return f"{d.normalize():f}元" if d == d.to_integral() else f"{d:.2f}元"


def _unique(values: Iterable[Any]) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        if v not in (None, ""):
            seen.setdefault(str(v), None)
    return list(seen)


def product_facts(product: Any) -> Facts:
    """Facts of a catalog product (an ORM ``Product`` or its dict form, as in the demo JSONL).

    Gives 品名, 类型, 品牌, 价格 (each price a shopper pays: a variant's own price, else the
    product's), every 颜色 and 尺码 of its variants (sold-out ones too: they are
    still true facts), then its attributes in their own order.

    Raises InvalidInput when the product has no title.
    """
    title = field(product, "title")
    if not title:
        raise InvalidInput(f"product {field(product, 'sku', '?')} has no title")
    facts: Facts = [("品名", str(title))]
    for key, name in (("类型", "category"), ("品牌", "brand")):
        if field(product, name):
            facts.append((key, str(field(product, name))))
    variants = field(product, "variants") or []
    # the prices a shopper pays: a variant's own price, else the product's (never a product price
    # that every variant overrides: after a price change, stale variant prices are what checkout charges)
    base = _price(field(product, "price"))
    prices = _unique([_price(field(v, "price")) or base for v in variants] if variants else [base])
    facts += [("价格", p) for p in prices]
    facts += [("颜色", c) for c in _unique(field(v, "color") for v in variants)]
    facts += [("尺码", s) for s in _unique(field(v, "size") for v in variants)]
    facts += _attributes(product)
    return facts
