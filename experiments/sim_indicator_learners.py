#!/usr/bin/python3
"""Motif-pair indicator learners on a prism simulation: which detectors, which learner.

Two diagnostics behind experiments/what-limits-the-model.md:

1. Detectors. A logistic regression (C 0.1) on the motif-pair indicators "motif i in the
   enhancer and motif j in the promoter" plus the two motif counts - the features of
   experiments/sim_motif_lr_baseline.py - where the indicators come from
     * the simulation's true consensus sequences (at most one mismatch), and, with --run RUN,
     * the k-mers `prism train` seeded its filters with (run.json motif_seed, the extended
       `motif` when there is one), exact or within one mismatch.
2. Learners. On the true-consensus indicators plus the single-motif indicators: logistic
   regression, scikit-learn's MLPClassifier (64 hidden, early stopping) and
   HistGradientBoosting (200 trees, lr 0.05).

Prints train / val / test AUPR, overall and per cell line (per-cell AUPR does not depend on a
per-cell offset, so it compares the learners' ranking within each unseen cell line).

Usage: /usr/bin/python3 experiments/sim_indicator_learners.py SIM_DIR [--run RUN_DIR]
(Debian 12: python3-sklearn 1.2.1.)
"""
import argparse
import json
import os
import sys

import numpy as np
from sklearn.ensemble import HistGradientBoostingClassifier
from sklearn.linear_model import LogisticRegression
from sklearn.neural_network import MLPClassifier

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from sim_motif_lr_baseline import aupr_table, load_split, variant_index  # noqa: E402


def exact_index(kmers):
    by_len = {}
    for i, k in enumerate(kmers):
        by_len.setdefault(len(k), {}).setdefault(k, set()).add(i)
    return by_len


def report(name, model, data):
    model.fit(data["train"][0], data["train"][1])
    parts = []
    for s in ("train", "val", "test"):
        x, y, cell = data[s]
        t = aupr_table(y, model.predict_proba(x)[:, 1], cell)
        parts.append(f"{s} " + " ".join(f"{k} {v:.3f}" for k, v in t.items()))
    print(f"| {name} | " + " | ".join(parts) + " |", flush=True)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sim")
    ap.add_argument("--run", help="a prism run folder trained on SIM with model.motif_seed")
    a = ap.parse_args()
    meta = json.load(open(f"{a.sim}/simulation.json"))
    consensus = [m["consensus"] for m in meta["motifs"]]
    m = len(consensus)
    true_index = variant_index(consensus)
    print("| features / learner | train | val | test |\n|---|---|---|---|")
    # 1. Detectors (logistic regression, pair indicators and counts).
    data = {s: load_split(a.sim, s, true_index, m) for s in ("train", "val", "test")}
    report("true consensus (<= 1 mismatch), logistic", LogisticRegression(C=0.1, max_iter=5000), data)
    if a.run:
        seed = json.load(open(f"{a.run}/run.json"))["motif_seed"]
        ek = [r.get("motif", r["kmer"]) for r in seed["enhancer"]]
        pk = [r.get("motif", r["kmer"]) for r in seed["promoter"]]
        for label, index in (("exact", exact_index), ("<= 1 mismatch", variant_index)):
            ei, pi = index(ek), index(pk)
            data = {s: load_split(a.sim, s, ei, len(ek), pi, len(pk)) for s in ("train", "val", "test")}
            report(f"the run's {len(ek)}+{len(pk)} seeds ({label}), logistic",
                   LogisticRegression(C=0.1, max_iter=5000), data)
    # 2. Learners on the true indicators plus the single-motif indicators.
    data = {s: load_split(a.sim, s, true_index, m, singles=True) for s in ("train", "val", "test")}
    report("true + single-motif indicators, logistic", LogisticRegression(C=0.1, max_iter=5000), data)
    report("same, MLP (64, early stopping)",
           MLPClassifier((64,), alpha=1e-3, max_iter=200, early_stopping=True, random_state=0), data)
    report("same, HistGradientBoosting (200, lr 0.05)",
           HistGradientBoostingClassifier(max_iter=200, learning_rate=0.05), data)


if __name__ == "__main__":
    main()
