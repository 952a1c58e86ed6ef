"""Data preparation on the shared review and FAQ files: duplicates, conflicts, suspected label errors, time.

    flock /tmp/shopgen-cpu.lock python benchmarks/dataprep.py [--data ../shared/data] [--sample 50] \
        [--sample-out FILE] [--mask-kinds all]

Prints one JSON object. Per file: the cleaning report's counts (default settings: near duplicates at
Jaccard 0.8 over character bigrams, personal data but addresses masked, Chinese share ≥ 0.5) and the baseline
from the same run, exact duplicates only (``near=1``). For the reviews, the label audit (5 folds,
seed 7) and, as its baseline, how many rows the same out-of-fold model simply misclassifies.
``--sample-out`` writes a seeded random sample of the flagged reviews for checking by hand
(``benchmarks/dataprep_labelcheck.md`` was drawn with ``--mask-kinds all``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import tempfile
import time
from pathlib import Path

from shopgen.dataprep import Options, audit_file, clean_file, prepare, records
from shopgen.dataprep.clean import DEFAULT_MASK_KINDS
from shopgen.security.pii import LABELS

ROOT = Path(__file__).resolve().parents[1]


def counts(report: dict) -> dict:
    keep = ("rows_in", "rows_out", "removed", "changed", "duplicates", "seconds")
    out = {k: report[k] for k in keep}
    out["conflicts"] = {k: report["conflicts"][k] for k in ("groups", "rows")}
    out["conflict_examples"] = report["conflicts"]["examples"]
    return out


def dedup_only(path: Path, opts: Options) -> dict:
    start = time.perf_counter()
    full = prepare(records.read(path), opts).report
    exact = prepare(records.read(path), Options(**{**opts.__dict__, "near": 1.0})).report
    return {
        "default": counts(full),
        "baseline_exact_only": {**counts(exact), "conflict_examples": None},
        "seconds_both": round(time.perf_counter() - start, 1),
    }


def reviews(path: Path, sample: int, sample_out: Path | None, opts: Options) -> dict:
    out: dict = {}
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        r = clean_file(path, Path(tmp) / "clean.csv", opts)
        out["clean"] = {**counts(r), "seconds_with_write": round(time.perf_counter() - start, 1)}
    out["baseline_exact_only"] = {
        **counts(prepare(records.read(path), Options(**{**opts.__dict__, "near": 1.0})).report),
        "conflict_examples": None,
    }
    start = time.perf_counter()
    a = audit_file(path, opts, folds=5, top=10**9, seed=7)
    la = a["label_audit"]
    seconds = time.perf_counter() - start
    flagged = la.pop("top")
    # baseline from the same run: rows whose out-of-fold prediction is simply another label
    la["baseline_misclassified"] = round((1 - la["out_of_fold_accuracy"]) * la["rows"])
    la["seconds"] = round(seconds, 1)
    by_cat: dict[str, int] = {}
    cats = {r.line: r.values.get("cat") for r in records.read(path).rows}
    for f in flagged:
        by_cat[cats[f["line"]]] = by_cat.get(cats[f["line"]], 0) + 1
    la["flagged_by_cat"] = dict(sorted(by_cat.items(), key=lambda kv: -kv[1]))
    out["audit"] = la
    if sample_out is not None:
        picked = random.Random(0).sample(flagged, min(sample, len(flagged)))
        picked.sort(key=lambda f: f["line"])
        sample_out.write_text(
            "".join(json.dumps({**f, "cat": cats[f["line"]]}, ensure_ascii=False) + "\n" for f in picked),
            encoding="utf-8",
        )
        out["sample_written"] = str(sample_out)
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    default = os.environ.get("SHOPGEN_SHARED_DATA") or ROOT.parent / "shared" / "data"
    ap.add_argument("--data", type=Path, default=default, help="Default: ../shared/data or $SHOPGEN_SHARED_DATA")
    ap.add_argument("--sample", type=int, default=50)
    ap.add_argument("--sample-out", type=Path, default=None)
    ap.add_argument("--mask-kinds", default=None, help="'all' adds addresses (the hand-checked sample used it)")
    args = ap.parse_args()
    mask_kinds = tuple(LABELS) if args.mask_kinds == "all" else DEFAULT_MASK_KINDS
    d = args.data
    result = {
        "machine": f"{platform.machine()}, {platform.python_version()}, 2 shared cores",
        "date": time.strftime("%Y-%m-%d"),
        "settings": {"near": 0.8, "ngram": 2, "min_cjk": 0.5, "mask": mask_kinds, "conflicts": "drop", "folds": 5},
        "reviews_train": reviews(
            d / "reviews" / "online_shopping_10_cats.train.csv",
            args.sample,
            args.sample_out,
            Options(mask_kinds=mask_kinds),
        ),
        "atec_pairs": dedup_only(
            d / "faq" / "atec" / "atec_nlp_sim_train.csv",
            Options(fields=["col2", "col3"], label_field="col4", mask_kinds=mask_kinds),
        ),
        "atec_corpus": dedup_only(d / "faq" / "atec" / "corpus.jsonl", Options(mask_kinds=mask_kinds)),
        "atec_queries": dedup_only(d / "faq" / "atec" / "queries.jsonl", Options(mask_kinds=mask_kinds)),
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
