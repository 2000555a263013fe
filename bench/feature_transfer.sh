#!/usr/bin/env bash
# Cross-cell-line transfer on the real feature tables (../shared/data/epi-features), in one
# invocation, for several training seeds:
#   whalen  leave-one-cell-line-out over the six Whalen (TargetFinder) cell lines (6 folds)
#   bengi   BENGI GM12878 -> HeLa and HeLa -> GM12878 (every assay's table of a cell line together)
# and for each: prism's default feature configuration (configs/features-whalen.toml, test cell
# line substituted: the network averaged with boosted trees, model.ensemble; each member alone and
# the run's built-in XGBoost baseline are read from the same run), the same with the four PRISM
# components off, model.kind = "xgboost" (500
# rounds on the same split: no validation cell line), xgboost with early stopping on one training
# cell line held out as validation (whalen only: the next cell line in the list; bengi has one
# training cell line), and the distance baseline (`prism baseline --only distance`). prism is
# trained with every seed; XGBoost (no row or column sampling: the seed changes no tree) and
# distance once. Writes
# bench/RESULTS-feat.md anew (one table per benchmark: per held-out cell line the mean AUPR over
# seeds, then means and the seed spread) and WORK/results.tsv (every run).
# Usage: bash bench/feature_transfer.sh PRISM_BIN [WORK_DIR] [THREADS]   (THREADS default 1)
#   SEEDS="7 8 9"   training seeds (default 7 8 9)
#   JOBS=3          runs at the same time (default 3; each uses THREADS threads)
#   RESUME=1        keep WORK_DIR/results.tsv and skip the runs it already has (an interrupted
#                   invocation continued; the table then covers both)
#   OUT=path.md     where the table goes (default bench/RESULTS-feat.md; with BENCHES other than
#                   both: WORK_DIR/RESULTS-feat.md, so the full table in the repository stays)
#   BENCHES="bengi" the benchmarks to run (default "whalen bengi"; BENGI alone takes ~3 minutes)
set -euo pipefail
PRISM=${1:?usage: feature_transfer.sh PRISM_BIN [WORK_DIR] [THREADS]}
PRISM=$(cd "$(dirname "$PRISM")" && pwd)/$(basename "$PRISM")
WORK=${2:-/tmp/prism-feature-transfer}
THREADS=${3:-1}
SEEDS=${SEEDS:-7 8 9}
JOBS=${JOBS:-3}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
BENCHES=${BENCHES:-whalen bengi}
run_whalen=0 run_bengi=0
for b in $BENCHES; do
  case $b in
    whalen) run_whalen=1 ;;
    bengi) run_bengi=1 ;;
    *) echo "feature_transfer: BENCHES takes whalen and bengi, got '$b'" >&2; exit 2 ;;
  esac
done
# One benchmark only: said in the table's command line, and the repository's full table stays.
only=""
[ $run_whalen = 1 ] && [ $run_bengi = 1 ] || only=" BENCHES=\"$BENCHES\""
if [ -z "$only" ]; then OUT=${OUT:-$ROOT/bench/RESULTS-feat.md}; else OUT=${OUT:-$WORK/RESULTS-feat.md}; fi
DATA=$(cd "$ROOT/../shared/data/epi-features" 2>/dev/null && pwd) \
  || { echo "feature_transfer: no ../shared/data/epi-features beside the repository" >&2; exit 77; }
CONFIG=$ROOT/configs/features-whalen.toml
WHALEN_CELLS=(GM12878 HUVEC HeLa IMR90 K562 NHEK)
WHALEN_FILES=$(for c in GM12878 HUVEC HeLa-S3 IMR90 K562 NHEK; do
  printf '"%s/Whalen.%s.targetfinder_features.csv.gz", ' "$DATA" "$c"; done)
BENGI_FILES=$(for f in "$DATA"/BENGI.*.targetfinder_features.csv.gz; do printf '"%s", ' "$f"; done)
mkdir -p "$WORK"
[ -n "${RESUME:-}" ] && touch "$WORK/results.tsv" || : > "$WORK/results.tsv"
start_all=$(date +%s)

# config FILE NAME SEED FILES TEST VAL MODEL: the default config with data and split replaced;
# MODEL = default | components_off | xgboost.
config() {
  local file=$1 name=$2 seed=$3 files=$4 test=$5 val=$6 model=$7
  sed -e "s|^name = .*|name = \"$name\"|" -e "s|^seed = .*|seed = $seed|" \
      -e "s|^test_cells = .*|test_cells = [\"$test\"]|" -e "s|^val_cells = .*|val_cells = [$val]|" \
      -e '/^files = \[/,/\]$/d' -e "s|^\[data\]$|[data]\nfiles = [${files%, }]|" "$CONFIG" > "$file"
  case $model in
    components_off)
      sed -i -e 's/^\(prototype\|contrastive\|orthogonality\|adversarial\) = true/\1 = false/' \
             -e 's/^sampler = .*/sampler = "random"/' "$file" ;;
    xgboost) sed -i 's/^kind = "network"/kind = "xgboost"/' "$file" ;;
  esac
}

