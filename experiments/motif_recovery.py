# motif_recovery.py RUN SIM: how many of the planted grammar motifs the motif-grammar member of RUN
# recovered (PWM correlation > 0.7 at the best alignment, either strand) and how many distinct ones.
# align() is imported by motif_gap_split.py.
import json, sys, numpy as np
def rc(p): return p[::-1, ::-1]
def align(a, b):  # (correlation, strand of b, offset of b in a, first and last+1 column of a covered)
    best = (-1,)
    for strand, bb in (("+", b), ("-", rc(b))):
        for off in range(-(len(bb) - 6), len(a) - 5):
            i0 = max(0, off); i1 = min(len(a), off + len(bb))
            if i1 - i0 < 6: continue
            c = np.corrcoef(a[i0:i1].ravel(), bb[i0 - off:i1 - off].ravel())[0, 1]
            if c > best[0]: best = (c, strand, off, i0, i1)
    return best
def sim_(a, b): return align(a, b)[0]
def main():
    run, sim = sys.argv[1:3]
    S = json.load(open(sim + "/simulation.json")); M = json.load(open(run + "/checkpoints/ensemble.motif_grammar.json"))
    true = [np.array(m["pwm"]) for m in S["motifs"]]
    g = S["grammar"]
    for side, key in (("enhancer", "enhancer_motif"), ("promoter", "promoter_motif")):
        disc = [np.array(m["freq"]) for m in M[side]]
        used = sorted({x[key] for x in g})
        print(side, "discovered", len(disc), "grammar motifs", len(used))
        hit = 0
        for t in used:
            sims = [sim_(true[t], d) for d in disc]
            b = int(np.argmax(sims)) if sims else -1
            ok = sims and sims[b] > 0.7; hit += bool(ok)
            w = [round(x["weight"], 1) for x in g if x[key] == t]
            print("  true %2d %-12s best %.2f %-12s weights %s" % (t, S["motifs"][t]["consensus"], sims[b] if sims else 0, M[side][b]["consensus"] if sims else "-", w))
        print("  recovered", hit, "of", len(used))
        # redundancy: discovered motifs matching a true one already matched, or nothing
        tm = [max(range(len(true)), key=lambda t: sim_(true[t], d)) for d in disc]
        ts = [max(sim_(true[t], d) for t in range(len(true))) for d in disc]
        print("  discovered -> true:", " ".join("%d:%.2f" % (a, b) for a, b in zip(tm, ts)))
        print("  distinct true motifs found (>0.7):", len({a for a, b in zip(tm, ts) if b > 0.7}), "junk (<0.7):", sum(b <= 0.7 for b in ts))
if __name__ == "__main__":
    main()
