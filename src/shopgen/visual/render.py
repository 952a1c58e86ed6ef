"""Drawing a :class:`~shopgen.visual.design.Design`: PNG with Pillow, SVG as text (the product
embedded as a PNG data URI), both from the same elements, so the layered JSON re-renders to the
same picture. Text is drawn with the CJK face from fontconfig at the sizes the layout chose."""

from __future__ import annotations

import base64
import io
from html import escape

import numpy as np

from shopgen.visual import colour as col
from shopgen.visual import typography as typo
from shopgen.visual.design import Design, Element


def _gradient(w: int, h: int, top, bottom) -> np.ndarray:
    t = np.linspace(0, 1, h)[:, None, None]
    a, b = np.array(top, np.float32), np.array(bottom, np.float32)
    return np.broadcast_to(a + (b - a) * t, (h, w, 3)).astype(np.uint8)


def contact_shadow(w: int, h: int, strength: float = 0.32):
    """A soft elliptical shadow (L mask) for a product of ``w``×``h`` standing on a surface."""
    from PIL import Image, ImageDraw, ImageFilter

    sw, sh = max(4, int(w * 0.9)), max(4, int(h * 0.07))
    pad = sh * 2
    im = Image.new("L", (sw + 2 * pad, sh + 2 * pad), 0)
    ImageDraw.Draw(im).ellipse([pad, pad, pad + sw, pad + sh], fill=int(255 * strength))
    return im.filter(ImageFilter.GaussianBlur(max(2, sh * 0.6)))


def paste_product(canvas, product, box, shadow: bool = True) -> None:
    """Scale the RGBA ``product`` into ``box`` on ``canvas`` (RGB), with a contact shadow."""
    from PIL import Image

    x, y, w, h = box
    prod = product.resize((w, h), Image.LANCZOS)
    if shadow:
        sh = contact_shadow(w, h)
        sx = x + (w - sh.size[0]) // 2
        sy = y + h - sh.size[1] // 2 - int(h * 0.01)
        black = Image.new("RGB", sh.size, (20, 20, 24))
        canvas.paste(black, (sx, sy), sh)
    canvas.paste(prod, (x, y), prod)


def _pill(draw, e: Element) -> None:
    x, y, w, h = e.box
    fill = col.parse_colour(e.props["fill"])
    r = h // 2 if e.kind != "price" else max(6, h // 5)
    draw.rounded_rectangle([x, y, x + w, y + h], radius=r, fill=fill)


def text_origin(e: Element) -> tuple[int, int]:
    """Top-left of the text inside its element box (pills are padded)."""
    x, y, _, _ = e.box
    if e.kind == "text":
        return x, y
    size = e.props["font"]["size"]
    return x + int(size * 0.55), y + int(size * 0.28)


