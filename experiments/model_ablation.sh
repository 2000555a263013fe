#!/usr/bin/env bash
# Ablation on the default simulation: the default model (the four auxiliary components off) vs
# the same model with prototype, contrastive, orthogonality and adversarial on
# (configs/components-on.toml), over several training seeds, next to the simulator's env-blind and
# true oracle AUPRs on the unseen test cell lines. Both are scored as `prism predict` scores them
# (context calibration, the validation gate).
# Usage: SEEDS="7 8 9" bash experiments/model_ablation.sh PRISM_BIN [WORK_DIR] [THREADS] [SIMULATE_ARGS...]
set -euo pipefail
PRISM=${1:?usage: model_ablation.sh PRISM_BIN [WORK_DIR] [THREADS] [SIMULATE_ARGS...]}
WORK=${2:-/tmp/prism-ablation}
THREADS=${3:-2}
shift $(( $# < 3 ? $# : 3 ))
SEEDS=${SEEDS:-7 8 9}
rm -rf "$WORK" && mkdir -p "$WORK"
"$PRISM" -q simulate --preset default -o "$WORK/sim" "$@" > /dev/null
for seed in $SEEDS; do
  for cfg in default components-on; do
    run="$WORK/$cfg-$seed"
    printf 'preset = "%s"\nname = "%s"\nseed = %s\n' "$cfg" "$cfg" "$seed" > "$run.toml"
    start=$(date +%s)
    "$PRISM" -q train --config "$run.toml" --data "$WORK/sim" -o "$run" --threads "$THREADS" \
      --no-baselines > "$run.log" 2>&1
    "$PRISM" -q predict "$run" --threads "$THREADS" --no-baselines >> "$run.log" 2>&1
    echo "$cfg $seed $(( $(date +%s) - start ))" >> "$WORK/times.txt"
  done
done
python3 - "$WORK" $SEEDS <<'PY'
import json, sys
w, seeds = sys.argv[1], sys.argv[2:]
sim = json.load(open(f"{w}/sim/simulation.json"))["splits"]["test"]
aupr = lambda cfg, s: json.load(open(f"{w}/{cfg}-{s}/metrics/test.json"))["overall"]["aupr"]
on = [aupr("components-on", s) for s in seeds]
off = [aupr("default", s) for s in seeds]
print("| model | " + " | ".join(f"seed {s}" for s in seeds) + " | mean |")
print("|---|" + "---|" * (len(seeds) + 1))
for name, v in [("default (components off)", off), ("components on", on)]:
    print(f"| {name} | " + " | ".join(f"{x:.4f}" for x in v) + f" | {sum(v) / len(v):.4f} |")
d = [a - b for a, b in zip(on, off)]
print("| on - off | " + " | ".join(f"{x:+.4f}" for x in d) + f" | {sum(d) / len(d):+.4f} |")
print(f"\noracles on the test cell lines: env-blind {sim['aupr_env_blind']:.4f}, true {sim['aupr_true']:.4f}")
PY
cat "$WORK/times.txt"
