"""Scene images: the cut-out placed on a backdrop — a gradient, a procedural texture (linen,
wood, marble, concrete) or the user's own scene photo — with its colour and light matched to the
scene and a shadow cast away from the scene's light.

Backends sit behind one Protocol (:class:`SceneBackend`) and a registry: ``composite`` (this
module, CPU, the default) and ``diffusion`` (:mod:`shopgen.visual.diffusion`, a diffusers
inpainting pipeline for users with a GPU; ``pip install 'shopgen[diffusion]'``).

Colour matching: the product's mean luminance moves 25% of the way to the scene's (around where
it stands) and its colour takes 12% of the scene's cast (a partial Reinhard transfer), enough to
sit in the light of the scene without changing what the product looks like.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from shopgen.core.errors import InvalidInput
from shopgen.core.registry import Registry
from shopgen.visual import colour as col

TEXTURES = ("linen", "wood", "marble", "concrete")


@dataclass
class SceneSpec:
    kind: str = "gradient"  # gradient | texture | photo
    colours: tuple[str, str] = ("#f4efe8", "#d9cfc2")
    texture: str = "linen"
    photo: object | None = None  # PIL image for kind == "photo"
    prompt: str = ""  # diffusion backends only
    seed: int = 7


class SceneBackend(Protocol):
    name: str

    def render(self, product, spec: SceneSpec, size: tuple[int, int]): ...


scene_backends: Registry[SceneBackend] = Registry("scene")


def _noise(h: int, w: int, scale: int, rng) -> np.ndarray:
    from PIL import Image

    small = rng.random((max(2, h // scale), max(2, w // scale))).astype(np.float32)
    return np.asarray(Image.fromarray(small, "F").resize((w, h), Image.BICUBIC))


def backdrop(spec: SceneSpec, size: tuple[int, int]):
    """The empty scene as an RGB image."""
    from PIL import Image, ImageOps

    w, h = size
    rng = np.random.default_rng(spec.seed)
    if spec.kind == "photo":
        if spec.photo is None:
            raise InvalidInput("photo: a scene photo is needed for kind=photo", {"field": "photo"})
        return ImageOps.fit(spec.photo.convert("RGB"), size, Image.LANCZOS)
    try:
        a, b = (np.array(col.parse_colour(c), np.float32) for c in spec.colours)
    except ValueError as exc:
        raise InvalidInput(f"colours: {exc}", {"field": "colours"}) from exc
    t = np.linspace(0, 1, h, dtype=np.float32)[:, None, None]
    img = np.broadcast_to(a + (b - a) * t, (h, w, 3)).copy()
    if spec.kind == "texture":
        if spec.texture not in TEXTURES:
            raise InvalidInput(f"texture: {spec.texture!r}; valid: {', '.join(TEXTURES)}", {"field": "texture"})
        yy, xx = np.mgrid[0:h, 0:w].astype(np.float32)
        if spec.texture == "linen":
            n = 0.5 * np.sin(xx * 0.9) * np.sin(yy * 0.9) + _noise(h, w, 3, rng) - 0.5
            amp = 10
        elif spec.texture == "wood":
            grain = yy + 40 * _noise(h, w, 90, rng) + 6 * _noise(h, w, 12, rng)
            n = 0.6 * np.sin(grain * 0.35) + 0.4 * np.sin(grain * 0.11) + 0.5 * (_noise(h, w, 3, rng) - 0.5)
            amp = 12
        elif spec.texture == "marble":
            turb = 5 * _noise(h, w, 120, rng) + 2 * _noise(h, w, 30, rng)
            vein = 1 - np.abs(np.sin((xx * 0.5 + yy) * 0.012 + turb)) ** 0.2
            n = -2.5 * vein + 0.3 * (_noise(h, w, 40, rng) - 0.5)
            amp = 14
        else:
            n = _noise(h, w, 2, rng) + 0.5 * _noise(h, w, 16, rng) - 0.75
            amp = 18
        img = img + amp * n[..., None]
    elif spec.kind != "gradient":
        raise InvalidInput(f"kind: {spec.kind!r}; valid: gradient, texture, photo", {"field": "kind"})
    return Image.fromarray(np.clip(img, 0, 255).astype(np.uint8), "RGB")


def light_side(scene: np.ndarray) -> float:
    """-1 when the scene is lit from the left, +1 from the right (mean luminance of the halves)."""
    lum = scene.astype(np.float32).mean(axis=2)
    left, right = lum[:, : lum.shape[1] // 2].mean(), lum[:, lum.shape[1] // 2 :].mean()
    return float(np.clip((right - left) / 20.0, -1, 1))


def match_colour(product, scene_patch: np.ndarray, lum_strength: float = 0.25, cast_strength: float = 0.12):
    """The product (RGBA) shifted towards the scene's light level and colour cast."""
    from PIL import Image

    arr = np.asarray(product).astype(np.float32)
    rgb, a = arr[..., :3], arr[..., 3:]
    solid = a[..., 0] > 128
    if not solid.any():
        return product
    p_mean = rgb[solid].mean(axis=0)
    s_mean = scene_patch.reshape(-1, 3).astype(np.float32).mean(axis=0)
    p_lum, s_lum = p_mean.mean(), s_mean.mean()
    gain = 1.0 + lum_strength * (s_lum - p_lum) / max(p_lum, 1.0)
    cast = (s_mean - s_lum) * cast_strength
    out = np.clip(rgb * gain + cast, 0, 255)
    return Image.fromarray(np.dstack([out, a]).astype(np.uint8), "RGBA")


class CompositeScene:
    """Classic compositing on the CPU: backdrop, matched product, cast and contact shadows."""

    name = "composite"

    def render(self, product, spec: SceneSpec, size: tuple[int, int]):
        from PIL import Image, ImageFilter

        w, h = size
        scene = backdrop(spec, size)
        arr = np.asarray(scene)
        pw, ph = product.size
        s = min(0.62 * w / pw, 0.62 * h / ph)
        nw, nh = max(1, round(pw * s)), max(1, round(ph * s))
        x, y = (w - nw) // 2, int(h * 0.88) - nh
        patch = arr[max(0, y) : y + nh, max(0, x) : x + nw]
        prod = match_colour(product.resize((nw, nh), Image.LANCZOS), patch)
        side = light_side(arr)
        # cast shadow: the silhouette squashed onto the floor, sheared away from the light
        alpha = prod.getchannel("A")
        squash = alpha.resize((nw, max(2, nh // 5)))
        shear = -side * 0.6
        cast = squash.transform(
            (nw + int(abs(shear) * nh // 5) + 2, squash.size[1]),
            Image.AFFINE,
            (1, shear, -max(0, shear) * squash.size[1], 0, 1, 0),
        ).filter(ImageFilter.GaussianBlur(max(2, nh // 60)))
        cast = cast.point(lambda v: int(v * 0.28))
        shadow_rgb = Image.new("RGB", cast.size, (25, 22, 20))
        scene.paste(shadow_rgb, (x - (cast.size[0] - nw if shear < 0 else 0), y + nh - cast.size[1] + 2), cast)
        from shopgen.visual.render import paste_product

        paste_product(scene, prod, (x, y, nw, nh), shadow=True)
        return scene


@scene_backends.register("composite")
def _composite(settings=None) -> CompositeScene:
    return CompositeScene()


def create_scene_backend(settings, name: str | None = None) -> SceneBackend:
    from shopgen.visual import diffusion  # noqa: F401  (registers; imports no torch until used)

    return scene_backends.create(name or getattr(settings, "scene_backend", "composite"), settings)
