#!/usr/bin/env bash
# experiments/motif_variants.sh PRISM WORK: the motif-grammar member alone (select site model, a
# 20-step network, 1 thread) on the 8 transfer settings, bench instance (the settings' seeds) and
# fresh instance (seed + 100), PAIRS=600; one result line per run in WORK/results.txt.
# INSTANCES picks others: any of bench, fresh, fresh2 (seed + 200).
# PRISM_X_VARIANT=0.8 in the environment switches on variant masking - only in a binary built with
# experiments/motif_variants.patch applied (experiments/motif-variants.md); main ignores it.
set -euo pipefail
PRISM=$(realpath "$1"); WORK=$2; PAIRS=${PAIRS:-600}
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=../bench/transfer_settings.sh
source "$here/../bench/transfer_settings.sh"
# shellcheck source=member_run.sh
source "$here/member_run.sh"
mkdir -p "$WORK"
while IFS='|' read -r name _role seed cells extra; do
  [ -n "${ONLY:-}" ] && [[ ",$ONLY," != *",$name,"* ]] && continue
  for inst in ${INSTANCES:-bench fresh}; do
    case $inst in
      bench) s=$seed ;; fresh) s=$((seed + 100)) ;; fresh2) s=$((seed + 200)) ;;
      *) echo "motif_variants.sh: INSTANCES: unknown instance '$inst' (bench, fresh, fresh2)" >&2; exit 2 ;;
    esac
    sim=$WORK/sims/$inst/$name
    [ -f "$sim/simulation.json" ] || { mkdir -p "$(dirname "$sim")"
      simulate_transfer_setting "$PRISM" "$sim" "$s" "$cells" "$PAIRS" "$extra" > "$sim.log"; }
    run=$WORK/runs/$inst/$name
    member_run "$PRISM" "$sim" "$run"
    /usr/bin/python3 - "$run" "$sim" "$inst" "$name" >> "$WORK/results.txt" <<'PY'
import json, sys
run, sim, inst, name = sys.argv[1:]
m = json.load(open(run + "/metrics/test.json"))["ensemble"]["members"]["motif_grammar"]["aupr"]
r = json.load(open(run + "/run.json"))["derived"]["ensemble"]
ref = json.load(open(sim + "/simulation.json"))["splits"]["test"]["aupr_reference"]
print("%-6s %-26s member %.4f reference %.4f sites %-9s motifs %d %d" % (inst, name, m, ref, r["sites"],
      len(r["enhancer_motifs"]), len(r["promoter_motifs"])))
PY
    /usr/bin/python3 "$here/motif_recovery.py" "$run" "$sim" | grep -E "^[a-z]|recovered|distinct" >> "$WORK/results.txt"
  done
done <<< "$TRANSFER_SETTINGS"
