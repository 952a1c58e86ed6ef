"""Alpha refinement, the cut-out pipeline (with the fake segmenter) and the cut-out metrics."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from shopgen.core.errors import InvalidInput
from shopgen.visual import alpha
from shopgen.visual.cutout import cut_out
from shopgen.visual.evaluate import boundary_f, evaluate_cutout, iou
from tests.visual.conftest import photo


def test_box_filter_is_the_window_mean():
    rng = np.random.default_rng(0)
    x = rng.random((9, 11))
    out = alpha.box(x, 2)
    assert out[4, 5] == pytest.approx(x[2:7, 3:8].mean())
    assert out[0, 0] == pytest.approx(x[0:3, 0:3].mean())  # the window shrinks at the edge


def test_guided_filter_keeps_a_mask_that_follows_the_guide():
    guide = np.zeros((40, 40))
    guide[:, 20:] = 1.0
    out = alpha.guided_filter(guide, guide.copy(), 3, 1e-4)
    assert np.abs(out - guide).max() < 0.02


def test_clean_removes_specks_and_fills_pin_holes_only():
    m = np.zeros((100, 100))
    m[20:80, 20:80] = 1.0
    m[50, 50] = 0.0  # a pin hole
    m[30:50, 40:45] = 0.0  # a real gap, 100 px = 1% of the image
    m[2, 2] = 1.0  # a speck
    out = alpha.clean(m)
    assert out[50, 50] == 1.0 and out[2, 2] == 0.0 and out[35, 42] == 0.0


def test_only_the_edge_stays_soft():
    """A region the model was unsure of (alpha about 0.5) is made opaque away from the edge; the
    foreground (alpha ≥ 0.5) is unchanged."""
    a = np.zeros((40, 40))
    a[5:35, 5:35] = 0.55  # a whole limb at "maybe"
    a[10:30, 10:30] = 1.0
    a[0:3, 0:3] = 0.3  # a faint smudge in the corner, below the threshold
    a[36:40, 10:20] = 0.6  # foreground cut by the photo's frame
    out = alpha.solid_away_from_edges(a, 2)
    assert ((out >= 0.5) == (a >= 0.5)).all()
    assert out[8, 20] == 1.0 and out[20, 8] == 1.0  # 3 px in from the limb's edge: solid
    assert out[5, 20] == 0.55 and out[34, 20] == 0.55  # on the edge: as the model said
    assert out[1, 1] == 0.0  # background away from the product: clear, smudge and all
    assert out[20, 38] == 0.0 and out[38, 38] == 0.0
    assert out[39, 15] == 1.0  # the photo's frame is not the product's edge


def test_cut_out_with_fake_segmenter(segmenter):
    c = cut_out(photo(), segmenter)
    assert c.rgba.mode == "RGBA" and c.rgba.size == (400, 300)
    assert c.bbox == (120, 60, 301, 261)
    assert c.product().size == (181, 201)
    a = np.asarray(c.rgba)[..., 3]
    assert a[150, 200] == 255 and a[10, 10] == 0
    assert c.source == "model" and c.model == "fake"


def test_transparent_input_keeps_its_alpha(segmenter):
    im = Image.new("RGBA", (100, 80), (0, 0, 0, 0))
    im.paste((10, 200, 10, 255), (20, 20, 60, 70))
    c = cut_out(im, segmenter)
    assert c.source == "input-alpha" and c.bbox == (20, 20, 60, 70)


def test_blank_photo_says_no_product(segmenter):
    with pytest.raises(InvalidInput, match="no product detected"):
        cut_out(Image.new("RGB", (200, 200), (240, 240, 240)), segmenter)


def test_iou_and_boundary_f():
    a = np.zeros((50, 50), bool)
    a[10:30, 10:30] = True
    b = np.zeros_like(a)
    b[10:30, 20:40] = True
    assert iou(a, b) == pytest.approx(200 / 600)
    assert iou(a, a) == 1.0 and boundary_f(a, a) == 1.0
    assert boundary_f(a, np.zeros_like(a)) == 0.0


def test_evaluate_cutout_against_references(tmp_path, segmenter):
    imgs, refs = tmp_path / "img", tmp_path / "ref"
    imgs.mkdir()
    refs.mkdir()
    photo().save(imgs / "a.png")
    ref = Image.new("RGBA", (400, 300), (0, 0, 0, 0))
    ref.paste((1, 1, 1, 255), (120, 60, 301, 261))
    ref.save(refs / "a.out.png")
    r = evaluate_cutout(imgs, refs, segmenter)
    assert r["n"] == 1 and r["mean_iou"] == 1.0 and r["worst_image"] == "a.png"
    with pytest.raises(InvalidInput, match="--images"):
        evaluate_cutout(tmp_path / "none", refs, segmenter)
