"""Cut-out quality against reference cut-outs: IoU of alpha ≥ 128, boundary F-measure (boundary
pixels matched within a tolerance of 0.75% of the image diagonal, as DAVIS does) and speed.

The references in ``../shared/data/images/products/rembg-u2net`` are rembg's outputs with the
full 176 MB u2net, not hand-made ground truth: agreement with a bigger model, not accuracy.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.lazy import require
from shopgen.visual.cutout import cut_out
from shopgen.visual.images import load_image

EXTS = {".jpg", ".jpeg", ".png", ".webp", ".bmp"}


def iou(a: np.ndarray, b: np.ndarray) -> float:
    union = np.logical_or(a, b).sum()
    return float(np.logical_and(a, b).sum() / union) if union else 1.0


def _boundary(mask: np.ndarray) -> np.ndarray:
    ndi = require("scipy.ndimage", "visual")
    return mask & ~ndi.binary_erosion(mask, border_value=0)


def boundary_f(pred: np.ndarray, ref: np.ndarray, tolerance: float = 0.0075) -> float:
    ndi = require("scipy.ndimage", "visual")
    bp, br = _boundary(pred), _boundary(ref)
    if not bp.any() and not br.any():
        return 1.0
    if not bp.any() or not br.any():
        return 0.0
    d = max(1, round(tolerance * float(np.hypot(*pred.shape))))
    disk = np.hypot(*np.mgrid[-d : d + 1, -d : d + 1]) <= d
    precision = (bp & ndi.binary_dilation(br, disk)).sum() / bp.sum()
    recall = (br & ndi.binary_dilation(bp, disk)).sum() / br.sum()
    return float(2 * precision * recall / (precision + recall)) if precision + recall else 0.0


def reference_for(image: Path, reference_dir: Path) -> Path | None:
    for name in (f"{image.stem}.out.png", f"{image.stem}.png"):
        if (reference_dir / name).is_file():
            return reference_dir / name
    return None


def evaluate_cutout(
    images: str | Path, reference: str | Path, segmenter, *, refine: bool = True, two_passes: bool = False
) -> dict:
    """Mean/worst IoU, boundary F and ms per image over the photos in ``images`` that have a
    reference in ``reference`` (``NAME.out.png`` or ``NAME.png``, RGBA)."""
    images, reference = Path(images), Path(reference)
    if not images.is_dir():
        raise InvalidInput(f"--images: not a folder: {images}")
    if not reference.is_dir():
        raise InvalidInput(f"--reference: not a folder: {reference}")
    rows = []
    for path in sorted(p for p in images.iterdir() if p.suffix.lower() in EXTS):
        ref_path = reference_for(path, reference)
        if ref_path is None:
            continue
        ref_img = load_image(ref_path, name="reference").convert("RGBA")
        ref = np.asarray(ref_img)[..., 3] >= 128
        try:
            c = cut_out(load_image(path), segmenter, refine=refine, two_passes=two_passes)
            pred = c.alpha >= 0.5
            ms = c.ms
        except InvalidInput:  # "no product": an empty mask, scored as such
            pred, ms = np.zeros_like(ref), 0.0
        if pred.shape != ref.shape:
            raise InvalidInput(f"reference {ref_path.name} is {ref.shape[::-1]}, the photo {pred.shape[::-1]}")
        rows.append(
            {
                "image": path.name,
                "iou": round(iou(pred, ref), 4),
                "boundary_f": round(boundary_f(pred, ref), 4),
                "ms": round(ms, 1),
            }
        )
    if not rows:
        raise InvalidInput(f"no photo in {images} has a reference in {reference}")
    ious = [r["iou"] for r in rows]
    worst = min(rows, key=lambda r: r["iou"])
    return {
        "n": len(rows),
        "model": segmenter.name,
        "model_bytes": segmenter.size_bytes,
        "refine": refine,
        "two_passes": two_passes,
        "mean_iou": round(float(np.mean(ious)), 4),
        "median_iou": round(float(np.median(ious)), 4),
        "worst_iou": worst["iou"],
        "worst_image": worst["image"],
        "mean_boundary_f": round(float(np.mean([r["boundary_f"] for r in rows])), 4),
        "ms_per_image": round(float(np.mean([r["ms"] for r in rows])), 1),
        "per_image": rows,
    }
