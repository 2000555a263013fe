#!/usr/bin/env bash
# prism predict on pairs without labels: a test split with the label column removed is scored
# (exit 0) with the labeled run's scores; with one cell line unlabeled and one labeled, the
# labeled one keeps its metrics and the table says "unlabeled" for the other.
set -euo pipefail
PRISM=$(realpath "$1")
config=$(realpath "$(dirname "$0")/../../configs/tiny.toml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$PRISM" -q simulate --preset tiny --seed 2 --test-cells 2 -o SIM >/dev/null
"$PRISM" -q train --config "$config" --data SIM -o RUN --threads 1 >/dev/null
"$PRISM" -q predict RUN --threads 1 > labeled.md
cp RUN/predictions/test.csv labeled.csv
cp RUN/metrics/test.json labeled.json

# No label column at all.
cp -r SIM U
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open('SIM/test/ALL/pairs_hg19.csv')))
cols = [c for c in rows[0] if c != 'label']
with open('U/test/ALL/pairs_hg19.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, cols, extrasaction='ignore')
    w.writeheader(); w.writerows(rows)
PY
"$PRISM" -q predict RUN --data U --threads 1 > unlabeled.md
python3 - <<'PY'
import csv, json
a = list(csv.DictReader(open('labeled.csv')))
b = list(csv.DictReader(open('RUN/predictions/test.csv')))
assert len(a) == len(b) > 0
for x, y in zip(a, b):
    assert (x['enhancer'], x['promoter'], x['cell_line']) == (y['enhancer'], y['promoter'], y['cell_line'])
    assert x['score'] == y['score'], (x, y)
    assert y['label'] == '', y
m = json.load(open('RUN/metrics/test.json'))
assert 'overall' not in m and sum(m['unlabeled'].values()) == len(b), m
PY
grep -q "| test1 | unlabeled |" unlabeled.md || { cat unlabeled.md; exit 1; }

# Mixed: test2's labels emptied, test1's kept.
python3 - <<'PY'
import csv
rows = list(csv.DictReader(open('SIM/test/ALL/pairs_hg19.csv')))
for r in rows:
    if r['cell_line'] == 'test2': r['label'] = ''
with open('U/test/ALL/pairs_hg19.csv', 'w', newline='') as f:
    w = csv.DictWriter(f, list(rows[0])); w.writeheader(); w.writerows(rows)
PY
"$PRISM" -q predict RUN --data U --threads 1 > mixed.md
python3 - <<'PY'
import csv, json
a = list(csv.DictReader(open('labeled.csv')))
b = list(csv.DictReader(open('RUN/predictions/test.csv')))
assert [x['score'] for x in a] == [y['score'] for y in b]
m, l = json.load(open('RUN/metrics/test.json')), json.load(open('labeled.json'))
assert m['per_cell']['test1'] == l['per_cell']['test1'], (m['per_cell'], l['per_cell'])
assert 'test2' not in m['per_cell'] and m['unlabeled']['test2'] > 0, m
PY
grep -q "| test2 | unlabeled |" mixed.md || { cat mixed.md; exit 1; }
grep -q "| test1 | 0\." mixed.md || { cat mixed.md; exit 1; }
echo "predict_unlabeled: ok"
