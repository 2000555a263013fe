#!/usr/bin/python3
"""Writes the metric fixtures in tests/fixtures/metrics/ with scikit-learn (Debian 12's
python3-sklearn 1.2.1 + python3-numpy). tests/unit/metric_test.cpp checks prism::metric against
them to 1e-9.

Usage: /usr/bin/python3 scripts/make_metric_fixtures.py [OUT_DIR]

One JSON file per case: labels, scores, and sklearn's average_precision_score, roc_auc_score
(NaN when one class is absent: sklearn raises), brier_score_loss, precision/recall/F1/accuracy at a
few thresholds (predict 1 when score >= thr), the PR and ROC curves, the F1-best threshold over
thr = k/100 (k = 1..99, ties -> smallest), and ECE with 15 equal-width bins (sklearn has no ECE;
the definition is the one in include/prism/metric.h, computed with numpy). NaN is written as
"nan". Also eval_cells.csv (a predictions file with three cell lines) and
eval_cells.expected.json (sklearn's per-cell values) for the `prism eval` test. And
weighted/average_precision.json: average_precision_score with sample_weight (balanced validation,
docs/train-config.md), on cases with ties and zero weights.
"""
import json
import os
import sys
import warnings
from fractions import Fraction

import numpy as np
import sklearn
from sklearn.metrics import (accuracy_score, average_precision_score, brier_score_loss,
                             f1_score, precision_recall_curve, precision_score, recall_score,
                             roc_auc_score, roc_curve)

warnings.simplefilter("ignore")  # sklearn warns on the degenerate cases; that is the point
OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "metrics")
THRESHOLDS = [0.0, 0.05, 0.1, 0.25, 0.3, 0.5, 0.7, 0.9, 0.99, 1.0]


def num(v):
    v = float(v)
    return "nan" if np.isnan(v) else v


def nums(a):
    return [num(v) for v in a]


def ece(y, s, bins=15):
    y = np.asarray(y, dtype=float)
    s = np.asarray(s, dtype=float)
    b = np.clip(np.floor(s * bins), 0, bins - 1).astype(int)
    total = 0.0
    for k in range(bins):
        m = b == k
        if m.any():
            total += m.sum() / len(y) * abs(s[m].mean() - y[m].mean())
    return total


def best_f1(y, s):
    """Exact (rational) F1 on the grid; also checks sklearn's f1_score at every grid point."""
    y = np.asarray(y)
    best_thr, best = 0.01, Fraction(-1)
    for k in range(1, 100):
        thr = k / 100.0
        pred = (s >= thr).astype(int)
        tp = int(((pred == 1) & (y == 1)).sum())
        fp = int(((pred == 1) & (y == 0)).sum())
        fn = int(((pred == 0) & (y == 1)).sum())
        f1 = Fraction(2 * tp, 2 * tp + fp + fn) if 2 * tp + fp + fn else Fraction(0)
        sk = f1_score(y, pred, zero_division=0)
        assert abs(float(f1) - sk) < 1e-12, (thr, float(f1), sk)
        if f1 > best:
            best_thr, best = thr, f1
    return best_thr, float(best)


def case(name, y, s, probabilities=True, curves=True):
    y = np.asarray(y, dtype=int)
    s = np.asarray(s, dtype=float)
    one_class = len(np.unique(y)) < 2
    d = {"name": name, "sklearn": sklearn.__version__,
         "labels": [int(v) for v in y], "scores": [float(v) for v in s],
         "ap": num(average_precision_score(y, s)),
         "auc": "nan" if one_class else num(roc_auc_score(y, s))}
    if probabilities:
        d["brier"] = num(brier_score_loss(y, s))
        d["ece"] = num(ece(y, s))
    d["at_threshold"] = []
    for thr in THRESHOLDS:
        pred = (s >= thr).astype(int)
        d["at_threshold"].append({
            "threshold": thr,
            "precision": num(precision_score(y, pred, zero_division=0)),
            "recall": num(recall_score(y, pred, zero_division=0)),
            "f1": num(f1_score(y, pred, zero_division=0)),
            "accuracy": num(accuracy_score(y, pred)),
            "tp": int(((pred == 1) & (y == 1)).sum()), "fp": int(((pred == 1) & (y == 0)).sum()),
            "tn": int(((pred == 0) & (y == 0)).sum()), "fn": int(((pred == 0) & (y == 1)).sum())})
    thr, f1 = best_f1(y, s)
    d["best_f1"] = {"threshold": thr, "f1": f1}
    if curves:
        p, r, t = precision_recall_curve(y, s)
        d["pr_curve"] = {"recall": nums(r), "precision": nums(p), "thresholds": nums(t)}
        fpr, tpr, t = roc_curve(y, s)
        d["roc_curve"] = {"fpr": nums(fpr), "tpr": nums(tpr), "thresholds": nums(t)}
    with open(os.path.join(OUT, name + ".json"), "w") as f:
        json.dump(d, f, indent=None, separators=(",", ":"))
        f.write("\n")


