# Sourced by the Whalen drivers (feature_nested.sh, feature_single_source.sh) after ROOT is set:
# DATA (the tables: FEATURE_DATA=DIR, e.g. a subsample of their rows, or ../shared/data/epi-features;
# exits 77 without them), ALL (the six cell lines), `file CELL` (a cell line's table) and
# `whalen_config SRC DST FILES TESTS SEED` (SRC with data.files, data.test_cells and seed replaced
# by the TOML arrays FILES, TESTS and SEED, written to DST) and `train_and_score RUN NAME KEY`
# (prism train RUN.toml into RUN with $PRISM and $THREADS, predict with the last checkpoint, and
# print the test AUPR per cell line: NAME KEY CELL AUPR rows).
DATA=$(cd "${FEATURE_DATA:-$ROOT/../shared/data/epi-features}" 2>/dev/null && pwd) \
  || { echo "no ../shared/data/epi-features (or FEATURE_DATA)"; exit 77; }
ALL=(GM12878 HUVEC HeLa IMR90 K562 NHEK)
file() { [ "$1" = HeLa ] && echo "$DATA/Whalen.HeLa-S3.targetfinder_features.csv.gz" \
                         || echo "$DATA/Whalen.$1.targetfinder_features.csv.gz"; }
whalen_config() {
  python3 - "$@" <<'PY'
import re, sys
src, dst, files, tests, seed = sys.argv[1:6]
text = open(src).read()
text = re.sub(r"(?ms)^files = \[.*?\]\s*$", "files = " + files, text)
text = re.sub(r"(?m)^test_cells = .*$", "test_cells = " + tests, text)
text = re.sub(r"(?m)^seed = .*$", f"seed = {seed}", text)
open(dst, "w").write(text)
PY
}
train_and_score() {
  local run=$1
  "$PRISM" -q --threads "$THREADS" train --config "$run.toml" -o "$run" > /dev/null
  "$PRISM" -q --threads "$THREADS" predict "$run" --checkpoint last > /dev/null
  python3 - "$run/metrics/test.json" "$2" "$3" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
name, key = sys.argv[2], sys.argv[3]
for cell, row in sorted(j["per_cell"].items()):
    print(f"{name}\t{key}\t{cell}\t{row['aupr']:.6f}")
# model.ensemble: each member alone (NAME.network, NAME.xgboost); the run's XGBoost baseline
# (NAME.xgboost_baseline: 500 rounds, or early stopping on a val split) - same split, no training.
for member, m in j.get("ensemble", {}).get("members", {}).items():
    for cell, row in sorted(m["per_cell"].items()):
        print(f"{name}.{member}\t{key}\t{cell}\t{row['aupr']:.6f}")
for cell, row in sorted(j.get("baselines", {}).get("xgboost", {}).get("per_cell", {}).items()):
    print(f"{name}.xgboost_baseline\t{key}\t{cell}\t{row['aupr']:.6f}")
PY
}
