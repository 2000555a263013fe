#!/usr/bin/python3
"""Nested leave-one-cell-line-out on the six Whalen cell lines for the boosted trees' parameters.

For every pair {A, B} of the six cell lines, trees trained on the four others are scored on A and
on B; the inner mean of an outer (held-out) cell line O is the mean over the five I != O of the
AUPR on I of the trees trained without {O, I} - the held-out cell line's labels are never used
(experiments/feature_nested.sh, the same protocol with prism runs). The number of rounds follows
prism's ensemble member (train/ensemble_member.cpp): the median best round of leave-one-training-
cell-line-out early stopping (aucpr, patience 20, at most 500 rounds), then one fit on all four.
Trees split on thresholds, so prism's log1p and training-scale standardisation do not change them;
the input is log1p of the 24 signals and of |distance| (hgb_baseline.load).

Usage: /usr/bin/python3 experiments/feature_tree_params.py --out res.json [--threads 2]
         [--cands NAME=JSON ...]   e.g.  d4='{"max_depth": 4}'
(Debian 12: python3-xgboost 1.7, python3-sklearn 1.2.1, python3-numpy.)
"""
import argparse
import itertools
import json
import os
import statistics
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import hgb_baseline  # noqa: E402

CELLS = ["GM12878", "HUVEC", "HeLa", "IMR90", "K562", "NHEK"]
BASE = {"objective": "binary:logistic", "tree_method": "hist", "max_depth": 6, "eta": 0.1,
        "eval_metric": "aucpr", "seed": 7}
DEFAULT_CANDS = {
    "d6": {},
    "d4": {"max_depth": 4},
    "d3": {"max_depth": 3},
    "d8": {"max_depth": 8},
    "cs05": {"colsample_bytree": 0.5},
    "ss08cs08": {"subsample": 0.8, "colsample_bytree": 0.8},
    "mcw20": {"min_child_weight": 20},
    "lambda10": {"reg_lambda": 10},
}


def load(path):
    # hgb_baseline.load: log1p of the 24 signals and log1p(|distance|); float32 for XGBoost.
    y, _, features = hgb_baseline.load(path)
    return y.astype(np.float32), features.astype(np.float32)


def fit(xgb, params, x, y, rounds, val=None):
    # "min_child_share": min_child_weight as a share of the rows this fit trains on.
    params = dict(params)
    share = params.pop("min_child_share", None)
    if share is not None:
        params["min_child_weight"] = share * len(y)
    # "monotone_min_corr": each column whose correlation with the label on this fit's rows reaches
    # the value in magnitude is constrained to act in that direction (XGBoost's monotone_constraints).
    min_corr = params.pop("monotone_min_corr", None)
    if min_corr is not None:
        yc = y - y.mean()
        xc = x - x.mean(axis=0)
        corr = (xc * yc[:, None]).sum(axis=0) / np.sqrt((xc ** 2).sum(axis=0) * (yc ** 2).sum() + 1e-30)
        params["monotone_constraints"] = "(" + ",".join(
            str(int(np.sign(r))) if abs(r) >= min_corr else "0" for r in corr) + ")"
    dtrain = xgb.DMatrix(x, label=y)
    if val is None:
        return xgb.train(params, dtrain, num_boost_round=rounds)
    dval = xgb.DMatrix(val[0], label=val[1])
    b = xgb.train(params, dtrain, num_boost_round=500, evals=[(dval, "val")],
                  early_stopping_rounds=20, verbose_eval=False)
    return b.best_iteration + 1


def median_round(rounds):
    r = sorted(rounds)
    n = len(r)
    return r[n // 2] if n % 2 else int(round((r[n // 2 - 1] + r[n // 2]) / 2))


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "epi-features"))
    ap.add_argument("--out", required=True)
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--cands", nargs="*", default=None)
    args = ap.parse_args()
    import xgboost as xgb
    from sklearn.metrics import average_precision_score
    cands = DEFAULT_CANDS if args.cands is None else {
        c.split("=", 1)[0]: json.loads(c.split("=", 1)[1]) for c in args.cands}
    data = {}
    for c in CELLS:
        name = "HeLa-S3" if c == "HeLa" else c
        data[c] = load(os.path.join(args.data, f"Whalen.{name}.targetfinder_features.csv.gz"))
    res = {"cands": cands, "aupr": {}, "rounds": {}}
    for cname, extra in cands.items():
        params = dict(BASE, nthread=args.threads, **extra)
        t0 = time.time()
        for a, b in itertools.combinations(CELLS, 2):
            train = [c for c in CELLS if c not in (a, b)]
            best = []
            for held in train:
                fit_on = [c for c in train if c != held]
                x = np.concatenate([data[c][1] for c in fit_on])
                y = np.concatenate([data[c][0] for c in fit_on])
                best.append(fit(xgb, params, x, y, 0, val=(data[held][1], data[held][0])))
            rounds = median_round(best)
            x = np.concatenate([data[c][1] for c in train])
            y = np.concatenate([data[c][0] for c in train])
            booster = fit(xgb, params, x, y, rounds)
            res["rounds"][f"{cname}\t{a}-{b}"] = rounds
            for cell in (a, b):
                p = booster.predict(xgb.DMatrix(data[cell][1]))
                res["aupr"][f"{cname}\t{a}-{b}\t{cell}"] = float(average_precision_score(data[cell][0], p))
        inner = {}
        for o in CELLS:
            inner[o] = statistics.mean(
                v for k, v in res["aupr"].items()
                if k.startswith(cname + "\t") and o in k.split("\t")[1].split("-")
                and k.split("\t")[2] != o)
        res.setdefault("inner", {})[cname] = inner
        print(f"{cname:10s} inner mean {statistics.mean(inner.values()):.4f}  " +
              " ".join(f"{o} {v:.4f}" for o, v in inner.items()) +
              f"  ({time.time() - t0:.0f} s)", flush=True)
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(res, f, indent=1, sort_keys=True)
    os.replace(tmp, args.out)


if __name__ == "__main__":
    sys.exit(main())
