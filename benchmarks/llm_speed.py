"""Time to first token and decode speed for each embedded LLM preset, and embedding throughput.

    python benchmarks/llm_speed.py [--presets qwen2.5-coder-1.5b,qwen2.5-coder-0.5b] [--runs 3] [--json]

Prints one JSON object; BENCHMARKS.md records the figures with machine, model and date.
Each preset is loaded in this process once (load time reported), then answers the same
Chinese shop prompts at temperature 0; the medians over prompts × runs are reported.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import time
from datetime import UTC, datetime

from shopgen.core.settings import Settings
from shopgen.models.embed import create_embedder
from shopgen.models.llm import create_llm
from shopgen.models.probe import PROBE_SENTENCES, measure_embedding, measure_generation
from shopgen.models.sources import PRESETS

PROMPTS = [
    "用一句话介绍这款纯棉T恤：100%棉，圆领，白色，售价79元。",
    "顾客问：这款保温杯能装开水吗？商品信息：316不锈钢内胆，500ml，保温6小时。请用中文简短回答。",
    "为一款SPF50+的防晒霜写一句小红书风格的推荐语。",
]


def bench_preset(name: str, runs: int, max_tokens: int) -> dict:
    settings = Settings(llm_preset=name)
    llm = create_llm(settings)
    start = time.perf_counter()
    llm.chat([{"role": "user", "content": "你好"}], max_tokens=1)  # load + warm
    load = time.perf_counter() - start
    ttft, decode = [], []
    for _ in range(runs):
        for p in PROMPTS:
            m = measure_generation(llm, p, max_tokens=max_tokens)
            ttft.append(m["ttft_s"])
            if m["decode_tokens_per_s"]:
                decode.append(m["decode_tokens_per_s"])
    return {
        "preset": name,
        "load_and_first_call_s": round(load, 2),
        "ttft_s_median": round(statistics.median(ttft), 3),
        "decode_tokens_per_s_median": round(statistics.median(decode), 2),
        "samples": len(ttft),
    }


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--presets", default=",".join(PRESETS))
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--max-tokens", type=int, default=64)
    args = ap.parse_args()
    out = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} cores, {platform.python_implementation()} {platform.python_version()}",
        "llm": [bench_preset(p, args.runs, args.max_tokens) for p in args.presets.split(",")],
        "embedding": measure_embedding(create_embedder(Settings()), PROBE_SENTENCES, rounds=10),
    }
    print(json.dumps(out, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
