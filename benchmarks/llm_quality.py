"""Grounded-answer faithfulness of each preset on the demo catalog.

    python benchmarks/llm_quality.py [--n 24] [--presets …]

For N demo products (fixed seed) the model gets the product's facts and is asked for one
of them (an attribute value or the price). An answer counts as faithful when it contains
the exact value; the script also reports seconds per answer. This decides the default preset.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import time

from shopgen.core.settings import Settings
from shopgen.demo.loader import DATA
from shopgen.models.llm import create_llm
from shopgen.models.sources import PRESETS

SYSTEM = "你是网店客服。只根据给出的商品信息回答，用中文，一句话，不要编造。"


def questions(n: int, seed: int) -> list[tuple[str, str]]:
    products = [json.loads(line) for line in open(DATA / "products.jsonl", encoding="utf-8")]
    rng = random.Random(seed)
    rng.shuffle(products)
    out = []
    for p in products[:n]:
        facts = "；".join(f"{k}：{v}" for k, v in p["attributes"].items())
        facts = f"商品：{p['title']}；售价：{p['price']}元；{facts}"
        if rng.random() < 0.25:
            q, answer = "这个多少钱？", p["price"].rstrip("0").rstrip(".")
        else:
            name = rng.choice(list(p["attributes"]))
            q, answer = f"这款的{name}是什么？", p["attributes"][name]
        out.append((f"商品信息：{facts}\n问题：{q}", answer))
    return out


def norm(s: str) -> str:
    return re.sub(r"[\s，,。：:]", "", s)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default=",".join(PRESETS))
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()
    qs = questions(args.n, args.seed)
    report = []
    for name in args.presets.split(","):
        llm = create_llm(Settings(llm_preset=name))
        llm.chat([{"role": "user", "content": "你好"}], max_tokens=1)
        hits, start = 0, time.perf_counter()
        for prompt, answer in qs:
            text = llm.chat([{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}], max_tokens=60, temperature=0.0).text
            hits += norm(answer) in norm(text)
        report.append({"preset": name, "n": len(qs), "faithful": round(hits / len(qs), 3),
                       "seconds_per_answer": round((time.perf_counter() - start) / len(qs), 2)})
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
