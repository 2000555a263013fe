# experiments/site-rules.md: the motif-grammar member's design under two site rules - hard counts
# of windows at a background p-value threshold (the member's rule) and expected site counts (the
# sum over windows and both strands of each window's posterior of being a site, with a prior of
# N0 false sites per background element of the training elements' mean length L) - fitted by an
# L2 logistic regression (scikit-learn; C chosen by val AUPR), scored on test. The motifs are the
# simulation's true PWMs ("true") or a member file's (checkpoints/ensemble.motif_grammar.json).
#   /usr/bin/python3 experiments/site_rule_prototype.py SIM_DIR true|MEMBER_JSON [N0 ...]
# Average mode (experiments/site-rules.md, "Each site model alone, and the two averaged"): the motifs of a
# hard-EM member and a posterior-EM member of the same data, each with its own site rule (hard:
# the strictest allowed p-value grid, as the member; posterior: expected sites, N0 = 0.1), C chosen
# on val; prints the test AUPR of each, of the val choice between them ("select") and of the mean
# of their val-standardised decision functions ("average").
#   /usr/bin/python3 experiments/site_rule_prototype.py SIM_DIR average HARD_JSON POSTERIOR_JSON
import csv, json, math, sys
import numpy as np
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import average_precision_score as ap
B = {"A": 0, "C": 1, "G": 2, "T": 3}
def load(sim, split):
    pairs = list(csv.DictReader(open(f"{sim}/{split}/ALL/pairs_hg19.csv")))
    e = {r["region"]: r["sequence"].upper() for r in csv.DictReader(open(f"{sim}/{split}/ALL/e_seq.csv"))}
    p = {r["region"]: r["sequence"].upper() for r in csv.DictReader(open(f"{sim}/{split}/ALL/p_seq.csv"))}
    return pairs, e, p
def encode(seqs):
    names = sorted(seqs); parts = []; starts = []; lens = []; pos = 0
    lut = np.full(256, 4, np.int8)
    for ch, v in B.items(): lut[ord(ch)] = v
    for n in names:
        a = lut[np.frombuffer(seqs[n].encode(), np.uint8)]
        parts.append(a); parts.append(np.full(16, 4, np.int8)); starts.append(pos); lens.append(len(a)); pos += len(a) + 16
    return names, np.concatenate(parts), np.array(starts), np.array(lens)
def colsc(freq):
    q = 0.995 * np.array(freq) + 0.005 * 0.25
    return np.log2(q / 0.25)  # bits, w x 4
def scores(M, codes):  # both strands, bits, per window start; N -> -inf
    w = M.shape[0]; n = len(codes) - w + 1
    R = M[::-1, ::-1]
    out = []
    for mat in (M, R):
        t = np.concatenate([mat, np.full((w, 1), -1e9)], axis=1)
        s = np.zeros(n)
        for j in range(w): s += t[j][codes[j:j + n]]
        out.append(s)
    return out
def pthresh(M, p):  # exact score threshold on 0.01 bit grid, uniform bg
    I = np.round(M / 0.01).astype(int); lo = I.min(1).sum(); hi = I.max(1).sum()
    dist = np.zeros(hi - lo + 1); dist[0] = 1.0; off = lo
    d = np.array([1.0]); base = 0
    for row in I:
        mn = row.min(); nd = np.zeros(len(d) + row.max() - mn)
        for v in row: nd[v - mn: v - mn + len(d)] += 0.25 * d
        d = nd; base += mn
    tail = np.cumsum(d[::-1])[::-1]
    idx = np.where(tail <= p)[0]
    return (base + (idx[0] if len(idx) else len(d) - 1)) * 0.01
def feats(motifs, seqs, rules, L):
    names, codes, starts, lens = encode(seqs)
    out = {r: np.zeros((len(names), len(motifs))) for r in rules}
    for m, freq in enumerate(motifs):
        M = colsc(freq); w = M.shape[0]
        f, r = scores(M, codes)
        best = np.maximum(f, r)
        idx = np.concatenate([starts, [len(best)]])
        for rule in rules:
            kind, val = rule
            if kind == "p":
                v = (best >= pthresh(M, val) - 1e-9).astype(float)
            elif kind == "soft":  # posterior expected sites, prior n0/(2L) per window and strand
                lp = math.log(val / (2 * L))
                v = 1 / (1 + np.exp(-(f * math.log(2) + lp))) + 1 / (1 + np.exp(-(r * math.log(2) + lp)))
            elif kind == "llr":
                v = (best * math.log(2) >= math.log(2 * L / val)).astype(float)
            v[~np.isfinite(v)] = 0; v[best < -1e8] = 0
            out[rule][:, m] = np.add.reduceat(v, starts)
    return {n: i for i, n in enumerate(names)}, out
