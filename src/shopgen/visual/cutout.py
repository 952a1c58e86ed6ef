"""Background removal: a product photo → RGBA cut-out with refined edges.

Steps: the segmenter's mask of the whole photo (optionally a second look at the product's box,
both masks averaged inside it: with the photo letterboxed for the model it no longer helps, see
BENCHMARKS.md, so it is off by default); the guided-filter refinement and clean-up of
:mod:`shopgen.visual.alpha`; foreground colours at the rim. A photo that already has transparency keeps its own alpha (no model run). When nothing
stands out (the mask's largest part is tiny or the model is unsure everywhere) it says so
instead of returning an empty picture.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.visual import alpha as alpha_ops
from shopgen.visual.images import has_transparency

MIN_COVERAGE = 0.003  # share of the photo the product must cover
MIN_CONFIDENCE = 0.6  # the mask's 99.9th percentile: below it the model saw no object
CROP_PAD = 0.15


@dataclass
class Cutout:
    rgba: object  # PIL.Image, mode RGBA, same size as the input
    alpha: np.ndarray  # H×W float32 in [0, 1]
    bbox: tuple[int, int, int, int]  # x0, y0, x1, y1 of alpha ≥ 0.5
    coverage: float  # share of pixels with alpha ≥ 0.5
    source: str  # "model" or "input-alpha"
    model: str
    ms: float

    def to_dict(self) -> dict:
        return {
            "width": self.rgba.size[0],
            "height": self.rgba.size[1],
            "bbox": list(self.bbox),
            "coverage": round(self.coverage, 4),
            "source": self.source,
            "model": self.model,
            "ms": round(self.ms, 1),
        }

    def product(self):
        """The cut-out cropped to its box (RGBA)."""
        return self.rgba.crop(self.bbox)


def bbox_of(mask: np.ndarray, threshold: float = 0.5) -> tuple[int, int, int, int] | None:
    ys = np.flatnonzero((mask >= threshold).any(axis=1))
    xs = np.flatnonzero((mask >= threshold).any(axis=0))
    if not len(ys):
        return None
    return int(xs[0]), int(ys[0]), int(xs[-1]) + 1, int(ys[-1]) + 1


def two_pass(segmenter, rgb: np.ndarray) -> np.ndarray:
    """Whole-photo mask, then the product's padded box again at the model's resolution."""
    mask = segmenter.predict(rgb)
    box = bbox_of(mask)
    h, w = mask.shape
    if box is None:
        return mask
    x0, y0, x1, y1 = box
    px, py = int((x1 - x0) * CROP_PAD) + 8, int((y1 - y0) * CROP_PAD) + 8
    x0, y0, x1, y1 = max(0, x0 - px), max(0, y0 - py), min(w, x1 + px), min(h, y1 + py)
    if (x1 - x0) * (y1 - y0) > 0.8 * w * h or min(x1 - x0, y1 - y0) < 32:
        return mask
    out = np.zeros_like(mask)
    out[y0:y1, x0:x1] = (mask[y0:y1, x0:x1] + segmenter.predict(np.ascontiguousarray(rgb[y0:y1, x0:x1]))) / 2
    return out


def cut_out(image, segmenter, *, refine: bool = True, two_passes: bool = False) -> Cutout:
    """Cut the product out of ``image`` (a PIL image from :func:`~shopgen.visual.images.load_image`).

    Raises InvalidInput when no product can be found in the photo.
    """
    from PIL import Image

    start = time.perf_counter()
    if has_transparency(image):
        rgba = np.asarray(image.convert("RGBA"))
        alpha = rgba[..., 3].astype(np.float32) / 255.0
        source, model = "input-alpha", "none"
        rgb = rgba[..., :3]
    else:
        rgb = np.asarray(image.convert("RGB"))
        coarse = two_pass(segmenter, rgb) if two_passes else segmenter.predict(rgb)
        if float(np.percentile(coarse, 99.9)) < MIN_CONFIDENCE:
            raise InvalidInput("no product detected in the image: nothing stands out from the background")
        alpha = alpha_ops.refine(rgb, coarse) if refine else coarse.astype(np.float32)
        source, model = "model", segmenter.name
    coverage = float((alpha >= 0.5).mean())
    box = bbox_of(alpha)
    if box is None or coverage < MIN_COVERAGE:
        raise InvalidInput(
            f"no product detected in the image: the foreground covers {coverage:.2%} of it",
            {"coverage": coverage},
        )
    colour = alpha_ops.estimate_foreground(rgb, alpha) if source == "model" else rgb
    out = np.dstack([colour, np.round(alpha * 255).astype(np.uint8)])
    rgba_img = Image.fromarray(out, "RGBA")
    return Cutout(rgba_img, alpha, box, coverage, source, model, (time.perf_counter() - start) * 1000)
