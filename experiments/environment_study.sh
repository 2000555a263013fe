#!/usr/bin/env bash
# Does the per-cell context estimated from an unseen cell line's own (unlabeled) pairs move
# unseen-cell AUPR (issue 14, item 6)? For every setting of a bench/transfer.sh work folder, the
# default run (WORK/<setting>/default) is copied and its test split predicted three ways:
#   context         the default: e_c from the cell line's own pairs, context calibration
#   no_calibration  --no-calibration (the per-cell resistance offset off)
#   context_free    --context-free (e_c = uniform mix of the prototypes; calibration still on)
# next to the simulation's reference learner and oracles (WORK/<setting>/sim/simulation.json).
# Usage: bash experiments/environment_study.sh PRISM_BIN TRANSFER_WORK_DIR OUT_DIR [THREADS]
# Writes OUT_DIR/env.tsv: setting, mode, test AUPR, reference, env-blind oracle, true oracle,
# per-cell AUPR.
set -euo pipefail
BIN=${1:?usage: environment_study.sh PRISM_BIN TRANSFER_WORK_DIR OUT_DIR [THREADS]}
SRC=${2:?transfer work folder}
WORK=${3:?output folder}
THREADS=${4:-2}
mkdir -p "$WORK"
: > "$WORK/env.tsv"
for dir in "$SRC"/*/; do
  setting=$(basename "$dir")
  [ -d "$dir/default" ] && [ -f "$dir/sim/simulation.json" ] || continue
  run="$WORK/$setting"
  rm -rf "$run"
  cp -r "$dir/default" "$run"
  for mode in context no_calibration context_free; do
    flags=()
    [ $mode = no_calibration ] && flags=(--no-calibration)
    [ $mode = context_free ] && flags=(--context-free)
    "$BIN" -q --threads "$THREADS" predict "$run" --no-baselines --no-shortcut-reliance \
      "${flags[@]}" > /dev/null
    python3 - "$run/metrics/test.json" "$dir/sim/simulation.json" "$setting" "$mode" \
      >> "$WORK/env.tsv" <<'PY'
import json, sys
m = json.load(open(sys.argv[1]))
s = json.load(open(sys.argv[2]))["splits"]["test"]
per = " ".join(f"{c}:{r['aupr']:.4f}" for c, r in sorted(m["per_cell"].items()))
print("\t".join([sys.argv[3], sys.argv[4], "%.4f" % m["overall"]["aupr"],
                 "%.4f" % s["aupr_reference"], "%.4f" % s["aupr_env_blind"],
                 "%.4f" % s["aupr_true"], per]))
PY
  done
done
echo "environment_study: wrote $WORK/env.tsv" >&2
