"""Platform main images (主图): the cut-out centred on a plain canvas with a soft contact shadow.

Scale rule: the product's bounding box is scaled so that it fills ``fill`` (default 0.80, allowed
0.70–0.85) of the canvas along its limiting side — the longer relative side — so a tall bottle
and a wide keyboard both end up as large as the frame allows; its centre sits 3% of the canvas
above the middle to leave room for the shadow. Sizes: ``1:1`` 800×800, ``3:4`` 750×1000,
or any ``W×H``.
"""

from __future__ import annotations

import re

from shopgen.core.errors import InvalidInput
from shopgen.visual import colour as col
from shopgen.visual.render import paste_product

SIZES = {"1:1": (800, 800), "3:4": (750, 1000)}
FILL_RANGE = (0.70, 0.85)


def parse_size(size: str) -> tuple[int, int]:
    if size in SIZES:
        return SIZES[size]
    m = re.fullmatch(r"(\d{2,4})[x×](\d{2,4})", size.strip())
    if not m:
        raise InvalidInput(f"size: {size!r} is not 1:1, 3:4 or WxH", {"field": "size"})
    w, h = int(m.group(1)), int(m.group(2))
    if not (100 <= w <= 4000 and 100 <= h <= 4000):
        raise InvalidInput("size: each side must be 100–4000 px", {"field": "size"})
    return w, h


def main_image(product, size: str = "1:1", background: str = "#ffffff", fill: float = 0.80, shadow: bool = True):
    """``product``: the RGBA cut-out cropped to the product. Returns (RGB image, placement dict)."""
    from PIL import Image

    if not FILL_RANGE[0] <= fill <= FILL_RANGE[1]:
        raise InvalidInput(f"fill: {fill} is outside {FILL_RANGE[0]}–{FILL_RANGE[1]}", {"field": "fill"})
    w, h = parse_size(size)
    try:
        bg = col.parse_colour(background)
    except ValueError as exc:
        raise InvalidInput(f"background: {exc}", {"field": "background"}) from exc
    pw, ph = product.size
    s = min(fill * w / pw, fill * h / ph)
    nw, nh = max(1, round(pw * s)), max(1, round(ph * s))
    x = (w - nw) // 2
    y = (h - nh) // 2 - round(0.03 * h)
    canvas = Image.new("RGB", (w, h), bg)
    paste_product(canvas, product, (x, y, nw, nh), shadow)
    rel = max(nw / w, nh / h)
    return canvas, {"box": [x, y, nw, nh], "fill": round(rel, 4), "size": [w, h], "background": col.hex_colour(bg)}
