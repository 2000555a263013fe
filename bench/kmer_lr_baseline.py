#!/usr/bin/env python3
"""k-mer baseline for a prism simulation (or any domain-kl folder): L2 logistic regression on the
canonical 4-mer frequencies of enhancer and promoter (2 x 136 features, a k-mer and its reverse
complement as one), standardised, C = 1, fitted on train; prints one JSON object with the test
AUPR overall and per cell line (and val when present). Usage: python3 THIS DIR [K]
Needs numpy and scikit-learn (Debian: python3-sklearn; use /usr/bin/python3).
"""
import csv
import itertools
import json
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score
from sklearn.preprocessing import StandardScaler

D = sys.argv[1]
K = int(sys.argv[2]) if len(sys.argv) > 2 else 4
COMP = str.maketrans("ACGT", "TGCA")
kmers = ["".join(p) for p in itertools.product("ACGT", repeat=K)]
canon = {k: min(k, k.translate(COMP)[::-1]) for k in kmers}
cols = {c: i for i, c in enumerate(sorted(set(canon.values())))}
code = {k: cols[canon[k]] for k in kmers}


def vec(s):
    v = np.zeros(len(cols), np.float32)
    for i in range(len(s) - K + 1):
        j = code.get(s[i:i + K])
        if j is not None:
            v[j] += 1
    return v / max(1.0, v.sum())


def load(split):
    seq = {}
    for f in ("e_seq.csv", "p_seq.csv"):
        for r in csv.DictReader(open(f"{D}/{split}/ALL/{f}")):
            seq[r["region"]] = r["sequence"]
    x, y, c = [], [], []
    for r in csv.DictReader(open(f"{D}/{split}/ALL/pairs_hg19.csv")):
        x.append(np.concatenate([vec(seq[r["enhancer_name"]]), vec(seq[r["promoter_name"]])]))
        y.append(int(r["label"]))
        c.append(r["cell_line"])
    return np.array(x), np.array(y), np.array(c)


xtr, ytr, _ = load("train")
scaler = StandardScaler().fit(xtr)
model = LogisticRegression(C=1.0, max_iter=2000).fit(scaler.transform(xtr), ytr)
out = {"method": f"L2 logistic regression (C=1) on canonical {K}-mer frequencies"}
for split in ("val", "test"):
    try:
        x, y, c = load(split)
    except FileNotFoundError:
        continue
    p = model.decision_function(scaler.transform(x))
    out[split] = {"aupr": average_precision_score(y, p),
                  "per_cell": {cell: average_precision_score(y[c == cell], p[c == cell])
                               for cell in sorted(set(c))}}
print(json.dumps(out))
