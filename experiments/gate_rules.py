#!/usr/bin/env python3
"""Replays the ensemble's validation gate under two rules on recorded runs (experiments/validation-gate.md).

Reads metrics/test.json of every run folder given (its `ensemble.gate`: the three validation AUPRs
and the SE of the best; `ensemble.members` and `ensemble.even_mix`: the test AUPR of the member
alone, the network alone and the two at equal weight) and prints, per run, what each rule takes and
its test AUPR. Runs with the same three validation AUPRs are counted once.
  one_se_all:  of the candidates within one SE of the best, the member, else the network, else both
  one_se_member: the member if within one SE of the best, else the better of network and ensemble
Usage: python3 gate_rules.py RUN_DIR [RUN_DIR ...]
"""
import json, os, sys

def one_se_all(v, se):
    best = max(v.values())
    return next(k for k in ("member", "network", "ensemble") if v[k] >= best - se)

def one_se_member(v, se):
    if v["member"] >= max(v.values()) - se:
        return "member"
    return "network" if v["network"] >= v["ensemble"] else "ensemble"

seen, rows = set(), []
for run in sys.argv[1:]:
    f = os.path.join(run, "metrics", "test.json")
    if not os.path.exists(f):
        continue
    e = json.load(open(f)).get("ensemble", {})
    g = e.get("gate")
    if not g:
        continue
    v = {k: g["val_aupr_" + k] for k in ("member", "network", "ensemble")}
    key = tuple(round(x, 6) for x in v.values())
    if key in seen:
        continue
    seen.add(key)
    t = {"member": e["members"]["motif_grammar"]["aupr"], "network": e["members"]["network"]["aupr"],
         "ensemble": e["even_mix"]["aupr"]}
    a, b = one_se_all(v, g["se_best"]), one_se_member(v, g["se_best"])
    rows.append((a != b, run, v, g["se_best"], t, a, b))
print("| run | val m / n / e | SE | one_se_all | one_se_member |")
print("|---|---|---|---|---|")
for differs, run, v, se, t, a, b in sorted(rows, key=lambda r: not r[0]):
    if differs:
        print(f"| {run} | {v['member']:.3f} / {v['network']:.3f} / {v['ensemble']:.3f} | {se:.3f} | "
              f"{a} {t[a]:.3f} | {b} {t[b]:.3f} |")
n_diff = sum(r[0] for r in rows)
same = [r for r in rows if not r[0]]
print(f"\n{len(rows)} distinct runs; the rules differ on {n_diff}; "
      f"on the others they take: " + ", ".join(f"{k} {sum(r[5] == k for r in same)}" for k in ("member", "network", "ensemble")))
