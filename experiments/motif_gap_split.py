# experiments/discovered-motif-shape.md: where the motif-grammar member's gap to the true motifs
# comes from. The member file's motifs are entered into the member's own design (posterior sites,
# N0 = 0.1 false sites per element of the training mean length; capped count products + single
# counts; L2 logistic regression, C chosen on val AUPR; scikit-learn) in five forms, each stream:
#   member  as discovered (variants and unmatched motifs included)
#   dedup   one discovered motif per planted motif it matches (PWM correlation > 0.7), the first found
#   frame   dedup, with the planted motif's columns added where the discovered one does not reach
#   cut     the planted PWMs of dedup's motifs, cut to the columns the discovered ones cover
#   swap    the full planted PWMs of dedup's motifs
#   true    all planted PWMs (what the reference learner is given)
#   /usr/bin/python3 experiments/motif_gap_split.py SIM_DIR MEMBER_JSON member,dedup,frame,cut,swap,true
import json, sys
import numpy as np
from motif_recovery import align, rc
from site_rule_prototype import load, designs, fit_on_val, train_mean_length, member_motifs


def forms(mots, true):
    """The dedup, frame, cut and swap forms of the found PWMs `mots` against the planted `true`
    (see the file comment), and `matched`: (planted index, PWM correlation) of each dedup motif."""
    out = {k: [] for k in ("dedup", "frame", "cut", "swap", "matched")}
    seen = set()
    for d in map(np.array, mots):
        al = [align(t, d) for t in true]
        t = int(np.argmax([a[0] for a in al])); c, strand, off, i0, i1 = al[t]
        if c <= 0.7 or t in seen: continue
        seen.add(t)
        D = d if strand == "+" else rc(d)
        T = true[t].copy(); T[i0:i1] = D[i0 - off:i1 - off]
        out["dedup"].append(d.tolist()); out["frame"].append(T.tolist())
        out["cut"].append(true[t][i0:i1].tolist()); out["swap"].append(true[t].tolist())
        out["matched"].append((t, c))
    return out


def main():
    sim, member = sys.argv[1:3]
    S = json.load(open(sim + "/simulation.json"))
    true = [np.array(m["pwm"]) for m in S["motifs"]]
    data = {s: load(sim, s) for s in ("train", "val", "test")}
    L = train_mean_length(data)
    emot, pmot = member_motifs(member)
    fe, fp = forms(emot, true), forms(pmot, true)
    sets = {"member": (emot, pmot), "true": ([t.tolist() for t in true],) * 2}
    sets.update({k: (fe[k], fp[k]) for k in ("dedup", "frame", "cut", "swap")})
    rule = ("soft", 0.1)
    for name in sys.argv[3].split(","):
        e, p = sets[name]
        v, t, C = fit_on_val(designs(data, e, p, [rule], L), rule)[:3]
        print("%-7s motifs %2d %2d  val %.4f test %.4f C %g" % (name, len(e), len(p), v, t, C), flush=True)


if __name__ == "__main__":
    main()
