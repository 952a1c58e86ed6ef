"""What the API, the studio and the CLI call: the visual studio over one data folder.

Every picture the studio works on is an *asset*: a folder ``<data_dir>/visual/<asset>/`` named by
the SKU (``sku-FZ-1001``) or a hash of an uploaded file (``up-<sha1>``), holding ``original.png``,
``cutout.png`` (RGBA, full size), ``product.png`` (the cut-out cropped) and what was made from it
(``poster-<format>-<n>.png|svg|json``, ``main-<size>.png``, ``scene-<kind>.png``,
``video-<aspect>.mp4|srt``). A cut-out is made once per asset and reused.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
from pathlib import Path

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.visual.design import Design, PosterCopy, check_format
from shopgen.visual.images import load_image

_ASSET = re.compile(r"^(sku-[A-Za-z0-9_.-]{1,64}|up-[0-9a-f]{16})$")
_FILE = re.compile(r"^[A-Za-z0-9_.:-]{1,80}\.(png|svg|json|mp4|srt)$")
ATTR_KEYS = (
    "材质",
    "面料",
    "功效",
    "容量",
    "规格",
    "净含量",
    "续航",
    "特点",
    "版型",
    "适用季节",
    "产地",
    "风格",
    "工艺",
    "口味",
)


def copy_from_product(p: dict) -> PosterCopy:
    """Default poster copy from a catalog product (``store.catalog.to_dict``): the title's first two
    phrases, up to three short attribute values as selling points, the price, the brand."""
    words = str(p.get("title", "")).split()
    title = (
        " ".join(words[:2])
        if words and len(" ".join(words[:2])) <= 24
        else (words[0] if words else p.get("sku", ""))[:24]
    )
    attrs = p.get("attributes") or {}
    if isinstance(attrs, list):
        attrs = {a.get("name") or a.get("key"): a.get("value") for a in attrs}
    points, seen = [], set()
    for key in ATTR_KEYS + tuple(attrs):
        v = str(attrs.get(key) or "").strip()
        if v and len(v) <= 16 and v not in seen:
            seen.add(v)
            points.append(f"{key} {v}" if len(key) + len(v) < 16 else v)
        if len(points) == 3:
            break
    if not points:
        points = [title]
    return PosterCopy(
        title=title, selling_points=points, price=str(p.get("price") or "0"), brand=p.get("brand") or None
    )


class VisualStudio:
    """The visual studio's service: cut-outs, main images, scenes, posters, videos, files.

    ``segmenter`` is a zero-argument callable returning the segmentation model (the Runtime's,
    loaded on first use); ``speaker`` likewise for the narration voice; ``static_dir`` resolves
    catalog image URLs under ``/static/``."""

    def __init__(
        self, data_dir, segmenter, *, speaker=None, static_dir=None, max_pixels: int = 40_000_000, scenes=None
    ) -> None:
        self.root = Path(data_dir) / "visual"
        self._segmenter, self._speaker, self._scenes = segmenter, speaker, scenes
        self.static_dir = Path(static_dir) if static_dir else None
        self.max_pixels = max_pixels
        self._locks: dict[str, threading.Lock] = {}
        self._guard = threading.Lock()

    # ---- assets -------------------------------------------------------------------------------
    def folder(self, asset: str) -> Path:
        if not _ASSET.match(asset or ""):
            raise InvalidInput(f"asset: not an asset id: {asset!r}", {"field": "asset"})
        return self.root / asset

    def file(self, asset: str, name: str) -> Path:
        if not _FILE.match(name or ""):
            raise NotFound(f"no file {name!r}")
        path = self.folder(asset) / name
        if not path.is_file():
            raise NotFound(f"no file {name!r} for asset {asset}", {"asset": asset, "file": name})
        return path

    def _lock(self, asset: str) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(asset, threading.Lock())

    def image_for_product(self, product: dict) -> Path:
        for img in product.get("images") or []:
            url = str(img.get("url") or "")
            if url.startswith("/static/") and self.static_dir:
                path = (self.static_dir / url.removeprefix("/static/")).resolve()
                if path.is_file() and self.static_dir.resolve() in path.parents:
                    return path
        raise NotFound(f"product {product.get('sku')} has no local image to work on", {"sku": product.get("sku")})

    def cutout(self, *, product: dict | None = None, data: bytes | None = None, filename: str = "upload") -> dict:
        """Cut out a catalog product's image or uploaded bytes (once per asset); returns the asset."""
        from shopgen.visual.cutout import cut_out

        if product is not None:
            asset, source = f"sku-{product['sku']}", self.image_for_product(product).read_bytes()
        elif data:
            asset, source = f"up-{hashlib.sha1(data).hexdigest()[:16]}", data
        else:
            raise InvalidInput("image: upload an image or pick a product", {"field": "image"})
        folder = self.folder(asset)
        info_path = folder / "cutout.json"
        with self._lock(asset):
            if not info_path.is_file():
                image = load_image(source, max_pixels=self.max_pixels, name="image")
                c = cut_out(image, self._segmenter())
                folder.mkdir(parents=True, exist_ok=True)
                image.convert("RGB").save(folder / "original.png")
                c.rgba.save(folder / "cutout.png")
                c.product().save(folder / "product.png")
                info = {**c.to_dict(), "asset": asset, "filename": filename, "sku": (product or {}).get("sku")}
                info_path.write_text(json.dumps(info, ensure_ascii=False))
        return json.loads(info_path.read_text())

    def product_image(self, asset: str):
        from PIL import Image

        path = self.folder(asset) / "product.png"
        if not path.is_file():
            raise NotFound(f"asset {asset} has no cut-out yet; make one first", {"asset": asset})
        with Image.open(path) as im:
            return im.convert("RGBA")

    # ---- pictures -----------------------------------------------------------------------------
    def main_image(self, asset: str, size: str = "1:1", background: str = "#ffffff") -> dict:
        from shopgen.visual.mainimage import main_image

        img, placement = main_image(self.product_image(asset), size, background)
        name = f"main-{size.replace(':', 'x')}-{placement['background'].lstrip('#')}.png"
        img.save(self.folder(asset) / name)
        return {"asset": asset, "file": name, **placement}

    def scene(self, asset: str, spec, size=(800, 800), backend: str | None = None) -> dict:
        from shopgen.visual.scene import CompositeScene

        maker = self._scenes(backend) if self._scenes else CompositeScene()
        img = maker.render(self.product_image(asset), spec, size)
        name = f"scene-{spec.kind}-{spec.texture if spec.kind == 'texture' else 'x'}-{maker.name}.png"
        img.save(self.folder(asset) / name)
        return {"asset": asset, "file": name, "backend": maker.name}

    def posters(self, asset: str, copy: PosterCopy, fmt: str, keep: int = 6) -> dict:
        from shopgen.visual import poster

        check_format(fmt)
        prod = self.product_image(asset)
        designs = poster.candidates(prod, copy, fmt, "product.png")[:keep]
        out = []
        for i, d in enumerate(designs):
            stem = f"poster-{fmt}-{i}"
            poster.export(d, prod, self.folder(asset), stem)
            out.append(self._design_view(asset, stem, d))
        return {"asset": asset, "format": fmt, "copy": copy.to_dict(), "candidates": out}

    def _design_view(self, asset: str, stem: str, d: Design) -> dict:
        texts = [
            {
                "id": e.id,
                "field": e.props.get("field"),
                "text": e.props["text"],
                "colour": e.props["colour"],
                "fill": e.props.get("fill"),
            }
            for e in d.elements
            if e.is_text
        ]
        return {
            "name": stem,
            "template": d.template,
            "style": d.style,
            "score": d.score,
            "palette": d.palette,
            "texts": texts,
            "png": f"{stem}.png",
            "svg": f"{stem}.svg",
            "json": f"{stem}.json",
            "width": d.width,
            "height": d.height,
        }

    def edit(self, asset: str, name: str, edits: dict) -> dict:
        """Apply ``edits`` to the saved design ``name`` and re-render it (PNG, SVG, JSON)."""
        from shopgen.visual import poster

        path = self.file(asset, f"{name}.json")
        design = Design.from_dict(json.loads(path.read_text(encoding="utf-8")))
        prod = self.product_image(asset)
        poster.apply_edits(design, edits, prod)
        poster.export(design, prod, self.folder(asset), name)
        return self._design_view(asset, name, design)

    def rerender(self, asset: str, name: str, document: dict) -> dict:
        """Render a whole edited layered JSON (a designer's) under ``name``."""
        from shopgen.visual import poster
        from shopgen.visual.score import score_design

        design = Design.from_dict(document)
        prod = self.product_image(asset)
        score_design(design, prod)
        poster.export(design, prod, self.folder(asset), name)
        return self._design_view(asset, name, design)

    def video(
        self,
        asset: str,
        copy: PosterCopy,
        aspect: str = "9:16",
        narrate: bool = True,
        captions: list[str] | None = None,
    ) -> dict:
        from shopgen.visual.video import make_video

        prod = self.product_image(asset)
        # one photo: a gentle sway, never a mirrored "back view" (it would flip printed text and logos);
        # a turntable needs real views (the CLI takes several images)
        views = [prod]
        out = self.folder(asset) / f"video-{aspect.replace(':', 'x')}.mp4"
        r = make_video(
            views,
            title=copy.title,
            captions=captions or copy.selling_points,
            price=copy.price,
            cta=copy.cta,
            out=out,
            aspect=aspect,
            speaker=self._speaker() if (narrate and self._speaker) else None,
        )
        return {"asset": asset, **r.to_dict(), "mp4": r.mp4.name, "srt": r.srt.name}
