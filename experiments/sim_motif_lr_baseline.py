#!/usr/bin/python3
"""A correctly specified learner on a prism simulation: how far can learning get?

The simulator's env-blind oracle knows the grammar G exactly. This script measures what a learner
with the *right features* reaches from the simulation's training split alone: every enhancer and
promoter is scanned for the simulation's motif consensus sequences (forward strand, at most one
mismatch; the planted PWMs have 0.95-consensus positions), the pair's features are the M x M
indicators "motif i in the enhancer and motif j in the promoter" plus the two motif counts (the
exact form of U in docs/simulator.md), and a logistic regression is fitted on the training pairs.
Its val/test AUPR (overall and per cell line) is printed next to the oracles from
simulation.json. It is a reference point between "chance" and "env-blind oracle" for the learned
models: a model that learns the grammar from sequence should approach it; no learner that sees
only the training split is guaranteed to reach the oracle, which knows G.

Usage: /usr/bin/python3 experiments/sim_motif_lr_baseline.py SIM_DIR [--C 0.1] [--json OUT]
(Debian 12: python3-sklearn 1.2.1, python3-numpy 1.24.)
"""
import argparse
import csv
import json
import time

import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score

BASES = "ACGT"


def variant_index(consensus):
    """Every string within one mismatch of each consensus -> list of motif ids, per length."""
    by_len = {}
    for mid, c in enumerate(consensus):
        table = by_len.setdefault(len(c), {})
        variants = {c}
        for i, b in enumerate(c):
            for x in BASES:
                if x != b:
                    variants.add(c[:i] + x + c[i + 1:])
        for v in variants:
            table.setdefault(v, set()).add(mid)
    return by_len


def scan(seq, index, num_motifs):
    counts = np.zeros(num_motifs)
    for length, table in index.items():
        for i in range(len(seq) - length + 1):
            hit = table.get(seq[i:i + length])
            if hit:
                for m in hit:
                    counts[m] += 1
    return counts


def load_split(sim, split, index, num_motifs, p_index=None, num_p=None, singles=False):
    """Pair features of one split: the motif-pair indicators and the two motif counts, the
    enhancer scanned with `index`, the promoter with `p_index` (default: the same); with
    `singles` also the single-motif indicators of each element."""
    p_index = index if p_index is None else p_index
    num_p = num_motifs if num_p is None else num_p
    d = f"{sim}/{split}/ALL/"
    enh = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "e_seq.csv"))}
    pro = {r["region"]: r["sequence"] for r in csv.DictReader(open(d + "p_seq.csv"))}
    x, y, cell = [], [], []
    for r in csv.DictReader(open(d + "pairs_hg19.csv")):
        e = scan(enh[r["enhancer_name"]], index, num_motifs)
        p = scan(pro[r["promoter_name"]], p_index, num_p)
        row = [np.outer(e > 0, p > 0).ravel(), [e.sum(), p.sum()]]
        if singles:
            row += [e > 0, p > 0]
        x.append(np.concatenate(row))
        y.append(int(r["label"]))
        cell.append(r["cell_line"])
    return np.array(x, dtype=float), np.array(y), np.array(cell)


def aupr_table(y, p, cell):
    out = {"overall": float(average_precision_score(y, p))}
    for c in sorted(set(cell)):
        out[c] = float(average_precision_score(y[cell == c], p[cell == c]))
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("sim")
    ap.add_argument("--C", type=float, default=0.1, help="inverse L2 strength of the regression")
    ap.add_argument("--json", help="write the numbers as JSON here")
    a = ap.parse_args()
    start = time.time()
    meta = json.load(open(f"{a.sim}/simulation.json"))
    consensus = [m["consensus"] for m in meta["motifs"]]
    index = variant_index(consensus)
    splits = [s for s in ("train", "val", "test") if s in meta["splits"]]
    data = {s: load_split(a.sim, s, index, len(consensus)) for s in splits}
    lr = LogisticRegression(C=a.C, max_iter=5000).fit(data["train"][0], data["train"][1])
    result = {"sim": a.sim, "C": a.C, "train_pairs": int(len(data["train"][1])), "splits": {}}
    print(f"| split | motif-pair LR AUPR | env-blind oracle | true oracle | per cell line (LR) |")
    print("|---|---|---|---|---|")
    for s in splits:
        x, y, cell = data[s]
        t = aupr_table(y, lr.predict_proba(x)[:, 1], cell)
        sp = meta["splits"][s]
        result["splits"][s] = {"lr": t, "env_blind": sp.get("aupr_env_blind"), "true": sp.get("aupr_true")}
        cells = " ".join(f"{c} {v:.3f}" for c, v in t.items() if c != "overall")
        print(f"| {s} | {t['overall']:.3f} | {sp.get('aupr_env_blind', float('nan')):.3f} | "
              f"{sp.get('aupr_true', float('nan')):.3f} | {cells} |")
    result["seconds"] = round(time.time() - start, 1)
    if a.json:
        with open(a.json + ".tmp", "w") as f:
            json.dump(result, f, indent=1)
        import os
        os.replace(a.json + ".tmp", a.json)


if __name__ == "__main__":
    main()
