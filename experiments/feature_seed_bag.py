#!/usr/bin/env python3
"""Nested leave-one-cell-line-out inner means of a bag of training seeds (experiments/feature-seed-bag.md).

Reads the runs of experiments/feature_nested.sh (candidate NAME, one WORK_DIR per seed: WORK_DIR
/NAME-A-B-SEED/predictions/test.csv), scores each seed alone and the mean of the seeds'
probabilities per pair ("bag"), and prints the inner mean per outer cell line as feature_nested.sh
does (scikit-learn's average precision, the step-wise one of prism/metric.h).
Usage: python3 feature_seed_bag.py NAME WORK_PATTERN SEED... (WORK_PATTERN with {seed}, e.g. /tmp/nested{seed})
"""
import csv, itertools, statistics, sys

from sklearn.metrics import average_precision_score

ALL = ["GM12878", "HUVEC", "HeLa", "IMR90", "K562", "NHEK"]
name, pattern, seeds = sys.argv[1], sys.argv[2], sys.argv[3:]


def ap(y, s):
    return average_precision_score(y, s)  # step-wise, tied scores as one step (as prism/metric.h)


res = {}
for A, B in itertools.combinations(ALL, 2):
    runs = {s: list(csv.DictReader(open(f"{pattern.format(seed=s)}/{name}-{A}-{B}-{s}/predictions/test.csv")))
            for s in seeds}
    for s in seeds[1:]:
        assert [(r["enhancer"], r["promoter"]) for r in runs[s]] == \
               [(r["enhancer"], r["promoter"]) for r in runs[seeds[0]]], (A, B, s)
    for cell in (A, B):
        idx = [i for i, r in enumerate(runs[seeds[0]]) if r["cell_line"] == cell]
        y = [int(runs[seeds[0]][i]["label"]) for i in idx]
        for s in seeds:
            res[(s, frozenset((A, B)), cell)] = ap(y, [float(runs[s][i]["score"]) for i in idx])
        res[("bag", frozenset((A, B)), cell)] = ap(
            y, [statistics.mean(float(runs[s][i]["score"]) for s in seeds) for i in idx])
cols = seeds + ["bag"]
print("outer\t" + "\t".join(cols))
means = {c: [] for c in cols}
for o in ALL:
    for c in cols:
        means[c].append(statistics.mean(res[(c, frozenset((o, i)), i)] for i in ALL if i != o))
    print(o + "\t" + "\t".join("%.4f" % means[c][-1] for c in cols))
print("mean\t" + "\t".join("%.4f" % statistics.mean(means[c]) for c in cols))
