# experiments/member-candidate-average.md: does averaging the motif-grammar member's candidates
# (hard / posterior sites x uniform / composition EM background) beat choosing one on validation?
# Reads WORK/runs/INST/SETTING/candidates.tsv, which a prism built with
# experiments/candidate_dump.patch writes under PRISM_X_DUMP=1 (each fitted candidate's val and
# test probabilities), and prints per run the test AUPR of each candidate, of main's choice (run.json
# derived.ensemble.sites, uniform background), of averages of the candidates' logits (standardised
# on val; raw_all: unstandardised), and of the choice among all four by val AUPR; then the mean
# and the runs at the motif-informed reference - 0.01.
#   /usr/bin/python3 experiments/candidate_average.py WORK
import json, sys, glob, os
import numpy as np
from sklearn.metrics import average_precision_score as ap
work = sys.argv[1]
rows = []
for run in sorted(glob.glob(work + "/runs/*/*/")):
    f = run + "candidates.tsv"
    if not os.path.exists(f): continue
    inst, name = run.rstrip("/").split("/")[-2:]
    lines = open(f).read().split("\n")
    head = lines[0].split("\t"); data = [l.split("\t") for l in lines[1:] if l]
    split = np.array([d[0] for d in data]); y = np.array([int(d[2]) for d in data])
    P = np.array([[float(x) for x in d[3:]] for d in data])
    P = np.clip(P, 1e-9, 1 - 1e-9); L = np.log(P / (1 - P))
    v, t = split == "val", split == "test"
    Z = (L - L[v].mean(0)) / L[v].std(0)
    names = head[3:]
    idx = {n: i for i, n in enumerate(names)}
    sim = run.replace("/runs/", "/sims/").rstrip("/")
    ref = json.load(open(sim + "/simulation.json"))["splits"]["test"]["aupr_reference"]
    member = json.load(open(run + "metrics/test.json"))["ensemble"]["members"]["motif_grammar"]["aupr"]
    sel = json.load(open(run + "run.json"))["derived"]["ensemble"]["sites"] + "_uniform"
    r = {"inst": inst, "name": name, "ref": ref, "member": member}
    for n in names: r[n] = ap(y[t], Z[t, idx[n]]); r["val_" + n] = ap(y[v], Z[v, idx[n]])
    r["main"] = r[sel]
    def avg(ns):
        ns = [n for n in ns if n in idx]
        return ap(y[t], Z[t][:, [idx[n] for n in ns]].mean(1))
    r["avg_uniform"] = avg(["hard_uniform", "posterior_uniform"])
    r["avg_comp"] = avg(["hard_composition", "posterior_composition"])
    r["avg_post"] = avg(["posterior_uniform", "posterior_composition"])
    r["avg_sel"] = avg([sel, sel.replace("uniform", "composition")])
    r["avg_all"] = avg(names)
    ns = [n for n in ["hard_uniform", "posterior_uniform", "hard_composition", "posterior_composition"] if n in idx]
    r["raw_all"] = ap(y[t], L[t][:, [idx[n] for n in ns]].mean(1))
    r["raw_sel"] = ap(y[t], L[t][:, [idx[n] for n in [sel, sel.replace("uniform", "composition")] if n in idx]].mean(1))
    def avg_v(ns):
        ns = [n for n in ns if n in idx]
        return ap(y[v], Z[v][:, [idx[n] for n in ns]].mean(1))
    pair = {s: [s + "_uniform", s + "_composition"] for s in ("hard", "posterior")}
    pick = max(pair, key=lambda s: avg_v(pair[s]))
    r["avg_then_sel"] = avg(pair[pick])
    best = max(names, key=lambda n: r["val_" + n]); r["valsel_all"] = r[best]
    rows.append(r)
cols = ["main", "hard_uniform", "posterior_uniform", "hard_composition", "posterior_composition",
        "avg_uniform", "avg_comp", "avg_post", "avg_sel", "raw_sel", "avg_then_sel", "avg_all", "raw_all", "valsel_all"]
print("%-6s %-26s %6s %6s " % ("inst", "setting", "ref", "member") + " ".join("%8s" % c[:8] for c in cols))
for r in rows:
    print("%-6s %-26s %.3f  %.3f  " % (r["inst"], r["name"], r["ref"], r["member"]) +
          " ".join("%8.3f" % r.get(c, float("nan")) for c in cols))
print("%-33s %.3f  %.3f  " % ("mean", np.mean([r["ref"] for r in rows]), np.mean([r["member"] for r in rows])) +
      " ".join("%8.3f" % np.mean([r.get(c, np.nan) for r in rows]) for c in cols))
print("%-41s " % "at ref-0.01" + " ".join("%8d" % sum(r.get(c, 0) >= r["ref"] - 0.01 for r in rows) for c in cols))
