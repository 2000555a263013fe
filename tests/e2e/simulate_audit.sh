#!/usr/bin/env bash
# End-to-end: `prism simulate --preset tiny`, then `prism audit` on it (text, JSON, --strict),
# then `prism audit --strict` on a copy with a planted train/test leak (exit status 3).
# Usage: bash simulate_audit.sh PRISM_BIN SHARED_DATA_DIR
set -euo pipefail
PRISM=${1:?usage: simulate_audit.sh PRISM_BIN SHARED_DATA_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PRISM" simulate --preset tiny --seed 5 --out "$TMP/sim" > "$TMP/sim.txt"
for f in train/ALL/pairs_hg19.csv train/ALL/e_seq.csv train/ALL/p_seq.csv \
         val/ALL/pairs_hg19.csv test/ALL/pairs_hg19.csv test/ALL/e_seq.csv test/ALL/p_seq.csv \
         oracle.csv simulation.json; do
  [[ -s "$TMP/sim/$f" ]] || fail "simulate did not write $f"
done
grep -q "AUPR(p_true)" "$TMP/sim.txt" || fail "no oracle summary on stdout"
[[ $(head -1 "$TMP/sim/oracle.csv") == "split,enhancer,promoter,cell_line,label,p_true,p_env_blind" ]] \
  || fail "oracle.csv header"

# A clean simulation: --strict passes.
"$PRISM" audit "$TMP/sim" --strict --json "$TMP/audit.json" > "$TMP/audit.txt" \
  || fail "audit --strict failed on a clean simulation"
grep -q "verdict: no shared elements" "$TMP/audit.txt" || fail "clean verdict missing"
grep -q '"leakage_found": false' "$TMP/audit.json" || fail "audit.json leakage_found"

# Plant a leak: copy the first train pair (and its sequences) into test.
cp -r "$TMP/sim" "$TMP/leak"
T=$TMP/leak/train/ALL; S=$TMP/leak/test/ALL
pair=$(sed -n 2p "$T/pairs_hg19.csv")
enh=${pair%%,*}; rest=${pair#*,}; prom=${rest%%,*}
echo "$pair" >> "$S/pairs_hg19.csv"
grep "^$enh," "$T/e_seq.csv" >> "$S/e_seq.csv"
grep "^$prom," "$T/p_seq.csv" >> "$S/p_seq.csv"
set +e
"$PRISM" audit "$TMP/leak" --strict > "$TMP/leak.txt"
rc=$?
set -e
[[ $rc -eq 3 ]] || fail "audit --strict on a leaky split exited $rc, expected 3"
grep -q "verdict: LEAKAGE" "$TMP/leak.txt" || fail "leak verdict missing"
# Without --strict the same report exits 0.
"$PRISM" audit "$TMP/leak" > /dev/null || fail "audit without --strict must exit 0"
echo "simulate_audit: OK"
