#!/usr/bin/env bash
# End-to-end: `prism simulate --preset transfer-tiny` (per-cell shortcut k-mers, degenerate PWMs,
# variable lengths), then `prism audit --json`: each training cell line's planted k-mer (read from
# simulation.json only after the audit) is among its top 3 cell-specific k-mers, and
# simulation.json records the motif-informed reference learner next to the oracles.
# Usage: bash transfer_audit.sh PRISM_BIN SHARED_DATA_DIR
set -euo pipefail
PRISM=${1:?usage: transfer_audit.sh PRISM_BIN SHARED_DATA_DIR}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

"$PRISM" simulate --preset transfer-tiny --seed 3 --out "$TMP/sim" > "$TMP/sim.txt"
grep -q "AUPR(reference)" "$TMP/sim.txt" || fail "no reference learner column on stdout"
"$PRISM" audit "$TMP/sim" --json "$TMP/audit.json" > "$TMP/audit.txt" || fail "audit failed"
grep -q "Cell-specific k-mers" "$TMP/audit.txt" || fail "no cell-specific k-mer section"
python3 - "$TMP/sim/simulation.json" "$TMP/audit.json" <<'PY' || fail "planted k-mers not found"
import json, sys
sim, audit = json.load(open(sys.argv[1])), json.load(open(sys.argv[2]))
rc = lambda s: s[::-1].translate(str.maketrans("ACGT", "TGCA"))
listed = audit["cell_specific_kmers"]
for cell in sim["cells"]:
    if cell["split"] != "train":
        continue
    k = cell["shortcut_kmer"]
    top = [e["kmer"] for e in listed if e["cell_line"] == cell["name"] and e["rank"] <= 3]
    assert k in top or rc(k) in top, (cell["name"], k, top)
for split in ("train", "val", "test"):
    s = sim["splits"][split]
    assert s["positive_rate"] + 0.02 < s["aupr_reference"] < s["aupr_true"] + 0.05, (split, s)
assert sim["reference_learner"]["selected_on"] == "val"
print("planted k-mers at rank <= 3 in every training cell line")
PY
echo "transfer_audit: OK"
