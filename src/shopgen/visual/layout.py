"""Layout candidates: where the product, the copy, the price tag, the badge and the button go.

A template splits the safe area into a product region and a text region (``text-left``,
``text-right``, ``text-top``, ``text-bottom``, ``hero``: title above, price below); a style
picks the background (``light``: a tint of the product's colour; ``dark``: a deep shade;
``accent``: a gradient of its accent colour). The text region is filled top-down in order of
importance (badge, title, selling points, price tag, button) with sizes from the canvas's short
side; when the stack is too tall the sizes shrink together, and when even the smallest sizes do
not fit, the error names the field. The product is scaled to fit its region, so text boxes and
the product never share pixels by construction; the scorer checks that on the real mask anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from shopgen.core.errors import InvalidInput
from shopgen.visual import colour as col
from shopgen.visual import typography as typo
from shopgen.visual.design import Design, Element, PosterCopy, check_format, safe_margin

TEMPLATES = {
    "wide": ("text-left", "text-right", "hero"),
    "square": ("text-left", "text-right", "text-top", "hero"),
    "tall": ("text-top", "text-bottom", "hero"),
}
STYLES = ("light", "dark", "accent")
LINE = 1.3


def shape_class(w: int, h: int) -> str:
    ar = w / h
    return "wide" if ar >= 2 else "tall" if ar < 0.8 else "square"


@dataclass
class Regions:
    product: tuple[int, int, int, int]
    text: tuple[int, int, int, int]  # main text column (x, y, w, h)
    footer: tuple[int, int, int, int] | None  # hero: the price/button band below the product
    align: str  # left | center


def regions(template: str, w: int, h: int) -> Regions:
    m = safe_margin(w, h)
    sx, sy, sw, sh = m, m, w - 2 * m, h - 2 * m
    gap = m // 2
    wide = shape_class(w, h) == "wide"
    if template in ("text-left", "text-right"):
        tw = int(sw * (0.5 if wide else 0.46))
        if template == "text-left":
            return Regions((sx + tw + gap, sy, sw - tw - gap, sh), (sx, sy, tw, sh), None, "left")
        return Regions((sx, sy, sw - tw - gap, sh), (sx + sw - tw, sy, tw, sh), None, "left")
    if template in ("text-top", "text-bottom"):
        th = int(sh * 0.44)
        if template == "text-top":
            return Regions((sx, sy + th + gap, sw, sh - th - gap), (sx, sy, sw, th), None, "center")
        return Regions((sx, sy, sw, sh - th - gap), (sx, sy + sh - th, sw, th), None, "center")
    if template == "hero":
        if wide:  # title and points left, product centre-right, price right
            tw, pw = int(sw * 0.42), int(sw * 0.3)
            return Regions(
                (sx + tw + gap, sy, pw, sh),
                (sx, sy, tw, sh),
                (sx + tw + pw + 2 * gap, sy, sw - tw - pw - 2 * gap, sh),
                "left",
            )
        th, fh = int(sh * 0.3), int(sh * 0.2)
        return Regions(
            (sx, sy + th + gap, sw, sh - th - fh - 2 * gap), (sx, sy, sw, th), (sx, sy + sh - fh, sw, fh), "center"
        )
    raise InvalidInput(f"unknown template {template!r}", {"field": "template"})


def place_product(region, pw: int, ph: int, max_upscale: float = 2.5) -> tuple[int, int, int, int]:
    """The product's box: contained in ``region`` with 4% padding, centred."""
    x, y, w, h = region
    pad = int(0.04 * min(w, h))
    s = min((w - 2 * pad) / pw, (h - 2 * pad) / ph, max_upscale)
    nw, nh = max(1, int(pw * s)), max(1, int(ph * s))
    return x + (w - nw) // 2, y + (h - nh) // 2, nw, nh


def _text_el(id_, kind, text, field, box_w, size_max, size_min, max_lines, bold, colour, align, scale, extra=None):
    if kind != "text":  # a pill's padding (0.55 × size each side) must fit in the column too
        box_w = box_w - 1.1 * max(size_min, size_max * scale)
    size, lines = typo.fit(
        text,
        box_w,
        10_000,
        field=field,
        max_size=max(size_min, int(size_max * scale)),
        min_size=size_min,
        max_lines=max_lines,
        bold=bold,
        line_height=LINE,
    )
    fnt = typo.font(size, bold)
    width = int(max(typo.text_width(ln, fnt) for ln in lines)) + 1
    height = int(round(size * LINE * (len(lines) - 1) + size * 1.16))
    props = {
        "text": text,
        "lines": lines,
        "font": {"family": typo.family(bold), "size": size, "bold": bold},
        "size_max": int(size_max),
        "size_min": size_min,
        "max_lines": max_lines,
        "line_height": LINE,
        "colour": col.hex_colour(colour),
        "align": align,
        "field": field,
    }
    props.update(extra or {})
    return Element(id_, kind, [0, 0, width, height], props)


