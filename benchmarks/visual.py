"""Visual studio figures: cut-out quality against rembg's u2net cut-outs (the unrefined u2netp as
the baseline and the optional second pass, in the same run), layouts over the demo catalog × every format,
main image / video speed, and the offline FID features on a small internal check.

    python benchmarks/visual.py [--photos ../shared/data/images/products] [--skip-video]

Prints one JSON object. Run it under ``flock /tmp/shopgen-cpu.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src/shopgen/web/static"


def main() -> None:
    ap = argparse.ArgumentParser()
    shared = Path(os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parent / "shared" / "data")
    ap.add_argument("--photos", default=str(shared / "images" / "products"))
    ap.add_argument("--skip-video", action="store_true")
    args = ap.parse_args()

    import numpy as np

    from shopgen.core.settings import Settings
    from shopgen.demo.loader import DATA
    from shopgen.metrics import image as im
    from shopgen.models.vision import create_segmenter
    from shopgen.models.vision.features import extractors
    from shopgen.visual.evaluate import evaluate_cutout
    from shopgen.visual.evaluate_layout import evaluate_layouts
    from shopgen.visual.mainimage import main_image
    from shopgen.visual.service import VisualStudio, copy_from_product
    from shopgen.visual.video import make_video

    settings = Settings(vision_threads=2)
    seg = create_segmenter(settings, "u2netp")
    photos = Path(args.photos)
    out: dict = {
        "machine": f"{platform.processor() or platform.machine()}, 2 cores shared",
        "date": time.strftime("%Y-%m-%d"),
    }
    slim = lambda r: {k: v for k, v in r.items() if k != "per_image"}  # noqa: E731
    base = evaluate_cutout(photos, photos / "rembg-u2net", seg, refine=False, two_passes=False)
    ours = evaluate_cutout(photos, photos / "rembg-u2net", seg)
    second = evaluate_cutout(photos, photos / "rembg-u2net", seg, two_passes=True)
    out["cutout"] = {
        "baseline_single_pass_unrefined": slim(base),
        "refined": slim(ours),
        "two_pass_refined": slim(second),
        "per_image": ours["per_image"],
    }

    with tempfile.TemporaryDirectory() as tmp:
        studio = VisualStudio(tmp, lambda: seg, static_dir=STATIC)
        products = [
            json.loads(x) for x in (DATA / "products.jsonl").read_text(encoding="utf-8").splitlines() if x.strip()
        ]
        t = time.perf_counter()
        items = []
        for p in products:
            studio.cutout(product=p)
            items.append((p["sku"], studio.product_image(f"sku-{p['sku']}"), copy_from_product(p)))
        out["demo_cutouts_seconds"] = round(time.perf_counter() - t, 1)
        out["layout"] = evaluate_layouts(items)
        t = time.process_time()
        for _, prod, _ in items:
            main_image(prod, "1:1")
        out["main_images_per_second_per_core"] = round(len(items) / (time.process_time() - t), 2)
        if not args.skip_video:
            _, prod, copy = items[0]
            t = time.perf_counter()
            r = make_video(
                [prod],
                title=copy.title,
                captions=copy.selling_points,
                price=copy.price,
                cta="立即抢购",
                out=Path(tmp) / "v",
                aspect="9:16",
            )
            out["video"] = {
                "seconds_of_video": round(r.seconds, 1),
                "wall_seconds": round(time.perf_counter() - t, 1),
                "size": r.size,
            }
        ex = extractors.create("u2netp-encoder", settings)
        grab = lambda sku: np.asarray(studio.product_image(f"sku-{sku}").convert("RGB").resize((299, 299)))  # noqa: E731
        fz = ex.features(np.stack([grab(p["sku"]) for p in products if p["sku"].startswith(("FZ", "MZ"))]))
        sp = ex.features(np.stack([grab(p["sku"]) for p in products if p["sku"].startswith(("SP", "JJ"))]))
        half = len(fz) // 2
        out["fid_internal"] = {
            "extractor": ex.name,
            "pinned": ex.pinned,
            "fid_clothing_beauty_half_vs_half": round(im.fid(fz[:half], fz[half:]), 3),
            "fid_clothing_beauty_vs_food_home": round(im.fid(fz, sp), 3),
        }
    print(json.dumps(out, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
