# experiments/motif-variants.md, "Summed variants, an L1 fit, or one motif set for both streams":
# the motif-grammar member's design refitted by scikit-learn on a hard-site member's motifs
# (checkpoints/ensemble.motif_grammar.json) in four ways, each with its regularisation and site
# p-value chosen on val AUPR, scored on test:
#   l2      the member's design: capped enhancer x promoter count products + single counts, L2
#   l1      the same design, L1 (liblinear)
#   sum_l2  each motif's count summed with its variants' (motifs grouped greedily, in the order
#           found, by PWM similarity >= 0.8 - the member's MotifSimilarity) before the cap, L2
#   sum_l1  the same, L1
# With --union both streams are scanned with the enhancer and the promoter motifs together; with
# --posterior the counts are the member's posterior (expected) sites, N0 = 0.1, instead of hard sites.
#   /usr/bin/python3 experiments/grammar_refit.py SIM_DIR MEMBER_JSON [--union] [--posterior]
import json, sys, warnings
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap
from site_rule_prototype import design, fit_on_val, hard_rules, load, member_motifs, pair_counts, train_mean_length

def similarity(a, b, min_overlap=6):  # prism::MotifSimilarity: best column correlation, either strand
    a, b = np.asarray(a) - 0.25, np.asarray(b) - 0.25
    best = -1.0
    for m in (b, b[::-1, ::-1]):
        for off in range(-(len(m) - min_overlap), len(a) - min_overlap + 1):
            a0, b0 = max(0, off), max(0, -off)
            n = min(len(a) - a0, len(m) - b0)
            x, y = a[a0:a0 + n].ravel(), m[b0:b0 + n].ravel()
            best = max(best, float(x @ y / np.sqrt((x @ x) * (y @ y) + 1e-12)))
    return best

def groups(motifs, threshold=0.8):  # each motif's group: the first earlier representative it matches
    reps, label = [], []
    for m in motifs:
        g = next((i for i, r in enumerate(reps) if similarity(motifs[r], m) >= threshold), None)
        if g is None:
            reps.append(len(label)); g = len(reps) - 1
        label.append(g)
    return np.array(label), len(reps)

def summed(counts, label, n):
    out = np.zeros((counts.shape[0], n))
    for i, g in enumerate(label): out[:, g] += counts[:, i]
    return out

def main():
    warnings.filterwarnings("ignore")  # liblinear/lbfgs convergence notes at the weakest penalties
    sim, member = sys.argv[1], sys.argv[2]
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    emot, pmot = member_motifs(member)
    if "--union" in sys.argv[3:]: emot = pmot = emot + pmot
    rules = [("soft", 0.1)] if "--posterior" in sys.argv[3:] else hard_rules(L)
    (el, ne), (pl, npm) = groups(emot), groups(pmot)
    counts = pair_counts(data, emot, pmot, rules, L)
    def fit(sum_variants, l1):
        X = {}
        for s, (by_rule, y) in counts.items():
            if sum_variants: by_rule = {r: (summed(ce, el, ne), summed(cp, pl, npm)) for r, (ce, cp) in by_rule.items()}
            X[s] = {r: design(ce, cp) for r, (ce, cp) in by_rule.items()}, y
        fits = [(fit_on_val(X, r, lambda C: LogisticRegression(C=C, penalty="l1", solver="liblinear", max_iter=500),
                            (1e-3, 3e-3, 1e-2, 3e-2, 0.1, 0.3, 1)) if l1 else fit_on_val(X, r), r) for r in rules]
        (v, t, C, _, _, lr), rule = max(fits, key=lambda f: f[0][0])  # the first of equal val AUPR
        return (round(v, 4), round(t, 4), rule[1], C, int((lr.coef_ != 0).sum()))  # val, test AUPR, p, C, non-zero weights
    out = {"sim": sim, "motifs": [len(emot), len(pmot)], "groups": [ne, npm]}
    for name, sum_variants, l1 in (("l2", False, False), ("l1", False, True), ("sum_l2", True, False), ("sum_l1", True, True)):
        out[name] = fit(sum_variants, l1)
    print(json.dumps(out), flush=True)

if __name__ == "__main__":
    main()
