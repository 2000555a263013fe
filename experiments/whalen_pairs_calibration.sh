#!/usr/bin/env bash
# The context calibration on real data: the Whalen tables, trained on four cell lines, the other
# two scored together, pooled AUPR without and with model.context_calibration (same checkpoint).
# Calibration sets each cell line's mean score to the training positive rate; GM12878 has 17 %
# positives, the others ~5 %, so pooling GM12878 with another cell line tests its assumption.
# Usage: bash experiments/whalen_pairs_calibration.sh PRISM_BIN [WORK_DIR] [THREADS]
set -euo pipefail
PRISM=${1:?usage: whalen_pairs_calibration.sh PRISM_BIN [WORK_DIR] [THREADS]}
WORK=${2:-/tmp/prism-whalen-pairs}
THREADS=${3:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
DATA=$(cd "$ROOT/../shared/data/epi-features" 2>/dev/null && pwd) || { echo "no ../shared/data/epi-features"; exit 77; }
mkdir -p "$WORK"
echo "| held-out cell lines | pooled AUPR, no calibration | with calibration | per cell (AUPR, positives/N) |"
echo "|---|---|---|---|"
for pair in "GM12878 K562" "HUVEC NHEK" "HeLa IMR90"; do
  set -- $pair
  name="$1-$2"
  # configs/features-whalen.toml has context_calibration off: switch it on for this run.
  sed -e "s|^name = .*|name = \"pair-$name\"|" -e "s|^test_cells = .*|test_cells = [\"$1\", \"$2\"]|" \
      -e "s|\.\./\.\./shared/data/epi-features|$DATA|g" -e "s|^\[model\]|[model]\ncontext_calibration = true|" \
      "$ROOT/configs/features-whalen.toml" > "$WORK/$name.toml"
  rm -rf "${WORK:?}/$name"
  "$PRISM" -q train --config "$WORK/$name.toml" -o "$WORK/$name" --threads "$THREADS" > /dev/null
  "$PRISM" -q predict "$WORK/$name" --threads "$THREADS" --checkpoint last --no-calibration > /dev/null
  cp "$WORK/$name/metrics/test.json" "$WORK/$name/metrics/test.no_calibration.json"
  "$PRISM" -q predict "$WORK/$name" --threads "$THREADS" --checkpoint last > /dev/null
  python3 - "$WORK/$name/metrics" "$1 + $2" <<'PY'
import json, sys
d, name = sys.argv[1], sys.argv[2]
off, on = (json.load(open(f"{d}/{f}")) for f in ("test.no_calibration.json", "test.json"))
assert "context_calibration" in on and "context_calibration" not in off
cells = ", ".join(f"{c} {v['aupr']:.4f} ({v['positives']}/{v['n']})" for c, v in off["per_cell"].items())
print(f"| {name} | {off['overall']['aupr']:.4f} | {on['overall']['aupr']:.4f} | {cells} |")
PY
done
