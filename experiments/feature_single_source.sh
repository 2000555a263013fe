#!/usr/bin/env bash
# Single-source transfer on the six Whalen cell lines: a model trained on ONE cell line, scored on
# each of the five others (30 ordered pairs), for choosing settings that matter when a run has a
# single training cell line (BENGI's GM12878 -> HeLa and HeLa -> GM12878 in
# bench/feature_transfer.sh) without reading those held-out tables.
# Candidates are prism configs (CANDIDATES="name=path.toml ..."); members of a model.ensemble
# config are columns of their own (NAME.network, NAME.xgboost), as in feature_nested.sh.
# Usage: CANDIDATES="a=configs/features-whalen.toml ..." bash experiments/feature_single_source.sh \
#          PRISM_BIN [WORK_DIR] [THREADS] [SEED]
#   JOBS=2   trainings at the same time (default 1)
# Writes WORK_DIR/pairs.tsv (candidate, source, scored cell, AUPR) and prints per source the mean
# over its five targets, and the overall mean.
set -euo pipefail
PRISM=${1:?usage: CANDIDATES=... feature_single_source.sh PRISM_BIN [WORK_DIR] [THREADS] [SEED]}
WORK=${2:-/tmp/prism-feature-single-source}
THREADS=${3:-1}
SEED=${4:-7}
JOBS=${JOBS:-1}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/experiments/whalen_tables.sh"
mkdir -p "$WORK"
one() {  # one NAME CONFIG SOURCE
  local name=$1 cfg=$2 src=$3 run="$WORK/$1-$3-$SEED" files="" tests=""
  for c in "${ALL[@]}"; do
    files="$files\"$(file "$c")\", "
    [ "$c" = "$src" ] || tests="$tests\"$c\", "
  done
  rm -rf "$run"
  whalen_config "$cfg" "$run.toml" "[${files%, }]" "[${tests%, }]" "$SEED"
  rm -f "$run.tsv"
  train_and_score "$run" "$name" "$src" > "$run.tsv.part"
  mv "$run.tsv.part" "$run.tsv"
}
for cand in ${CANDIDATES:?CANDIDATES="name=config.toml ..."}; do
  for src in "${ALL[@]}"; do
    while [ "$(jobs -rp | wc -l)" -ge "$JOBS" ]; do wait -n; done
    one "${cand%%=*}" "${cand#*=}" "$src" &
  done
done
wait
# Every (candidate, source) run's rows; a run that failed has no file and stops the script here.
for cand in $CANDIDATES; do
  for src in "${ALL[@]}"; do cat "$WORK/${cand%%=*}-$src-$SEED.tsv"; done
done > "$WORK/pairs.tsv"
python3 - "$WORK/pairs.tsv" <<'PY'
import collections, csv, statistics, sys
rows = collections.defaultdict(lambda: collections.defaultdict(list))
for name, src, cell, a in csv.reader(open(sys.argv[1]), delimiter="\t"):
    rows[name][src].append(float(a))
names = list(rows)
srcs = sorted({s for n in names for s in rows[n]})
print("source\t" + "\t".join(names))
for s in srcs:
    print(s + "\t" + "\t".join(f"{statistics.mean(rows[n][s]):.4f}" for n in names))
print("mean\t" + "\t".join(f"{statistics.mean(a for s in srcs for a in rows[n][s]):.4f}" for n in names))
PY
