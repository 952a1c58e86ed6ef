"""The visual studio under /api/visual (role ``operator``): one route per step.

Cut-outs (an uploaded image or a catalog product) become *assets*; every later step names the
asset. Image work is CPU-bound, so the handlers are plain ``def`` (the thread pool runs them).
Files made for an asset are served from ``GET /api/visual/files/{asset}/{name}``.
"""

from __future__ import annotations

from typing import Annotated, Literal

from fastapi import APIRouter, Depends, File, Request, UploadFile
from fastapi.responses import FileResponse
from pydantic import BaseModel, ConfigDict, Field

from shopgen.core.errors import InvalidInput, NotFound
from shopgen.http.auth import require
from shopgen.http.deps import SessionDep
from shopgen.store import catalog
from shopgen.visual.design import FORMATS, PosterCopy
from shopgen.visual.scene import SceneSpec

router = APIRouter(prefix="/api/visual", tags=["visual"], dependencies=[Depends(require("operator"))])
Asset = Annotated[str, Field(min_length=4, max_length=80)]


def studio(request: Request):
    return request.app.state.visual


def jobs(request: Request):
    return request.app.state.visual_jobs


StudioDep = Annotated[object, Depends(studio)]


class CopyIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    title: str = Field(min_length=1, max_length=60)
    selling_points: list[str] = Field(min_length=1, max_length=4)
    price: str = Field(min_length=1, max_length=12)
    original_price: str | None = None
    promotion: str | None = None
    cta: str | None = "立即抢购"
    brand: str | None = None

    def domain(self) -> PosterCopy:
        return PosterCopy(**self.model_dump()).check()


class SkuIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    sku: str = Field(min_length=1, max_length=64)


class PostersIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asset: Asset
    format: Literal["feed", "detail", "story", "banner", "live"] = "feed"
    copy_: CopyIn | None = Field(None, alias="copy")
    keep: int = Field(6, ge=1, le=12)


class EditIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    edits: dict[str, dict] | None = None
    document: dict | None = None  # a whole edited layered JSON


class MainIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asset: Asset
    size: str = "1:1"
    background: str = "#ffffff"


class SceneIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asset: Asset
    kind: Literal["gradient", "texture"] = "texture"
    texture: str = "linen"
    colours: tuple[str, str] = ("#f4efe8", "#d9cfc2")
    backend: str | None = None
    prompt: str = Field("", max_length=300)


class VideoIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    asset: Asset
    aspect: Literal["9:16", "16:9"] = "9:16"
    narrate: bool = True
    copy_: CopyIn | None = Field(None, alias="copy")
    captions: list[str] | None = Field(None, max_length=8)


class BatchIn(BaseModel):
    model_config = ConfigDict(extra="forbid")
    category: str | None = Field(None, max_length=32)
    limit: int | None = Field(None, ge=1, le=10_000)
    formats: list[str] = Field(default_factory=lambda: ["feed"], min_length=1, max_length=5)


def _product(s, sku: str) -> dict:
    p = catalog.get_by_sku(s, sku)
    if p is None:
        raise NotFound(f"sku: no product {sku}", {"sku": sku})
    return catalog.to_dict(p)


def _copy(s, studio_, asset: str, given: CopyIn | None) -> PosterCopy:
    from shopgen.visual.service import copy_from_product

    if given is not None:
        return given.domain()
    if asset.startswith("sku-"):
        return copy_from_product(_product(s, asset[4:]))
    raise InvalidInput("copy: an uploaded image needs its copy (title, selling_points, price)", {"field": "copy"})


@router.get("/formats")
def list_formats() -> list[dict]:
    return [{"name": k, "width": w, "height": h, "label": label} for k, (w, h, label) in FORMATS.items()]


@router.post("/cutout")
def cutout_upload(studio_: StudioDep, file: Annotated[UploadFile, File()]) -> dict:
    """Cut out an uploaded image (≤ the request body limit)."""
    return studio_.cutout(data=file.file.read(), filename=file.filename or "upload")


@router.post("/cutout/product")
def cutout_product(body: SkuIn, s: SessionDep, studio_: StudioDep) -> dict:
    from shopgen.visual.service import copy_from_product

    product = _product(s, body.sku)
    return {**studio_.cutout(product=product), "copy": copy_from_product(product).to_dict()}


@router.post("/posters")
def make_posters(body: PostersIn, s: SessionDep, studio_: StudioDep) -> dict:
    return studio_.posters(body.asset, _copy(s, studio_, body.asset, body.copy_), body.format, body.keep)


@router.post("/posters/{asset}/{name}")
def edit_poster(asset: str, name: str, body: EditIn, studio_: StudioDep) -> dict:
    """Edit texts/colours (``edits``) or send a whole layered JSON (``document``); re-rendered."""
    if body.document is not None:
        return studio_.rerender(asset, name, body.document)
    return studio_.edit(asset, name, body.edits or {})


@router.post("/main-image")
def make_main_image(body: MainIn, studio_: StudioDep) -> dict:
    return studio_.main_image(body.asset, body.size, body.background)


@router.post("/scene")
def make_scene(body: SceneIn, studio_: StudioDep) -> dict:
    spec = SceneSpec(body.kind, body.colours, body.texture, None, body.prompt)
    return studio_.scene(body.asset, spec, backend=body.backend)


@router.post("/video")
def make_video(body: VideoIn, s: SessionDep, studio_: StudioDep) -> dict:
    return studio_.video(
        body.asset, _copy(s, studio_, body.asset, body.copy_), body.aspect, body.narrate, body.captions
    )


@router.get("/files/{asset}/{name}")
def get_file(asset: str, name: str, studio_: StudioDep) -> FileResponse:
    return FileResponse(studio_.file(asset, name))


@router.post("/batch")
def start_batch(body: BatchIn, request: Request) -> dict:
    return jobs(request).start(body.category, body.limit, body.formats)


@router.get("/batch/{job_id}")
def get_batch(job_id: str, request: Request) -> dict:
    return {**jobs(request).get(job_id), "results": jobs(request).results(job_id)[-20:]}


@router.post("/batch/{job_id}/resume")
def resume_batch(job_id: str, request: Request) -> dict:
    return jobs(request).resume(job_id)
