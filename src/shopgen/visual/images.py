"""Opening untrusted image files safely: a pixel limit against decompression bombs, truncated and
corrupt files refused with one clear line, EXIF rotation applied, and every mode Pillow reads
(CMYK, palette, 16-bit, greyscale, with or without transparency) brought to RGB or RGBA.

>>> from PIL import Image
>>> import io
>>> buf = io.BytesIO(); Image.new("CMYK", (4, 3)).save(buf, "JPEG")
>>> load_image(buf.getvalue()).mode
'RGB'
"""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require

DEFAULT_MAX_PIXELS = 40_000_000
MIN_SIDE = 16


def _pil():
    return require("PIL.Image", "visual")


def load_image(source: str | Path | bytes, *, max_pixels: int = DEFAULT_MAX_PIXELS, name: str = "image"):
    """A decoded RGB or RGBA ``PIL.Image`` (RGBA only when the input has real transparency).

    Raises InvalidInput naming ``name`` for a missing, corrupt, truncated, too small or too
    large (over ``max_pixels``) image.
    """
    Image = _pil()
    from PIL import ImageOps, UnidentifiedImageError

    if isinstance(source, (str, Path)):
        path = Path(source)
        if not path.is_file():
            raise InvalidInput(f"{name}: file not found: {path}")
        data = path.read_bytes()
        label = path.name
    else:
        data, label = bytes(source), name
    if not data:
        raise InvalidInput(f"{name}: the file is empty")
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            im = Image.open(io.BytesIO(data))
            w, h = im.size
            if w * h > max_pixels:
                raise InvalidInput(
                    f"{name}: {label} is {w}×{h} = {w * h:,} pixels, over the limit of {max_pixels:,}",
                    {"width": w, "height": h, "max_pixels": max_pixels},
                )
            im.load()
    except InvalidInput:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise InvalidInput(f"{name}: {label} is too large to open safely ({exc})") from exc
    except UnidentifiedImageError as exc:
        raise InvalidInput(f"{name}: {label} is not an image Pillow can read") from exc
    except (OSError, SyntaxError, ValueError) as exc:
        raise InvalidInput(f"{name}: {label} is corrupt or truncated ({exc})") from exc
    if min(im.size) < MIN_SIDE:
        raise InvalidInput(f"{name}: {label} is {im.size[0]}×{im.size[1]}, too small (at least {MIN_SIDE} px a side)")
    im = ImageOps.exif_transpose(im)
    return _normalise_mode(im)


def _normalise_mode(im):
    """CMYK, palette, 16-bit, greyscale … → RGB, or RGBA when some pixel is not opaque."""
    if im.mode in ("I;16", "I;16B", "I;16L", "I"):
        arr = np.asarray(im, dtype=np.float64)
        hi = arr.max() if arr.size else 1
        scale = 255.0 / (65535.0 if hi > 255 else 255.0)
        im = _pil().fromarray(np.clip(arr * scale, 0, 255).astype(np.uint8), "L")
    if im.mode == "F":
        arr = np.asarray(im, dtype=np.float64)
        im = _pil().fromarray(np.clip(arr * (255.0 if arr.max() <= 1.0 else 1.0), 0, 255).astype(np.uint8), "L")
    has_alpha = im.mode in ("RGBA", "LA", "PA") or (im.mode == "P" and "transparency" in im.info)
    if has_alpha:
        im = im.convert("RGBA")
        alpha = np.asarray(im)[..., 3]
        if alpha.min() == 255:
            return im.convert("RGB")
        return im
    return im.convert("RGB")


def has_transparency(im) -> bool:
    return im.mode == "RGBA" and int(np.asarray(im)[..., 3].min()) < 255
