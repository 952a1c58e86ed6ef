"""Dev-set logits of the shipped linear model (run with the project's .venv/bin/python).
Usage: python linear_logits.py CSV OUT.npy"""

import csv
import sys

import numpy as np

from shopgen.insight.model import DEFAULT_MODEL, LinearSentiment

rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
m = LinearSentiment.load(DEFAULT_MODEL)
z = np.asarray(m.decision([r["review"] for r in rows]), dtype=np.float32)
y = np.array([int(r["label"]) for r in rows])
print("linear acc %.4f on %d" % (((z > 0).astype(int) == y).mean(), len(y)))
np.save(sys.argv[2], z)
