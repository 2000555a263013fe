#!/usr/bin/env bash
# Nested leave-one-cell-line-out on the six Whalen cell lines for choosing a feature model
# without ever using the held-out cell line: for every outer (held-out) cell line O and every
# other cell line I, a model trained on the four remaining cell lines is scored on I; the inner
# mean of O is the mean over I. A model trained without {O, I} serves both (O, I) and (I, O), so
# each candidate needs 15 trainings (one per pair of cell lines, both scored at once).
# Candidates are prism configs (CANDIDATES="name=path.toml ..."); "ensemble:A+B" averages the
# probabilities of candidates A and B per pair (no training of its own).
# A candidate with model.ensemble also gives its members alone (NAME.network, NAME.xgboost) and
# the run's built-in XGBoost baseline (NAME.xgboost_baseline) as columns, from the same runs.
# FEATURE_DATA=DIR reads the Whalen tables from DIR instead (e.g. a subsample of their rows).
# SUMMARY_ONLY=1 prints the table from the runs already in WORK_DIR (e.g. merged from two
# invocations) without training.
# Usage: CANDIDATES="p1=configs/features-whalen.toml ..." bash experiments/feature_nested.sh \
#          PRISM_BIN [WORK_DIR] [THREADS] [SEED]
# Writes WORK_DIR/pairs.tsv (candidate, left-out pair, scored cell, AUPR) and prints the inner
# mean of every candidate per outer cell line and overall.
set -euo pipefail
PRISM=${1:?usage: CANDIDATES=... feature_nested.sh PRISM_BIN [WORK_DIR] [THREADS] [SEED]}
WORK=${2:-/tmp/prism-feature-nested}
THREADS=${3:-2}
SEED=${4:-7}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/experiments/whalen_tables.sh"
mkdir -p "$WORK"
[ -n "${SUMMARY_ONLY:-}" ] || : > "$WORK/pairs.tsv"
for cand in ${CANDIDATES:?CANDIDATES="name=config.toml ..."}; do
  name=${cand%%=*}; cfg=${cand#*=}
  [[ $name == ensemble:* || -n "${SUMMARY_ONLY:-}" ]] && continue
  for a in 0 1 2 3 4; do
    for b in $(seq $((a + 1)) 5); do
      A=${ALL[$a]}; B=${ALL[$b]}
      files=""
      for c in "${ALL[@]}"; do [ "$c" = "$A" ] || [ "$c" = "$B" ] || files="$files\"$(file "$c")\", "; done
      run="$WORK/$name-$A-$B-$SEED"
      rm -rf "$run"
      # The candidate with the two cell lines' tables (both held out) and this seed.
      whalen_config "$cfg" "$run.toml" "[${files%, }, \"$(file "$A")\", \"$(file "$B")\"]" \
                    "[\"$A\", \"$B\"]" "$SEED"
      train_and_score "$run" "$name" "$A-$B" >> "$WORK/pairs.tsv"
    done
  done
done
python3 - "$WORK" "$SEED" $CANDIDATES <<'PY'
import csv, os, statistics, sys
sys.path.insert(0, os.path.dirname(os.path.abspath(sys.argv[0])))
work, seed, cands = sys.argv[1], sys.argv[2], [c.split("=", 1)[0] for c in sys.argv[3:]]
ALL = ["GM12878", "HUVEC", "HeLa", "IMR90", "K562", "NHEK"]
aupr = {}
for name, pair, cell, a in csv.reader(open(os.path.join(work, "pairs.tsv")), delimiter="\t"):
    aupr[(name, frozenset(pair.split("-")), cell)] = float(a)
# The members and baseline rows of each candidate (NAME.member) are columns of their own.
cands += sorted({k[0] for k in aupr} - set(cands), key=lambda n: (n.split(".")[0], n))
def ensemble(name, pair, cell):
    # Mean of the two candidates' probabilities per pair, scored like prism eval does.
    import json
    a, b = name.split(":", 1)[1].split("+")
    A, B = sorted(pair, key=ALL.index)
    preds = []
    for c in (a, b):
        rows = list(csv.DictReader(open(os.path.join(work, f"{c}-{A}-{B}-{seed}", "predictions", "test.csv"))))
        preds.append(rows)
    y, s = [], []
    for r0, r1 in zip(*preds):
        assert r0["enhancer"] == r1["enhancer"] and r0["promoter"] == r1["promoter"]
        if r0["cell_line"] != cell:
            continue
        y.append(int(r0["label"]))
        s.append((float(r0["score"]) + float(r1["score"])) / 2)
    # average precision (step-wise, as prism/metric.h)
    order = sorted(range(len(s)), key=lambda i: -s[i])
    tp = fp = 0; ap = 0.0; pos = sum(y); i = 0
    while i < len(order):
        j = i
        while j + 1 < len(order) and s[order[j + 1]] == s[order[i]]:
            j += 1
        dtp = sum(y[order[k]] for k in range(i, j + 1)); dfp = (j - i + 1) - dtp
        tp += dtp; fp += dfp
        ap += dtp / pos * tp / (tp + fp)
        i = j + 1
    return ap
print("outer\t" + "\t".join(cands))
means = {c: [] for c in cands}
for outer in ALL:
    row = []
    for c in cands:
        v = []
        for inner in ALL:
            if inner == outer:
                continue
            pair = frozenset((outer, inner))
            v.append(ensemble(c, pair, inner) if c.startswith("ensemble:") else aupr[(c, pair, inner)])
        means[c].append(statistics.mean(v))
        row.append("%.4f" % means[c][-1])
    print(outer + "\t" + "\t".join(row))
print("mean\t" + "\t".join("%.4f" % statistics.mean(means[c]) for c in cands))
PY