# one BENCH SEED MODEL FILES TEST VAL: train + predict (test split, best checkpoint for xgboost
# with validation, else last), one row of results.tsv.
one() {
  local bench=$1 seed=$2 model=$3 files=$4 test=$5 val=$6
  local dir="$WORK/$bench-$model-$test-$seed" cfg_model=$model
  [ "$model" = xgboost_es ] && cfg_model=xgboost
  rm -rf "$dir"
  config "$dir.toml" "$bench-$model-$test" "$seed" "$files" "$test" "$val" "$cfg_model"
  local t0; t0=$(date +%s.%N)
  if [ "$model" = distance ]; then
    "$PRISM" -q --threads "$THREADS" baseline --config "$dir.toml" --only distance --split test \
      -o "$dir" > /dev/null
    cp "$dir/distance.test.json" "$dir/test.json"
  else
    "$PRISM" -q --threads "$THREADS" train --config "$dir.toml" -o "$dir" > /dev/null
    local ckpt=last; [ -n "$val" ] && ckpt=best
    "$PRISM" -q --threads "$THREADS" predict "$dir" --checkpoint "$ckpt" > /dev/null
    cp "$dir/metrics/test.json" "$dir/test.json"
  fi
  local t1; t1=$(date +%s.%N)
  python3 - "$dir/test.json" "$bench" "$seed" "$model" "$test" "$t0" "$t1" >> "$WORK/results.tsv" <<'PY'
import json, sys
j = json.load(open(sys.argv[1]))
bench, seed, model, test = sys.argv[2:6]
m = j["overall"]
print("\t".join([bench, seed, model, test, "%.6f" % m["aupr"], "%.6f" % m["auc"],
                 "%.1f" % (float(sys.argv[7]) - float(sys.argv[6]))]))
# The default run's own parts, no training of their own: each member of model.ensemble alone
# (network, xgboost member) and the run's built-in XGBoost baseline (xgboost_in_run).
if model == "default":
    parts = {"network": j.get("ensemble", {}).get("members", {}).get("network"),
             "xgboost_member": j.get("ensemble", {}).get("members", {}).get("xgboost"),
             "xgboost_in_run": j.get("baselines", {}).get("xgboost", {}).get("overall")}
    for name, p in parts.items():
        if p:
            print("\t".join([bench, seed, name, test, "%.6f" % p["aupr"], "%.6f" % p["auc"], "0"]))
PY
}

# Is the components-off config the default one (its components already off)?
config "$WORK/a.toml" x 7 '"f", ' T '' default
config "$WORK/b.toml" x 7 '"f", ' T '' components_off
same_components=0
cmp -s "$WORK/a.toml" "$WORK/b.toml" && same_components=1

# The job list: one line per run (bench seed model test val). prism is trained with every seed;
# XGBoost (no row or column sampling: the seed changes no tree) and distance once.
jobs() {
  local seed i test next first=${SEEDS%% *} whalen_cells=() bengi_cells=()
  [ $run_whalen = 1 ] && whalen_cells=("${WHALEN_CELLS[@]}")
  [ $run_bengi = 1 ] && bengi_cells=(HeLa GM12878)
  for seed in $SEEDS; do
    for i in "${!whalen_cells[@]}"; do
      test=${whalen_cells[$i]}
      next=${whalen_cells[$(( (i + 1) % ${#whalen_cells[@]} ))]}
      echo "whalen $seed default $test -"
      [ $same_components = 1 ] || echo "whalen $seed components_off $test -"
      if [ "$seed" = "$first" ]; then
        echo "whalen $seed xgboost $test -"
        echo "whalen $seed xgboost_es $test $next"
        echo "whalen $seed distance $test -"
      fi
    done
    for test in "${bengi_cells[@]}"; do
      echo "bengi $seed default $test -"
      [ $same_components = 1 ] || echo "bengi $seed components_off $test -"
      if [ "$seed" = "$first" ]; then
        echo "bengi $seed xgboost $test -"
        echo "bengi $seed distance $test -"
      fi
    done
  done
}

# One job; with RESUME=1 a run whose row is already in results.tsv is not repeated.
job() {
  local bench=$1 seed=$2 model=$3 test=$4 val=$5 files
  if [ -n "${RESUME:-}" ] && grep -qP "^$bench\t$seed\t$model\t$test\t" "$WORK/results.tsv"; then
    return 0
  fi
  [ "$bench" = whalen ] && files=$WHALEN_FILES || files=$BENGI_FILES
  [ "$val" = - ] && val='' || val="\"$val\""
  one "$bench" "$seed" "$model" "$files" "$test" "$val"
}

# JOBS runs at a time; the next starts when any one ends (set -e: a failed run ends the benchmark).
jobs > "$WORK/jobs.txt"
running=0
while read -r bench seed model test val; do
  job "$bench" "$seed" "$model" "$test" "$val" &
  running=$((running + 1))
  if [ "$running" -ge "$JOBS" ]; then wait -n; running=$((running - 1)); fi
done < "$WORK/jobs.txt"
while [ "$running" -gt 0 ]; do wait -n; running=$((running - 1)); done

total=$(( $(date +%s) - start_all ))
python3 "$ROOT/bench/feature_transfer_table.py" "$WORK/results.tsv" "$total" "$THREADS" \
  "$same_components" "SEEDS=\"$SEEDS\" JOBS=$JOBS${RESUME:+ RESUME=1}$only bash bench/feature_transfer.sh $*" \
  > "$OUT.tmp"
mv "$OUT.tmp" "$OUT"
echo "feature_transfer: wrote $OUT ($total s)" >&2
