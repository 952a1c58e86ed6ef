"""Shared fixtures for the visual studio: synthetic product photos, the fake segmenter and a
skip when Pillow or a CJK font is missing."""

from __future__ import annotations

import io

import numpy as np
import pytest

pytest.importorskip("PIL", reason="pip install 'shopgen[visual]'")
from PIL import Image, ImageDraw  # noqa: E402

from shopgen.core import fonts  # noqa: E402
from shopgen.models.vision.fake import FakeSegmenter  # noqa: E402


def photo(size=(400, 300), box=(120, 60, 300, 260), colour=(200, 40, 40), bg=(235, 235, 230)) -> Image.Image:
    """A 'product photo': a coloured rectangle with a round top on a plain backdrop."""
    im = Image.new("RGB", size, bg)
    d = ImageDraw.Draw(im)
    d.rectangle(box, fill=colour)
    return im


def png_bytes(im: Image.Image, fmt: str = "PNG", **kw) -> bytes:
    buf = io.BytesIO()
    im.save(buf, fmt, **kw)
    return buf.getvalue()


@pytest.fixture
def segmenter():
    return FakeSegmenter()


@pytest.fixture
def product():
    """An RGBA product cut-out (a red bottle shape), cropped to the product."""
    im = Image.new("RGBA", (200, 320), (0, 0, 0, 0))
    d = ImageDraw.Draw(im)
    d.rounded_rectangle([20, 60, 180, 318], radius=30, fill=(190, 40, 50, 255))
    d.rectangle([70, 0, 130, 70], fill=(60, 60, 64, 255))
    return im


@pytest.fixture
def cjk():
    try:
        fonts.cjk_font()
    except Exception as exc:  # noqa: BLE001
        pytest.skip(f"no CJK font: {exc}")


@pytest.fixture
def alpha_of():
    return lambda im: np.asarray(im.convert("RGBA"))[..., 3]
