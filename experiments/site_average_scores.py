#!/usr/bin/env python3
"""experiments/site_average_scores.py HARD_WORK POSTERIOR_WORK: the motif-grammar member's two
site models averaged from prism's own test scores (experiments/site-rules.md, "Each site model
alone, and the two averaged").

HARD_WORK and POSTERIOR_WORK are the WORK folders of
`SITES=hard|posterior bash experiments/motif_variants.sh PRISM WORK`. Where a run's validation
gate took the member alone, predictions/test.csv holds sigmoid(mu_n + sd_n * z_m), z_m the
member's logit standardised with its validation moments (metrics/test.json ensemble.scale), so
the member's logit is recovered exactly. Per run: each site model, `select` (the one of higher
validation AUPR, run.json derived.ensemble.selection_aupr - what prism's default keeps), the
mean of the two logits and the mean of the two standardised logits; then means per role.
"""
import csv
import json
import math
import os
import sys

from sklearn.metrics import average_precision_score


def setting_roles():
    """Each setting's role ("choose" or "report") as bench/transfer_settings.sh lists it."""
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "bench", "transfer_settings.sh")
    text = open(path).read().split("<<'S'\n", 1)[1].split("\nS\n", 1)[0]
    return {line.split("|")[0]: line.split("|")[1] for line in text.splitlines() if "|" in line}


def member_logits(run):
    ens = json.load(open(run + "/metrics/test.json"))["ensemble"]
    if ens["gate"]["choice"] != "member":
        return None
    net, mem = ens["scale"]["network"], ens["scale"]["member"]
    rows = list(csv.DictReader(open(run + "/predictions/test.csv")))
    raw, std = [], []
    for r in rows:
        s = min(max(float(r["score"]), 1e-300), 1 - 1e-16)
        z = (math.log(s / (1 - s)) - net["logit_mean"]) / net["logit_sd"]
        raw.append(mem["logit_mean"] + mem["logit_sd"] * z)
        std.append(z)
    return {"y": [int(r["label"]) for r in rows],
            "keys": [(r["enhancer"], r["promoter"], r["cell_line"]) for r in rows],
            "raw": raw, "std": std,
            "sel": json.load(open(run + "/run.json"))["derived"]["ensemble"]["selection_aupr"]}


def main(hard_work, post_work):
    cols = ("reference", "hard", "posterior", "select", "mean logit", "mean std logit")
    roles = setting_roles()
    table = {"choose": [], "report": []}
    print("| instance | setting | " + " | ".join(cols) + " |\n|---|---|" + "---|" * len(cols))
    for inst in ("bench", "fresh"):
        for name in sorted(os.listdir(f"{hard_work}/runs/{inst}")):
            a, b = f"{hard_work}/runs/{inst}/{name}", f"{post_work}/runs/{inst}/{name}"
            if not all(os.path.exists(d + "/metrics/test.json") for d in (a, b)):
                continue
            h, p = member_logits(a), member_logits(b)
            if h is None or p is None:
                print(f"| {inst} | {name} | gate did not take the member alone: not scored |")
                continue
            assert h["keys"] == p["keys"], name
            y = h["y"]
            sim = f"{hard_work}/sims/{inst}/{name}/simulation.json"
            ref = json.load(open(sim))["splits"]["test"]["aupr_reference"]
            ah, ap = average_precision_score(y, h["raw"]), average_precision_score(y, p["raw"])
            vals = (ref, ah, ap, ah if h["sel"] >= p["sel"] else ap,
                    average_precision_score(y, [u + v for u, v in zip(h["raw"], p["raw"])]),
                    average_precision_score(y, [u + v for u, v in zip(h["std"], p["std"])]))
            table[roles[name]].append(vals)
            print(f"| {inst} | {name} | " + " | ".join("%.3f" % v for v in vals) + " |")
    for role, rows in table.items():
        if not rows:
            continue
        means = [sum(r[i] for r in rows) / len(rows) for i in range(len(cols))]
        at_bar = [sum(r[i] >= r[0] - 0.01 for r in rows) for i in range(len(cols))]
        print(f"| **mean {role}** ({len(rows)}) | | " + " | ".join("%.4f" % m for m in means) + " |")
        print(f"| at reference - 0.01 | | " + " | ".join(str(n) for n in at_bar) + " |")


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    main(sys.argv[1], sys.argv[2])