def design(ce, cp):
    ce = np.minimum(ce, 2); cp = np.minimum(cp, 2)
    prod = (ce[:, :, None] * cp[:, None, :]).reshape(len(ce), -1)
    return np.hstack([prod, ce, cp])
def member_motifs(path):
    g = json.load(open(path))
    return [x["freq"] for x in g["enhancer"]], [x["freq"] for x in g["promoter"]]
def pair_counts(data, emot, pmot, rules, L):  # per split: ({rule: (enhancer counts, promoter counts)} per pair, labels)
    out = {}
    for s, (pairs, e, p) in data.items():
        ei, ef = feats(emot, e, rules, L); pi, pf = feats(pmot, p, rules, L)
        y = np.array([int(float(r["label"])) for r in pairs])
        rows_e = [ei[r["enhancer_name"]] for r in pairs]; rows_p = [pi[r["promoter_name"]] for r in pairs]
        out[s] = {rule: (ef[rule][rows_e], pf[rule][rows_p]) for rule in rules}, y
    return out
def designs(data, emot, pmot, rules, L):
    return {s: ({rule: design(*c) for rule, c in counts.items()}, y)
            for s, (counts, y) in pair_counts(data, emot, pmot, rules, L).items()}
L2_GRID = (1e-3, 1e-2, 1e-1, 1, 10)
def fit_on_val(X, rule, model=lambda C: LogisticRegression(C=C, max_iter=500), Cs=L2_GRID):
    # (val AUPR, test AUPR, C, val scores, test scores, fitted model) at the best C on val
    best = None
    for C in Cs:
        lr = model(C).fit(X["train"][0][rule], X["train"][1])
        dv = lr.decision_function(X["val"][0][rule]); dt = lr.decision_function(X["test"][0][rule])
        v = ap(X["val"][1], dv)
        if best is None or v > best[0]: best = (v, ap(X["test"][1], dt), C, dv, dt, lr)
    return best
def hard_rules(L):  # the member's hard-site grid: p-values with at most 0.1 false sites per element of length L
    return [("p", p) for p in (1e-3, 1e-4, 1e-5) if 2 * L * p <= 0.1] or [("p", 1e-5)]
def train_mean_length(data):  # L: the training elements' mean length
    tr = data["train"]
    return np.mean([len(v) for v in list(tr[1].values()) + list(tr[2].values())])
def main():
    sim, member = sys.argv[1], sys.argv[2]
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    if member == "average":
        hrules = hard_rules(L)
        XH = designs(data, *member_motifs(sys.argv[3]), hrules, L)
        XP = designs(data, *member_motifs(sys.argv[4]), [("soft", 0.1)], L)
        hard = max((fit_on_val(XH, r) for r in hrules), key=lambda b: b[0])
        post = fit_on_val(XP, ("soft", 0.1))
        select = max([hard, post], key=lambda b: b[0])
        z = lambda d, ref: (d - ref.mean()) / ref.std()
        average = ap(XH["test"][1], z(hard[4], hard[3]) + z(post[4], post[3]))
        print(json.dumps({"sim": sim, "hard": round(hard[1], 4), "posterior": round(post[1], 4),
                          "select": round(select[1], 4), "average": round(average, 4),
                          "val_hard_posterior": [round(hard[0], 4), round(post[0], 4)]}))
        return
    if member == "true":
        s = json.load(open(f"{sim}/simulation.json"))
        emot = pmot = [m["pwm"] if "pwm" in m else m["freq"] for m in s["motifs"]]
    else:
        emot, pmot = member_motifs(member)
    n0s = [float(x) for x in sys.argv[3:]] or [0.1]
    rules = [("p", 1e-3), ("p", 1e-4), ("p", 1e-5)] + [("soft", n) for n in n0s] + [("llr", n) for n in n0s]
    X = designs(data, emot, pmot, rules, L)
    res = {f"{rule[0]}={rule[1]:g}": fit_on_val(X, rule)[:3] for rule in rules}
    print(json.dumps({"sim": sim, "member": member, "L": round(L), "res": {k: [round(x, 4) for x in v] for k, v in res.items()}}))
if __name__ == "__main__":
    main()
