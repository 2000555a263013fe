#!/usr/bin/python3
"""Writes tests/fixtures/metrics/threshold_rules/mcc.json with scikit-learn (Debian 12's
python3-sklearn 1.2.1 + python3-numpy). tests/unit/threshold_rule_test.cpp checks prism's "mcc"
threshold rule (include/prism/metric.h) against it.

Usage: /usr/bin/python3 scripts/make_threshold_rule_fixtures.py [OUT_FILE]

One entry per case: labels, scores, sklearn.metrics.matthews_corrcoef of (labels, score >= thr)
for every thr = k/100 (k = 1..99), and the MCC-best threshold over that grid (ties -> the
smallest threshold; strict comparison of sklearn's values), with the F1-best one for contrast.
"""
import json
import os
import sys
import warnings

import numpy as np
import sklearn
from sklearn.metrics import f1_score, matthews_corrcoef

warnings.simplefilter("ignore")  # sklearn warns when MCC is undefined (it returns 0)
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "metrics",
    "threshold_rules", "mcc.json")
GRID = [k / 100.0 for k in range(1, 100)]


def best(values):
    thr, v = GRID[0], values[0]
    for t, x in zip(GRID, values):
        if x > v:
            thr, v = t, x
    return thr, v


def case(name, y, s):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    mcc = [float(matthews_corrcoef(y, (s >= t).astype(int))) for t in GRID]
    f1 = [float(f1_score(y, (s >= t).astype(int), zero_division=0)) for t in GRID]
    thr, v = best(mcc)
    f1_thr, f1_v = best(f1)
    return {"name": name, "labels": [int(v) for v in y], "scores": [float(v) for v in s],
            "mcc": mcc, "best_mcc": {"threshold": thr, "mcc": v},
            "best_f1": {"threshold": f1_thr, "f1": f1_v}}


def main():
    rng = np.random.default_rng(20261202)
    cases = []
    # Balanced classes, a weak ranker (AUC about 0.6): F1 picks "everything positive", MCC not.
    y = rng.integers(0, 2, 400)
    s = np.clip(0.5 + 0.08 * (2 * y - 1) + 0.25 * rng.standard_normal(400), 0.0, 1.0)
    cases.append(case("weak_balanced", y, np.round(s, 3)))
    # Balanced, AUC about 0.55 (the measured case): F1 calls everything positive (recall 1).
    y = rng.integers(0, 2, 400)
    s = np.clip(0.5 + 0.015 * y + 0.12 * rng.standard_normal(400), 0.02, 0.98)
    cases.append(case("very_weak_balanced", y, np.round(s, 3)))
    # A good ranker on imbalanced classes.
    y = (rng.random(300) < 0.2).astype(int)
    s = 1 / (1 + np.exp(-(2.0 * y - 1.0 + rng.standard_normal(300))))
    cases.append(case("imbalanced", y, np.round(s, 4)))
    # Scores on the grid itself and ties (s >= thr at the boundary).
    cases.append(case("grid_ties", [1, 0, 1, 0, 1, 0, 0, 1],
                      [0.5, 0.5, 0.3, 0.2, 0.7, 0.1, 0.3, 0.3]))
    # Degenerate: one class only (MCC 0 everywhere -> 0.01).
    cases.append(case("all_negative", [0, 0, 0], [0.2, 0.7, 0.4]))
    cases.append(case("all_positive", [1, 1], [0.2, 0.7]))
    # An inverted ranker: every split has MCC <= 0, the extremes 0.
    cases.append(case("inverted", [1, 1, 0, 0], [0.1, 0.2, 0.8, 0.9]))
    doc = {"sklearn": sklearn.__version__, "cases": cases}
    os.makedirs(os.path.dirname(os.path.abspath(OUT)), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump(doc, f, indent=1)
        f.write("\n")
    for c in cases:
        print(c["name"], "mcc", c["best_mcc"], "f1", c["best_f1"])


if __name__ == "__main__":
    main()
