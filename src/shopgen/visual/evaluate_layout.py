"""Layout quality over a catalog × every format: the share of candidates with zero text–product
overlap, with every text passing WCAG AA, with every text inside the safe margins, the share of
(product, format) pairs whose best candidate passes all three, and layouts per second per core
(process CPU time of generating, rendering the backdrop and scoring; one thread)."""

from __future__ import annotations

import time

from shopgen.core.errors import InvalidInput
from shopgen.visual import poster
from shopgen.visual.design import FORMATS


def evaluate_layouts(items: list[tuple[str, object, object]], formats: list[str] | None = None) -> dict:
    """``items``: ``(sku, product RGBA cut-out, PosterCopy)``."""
    formats = formats or list(FORMATS)
    n = overlap0 = aa = inside = best_ok = pairs = 0
    errors, per_format = [], {}
    cpu = 0.0
    for sku, product, copy in items:
        for fmt in formats:
            t = time.process_time()
            try:
                ds = poster.candidates(product, copy, fmt)
            except InvalidInput as exc:
                errors.append({"sku": sku, "format": fmt, "error": exc.message})
                continue
            finally:
                cpu += time.process_time() - t
            pairs += 1
            best_ok += ds[0].score["eligible"]
            f = per_format.setdefault(fmt, {"candidates": 0, "eligible": 0})
            for d in ds:
                s = d.score
                n += 1
                overlap0 += s["overlap_px"] == 0
                aa += s["aa_pass"]
                inside += s["inside_margins"]
                f["candidates"] += 1
                f["eligible"] += s["eligible"]
    if not n:
        raise InvalidInput("no layout could be made", {"errors": errors[:5]})
    return {
        "products": len(items),
        "formats": formats,
        "pairs": pairs,
        "candidates": n,
        "zero_overlap_share": round(overlap0 / n, 4),
        "aa_share": round(aa / n, 4),
        "inside_margins_share": round(inside / n, 4),
        "best_eligible_share": round(best_ok / pairs, 4) if pairs else 0.0,
        "layouts_per_second_per_core": round(n / cpu, 2) if cpu else None,
        "per_format": per_format,
        "errors": errors,
    }
