#!/usr/bin/env bash
# experiments/member_full_size.sh PRISM WORK "SEEDS": the motif-grammar member alone (select site
# model, a 20-step network, 1 thread) on `prism simulate --preset transfer --seed S` at the preset's
# own size (5 / 2 / 3 cell lines, 2,000 / 1,000 / 1,000 pairs per cell line: the issue's "few
# thousand pairs"), one result line per seed in WORK/results.txt (experiments/transfer-data-size.md).
# SITES and MODEL as in member_run.sh; simulations are kept in WORK/../fullsims.
set -euo pipefail
# shellcheck source=member_run.sh
source "$(cd "$(dirname "$0")" && pwd)/member_run.sh"
PRISM=$(realpath "$1"); WORK=$2; SIMS=${SIMS:-$(dirname "$WORK")/fullsims}
mkdir -p "$WORK" "$SIMS"
for s in $3; do
  sim=$SIMS/$s
  [ -f "$sim/simulation.json" ] || "$PRISM" -q simulate --preset transfer --seed "$s" --out "$sim" > /dev/null
  run=$WORK/$s
  member_run "$PRISM" "$sim" "$run"
  /usr/bin/python3 - "$run" "$sim" "$s" >> "$WORK/results.txt" <<'PY'
import json, sys
run, sim, s = sys.argv[1:]
m = json.load(open(run + "/metrics/test.json"))["ensemble"]["members"]["motif_grammar"]["aupr"]
r = json.load(open(run + "/run.json"))["derived"]["ensemble"]
ref = json.load(open(sim + "/simulation.json"))["splits"]["test"]["aupr_reference"]
print("seed %-4s member %.4f reference %.4f diff %+.4f sites %-9s motifs %d %d sec %.0f" % (
    s, m, ref, m - ref, r["sites"], len(r["enhancer_motifs"]), len(r["promoter_motifs"]), r["seconds"]))
PY
done
