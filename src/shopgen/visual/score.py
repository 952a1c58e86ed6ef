"""Scoring a design by what can be measured on the rendered picture.

Hard rules (a candidate that breaks one is ranked below every one that does not):
- ``overlap_px``: pixels where a drawn line of text (or a pill) covers the product (alpha > 8/255): must be 0;
- WCAG AA: each text's contrast against the pixels under it (5th percentile) ≥ 4.5:1, or ≥ 3:1
  for large text (≥ 24 px, or ≥ 19 px bold);
- every text and pill inside the safe margin.
Soft criteria, each in [0, 1]: ``alignment`` (text blocks share one left edge or one centre line),
``occupancy`` (product covers 25–55% of the canvas), ``text_share`` (text covers 8–30%),
``contrast`` (worst AA margin, capped at 2× the requirement). ``total`` is their weighted sum.
"""

from __future__ import annotations

import numpy as np

from shopgen.visual import colour as col
from shopgen.visual.design import Design
from shopgen.visual.render import line_boxes, render_png

WEIGHTS = {"contrast": 0.3, "alignment": 0.25, "occupancy": 0.25, "text_share": 0.2}


def large_text(size: int, bold: bool) -> bool:
    return size >= 24 or (bold and size >= 19)


def product_mask(design: Design, product) -> np.ndarray:
    from PIL import Image

    mask = np.zeros((design.height, design.width), bool)
    if product is None:
        return mask
    for e in design.elements:
        if e.kind == "product":
            x, y, w, h = e.box
            a = np.asarray(product.getchannel("A").resize((w, h), Image.BILINEAR)) > 8
            x0, y0 = max(0, x), max(0, y)
            x1, y1 = min(design.width, x + w), min(design.height, y + h)
            mask[y0:y1, x0:x1] |= a[y0 - y : y1 - y, x0 - x : x1 - x]
    return mask


def _band(score: float, lo: float, hi: float) -> float:
    if lo <= score <= hi:
        return 1.0
    d = lo - score if score < lo else score - hi
    return max(0.0, 1.0 - d / max(lo, 0.1))


def score_design(design: Design, product, backdrop=None) -> dict:
    """Measures and rules for ``design`` (see the module doc); stores them in ``design.score``."""
    w, h, m = design.width, design.height, design.margin
    mask = product_mask(design, product)
    back = np.asarray(backdrop if backdrop is not None else render_png(design, product, text=False))
    overlap, worst_margin, text_px = 0, np.inf, np.zeros((h, w), bool)
    failures, anchors_left, anchors_centre, inside = [], set(), set(), True
    for e in design.elements:
        if not e.is_text:
            continue
        x, y, bw, bh = e.box
        if x < m or y < m or x + bw > w - m or y + bh > h - m:
            inside = False
        if e.kind != "text":  # a pill is solid: the whole pill must stay off the product
            overlap += int(mask[max(0, y) : y + bh, max(0, x) : x + bw].sum())
        f = e.props["font"]
        need = col.AA_LARGE if large_text(f["size"], f["bold"]) else col.AA_BODY
        colour = col.parse_colour(e.props["colour"])
        for x0, y0, x1, y1 in line_boxes(e):
            x0, y0, x1, y1 = max(0, x0), max(0, y0), min(w, x1), min(h, y1)
            if x1 <= x0 or y1 <= y0:
                continue
            if e.kind == "text":
                overlap += int(mask[y0:y1, x0:x1].sum())
            text_px[y0:y1, x0:x1] = True
            ratio = col.contrast_against(colour, back[y0:y1, x0:x1])
            worst_margin = min(worst_margin, ratio / need)
            if ratio < need:
                failures.append({"element": e.id, "contrast": round(ratio, 2), "need": need})
        if e.kind == "text":
            (anchors_centre if e.props.get("align") == "center" else anchors_left).add(
                x + bw // 2 if e.props.get("align") == "center" else x
            )
    anchors = len(anchors_left) + len(anchors_centre)
    prod = next((e for e in design.elements if e.kind == "product"), None)
    occupancy = float(mask.mean()) if prod else 0.0
    bbox_share = prod.box[2] * prod.box[3] / (w * h) if prod else 0.0
    parts = {
        "contrast": float(min(1.0, max(0.0, (worst_margin - 1.0)) / 1.0)) if np.isfinite(worst_margin) else 0.0,
        "alignment": 1.0 / max(1, anchors),
        "occupancy": _band(bbox_share, 0.25, 0.55),
        "text_share": _band(float(text_px.mean()), 0.08, 0.3),
    }
    total = sum(WEIGHTS[k] * v for k, v in parts.items())
    result = {
        "overlap_px": overlap,
        "aa_pass": not failures,
        "contrast_failures": failures,
        "min_contrast_margin": round(float(worst_margin), 3) if np.isfinite(worst_margin) else None,
        "inside_margins": inside,
        "eligible": overlap == 0 and not failures and inside,
        "product_pixels_share": round(occupancy, 4),
        "product_box_share": round(bbox_share, 4),
        "text_share": round(float(text_px.mean()), 4),
        **{k: round(v, 4) for k, v in parts.items()},
        "total": round(total, 4),
    }
    design.score = result
    return result


def rank(designs: list[Design]) -> list[Design]:
    """Eligible designs first, then by total score, best first."""
    return sorted(designs, key=lambda d: (not d.score["eligible"], -d.score["total"]))
