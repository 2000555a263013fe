# experiments/transfer-data-size.md, "Does the shortcut mask cost the member?": for each k-mer a
# run's shortcut mask took (run.json `shortcut_mask`), whether it is the simulation's planted
# shortcut, and its over-representation in each *other* training cell line's enhancers: the share
# of enhancers holding it (either strand) against the share expected under that cell line's
# order-2 Markov model of its enhancers, as a z score (binomial sd). A shortcut confined to one
# cell line should sit at chance elsewhere; a motif's site should not.
#   /usr/bin/python3 experiments/mask_spare_check.py RUN_DIR...   (the simulation: RUN_DIR with
#   /runs/ replaced by /sims/, as experiments/motif_variants.sh lays them out)
import csv, json, math, sys
from collections import Counter

COMP = str.maketrans("ACGT", "TGCA")

def rc(k):
    return k.translate(COMP)[::-1]

def enhancers_by_cell(sim):
    pairs = list(csv.DictReader(open(f"{sim}/train/ALL/pairs_hg19.csv")))
    seq = {r["region"]: r["sequence"].upper() for r in csv.DictReader(open(f"{sim}/train/ALL/e_seq.csv"))}
    names = {}
    for p in pairs: names.setdefault(p["cell_line"], set()).add(p["enhancer_name"])
    return {c: [seq[n] for n in sorted(ns)] for c, ns in names.items()}

def markov2(seqs):
    c3, c2 = Counter(), Counter()
    for s in seqs:
        for i in range(len(s) - 2):
            t = s[i:i + 3]
            if "N" not in t: c3[t] += 1; c2[t[:2]] += 1
    return c3, c2, sum(c2.values())

def prob(k, model):
    c3, c2, total = model
    p = c2[k[:2]] / total
    for i in range(len(k) - 2): p *= c3[k[i:i + 3]] / max(1, c2[k[i:i + 2]])
    return p

def presence_z(k, seqs, model):
    n = len(seqs)
    q = prob(k, model) + prob(rc(k), model)
    expected = sum(1 - math.exp(-(len(s) - len(k) + 1) * q) for s in seqs) / n
    observed = sum((k in s) or (rc(k) in s) for s in seqs) / n
    return (observed - expected) * n / math.sqrt(n * expected * (1 - expected))

def main():
    for run in sys.argv[1:]:
        sim = run.replace("/runs/", "/sims/")
        j = json.load(open(run + "/run.json"))
        mask = j.get("shortcut_mask") or {}
        if not mask.get("kmers"): continue
        planted = {c["shortcut_kmer"] for c in json.load(open(sim + "/simulation.json"))["cells"]
                   if c.get("shortcut_kmer")}
        cells = enhancers_by_cell(sim)
        models = {c: markov2(v) for c, v in cells.items()}
        for m in mask["kmers"]:
            k, own = m["kmer"], m["cell_line"]
            z = [presence_z(k, v, models[c]) for c, v in sorted(cells.items()) if c != own]
            print(json.dumps({"run": run, "kmer": k, "cell_line": own,
                              "planted": k in planted or rc(k) in planted,
                              "specificity": round(m["specificity"], 1),
                              "other_cells_z": [round(x, 1) for x in z]}), flush=True)

if __name__ == "__main__":
    main()
