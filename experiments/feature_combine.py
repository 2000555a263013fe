#!/usr/bin/python3
"""Member-combination rules re-scored from finished feature-ensemble runs
(experiments/feature_combine.sh makes R.net and runs this; experiments/feature-combine.md).
For each run dir R (ensemble = xgboost, probabilities, the trees' weight w from R/run.json
derived.ensemble.weight): R/predictions/test.csv score = p; R.net/predictions/test.csv score = n
(the same run predicted with model.ensemble = "none"); the trees member m = (p - (1 - w) n) / w.
Prints JSON: per run and cell line the AUPR of each rule."""
import csv, sys, json, math
import numpy as np
from sklearn.metrics import average_precision_score as ap
from scipy.stats import rankdata

def read(path):
    rows = list(csv.DictReader(open(path)))
    return ([r["cell_line"] for r in rows], np.array([int(r["label"]) for r in rows]),
            np.array([float(r["score"]) for r in rows]))

def logit(x):
    x = np.clip(x, 1e-7, 1 - 1e-7); return np.log(x / (1 - x))

out = {}
for run in sys.argv[1:]:
    cells, y, p = read(run + "/predictions/test.csv")
    _, y2, n = read(run + ".net/predictions/test.csv")
    assert (y == y2).all()
    # Rounded to 1e-9 (XGBoost's float32 probabilities differ by more) so that the
    # reconstruction's last-bit noise does not split the ties of the trees' scores.
    w = json.load(open(run + "/run.json"))["derived"]["ensemble"]["weight"]
    m = np.round(np.clip((p - (1 - w) * n) / w, 0, 1), 9)
    cells = np.array(cells)
    for c in sorted(set(cells)):
        k = cells == c
        yy, pp, nn, mm = y[k], p[k], n[k], m[k]
        zn, zm = logit(nn), logit(mm)
        rules = {
            "prob0.5": 0.5 * nn + 0.5 * mm,
            "network": nn, "trees": mm,
            "prob_trees0.7": 0.3 * nn + 0.7 * mm,
            "rank": rankdata(nn) + rankdata(mm),
            "logit": zn + zm,
            "zlogit": (zn - zn.mean()) / zn.std() + (zm - zm.mean()) / zm.std(),
        }
        out[f"{run}\t{c}"] = {r: float(ap(yy, s)) for r, s in rules.items()}
json.dump(out, sys.stdout, indent=1)
