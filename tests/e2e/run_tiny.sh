#!/usr/bin/env bash
# prism run on the tiny simulation: the whole loop ends with a QC verdict, a reflection, a ledger
# record point and a self-contained HTML report whose path is printed; a second run adds a record.
set -euo pipefail
PRISM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
out="$tmp/out"

# A relative --out (as README's `prism run`): the run's config.toml must still name the data for
# the later `prism predict RUN` calls below, which read relative paths from the run folder.
(cd "$tmp" && "$PRISM" run --sim-preset tiny --seed 3 --threads 1 --out out) >"$tmp/log1" 2>&1 \
  || { cat "$tmp/log1"; exit 1; }
grep -q "^dir = \"/" "$out/runs/tiny-001/config.toml" || { echo "FAIL: config.toml data.dir is not absolute"; exit 1; }
run="$out/runs/tiny-001"
for f in data/train/ALL/pairs_hg19.csv audit.json runs/tiny-001/train_log.jsonl \
         runs/tiny-001/predictions/test.csv runs/tiny-001/metrics/test.json \
         runs/tiny-001/qc/qc.json runs/tiny-001/reflect/reflect.json runs/tiny-001/report.html \
         runs/prism-ledger.db; do
  [ -s "$out/$f" ] || { echo "missing $f"; cat "$tmp/log1"; exit 1; }
done
grep -q "HTML report: .*runs/tiny-001/report.html" "$tmp/log1" || { echo "report path not printed"; cat "$tmp/log1"; exit 1; }
grep -q "^QC: \(PASS\|FAIL\)" "$tmp/log1" || { echo "no QC verdict"; exit 1; }
grep -q "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |" "$tmp/log1" || { echo "no result table"; exit 1; }
grep -q 'id="plot-pr-roc"' "$run/report.html" || { echo "report lacks PR/ROC plot"; exit 1; }
# The decision in the log agrees with qc.json.
decision=$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['decision'])" "$run/qc/qc.json")
grep -q "^QC: $decision" "$tmp/log1" || { echo "QC verdict differs from qc.json ($decision)"; exit 1; }

# prism run on simulated data: the reflection places the run between the simulation's oracles,
# and the context calibration is recorded (and can be switched off per prediction).
python3 - "$run" <<'PY' || exit 1
import json, sys
run = sys.argv[1]
sim = json.load(open(run + "/reflect/reflect.json"))["simulation"]
assert sim["path"].endswith("data/simulation.json"), sim["path"]
assert [r["group"] for r in sim["rows"][:3]] == ["train", "val", "test"], sim["rows"]
m = json.load(open(run + "/metrics/test.json"))
assert "context_calibration" in m
# The decision threshold was chosen on validation (train.threshold_rule, default mcc) at the best
# epoch, kept with the checkpoint, and applied unchanged to the test rows; reflect agrees.
r = json.load(open(run + "/run.json"))
assert r["config"]["train"]["threshold_rule"] == "mcc", r["config"]["train"]
log = [json.loads(l) for l in open(run + "/train_log.jsonl")]
best = r["checkpoints"]["best"]
thr = best["val_threshold"]
assert thr == log[best["epoch"] - 1]["val"]["threshold"], (thr, best)
rows = [m["overall"]] + list(m["per_cell"].values())
assert all(x["threshold_rule"] == "val" and x["threshold"] == thr for x in rows), rows
assert json.load(open(run + "/reflect/reflect.json"))["threshold"]["threshold"] == thr
PY
"$PRISM" -q predict "$run" --threads 1 --no-calibration --split val >/dev/null
python3 -c "import json,sys; m=json.load(open(sys.argv[1])); assert 'context_calibration' not in m, m" \
  "$run/metrics/val.json" || { echo "--no-calibration still calibrated"; exit 1; }

# A second run in the same folder is a new record point, nothing is overwritten.
"$PRISM" run --sim-preset tiny --seed 3 --threads 1 --out "$out" >"$tmp/log2" 2>&1 || { cat "$tmp/log2"; exit 1; }
[ -s "$out/runs/tiny-002/report.html" ] || { echo "second run missing"; exit 1; }
[ -s "$run/report.html" ] || { echo "first run was touched"; exit 1; }
n=$("$PRISM" ledger --db "$out/runs/prism-ledger.db" list | grep -cP "\ttiny\t")
[ "$n" -ge 2 ] || { echo "ledger has $n record points, expected 2"; "$PRISM" ledger --db "$out/runs/prism-ledger.db" list; exit 1; }
echo "run_tiny: ok"
