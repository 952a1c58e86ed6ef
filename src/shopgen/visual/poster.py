"""Posters and banners: palettes from the product, layout candidates per format, scoring and
ranking, editing a layer and re-rendering, export (PNG, SVG, layered JSON)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.visual import colour as col
from shopgen.visual import typography as typo
from shopgen.visual.design import FORMATS, Design, PosterCopy, check_format
from shopgen.visual.layout import STYLES, TEMPLATES, layout, shape_class
from shopgen.visual.render import render_png, render_svg
from shopgen.visual.score import rank, score_design

WHITE, INK = (255, 255, 255), (28, 28, 32)


def design_palette(product_rgba: np.ndarray, style: str) -> dict:
    """Background, text and accent colours from the product's own colours, each pair checked for
    contrast (text ≥ 7:1 on the background where possible, pills ≥ 4.5:1 for their text)."""
    colours = col.palette(product_rgba)
    dom = colours[0]
    accent = col.accent_of(colours)
    if style == "light":
        bg, bg2 = col.mix(dom, WHITE, 0.9), col.mix(dom, WHITE, 0.8)
    elif style == "dark":
        bg, bg2 = col.with_lightness(dom, 0.13, 0.3), col.with_lightness(dom, 0.2, 0.3)
        accent = col.with_lightness(accent, 0.55)
    elif style == "accent":
        bg, bg2 = col.with_lightness(accent, 0.94), col.with_lightness(accent, 0.84)
    else:
        raise InvalidInput(f"unknown style {style!r}; valid: {', '.join(STYLES)}", {"field": "style"})
    darker = bg2 if col.luminance(bg2) < col.luminance(bg) else bg
    lighter = bg if darker is bg2 else bg2
    dark_bg = col.luminance(bg) < 0.18
    if dark_bg:
        ink = (248, 248, 250)
        muted = col.darken_until(col.mix(ink, lighter, 0.25), lighter, 4.6)
    else:
        ink = col.darken_until(col.with_lightness(dom, 0.16), darker, 7.0)
        muted = col.darken_until(col.mix(ink, darker, 0.3), darker, 4.6)
    # the price tag: accent fill with white (or ink) text at ≥ 4.5:1
    on_accent = col.readable_on(accent)
    if col.contrast(on_accent, accent) < 4.6:
        accent = col.darken_until(accent, WHITE, 4.6)
        on_accent = WHITE
    deco = col.mix(accent, bg, 0.82)
    return {
        "bg": col.hex_colour(bg),
        "bg2": col.hex_colour(bg2),
        "deco": col.hex_colour(deco),
        "ink": col.hex_colour(ink),
        "muted": col.hex_colour(muted),
        "accent": col.hex_colour(accent),
        "on_accent": col.hex_colour(on_accent),
        "on_ink": col.hex_colour(col.readable_on(ink)),
        "product": [col.hex_colour(c) for c in colours],
    }


def candidates(product, copy: PosterCopy, fmt: str, product_src: str = "") -> list[Design]:
    """Every template × style for ``fmt``, scored and ranked (best first). ``product``: the RGBA
    cut-out cropped to the product. Raises InvalidInput naming the field when the copy fits no
    template of the format."""
    copy.check()
    w, h, _ = check_format(fmt)
    rgba = np.asarray(product.convert("RGBA"))
    palettes = {s: design_palette(rgba, s) for s in STYLES}
    out, last_error = [], None
    for template in TEMPLATES[shape_class(w, h)]:
        for style in STYLES:
            try:
                d = layout(fmt, template, style, copy, palettes[style], product.size, product_src)
            except InvalidInput as exc:
                last_error = exc
                continue
            score_design(d, product)
            out.append(d)
    if not out:
        raise last_error or InvalidInput(f"尺寸（format）：没有放得下这些文案的 {fmt} 版式", {"field": "format"})
    return rank(out)


def apply_edits(design: Design, edits: dict, product) -> Design:
    """Change texts and colours of elements, re-fit edited text into its box, re-score.

    ``edits``: ``{element_id: {"text"?, "colour"?, "fill"?}}``. Raises InvalidInput naming the
    element (and its field) when a text no longer fits or a colour is malformed.
    """
    for id_, change in (edits or {}).items():
        e = design.element(id_)
        if not isinstance(change, dict):
            raise InvalidInput(f"{id_}: an edit is an object with text/colour/fill", {"field": id_})
        for key in ("colour", "fill"):
            if key in change:
                try:
                    e.props[key] = col.hex_colour(col.parse_colour(str(change[key])))
                except ValueError as exc:
                    raise InvalidInput(f"{id_}.{key}: {exc}", {"field": f"{id_}.{key}"}) from exc
        if "text" in change:
            if not e.is_text:
                raise InvalidInput(f"{id_}: this element has no text", {"field": id_})
            p = p_ = e.props
            pill = e.kind != "text"
            old_size = p["font"]["size"]
            inner_w = e.box[2] - (2 * int(old_size * 0.55) if pill else 0)
            limit_w = max(inner_w, design.width - design.margin - e.box[0] - (2 * int(old_size * 0.55) if pill else 0))
            size, lines = typo.fit(
                str(change["text"]),
                limit_w if pill else e.box[2],
                10_000,
                field=p.get("field", id_),
                max_size=old_size,
                min_size=p.get("size_min", 16),
                max_lines=p.get("max_lines", 2),
                bold=p["font"]["bold"],
                line_height=p.get("line_height", 1.3),
            )
            height = int(round(size * p_.get("line_height", 1.3) * (len(lines) - 1) + size * 1.16))
            old_h = e.box[3] - (2 * int(old_size * 0.28) if pill else 0)
            if height > old_h:
                raise InvalidInput(
                    f"{typo.field_label(p.get('field', id_))}：新文字需要的行数超过了文本框，请缩短",
                    {"field": p.get("field", id_)},
                )
            p["text"], p["lines"], p["font"] = str(change["text"]), lines, {**p["font"], "size": size}
            if pill:
                fnt = typo.font(size, p["font"]["bold"])
                e.box[2] = int(max(typo.text_width(ln, fnt) for ln in lines)) + 1 + 2 * int(size * 0.55)
                e.box[3] = height + 2 * int(size * 0.28)
    score_design(design, product)
    return design


def export(design: Design, product, out_dir: str | Path, stem: str) -> dict:
    """Write ``stem.png``, ``stem.svg`` and ``stem.json`` (the layers) into ``out_dir``."""
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    paths = {"png": out / f"{stem}.png", "svg": out / f"{stem}.svg", "json": out / f"{stem}.json"}
    render_png(design, product).save(paths["png"])
    paths["svg"].write_text(render_svg(design, product), encoding="utf-8")
    paths["json"].write_text(json.dumps(design.to_dict(), ensure_ascii=False, indent=1), encoding="utf-8")
    return {k: str(v) for k, v in paths.items()}


def formats() -> list[dict]:
    return [{"name": k, "width": w, "height": h, "label": label} for k, (w, h, label) in FORMATS.items()]
