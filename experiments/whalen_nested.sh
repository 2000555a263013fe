#!/usr/bin/env bash
# Nested leave-one-cell-line-out on the six Whalen cell lines, for choosing settings without the
# held-out cell line's labels: for every outer (held-out) cell line, train on four of the other
# five and score the fifth, over all five (inner LOCO); the outer cell line's file is not even
# read. Prints, per outer cell line, the mean inner AUPR of the config. Run it for each candidate
# config and, for each outer cell line, keep the candidate with the highest inner mean
# (experiments/whalen-config-selection.md); then score the outer cell lines with experiments/whalen_loco.sh.
# Usage: CONFIG=cand.toml bash experiments/whalen_nested.sh PRISM_BIN [WORK_DIR] [THREADS]
# Writes WORK_DIR/nested.tsv (outer, inner, AUPR).
set -euo pipefail
PRISM=${1:?usage: CONFIG=cand.toml whalen_nested.sh PRISM_BIN [WORK_DIR] [THREADS]}
WORK=${2:-/tmp/prism-whalen-nested}
THREADS=${3:-2}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
CONFIG=${CONFIG:-$ROOT/configs/features-whalen.toml}
PY=${PYTHON:-/usr/bin/python3}
DATA=$(cd "$ROOT/../shared/data/epi-features" 2>/dev/null && pwd) || { echo "no ../shared/data/epi-features"; exit 77; }
ALL="GM12878 HUVEC HeLa IMR90 K562 NHEK"
file() { [ "$1" = HeLa ] && echo "$DATA/Whalen.HeLa-S3.targetfinder_features.csv.gz" \
                         || echo "$DATA/Whalen.$1.targetfinder_features.csv.gz"; }
mkdir -p "$WORK"
: > "$WORK/nested.tsv"
for outer in $ALL; do
  files=""
  for c in $ALL; do [ "$c" = "$outer" ] || files="$files\"$(file "$c")\", "; done
  for inner in $ALL; do
    [ "$inner" = "$outer" ] && continue
    run="$WORK/$outer-$inner"
    rm -rf "$run"
    "$PY" - "$CONFIG" "$run.toml" "[${files%, }]" "$inner" <<'PY'
import re, sys
s = open(sys.argv[1]).read()
s = re.sub(r'^files = \[.*?\]', lambda m: 'files = ' + sys.argv[3], s, flags=re.S | re.M)
s = re.sub(r'^test_cells = .*$', 'test_cells = ["%s"]' % sys.argv[4], s, flags=re.M)
s = re.sub(r'^val_cells = .*$', 'val_cells = []', s, flags=re.M)
open(sys.argv[2], 'w').write(s)
PY
    "$PRISM" -q train --config "$run.toml" -o "$run" --threads "$THREADS" > /dev/null
    "$PRISM" -q predict "$run" --threads "$THREADS" --checkpoint last > /dev/null
    "$PY" -c "import json; m=json.load(open('$run/metrics/test.json'))['overall']; print('$outer\t$inner\t%.4f' % m['aupr'])" >> "$WORK/nested.tsv"
  done
done
"$PY" - "$WORK/nested.tsv" <<'PY'
import collections, sys
d = collections.defaultdict(list)
for line in open(sys.argv[1]):
    o, i, a = line.split()
    d[o].append(float(a))
print("| outer (held-out) cell line | mean inner AUPR (LOCO over the other five) |\n|---|---|")
for o, v in d.items():
    print(f"| {o} | {sum(v) / len(v):.4f} |")
PY
