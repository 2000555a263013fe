#!/usr/bin/python3
"""Trees alone, with and without label-free candidate-set columns, on Whalen (nested) and BENGI.

Candidates (--cands), each a set of columns appended to hgb_baseline.load's input (log1p of the
24 signals and of |distance|):
  none     nothing appended (prism's trees member as it was; reproduces feature-trees.md's 0.2255)
  nearer   prism's data.candidate_rank (train/candidate_rank.h), reimplemented here: log1p of the
           number of distinct promoters of the pair's enhancer, and of distinct enhancers of its
           promoter, in the same cell line, strictly nearer than this pair (ties not counted)
  count    log1p of the number of pairs listing the enhancer, and the promoter (how the table
           was sampled; shown for contrast, not offered by prism)
  dres     distance-conditioned window marks: each of the 8 window columns minus its mean in its
           log-distance ventile over the training rows (appended)
Whalen: nested leave-one-cell-line-out exactly as experiments/feature_tree_params.py (rounds by
leave-one-training-cell-line-out early stopping). BENGI: all tables of one cell line -> the other;
rounds = median best round over 5 chromosome folds (prism's rule with one training cell line).
Trees: depth 4, min_child_weight 0.002 x rows, eta 0.1 (the `features` preset's member).

Usage: /usr/bin/python3 experiments/feature_candidate_rank.py [--cands none nearer ...]
"""
import argparse
import csv
import glob
import gzip
import itertools
import os
import statistics
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import feature_tree_params as ftp  # noqa: E402


def load(path):
    y, x = ftp.load(path)
    enh, prom, chrom, dist, cell = [], [], [], [], []
    with gzip.open(path, "rt", newline="") as f:
        r = csv.reader(f)
        h = next(r)
        di = h.index("enhancer_distance_to_promoter")
        for row in r:
            enh.append(row[1]), prom.append(row[2]), cell.append(row[3]), chrom.append(row[4])
            dist.append(abs(float(row[di])))
    return {"y": y, "x": x, "enh": enh, "prom": prom, "cell": cell, "chrom": np.array(chrom),
            "dist": np.array(dist)}


def nearer(t, by_enh):
    groups = {}
    for e, p, c, d in zip(t["enh"], t["prom"], t["cell"], t["dist"]):
        g, partner = ((c, e), p) if by_enh else ((c, p), e)
        best = groups.setdefault(g, {})
        best[partner] = min(best.get(partner, d), d)
    srt = {g: np.sort(np.array(list(v.values()))) for g, v in groups.items()}
    return np.log1p([np.searchsorted(srt[(c, e if by_enh else p)], d, side="left")
                     for e, p, c, d in zip(t["enh"], t["prom"], t["cell"], t["dist"])])


def count(names):
    vals, inv, n = np.unique(np.array(names), return_inverse=True, return_counts=True)
    return np.log1p(n[inv])


def columns(kind, t):
    if kind == "nearer":
        return np.column_stack([nearer(t, True), nearer(t, False)])
    if kind == "count":
        return np.column_stack([count(t["enh"]), count(t["prom"])])
    return np.zeros((len(t["y"]), 0))


def dres(x_fit, x):
    # the 8 window columns (every third of the 24) minus their mean per log-distance ventile
    edges = np.quantile(x_fit[:, 24], np.linspace(0, 1, 21)[1:-1])
    cols = list(range(2, 24, 3))
    b_fit, b = np.searchsorted(edges, x_fit[:, 24]), np.searchsorted(edges, x[:, 24])
    means = np.stack([x_fit[b_fit == k][:, cols].mean(axis=0) for k in range(20)])
    return np.column_stack([x, x[:, cols] - means[b]])


def run(xgb, ap_score, params, tables, kind, train, scored, split_rounds):
    """Rounds by split_rounds (a list of (fit rows, held rows) of `train`), fit on all of train."""
    x = {c: np.column_stack([tables[c]["x"], columns(kind, tables[c])]) for c in tables}
    xt = np.concatenate([x[c] for c in train])
    yt = np.concatenate([tables[c]["y"] for c in train])
    tr = (lambda a, b: (dres(a, b))) if kind == "dres" else (lambda a, b: b)
    best = [ftp.fit(xgb, params, tr(xt[f], xt[f]), yt[f], 0, val=(tr(xt[f], xt[h]), yt[h]))
            for f, h in split_rounds(train)]
    booster = ftp.fit(xgb, params, tr(xt, xt), yt, ftp.median_round(best))
    return {c: float(ap_score(tables[c]["y"], booster.predict(xgb.DMatrix(tr(xt, x[c])))))
            for c in scored}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "epi-features"))
    ap.add_argument("--cands", nargs="*", default=["none", "nearer", "count", "dres"])
    ap.add_argument("--threads", type=int, default=2)
    args = ap.parse_args()
    import xgboost as xgb
    from sklearn.metrics import average_precision_score
    params = dict(ftp.BASE, nthread=args.threads, max_depth=4, min_child_share=0.002)
    whalen = {c: load(os.path.join(args.data, "Whalen.%s.targetfinder_features.csv.gz" %
                                   ("HeLa-S3" if c == "HeLa" else c))) for c in ftp.CELLS}
    bengi = {}
    for c in ("GM12878", "HeLa"):
        parts = [load(f) for f in sorted(glob.glob(os.path.join(args.data, f"BENGI.{c}.*")))]
        bengi[c] = {k: (np.concatenate([p[k] for p in parts]) if isinstance(parts[0][k], np.ndarray)
                        else sum((p[k] for p in parts), [])) for k in parts[0]}

    def by_cell(train):  # row masks of the concatenated training cell lines
        sizes = [len(whalen[c]["y"]) for c in train]
        owner = np.repeat(np.arange(len(train)), sizes)
        return [(owner != k, owner == k) for k in range(len(train))]

    def by_chrom(train):
        ch = np.concatenate([bengi[c]["chrom"] for c in train])
        fold = {name: i % 5 for i, name in enumerate(sorted(set(ch)))}
        g = np.array([fold[c] for c in ch])
        return [(g != k, g == k) for k in range(5)]

    for kind in args.cands:
        aupr = {}
        for a, b in itertools.combinations(ftp.CELLS, 2):
            train = [c for c in ftp.CELLS if c not in (a, b)]
            for cell, v in run(xgb, average_precision_score, params, whalen, kind, train, (a, b),
                               by_cell).items():
                aupr[(a, b, cell)] = v
        inner = {o: statistics.mean(v for (a, b, c), v in aupr.items() if o in (a, b) and c != o)
                 for o in ftp.CELLS}
        held = {te: run(xgb, average_precision_score, params, bengi, kind, [tr], [te], by_chrom)[te]
                for tr, te in (("HeLa", "GM12878"), ("GM12878", "HeLa"))}
        print(f"{kind:7s} whalen_inner {statistics.mean(inner.values()):.4f} " +
              " ".join(f"{o} {v:.4f}" for o, v in inner.items()) +
              f" | bengi {statistics.mean(held.values()):.4f} " +
              " ".join(f"{c} {v:.4f}" for c, v in held.items()), flush=True)


if __name__ == "__main__":
    sys.exit(main())
