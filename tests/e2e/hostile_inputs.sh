#!/usr/bin/env bash
# Hostile or careless inputs through the CLI: a run name that tries to leave --out, a name with
# '/' or an ESC byte, `prism train` without -o, a directory where e_seq.csv belongs, a UTF-8 BOM,
# `report` on an empty folder, and the ledger on a read-only file system. Each is one error line
# naming the file (line:col where it applies), a non-zero exit, and nothing written outside.
set -euo pipefail
PRISM=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")  # absolute: some steps run elsewhere
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "hostile_inputs: $*"; exit 1; }
# expect_error CODE PATTERN CMD...: exit CODE, exactly one line on stderr, matching PATTERN
# (stdout may hold what earlier stages printed, e.g. prism run's audit table).
expect_error() {
  local code=$1 pattern=$2; shift 2
  set +e; "$@" >"$tmp/stdout.log" 2>"$tmp/out.log"; local rc=$?; set -e
  [ $rc -eq "$code" ] || fail "exit $rc (expected $code): $* -> $(cat "$tmp/out.log")"
  [ "$(grep -c . "$tmp/out.log")" -eq 1 ] || fail "not one line: $* -> $(cat "$tmp/out.log")"
  grep -qF -- "$pattern" "$tmp/out.log" || fail "expected '$pattern': $* -> $(cat "$tmp/out.log")"
}

"$PRISM" -q simulate --preset tiny --seed 3 -o "$tmp/sim" >/dev/null 2>&1 || fail "simulate failed"

# --- run names -------------------------------------------------------------------------------
mkdir -p "$tmp/pt/out" "$tmp/cwd"
sed 's|^name = "tiny"|name = "../../escape_run"|' "$ROOT/configs/tiny.toml" >"$tmp/escape.toml"
name_line=$(grep -n '^name = "../../escape_run"' "$tmp/escape.toml" | cut -d: -f1)
[ -n "$name_line" ] || fail "could not plant the name"
expect_error 1 "$tmp/escape.toml:$name_line:8: 'name' must be one folder name, without '/'" \
  "$PRISM" -q run --sim-preset tiny --config "$tmp/escape.toml" -o "$tmp/pt/out" --threads 1
[ -z "$(find "$tmp" -name 'escape_run*')" ] || fail "a folder named escape_run was created"
[ ! -e "$tmp/pt/out/runs" ] || fail "prism run created runs/ for a refused config"
printf 'name = "a\\u001b[31mred"\n' | cat - <(sed '/^name = /d' "$ROOT/configs/tiny.toml") >"$tmp/esc.toml"
expect_error 1 "$tmp/esc.toml:1:8: 'name' must not contain control characters, got 'a\\x1b[31mred'" \
  "$PRISM" train -c "$tmp/esc.toml" --data "$tmp/sim"
grep -q $'\033' "$tmp/out.log" && fail "the ESC byte was printed raw"
sed 's|^name = "tiny"|name = "nested/run"|' "$ROOT/configs/tiny.toml" >"$tmp/slash.toml"
(cd "$tmp/cwd" && expect_error 1 "$tmp/slash.toml:$name_line:8: 'name' must be one folder name" \
  "$PRISM" train -c "$tmp/slash.toml" --data "$tmp/sim")
[ -z "$(ls -A "$tmp/cwd")" ] || fail "prism train wrote into the working directory: $(ls -A "$tmp/cwd")"

