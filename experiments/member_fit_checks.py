# experiments/discovered-motif-shape.md, section 4: three checks of the motif-grammar member's fit
# on one member file, all in the member's design (scikit-learn; experiments/site_rule_prototype.py):
#   l2       every penalty C of the grid (and, for a hard member, every site p-value): val AUPR,
#            val AUC, val log-loss and test AUPR - how much the choice on val AUPR leaves against
#            the best choice by test AUPR, and whether another criterion would choose better;
#   flatten  the discovered PWMs flattened (column f -> f^tau, renormalised), C chosen on val:
#            test AUPR per tau - are the found PWMs too sharp as a whole?
#   swap     one motif at a time (of the `dedup` form of motif_gap_split.forms) replaced by its planted
#            columns over the columns it covers, at dedup's C: the change in test AUPR per motif -
#            is the column-frequency cost in a few bad PWMs or spread over many?
# One JSON line (l2, flatten) or one line per motif (swap) on stdout.
#   /usr/bin/python3 experiments/member_fit_checks.py l2|flatten|swap SIM_DIR MEMBER_JSON [TAG]
#   /usr/bin/python3 experiments/member_fit_checks.py l2-summary L2_LINES   (the l2 lines of many runs)
import json, sys, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap, log_loss, roc_auc_score
from motif_gap_split import forms
from site_rule_prototype import L2_GRID, designs, fit_on_val, hard_rules, load, member_motifs, train_mean_length

POSTERIOR = ("soft", 0.1)


def ic(m):
    p = np.clip(np.array(m), 1e-9, 1)
    return float((2 + (p * np.log2(p)).sum(1)).sum())


def l2(data, L, member, tag, sim):
    sites = json.load(open(member))["sites"]
    rules = [POSTERIOR] if sites == "posterior" else hard_rules(L)
    X = designs(data, *member_motifs(member), rules, L)
    rows = []
    for r in rules:
        for C in L2_GRID:
            lr = LogisticRegression(C=C, max_iter=500).fit(X["train"][0][r], X["train"][1])
            dv = lr.decision_function(X["val"][0][r])
            yv = X["val"][1]
            rows.append({"rule": list(r), "C": C, "val_aupr": ap(yv, dv), "val_auc": roc_auc_score(yv, dv),
                         "val_ll": log_loss(yv, 1 / (1 + np.exp(-dv))),
                         "test_aupr": ap(X["test"][1], lr.decision_function(X["test"][0][r]))})
    print(json.dumps({"tag": tag, "sim": sim, "sites": sites, "rows": rows}), flush=True)


def l2_summary(path):
    """Mean test AUPR and runs at the reference - 0.01 over the l2 lines of `path`, per criterion."""
    runs = [json.loads(line) for line in open(path)]
    crit = {"val AUPR (the member's)": lambda rs: max(rs, key=lambda r: r["val_aupr"]),
            "val log-loss": lambda rs: min(rs, key=lambda r: r["val_ll"]),
            "val AUC": lambda rs: max(rs, key=lambda r: r["val_auc"]),
            "strongest C within 0.01 of the best val AUPR": lambda rs: min(
                [r for r in rs if r["val_aupr"] >= max(q["val_aupr"] for q in rs) - 0.01],
                key=lambda r: r["C"]),
            "best by test AUPR (not a rule)": lambda rs: max(rs, key=lambda r: r["test_aupr"])}
    for C in L2_GRID:
        crit["C = %g" % C] = lambda rs, C=C: max([r for r in rs if r["C"] == C], key=lambda r: r["val_aupr"])
    refs = [json.load(open(d["sim"] + "/simulation.json"))["splits"]["test"]["aupr_reference"] for d in runs]
    for name, pick in crit.items():
        t = [pick(d["rows"])["test_aupr"] for d in runs]
        print("%-46s mean test AUPR %.4f  at reference - 0.01: %d / %d" %
              (name, sum(t) / len(t), sum(a >= r - 0.01 for a, r in zip(t, refs)), len(t)))


