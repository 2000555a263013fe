#!/usr/bin/env bash
# End-to-end: `prism baseline` on a tiny simulation (sequences: kmer_logreg; distance only where
# the data has it) and on a small generated feature table (distance and xgboost, early stopping
# on the val cell line); the metrics JSON per baseline and split has the fields of
# metrics/<split>.json; bad input is one error line and a non-zero exit.
# Usage: bash baseline_cli.sh PRISM_BIN SHARED_DATA_DIR
set -euo pipefail
PRISM=${1:?usage: baseline_cli.sh PRISM_BIN SHARED_DATA_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
has_fields() {  # FILE: the metric-table fields of metrics/<split>.json
  for k in '"overall"' '"per_cell"' '"aupr"' '"auc"' '"f1"' '"recall"' '"precision"' \
           '"threshold"' '"n"' '"positives"' '"ece"' '"brier"'; do
    grep -q "$k" "$1" || fail "$1 lacks $k"
  done
}

# ---- sequences ----
"$PRISM" simulate --preset tiny --seed 5 --out "$TMP/sim" > /dev/null
"$PRISM" --threads 1 baseline --data "$TMP/sim" --split val,test -o "$TMP/seq" > "$TMP/seq.txt"
for f in kmer_logreg.val.json kmer_logreg.test.json baselines.json results.md; do
  [[ -s "$TMP/seq/$f" ]] || fail "sequence run did not write $f"
done
has_fields "$TMP/seq/kmer_logreg.test.json"
grep -q '| kmer_logreg | test |' "$TMP/seq/results.md" || fail "results.md lacks the kmer row"
grep -q 'xgboost: not applicable' "$TMP/seq/results.md" || fail "xgboost not marked inapplicable"
grep -q '"l2_chosen_by": "validation AUPR"' "$TMP/seq/baselines.json" || fail "no val choice"
grep -q '"fit_seconds"' "$TMP/seq/baselines.json" || fail "no cost in baselines.json"

# ---- a feature table: 24 feature columns, 4 cell lines, H3K27ac (enhancer) carries the label ----
python3 "$(dirname "$0")/make_feature_table.py" "$TMP/feat.csv" 1200 4
"$PRISM" --threads 1 baseline --features "$TMP/feat.csv" --test-cells D --val-cells C \
  --split test -o "$TMP/feat" > "$TMP/feat.txt"
for f in distance.test.json xgboost.test.json baselines.json results.md; do
  [[ -s "$TMP/feat/$f" ]] || fail "feature run did not write $f"
done
has_fields "$TMP/feat/xgboost.test.json"
grep -q '"early_stopping_rounds": 20' "$TMP/feat/baselines.json" || fail "no early stopping"
grep -q 'kmer_logreg: not applicable' "$TMP/feat/results.md" || fail "kmer not marked inapplicable"
python3 - "$TMP/feat" <<'PY' || fail "baseline AUPRs not above the positive rate"
import json, sys
for b in ("distance", "xgboost"):
    o = json.load(open(f"{sys.argv[1]}/{b}.test.json"))["overall"]
    assert o["aupr"] > o["positives"] / o["n"] + 0.1, (b, o)
PY

# ---- the same through a run config: its data and split, its seed ----
cat > "$TMP/run.toml" <<'TOML'
seed = 11
preset = "features"  # the base for feature tables (docs/train-config.md)
[data]
files = ["feat.csv"]
test_cells = ["D"]
val_cells = ["C"]
TOML
"$PRISM" --threads 1 baseline --config "$TMP/run.toml" --only xgboost -o "$TMP/cfg" > /dev/null
grep -q '"seed": 11' "$TMP/cfg/baselines.json" || fail "--config: the config's seed not used"
[[ -s "$TMP/cfg/xgboost.test.json" && ! -e "$TMP/cfg/distance.test.json" ]] || fail "--only xgboost"

# ---- a sequence run config with data.val_cells: the baselines validate on that training cell
# line's pairs, as the training run does (HoldOutValCells), not on the folder's val split ----
cat > "$TMP/seq.toml" <<'TOML'
preset = "tiny"
[data]
dir = "sim"
val_cells = ["train2"]
TOML
"$PRISM" --threads 1 baseline --config "$TMP/seq.toml" --split val,test -o "$TMP/seqcfg" > /dev/null
python3 - "$TMP/seqcfg/kmer_logreg.val.json" "$TMP/sim/train/ALL/pairs_hg19.csv" <<'PY' || fail "--config ignored data.val_cells"
import csv, json, sys
v = json.load(open(sys.argv[1]))
assert list(v["per_cell"]) == ["train2"], v["per_cell"].keys()
rows = list(csv.DictReader(open(sys.argv[2])))
cell_col = [c for c in rows[0] if c in ("cell_line", "cell", "celltype")][0]
train2 = sum(r[cell_col] == "train2" for r in rows)
assert v["overall"]["n"] >= train2 > 0, (v["overall"]["n"], train2)
PY

# ---- bad input: one error line, non-zero exit, nothing written ----
set +e
"$PRISM" baseline --features "$TMP/feat.csv" --test-cells Z -o "$TMP/bad" 2> "$TMP/err.txt"
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "unknown test cell accepted"
[[ $(wc -l < "$TMP/err.txt") -eq 1 ]] || fail "expected one error line, got: $(cat "$TMP/err.txt")"
[[ ! -e "$TMP/bad" ]] || fail "output folder written on error"
echo "baseline_cli: OK"
