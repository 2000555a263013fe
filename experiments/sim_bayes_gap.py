#!/usr/bin/env python3
"""The train-val gap of the Bayes predictor on prism simulations.

For each simulation folder (`prism simulate ... -o DIR`), reads simulation.json and prints the
AUPR of p_true (the Bayes predictor) on the training cell lines and on the val cell line, their
difference (the gap `prism inspect` credits with qc.bayes_gap_credit), the same for the
environment-blind oracle, and the test oracles.

Usage: python3 experiments/sim_bayes_gap.py SIM_DIR [SIM_DIR ...]
"""
import json
import os
import sys


def main(dirs):
    if not dirs:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        return 2
    print("| simulation | train AUPR(p_true) | val AUPR(p_true) | Bayes train − val | "
          "env-blind train − val | test env-blind / true |")
    print("|---|---|---|---|---|---|")
    for d in dirs:
        path = os.path.join(d, "simulation.json")
        try:
            sim = json.load(open(path))
            s = sim["splits"]
            tr, va, te = s["train"], s["val"], s["test"]
        except (OSError, ValueError, KeyError) as e:
            print(f"{path}: not a prism simulation ({e})", file=sys.stderr)
            return 1
        seed = sim.get("seed", os.path.basename(os.path.normpath(d)))
        print(f"| {seed} | {tr['aupr_true']:.3f} | {va['aupr_true']:.3f} | "
              f"{tr['aupr_true'] - va['aupr_true']:+.3f} | "
              f"{tr['aupr_env_blind'] - va['aupr_env_blind']:+.3f} | "
              f"{te['aupr_env_blind']:.3f} / {te['aupr_true']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
