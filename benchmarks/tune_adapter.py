"""What a LoRA adapter from ``shopgen tune`` costs and buys, beside its base model in the same run.

    python benchmarks/tune_adapter.py --adapter NAME [--preset qwen2.5-coder-0.5b] [--limit 100] [--out F]

For the base alone and for base + adapter (llama.cpp, in-process): load seconds, decode tokens per
second on a fixed prompt, and product copy on the held-out AdvertiseGen items (the held-out half of
``dev.jsonl``, seed 0, zero-shot: the prompt the adapter was trained on) with the ChatGLM protocol.
Prints one JSON object. Run it under ``flock /tmp/shopgen-cpu.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PROMPT = [{"role": "user", "content": "用两句话介绍一件白色纯棉圆领T恤的卖点。"}]


def main() -> None:
    shared = Path(os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parent / "shared" / "data") / "advertisegen"
    ap = argparse.ArgumentParser()
    ap.add_argument("--adapter", required=True)
    ap.add_argument("--preset", default="qwen2.5-coder-0.5b")
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    from shopgen.copywriting.evaluate import evaluate
    from shopgen.core.settings import Settings
    from shopgen.models.llm import lora
    from shopgen.models.llm.llamacpp import LlamaCppGenerator

    base = Settings(llm_preset=args.preset)
    report = json.loads((lora.adapter_dir(base.data_dir, args.adapter) / lora.REPORT_FILE).read_text(encoding="utf-8"))
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "adapter": args.adapter,
        "adapter_bytes": report["adapter_bytes"],
        "tune_report": {k: report[k] for k in ("data", "held_out_loss_before", "held_out_loss_best", "seconds")},
        "rows": {},
    }
    for name, settings in (("base", base), ("tuned", base.model_copy(update={"llm_lora": args.adapter}))):
        llm = LlamaCppGenerator(settings)
        t0 = time.perf_counter()
        llm.chat(PROMPT, max_tokens=1)
        load = time.perf_counter() - t0
        r = llm.chat(PROMPT, max_tokens=64, temperature=0.0)
        row = {"load_seconds": load, "decode_tokens_per_second": r.completion_tokens / r.seconds}
        row.update(evaluate(shared / "dev.jsonl", None, llm, args.limit, mode="zeroshot", split="half", progress=None))
        out["rows"][name] = row
        print(json.dumps({name: row}, ensure_ascii=False), flush=True)
        del llm
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
