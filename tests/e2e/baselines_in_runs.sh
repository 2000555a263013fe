#!/usr/bin/env bash
# End-to-end: the built-in baselines in every run (docs/baselines.md), both input kinds.
#  - sequences: `prism run` on the tiny simulation -> baselines.json (kmer_logreg fitted; distance
#    and xgboost not applicable, with the reason), metrics/test.json `baselines`, results.md rows,
#    report ticks, the ledger record, the QC rule, the cost in the log; `--no-baselines` removes
#    all of it.
#  - feature tables: `prism train` + `predict` + `qc` + `report` on a small generated table ->
#    distance and xgboost; `predict --no-baselines`; `train --no-baselines` + `predict` fits them
#    in predict.
# Usage: bash baselines_in_runs.sh PRISM_BIN [SHARED_DATA_DIR]
set -euo pipefail
PRISM=${1:?usage: baselines_in_runs.sh PRISM_BIN}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

# check_run RUN DB "applicable names" "inapplicable names": every place holds the baselines.
check_run() {
  python3 - "$@" <<'PY' || fail "baselines missing in $1"
import json, sqlite3, sys
run, db, names, na = sys.argv[1], sys.argv[2], sys.argv[3].split(), sys.argv[4].split()
fields = ["aupr", "auc", "f1", "recall", "precision", "threshold", "n", "ece", "brier", "positives"]
m = json.load(open(run + "/metrics/test.json"))
assert sorted(m["baselines"]) == sorted(names), m["baselines"].keys()
assert sorted(m["baselines_not_applicable"]) == sorted(na), m["baselines_not_applicable"]
for b in names:
    t = m["baselines"][b]
    assert all(k in t["overall"] for k in fields), t["overall"]
    assert sorted(t["per_cell"]) == sorted(m["per_cell"]), (t["per_cell"].keys(), m["per_cell"].keys())
    assert all(k in t["per_cell"][c] for c in t["per_cell"] for k in fields)
    assert t["fit_seconds"] >= 0
bj = json.load(open(run + "/baselines.json"))
for b in names:
    assert bj["baselines"][b]["applicable"] is True
    assert abs(bj["baselines"][b]["metrics"]["test"]["overall"]["aupr"] - m["baselines"][b]["overall"]["aupr"]) < 1e-12
for b in na:
    assert bj["baselines"][b]["applicable"] is False and bj["baselines"][b]["reason"]
results = open(run + "/results.md").read()
for b in names:
    assert f"| baseline {b} |" in results, results
html = open(run + "/report.html").read()
for b in names:
    assert f"baseline-tick baseline-{b}" in html and f"AUPR(baseline {b})" in html
assert 'id="baselines-table"' in html
con = sqlite3.connect(db)
rows = [json.loads(r[0]) for r in con.execute("SELECT metrics FROM record_points WHERE run_dir LIKE ?", ("%/" + run.split("/")[-1],))]
assert rows, "no ledger record"
lb = rows[-1]["baselines"]
assert sorted(lb) == sorted(names), lb
for b in names:
    assert lb[b]["test_aupr"] == m["baselines"][b]["overall"]["aupr"], lb
qc = json.load(open(run + "/qc/qc.json"))
codes = [f["code"] for f in qc["findings"] if f["rule"] == "baselines"]
assert codes and codes[0] in ("ahead", "not_ahead"), codes
PY
}

# check_none RUN DB: --no-baselines left no trace.
check_none() {
  python3 - "$@" <<'PY' || fail "--no-baselines left baselines in $1"
import json, os, sqlite3, sys
run, db = sys.argv[1], sys.argv[2]
assert not os.path.exists(run + "/baselines.json")
m = json.load(open(run + "/metrics/test.json"))
assert "baselines" not in m and "baselines_not_applicable" not in m, m.keys()
assert "baseline" not in open(run + "/results.md").read()
assert "baseline-tick" not in open(run + "/report.html").read()
con = sqlite3.connect(db)
rows = [json.loads(r[0]) for r in con.execute("SELECT metrics FROM record_points WHERE run_dir LIKE ?", ("%/" + run.split("/")[-1],))]
assert rows and "baselines" not in rows[-1], rows
qc = json.load(open(run + "/qc/qc.json"))
assert [f["code"] for f in qc["findings"] if f["rule"] == "baselines"] == ["not_fitted"]
PY
}

# ---- sequences: prism run on the tiny simulation ----
out="$TMP/seq"
"$PRISM" run --sim-preset tiny --seed 3 --threads 1 --out "$out" > "$TMP/seq.log" 2>&1 \
  || { cat "$TMP/seq.log"; fail "prism run"; }
check_run "$out/runs/tiny-001" "$out/runs/prism-ledger.db" "kmer_logreg" "distance xgboost"
grep -q "baseline kmer_logreg: fit [0-9.]* s, scoring [0-9.]* s" "$TMP/seq.log" || fail "no cost line"
grep -q "baselines: [0-9.]* s in total" "$TMP/seq.log" || fail "no total cost line"
grep -q "| baseline kmer_logreg |" "$TMP/seq.log" || fail "printed table lacks the baseline row"
"$PRISM" run --sim-preset tiny --seed 3 --threads 1 --no-baselines --out "$out" > "$TMP/seq2.log" 2>&1 \
  || { cat "$TMP/seq2.log"; fail "prism run --no-baselines"; }