# --- data files --------------------------------------------------------------------------------
cp -r "$tmp/sim" "$tmp/dirsim"
rm "$tmp/dirsim/test/ALL/e_seq.csv" && mkdir "$tmp/dirsim/test/ALL/e_seq.csv"
expect_error 1 "$tmp/dirsim/test/ALL/e_seq.csv: is a directory, expected a file" "$PRISM" audit "$tmp/dirsim"
cp -r "$tmp/sim" "$tmp/bomsim"
for f in "$tmp"/bomsim/*/ALL/*.csv; do printf '\xef\xbb\xbf' | cat - "$f" >"$f.new" && mv "$f.new" "$f"; done
"$PRISM" audit "$tmp/bomsim" >"$tmp/bom.log" 2>&1 || fail "a UTF-8 BOM broke the reader: $(cat "$tmp/bom.log")"

# --- a training split with one class: audit reports it, train refuses it ------------------------
cp -r "$tmp/sim" "$tmp/oneclass"
python3 - "$tmp/oneclass/train/ALL/pairs_hg19.csv" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
for r in rows: r["label"] = "0"
with open(sys.argv[1], "w", newline="") as f:
    w = csv.DictWriter(f, fieldnames=list(rows[0].keys())); w.writeheader(); w.writerows(rows)
PY
"$PRISM" audit "$tmp/oneclass" --strict >"$tmp/oneclass_audit.log" 2>&1 || fail "audit --strict failed on a one-class split"
grep -q "WARN one_class_split: split 'train' has one class only: all 360 pairs are negative" "$tmp/oneclass_audit.log" ||
  fail "audit did not report the one-class split: $(tail -5 "$tmp/oneclass_audit.log")"
expect_error 1 "training split of $tmp/oneclass: all 360 pairs are negative; training needs both classes" \
  "$PRISM" train -c "$ROOT/configs/tiny.toml" --data "$tmp/oneclass" -o "$tmp/oneclass_run"
[ ! -e "$tmp/oneclass_run/train_log.jsonl" ] || fail "a training log was written for a one-class split"

# --- report on a folder that is not a run --------------------------------------------------------
mkdir "$tmp/empty"
expect_error 1 "$tmp/empty: not a run folder: it has neither run.json nor train_log.jsonl" \
  "$PRISM" report "$tmp/empty"
[ -z "$(ls -A "$tmp/empty")" ] || fail "report wrote into an empty folder"

# --- the ledger on a read-only file system (a read-only bind mount in a user namespace) ----------
mkdir -p "$tmp/ro/runs"
cp -r "$ROOT/tests/fixtures/run_small" "$tmp/ro/runs/run_small"
"$PRISM" -q qc --lang en --no-print "$tmp/ro/runs/run_small" >/dev/null 2>&1 || true  # PASS or FAIL
[ -s "$tmp/ro/runs/prism-ledger.db" ] || fail "qc made no ledger"
if ! unshare -rm true 2>/dev/null; then
  echo "hostile_inputs: ok (read-only ledger part skipped: no user namespaces)"; exit 0
fi
cat >"$tmp/ro.sh" <<EOF
set -u
mount --bind "$tmp/ro" "$tmp/ro" && mount -o remount,bind,ro "$tmp/ro" || exit 77
touch "$tmp/ro/x" 2>/dev/null && exit 78
"$PRISM" ledger --db "$tmp/ro/runs/prism-ledger.db" list >"$tmp/ro_list.log" 2>&1; echo "list \$?"
"$PRISM" ledger --db "$tmp/ro/runs/prism-ledger.db" show 1 >/dev/null 2>"$tmp/ro_show.log"; echo "show \$?"
"$PRISM" qc --no-print "$tmp/ro/runs/run_small" >"$tmp/ro_qc.log" 2>&1; echo "qc \$?"
EOF
unshare -rm bash "$tmp/ro.sh" >"$tmp/ro_codes.log" 2>&1 || fail "read-only namespace: $(cat "$tmp/ro_codes.log")"
grep -qx "list 0" "$tmp/ro_codes.log" || fail "ledger list on a read-only fs: $(cat "$tmp/ro_list.log")"
grep -qP "^1\t.*\tfixture-run-small\t" "$tmp/ro_list.log" || fail "ledger list output: $(cat "$tmp/ro_list.log")"
grep -qx "show 0" "$tmp/ro_codes.log" || fail "ledger show on a read-only fs: $(cat "$tmp/ro_show.log")"
# A writer there fails with one line naming the path (exit 2: unusable input for qc).
grep -qx "qc 2" "$tmp/ro_codes.log" || fail "qc on a read-only fs: $(cat "$tmp/ro_codes.log") $(cat "$tmp/ro_qc.log")"
[ "$(grep -c . "$tmp/ro_qc.log")" -eq 1 ] && grep -qF "$tmp/ro/runs/run_small" "$tmp/ro_qc.log" &&
  grep -q "Read-only file system" "$tmp/ro_qc.log" || fail "qc message: $(cat "$tmp/ro_qc.log")"
echo "hostile_inputs: ok"
