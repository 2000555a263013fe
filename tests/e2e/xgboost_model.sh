#!/usr/bin/env bash
# End-to-end: model.kind = "xgboost" on a small generated feature table - prism train (one log
# line per boosting round, early stopping on the val cell line, the model file as checkpoint with
# size and hash in run.json) -> predict (best and last) -> qc (the network-only rules say "not
# applicable") -> reflect -> report; prism run --config does the same loop with a ledger; a
# changed checkpoint is refused; sequence data with model.kind = "xgboost" is one config error.
# Usage: bash xgboost_model.sh PRISM_BIN [SHARED_DATA_DIR]
set -euo pipefail
PRISM=${1:?usage: xgboost_model.sh PRISM_BIN}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# 24 feature columns, 4 cell lines; H3K27ac (enhancer) and distance carry the label.
python3 "$(dirname "$0")/make_feature_table.py" "$TMP/feat.csv" 1600 4
cat > "$TMP/xgb.toml" <<'TOML'
name = "xgb"
preset = "features"
[model]
kind = "xgboost"
xgb_rounds = 200
xgb_early_stopping = 10
[data]
files = ["feat.csv"]
test_cells = ["D"]
val_cells = ["C"]
TOML

run="$TMP/run"
"$PRISM" --threads 1 train --config "$TMP/xgb.toml" -o "$run" > "$TMP/train.txt" 2>&1 \
  || { cat "$TMP/train.txt"; fail "train"; }
for f in run.json config.toml train_log.jsonl checkpoints/best.xgb.json checkpoints/last.xgb.json; do
  [[ -s "$run/$f" ]] || fail "train did not write $f"
done
[[ ! -e "$run/checkpoints/best.pt" ]] || fail "a network checkpoint was written"
python3 - "$run" <<'PY' || fail "run.json / train_log.jsonl of the xgboost run"
import json, os, sys
run = sys.argv[1]
r = json.load(open(run + "/run.json"))
assert r["status"] == "finished", r["status"]
assert r["config"]["model"]["kind"] == "xgboost"
assert not any(r["config"]["components"].values()), r["config"]["components"]  # trees use none
log = [json.loads(l) for l in open(run + "/train_log.jsonl")]
best = r["best_epoch"]
assert r["early_stopped"] is True and len(log) < 200, (len(log), r["early_stopped"])
assert len(log) == best + 10, (len(log), best)          # 10 rounds without a better val AUPR
vals = [e["val"]["aupr"] for e in log]
assert vals[best - 1] == max(vals), (best, vals)
assert all(e["loss"]["task"] == e["loss"]["total"] for e in log)
assert log[-1]["loss"]["task"] < log[0]["loss"]["task"]
assert log[-1]["train"]["aupr"] > 0.5 and "C" in log[-1]["val"]["per_cell"]
assert log[0]["T"] is None and log[0]["grad_norm"] is None
for which, rounds in (("best", best), ("last", len(log))):
    c = r["checkpoints"][which]
    assert c["file"] == f"checkpoints/{which}.xgb.json" and c["epoch"] == rounds, c
    assert os.path.getsize(run + "/" + c["file"]) == c["bytes"]
    trees = json.load(open(run + "/" + c["file"]))["learner"]["gradient_booster"]["model"]["trees"]
    assert len(trees) == rounds, (which, len(trees), rounds)
assert r["parameters"] > 0
# The features preset's leaf size is a share of the training rows: derived, recorded, logged.
d = r["derived"]["min_child_weight"]
share = r["config"]["model"]["xgb_min_child_share"]
assert share > 0 and d["share"] == share and d["rows"] == r["data"]["train_pairs"], (d, r["data"])
assert abs(d["value"] - share * d["rows"]) < 1e-9, d
PY
grep -q "derived xgboost min_child_weight = " "$TMP/train.txt" || { cat "$TMP/train.txt"; fail "the derived leaf size was not logged"; }

"$PRISM" --threads 1 predict "$run" > "$TMP/predict.txt" 2>&1 || { cat "$TMP/predict.txt"; fail "predict"; }
for f in predictions/test.csv metrics/test.json results.md diagnostics.json; do
  [[ -s "$run/$f" ]] || fail "predict did not write $f"
