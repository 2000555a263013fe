#!/usr/bin/python3
"""Gradient-boosting baseline on the real Whalen (TargetFinder) feature tables.

Leave-one-cell-line-out over the six Whalen cell lines: train scikit-learn's
HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, early_stopping=False, so exactly
300 trees) on five cell lines, score the sixth, and report the held-out AUPR
(average_precision_score) per cell line and their mean. Features: log1p of the 24 epigenomic
signals plus log1p(distance). Also reports the distance-only ranking AUPR (score = -distance) per
held-out cell line. The six files are read from --data (default ../shared/data/epi-features).

Usage: /usr/bin/python3 experiments/hgb_baseline.py --out hgb.json [--data DIR] [--threads N] [--cells C ...]
(Debian 12: python3-sklearn 1.2.1, python3-numpy 1.24; no pandas needed.)
"""
import argparse
import csv
import gzip
import json
import os
import platform
import sys
import time

import numpy as np

CELLS = ["GM12878", "HUVEC", "HeLa-S3", "IMR90", "K562", "NHEK"]


def load(path):
    with gzip.open(path, "rt", newline="") as f:
        reader = csv.reader(f)
        header = next(reader)
        li, di = header.index("label"), header.index("enhancer_distance_to_promoter")
        feat = [i for i, h in enumerate(header) if h.endswith(("(enhancer)", "(promoter)", "(window)"))]
        if len(feat) != 24:
            sys.exit(f"{path}: expected 24 feature columns, found {len(feat)}")
        y, d, x = [], [], []
        for row in reader:
            y.append(int(float(row[li])))
            d.append(float(row[di]))
            x.append([float(row[i]) for i in feat])
    y, d, x = np.array(y, dtype=np.int64), np.array(d), np.array(x)
    features = np.column_stack([np.log1p(np.maximum(x, 0)), np.log1p(np.abs(d))])
    return y, d, features


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--data", default=os.path.join(here, "..", "..", "shared", "data", "epi-features"))
    ap.add_argument("--out", required=True, help="JSON output path")
    ap.add_argument("--threads", type=int, default=0, help="OpenMP threads (0 = library default)")
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--cells", nargs="+", default=CELLS, choices=CELLS,
                    help="held-out cell lines (default: all six; training always uses the other five)")
    args = ap.parse_args()
    if args.threads > 0:
        os.environ["OMP_NUM_THREADS"] = str(args.threads)
    # Import after OMP_NUM_THREADS is set so the OpenMP runtime picks it up.
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier
    from sklearn.metrics import average_precision_score, roc_auc_score

    t0 = time.time()
    data = {}
    for cell in CELLS:
        path = os.path.join(args.data, f"Whalen.{cell}.targetfinder_features.csv.gz")
        if not os.path.exists(path):
            sys.exit(f"missing {path}")
        data[cell] = load(path)
    load_s = time.time() - t0

    results = {}
    for test in args.cells:
        t1, c1 = time.time(), time.process_time()
        train = [c for c in CELLS if c != test]
        x = np.concatenate([data[c][2] for c in train])
        y = np.concatenate([data[c][0] for c in train])
        clf = HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05,
                                             early_stopping=False, random_state=args.seed)
        clf.fit(x, y)
        yt, dt, xt = data[test]
        p = clf.predict_proba(xt)[:, 1]
        r = {"n": int(len(yt)), "positives": int(yt.sum()),
             "aupr": float(average_precision_score(yt, p)), "auc": float(roc_auc_score(yt, p)),
             "distance_aupr": float(average_precision_score(yt, -np.abs(dt))),
             "trees": int(clf.n_iter_), "seconds": round(time.time() - t1, 2),
             "cpu_seconds": round(time.process_time() - c1, 2)}
        results[test] = r
        print(f"{test:8s} n={r['n']:6d} pos={r['positives']:5d}  AUPR {r['aupr']:.4f}  "
              f"AUC {r['auc']:.4f}  distance-only AUPR {r['distance_aupr']:.4f}  "
              f"({r['trees']} trees, {r['seconds']:.1f} s wall, {r['cpu_seconds']:.1f} s CPU)", flush=True)
    mean = float(np.mean([results[c]["aupr"] for c in args.cells]))
    mean_d = float(np.mean([results[c]["distance_aupr"] for c in args.cells]))
    total = time.time() - t0
    print(f"mean     AUPR {mean:.4f}  distance-only mean AUPR {mean_d:.4f}  "
          f"total {total:.1f} s (load {load_s:.1f} s)")
    out = {"protocol": "leave-one-cell-line-out, Whalen x6",
           "model": "HistGradientBoostingClassifier(max_iter=300, learning_rate=0.05, "
                    "early_stopping=False)",
           "features": "log1p(24 epigenomic signals) + log1p(|distance|)",
           "sklearn": sklearn.__version__, "numpy": np.__version__,
           "python": platform.python_version(), "seed": args.seed,
           "threads": os.environ.get("OMP_NUM_THREADS", "default"),
           "per_cell": results, "mean_aupr": mean, "mean_distance_aupr": mean_d,
           "seconds": round(total, 1), "load_seconds": round(load_s, 1)}
    tmp = args.out + ".tmp"
    with open(tmp, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    os.replace(tmp, args.out)


if __name__ == "__main__":
    main()
