"""Alpha refinement: a guided filter that snaps a coarse mask to the photo's edges, morphological
clean-up (specks removed, pin holes filled), and foreground colour estimation at soft edges so a
cut-out carries no halo of its old background. numpy + scipy.ndimage only."""

from __future__ import annotations

import numpy as np

from shopgen.core.lazy import require


def box(x: np.ndarray, r: int) -> np.ndarray:
    """Mean over a (2r+1)² window, edges handled by shrinking the window (cumulative sums, O(N))."""
    h, w = x.shape[:2]
    c = np.cumsum(np.cumsum(np.pad(x, ((1, 0), (1, 0)) + ((0, 0),) * (x.ndim - 2)), 0), 1)
    y0 = np.clip(np.arange(h) - r, 0, h)
    y1 = np.clip(np.arange(h) + r + 1, 0, h)
    x0 = np.clip(np.arange(w) - r, 0, w)
    x1 = np.clip(np.arange(w) + r + 1, 0, w)
    s = c[y1][:, x1] - c[y0][:, x1] - c[y1][:, x0] + c[y0][:, x0]
    n = ((y1 - y0)[:, None] * (x1 - x0)[None, :]).astype(np.float64)
    return s / (n[..., None] if x.ndim == 3 else n)


def guided_filter(guide: np.ndarray, src: np.ndarray, r: int, eps: float) -> np.ndarray:
    """He, Sun & Tang's guided filter with a grey guide in [0, 1]: edge-preserving smoothing of ``src``."""
    mean_i, mean_p = box(guide, r), box(src, r)
    cov_ip = box(guide * src, r) - mean_i * mean_p
    var_i = box(guide * guide, r) - mean_i * mean_i
    a = cov_ip / (var_i + eps)
    b = mean_p - a * mean_i
    return box(a, r) * guide + box(b, r)


def clean(mask: np.ndarray, min_part: float = 0.02, max_hole: float = 0.002) -> np.ndarray:
    """Drop foreground specks smaller than ``min_part`` of the largest part and fill holes smaller
    than ``max_hole`` of the image (bigger holes, like the gap under an arm, are real)."""
    ndi = require("scipy.ndimage", "visual")
    fg = mask >= 0.5
    labels, n = ndi.label(fg)
    if n > 1:
        sizes = np.bincount(labels.ravel())[1:]
        keep = np.flatnonzero(sizes >= min_part * sizes.max()) + 1
        drop = fg & ~np.isin(labels, keep)
        mask = np.where(drop, 0.0, mask)
    holes, n = ndi.label(~fg)
    if n > 1:
        sizes = np.bincount(holes.ravel())
        border = np.unique(np.concatenate([holes[0], holes[-1], holes[:, 0], holes[:, -1]]))
        small = np.flatnonzero(sizes <= max_hole * mask.size)
        small = small[(small != 0) & ~np.isin(small, border)]
        mask = np.where(np.isin(holes, small), 1.0, mask)
    return mask


def refine(rgb: np.ndarray, coarse: np.ndarray) -> np.ndarray:
    """Coarse soft mask → alpha in [0, 1] that follows the photo's edges."""
    h, w = coarse.shape
    grey = rgb.astype(np.float64).mean(axis=2) / 255.0
    r = max(2, round(min(h, w) / 160))
    alpha = guided_filter(grey, coarse.astype(np.float64), r, 1e-3)
    alpha = clean(np.clip(alpha, 0, 1))
    # steepen the ramp: the model's blur leaves wide grey bands; keep a 2-3 px soft edge
    alpha = np.clip((alpha - 0.5) * 2.0 + 0.5, 0, 1)
    return solid_away_from_edges(alpha, r).astype(np.float32)


def solid_away_from_edges(alpha: np.ndarray, band: int) -> np.ndarray:
    """Opaque inside the cut-out and clear outside it, except within ``band`` pixels of its edge.

    Where the model is unsure it answers about 0.5 over a whole region (a raised arm), which
    showed as a half-transparent limb. Only the edge is soft in a product photo; which pixels are
    foreground (alpha ≥ 0.5) does not change."""
    ndi = require("scipy.ndimage", "visual")
    fg = alpha >= 0.5
    inside = ndi.binary_erosion(fg, iterations=band, border_value=1)
    outside = ndi.binary_erosion(~fg, iterations=band, border_value=1)
    return np.where(inside, 1.0, np.where(outside, 0.0, alpha))


def estimate_foreground(rgb: np.ndarray, alpha: np.ndarray, r: int = 4) -> np.ndarray:
    """Colours for soft-edge pixels taken from nearby solid foreground, so the old background does
    not bleed into the cut-out's rim (a cheap stand-in for closed-form foreground estimation)."""
    img = rgb.astype(np.float64)
    solid = (alpha > 0.95).astype(np.float64)
    num = box(img * solid[..., None], r)
    den = box(solid, r)[..., None]
    est = np.where(den > 1e-6, num / np.maximum(den, 1e-6), img)
    soft = ((alpha > 0.01) & (alpha < 0.95))[..., None]
    return np.where(soft, est, img).clip(0, 255).astype(np.uint8)
