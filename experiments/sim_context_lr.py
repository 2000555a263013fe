#!/usr/bin/python3
"""Can a correctly specified learner use the unseen cell's environment? (prism simulation)

experiments/sim_motif_lr_baseline.py fits a logistic regression on the motif-pair indicators
"motif i in the enhancer and motif j in the promoter" (+ motif counts): the invariant part of
U_c = sum G[i,j] ((1 - lambda) + lambda a_c[i] a_c[j]) + w (n_E + n_P). This script adds the
environment part: the same indicators times a_c[i] a_c[j], with a_c either
  - estimated  (--activity estimated, the default): from the cell line's *unlabeled* motif
    composition, pi_c[i] ~ b_i a_c[i], with log b_i the mean over the training cell lines of
    log pi_c[i] (what a context-aware model can know about an unseen cell), or
  - true       (--activity true): the simulation's a_c (an upper bound for that route).
Each variant is scored plain and with a per-cell-line calibration (one logit offset per cell line
so that its mean probability is --prior, what prism's model.context_calibration does), next to
the simulation's oracles. Shortcuts do not matter here: the features are motif indicators only.

Usage: /usr/bin/python3 experiments/sim_context_lr.py SIM_DIR [--activity estimated|true] [--C 0.1]
(Debian 12: python3-sklearn, python3-numpy, python3-scipy.)
"""
import argparse
import csv
import json
import os
import sys

import numpy as np
from scipy.optimize import brentq
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_motif_lr_baseline import scan, variant_index  # noqa: E402


def load(sim, split, index, m):
    d = f"{sim}/{split}/ALL/"
    enh = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "e_seq.csv"))}
    pro = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "p_seq.csv"))}
    e, p, y, cell = [], [], [], []
    for r in csv.DictReader(open(d + "pairs_hg19.csv")):
        e.append(scan(enh[r["enhancer_name"]], index, m))
        p.append(scan(pro[r["promoter_name"]], index, m))
        y.append(int(r["label"]))
        cell.append(r["cell_line"])
    return np.array(e), np.array(p), np.array(y), np.array(cell)


def calibrated(z, prior):
    b = brentq(lambda b: (1 / (1 + np.exp(-(z - b)))).mean() - prior, -50, 50)
    return 1 / (1 + np.exp(-(z - b)))


def main():
    a_ = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    a_.add_argument("sim")
    a_.add_argument("--activity", choices=["estimated", "true"], default="estimated")
    a_.add_argument("--C", type=float, default=0.1)
    a_.add_argument("--prior", type=float, default=0.2)
    a = a_.parse_args()
    meta = json.load(open(f"{a.sim}/simulation.json"))
    consensus = [m["consensus"] for m in meta["motifs"]]
    m = len(consensus)
    index = variant_index(consensus)
    data = {s: load(a.sim, s, index, m) for s in ("train", "val", "test") if s in meta["splits"]}
    # Unlabeled motif composition of every cell line (enhancers and promoters).
    comp = {}
    for e, p, _, cell in data.values():
        for c in set(cell):
            f = e[cell == c].sum(0) + p[cell == c].sum(0)
            comp[c] = f / f.sum()
    train_cells = sorted(set(data["train"][3]))
    log_b = np.mean([np.log(comp[c]) for c in train_cells], 0)
    true_a = {c["name"]: np.array(c["activity"]) for c in meta["cells"]}

    def activity(c):
        if a.activity == "true":
            return true_a[c]
        la = np.log(comp[c]) - log_b
        return np.exp(la - la.mean())

    def features(e, p, cell, context):
        rows = []
        for ei, pi, c in zip(e, p, cell):
            pair = np.outer(ei > 0, pi > 0)
            f = [pair.ravel(), [ei.sum(), pi.sum()]]
            if context:
                act = activity(c)
                f.append((pair * np.outer(act, act)).ravel())
            rows.append(np.concatenate(f))
        return np.array(rows)

    print(f"{a.sim}: activity {a.activity}, C {a.C}, calibration prior {a.prior}")
    print("| features | split | AUPR | calibrated | per cell line (plain) |")
    print("|---|---|---|---|---|")
    e, p, y, cell = data["train"]
    for context in (False, True):
        lr = LogisticRegression(C=a.C, max_iter=5000).fit(features(e, p, cell, context), y)
        for s in ("val", "test"):
            if s not in data:
                continue
            es, ps, ys, cs = data[s]
            z = lr.decision_function(features(es, ps, cs, context))
            prob = 1 / (1 + np.exp(-z))
            cal = np.empty_like(prob)
            for c in set(cs):
                cal[cs == c] = calibrated(z[cs == c], a.prior)
            per = " ".join(f"{c} {ap(ys[cs == c], prob[cs == c]):.3f}" for c in sorted(set(cs)))
            name = "motif pairs + activity-modulated pairs" if context else "motif pairs"
            print(f"| {name} | {s} | {ap(ys, prob):.4f} | {ap(ys, cal):.4f} | {per} |")
    for s in ("val", "test"):
        if s in meta["splits"]:
            sp = meta["splits"][s]
            print(f"oracles {s}: env-blind {sp['aupr_env_blind']:.4f}, true {sp['aupr_true']:.4f}")


if __name__ == "__main__":
    main()
