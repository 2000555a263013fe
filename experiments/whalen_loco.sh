#!/usr/bin/env bash
# Leave-one-cell-line-out on the six Whalen (TargetFinder) feature tables: the PRISM feature
# encoder (configs/features-whalen.toml with test_cells = [held-out cell line]) and, in the same
# run, the gradient-boosting baseline (experiments/hgb_baseline.py: HistGradientBoosting, 300 trees,
# lr 0.05) on the same held-out cell lines. Prints one row per held-out cell line with both
# models' AUPR/AUC side by side, and both means. Writes WORK_DIR/loco.tsv (prism),
# WORK_DIR/hgb.json (baseline) and WORK_DIR/table.md (the table).
# Usage: bash experiments/whalen_loco.sh PRISM_BIN [WORK_DIR] [THREADS] [EPOCHS]
#   CONFIG=path.toml   another prism config (default configs/features-whalen.toml)
#   CELLS="K562 NHEK"  a subset of held-out cell lines (prism names; the baseline follows)
#   CHECKPOINT=best    the checkpoint prism predict scores (default last: no validation cells)
#   NO_HGB=1           prism only (no baseline columns)
#   PYTHON=...         the Python with scikit-learn (default /usr/bin/python3)
set -euo pipefail
PRISM=${1:?usage: whalen_loco.sh PRISM_BIN [WORK_DIR] [THREADS] [EPOCHS]}
WORK=${2:-/tmp/prism-whalen}
THREADS=${3:-2}
EPOCHS=${4:-0}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONFIG=${CONFIG:-$ROOT/configs/features-whalen.toml}
PY=${PYTHON:-/usr/bin/python3}
CHECKPOINT=${CHECKPOINT:-last}
CELLS=${CELLS:-GM12878 HUVEC HeLa IMR90 K562 NHEK}
DATA=$(cd "$ROOT/../shared/data/epi-features" 2>/dev/null && pwd) || { echo "no ../shared/data/epi-features"; exit 77; }
mkdir -p "$WORK"
: > "$WORK/loco.tsv"
run_start=$(date +%s)
for cell in $CELLS; do
  cfg="$WORK/$cell.toml"
  sed -e "s|^name = .*|name = \"whalen-$cell\"|" -e "s|^test_cells = .*|test_cells = [\"$cell\"]|" \
      -e "s|\.\./\.\./shared/data/epi-features|$DATA|g" "$CONFIG" > "$cfg"
  rm -rf "${WORK:?}/$cell"
  extra=(); [ "$EPOCHS" != 0 ] && extra=(--epochs "$EPOCHS")
  start=$(date +%s)
  "$PRISM" -q train --config "$cfg" -o "$WORK/$cell" --threads "$THREADS" "${extra[@]}"
  "$PRISM" -q predict "$WORK/$cell" --threads "$THREADS" --checkpoint "$CHECKPOINT" > /dev/null
  end=$(date +%s)
  "$PY" -c "import json,sys; m=json.load(open('$WORK/$cell/metrics/test.json'))['overall']; print('$cell\t%.4f\t%.4f\t%d' % (m['aupr'], m['auc'], $end-$start))" >> "$WORK/loco.tsv"
done
prism_s=$(( $(date +%s) - run_start ))
hgb_s=0
if [ -z "${NO_HGB:-}" ]; then
  # The baseline's file names: HeLa is HeLa-S3 there.
  hcells=$(for c in $CELLS; do [ "$c" = HeLa ] && echo HeLa-S3 || echo "$c"; done)
  start=$(date +%s)
  "$PY" "$ROOT/experiments/hgb_baseline.py" --data "$DATA" --out "$WORK/hgb.json" \
      --threads "$THREADS" --cells $hcells > "$WORK/hgb.log"
  hgb_s=$(( $(date +%s) - start ))
fi
"$PY" - "$WORK" "$prism_s" "$hgb_s" <<'PY' | tee "$WORK/table.md"
import json, os, sys
work, prism_s, hgb_s = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
rows = [l.split("\t") for l in open(os.path.join(work, "loco.tsv")).read().split("\n") if l]
hgb = None
if os.path.exists(os.path.join(work, "hgb.json")) and hgb_s > 0:
    hgb = json.load(open(os.path.join(work, "hgb.json")))["per_cell"]
def h(cell):
    return hgb.get("HeLa-S3" if cell == "HeLa" else cell) if hgb else None
mean = lambda v: sum(v) / len(v)
if hgb:
    print("| held-out cell line | prism AUPR | HGB AUPR | prism AUC | HGB AUC | distance-only AUPR | prism s | HGB s |")
    print("|---|---|---|---|---|---|---|---|")
    for c, a, u, s in rows:
        r = h(c)
        print(f"| {c} | {a} | {r['aupr']:.4f} | {u} | {r['auc']:.4f} | {r['distance_aupr']:.4f} | {s} | {r['seconds']:.0f} |")
    hs = [h(c) for c, *_ in rows]
    print(f"| **mean** | **{mean([float(r[1]) for r in rows]):.4f}** | **{mean([r['aupr'] for r in hs]):.4f}** | "
          f"{mean([float(r[2]) for r in rows]):.4f} | {mean([r['auc'] for r in hs]):.4f} | "
          f"{mean([r['distance_aupr'] for r in hs]):.4f} | {prism_s} | {hgb_s} |")
else:
    print("| held-out cell line | AUPR | AUC | seconds |\n|---|---|---|---|")
    for c, a, u, s in rows: print(f"| {c} | {a} | {u} | {s} |")
    print(f"| mean | {mean([float(r[1]) for r in rows]):.4f} | {mean([float(r[2]) for r in rows]):.4f} | {prism_s} |")
PY
