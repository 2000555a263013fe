#!/usr/bin/env python3
"""How much GC a balanced task loss still rewards (experiments/gc-balance.md).

Usage: /usr/bin/python3 experiments/gc_adversary.py SIM_DIR   (a `prism simulate` folder)

Recomputes train.balance's weights (BalanceWeights: 20 quantile bins per cell line, clip 30,
optional trimming of one-class bins) for three covariates - the pair's GC fraction, the
propensity of both elements' GC fractions, the propensity of both elements' G/C and A/C/G/T
counts - and prints the weighted training AUC of a GC adversary (a logistic regression on the
counts, scikit-learn) under each weighting, with the pairs at weight 0 and the Kish effective n.
"""
import csv
import sys

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score

csv.field_size_limit(10**9)
sim = sys.argv[1]


def seqs(path):
    r = csv.reader(open(path))
    next(r)
    return {row[0]: row[1] for row in r}


def counts(s):
    return s.count("G") + s.count("C"), sum(s.count(b) for b in "ACGT")


e = seqs(f"{sim}/train/ALL/e_seq.csv")
p = seqs(f"{sim}/train/ALL/p_seq.csv")
rows = list(csv.DictReader(open(f"{sim}/train/ALL/pairs_hg19.csv")))
E = np.array([counts(e[r["enhancer_name"]]) for r in rows], dtype=float)
P = np.array([counts(p[r["promoter_name"]]) for r in rows], dtype=float)
y = np.array([int(r["label"]) for r in rows])
cell = np.array([r["cell_line"] for r in rows])
pair_gc = (E[:, 0] + P[:, 0]) / (E[:, 1] + P[:, 1])


def weights(cov, trim, bins=20, max_w=30.0):
    w = np.ones(len(y))
    for c in np.unique(cell):
        idx = np.where(cell == c)[0]
        order = idx[np.argsort(cov[idx], kind="stable")]
        m, rate, unmatched = len(order), y[idx].mean(), []
        for b in range(bins):
            rb = order[(m * b) // bins:(m * (b + 1)) // bins]
            if len(rb) == 0:
                continue
            br = y[rb].mean()
            for r in rb:
                w[r] = np.clip((rate if y[r] else 1 - rate) / (br if y[r] else 1 - br), 1 / max_w, max_w)
            if br in (0.0, 1.0):
                unmatched += list(rb)
        if trim and len(unmatched) < len(idx):
            w[unmatched] = 0
        w[idx] *= len(idx) / w[idx].sum()
    return w


def propensity(x):
    out = np.zeros(len(y))
    for c in np.unique(cell):
        i = cell == c
        xs = (x[i] - x[i].mean(0)) / x[i].std(0)
        out[i] = LogisticRegression(C=1e3, max_iter=1000).fit(xs, y[i]).decision_function(xs)
    return out


X = np.c_[E, P]
Xs = (X - X.mean(0)) / X.std(0)
adversary = LogisticRegression(C=1e6, max_iter=1000).fit(Xs, y).decision_function(Xs)
fractions = np.c_[E[:, 0] / E[:, 1], P[:, 0] / P[:, 1]]
arms = [("none", np.ones(len(y)))]
for trim in (False, True):
    arms += [(f"pair GC{' + trim' if trim else ''}", weights(pair_gc, trim)),
             (f"elements' GC fractions{' + trim' if trim else ''}", weights(propensity(fractions), trim)),
             (f"gc_elements (counts){' + trim' if trim else ''}", weights(propensity(X), trim))]
for name, w in arms:
    print(f"{name:32s} weighted AUC {roc_auc_score(y, adversary, sample_weight=w):.3f}  "
          f"zero {int((w == 0).sum()):5d}  effective n {w.sum() ** 2 / (w ** 2).sum():6.0f} of {len(y)}")
