#!/usr/bin/env bash
# Ablation on the default simulation: the full PRISM model vs the same model with prototype,
# contrastive, orthogonality and adversarial off (same seed, epochs, sampler), next to the
# simulator's env-blind and true oracle AUPRs on the test cell lines; each model with and without
# the context calibration (model.context_calibration), the full model also context-free.
# Usage: bash experiments/model_ablation.sh PRISM_BIN [WORK_DIR] [THREADS] [SIMULATE_ARGS...]
set -euo pipefail
PRISM=${1:?usage: model_ablation.sh PRISM_BIN [WORK_DIR] [THREADS]}
WORK=${2:-/tmp/prism-ablation}
THREADS=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
ROOT=$(cd "$(dirname "$0")/.." && pwd)
rm -rf "$WORK" && mkdir -p "$WORK"
"$PRISM" -q simulate --preset default -o "$WORK/sim" "$@" > /dev/null
for cfg in default ablation-plain; do
  start=$(date +%s.%N)
  "$PRISM" -q train --config "$ROOT/configs/$cfg.toml" --data "$WORK/sim" -o "$WORK/$cfg" --threads "$THREADS"
  mid=$(date +%s.%N)
  "$PRISM" -q predict "$WORK/$cfg" --threads "$THREADS" > /dev/null
  "$PRISM" -q predict "$WORK/$cfg" --threads "$THREADS" --split val > /dev/null
  end=$(date +%s.%N)
  echo "$cfg train_s=$(echo "$mid - $start" | bc) predict_s=$(echo "$end - $mid" | bc)" >> "$WORK/times.txt"
done
# Extra rows: the full model context-free, and both models without the context calibration.
"$PRISM" -q predict "$WORK/default" --threads "$THREADS" --context-free > /dev/null
cp "$WORK/default/metrics/test.json" "$WORK/default/metrics/test.context_free.json"
for cfg in default ablation-plain; do
  "$PRISM" -q predict "$WORK/$cfg" --threads "$THREADS" --no-calibration > /dev/null
  cp "$WORK/$cfg/metrics/test.json" "$WORK/$cfg/metrics/test.no_calibration.json"
  "$PRISM" -q predict "$WORK/$cfg" --threads "$THREADS" > /dev/null   # restore the default files
done
python3 - "$WORK" <<'PY'
import json, sys
w = sys.argv[1]
sim = json.load(open(f"{w}/sim/simulation.json"))["splits"]["test"]
m = lambda run, f: json.load(open(f"{w}/{run}/metrics/{f}"))
rows = [("full model (context-aware, calibrated)", m("default", "test.json")),
        ("full model (context-aware, no calibration)", m("default", "test.no_calibration.json")),
        ("full model (context-free)", m("default", "test.context_free.json")),
        ("ablated: prototype/contrastive/orthogonality/adversarial off (calibrated)",
         m("ablation-plain", "test.json")),
        ("ablated (no calibration)", m("ablation-plain", "test.no_calibration.json"))]
cells = sorted(sim["per_cell"])
print("| model | test AUPR | " + " | ".join(f"{c} AUPR" for c in cells) + " |")
print("|---|---|" + "---|" * len(cells))
for name, m in rows:
    print(f"| {name} | {m['overall']['aupr']:.4f} | " +
          " | ".join(f"{m['per_cell'][c]['aupr']:.4f}" for c in cells) + " |")
print(f"| oracle, env-blind | {sim['aupr_env_blind']:.4f} | " +
      " | ".join(f"{sim['per_cell'][c]['aupr_env_blind']:.4f}" for c in cells) + " |")
print(f"| oracle, true | {sim['aupr_true']:.4f} | " +
      " | ".join(f"{sim['per_cell'][c]['aupr_true']:.4f}" for c in cells) + " |")
PY
cat "$WORK/times.txt"
