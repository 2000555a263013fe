#!/usr/bin/env bash
# experiments/motif-grammar.md: does averaging the network with a logistic regression on the
# motif-pair grammar of the motifs it finds (model.ensemble = "motif_grammar") bring prism to the
# motif-informed reference on the transfer settings? One training per setting gives all three
# numbers (metrics/test.json: the ensemble, and each member alone).
#   bash experiments/motif_grammar.sh PRISM_BIN WORK_DIR [SETTINGS] [SEEDS]
# SETTINGS: comma-separated names of bench/transfer_settings.sh (default: its four "choose" settings).
set -euo pipefail
PRISM=$(realpath "${1:?usage: motif_grammar.sh PRISM_BIN WORK_DIR [SETTINGS] [SEEDS]}")
WORK=${2:?work dir}
ONLY=${3:-long,short-sharp,no-shortcuts,three-cells}
SEEDS=${4:-7}
PAIRS=${PAIRS:-600}
THREADS=${THREADS:-2}
PYTHON=${PYTHON:-/usr/bin/python3}
mkdir -p "$WORK"
# The settings as bench/transfer.sh uses them (TRANSFER_SETTINGS, simulate_transfer_setting).
. "$(dirname "$0")/../bench/transfer_settings.sh"
while IFS='|' read -r name role simseed cells extra; do
  [[ ",$ONLY," == *",$name,"* ]] || continue
  dir="$WORK/$name"
  if [ ! -f "$dir/sim/simulation.json" ]; then
    mkdir -p "$dir"
    simulate_transfer_setting "$PRISM" "$dir/sim" "$simseed" "$cells" "$PAIRS" "$extra" > /dev/null
  fi
  for seed in $SEEDS; do
    run="$dir/mg-s$seed"
    rm -rf "$run"
    printf 'preset = "default"\nname = "motif-grammar"\nseed = %s\n[model]\nensemble = "motif_grammar"\n' \
      "$seed" > "$WORK/mg-s$seed.toml"
    "$PRISM" -q train --config "$WORK/mg-s$seed.toml" --data "$dir/sim" -o "$run" --no-baselines \
      --threads "$THREADS" > "$run.train.txt" 2>&1 || { echo "[$name] train failed" >&2; continue; }
    "$PRISM" -q predict "$run" --threads "$THREADS" --no-baselines > /dev/null 2>&1
    "$PYTHON" - "$dir" "$run" "$name" "$role" "$seed" <<'PY'
import json, sys
d, run, name, role, seed = sys.argv[1:]
t = json.load(open(f"{d}/sim/simulation.json"))["splits"]["test"]
m = json.load(open(f"{run}/metrics/test.json"))
mem = m["ensemble"]["members"]
print(json.dumps({"setting": name, "role": role, "seed": int(seed),
                  "reference": t["aupr_reference"], "ensemble": m["overall"]["aupr"],
                  "network": mem["network"]["aupr"], "motif_grammar": mem["motif_grammar"]["aupr"]}))
PY
  done
done <<< "$TRANSFER_SETTINGS" | tee -a "$WORK/results.jsonl"
