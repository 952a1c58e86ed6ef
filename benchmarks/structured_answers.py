"""Catalog questions answered from the catalog: coverage and latency over questions generated
from the demo catalog, each with the answer it must give.

    .venv/bin/python benchmarks/structured_answers.py [--llm-sample 40] [--src PATH]

For every active demo product it asks about sizes and colours it has and lacks, a colour/size
combination's stock, its material, price and listed attributes, with the product in view
(``context_sku``), and checks the reply against the catalog: the right size/colour named with the
right availability (缺货 exactly when the stock is 0), the material text, the price, the
attribute's value. Prints JSON: coverage (share answered correctly), by kind, the route mix and
the p50/p95 latency of the whole reply.

``--src PATH`` runs another checkout's assistant (``PATH/src`` first on sys.path) with the
embedded LLM on a ``--llm-sample`` of the questions: the baseline before catalog lookups existed.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def questions(products: list[dict], seed: int = 7) -> list[dict]:
    rng = random.Random(seed)
    qs = []
    for p in products:
        if p["status"] != "active":
            continue
        sku, vs = p["sku"], p["variants"]
        sizes = list(dict.fromkeys(v["size"] for v in vs if v.get("size")))
        colors = list(dict.fromkeys(v["color"] for v in vs if v.get("color")))
        price = p["price"].rstrip("0").rstrip(".")
        qs.append(
            {"sku": sku, "kind": "price", "q": rng.choice(["多少钱", "这个多少钱？", "价格是多少"]), "must": [price]}
        )
        for s in sizes[:3]:
            total = sum(v["stock"] for v in vs if v["size"] == s)
            qs.append({"sku": sku, "kind": "size", "q": f"有{s}吗", "must": [s], "out": total == 0})
        if sizes and all(len(s) <= 4 and s.isascii() for s in sizes):
            qs.append({"sku": sku, "kind": "size_absent", "q": "有XXXXL吗", "must": ["没有"]})
        for c in colors[:2]:
            total = sum(v["stock"] for v in vs if v["color"] == c)
            qs.append(
                {
                    "sku": sku,
                    "kind": "color",
                    "q": rng.choice([f"有{c}吗", f"{c}还有吗"]),
                    "must": [c],
                    "out": total == 0,
                }
            )
        if colors and "紫色" not in colors:
            qs.append({"sku": sku, "kind": "color_absent", "q": "有紫色的吗", "must": ["没有紫色"]})
        both = [v for v in vs if v.get("color") and v.get("size")]
        if both:
            v = rng.choice(both)
            qs.append(
                {
                    "sku": sku,
                    "kind": "variant",
                    "q": f"{v['color']}{v['size']}还有货吗",
                    "must": [v["color"]],
                    "out": v["stock"] == 0,
                }
            )
        attrs = p.get("attributes") or {}
        for name in ("材质", "面料"):
            if name in attrs:
                qs.append({"sku": sku, "kind": "material", "q": "是什么材质的", "must": [attrs[name][:6]]})
        for name in ("产地", "保质期", "净含量"):
            if name in attrs:
                qs.append({"sku": sku, "kind": "attr", "q": f"{name}是什么", "must": [attrs[name][:6]]})
    return qs


def correct(reply: str, q: dict) -> bool:
    if not all(m in reply for m in q["must"]):
        return False
    if "out" in q:  # availability must match the stock: all out, or some in stock
        some = "有货" in reply or "仅剩" in reply
        return ("缺货" in reply and not some) if q["out"] else some
    return True


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--llm-sample", type=int, default=0)
    ap.add_argument("--src", default=None)
    args = ap.parse_args()
    if args.src:
        sys.path.insert(0, str(Path(args.src) / "src"))
    from shopgen.assistant.answer import assistant_over
    from shopgen.assistant.index import KnowledgeIndex, load_docs
    from shopgen.core.settings import Settings
    from shopgen.demo.loader import load_demo
    from shopgen.store import catalog
    from shopgen.store.db import Database

    tmp = Path(tempfile.mkdtemp())
    settings = Settings(data_dir=tmp, llm_backend="llamacpp" if args.src else "fake")
    db = Database(settings.resolved_database_url())
    db.migrate()
    load_demo(db)
    with db.session() as s:
        products = [catalog.to_dict(p) for p in catalog.list_products(s, limit=1000)[0]]
    try:  # this checkout: the runtime owns the intent model
        from shopgen.server import build_runtime

        rt = build_runtime(settings)
        index = KnowledgeIndex(load_docs(db), rt.embedder(), tmp / "ix")
        assistant = assistant_over(db, index, rt.llm(), rt.intent())
    except ImportError:  # an older checkout (--src): the assistant loaded its own intent model
        from shopgen.models.runtime import Runtime

        rt = Runtime(settings)
        index = KnowledgeIndex(load_docs(db), rt.embedder(), tmp / "ix")
        assistant = assistant_over(db, index, rt.llm())
    qs = questions(products)
    if args.llm_sample:
        qs = random.Random(1).sample(qs, min(args.llm_sample, len(qs)))
    assistant.reply(qs[0]["q"], context_sku=qs[0]["sku"])  # warm up: models load once, not inside a timing
    by_kind, routes, ms = {}, {}, []
    for q in qs:
        start = time.perf_counter()
        r = assistant.reply(q["q"], context_sku=q["sku"])
        ms.append((time.perf_counter() - start) * 1000)
        ok = correct(r.text, q)
        k = by_kind.setdefault(q["kind"], [0, 0])
        k[0] += ok
        k[1] += 1
        routes[r.route] = routes.get(r.route, 0) + 1
    n = len(qs)
    ms.sort()
    print(
        json.dumps(
            {
                "n": n,
                "coverage": round(sum(v[0] for v in by_kind.values()) / n, 4),
                "by_kind": {k: round(v[0] / v[1], 3) for k, v in sorted(by_kind.items())},
                "routes": routes,
                "ms_p50": round(statistics.median(ms), 2),
                "ms_p95": round(ms[int(0.95 * (n - 1))], 2),
                "checkout": args.src or str(ROOT),
            },
            ensure_ascii=False,
            indent=1,
        )
    )


if __name__ == "__main__":
    main()
