#!/usr/bin/env bash
# Damaged and unfinished run folders (issue 18): each gets one error line naming the file and a
# distinct exit status, and nothing is half-written.
#   - predict on a truncated / empty checkpoint: exit 1, one line naming best.pt, no predictions
#   - qc on a run whose run.json still says "running": exit 2, "did not finish", no qc/ folder
#   - qc on a finished run whose best.pt lost its second half: exit 1 (FAIL), the reason names it
#   - train --resume with another config: refused naming run.json; --force records the change
#   - train --resume after the log's last line was cut: the partial line is dropped with a warning
# Usage: bash damaged_run.sh PRISM_BIN SHARED_DATA_DIR
set -euo pipefail
PRISM=${1:?usage: damaged_run.sh PRISM_BIN SHARED_DATA_DIR}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
lines() { grep -c '' "$1" || true; }

"$PRISM" -q simulate --preset tiny --seed 2 --out "$TMP/sim" >/dev/null
train() { "$PRISM" -q train --config "$1" --data "$TMP/sim" --threads 1 "${@:2}"; }
train "$ROOT/configs/tiny.toml" --epochs 2 -o "$TMP/run" >/dev/null
"$PRISM" -q predict "$TMP/run" --threads 1 >/dev/null

# A finished, evaluated run passes the checkpoint check; a half-missing best.pt fails QC.
cp -r "$TMP/run" "$TMP/half"
size=$(stat -c %s "$TMP/half/checkpoints/best.pt")
truncate -s $((size / 2)) "$TMP/half/checkpoints/best.pt"
set +e
"$PRISM" -q qc "$TMP/half" --no-ledger --no-print --lang en >"$TMP/qc_half.txt" 2>&1; rc=$?
set -e
[[ $rc == 1 ]] || { cat "$TMP/qc_half.txt"; fail "qc on a half checkpoint: exit $rc, expected 1"; }
grep -q "checkpoints/best.pt: truncated or changed: $((size / 2)) bytes, run.json records $size" \
  "$TMP/half/qc/qc.json" || fail "qc.json does not name the truncated checkpoint"

# predict on the damaged checkpoint: one line naming the file, nothing written.
rm -rf "$TMP/half/predictions" "$TMP/half/metrics"
set +e
"$PRISM" predict "$TMP/half" --threads 1 >"$TMP/pred.txt" 2>&1; rc=$?
set -e
[[ $rc != 0 ]] || fail "predict accepted a truncated checkpoint"
[[ $(lines "$TMP/pred.txt") == 1 ]] || { cat "$TMP/pred.txt"; fail "predict printed more than one line"; }
grep -q "$TMP/half/checkpoints/best.pt: checkpoint truncated" "$TMP/pred.txt" || { cat "$TMP/pred.txt"; fail "predict does not name best.pt"; }
[[ ! -e "$TMP/half/predictions" ]] || fail "predict wrote predictions from a damaged checkpoint"
: > "$TMP/half/checkpoints/best.pt"
set +e
"$PRISM" predict "$TMP/half" --threads 1 >"$TMP/pred0.txt" 2>&1; rc=$?
set -e
[[ $rc != 0 && $(lines "$TMP/pred0.txt") == 1 ]] || { cat "$TMP/pred0.txt"; fail "empty checkpoint"; }
grep -q "best.pt: checkpoint empty (0 bytes)" "$TMP/pred0.txt" || { cat "$TMP/pred0.txt"; fail "empty checkpoint message"; }

# qc on an unfinished run: exit 2 (unusable input), not 1 (FAIL).
cp -r "$TMP/run" "$TMP/running"
rm -rf "$TMP/running/qc"
python3 - "$TMP/running/run.json" <<'PY'
import json, sys
j = json.load(open(sys.argv[1])); j["status"] = "running"; j["finished"] = None
json.dump(j, open(sys.argv[1], "w"))
PY
set +e
"$PRISM" qc "$TMP/running" --no-ledger --no-print >"$TMP/qc_run.txt" 2>&1; rc=$?
set -e
[[ $rc == 2 ]] || { cat "$TMP/qc_run.txt"; fail "qc on a running run: exit $rc, expected 2"; }
[[ $(lines "$TMP/qc_run.txt") == 1 ]] || { cat "$TMP/qc_run.txt"; fail "qc printed more than one line"; }
grep -q "run.json: status \"running\": the run did not finish" "$TMP/qc_run.txt" || fail "qc message"
[[ ! -e "$TMP/running/qc" ]] || fail "qc wrote a report for an unfinished run"

# --resume with another configuration: refused (nothing changed), --force records it.
sed 's/^lr = .*/lr = 0.41/' "$ROOT/configs/tiny.toml" > "$TMP/other.toml"
grep -q "^lr = 0.41" "$TMP/other.toml" || fail "could not make another config"
cp "$TMP/run/run.json" "$TMP/run.json.before"
set +e
train "$TMP/other.toml" --epochs 3 --resume -o "$TMP/run" >"$TMP/resume.txt" 2>&1; rc=$?
set -e
[[ $rc != 0 && $(lines "$TMP/resume.txt") == 1 ]] || { cat "$TMP/resume.txt"; fail "resume with another config was not refused"; }
grep -q "$TMP/run/run.json: --resume: the configuration (hash" "$TMP/resume.txt" || fail "resume message"
cmp -s "$TMP/run/run.json" "$TMP/run.json.before" || fail "a refused resume changed run.json"
train "$TMP/other.toml" --epochs 3 --resume --force -o "$TMP/run" >/dev/null 2>&1
python3 - "$TMP/run" <<'PY' || fail "--force was not recorded"
import json, sys
run = json.load(open(sys.argv[1] + "/run.json"))
log = [json.loads(l) for l in open(sys.argv[1] + "/train_log.jsonl") if l.strip()]
assert [e["epoch"] for e in log] == [1, 2, 3], log
assert run["config"]["train"]["lr"] == 0.41, run["config"]["train"]  # the config now in effect
ch = run["resumed_with_changes"]
assert len(ch) == 1 and ch[0]["at_epoch"] == 3 and ch[0]["old_config_hash"] != ch[0]["new_config_hash"], ch
assert run["status"] == "finished"
PY

# --resume after the log's last line was cut: repaired with a warning naming the file.
train "$ROOT/configs/tiny.toml" --epochs 1 -o "$TMP/cut" >/dev/null
head -c 100 "$TMP/cut/train_log.jsonl" >> "$TMP/cut/train_log.jsonl"
"$PRISM" train --config "$ROOT/configs/tiny.toml" --data "$TMP/sim" --threads 1 --epochs 1 \
  --resume -o "$TMP/cut" >"$TMP/cut.txt" 2>&1 || { cat "$TMP/cut.txt"; fail "resume after a cut line failed"; }
grep -q "$TMP/cut/train_log.jsonl:2: dropped a partial last line" "$TMP/cut.txt" || { cat "$TMP/cut.txt"; fail "no warning about the cut line"; }
[[ $(lines "$TMP/cut/train_log.jsonl") == 1 ]] || fail "the partial line is still in the log"
echo "ok"
