"""Product copy on held-out AdvertiseGen items, every row on the same items in one run.

    python benchmarks/copy_advertisegen.py [--limit 100] [--rows today,zeroshot,train,nearest-train] [--out F]

Test items: the held-out half of ``advertisegen/dev.jsonl`` (seed 0), the first ``--limit`` of them.
Rows (each a ``shopgen.copywriting.evaluate.evaluate`` call):

* ``nearest-dev`` / ``nearest-train``: no model, the copy of the most similar exemplar;
* ``today``: exemplars from the other half of dev, the decoding before this change (no repetition
  penalty, the kind's own 80-200 characters); reproduced by swapping the description spec back;
* ``zeroshot``: no exemplars, current decoding;
* ``dev``: exemplars from the other half of dev, current decoding;
* ``train``: exemplars from ``advertisegen/train.jsonl`` (9,265 pairs, disjoint from dev), current decoding
  (what the studio does with ``SHOPGEN_COPY_EXEMPLARS`` set to such a file).

The model is the runtime's (``SHOPGEN_LLM_PRESET``; ``SHOPGEN_LLM_LORA`` for an adapter). Prints one JSON
object per row as it finishes (so a long run shows progress) and the whole result at the end; ``--out``
also writes it. Run it under ``flock /tmp/shopgen-cpu.lock`` on a shared machine.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import platform
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    shared = Path(os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parent / "shared" / "data") / "advertisegen"
    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=100)
    ap.add_argument("--rows", default="nearest-dev,nearest-train,today,zeroshot,train")
    ap.add_argument("--k", type=int, default=2)
    ap.add_argument("--out", default=None)
    args = ap.parse_args()

    from shopgen.copywriting import prompts
    from shopgen.copywriting.evaluate import evaluate
    from shopgen.core.settings import Settings
    from shopgen.models.runtime import Runtime

    dev, train = shared / "dev.jsonl", shared / "train.jsonl"
    llm = Runtime(Settings()).llm()
    spec = prompts.KINDS["description"]
    before = dataclasses.replace(spec, repeat_penalty=None, length_from_exemplars=False)
    plans = {
        "nearest-dev": (dev, "nearest", spec),
        "nearest-train": (train, "nearest", spec),
        "today": (dev, "fewshot", before),
        "zeroshot": (None, "zeroshot", spec),
        "dev": (dev, "fewshot", spec),
        "train": (train, "fewshot", spec),
    }
    out = {
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "machine": f"{platform.processor() or platform.machine()}, {os.cpu_count()} cores",
        "model": getattr(llm, "model", ""),
        "limit": args.limit,
        "rows": {},
    }
    for name in args.rows.split(","):
        exemplars, mode, kind_spec = plans[name]
        prompts.KINDS["description"] = kind_spec
        try:
            r = evaluate(
                dev,
                exemplars,
                None if mode == "nearest" else llm,
                args.limit,
                mode=mode,
                k=args.k,
                split="half",
                progress=None,
            )
        finally:
            prompts.KINDS["description"] = spec
        r["items_per_minute"] = 60 / r["seconds_per_item"] if r["seconds_per_item"] else None
        out["rows"][name] = r
        print(json.dumps({name: r}, ensure_ascii=False), file=sys.stderr, flush=True)
    text = json.dumps(out, ensure_ascii=False, indent=1)
    print(text)
    if args.out:
        Path(args.out).write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
