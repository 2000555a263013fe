#!/usr/bin/python3
"""Context-aware reference points on a prism simulation: what knowing the unseen cell buys.

The simulation's two oracles are p_true = sigmoid((U_c - r_c) / T) (the pair's own cell) and
p_env_blind (the mean over the training cells' activities and resistances). This script
recomputes U from the sequences (motif scan, <= 1 mismatch, as experiments/sim_motif_lr_baseline.py)
and the generative parameters in simulation.json, checks that it reproduces p_true, and scores
two context-aware predictors that know the unseen cell's TF activities a_c exactly:
  - "a_c, training resistances": mean over the training cells c' of sigmoid((U_{a_c} - r_c')/T);
  - "a_c, calibrated resistance": one resistance per cell line, chosen so that the mean
    probability over the cell's own (unlabeled) pairs is PRIOR (default 0.20) - what prism's
    context calibration (model.context_calibration) does with the model's scores.
Within a cell both rank like p_true; pooled over the cells they differ by the resistance.

Usage: /usr/bin/python3 experiments/sim_context_oracle.py SIM_DIR [--prior 0.2]
(Debian 12: python3-sklearn, python3-numpy, python3-scipy.)
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from scipy.optimize import brentq
from sklearn.metrics import average_precision_score as ap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_motif_lr_baseline import scan, variant_index  # noqa: E402


def sigmoid(x):
    return 1 / (1 + np.exp(-x))


def main():
    ap_ = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap_.add_argument("sim")
    ap_.add_argument("--prior", type=float, default=0.2, help="calibration target positive rate")
    a = ap_.parse_args()
    meta = json.load(open(f"{a.sim}/simulation.json"))
    o = meta["options"]
    m_, lam, w, t = o["num_motifs"], o["modulation"], o["count_weight"], o["temperature"]
    g = np.zeros((m_, m_))
    for e in meta["grammar"]:
        g[e["enhancer_motif"], e["promoter_motif"]] += e["weight"]
    cells = {c["name"]: c for c in meta["cells"]}
    train = [c for c in cells.values() if c["split"] == "train"]
    index = variant_index([m["consensus"] for m in meta["motifs"]])
    oracle = {(r["enhancer"], r["promoter"]): float(r["p_true"])
              for r in csv.DictReader(open(f"{a.sim}/oracle.csv"))}

    def u(e, p, act):
        ee, pp = (e > 0).astype(float), (p > 0).astype(float)
        return ee @ (g * ((1 - lam) + lam * np.outer(act, act))) @ pp + w * (e.sum() + p.sum())

    print("| split | group | AUPR(p_true) | AUPR(p_env_blind) | a_c, training resistances | "
          f"a_c, resistance calibrated to {a.prior:.2f} |")
    print("|---|---|---|---|---|---|")
    for split in [s for s in ("val", "test") if s in meta["splits"]]:
        d = f"{a.sim}/{split}/ALL/"
        enh = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "e_seq.csv"))}
        pro = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "p_seq.csv"))}
        y, cell, p_true, p_blind, p_train_r, u_own, err = [], [], [], [], [], [], 0.0
        for r in csv.DictReader(open(d + "pairs_hg19.csv")):
            e, p = scan(enh[r["enhancer_name"]], index, m_), scan(pro[r["promoter_name"]], index, m_)
            c = cells[r["cell_line"]]
            act = np.array(c["activity"])
            uc = u(e, p, act)
            p_true.append(sigmoid((uc - c["resistance"]) / t))
            err = max(err, abs(p_true[-1] - oracle[(r["enhancer_name"], r["promoter_name"])]))
            p_blind.append(np.mean([sigmoid((u(e, p, np.array(x["activity"])) - x["resistance"]) / t)
                                    for x in train]))
            p_train_r.append(np.mean([sigmoid((uc - x["resistance"]) / t) for x in train]))
            u_own.append(uc)
            y.append(int(r["label"]))
            cell.append(r["cell_line"])
        y, cell, u_own = np.array(y), np.array(cell), np.array(u_own)
        p_true, p_blind, p_train_r = map(np.array, (p_true, p_blind, p_train_r))
        p_cal = np.zeros(len(y))
        for c in set(cell):
            m = cell == c
            r_hat = brentq(lambda rr: sigmoid((u_own[m] - rr) / t).mean() - a.prior, -200, 200)
            p_cal[m] = sigmoid((u_own[m] - r_hat) / t)
        assert err < 1e-5, f"recomputed p_true differs from oracle.csv by {err}"
        groups = [("all", np.ones(len(y), bool))] + [(c, cell == c) for c in sorted(set(cell))]
        for name, m in groups:
            print(f"| {split} | {name} | {ap(y[m], p_true[m]):.3f} | {ap(y[m], p_blind[m]):.3f} | "
                  f"{ap(y[m], p_train_r[m]):.3f} | {ap(y[m], p_cal[m]):.3f} |")
    print("\nresistance per cell:", {k: round(v["resistance"], 2) for k, v in cells.items()})


if __name__ == "__main__":
    main()
