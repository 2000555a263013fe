# experiments/discovered-motif-shape.md (the cross-masked refit; its prototype): refit each found
# PWM by posterior EM with the sites of all the *other* found motifs of its stream masked
# (discovery masks only the motifs found before it), from its found columns, at its found width,
# for ROUNDS rounds, against BG (uniform or the stream's strand-symmetric composition). Then the
# member's design (posterior sites, N0 = 0.1, C chosen on val; site_rule_prototype.py) on the found
# and on the refitted PWMs; val and test AUPR of both.
#   /usr/bin/python3 experiments/motif_cross_refit.py SIM_DIR MEMBER_JSON ROUNDS \
#     uniform|composition GRAMMAR [alone]
# GRAMMAR: 0 = the file's grammar, 1 = its first averaged grammar (background "average"). `alone`:
# the control - each PWM refitted the same way on the unmasked sequences.
import json, math, sys, warnings
import numpy as np
from site_rule_prototype import load, encode, scores, designs, fit_on_val, train_mean_length


def log_odds(f, bg):
    return np.log2((0.995 * np.asarray(f) + 0.005 * 0.25) / bg)


def posteriors(M, codes, prior):
    lp = math.log(prior / (1 - prior))
    return [1 / (1 + np.exp(-(s * math.log(2) + lp))) for s in scores(M, codes)]


def fit_prior(M, codes, prior=1e-3, steps=10):  # the site prior at fixed columns (EM on prior only)
    windows = 2 * (len(codes) - M.shape[0] + 1)
    for _ in range(steps):
        sites = sum(r.sum() for r in posteriors(M, codes, prior))
        prior = float(np.clip(sites / windows, 1e-9, 0.5))
    return prior


def em(f, codes, bg, rounds):
    f = np.asarray(f, float); w = len(f)
    prior = fit_prior(log_odds(f, bg), codes)
    for _ in range(rounds):
        rf, rr = posteriors(log_odds(f, bg), codes, prior)
        n = len(rf); counts = np.full((w, 4), 0.25)
        for j in range(w):
            counts[j] += np.bincount(codes[j:j + n], weights=rf, minlength=5)[:4]
            counts[w - 1 - j] += np.bincount(codes[j:j + n], weights=rr, minlength=5)[:4][::-1]
        prior = float(np.clip((rf.sum() + rr.sum()) / (2 * n), 1e-9, 0.5))
        f = counts / counts.sum(1, keepdims=True)
    return f


def cross_refit(motifs, seqs, bg, rounds, cross=True):
    codes = encode(seqs)[1]
    if not cross: return [em(f, codes, bg, rounds).tolist() for f in motifs]
    covered = []  # per motif: the positions its sites cover (posterior > 0.5)
    for f in motifs:
        M = log_odds(f, bg); prior = fit_prior(M, codes)
        hit = np.zeros(len(codes), bool)
        for r in posteriors(M, codes, prior):
            for i in np.flatnonzero(r > 0.5): hit[i:i + len(f)] = True
        covered.append(hit)
    out = []
    for m, f in enumerate(motifs):
        others = np.zeros(len(codes), bool)
        for k, h in enumerate(covered):
            if k != m: others |= h
        c = codes.copy(); c[others] = 4
        out.append(em(f, c, bg, rounds).tolist())
    return out


def composition(seqs):
    codes = encode(seqs)[1]; n = np.bincount(codes, minlength=5)[:4].astype(float) + 1
    at, cg = (n[0] + n[3]) / 2, (n[1] + n[2]) / 2
    return np.array([at, cg, cg, at]) / (2 * (at + cg))


def main():
    warnings.filterwarnings("ignore", category=RuntimeWarning)  # exp overflow -> posterior 0
    sim, member, rounds, bgname = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4]
    g = json.load(open(member))
    if sys.argv[5] == "1": g = g["averaged"][0]
    cross = not (len(sys.argv) > 6 and sys.argv[6] == "alone")
    emot = [x["freq"] for x in g["enhancer"]]; pmot = [x["freq"] for x in g["promoter"]]
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    tr = data["train"]
    bge = composition(tr[1]) if bgname == "composition" else np.full(4, 0.25)
    bgp = composition(tr[2]) if bgname == "composition" else np.full(4, 0.25)
    refit = (cross_refit(emot, tr[1], bge, rounds, cross),
             cross_refit(pmot, tr[2], bgp, rounds, cross))
    rule = ("soft", 0.1)
    res = {}
    for name, (e, p) in (("found", (emot, pmot)), ("refit", refit)):
        v, t = fit_on_val(designs(data, e, p, [rule], L), rule)[:2]
        res[name] = [round(v, 4), round(t, 4)]
    print(json.dumps({"sim": sim, "rounds": rounds, "bg": bgname, "cross": cross,
                      "val_test": res}), flush=True)


if __name__ == "__main__":
    main()
