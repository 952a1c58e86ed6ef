"""Safe image loading: every mode Pillow reads, EXIF rotation, transparency, and bad files."""

from __future__ import annotations

import numpy as np
import pytest
from PIL import Image

from shopgen.core.errors import InvalidInput
from shopgen.visual.images import has_transparency, load_image
from tests.visual.conftest import photo, png_bytes


def test_cmyk_jpeg_becomes_rgb():
    im = load_image(png_bytes(photo().convert("CMYK"), "JPEG"))
    assert im.mode == "RGB" and im.size == (400, 300)


def test_palette_png_becomes_rgb_and_palette_with_transparency_rgba():
    assert load_image(png_bytes(photo().convert("P"))).mode == "RGB"
    p = photo().convert("P")
    p.info["transparency"] = p.getpixel((0, 0))
    buf = png_bytes(p, transparency=p.getpixel((0, 0)))
    im = load_image(buf)
    assert im.mode == "RGBA" and has_transparency(im)
    assert np.asarray(im)[0, 0, 3] == 0 and np.asarray(im)[150, 200, 3] == 255


def test_16_bit_greyscale_is_scaled_to_8_bit():
    arr = np.full((40, 50), 65535, np.uint16)
    arr[:20] = 32768
    im = load_image(png_bytes(Image.fromarray(arr)))
    a = np.asarray(im)
    assert im.mode == "RGB" and a[30, 0, 0] == 255 and a[0, 0, 0] == 127


def test_exif_rotation_is_applied():
    im = photo((400, 300))
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90° clockwise to display
    out = load_image(png_bytes(im, "JPEG", exif=exif.tobytes()))
    assert out.size == (300, 400)


def test_opaque_rgba_is_rgb_and_transparent_rgba_keeps_alpha():
    assert load_image(png_bytes(photo().convert("RGBA"))).mode == "RGB"
    t = photo().convert("RGBA")
    t.putalpha(128)
    assert load_image(png_bytes(t)).mode == "RGBA"


def test_corrupt_truncated_empty_tiny_and_missing_files(tmp_path):
    data = png_bytes(photo(), "JPEG")
    with pytest.raises(InvalidInput, match="not an image"):
        load_image(b"this is not an image")
    with pytest.raises(InvalidInput, match="corrupt or truncated"):
        load_image(data[: len(data) // 2])
    with pytest.raises(InvalidInput, match="empty"):
        load_image(b"")
    with pytest.raises(InvalidInput, match="too small"):
        load_image(png_bytes(Image.new("RGB", (8, 8))))
    with pytest.raises(InvalidInput, match="file not found"):
        load_image(tmp_path / "nope.png")


def test_pixel_limit_refuses_decompression_bombs():
    big = png_bytes(Image.new("L", (3000, 3000)))  # compresses to a few KB
    with pytest.raises(InvalidInput, match="over the limit of 1,000,000") as err:
        load_image(big, max_pixels=1_000_000)
    assert err.value.detail["width"] == 3000
