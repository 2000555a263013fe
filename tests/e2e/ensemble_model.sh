#!/usr/bin/env bash
# End-to-end: model.ensemble = "xgboost" (the `features` preset's default) on a small generated
# feature table - prism train fits the network, then the trees with their number of rounds chosen
# by leave-one-training-cell-line-out (run.json derived.ensemble: every fold's best round, the
# median, the file with size and hash); predict scores the mean of the two probabilities, records
# each member alone (metrics/test.json `ensemble`), chooses the threshold on the validation
# split's ensemble scores; the network member equals a run with model.ensemble = "none"; qc,
# reflect and report read the run; a changed member file is refused; one training cell line
# falls back to early stopping on val, and without val to held-out chromosome groups; sequence
# data with model.ensemble = "xgboost" is one config error.
# Usage: bash ensemble_model.sh PRISM_BIN [SHARED_DATA_DIR]
set -euo pipefail
PRISM=${1:?usage: ensemble_model.sh PRISM_BIN}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$(dirname "$0")/run_checks.bash"

# 24 feature columns, 4 cell lines; what carries the label differs between them (--cell-specific).
python3 "$(dirname "$0")/make_feature_table.py" "$TMP/feat.csv" 2400 5 --cell-specific
config() {  # config FILE ENSEMBLE VAL_CELLS [TABLE] (components off, as configs/features-whalen.toml)
  cat > "$1" <<TOML
name = "ens"
preset = "features"
[model]
ensemble = "$2"
xgb_rounds = 200
xgb_early_stopping = 10
[components]
prototype = false
contrastive = false
adversarial = false
[train]
epochs = 3
sampler = "random"
[data]
files = ["${4:-feat.csv}"]
test_cells = ["D"]
val_cells = [$3]
TOML
}
config "$TMP/ens.toml" xgboost '"C"'
config "$TMP/net.toml" none '"C"'

run="$TMP/run"
"$PRISM" --threads 1 train --config "$TMP/ens.toml" -o "$run" > "$TMP/train.txt" 2>&1 \
  || { cat "$TMP/train.txt"; fail "train"; }
grep -q "ensemble member: xgboost, [0-9]* rounds (leave_one_cell_line_out)" "$TMP/train.txt" \
  || { cat "$TMP/train.txt"; fail "train did not log the member"; }
python3 - "$run" <<'PY' || fail "run.json derived.ensemble"
import json, os, statistics, sys
run = sys.argv[1]
r = json.load(open(run + "/run.json"))
assert r["status"] == "finished", r["status"]
assert r["config"]["model"]["ensemble"] == "xgboost", r["config"]["model"]
e = r["derived"]["ensemble"]
assert e["member"] == "xgboost" and e["weight"] == 0.7 and e["rounds_rule"] == "leave_one_cell_line_out", e
# The leaf size derived from the training rows: the same record as a model.kind = "xgboost" run's.
d = e["min_child_weight"]
assert d["share"] == r["config"]["model"]["xgb_min_child_share"] > 0 and d["rows"] == r["data"]["train_pairs"], (d, r["data"])
assert abs(d["value"] - d["share"] * d["rows"]) < 1e-9 and d["rule"] == "model.xgb_min_child_share x training rows", d
folds = e["folds"]
assert sorted(f["held_out"] for f in folds) == ["A", "B"], folds   # the training cell lines
for f in folds:
    assert 1 <= f["best_round"] <= f["rounds_trained"] <= 200, f
    assert f["rounds_trained"] == 200 or f["rounds_trained"] == f["best_round"] + 10, f
assert e["rounds"] == int(statistics.median(f["best_round"] for f in folds) + 0.5), e  # halves up
assert os.path.getsize(run + "/" + e["file"]) == e["bytes"] and e["file"] == "checkpoints/ensemble.xgb.json"
trees = json.load(open(run + "/" + e["file"]))["learner"]["gradient_booster"]["model"]["trees"]
assert len(trees) == e["rounds"], (len(trees), e["rounds"])
PY

