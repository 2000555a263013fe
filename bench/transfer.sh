#!/usr/bin/env bash
# The transfer benchmark (issue 14): 8 fixed simulation settings of the `transfer` family -
# degenerate PWMs, long elements, 3 / 5 / 8 training cell lines, per-cell shortcut k-mers on and
# off - and per setting one row: chance, a k-mer baseline (4-mer logistic regression), the
# motif-informed reference learner, prism's default (configs/default.toml: the four auxiliary
# components off), prism with the four components on (configs/components-on.toml), prism with
# the shortcut mask off (the default
# configuration with data.shortcut_mask_per_cell = 0), the default run's two ensemble members
# alone (its network and its motif grammar, metrics/test.json `ensemble`), the
# environment-blind and the true oracle, all as unseen-cell (test) AUPR. Settings marked "choose" may be used to choose defaults; those marked
# "report" are held out for reporting only (docs/simulator.md, "The transfer benchmark").
#
# Usage: bash bench/transfer.sh PRISM_BIN [WORK_DIR] [OUT_MD]
# Environment: PAIRS (pairs per training cell line, default 600; val 1/2 and test 2/3 of it per
#   cell line), THREADS (2), ONLY (comma-separated setting names), SKIP_PRISM=1 (simulation,
#   baselines and oracles only), NO_MASK_COLUMN=0 (skip the no-shortcut-mask training), PYTHON (a python3 with numpy + scikit-learn; /usr/bin/python3),
#   RESCORE=1 (re-run only `prism predict` and `prism qc` on the run folders of an earlier run in
#   WORK_DIR and rewrite the table: for a change on the predict side, such as the ensemble's gate;
#   the seconds stay those of the earlier run).
set -euo pipefail
PRISM=$(realpath "${1:?usage: transfer.sh PRISM_BIN [WORK_DIR] [OUT_MD]}")
WORK=${2:-/tmp/prism-transfer}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
OUT=${3:-$ROOT/bench/RESULTS-transfer.md}
PAIRS=${PAIRS:-600}
THREADS=${THREADS:-2}
ONLY=${ONLY:-}
SKIP_PRISM=${SKIP_PRISM:-0}
# NO_MASK_COLUMN=0 skips the "no shortcut mask" training (its column then reads "-").
NOMASK_CFG=no-shortcut-mask
[ "${NO_MASK_COLUMN:-1}" = 0 ] && NOMASK_CFG=
PYTHON=${PYTHON:-/usr/bin/python3}
RESCORE=${RESCORE:-0}
mkdir -p "$WORK"
PREV="$WORK/results.trained.jsonl"
if [ "$RESCORE" = 1 ]; then
  [ -s "$WORK/results.jsonl" ] || { echo "transfer.sh: RESCORE=1 needs an earlier run's $WORK/results.jsonl" >&2; exit 1; }
  [ -s "$PREV" ] || cp "$WORK/results.jsonl" "$PREV"
else
  rm -f "$PREV"  # a new training run: an earlier run's record no longer applies
fi
: > "$WORK/results.jsonl"
# The default configuration with the shortcut defence off (issue 14: keep only what helps).
printf 'preset = "default"\nname = "no-shortcut-mask"\n[data]\nshortcut_mask_per_cell = 0\n' \
  > "$WORK/no-shortcut-mask.toml"

# The settings (TRANSFER_SETTINGS) and simulate_transfer_setting.
. "$ROOT/bench/transfer_settings.sh"