check_none "$out/runs/tiny-002" "$out/runs/prism-ledger.db"
! grep -q "baseline kmer_logreg\|baselines: " "$TMP/seq2.log" || fail "--no-baselines still fits baselines"

# predict --data OTHER: the baselines are fitted on the run's own training data (as the model
# was) and scored on OTHER's test split; the run's baselines.json is left as it is.
cfg=$(realpath "$(dirname "$0")/../../configs/tiny.toml")
"$PRISM" -q train --config "$cfg" --data "$out/data" -o "$TMP/seqrun" --threads 1 > /dev/null
cp -r "$out/data" "$TMP/other"
python3 - "$TMP/other/test/ALL/pairs_hg19.csv" <<'PY'
import sys
lines = open(sys.argv[1]).read().splitlines()
open(sys.argv[1], "w").write("\n".join(lines[:1] + lines[1::2]) + "\n")  # every other pair
PY
before=$(md5sum < "$TMP/seqrun/baselines.json")
"$PRISM" --threads 1 predict "$TMP/seqrun" --data "$TMP/other" > "$TMP/other.log" 2>&1 \
  || { cat "$TMP/other.log"; fail "predict --data"; }
grep -q "baselines: fitted on the run's data" "$TMP/other.log" || fail "not fitted on the run's data"
[[ $(md5sum < "$TMP/seqrun/baselines.json") == "$before" ]] || fail "baselines.json changed"
python3 - "$TMP/seqrun/metrics/test.json" "$TMP/seqrun/baselines.json" <<'PY' || fail "predict --data baselines"
import json, sys
m = json.load(open(sys.argv[1]))
b = json.load(open(sys.argv[2]))["baselines"]["kmer_logreg"]
assert m["baselines"]["kmer_logreg"]["overall"]["n"] == m["overall"]["n"], m["baselines"]
assert m["overall"]["n"] < b["metrics"]["test"]["overall"]["n"], (m["overall"]["n"], b["metrics"]["test"]["overall"]["n"])
PY

# ---- a feature table (4 cell lines; H3K27ac at the enhancer and distance carry the label) ----
python3 "$(dirname "$0")/make_feature_table.py" "$TMP/feat.csv" 800 4
cat > "$TMP/feat.toml" <<'TOML'
name = "feat"
preset = "features"
[data]
files = ["feat.csv"]
test_cells = ["D"]
val_cells = ["C"]
[train]
epochs = 2
TOML
run="$TMP/runs/feat"
db="$TMP/ledger.db"
"$PRISM" --threads 1 train --config "$TMP/feat.toml" -o "$run" > "$TMP/feat.log" 2>&1 \
  || { cat "$TMP/feat.log"; fail "train (features)"; }
grep -q "baseline xgboost: fit" "$TMP/feat.log" || fail "train did not log the xgboost cost"
"$PRISM" -q --threads 1 predict "$run" > "$TMP/pred.txt" || fail "predict (features)"
grep -q "| baseline xgboost |" "$TMP/pred.txt" || fail "predict did not print the xgboost row"
"$PRISM" -q qc "$run" --ledger "$db" --no-print > /dev/null || true   # PASS or FAIL: both judged
"$PRISM" -q report "$run" > /dev/null || fail "report (features)"
check_run "$run" "$db" "distance xgboost" "kmer_logreg"
# The val metrics the QC rule reads: the val cell line only; xgboost stopped early on it.
python3 - "$run/baselines.json" <<'PY' || fail "baselines.json val split"
import json, sys
b = json.load(open(sys.argv[1]))["baselines"]["xgboost"]
assert list(b["metrics"]["val"]["per_cell"]) == ["C"], b["metrics"]["val"]["per_cell"].keys()
assert list(b["metrics"]["test"]["per_cell"]) == ["D"]
assert b["params"]["early_stopping_rounds"] == 20, b["params"]
PY
# predict --no-baselines: the metrics file has none.
"$PRISM" -q --threads 1 predict "$run" --no-baselines > /dev/null
python3 -c "import json,sys; assert 'baselines' not in json.load(open(sys.argv[1]))" \
  "$run/metrics/test.json" || fail "predict --no-baselines kept them"
# train --no-baselines, then predict: fitted in predict, written to baselines.json.
run2="$TMP/runs/feat2"
"$PRISM" -q --threads 1 train --config "$TMP/feat.toml" -o "$run2" --no-baselines > /dev/null
[[ ! -e "$run2/baselines.json" ]] || fail "train --no-baselines wrote baselines.json"
"$PRISM" --threads 1 predict "$run2" > "$TMP/pred2.txt" 2>&1 || { cat "$TMP/pred2.txt"; fail "predict"; }
grep -q "baselines: fitting now (the run has no baselines.json)" "$TMP/pred2.txt" || fail "no refit"
[[ -s "$run2/baselines.json" ]] || fail "predict did not record the baselines it fitted"
python3 - "$run2/metrics/test.json" "$run/baselines.json" <<'PY' || fail "refit differs from the fit at training"
import json, sys
m = json.load(open(sys.argv[1]))["baselines"]
b = json.load(open(sys.argv[2]))["baselines"]
for name in ("distance", "xgboost"):
    assert m[name]["overall"] == b[name]["metrics"]["test"]["overall"], name
PY
echo "baselines_in_runs: OK"