"$PRISM" --threads 1 predict "$run" > "$TMP/predict.txt" 2>&1 || { cat "$TMP/predict.txt"; fail "predict"; }
grep -q "each member alone, AUPR: network" "$run/results.md" || { cat "$run/results.md"; fail "results.md"; }
"$PRISM" -q --threads 1 predict "$run" --split val > /dev/null

# The same network without the trees: same seed, same data, so the same network scores.
"$PRISM" -q --threads 1 train --config "$TMP/net.toml" -o "$TMP/net" > /dev/null
"$PRISM" -q --threads 1 predict "$TMP/net" > /dev/null
[[ ! -e "$TMP/net/checkpoints/ensemble.xgb.json" ]] || fail "ensemble = none fitted a member"
python3 - "$run" "$TMP/net" <<'PY' || fail "the ensemble's scores and metrics"
import csv, json, sys
run, net = sys.argv[1:3]
from e2e_metrics import ap
t = json.load(open(run + "/metrics/test.json"))
n = json.load(open(net + "/metrics/test.json"))
assert "ensemble" not in n, n.keys()
m = t["ensemble"]["members"]
assert t["ensemble"]["rounds"] == json.load(open(run + "/run.json"))["derived"]["ensemble"]["rounds"]
# The network member is the network trained alone.
assert abs(m["network"]["aupr"] - n["overall"]["aupr"]) < 1e-12, (m["network"], n["overall"])
pe = list(csv.DictReader(open(run + "/predictions/test.csv")))
pn = list(csv.DictReader(open(net + "/predictions/test.csv")))
y = [int(r["label"]) for r in pe]
s_net = [float(r["score"]) for r in pn]
s_ens = [float(r["score"]) for r in pe]
assert abs(ap(y, s_ens) - t["overall"]["aupr"]) < 1e-9
# score = (1 - w) network + w trees (w = the run's recorded weight, the features preset's 0.7): the
# trees' probability recovered from it scores the member's AUPR.
w = json.load(open(run + "/run.json"))["derived"]["ensemble"]["weight"]
assert w == 0.7, w
# Rounded to 1e-9 (XGBoost's float32 probabilities differ by more): the reconstruction's last-bit
# noise would otherwise split the ties of shallow trees' scores and change the AUPR.
trees = [round((e - (1 - w) * a) / w, 9) for e, a in zip(s_ens, s_net)]
assert all(-1e-6 <= q <= 1 + 1e-6 for q in trees), min(trees)
assert abs(ap(y, trees) - m["xgboost"]["aupr"]) < 1e-6, (ap(y, trees), m["xgboost"])
assert t["overall"]["aupr"] > t["overall"]["positives"] / t["overall"]["n"] + 0.1, t["overall"]
# The threshold: MCC-best (train.threshold_rule) on the validation split's ensemble scores.
pv = list(csv.DictReader(open(run + "/predictions/val.csv")))
yv = [int(r["label"]) for r in pv]; sv = [float(r["score"]) for r in pv]
def mcc(thr):
    tp = sum(1 for a, b in zip(yv, sv) if a and b >= thr); fp = sum(1 for a, b in zip(yv, sv) if not a and b >= thr)
    fn = sum(yv) - tp; tn = len(yv) - tp - fp - fn
    d = ((tp + fp) * (tp + fn) * (tn + fp) * (tn + fn)) ** 0.5
    return (tp * tn - fp * fn) / d if d else 0.0
grid = [k / 100 for k in range(1, 100)]
best = max(grid, key=lambda g: (mcc(g), -g))
rows = [t["overall"]] + list(t["per_cell"].values())
assert all(r["threshold_rule"] == "val" and abs(r["threshold"] - best) < 1e-12 for r in rows), (best, rows)
PY

check_loop_reads_run "$run"
check_changed_member_refused "$run" ensemble.xgb.json 's/"num_trees"/"num_treez"/'

# One training cell line (A; B and C validate): rounds by early stopping on the val split.
config "$TMP/one.toml" xgboost '"B", "C"'
"$PRISM" -q --threads 1 train --config "$TMP/one.toml" -o "$TMP/one" > /dev/null
python3 - "$TMP/one" <<'PY' || fail "one training cell line"
import json, sys
e = json.load(open(sys.argv[1] + "/run.json"))["derived"]["ensemble"]
assert e["rounds_rule"] == "val" and "folds" not in e and 1 <= e["rounds"] <= 200, e
PY

