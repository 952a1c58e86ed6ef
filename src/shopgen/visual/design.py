"""The layered design document: a canvas with elements (background, shapes, product, text, price
tag, badge, button), each with its box, font and colours. It is what the renderer draws, what the
scorer measures, what ``to_dict``/``from_dict`` write as the editable JSON, and what the studio
edits and re-renders.

Formats (name → width × height): ``feed`` 1080×1080 (1:1), ``detail`` 1080×1440 (3:4 detail
header), ``story`` 1080×1920 (9:16), ``banner`` 1200×400, ``live`` 750×1000 (live-room cover).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from shopgen.core.errors import InvalidInput

FORMATS: dict[str, tuple[int, int, str]] = {
    "feed": (1080, 1080, "1:1 信息流"),
    "detail": (1080, 1440, "3:4 详情页头图"),
    "story": (1080, 1920, "9:16 竖版故事"),
    "banner": (1200, 400, "1200×400 横幅"),
    "live": (750, 1000, "750×1000 直播间封面"),
}
VERSION = 1
_PRICE = re.compile(r"^\d{1,7}(\.\d{1,2})?$")


def check_format(name: str) -> tuple[int, int, str]:
    try:
        return FORMATS[name]
    except KeyError:
        raise InvalidInput(f"unknown format {name!r}; valid: {', '.join(FORMATS)}", {"field": "format"}) from None


@dataclass
class PosterCopy:
    """What a design says. ``selling_points``: 1–4 short phrases; ``price`` like ``69`` or ``69.00``."""

    title: str
    selling_points: list[str]
    price: str
    original_price: str | None = None
    promotion: str | None = None  # badge text, e.g. 限时直降
    cta: str | None = "立即抢购"
    brand: str | None = None

    def check(self) -> PosterCopy:
        def need(cond: bool, fld: str, msg: str) -> None:
            if not cond:
                raise InvalidInput(f"{fld}: {msg}", {"field": fld})

        self.title = " ".join(str(self.title or "").split())
        need(1 <= len(self.title) <= 60, "title", "1–60 characters")
        self.selling_points = [" ".join(str(s).split()) for s in (self.selling_points or []) if str(s).strip()]
        need(1 <= len(self.selling_points) <= 4, "selling_points", "give 1–4 selling points")
        for i, s in enumerate(self.selling_points):
            need(len(s) <= 40, f"selling_points[{i}]", "at most 40 characters")
        self.price = str(self.price or "").strip().lstrip("¥￥")
        need(bool(_PRICE.match(self.price)), "price", "a number such as 69 or 69.90")
        if self.original_price:
            self.original_price = str(self.original_price).strip().lstrip("¥￥")
            need(bool(_PRICE.match(self.original_price)), "original_price", "a number such as 99")
        for fld, limit in (("promotion", 12), ("cta", 8), ("brand", 16)):
            value = getattr(self, fld)
            if value is not None:
                value = " ".join(str(value).split()) or None
                setattr(self, fld, value)
                need(value is None or len(value) <= limit, fld, f"at most {limit} characters")
        return self

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class Element:
    id: str  # unique in the design: background, deco, product, shadow, title, point0…, price, badge, cta, brand
    kind: str  # background | shape | product | text | price | badge | button
    box: list[int]  # x, y, width, height in canvas pixels
    props: dict = field(default_factory=dict)

    @property
    def is_text(self) -> bool:
        return self.kind in ("text", "price", "badge", "button")


@dataclass
class Design:
    format: str
    width: int
    height: int
    template: str
    style: str
    palette: dict
    elements: list[Element]
    product_src: str = ""  # key or file name of the cut-out the product element shows
    score: dict | None = None

    def element(self, id_: str) -> Element:
        for e in self.elements:
            if e.id == id_:
                return e
        raise InvalidInput(f"no element {id_!r} in this design", {"field": id_})

    @property
    def margin(self) -> int:
        return safe_margin(self.width, self.height)

    def to_dict(self) -> dict:
        return {
            "version": VERSION,
            "format": self.format,
            "width": self.width,
            "height": self.height,
            "template": self.template,
            "style": self.style,
            "palette": self.palette,
            "product_src": self.product_src,
            "safe_margin": self.margin,
            "elements": [asdict(e) for e in self.elements],
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, d: dict) -> Design:
        try:
            if d.get("version") != VERSION:
                raise InvalidInput(f"version: expected {VERSION}, got {d.get('version')!r}", {"field": "version"})
            check_format(d["format"])
            elements = [
                Element(e["id"], e["kind"], [int(v) for v in e["box"]], dict(e.get("props") or {}))
                for e in d["elements"]
            ]
            return cls(
                d["format"],
                int(d["width"]),
                int(d["height"]),
                d.get("template", "custom"),
                d.get("style", "custom"),
                dict(d.get("palette") or {}),
                elements,
                d.get("product_src", ""),
                d.get("score"),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise InvalidInput(f"not a design document: {exc}", {"field": str(exc)}) from exc


def safe_margin(width: int, height: int) -> int:
    """Text and badges stay this far inside the canvas (5% of the shorter side, at least 16 px)."""
    return max(16, round(0.05 * min(width, height)))
