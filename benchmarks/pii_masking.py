"""Time of ``security.pii.mask`` on long adversarial messages, against an older version.

The baseline is the same module as it was at a git revision (``--baseline-rev``, default the
commit before masking became linear), loaded from ``git show`` into a throwaway module, so both
run in the same process on the same inputs. Inputs: runs of place-name characters (「区」…), a
repeated address, and many findings in one text. Each figure is the best of ``--repeat`` runs.

    .venv/bin/python benchmarks/pii_masking.py [--sizes 500,2000,20000] [--json]
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from shopgen.security import pii

INPUTS = {
    "区 × n": "区",
    "北京市朝阳区 × n/6": "北京市朝阳区",
    "文三路 × n/3": "文三路",
    "a full address × n/18": "杭州市西湖区文三路90号3栋201室",
    "phone + email × n/24": "电话13812345678，邮箱a@b.cn；",
}


def _baseline(rev: str):
    source = subprocess.run(
        ["git", "show", f"{rev}:src/shopgen/security/pii.py"], check=True, capture_output=True, text=True
    ).stdout
    path = Path(tempfile.mkdtemp()) / "pii_baseline.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pii_baseline", path)
    module = importlib.util.module_from_spec(spec)
    sys.modules["pii_baseline"] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def _best(fn, text: str, repeat: int, limit: float) -> float | None:
    best = None
    for _ in range(repeat):
        t = time.perf_counter()
        fn(text)
        elapsed = time.perf_counter() - t
        best = elapsed if best is None else min(best, elapsed)
        if elapsed > limit:
            break
    return best


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="500,2000,20000")
    ap.add_argument("--baseline-rev", default="93a05d6")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--baseline-max-chars", type=int, default=20000, help="skip slower baseline sizes above this")
    ap.add_argument("--json", action="store_true")
    args = ap.parse_args()
    old = _baseline(args.baseline_rev)
    rows = []
    for name, unit in INPUTS.items():
        for n in (int(x) for x in args.sizes.split(",")):
            text = unit * max(1, n // len(unit))
            assert old.mask(text) == pii.mask(text), name  # same output, only faster
            base = _best(old.mask, text, args.repeat, 5.0) if len(text) <= args.baseline_max_chars else None
            now = _best(pii.mask, text, args.repeat, 5.0)
            rows.append({"input": name, "chars": len(text), "baseline_s": base, "linear_s": now})
    out = {"machine": f"{platform.machine()} {platform.processor() or ''}".strip(), "rows": rows}
    if args.json:
        print(json.dumps(out, ensure_ascii=False, indent=2))
        return
    print(f"{'input':28s} {'chars':>7s} {'baseline':>10s} {'linear':>10s}")
    for r in rows:
        base = f"{r['baseline_s']:.4f}" if r["baseline_s"] is not None else "-"
        print(f"{r['input']:28s} {r['chars']:7d} {base:>10s} {r['linear_s']:10.4f}")


if __name__ == "__main__":
    main()
