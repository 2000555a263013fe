# experiments/discovered-motif-shape.md: how far each planted grammar motif's best 8-mer seed stands
# out in the training elements of one stream, with the member's enrichment statistic (a k-mer and
# its reverse complement together against a second-order Markov background of the same
# sequences: z = (obs - E) / sqrt(E + 1); src/seq/motif_discovery.cpp), before any masking.
# Candidates: the 20 most probable 8-mers of every 8-column window of the planted PWM.
#   /usr/bin/python3 experiments/motif_seed_z.py SIM_DIR p|e
import json, math, sys
import numpy as np
from site_rule_prototype import load
sim, stream = sys.argv[1], sys.argv[2]
S = json.load(open(sim + "/simulation.json"))
pairs, e, p = load(sim, "train")
seqs = p if stream == "p" else e
B = {"A": 0, "C": 1, "G": 2, "T": 3}
k = 8
km = np.zeros(4 ** k, np.int64); tri = np.zeros(64, np.int64)
for s in seqs.values():
    a = np.array([B.get(c, 4) for c in s], np.int64)
    for L, arr in ((3, tri), (k, km)):
        if len(a) < L: continue
        win = np.lib.stride_tricks.sliding_window_view(a, L)
        good = (win < 4).all(axis=1)
        code = np.zeros(len(win), np.int64)
        for j in range(L): code = code * 4 + np.where(win[:, j] < 4, win[:, j], 0)
        np.add.at(arr, code[good], 1)
def rc(code, L):
    r = 0
    for _ in range(L): r = r * 4 + (3 - (code & 3)); code >>= 2
    return r
t = tri + tri[[rc(w, 3) for w in range(64)]] + 0.5
di = np.zeros(16)
for w in range(64): di[w >> 2] += t[w]
def z(code):
    le = math.log(t[code >> (2 * (k - 3))])
    for i in range(1, k - 2):
        sub = (code >> (2 * (k - 3 - i))) & 63
        le += math.log(t[sub]) - math.log(di[sub >> 2])
    E = math.exp(le)  # = exp(le - log total) * total
    return (km[code] + km[rc(code, k)] - E) / math.sqrt(E + 1)
key = "promoter_motif" if stream == "p" else "enhancer_motif"
for m in sorted({x[key] for x in S["grammar"]}):
    pwm = np.array(S["motifs"][m]["pwm"]); best = (-1e9, "")
    for off in range(len(pwm) - k + 1):
        cand = [(0.0, 0)]
        for col in pwm[off:off + k]:
            cand = sorted(((lp + math.log(col[b] + 1e-12), c * 4 + b) for lp, c in cand for b in range(4)), reverse=True)[:50]
        for _, c in cand[:20]:
            best = max(best, (z(c), "".join("ACGT"[(c >> (2 * (k - 1 - i))) & 3] for i in range(k))))
    acts = " ".join("%.2f" % c["activity"][m] for c in S["cells"] if c["split"] == "train")
    print("%2d %-12s best seed %s z %5.1f  training activities %s" % (m, S["motifs"][m]["consensus"], best[1], best[0], acts))
