#!/usr/bin/env bash
# Two writers at once on one run folder: two `prism train -o X` and two `prism run -o Y` started
# together. Afterwards exactly one train succeeded (the other was refused, naming the holder's
# pid), every log has each epoch once, the two runs got distinct numbered folders, and the
# ledger lists each run folder once. A writer started while a training holds the folder (qc,
# report, a resume) is refused with the trainer's pid and changes nothing.
set -euo pipefail
PRISM=$1
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "concurrent_writers: $*"; for f in "$tmp"/*.log; do echo "== $f"; cat "$f"; done; exit 1; }

# Each epoch number exactly once, 1..N in order.
epochs_once() {
  python3 - "$1" <<'PY'
import json, sys
epochs = [json.loads(l)["epoch"] for l in open(sys.argv[1]) if l.strip()]
assert epochs == list(range(1, len(epochs) + 1)) and epochs, epochs
PY
}

"$PRISM" -q simulate --preset tiny --seed 3 -o "$tmp/sim" >"$tmp/sim.log" 2>&1 || fail "simulate failed"
# exec: a background `train &` is then the prism process itself, so $! is the pid in the lock.
train() { exec "$PRISM" train -c "$ROOT/configs/tiny.toml" --data "$tmp/sim" --threads 1 "$@"; }

# --- 1. two `prism train -o X` at once: exactly one writes the folder ----------------------------
train -o "$tmp/X" >"$tmp/train1.log" 2>&1 & p1=$!
train -o "$tmp/X" >"$tmp/train2.log" 2>&1 & p2=$!
set +e; wait $p1; r1=$?; wait $p2; r2=$?; set -e
if [ $r1 -eq 0 ] && [ $r2 -ne 0 ]; then winner=$p1; loser_log=$tmp/train2.log
elif [ $r2 -eq 0 ] && [ $r1 -ne 0 ]; then winner=$p2; loser_log=$tmp/train1.log
else fail "expected exactly one train to succeed, exit codes $r1 and $r2"; fi
[ "$(grep -c . "$loser_log")" -eq 1 ] || fail "the refused train printed more than one line"
# Refused while the winner ran (the lock, naming its pid) or after it finished (the log exists).
grep -q "prism: error: $tmp/X: run folder is in use by another prism process (pid $winner, prism train)" "$loser_log" ||
  grep -q "prism: error: run folder '$tmp/X' already has a training log" "$loser_log" ||
  fail "unexpected refusal: $(cat "$loser_log")"
epochs_once "$tmp/X/train_log.jsonl" || fail "train_log.jsonl does not have each epoch once"
[ "$(python3 -c "import json,sys; print(json.load(open(sys.argv[1]))['status'])" "$tmp/X/run.json")" = finished ] ||
  fail "run.json is not finished"

# --- 2. writers while a training holds the folder: refused with the trainer's pid ----------------
# The trainer is stopped (SIGSTOP) once it holds the lock, so the race is decided, then resumed.
train -o "$tmp/Z" >"$tmp/trainZ.log" 2>&1 & pz=$!
for _ in $(seq 1 400); do
  grep -qs "pid $pz, prism train" "$tmp/Z/.prism.lock" && break
  sleep 0.05
done
kill -STOP $pz
grep -qs "pid $pz, prism train" "$tmp/Z/.prism.lock" || { kill -CONT $pz; fail "the trainer never took the lock"; }
for cmd in "qc --no-ledger $tmp/Z" "report $tmp/Z" "reflect --no-ledger $tmp/Z" "predict $tmp/Z" \
           "train -c $ROOT/configs/tiny.toml --data $tmp/sim -o $tmp/Z --resume"; do
  set +e; "$PRISM" $cmd >"$tmp/busy.log" 2>&1; rc=$?; set -e
  [ $rc -ne 0 ] && [ "$(grep -c . "$tmp/busy.log")" -eq 1 ] &&
    grep -q "run folder is in use by another prism process (pid $pz, prism train)" "$tmp/busy.log" ||
    { kill -CONT $pz; fail "'prism $cmd' while training (exit $rc): $(cat "$tmp/busy.log")"; }
done
kill -CONT $pz
wait $pz || fail "the training holding the folder failed"
[ ! -e "$tmp/Z/qc" ] && [ ! -e "$tmp/Z/report.html" ] && [ ! -e "$tmp/Z/reflect" ] && [ ! -e "$tmp/Z/predictions" ] ||
  fail "a refused writer left files in the folder"
epochs_once "$tmp/Z/train_log.jsonl" || fail "Z: train_log.jsonl does not have each epoch once"

# --- 3. two `prism run -o Y` at once: distinct numbered folders, each in the ledger once ----------
"$PRISM" run --sim-preset tiny --seed 3 --threads 1 --lang en -o "$tmp/Y" >"$tmp/run1.log" 2>&1 & q1=$!
"$PRISM" run --sim-preset tiny --seed 3 --threads 1 --lang en -o "$tmp/Y" >"$tmp/run2.log" 2>&1 & q2=$!
set +e; wait $q1; s1=$?; wait $q2; s2=$?; set -e
[ $s1 -eq 0 ] && [ $s2 -eq 0 ] || fail "prism run exit codes $s1 and $s2"
[ -d "$tmp/Y/runs/tiny-001" ] && [ -d "$tmp/Y/runs/tiny-002" ] && [ ! -e "$tmp/Y/runs/tiny-003" ] ||
  fail "expected runs/tiny-001 and runs/tiny-002: $(ls "$tmp/Y/runs")"
d1=$(grep -o "runs/tiny-00[12]/report.html" "$tmp/run1.log"); d2=$(grep -o "runs/tiny-00[12]/report.html" "$tmp/run2.log")
[ "$d1" != "$d2" ] || fail "both runs report the same folder $d1"
for r in tiny-001 tiny-002; do
  epochs_once "$tmp/Y/runs/$r/train_log.jsonl" || fail "$r: train_log.jsonl does not have each epoch once"
  [ -s "$tmp/Y/runs/$r/report.html" ] || fail "$r: no report"
done
"$PRISM" ledger --db "$tmp/Y/runs/prism-ledger.db" list >"$tmp/ledger.log" 2>&1 || fail "ledger list failed"
python3 - "$tmp/Y/runs/prism-ledger.db" <<'PY' || fail "ledger has duplicates: $(cat "$tmp/ledger.log")"
import sqlite3, sys
rows = sqlite3.connect(sys.argv[1]).execute("SELECT run_dir FROM record_points").fetchall()
dirs = [r[0] for r in rows]
assert len(dirs) == 2 and len(set(dirs)) == 2, dirs
PY
[ "$(grep -cP "\ttiny\t" "$tmp/ledger.log")" -eq 2 ] || fail "ledger list: $(cat "$tmp/ledger.log")"
echo "concurrent_writers: ok"
