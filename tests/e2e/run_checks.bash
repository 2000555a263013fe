# Checks shared by the e2e scripts of trained runs (sourced; not a test of its own: the e2e glob
# takes *.sh). Needs PRISM, TMP and fail() from the sourcing script. Puts this directory on
# PYTHONPATH for the scripts' python3 heredocs (e2e_metrics.py).
export PYTHONPATH="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)${PYTHONPATH:+:$PYTHONPATH}"

# The loop reads the run: qc inspects it (PASS or FAIL, exit 0 or 1), reflect and report work.
check_loop_reads_run() {  # check_loop_reads_run RUN
  local run=$1 qc_rc
  set +e
  "$PRISM" --threads 1 qc "$run" --no-ledger --lang en > "$TMP/qc.txt" 2>&1
  qc_rc=$?
  set -e
  [[ $qc_rc -le 1 ]] || { cat "$TMP/qc.txt"; fail "qc could not inspect the run (exit $qc_rc)"; }
  "$PRISM" --threads 1 reflect "$run" --lang en > "$TMP/reflect.txt" 2>&1 || { cat "$TMP/reflect.txt"; fail "reflect"; }
  "$PRISM" report "$run" > "$TMP/report.txt" 2>&1 || { cat "$TMP/report.txt"; fail "report"; }
  [[ -s "$run/report.html" ]] || fail "no report"
}

# A changed ensemble member file is refused with one error line (size and hash in run.json
# derived.ensemble): FILE (under checkpoints/) in a copy of RUN edited by the sed expression.
check_changed_member_refused() {  # check_changed_member_refused RUN FILE SED_EXPR
  local run=$1 file=$2 expr=$3 rc
  rm -rf "$TMP/bad"
  cp -r "$run" "$TMP/bad"
  sed -i "$expr" "$TMP/bad/checkpoints/$file"
  set +e
  "$PRISM" -q --threads 1 predict "$TMP/bad" --no-baselines 2> "$TMP/bad.txt" > /dev/null
  rc=$?
  set -e
  [[ $rc -ne 0 ]] || fail "predict accepted a changed ensemble member"
  grep -q "$file.*ensemble member content changed" "$TMP/bad.txt" || { cat "$TMP/bad.txt"; fail "no hash error"; }
  [[ $(wc -l < "$TMP/bad.txt") -eq 1 ]] || { cat "$TMP/bad.txt"; fail "more than one error line"; }
}
