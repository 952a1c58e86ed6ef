"""Posters and banners: every format's candidates obey the hard rules, the layered JSON re-renders
to the same picture, edits re-fit and re-score, and copy that cannot fit names its field."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from pathlib import Path

import numpy as np
import pytest

from shopgen.core.errors import InvalidInput
from shopgen.visual import poster
from shopgen.visual.design import FORMATS, Design, PosterCopy
from shopgen.visual.render import render_png
from shopgen.visual.score import product_mask, score_design
from shopgen.visual.typography import check_kinsoku

pytestmark = pytest.mark.usefixtures("cjk")


def _copy(**kw) -> PosterCopy:
    base = dict(
        title="温和保湿面霜 敏感肌可用",
        selling_points=["神经酰胺修护屏障", "无香精无酒精，敏感肌可用", "质地轻薄好吸收"],
        price="129",
        original_price="169",
        promotion="限时直降",
        brand="润研",
    )
    return PosterCopy(**{**base, **kw})


@pytest.mark.parametrize("fmt", list(FORMATS))
def test_every_format_has_ranked_candidates_that_obey_the_rules(product, fmt):
    ds = poster.candidates(product, _copy(), fmt)
    w, h, _ = FORMATS[fmt]
    assert len(ds) >= 6 and all((d.width, d.height) == (w, h) for d in ds)
    assert [d.score["total"] for d in ds if d.score["eligible"]] == sorted(
        (d.score["total"] for d in ds if d.score["eligible"]), reverse=True
    )
    best = ds[0]
    assert best.score["eligible"] and best.score["overlap_px"] == 0 and best.score["aa_pass"]
    for e in best.elements:
        if e.is_text:
            assert check_kinsoku(e.props["lines"])
    assert {e.id for e in best.elements} >= {"background", "product", "title", "price", "badge", "cta"}


def test_text_never_covers_the_product_pixels(product):
    d = poster.candidates(product, _copy(), "feed")[0]
    mask = product_mask(d, product)
    for e in d.elements:
        if e.is_text:
            x, y, bw, bh = e.box
            assert not mask[y : y + bh, x : x + bw].any(), e.id


def test_overlap_is_measured(product):
    d = poster.candidates(product, _copy(), "feed")[0]
    prod = d.element("product")
    d.element("title").box[:2] = prod.box[:2]  # drag the title onto the product
    d.element("title").box[0] += prod.box[2] // 3
    d.element("title").box[1] += prod.box[3] // 2
    s = score_design(d, product)
    assert s["overlap_px"] > 0 and not s["eligible"]


def test_layered_json_round_trip_renders_the_same_picture(product, tmp_path):
    d = poster.candidates(product, _copy(), "live")[0]
    files = poster.export(d, product, tmp_path, "x")
    doc = json.loads(Path(files["json"]).read_text(encoding="utf-8"))
    assert doc["version"] == 1 and doc["width"] == 750 and doc["elements"][0]["id"] == "background"
    title = next(e for e in doc["elements"] if e["id"] == "title")
    assert set(title["props"]["font"]) == {"family", "size", "bold"} and title["props"]["colour"].startswith("#")
    again = render_png(Design.from_dict(doc), product)
    assert np.array_equal(np.asarray(again), np.asarray(render_png(d, product)))
    svg = ET.parse(files["svg"]).getroot()
    texts = "".join(t.text or "" for t in svg.iter("{http://www.w3.org/2000/svg}text"))
    assert "¥129" in texts and svg.get("width") == "750"


def test_edit_text_and_colour_re_renders_and_re_scores(product):
    d = poster.candidates(product, _copy(), "feed")[0]
    poster.apply_edits(d, {"title": {"text": "新品面霜", "colour": "#102030"}}, product)
    t = d.element("title")
    assert t.props["lines"] == ["新品面霜"] and t.props["colour"] == "#102030" and d.score is not None
    with pytest.raises(InvalidInput, match="^标题（title）："):
        poster.apply_edits(d, {"title": {"text": "超长标题" * 30}}, product)
    with pytest.raises(InvalidInput, match="title.colour"):
        poster.apply_edits(d, {"title": {"colour": "red-ish"}}, product)
    with pytest.raises(InvalidInput, match="no element 'nope'"):
        poster.apply_edits(d, {"nope": {"text": "x"}}, product)


def test_copy_that_cannot_fit_names_the_field(product):
    with pytest.raises(InvalidInput, match="^selling_points\\[0\\]"):
        poster.candidates(product, _copy(selling_points=["超" * 41]), "feed")
    with pytest.raises(InvalidInput, match="^price"):
        poster.candidates(product, _copy(price="免费"), "feed")
    with pytest.raises(InvalidInput, match="^title"):
        poster.candidates(product, _copy(title="长" * 61), "feed")


def test_palette_colours_pass_contrast(product):
    from shopgen.visual import colour as col

    for style in ("light", "dark", "accent"):
        pal = poster.design_palette(np.asarray(product), style)
        assert col.contrast(col.parse_colour(pal["on_accent"]), col.parse_colour(pal["accent"])) >= 4.5
        assert col.contrast(col.parse_colour(pal["ink"]), col.parse_colour(pal["bg"])) >= 4.5
