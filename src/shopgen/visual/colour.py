"""Colours: WCAG 2.x contrast, the product's palette, and colours nudged until they pass.

>>> round(contrast((0, 0, 0), (255, 255, 255)), 1)
21.0
>>> hex_colour((255, 128, 0))
'#ff8000'
"""

from __future__ import annotations

import colorsys

import numpy as np

RGB = tuple[int, int, int]
AA_BODY, AA_LARGE = 4.5, 3.0


def hex_colour(c: RGB) -> str:
    return "#{:02x}{:02x}{:02x}".format(*(int(round(v)) for v in c[:3]))


def parse_colour(s: str) -> RGB:
    """'#rrggbb' or '#rgb' → (r, g, b). Raises ValueError."""
    s = s.strip().lstrip("#")
    if len(s) == 3:
        s = "".join(ch * 2 for ch in s)
    if len(s) != 6:
        raise ValueError(f"not a colour: #{s}")
    return tuple(int(s[i : i + 2], 16) for i in (0, 2, 4))  # type: ignore[return-value]


def luminance(c) -> np.ndarray | float:
    """WCAG relative luminance of sRGB colour(s) (last axis = RGB, 0–255)."""
    a = np.asarray(c, dtype=np.float64)[..., :3] / 255.0
    lin = np.where(a <= 0.04045, a / 12.92, ((a + 0.055) / 1.055) ** 2.4)
    y = lin @ np.array([0.2126, 0.7152, 0.0722])
    return float(y) if np.ndim(y) == 0 else y


def contrast(a, b) -> float:
    la, lb = luminance(a), luminance(b)
    hi, lo = max(la, lb), min(la, lb)
    return (hi + 0.05) / (lo + 0.05)


def contrast_against(colour: RGB, pixels: np.ndarray, percentile: float = 5.0) -> float:
    """Contrast of ``colour`` against the background ``pixels`` (N×3), taking a low percentile so
    one busy patch under the text counts."""
    lp = luminance(pixels.reshape(-1, 3))
    lc = luminance(colour)
    ratios = (np.maximum(lp, lc) + 0.05) / (np.minimum(lp, lc) + 0.05)
    return float(np.percentile(ratios, percentile))


def mix(a: RGB, b: RGB, t: float) -> RGB:
    return tuple(int(round(x + (y - x) * t)) for x, y in zip(a, b))  # type: ignore[return-value]


def with_lightness(c: RGB, lightness: float, saturation: float | None = None) -> RGB:
    h, l_, s = colorsys.rgb_to_hls(*(v / 255 for v in c))
    r, g, b = colorsys.hls_to_rgb(h, lightness, s if saturation is None else saturation)
    return (round(r * 255), round(g * 255), round(b * 255))


def readable_on(bg: RGB, need: float = AA_BODY, dark: RGB = (28, 28, 32), light: RGB = (255, 255, 255)) -> RGB:
    """Dark or light text for ``bg``, whichever contrasts more (≥ ``need`` when possible)."""
    return dark if contrast(dark, bg) >= contrast(light, bg) else light


def darken_until(c: RGB, against: RGB, need: float) -> RGB:
    """``c`` made darker (or lighter, whichever direction works) until it reaches ``need`` against ``against``."""
    if contrast(c, against) >= need:
        return c
    _, l0, _ = colorsys.rgb_to_hls(*(v / 255 for v in c))
    go_dark = luminance(against) > 0.18
    steps = np.linspace(l0, 0.05 if go_dark else 0.97, 40)
    for lightness in steps:
        cand = with_lightness(c, float(lightness))
        if contrast(cand, against) >= need:
            return cand
    return (20, 20, 24) if go_dark else (250, 250, 250)


def palette(rgba: np.ndarray, k: int = 5) -> list[RGB]:
    """Dominant colours of the opaque pixels of a cut-out, most frequent first (median cut)."""
    from PIL import Image

    px = rgba[..., :3][rgba[..., 3] >= 128]
    if len(px) == 0:
        return [(128, 128, 128)]
    if len(px) > 40_000:
        px = px[:: len(px) // 40_000]
    img = Image.fromarray(px.reshape(1, -1, 3).astype(np.uint8), "RGB").quantize(k, method=Image.Quantize.MEDIANCUT)
    counts = sorted(img.getcolors() or [], reverse=True)
    pal = img.getpalette() or []
    return [tuple(pal[3 * i : 3 * i + 3]) for _, i in counts]  # type: ignore[misc]


def accent_of(colours: list[RGB]) -> RGB:
    """The most saturated, not too dark or light, of the product's colours (a fallback red when
    the product is grey, black or white: a price tag needs a signal colour)."""
    best, score = None, 0.0
    for c in colours:
        h, l_, s = colorsys.rgb_to_hls(*(v / 255 for v in c))
        sc = s * (1 - abs(l_ - 0.5) * 1.6)
        if sc > score:
            best, score = c, sc
    if best is None or score < 0.12:
        return (214, 48, 49)
    return with_lightness(best, 0.45, max(0.55, colorsys.rgb_to_hls(*(v / 255 for v in best))[2]))