# A training cell line with one class only (B: no positives) cannot be held out: skipped, the
# rounds come from the other fold (A).
python3 - "$TMP/feat.csv" "$TMP/feat_b_negative.csv" <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
out = [rows[0]] + [("0" + r[1:]) if r.split(",")[3] == "B" else r for r in rows[1:]]
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
config "$TMP/bneg.toml" xgboost '"C"' feat_b_negative.csv
"$PRISM" --threads 1 train --config "$TMP/bneg.toml" -o "$TMP/bneg" > "$TMP/bneg.txt" 2>&1 \
  || { cat "$TMP/bneg.txt"; fail "train with a one-class training cell line"; }
grep -q "ensemble member: B not held out (it has one class only)" "$TMP/bneg.txt" \
  || { cat "$TMP/bneg.txt"; fail "the one-class cell line was not reported"; }
python3 - "$TMP/bneg" <<'PY' || fail "one-class training cell line"
import json, sys
e = json.load(open(sys.argv[1] + "/run.json"))["derived"]["ensemble"]
assert e["rounds_rule"] == "leave_one_cell_line_out" and [f["held_out"] for f in e["folds"]] == ["A"], e
assert e["rounds"] == e["folds"][0]["best_round"], e
PY

# One training cell line (A) and no validation split: the rounds come from held-out chromosome
# groups of A (5 groups of whole chromosomes, dealt largest first; median best round).
python3 - "$TMP/feat.csv" "$TMP/feat_one.csv" <<'PY'
import sys
rows = open(sys.argv[1]).read().splitlines()
out = [rows[0]]
for i, r in enumerate(rows[1:]):
    f = r.split(",")
    if f[3] in ("A", "D"):
        f[4] = "chr%d" % (1 + i % 7)
        out.append(",".join(f))
open(sys.argv[2], "w").write("\n".join(out) + "\n")
PY
config "$TMP/chrom.toml" xgboost '' feat_one.csv
"$PRISM" --threads 1 train --config "$TMP/chrom.toml" -o "$TMP/chrom" > "$TMP/chrom.txt" 2>&1 \
  || { cat "$TMP/chrom.txt"; fail "train with one training cell line and no val split"; }
python3 - "$TMP/chrom" <<'PY' || fail "chromosome folds"
import json, statistics, sys
e = json.load(open(sys.argv[1] + "/run.json"))["derived"]["ensemble"]
assert e["rounds_rule"] == "leave_chromosomes_out", e
names = [f["held_out"] for f in e["folds"]]
assert len(names) == 5, names
chroms = sorted(c for n in names for c in n.split(","))
assert chroms == sorted("chr%d" % k for k in range(1, 8)), chroms   # each chromosome once
assert e["rounds"] == int(statistics.median(f["best_round"] for f in e["folds"]) + 0.5), e
PY
grep -q "ensemble member: chr[0-9,chr]* held out - best round" "$TMP/chrom.txt" \
  || { cat "$TMP/chrom.txt"; fail "the chromosome folds were not logged"; }

# Sequence data with an ensemble: one config error line, nothing trained.
printf 'preset = "tiny"\n[model]\nensemble = "xgboost"\n' > "$TMP/seq.toml"
set +e
"$PRISM" train --config "$TMP/seq.toml" --data "$TMP/none" -o "$TMP/seqrun" 2> "$TMP/seq.txt" > /dev/null
rc=$?
set -e
[[ $rc -ne 0 ]] || fail "sequence + ensemble accepted"
grep -q 'model.ensemble = "xgboost" needs feature tables' "$TMP/seq.txt" || { cat "$TMP/seq.txt"; fail "unclear error"; }
[[ $(wc -l < "$TMP/seq.txt") -eq 1 ]] || { cat "$TMP/seq.txt"; fail "more than one error line"; }
echo "ensemble_model: OK"
