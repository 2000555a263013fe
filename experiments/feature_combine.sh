#!/usr/bin/env bash
# Re-scores finished feature-ensemble runs (model.ensemble = "xgboost", probabilities, any weight)
# under other rules for combining the network with the trees, without training: each run is
# copied to RUN.net with model.ensemble = "none" and predicted again (the network alone, the same
# checkpoint), and experiments/feature_combine.py takes the trees' probability as 2 p - n.
# Usage: bash experiments/feature_combine.sh PRISM_BIN nested WORK_DIR   (feature_nested.sh's runs:
#          prints each rule's inner mean per outer cell line)
#        bash experiments/feature_combine.sh PRISM_BIN runs RUN...       (prints each rule's AUPR
#          per held-out cell line, mean over the runs given, e.g. bench/feature_transfer.sh's)
set -euo pipefail
PRISM=${1:?usage: feature_combine.sh PRISM_BIN nested WORK_DIR | runs RUN...}
MODE=${2:?nested or runs}
shift 2
HERE=$(cd "$(dirname "$0")" && pwd)
if [ "$MODE" = nested ]; then RUNS=$(ls -d "$1"/*-[0-9]* | grep -v '\.\(net\|toml\)$'); else RUNS="$*"; fi
for r in $RUNS; do
  [ -d "$r.net" ] && continue
  cp -r "$r" "$r.net"
  sed -i 's/^ensemble = "xgboost"/ensemble = "none"/' "$r.net/config.toml"
  "$PRISM" -q --threads 1 predict "$r.net" --checkpoint last --no-baselines --no-shortcut-reliance > /dev/null
done
/usr/bin/python3 "$HERE/feature_combine.py" $RUNS > "${TMPDIR:-/tmp}/feature_combine.json"
python3 - "$MODE" "${TMPDIR:-/tmp}/feature_combine.json" <<'PY'
import json, statistics, sys
mode, d = sys.argv[1], json.load(open(sys.argv[2]))
rules = list(next(iter(d.values())).keys())
ALL = ["GM12878", "HUVEC", "HeLa", "IMR90", "K562", "NHEK"]
for r in rules:
    per = {}
    for k, v in d.items():
        run, cell = k.split("\t")
        if mode == "nested":  # run NAME-A-B-SEED: the pair left out; (O, I) with cell I != O
            pair = run.rsplit("/", 1)[-1].split("-")[1:3]
            for o in pair:
                if o != cell: per.setdefault(o, []).append(v[r])
        else:
            per.setdefault(cell, []).append(v[r])
    means = {c: statistics.mean(x) for c, x in per.items()}
    print(f"{r:14s} mean {statistics.mean(means.values()):.4f}  " +
          " ".join(f"{c} {m:.4f}" for c, m in sorted(means.items())))
PY