def flatten(data, L, member, tag, taus=(1.0, 0.85, 0.7, 0.55)):
    emot, pmot = member_motifs(member)
    def flat(ms, tau):
        out = []
        for m in ms:
            a = np.array(m) ** tau
            out.append((a / a.sum(1, keepdims=True)).tolist())
        return out
    rows = []
    for tau in taus:
        X = designs(data, flat(emot, tau), flat(pmot, tau), [POSTERIOR], L)
        v, t, C = fit_on_val(X, POSTERIOR)[:3]
        rows.append({"tau": tau, "val": v, "test": t, "C": C})
    print(json.dumps({"tag": tag, "rows": rows}), flush=True)


def swap(data, L, member, sim):
    true = [np.array(m["pwm"]) for m in json.load(open(sim + "/simulation.json"))["motifs"]]
    emot, pmot = member_motifs(member)
    fe, fp = forms(emot, true), forms(pmot, true)
    def fit(e, p, Cs=L2_GRID):
        return fit_on_val(designs(data, e, p, [POSTERIOR], L), POSTERIOR, Cs=Cs)[:3]
    base = fit(fe["dedup"], fp["dedup"])
    print("dedup val %.4f test %.4f C %g" % base, flush=True)
    for side, f in (("enhancer", fe), ("promoter", fp)):
        for i, ((t, c), d, cut) in enumerate(zip(f["matched"], f["dedup"], f["cut"])):
            e, p = list(fe["dedup"]), list(fp["dedup"])
            (e if side == "enhancer" else p)[i] = cut
            r = fit(e, p, (base[2],))
            print("%s motif %2d corr %.2f IC found %.1f planted %.1f  test %+.4f" %
                  (side, t, c, ic(d), ic(cut), r[1] - base[1]), flush=True)


def gc_adjust(data, L, member, tag):
    """The member's posterior design with the enhancer's and the promoter's G/C share as two more
    columns (z-scored on train), fitted, and val / test scored with those two set to the training
    mean: the regression can put the G/C shift of the training positives on the G/C columns
    instead of on the AT- or GC-rich motifs' counts. C chosen on val either way."""
    X = designs(data, *member_motifs(member), [POSTERIOR], L)
    gc = {}
    for s, (pairs, e, p) in data.items():
        f = lambda q: (q.count("G") + q.count("C")) / max(1, len(q))
        gc[s] = np.array([[f(e[r["enhancer_name"]]), f(p[r["promoter_name"]])] for r in pairs])
    mu, sd = gc["train"].mean(0), gc["train"].std(0) + 1e-12
    y = {s: X[s][1] for s in X}
    shift = {s: [float(gc[s][y[s] == 1, 0].mean() - gc[s][y[s] == 0, 0].mean()),
                 float(gc[s][y[s] == 1, 1].mean() - gc[s][y[s] == 0, 1].mean())] for s in X}
    out = {"tag": tag, "gc_shift_pos_minus_neg": shift}
    for name, extra in (("member", False), ("gc_adjusted", True)):
        best = None
        for C in L2_GRID:
            A = X["train"][0][POSTERIOR]
            if extra: A = np.hstack([A, (gc["train"] - mu) / sd])
            lr = LogisticRegression(C=C, max_iter=500).fit(A, y["train"])
            w = lr.coef_[0][:X["val"][0][POSTERIOR].shape[1]]  # the G/C columns at the training mean: 0
            dv = X["val"][0][POSTERIOR] @ w; dt = X["test"][0][POSTERIOR] @ w
            v = ap(y["val"], dv)
            if best is None or v > best[0]: best = (v, ap(y["test"], dt), C)
        out[name] = {"val": best[0], "test": best[1], "C": best[2]}
    print(json.dumps(out), flush=True)


def main():
    warnings.filterwarnings("ignore")
    np.seterr(all="ignore")
    if sys.argv[1] == "l2-summary": return l2_summary(sys.argv[2])
    mode, sim, member = sys.argv[1:4]
    tag = sys.argv[4] if len(sys.argv) > 4 else sim
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    if mode == "l2": l2(data, L, member, tag, sim)
    elif mode == "flatten": flatten(data, L, member, tag)
    elif mode == "swap": swap(data, L, member, sim)
    elif mode == "gc": gc_adjust(data, L, member, tag)
    else: sys.exit("member_fit_checks.py: mode must be l2, flatten, swap or gc, not '%s'" % mode)


if __name__ == "__main__":
    main()
