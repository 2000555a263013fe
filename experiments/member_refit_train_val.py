# experiments/transfer-data-size.md, "Refitting the member's regression on train + val": the
# motif-grammar member's design (a member file's motifs and site model: posterior = expected
# sites with N0 = 0.1, hard = the member's p-value grid) fitted by scikit-learn on the training
# cell lines with C and the site p-value chosen on val AUPR ("train"), then refitted on the
# training and the validation cell lines together at that choice (and at C / 2, 2 C); test AUPR.
#   /usr/bin/python3 experiments/member_refit_train_val.py SIM_DIR MEMBER_JSON
import json, sys, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap
from site_rule_prototype import designs, fit_on_val, hard_rules, load, member_motifs, train_mean_length

def main():
    warnings.filterwarnings("ignore")  # lbfgs convergence notes at the weakest penalties
    sim, member = sys.argv[1], sys.argv[2]
    sites = json.load(open(member))["sites"]
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    rules = [("soft", 0.1)] if sites == "posterior" else hard_rules(L)
    X = designs(data, *member_motifs(member), rules, L)
    (v, t, C, _, _, _), rule = max(((fit_on_val(X, r), r) for r in rules), key=lambda f: f[0][0])
    Xtv = np.vstack([X["train"][0][rule], X["val"][0][rule]])
    ytv = np.concatenate([X["train"][1], X["val"][1]])
    out = {"sim": sim, "sites": sites, "C": C, "val": round(v, 4), "train": round(t, 4)}
    for name, c in (("train+val", C), ("train+val C/2", C / 2), ("train+val 2C", 2 * C)):
        lr = LogisticRegression(C=c, max_iter=500).fit(Xtv, ytv)
        out[name] = round(ap(X["test"][1], lr.decision_function(X["test"][0][rule])), 4)
    print(json.dumps(out), flush=True)

if __name__ == "__main__":
    main()
