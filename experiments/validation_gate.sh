#!/usr/bin/env bash
# The ensemble's validation gate on a fresh instance of the transfer benchmark's settings
# (experiments/validation-gate.md): every setting of bench/transfer_settings.sh simulated with its seed +
# SEED_OFFSET (default 100), the default configuration trained and scored by `prism predict`; per
# setting one JSON line: the gate's choice (the one-standard-error rule) and its test AUPR, the
# choice the earlier rule would have made from the same validation AUPRs (the ensemble unless one
# learner alone is more than 0.01 above it) and its test AUPR, each candidate's test and validation
# AUPR, the SE, and the motif-informed reference.
# Usage: bash experiments/validation_gate.sh PRISM_BIN [WORK_DIR] [THREADS]
# Environment: PAIRS (600), SEED_OFFSET (100), ONLY (comma-separated setting names), CONFIG (a
# training TOML to use instead of the built-in default preset).
set -euo pipefail
PRISM=$(realpath "${1:?usage: validation_gate.sh PRISM_BIN [WORK_DIR] [THREADS]}")
WORK=${2:-/tmp/prism-gate}
THREADS=${3:-2}
PAIRS=${PAIRS:-600}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
TRAIN_CONFIG=(--preset default)
[ -n "${CONFIG:-}" ] && TRAIN_CONFIG=(--config "$(realpath "$CONFIG")")
mkdir -p "$WORK"
: > "$WORK/results.jsonl"
. "$ROOT/bench/transfer_settings.sh"
while IFS='|' read -r name role seed cells extra; do
  if [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",$name,"* ]]; then continue; fi
  d="$WORK/$name"; rm -rf "$d"; mkdir -p "$d"
  simulate_transfer_setting "$PRISM" "$d/sim" $((seed + ${SEED_OFFSET:-100})) "$cells" "$PAIRS" \
    "$extra" > /dev/null
  start=$(date +%s)
  "$PRISM" -q train "${TRAIN_CONFIG[@]}" --data "$d/sim" -o "$d/run" --no-baselines --threads "$THREADS" > "$d/train.txt" 2>&1
  "$PRISM" -q predict "$d/run" --no-baselines --threads "$THREADS" > "$d/predict.txt" 2>&1
  python3 - "$d" "$name" "$role" $(( $(date +%s) - start )) >> "$WORK/results.jsonl" <<'PY'
import json, sys
d, name, role, sec = sys.argv[1:]
t = json.load(open(d + "/run/metrics/test.json")); e = t["ensemble"]; g = e["gate"]
sim = json.load(open(d + "/sim/simulation.json"))["splits"]["test"]
va = {k: g["val_aupr_" + k] for k in ("ensemble", "network", "member")}
old, best = "ensemble", va["ensemble"] + 0.01   # the earlier rule, on the same validation AUPRs
if va["network"] > best: old, best = "network", va["network"]
if va["member"] > best: old = "member"
test = {"ensemble": e["even_mix"]["aupr"], "network": e["members"]["network"]["aupr"],
        "member": e["members"]["motif_grammar"]["aupr"]}
print(json.dumps({"setting": name, "role": role, "seconds": int(sec), "choice": g["choice"],
                  "final": t["overall"]["aupr"], "old_choice": old, "old_final": test[old],
                  "test": test, "val": va, "se_best": g["se_best"], "reference": sim["aupr_reference"]}))
PY
  tail -1 "$WORK/results.jsonl" >&2
done <<< "$TRANSFER_SETTINGS"