def main():
    os.makedirs(OUT, exist_ok=True)
    rng = np.random.default_rng(20261121)

    # Random: continuous scores, labels correlated with them.
    s = rng.random(200)
    y = (rng.random(200) < 0.15 + 0.6 * s).astype(int)
    case("random", y, s)
    # Heavily tied: scores on a 0.1 grid.
    s = np.round(rng.random(300), 1)
    y = (rng.random(300) < 0.2 + 0.5 * s).astype(int)
    case("tied", y, s)
    # Scores exactly on the threshold grid (k/100): checks s >= thr at equality.
    s = rng.integers(0, 101, 250) / 100.0
    y = (rng.random(250) < s).astype(int)
    case("grid_ties", y, s)
    # Every score the same.
    y = (rng.random(50) < 0.3).astype(int)
    case("constant", y, np.full(50, 0.4))
    # One class only.
    case("all_negative", np.zeros(20, dtype=int), rng.random(20))
    case("all_positive", np.ones(20, dtype=int), rng.random(20))
    # Tiny inputs.
    case("tiny_1_pos", [1], [0.7])
    case("tiny_1_neg", [0], [0.7])
    case("tiny_2", [0, 1], [0.2, 0.8])
    case("tiny_2_inverted", [1, 0], [0.2, 0.8])
    case("tiny_3_tied", [1, 0, 1], [0.5, 0.5, 0.3])
    # Imbalanced: 2% positives.
    s = rng.random(2000)
    y = (rng.random(2000) < 0.04 * s).astype(int)
    y[:3] = 1
    case("imbalanced", y, np.round(s, 3))
    # Scores that are not probabilities (logits of another tool): ranking metrics only.
    s = rng.normal(0, 3, 150)
    y = (rng.random(150) < 1 / (1 + np.exp(-s))).astype(int)
    case("logits", y, s, probabilities=False)

    # A predictions file with three cell lines for `prism eval`.
    rows, expected = [], {}
    for cell, n, prev in (("A549", 120, 0.3), ("GM12878", 80, 0.1), ("K562", 40, 0.0)):
        s = np.round(rng.random(n), 4)
        y = (rng.random(n) < prev * 2 * s).astype(int)
        for i in range(n):
            rows.append((f"e{len(rows)}", f"p{len(rows) % 17}", cell, int(y[i]), float(s[i])))
        expected[cell] = {"n": n, "positives": int(y.sum()),
                          "aupr": num(average_precision_score(y, s)),
                          "auc": "nan" if len(np.unique(y)) < 2 else num(roc_auc_score(y, s)),
                          "brier": num(brier_score_loss(y, s)),
                          "threshold": best_f1(y, s)[0], "f1": best_f1(y, s)[1]}
    y = np.array([r[3] for r in rows])
    s = np.array([r[4] for r in rows])
    expected["overall"] = {"n": len(rows), "positives": int(y.sum()),
                           "aupr": num(average_precision_score(y, s)),
                           "auc": num(roc_auc_score(y, s)),
                           "brier": num(brier_score_loss(y, s)),
                           "threshold": best_f1(y, s)[0], "f1": best_f1(y, s)[1]}
    with open(os.path.join(OUT, "eval_cells.csv"), "w") as f:
        f.write("enhancer,promoter,cell_line,label,score\n")
        for r in rows:
            f.write(f"{r[0]},{r[1]},{r[2]},{r[3]},{r[4]!r}\n")
    with open(os.path.join(OUT, "eval_cells.expected.json"), "w") as f:
        json.dump(expected, f, indent=1)
        f.write("\n")
    weighted(os.path.join(OUT, "weighted"))


def weighted(out):
    """average_precision_score(y, s, sample_weight=w): the balanced validation AUPR."""
    os.makedirs(out, exist_ok=True)
    rng = np.random.default_rng(20261203)
    cases = []
    for name, n, grid in (("continuous", 300, None), ("tied", 200, 0.1), ("small", 7, 0.25)):
        s = rng.random(n)
        if grid:
            s = np.round(s / grid) * grid
        y = (rng.random(n) < 0.2 + 0.6 * s).astype(int)
        w = rng.gamma(1.0, 1.0, n)
        w[rng.random(n) < 0.15] = 0.0  # trimmed pairs weigh nothing
        y[0], y[1] = 1, 0
        cases.append({"name": name, "labels": [int(v) for v in y], "scores": [float(v) for v in s],
                      "weights": [float(v) for v in w],
                      "ap": num(average_precision_score(y, s, sample_weight=w))})
    with open(os.path.join(out, "average_precision.json"), "w") as f:
        json.dump({"sklearn": sklearn.__version__, "cases": cases}, f, indent=None,
                  separators=(",", ":"))
        f.write("\n")


if __name__ == "__main__":
    main()
