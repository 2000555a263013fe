#!/usr/bin/env bash
# Leave-one-cell-line-out on the six Whalen (TargetFinder) feature tables with the PRISM feature
# encoder (configs/features-whalen.toml with test_cells = [held-out cell line]).
# Prints one row per held-out cell line and the mean AUPR.
# Usage: bash bench/whalen_loco.sh PRISM_BIN [WORK_DIR] [THREADS] [EPOCHS]
set -euo pipefail
PRISM=${1:?usage: whalen_loco.sh PRISM_BIN [WORK_DIR] [THREADS] [EPOCHS]}
WORK=${2:-/tmp/prism-whalen}
THREADS=${3:-2}
EPOCHS=${4:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "$ROOT/../shared/data/epi-features" 2>/dev/null && pwd) || { echo "no ../shared/data/epi-features"; exit 77; }
mkdir -p "$WORK"
[ -n "${CELLS:-}" ] || : > "$WORK/loco.tsv"
for cell in ${CELLS:-GM12878 HUVEC HeLa IMR90 K562 NHEK}; do
  cfg="$WORK/$cell.toml"
  sed -e "s|^name = .*|name = \"whalen-$cell\"|" -e "s|^test_cells = .*|test_cells = [\"$cell\"]|" \
      -e "s|\.\./\.\./shared/data/epi-features|$DATA|g" "$ROOT/configs/features-whalen.toml" > "$cfg"
  rm -rf "$WORK/$cell"
  extra=(); [ "$EPOCHS" != 0 ] && extra=(--epochs "$EPOCHS")
  start=$(date +%s)
  "$PRISM" -q train --config "$cfg" -o "$WORK/$cell" --threads "$THREADS" "${extra[@]}"
  "$PRISM" -q predict "$WORK/$cell" --threads "$THREADS" --checkpoint last > /dev/null
  end=$(date +%s)
  python3 -c "import json,sys; m=json.load(open('$WORK/$cell/metrics/test.json'))['overall']; print('$cell\t%.4f\t%.4f\t%d' % (m['aupr'], m['auc'], $end-$start))" >> "$WORK/loco.tsv"
done
python3 - "$WORK/loco.tsv" <<'PY'
import sys
rows = [l.split("\t") for l in open(sys.argv[1]).read().split("\n") if l]
print("| held-out cell line | AUPR | AUC | seconds |\n|---|---|---|---|")
for c, a, u, s in rows: print(f"| {c} | {a} | {u} | {s} |")
print(f"| mean | {sum(float(r[1]) for r in rows)/len(rows):.4f} | {sum(float(r[2]) for r in rows)/len(rows):.4f} | |")
PY
