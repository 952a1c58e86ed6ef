"""Blend table for w*linear + (1-w)*finetuned dev logits, plus an honest
estimate of the blend accuracy when w is chosen on one half of dev and
applied to the other half (2-fold, repeated with 20 random splits).

  venv/bin/python blend_eval.py run1/dev_ft_logits.npy [dev_linear_logits.npy]
"""

import csv
import os
import sys

import numpy as np

REVIEWS = os.path.join(
    os.environ.get(
        "SHOPGEN_SHARED_DATA",
        os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "shared", "data"),
    ),
    "reviews",
)
DEV = os.path.join(REVIEWS, "online_shopping_10_cats.dev.csv")
W = np.round(np.linspace(0, 1, 21), 2)


def acc(z, y):
    return float(((z > 0).astype(int) == y).mean())


def main():
    z_ft = np.load(sys.argv[1])
    z_lin = np.load(sys.argv[2] if len(sys.argv) > 2 else "dev_linear_logits.npy")
    y = np.array([int(r["label"]) for r in csv.DictReader(open(DEV, encoding="utf-8"))])
    tab = [acc(w * z_lin + (1 - w) * z_ft, y) for w in W]
    b = int(np.argmax(tab))
    print(
        "ft alone %.4f | linear alone %.4f | best w=%.2f %.4f | w=0.5 %.4f" % (tab[0], tab[-1], W[b], tab[b], tab[10])
    )
    rng = np.random.default_rng(0)
    res = []
    for _ in range(20):
        perm = rng.permutation(len(y))
        h = len(y) // 2
        for a, c in ((perm[:h], perm[h:]), (perm[h:], perm[:h])):
            wa = W[int(np.argmax([acc(w * z_lin[a] + (1 - w) * z_ft[a], y[a]) for w in W]))]
            res.append(acc(wa * z_lin[c] + (1 - wa) * z_ft[c], y[c]))
    print("w chosen on half of dev, scored on the other half: mean %.4f (sd %.4f)" % (np.mean(res), np.std(res)))
    print("logit scales: std linear %.2f, std ft %.2f" % (z_lin.std(), z_ft.std()))


if __name__ == "__main__":
    main()