def line_boxes(e: Element) -> list[tuple[int, int, int, int]]:
    """Boxes (x0, y0, x1, y1) of each drawn line of text, as placed by the renderer."""
    f = e.props["font"]
    fnt = typo.font(f["size"], f["bold"])
    ox, oy = text_origin(e)
    inner_w = e.box[2] - 2 * (ox - e.box[0])
    out = []
    for i, ln in enumerate(e.props["lines"]):
        lw = int(typo.text_width(ln, fnt))
        lx = ox + ((inner_w - lw) // 2 if e.props.get("align") == "center" and e.kind == "text" else 0)
        ly = oy + int(i * f["size"] * e.props.get("line_height", 1.3))
        out.append((lx, ly, lx + lw, ly + int(f["size"] * 1.16)))
    return out


def render_png(design: Design, product, *, text: bool = True):
    """The design as an RGB ``PIL.Image``; ``text=False`` leaves out the words (the scorer measures
    contrast against what lies under them)."""
    from PIL import Image, ImageDraw

    w, h = design.width, design.height
    canvas = None
    for e in design.elements:
        if e.kind == "background":
            top = col.parse_colour(e.props["fill"])
            canvas = Image.fromarray(
                _gradient(w, h, top, col.parse_colour(e.props.get("fill2", e.props["fill"]))), "RGB"
            )
        elif e.kind == "shape" and canvas is not None:
            layer = Image.new("RGBA", (w, h), (0, 0, 0, 0))
            x, y, bw, bh = e.box
            rgba = (*col.parse_colour(e.props["fill"]), int(255 * e.props.get("opacity", 1)))
            d = ImageDraw.Draw(layer)
            if e.props.get("shape") == "circle":
                d.ellipse([x, y, x + bw, y + bh], fill=rgba)
            else:
                d.rounded_rectangle([x, y, x + bw, y + bh], radius=e.props.get("radius", 0), fill=rgba)
            canvas = Image.alpha_composite(canvas.convert("RGBA"), layer).convert("RGB")
        elif e.kind == "product" and canvas is not None and product is not None:
            paste_product(canvas, product, e.box, e.props.get("shadow", True))
        elif e.is_text and canvas is not None:
            draw = ImageDraw.Draw(canvas)
            if e.kind != "text":
                _pill(draw, e)
            if text:
                _draw_text(draw, e)
    return canvas


def _draw_text(draw, e: Element) -> None:
    f = e.props["font"]
    fnt = typo.font(f["size"], f["bold"])
    colour = col.parse_colour(e.props["colour"])
    for (x0, y0, x1, y1), ln in zip(line_boxes(e), e.props["lines"]):
        draw.text((x0, y0), ln, font=fnt, fill=colour, anchor="la")
        if e.props.get("strike"):
            mid = (y0 + y1) // 2 + 1
            draw.line([x0, mid, x1, mid], fill=colour, width=max(1, f["size"] // 14))


def _png_uri(im) -> str:
    buf = io.BytesIO()
    im.save(buf, "PNG", optimize=False)
    return "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()


def render_svg(design: Design, product) -> str:
    """The design as SVG 1.1 text: gradient, shapes, the product (embedded PNG), pills, text."""
    w, h = design.width, design.height
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" viewBox="0 0 {w} {h}">',
        '<defs><filter id="blur" x="-50%" y="-50%" width="200%" height="200%"><feGaussianBlur stdDeviation="8"/></filter></defs>',
    ]
    for e in design.elements:
        x, y, bw, bh = e.box
        p = e.props
        if e.kind == "background":
            out.append(
                f'<defs><linearGradient id="bg" x1="0" y1="0" x2="0" y2="1"><stop offset="0" stop-color="{p["fill"]}"/>'
                f'<stop offset="1" stop-color="{p.get("fill2", p["fill"])}"/></linearGradient></defs>'
                f'<rect id="background" width="{w}" height="{h}" fill="url(#bg)"/>'
            )
        elif e.kind == "shape":
            op = p.get("opacity", 1)
            if p.get("shape") == "circle":
                out.append(
                    f'<ellipse id="{e.id}" cx="{x + bw / 2}" cy="{y + bh / 2}" rx="{bw / 2}" ry="{bh / 2}" fill="{p["fill"]}" fill-opacity="{op}"/>'
                )
            else:
                out.append(
                    f'<rect id="{e.id}" x="{x}" y="{y}" width="{bw}" height="{bh}" fill="{p["fill"]}" fill-opacity="{op}"/>'
                )
        elif e.kind == "product" and product is not None:
            from PIL import Image

            out.append(
                f'<ellipse cx="{x + bw / 2}" cy="{y + bh}" rx="{bw * 0.45}" ry="{max(3, bh * 0.035)}" fill="#141418" fill-opacity="0.3" filter="url(#blur)"/>'
            )
            out.append(
                f'<image id="product" x="{x}" y="{y}" width="{bw}" height="{bh}" href="{_png_uri(product.resize((bw, bh), Image.LANCZOS))}"/>'
            )
        elif e.is_text:
            out.append(f'<g id="{e.id}">')
            if e.kind != "text":
                r = bh // 2 if e.kind != "price" else max(6, bh // 5)
                out.append(f'<rect x="{x}" y="{y}" width="{bw}" height="{bh}" rx="{r}" fill="{p["fill"]}"/>')
            f = p["font"]
            ascent = typo.font(f["size"], f["bold"]).getmetrics()[0]
            strike = ' text-decoration="line-through"' if p.get("strike") else ""
            for (lx, ly, _, _), ln in zip(line_boxes(e), p["lines"]):
                out.append(
                    f'<text x="{lx}" y="{ly + ascent}" font-family="{escape(f["family"])}, sans-serif" font-size="{f["size"]}" '
                    f'font-weight="{"bold" if f["bold"] else "normal"}" fill="{p["colour"]}"'
                    f"{strike}>{escape(ln)}</text>"
                )
            out.append("</g>")
    out.append("</svg>")
    return "\n".join(out)