done
grep -q "| cell line | AUPR | AUC |" "$TMP/predict.txt" || fail "predict printed no table"
"$PRISM" -q --threads 1 predict "$run" --checkpoint last --split val > /dev/null
python3 - "$run" <<'PY' || fail "metrics of the xgboost run"
import json, sys
run = sys.argv[1]
t = json.load(open(run + "/metrics/test.json"))
r = json.load(open(run + "/run.json"))
assert t["overall"]["aupr"] > t["overall"]["positives"] / t["overall"]["n"] + 0.1, t["overall"]
assert t["epoch"] == r["best_epoch"] and t["checkpoint"] == "best"
v = json.load(open(run + "/metrics/val.json"))
assert v["checkpoint"] == "last" and v["epoch"] == r["checkpoints"]["last"]["epoch"]
# The decision threshold: chosen on val by train.threshold_rule (default mcc) at the checkpoint's
# round (train_log.jsonl), kept in run.json, applied unchanged to every row of metrics/<split>.json.
assert r["config"]["train"]["threshold_rule"] == "mcc", r["config"]["train"]
log = [json.loads(l) for l in open(run + "/train_log.jsonl")]
for m, which in ((t, "best"), (v, "last")):
    thr = r["checkpoints"][which]["val_threshold"]
    assert thr == log[r["checkpoints"][which]["epoch"] - 1]["val"]["threshold"], (which, thr)
    rows = [m["overall"]] + list(m["per_cell"].values())
    assert all(x["threshold_rule"] == "val" and x["threshold"] == thr for x in rows), (which, rows)
# The recall in metrics/test.json is the one at exactly that threshold on predictions/test.csv.
import csv
thr = r["checkpoints"]["best"]["val_threshold"]
p = [(int(x["label"]), float(x["score"])) for x in csv.DictReader(open(run + "/predictions/test.csv"))]
tp = sum(1 for y, s in p if y == 1 and s >= thr)
assert abs(t["overall"]["recall"] - tp / sum(y for y, _ in p)) < 1e-12, (t["overall"], tp)
PY

set +e
"$PRISM" --threads 1 qc "$run" --no-ledger --lang en > "$TMP/qc.txt" 2>&1
qc_rc=$?
set -e
[[ $qc_rc -le 1 ]] || { cat "$TMP/qc.txt"; fail "qc could not inspect the run (exit $qc_rc)"; }
python3 - "$run" <<'PY' || { cat "$TMP/qc.txt"; fail "qc findings of the xgboost run"; }
import json, sys
q = json.load(open(sys.argv[1] + "/qc/qc.json"))
f = {(x["rule"], x["code"]): x for x in q["findings"]}
for rule in ("gradient", "learning_efficiency", "implementation_consistency"):
    assert (rule, "not_applicable") in f, (rule, sorted(f))
    assert f[(rule, "not_applicable")]["severity"] == "info"
fails = [k for k, x in f.items() if x["severity"] == "fail"]
assert not any(r in ("gradient", "learning_efficiency", "implementation_consistency", "nan_inf",
                     "evaluation_completeness") for r, _ in fails), fails
PY
"$PRISM" --threads 1 reflect "$run" --lang en > "$TMP/reflect.txt" 2>&1 || { cat "$TMP/reflect.txt"; fail "reflect"; }
[[ -s "$run/reflect/reflect.json" ]] || fail "reflect wrote no reflect.json"
"$PRISM" report "$run" > "$TMP/report.txt" 2>&1 || { cat "$TMP/report.txt"; fail "report"; }
grep -q 'id="plot-pr-roc"' "$run/report.html" || fail "report lacks the PR/ROC plot"

# A changed model file is refused by predict (size and hash recorded in run.json).
cp -r "$run" "$TMP/bad"
sed -i 's/"num_trees"/"num_treez"/' "$TMP/bad/checkpoints/best.xgb.json"
set +e
"$PRISM" --threads 1 predict "$TMP/bad" 2> "$TMP/bad.txt" > /dev/null
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "predict accepted a changed checkpoint"
grep -q "best.xgb.json.*content changed" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "no hash error"; }

# prism run --config: the whole loop with the ledger.
"$PRISM" run --config "$TMP/xgb.toml" --threads 1 --out "$TMP/loop" > "$TMP/loop.txt" 2>&1 \
  || { cat "$TMP/loop.txt"; fail "prism run"; }
grep -q "^QC: \(PASS\|FAIL\)" "$TMP/loop.txt" || { cat "$TMP/loop.txt"; fail "no QC verdict"; }
ls "$TMP"/loop/runs/*/report.html > /dev/null || fail "prism run wrote no report"

# Sequence data with model.kind = "xgboost": one config error line, nothing trained.
cat > "$TMP/seq.toml" <<'TOML'
preset = "tiny"
[model]
kind = "xgboost"
TOML
set +e
"$PRISM" train --config "$TMP/seq.toml" --data "$TMP/none" -o "$TMP/seqrun" 2> "$TMP/seq.txt" > /dev/null
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "sequence + xgboost accepted"
grep -q 'model.kind = "xgboost" needs feature tables' "$TMP/seq.txt" || { cat "$TMP/seq.txt"; fail "unclear error"; }
[[ $(wc -l < "$TMP/seq.txt") -eq 1 ]] || { cat "$TMP/seq.txt"; fail "more than one error line"; }
[[ ! -e "$TMP/seqrun/train_log.jsonl" ]] || fail "a sequence + xgboost run was started"
echo "xgboost_model: OK"