start_all=$(date +%s)
while IFS='|' read -r name role seed cells extra; do
  [ -z "$name" ] && continue
  if [ -n "$ONLY" ] && [[ ",$ONLY," != *",$name,"* ]]; then continue; fi
  dir="$WORK/$name"
  t0=$(date +%s) t1=$t0 t2=$t0
  if [ "$RESCORE" != 1 ]; then
    rm -rf "$dir" && mkdir -p "$dir"
    simulate_transfer_setting "$PRISM" "$dir/sim" "$seed" "$cells" "$PAIRS" "$extra" > "$dir/simulate.txt"
    t1=$(date +%s)
    "$PYTHON" "$ROOT/bench/kmer_lr_baseline.py" "$dir/sim" > "$dir/kmer.json"
    t2=$(date +%s)
  fi
  if [ "$SKIP_PRISM" != 1 ]; then
    for cfg in default components-on $NOMASK_CFG; do
      if [ "$RESCORE" = 1 ]; then
        [ -d "$dir/$cfg" ] || continue
      else
        cfg_file="$ROOT/configs/$cfg.toml"
        [ -f "$cfg_file" ] || cfg_file="$WORK/$cfg.toml"
        "$PRISM" -q train --config "$cfg_file" --data "$dir/sim" -o "$dir/$cfg" \
          --threads "$THREADS" > "$dir/$cfg.train.txt" 2>&1 || echo "train $cfg failed" >&2
      fi
      "$PRISM" -q predict "$dir/$cfg" --threads "$THREADS" > /dev/null 2>&1 || echo "predict $cfg failed" >&2
      "$PRISM" -q qc "$dir/$cfg" --no-ledger --no-rollback --no-print > /dev/null 2>&1 || true
    done
  fi
  t3=$(date +%s)
  "$PYTHON" - "$dir" "$name" "$role" "$cells" "$((t1 - t0))" "$((t2 - t1))" "$((t3 - t2))" \
    "$extra" "$RESCORE" "$PREV" >> "$WORK/results.jsonl" <<'PY'
import json, os, sys
d, name, role, cells, t_sim, t_kmer, t_prism, extra, rescore, prev = sys.argv[1:]
sim = json.load(open(f"{d}/sim/simulation.json"))
test = sim["splits"]["test"]
def run_aupr(cfg, member=None):
    f = f"{d}/{cfg}/metrics/test.json"
    if not os.path.exists(f): return None
    m = json.load(open(f))
    if member is None: return m["overall"]["aupr"]
    if "ensemble" not in m:  # no member (none found): the run is the network alone
        return m["overall"]["aupr"] if member == "network" else None
    return m["ensemble"]["members"][member]["aupr"]
def gate(cfg):
    # The validation gate's record: its choice (ensemble, network or member alone), the three
    # val AUPRs, and the test AUPR of the members at equal weight (what "ensemble" would score).
    f = f"{d}/{cfg}/metrics/test.json"
    if not os.path.exists(f): return None
    e = json.load(open(f)).get("ensemble", {})
    g = e.get("gate")
    if g is None: return None
    return dict(g, even_mix_test_aupr=e.get("even_mix", {}).get("aupr"))
def qc(cfg):
    f = f"{d}/{cfg}/qc/qc.json"
    if not os.path.exists(f): return None
    q = json.load(open(f))
    rules = sorted({x.get("rule", "?") for x in q.get("reasons", [])})
    return q.get("decision", "?") + (" (" + ", ".join(rules) + ")" if rules else "")
print(json.dumps({
    "name": name, "role": role, "train_cells": int(cells), "args": extra,
    "shortcuts": sim["options"]["shortcuts"],
    "pairs": {s: sim["splits"][s]["pairs"] for s in sim["splits"]},
    "chance": test["positive_rate"],
    "kmer": json.load(open(f"{d}/kmer.json"))["test"]["aupr"],
    "reference": test.get("aupr_reference"),
    "reference_val": sim["splits"].get("val", {}).get("aupr_reference"),
    "prism_full": run_aupr("default"), "prism_on": run_aupr("components-on"),
    "prism_nomask": run_aupr("no-shortcut-mask"),
    "prism_net": run_aupr("default", "network"), "mg_alone": run_aupr("default", "motif_grammar"),
    "gate": gate("default"), "gate_on": gate("components-on"),
    "qc_full": qc("default"), "qc_on": qc("components-on"), "qc_nomask": qc("no-shortcut-mask"),
    "env_blind": test["aupr_env_blind"], "true": test["aupr_true"],
    "seconds": next((r["seconds"] for r in map(json.loads, open(prev)) if r["name"] == name), None)
               if rescore == "1" else
               {"simulate": int(t_sim), "kmer": int(t_kmer), "prism": int(t_prism)}}))
PY
  echo "[$name] done in $(( $(date +%s) - t0 )) s" >&2
done <<< "$TRANSFER_SETTINGS"
total=$(( $(date +%s) - start_all ))
if [ "$RESCORE" = 1 ]; then
  total="$(cat "$WORK/wall_seconds" 2>/dev/null || echo '?') s to train, $total s to re-score"
else
  echo "$total" > "$WORK/wall_seconds"
  total="$total s"
fi

"$PYTHON" "$ROOT/bench/transfer_table.py" "$WORK/results.jsonl" "$OUT" "$PAIRS" "$total" "$SKIP_PRISM"
