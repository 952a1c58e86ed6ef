"""Converts the three shipped linear text models to the one format of
:class:`shopgen.models.textclf.LinearTextClassifier` (run once; a converted file is left alone).

    python scripts/convert_text_models.py

The weights are copied, not retrained: float16 values stay bit for bit, only their layout changes
(the assistant's intent weights were stored labels × features, the sentiment weights as one
vector), so every prediction stays what it was. Provenance is kept and completed with the script
and the hash of the data each model was trained on.
"""

import hashlib
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from shopgen.live import intent as live_intent  # noqa: E402  (registers the "live-chars" features)
from shopgen.models import npz  # noqa: E402
from shopgen.models.textclf import FORMAT, LinearTextClassifier  # noqa: E402

SENTIMENT = ROOT / "src/shopgen/insight/data/sentiment-zh-linear.npz"
ASSIST = ROOT / "src/shopgen/assistant/data/intent-zh-linear.npz"
ASSIST_DATA = ROOT / "src/shopgen/assistant/data/intent_train.jsonl"


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _described(meta: dict) -> dict:
    """The old files used ``features`` for a description; it now names the feature function."""
    meta = dict(meta)
    if "features" in meta:
        meta["description"] = meta.pop("features")
    return meta


def sentiment(z: npz.Loaded) -> LinearTextClassifier:
    a, meta = z.arrays, _described(z.meta)
    meta.update(
        features="zh-words",
        data_sha256=meta["sha256"],
        script="shopgen insight train --data online_shopping_10_cats.train.csv --dev online_shopping_10_cats.dev.csv"
        f" --c {meta['c']:g} --min-df {meta['min_df']}",
    )
    return LinearTextClassifier(
        ("negative", "positive"), z.vocab(), a["idf"], a["coef"][:, None], np.atleast_1d(a["intercept"]), meta
    )


def assistant(z: npz.Loaded) -> LinearTextClassifier:
    a, meta = z.arrays, _described(z.meta)
    if _sha256(ASSIST_DATA) and sum(1 for line in ASSIST_DATA.open(encoding="utf-8") if line.strip()) != meta["n"]:
        raise SystemExit(f"{ASSIST_DATA} no longer matches the model's training file ({meta['n']} lines)")
    meta.update(
        features="zh-words",
        data_sha256=_sha256(ASSIST_DATA),
        dense_embedder=meta.pop("embedder"),
        script=f"shopgen intent train --data src/shopgen/assistant/data/intent_train.jsonl (C={meta['c']:g})",
    )
    return LinearTextClassifier(
        tuple(z.strings("labels")),
        z.vocab("terms"),
        a["idf"],
        a["coef"].T,
        a["intercept"],
        meta,
        dense_coef=a["e5_coef"].T,
        dense_intercept=a["e5_intercept"],
    )


def live(z: npz.Loaded) -> LinearTextClassifier:
    a, meta = z.arrays, _described(z.meta)
    meta.update(features="live-chars", data_sha256=meta["seed_sha256"])
    return LinearTextClassifier(tuple(z.strings("labels")), z.vocab(), a["idf"], a["coef"], a["intercept"], meta)


def main() -> int:
    for path, convert in ((SENTIMENT, sentiment), (ASSIST, assistant), (live_intent.DEFAULT_MODEL, live)):
        z = npz.load(path, "model")
        if z.meta.get("format") == FORMAT:
            print(f"{path.relative_to(ROOT)}: already converted")
            continue
        model = convert(z)
        model.meta["converted_by"] = "scripts/convert_text_models.py"
        model.save(path)
        print(f"{path.relative_to(ROOT)}: {len(model.labels)} labels, {len(model.vocab)} features")
    return 0


if __name__ == "__main__":
    sys.exit(main())