def _stack(copy: PosterCopy, base: float, box_w: int, pal: dict, align: str, scale: float, fmt: str, footer: bool):
    """The text elements in reading order, sized but not yet positioned."""
    ink, sub, accent = (col.parse_colour(pal[k]) for k in ("ink", "muted", "accent"))
    on_accent = col.parse_colour(pal["on_accent"])
    body_min = 16
    els, tail = [], []
    if copy.promotion:
        els.append(
            _text_el(
                "badge",
                "badge",
                copy.promotion,
                "promotion",
                box_w * 0.8,
                base * 0.034,
                body_min,
                1,
                True,
                on_accent,
                "left",
                scale,
                {"fill": pal["accent"]},
            )
        )
    if copy.brand and fmt != "banner":
        els.append(
            _text_el("brand", "text", copy.brand, "brand", box_w, base * 0.03, body_min, 1, False, sub, align, scale)
        )
    els.append(
        _text_el(
            "title",
            "text",
            copy.title,
            "title",
            box_w,
            base * 0.078,
            22,
            2 if fmt != "story" else 3,
            True,
            ink,
            align,
            scale,
        )
    )
    points = copy.selling_points[:2] if fmt == "banner" else copy.selling_points
    if fmt == "banner":
        els.append(
            _text_el(
                "point0",
                "text",
                " · ".join(points),
                "selling_points",
                box_w,
                base * 0.05,
                body_min,
                1,
                False,
                sub,
                align,
                scale,
            )
        )
    else:
        for i, p in enumerate(points):
            els.append(
                _text_el(
                    f"point{i}",
                    "text",
                    f"✓ {p}" if align == "left" else p,
                    f"selling_points[{i}]",
                    box_w,
                    base * 0.04,
                    body_min,
                    2,
                    False,
                    sub,
                    align,
                    scale,
                )
            )
    price = f"¥{copy.price.removesuffix('.00')}"
    tail.append(
        _text_el(
            "price",
            "price",
            price,
            "price",
            box_w * 0.9,
            base * 0.1,
            24,
            1,
            True,
            on_accent,
            "left",
            scale,
            {"fill": pal["accent"], "original": copy.original_price},
        )
    )
    if copy.original_price:
        tail.append(
            _text_el(
                "original_price",
                "text",
                f"原价 ¥{copy.original_price.removesuffix('.00')}",
                "original_price",
                box_w,
                base * 0.032,
                body_min,
                1,
                False,
                sub,
                align,
                scale,
                {"strike": True},
            )
        )
    if copy.cta:
        tail.append(
            _text_el(
                "cta",
                "button",
                copy.cta,
                "cta",
                box_w * 0.8,
                base * 0.04,
                body_min,
                1,
                True,
                col.parse_colour(pal["on_ink"]),
                "left",
                scale,
                {"fill": pal["ink"]},
            )
        )
    return els, tail


def _pad(e: Element, base: float) -> tuple[int, int]:
    """Padding around the text of a pill (badge, price tag, button)."""
    if e.kind == "text":
        return 0, 0
    size = e.props["font"]["size"]
    return int(size * 0.55), int(size * 0.28)


def _flow(els: list[Element], x: int, y: int, w: int, h: int, align: str, base: float, valign: str = "center") -> bool:
    """Position ``els`` top-down in the box; pills get their padding as their box. False when they overflow."""
    gap = int(base * 0.022)
    sizes = []
    for e in els:
        px, py = _pad(e, base)
        sizes.append((e.box[2] + 2 * px, e.box[3] + 2 * py))
    total = sum(s[1] for s in sizes) + gap * (len(els) - 1)
    if total > h:
        return False
    cy = y + ((h - total) // 2 if valign == "center" else 0)
    for e, (bw, bh) in zip(els, sizes):
        bx = x if align == "left" else x + (w - bw) // 2
        e.box = [bx, cy, bw, bh]
        e.props["align"] = align
        cy += bh + gap
    return True


def layout(
    fmt: str,
    template: str,
    style: str,
    copy: PosterCopy,
    pal: dict,
    product_size: tuple[int, int],
    product_src: str = "",
) -> Design:
    """One candidate. Raises InvalidInput naming the field that cannot fit."""
    w, h, _ = check_format(fmt)
    reg = regions(template, w, h)
    base = float(min(w, h)) if shape_class(w, h) != "wide" else h * 1.15
    px, py, pw, ph = place_product(reg.product, *product_size)
    elements = [
        Element("background", "background", [0, 0, w, h], {"fill": pal["bg"], "fill2": pal["bg2"]}),
        Element(
            "deco",
            "shape",
            _deco_box(px, py, pw, ph, reg.product),
            {"shape": "circle", "fill": pal["deco"], "opacity": 0.55},
        ),
        Element("product", "product", [px, py, pw, ph], {"src": product_src, "shadow": True}),
    ]
    tx, ty, tw, th = reg.text
    scale = 1.0
    while True:
        main, tail = _stack(copy, base, tw, pal, reg.align, scale, fmt, reg.footer is not None)
        if reg.footer is not None:
            fx, fy, fw, fh = reg.footer
            ok = _flow(main, tx, ty, tw, th, reg.align, base) and _flow(tail, fx, fy, fw, fh, reg.align, base)
        else:
            ok = _flow(main + tail, tx, ty, tw, th, reg.align, base)
        if ok:
            break
        scale *= 0.9
        if scale < 0.35:
            longest = max(main, key=lambda e: e.box[3])
            raise InvalidInput(
                f"{typo.field_label(longest.props['field'])}：文案在 {fmt} 尺寸的文字区里放不下（已是最小字号），请缩短",
                {"field": longest.props["field"], "format": fmt},
            )
    elements += main + tail
    return Design(fmt, w, h, template, style, dict(pal), elements, product_src)


def _deco_box(px, py, pw, ph, region) -> list[int]:
    """A soft disc behind the product, clipped to the product region so it never sits under text."""
    rx, ry, rw, rh = region
    d = int(min(max(pw, ph) * 1.05, rw, rh))
    cx, cy = px + pw // 2, py + ph // 2
    x = min(max(rx, cx - d // 2), rx + rw - d)
    y = min(max(ry, cy - d // 2), ry + rh - d)
    return [x, y, d, d]
