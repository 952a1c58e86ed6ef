"""Scene images by diffusion inpainting, for users with a GPU (``pip install 'shopgen[diffusion]'``).

The product's pixels are kept and everything else is painted from a prompt by a diffusers
``AutoPipelineForInpainting``. Default weights: ``stabilityai/stable-diffusion-2-inpainting``
(licence CreativeML Open RAIL++-M: use restrictions apply, read it before shipping images), from
the Hugging Face hub when ``SHOPGEN_DIFFUSION_ALLOW_DOWNLOAD=true``, or a local folder in
``SHOPGEN_DIFFUSION_MODEL``. No weights ship in any package, so offline without a local folder it
raises a BackendError that says so. torch and diffusers are imported on first use only.
"""

from __future__ import annotations

import threading
from pathlib import Path

from shopgen.core.errors import BackendError
from shopgen.core.lazy import require
from shopgen.visual.scene import SceneSpec, backdrop, scene_backends

LICENCE = "CreativeML Open RAIL++-M (stabilityai/stable-diffusion-2-inpainting)"


class DiffusionScene:
    name = "diffusion"
    licence = LICENCE

    def __init__(self, model: str, allow_download: bool = False, device: str | None = None, steps: int = 30) -> None:
        self.model, self.allow_download, self.device, self.steps = model, allow_download, device, steps
        self._pipe = None
        self._lock = threading.Lock()

    def pipeline(self):
        if self._pipe is None:
            torch = require("torch", "diffusion")
            diffusers = require("diffusers", "diffusion")
            with self._lock:
                if self._pipe is None:
                    local = Path(self.model).is_dir()
                    device = self.device or ("cuda" if torch.cuda.is_available() else "cpu")
                    try:
                        pipe = diffusers.AutoPipelineForInpainting.from_pretrained(
                            self.model,
                            torch_dtype=torch.float16 if device == "cuda" else torch.float32,
                            local_files_only=local or not self.allow_download,
                        )
                    except (OSError, ValueError) as exc:
                        hint = (
                            "set SHOPGEN_DIFFUSION_MODEL to a local folder with the pipeline, or allow hub downloads "
                            "(SHOPGEN_DIFFUSION_ALLOW_DOWNLOAD=true) on a machine that is online"
                        )
                        raise BackendError(f"cannot load the inpainting model {self.model!r}: {exc}; {hint}") from exc
                    self._pipe = pipe.to(device)
        return self._pipe

    def render(self, product, spec: SceneSpec, size: tuple[int, int]):
        from PIL import Image, ImageOps

        torch = require("torch", "diffusion")
        w, h = size
        start = backdrop(spec, size) if spec.kind == "photo" else Image.new("RGB", size, (200, 200, 200))
        pw, ph = product.size
        s = min(0.6 * w / pw, 0.6 * h / ph)
        nw, nh = round(pw * s), round(ph * s)
        x, y = (w - nw) // 2, int(h * 0.88) - nh
        start.paste(product.resize((nw, nh)), (x, y), product.resize((nw, nh)))
        keep = Image.new("L", size, 0)
        keep.paste(product.resize((nw, nh)).getchannel("A"), (x, y))
        mask = ImageOps.invert(keep.point(lambda v: 255 if v > 8 else 0))  # white = paint
        out = self.pipeline()(
            prompt=spec.prompt or "product photo on a tabletop, soft daylight, shallow depth of field",
            image=start,
            mask_image=mask,
            width=w - w % 8,
            height=h - h % 8,
            num_inference_steps=self.steps,
            generator=torch.Generator().manual_seed(spec.seed),
        ).images[0]
        out = out.resize(size)
        out.paste(product.resize((nw, nh)), (x, y), product.resize((nw, nh)))  # the product stays pixel-exact
        return out


@scene_backends.register("diffusion")
def _diffusion(settings) -> DiffusionScene:
    return DiffusionScene(settings.diffusion_model, settings.diffusion_allow_download)
