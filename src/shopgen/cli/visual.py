"""``shopgen visual cutout|eval-cutout|main-image|scene|poster|eval-layout|video|batch|fid``."""

from __future__ import annotations

import json
from pathlib import Path

import click

from shopgen.cli.common import Context, emit, json_option, pass_ctx
from shopgen.core.errors import InvalidInput

STATIC = Path(__file__).resolve().parents[1] / "web" / "static"


@click.group("visual")
def visual_group() -> None:
    """Visual studio: cut-outs, main images, scenes, posters and banners, showcase videos."""


def _image(ctx: Context, path: str):
    from shopgen.visual.images import load_image

    return load_image(path, max_pixels=ctx.settings.vision_max_pixels)


def _cut(ctx: Context, path: str):
    from shopgen.visual.cutout import cut_out

    return cut_out(_image(ctx, path), ctx.runtime.vision())


@visual_group.command("cutout")
@click.argument("image", type=click.Path(dir_okay=False))
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False), help="RGBA PNG to write.")
@click.option("--crop/--no-crop", default=False, help="Crop to the product's box.")
@json_option
@pass_ctx
def cutout_cmd(ctx: Context, image: str, out: str, crop: bool, as_json: bool) -> None:
    """Remove the background of IMAGE (u2netp + edge refinement); write an RGBA PNG."""
    c = _cut(ctx, image)
    (c.product() if crop else c.rgba).save(Path(out).with_suffix(".png"))
    info = {**c.to_dict(), "out": str(Path(out).with_suffix(".png"))}
    emit(info, as_json, f"{info['out']}  product covers {c.coverage:.1%}, {c.ms:.0f} ms ({c.model})")


@visual_group.command("eval-cutout")
@click.option("--images", required=True, type=click.Path(file_okay=False))
@click.option("--reference", required=True, type=click.Path(file_okay=False))
@click.option("--model", default=None, help="Segmenter (default: SHOPGEN_VISION_SEGMENTER, u2netp).")
@click.option("--refine/--no-refine", default=True)
@click.option(
    "--two-pass/--single-pass", default=False, help="A second look at the product's box (off: it no longer helps)."
)
@json_option
@pass_ctx
def eval_cutout_cmd(
    ctx: Context, images: str, reference: str, model: str | None, refine: bool, two_pass: bool, as_json: bool
) -> None:
    """IoU (alpha ≥ 128), boundary F and ms/image against reference cut-outs."""
    from shopgen.visual.evaluate import evaluate_cutout

    r = evaluate_cutout(images, reference, ctx.runtime.vision(model), refine=refine, two_passes=two_pass)
    emit(
        r,
        as_json,
        f"mean IoU {r['mean_iou']}  worst {r['worst_iou']} ({r['worst_image']})  boundary F {r['mean_boundary_f']}  {r['ms_per_image']} ms/image",
    )


