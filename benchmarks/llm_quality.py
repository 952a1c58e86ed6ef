"""Grounded-answer faithfulness of each preset on the demo catalog.

    python benchmarks/llm_quality.py [--n 24] [--presets …]

For N demo products (fixed seed) the model gets the product's facts and is asked

* for one of them (an attribute value or the price): *recall* counts answers that contain
  the exact value;
* for something the facts do not say (warranty of a food, waterproofing of a T-shirt …):
  *abstain* counts answers that say the information is not given instead of inventing it.

It also reports seconds per answer. These two numbers decide the default preset.
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

# The instruction to abstain matters: without it both presets invent a warranty or a launch
# year for every absent fact (measured: 0/15 abstentions each).
SYSTEM = (
    "你是网店客服。只能根据【商品信息】回答，用中文一句话。"
    "如果商品信息里没有写到所问的内容，必须回答“商品信息中没有提到”，不要猜测或编造。"
)


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


ABSENT = ["这款防水吗？", "保修几年？", "适合几岁的孩子？", "是哪一年上市的？", "支持无线充电吗？", "有机认证吗？"]
ABSTAIN = re.compile(r"没有|未|不清楚|无法|暂无|不确定|没提到|不知道|未提及|未说明|无相关|不详|抱歉")


def absent_questions(n: int, seed: int) -> list[str]:
    products = [json.loads(line) for line in open(DATA / "products.jsonl", encoding="utf-8")]
    rng = random.Random(seed + 1)
    out = []
    for p in rng.sample(products, n):
        facts = "；".join(f"{k}：{v}" for k, v in p["attributes"].items())
        joined = facts + p["title"]
        q = next(q for q in rng.sample(ABSENT, len(ABSENT)) if q[:2] not in joined)
        out.append(f"商品信息：商品：{p['title']}；售价：{p['price']}元；{facts}\n问题：{q}")
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
    absent = absent_questions(args.n // 2, args.seed)
    report = []
    for name in args.presets.split(","):
        llm = create_llm(Settings(llm_preset=name))
        llm.chat([{"role": "user", "content": "你好"}], max_tokens=1)
        ask = lambda prompt, llm=llm: (  # noqa: E731
            llm.chat(
                [{"role": "system", "content": SYSTEM}, {"role": "user", "content": prompt}],
                max_tokens=40,
                temperature=0.0,
            ).text
        )
        start = time.perf_counter()
        hits = sum(norm(answer) in norm(ask(prompt)) for prompt, answer in qs)
        abstained = sum(bool(ABSTAIN.search(ask(prompt))) for prompt in absent)
        report.append(
            {
                "preset": name,
                "n_recall": len(qs),
                "recall": round(hits / len(qs), 3),
                "n_abstain": len(absent),
                "abstain": round(abstained / len(absent), 3),
                "seconds_per_answer": round((time.perf_counter() - start) / (len(qs) + len(absent)), 2),
            }
        )
    print(json.dumps(report, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