@visual_group.command("main-image")
@click.argument("image", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--size", default="1:1", show_default=True, help="1:1 (800×800), 3:4 (750×1000) or WxH.")
@click.option("--background", default="#ffffff", show_default=True)
@click.option(
    "--fill", default=0.8, show_default=True, type=float, help="Share of the canvas the product fills (0.70–0.85)."
)
@json_option
@pass_ctx
def main_image_cmd(ctx: Context, image: str, out: str, size: str, background: str, fill: float, as_json: bool) -> None:
    """A platform main image (主图) of the product in IMAGE."""
    from shopgen.visual.mainimage import main_image

    img, placement = main_image(_cut(ctx, image).product(), size, background, fill)
    img.save(out)
    emit(
        {**placement, "out": out},
        as_json,
        f"{out}  {placement['size'][0]}×{placement['size'][1]}, product fills {placement['fill']:.0%}",
    )


@visual_group.command("scene")
@click.argument("image", type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--kind", type=click.Choice(["gradient", "texture", "photo"]), default="texture", show_default=True)
@click.option("--texture", default="linen", show_default=True, help="linen, wood, marble, concrete")
@click.option("--colours", default="#f4efe8,#d9cfc2", show_default=True)
@click.option("--photo", type=click.Path(dir_okay=False), default=None, help="Scene photo for --kind photo.")
@click.option("--backend", default=None, help="composite (default) or diffusion (GPU, shopgen[diffusion]).")
@click.option("--prompt", default="", help="Scene description (diffusion only).")
@json_option
@pass_ctx
def scene_cmd(
    ctx: Context,
    image: str,
    out: str,
    kind: str,
    texture: str,
    colours: str,
    photo: str | None,
    backend: str | None,
    prompt: str,
    as_json: bool,
) -> None:
    """The product of IMAGE in a scene, colour- and light-matched, with a shadow."""
    from shopgen.visual.scene import SceneSpec, create_scene_backend

    cols = tuple(c.strip() for c in colours.split(","))
    if len(cols) != 2:
        raise InvalidInput("--colours: two colours, e.g. #f4efe8,#d9cfc2")
    spec = SceneSpec(kind, cols, texture, _image(ctx, photo) if photo else None, prompt)
    maker = create_scene_backend(ctx.settings, backend)
    maker.render(_cut(ctx, image).product(), spec, (800, 800)).save(out)
    emit({"out": out, "backend": maker.name}, as_json, out)


def _copy_from(title, points, price, original, promotion, cta, brand):
    from shopgen.visual.design import PosterCopy

    return PosterCopy(title, list(points), price, original, promotion, cta, brand).check()


@visual_group.command("poster")
@click.argument("image", type=click.Path(dir_okay=False))
@click.option(
    "--format", "fmt", default="feed", show_default=True, help="feed, detail, story, banner, live (or 'all')."
)
@click.option("--title", required=True)
@click.option("--point", "points", multiple=True, required=True, help="A selling point (1–4).")
@click.option("--price", required=True)
@click.option("--original-price", default=None)
@click.option("--promotion", default=None, help="Badge text, e.g. 限时直降.")
@click.option("--cta", default="立即抢购", show_default=True)
@click.option("--brand", default=None)
@click.option("--out", "out_dir", required=True, type=click.Path(file_okay=False))
@click.option("--keep", default=3, show_default=True, help="Candidates to export per format.")
@json_option
@pass_ctx
def poster_cmd(
    ctx: Context,
    image: str,
    fmt: str,
    title,
    points,
    price,
    original_price,
    promotion,
    cta,
    brand,
    out_dir: str,
    keep: int,
    as_json: bool,
) -> None:
    """Layout candidates for IMAGE's product, scored and ranked; PNG + SVG + layered JSON each."""
    from shopgen.visual import poster
    from shopgen.visual.design import FORMATS

    copy = _copy_from(title, points, price, original_price, promotion, cta, brand)
    prod = _cut(ctx, image).product()
    result = []
    for f in list(FORMATS) if fmt == "all" else [fmt]:
        for i, d in enumerate(poster.candidates(prod, copy, f)[:keep]):
            files = poster.export(d, prod, out_dir, f"{f}-{i}")
            result.append({"format": f, "rank": i, "template": d.template, "style": d.style, "score": d.score, **files})
    emit(
        result,
        as_json,
        "\n".join(
            f"{r['png']}  {r['template']}/{r['style']}  score {r['score']['total']}  {'ok' if r['score']['eligible'] else 'FAILS RULES'}"
            for r in result
        ),
    )


@visual_group.command("eval-layout")
@click.option("--formats", default="all", show_default=True, help="Comma-separated formats or 'all'.")
@click.option("--limit", default=None, type=int, help="First N demo products only.")
@json_option
@pass_ctx
def eval_layout_cmd(ctx: Context, formats: str, limit: int | None, as_json: bool) -> None:
    """Layouts over the demo catalog × every format: overlap, WCAG AA, margins, layouts/s per core."""
    from shopgen.demo.loader import DATA
    from shopgen.visual.design import FORMATS
    from shopgen.visual.evaluate_layout import evaluate_layouts
    from shopgen.visual.service import VisualStudio, copy_from_product

    fmts = list(FORMATS) if formats == "all" else [f.strip() for f in formats.split(",")]
    products = [
        json.loads(line) for line in (DATA / "products.jsonl").read_text(encoding="utf-8").splitlines() if line.strip()
    ]
    studio = VisualStudio(ctx.settings.data_dir, ctx.runtime.vision, static_dir=STATIC)
    items = []
    for p in products[:limit]:
        studio.cutout(product=p)  # cached per SKU under the data dir
        items.append((p["sku"], studio.product_image(f"sku-{p['sku']}"), copy_from_product(p)))
    r = evaluate_layouts(items, fmts)
    emit(
        r,
        as_json,
        f"{r['candidates']} candidates: zero overlap {r['zero_overlap_share']:.0%}, AA {r['aa_share']:.0%}, inside margins {r['inside_margins_share']:.0%}, {r['layouts_per_second_per_core']} layouts/s per core",
    )


@visual_group.command("video")
@click.argument("images", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option("--out", required=True, type=click.Path(dir_okay=False))
@click.option("--aspect", type=click.Choice(["9:16", "16:9"]), default="9:16", show_default=True)
@click.option("--title", required=True)
@click.option("--caption", "captions", multiple=True, required=True, help="A caption / narration sentence.")
@click.option("--price", default=None)
@click.option("--cta", default="立即抢购", show_default=True)
@click.option("--narrate/--no-narrate", default=True, help="Narrate with the voice backend (SHOPGEN_VOICE_BACKEND).")
@json_option
@pass_ctx
def video_cmd(
    ctx: Context, images, out: str, aspect: str, title: str, captions, price, cta, narrate: bool, as_json: bool
) -> None:
    """A 10–30 s showcase MP4 (+ .srt) from one or more views of the product."""
    from shopgen.visual.video import make_video

    views = [_cut(ctx, p).product() for p in images]
    r = make_video(
        views,
        title=title,
        captions=list(captions),
        price=price,
        cta=cta,
        out=out,
        aspect=aspect,
        speaker=ctx.runtime.speaker() if narrate else None,
    )
    emit(r.to_dict(), as_json, f"{r.mp4}  {r.seconds:.1f} s, {r.size[0]}×{r.size[1]}, subtitles {r.srt}")


@visual_group.command("batch")
@click.option("--category", default=None)
@click.option("--limit", default=None, type=int)
@click.option("--formats", default="feed", show_default=True)
@click.option("--out", required=True, type=click.Path(dir_okay=False), help="JSONL, one record per product.")
@click.option("--resume", is_flag=True, help="Skip products already in --out.")
@click.option("--engine", type=click.Choice(["local", "ray"]), default="local", show_default=True)
@json_option
@pass_ctx
def batch_cmd(ctx: Context, category, limit, formats: str, out: str, resume: bool, engine: str, as_json: bool) -> None:
    """Cut-out, main image and best posters for every active catalog product."""
    from shopgen.store import catalog
    from shopgen.visual.batch import StudioFactory, run_batch

    with ctx.db.session() as s:
        products = [
            catalog.to_dict(p)
            for p in catalog.list_products(s, category=category, status="active", limit=limit or 1_000_000)[0]
        ]
    factory = StudioFactory(
        str(ctx.settings.data_dir), str(STATIC), ctx.settings.vision_segmenter, ctx.settings.vision_threads
    )

    def progress(i: int, n: int) -> None:
        if not as_json:
            click.echo(f"\r{i}/{n}", nl=False, err=True)

    r = run_batch(
        products,
        factory,
        out,
        formats=[f.strip() for f in formats.split(",")],
        resume=resume,
        engine=engine,
        progress=progress,
    )
    emit(r, as_json, f"\nwrote {r['written']}, skipped {r['skipped']}, failed {len(r['failed'])} → {r['out']}")


@visual_group.command("fid")
@click.option("--real", required=True, type=click.Path(file_okay=False))
@click.option("--fake", required=True, type=click.Path(file_okay=False))
@click.option(
    "--extractor",
    default="u2netp-encoder",
    show_default=True,
    help="u2netp-encoder (offline, internal figures) or inception (online).",
)
@json_option
@pass_ctx
def fid_cmd(ctx: Context, real: str, fake: str, extractor: str, as_json: bool) -> None:
    """FID and KID between two folders of images (and IS of --fake with the inception extractor)."""
    import numpy as np

    from shopgen.metrics import image as im
    from shopgen.models.vision.features import extractors

    ex = extractors.create(extractor, ctx.settings)

    def load(folder: str):
        paths = sorted(p for p in Path(folder).iterdir() if p.suffix.lower() in {".png", ".jpg", ".jpeg", ".webp"})
        if len(paths) < 2:
            raise InvalidInput(f"{folder}: need at least 2 images")
        return np.stack([np.asarray(_image(ctx, str(p)).convert("RGB").resize((299, 299))) for p in paths])

    a, b = ex.features(load(real)), ex.features(load(fake))
    k_mean, k_std = im.kid(a, b, subsets=50, subset_size=min(len(a), len(b), 1000))
    r = {
        "extractor": ex.name,
        "pinned": ex.pinned,
        "n_real": len(a),
        "n_fake": len(b),
        "fid": round(im.fid(a, b), 4),
        "kid": round(k_mean, 6),
        "kid_std": round(k_std, 6),
        "comparable_with_papers": ex.name == "inception",
    }
    if hasattr(ex, "probabilities"):
        r["is"], r["is_std"] = im.inception_score(ex.probabilities(load(fake)))
    emit(r, as_json, f"FID {r['fid']}  KID {r['kid']} ± {r['kid_std']}  ({ex.name})")


def register(cli: click.Group) -> None:
    cli.add_command(visual_group)
