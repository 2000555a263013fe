#!/usr/bin/env bash
# prism score on coordinates: simulate --genome -> train -> score writes exactly the candidate
# pairs of the distance window (recomputed here from the BED files), finite scores in [0, 1], in
# TSV, BEDPE and interact, BGZF with tabix indexes; kill -9 + --resume equals an uninterrupted
# run; --shard 1/2 + 2/2 concatenated equal the unsharded output; bad BED lines are named.
set -euo pipefail
PRISM=$(realpath "$1")
config=$(realpath "$(dirname "$0")/../../configs/tiny.toml")
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
cd "$tmp"

"$PRISM" -q simulate --preset tiny --seed 3 --genome -o SIM >/dev/null
for f in genome.fa genome.fa.fai enhancers.bed promoters.bed pairs.bedpe; do
  [ -s "SIM/$f" ] || { echo "simulate --genome did not write $f"; exit 1; }
done
"$PRISM" -q train --config "$config" --data SIM -o RUN --threads 1 >/dev/null

# The window and options shared by every scoring run below (small, so that runs take seconds).
opts=(--genome SIM/genome.fa --enhancers SIM/enhancers.bed --promoters SIM/promoters.bed
      --min-distance 2000 --max-distance 20000 --context-pairs 2000 --chunk-size 250 --threads 1
      --cell-line test1)
"$PRISM" -q score RUN "${opts[@]}" -o OUT >/dev/null

python3 - <<'PY'
import gzip, json, math
def bed(p):
    return [l.split('\t')[:4] for l in open(p).read().splitlines() if l]
E, P = bed('SIM/enhancers.bed'), bed('SIM/promoters.bed')
want = set()
for pc, ps, pe, pn in P:
    for ec, es, ee, en in E:
        if ec != pc: continue
        d = abs((int(es) + int(ee)) / 2 - (int(ps) + int(pe)) / 2)
        if 2000 <= d <= 20000:
            want.add((ec, int(es), int(ee), en, int(ps), int(pe), pn, d))
assert len(want) > 500, len(want)
lines = gzip.open('OUT/predictions.tsv.gz', 'rt').read().splitlines()
assert lines[0] == '#chrom\tenh_start\tenh_end\tenh_name\tprom_start\tprom_end\tprom_name\tdistance\tscore\tcell_line\trank_in_promoter', lines[0]
rows = [l.split('\t') for l in lines[1:]]
got = [(r[0], int(r[1]), int(r[2]), r[3], int(r[4]), int(r[5]), r[6], float(r[7])) for r in rows]
assert len(got) == len(set(got)), 'duplicate rows'
assert set(got) == want, (len(got), len(want), len(set(got) - want), len(want - set(got)))
scores = [float(r[8]) for r in rows]
assert all(math.isfinite(s) and 0 <= s <= 1 for s in scores)
assert all(r[9] == 'test1' for r in rows)
# Sorted by promoter (chrom order of the genome, start), ranks 1..n by descending score.
chroms = [l.split('\t')[0] for l in open('SIM/genome.fa.fai')]
keys = [(chroms.index(r[0]), int(r[4]), int(r[5]), r[6]) for r in rows]
assert keys == sorted(keys), 'not sorted by promoter'
by = {}
for r, s in zip(rows, scores):
    by.setdefault((r[0], r[4], r[5], r[6]), []).append((int(r[10]), s))
for g in by.values():
    ranks = sorted(g)
    assert [k for k, _ in ranks] == list(range(1, len(g) + 1)), ranks
    assert all(ranks[i][1] >= ranks[i + 1][1] for i in range(len(ranks) - 1)), ranks
bedpe = [l.split('\t') for l in gzip.open('OUT/predictions.bedpe.gz', 'rt').read().splitlines()]
inter = gzip.open('OUT/predictions.interact.bed.gz', 'rt').read().splitlines()
assert inter[0].startswith('track type=interact'), inter[0]
inter = [l.split('\t') for l in inter[1:]]
assert len(bedpe) == len(rows) == len(inter)
for r, b, i in zip(rows, bedpe, inter):
    assert b[:3] == r[:3] and b[4:6] == r[4:6] and b[7] == r[8], (b, r)
    assert len(i) == 18 and i[9:12] == r[1:4] and i[14:17] == r[4:7] and i[5] == r[8], (i, r)
    assert int(i[1]) == min(int(r[1]), int(r[4])) and int(i[2]) == max(int(r[2]), int(r[5]))
for f in ('tsv', 'bedpe', 'interact.bed'):
    assert gzip.open('OUT/predictions.%s.gz.tbi' % f).read(4) == b'TBI\x01', f
s = json.load(open('OUT/summary.json'))
assert s['candidates'] == len(want) == s['scored'] == s['written'], s
assert s['pairs_per_s'] > 0 and s['elements']['enhancers']['used'] == 600
PY

# The context is estimated as prism predict estimates it: test1's candidates (chr5) scored by
# prism score equal prism predict's scores of the same pairs, in the same order, as a test split.
awk '$1 == "chr5"' SIM/enhancers.bed > e5.bed
awk '$1 == "chr5"' SIM/promoters.bed > p5.bed
"$PRISM" -q score RUN --genome SIM/genome.fa --enhancers e5.bed --promoters p5.bed \
  --max-distance 15000 --threads 1 --cell-line test1 -o C5 >/dev/null
mkdir -p U && cp -r SIM/train SIM/val U/
python3 - <<'PY'
import gzip, os
seq, name = {}, None
for l in open('SIM/genome.fa'):
    l = l.strip()
    if l.startswith('>'): name = l[1:]; seq[name] = []
    else: seq[name].append(l)
seq = {k: ''.join(v) for k, v in seq.items()}
rows = [l.split('\t') for l in gzip.open('C5/predictions.tsv.gz', 'rt').read().splitlines()[1:]]
assert 0 < len(rows) <= 20000, len(rows)
os.makedirs('U/test/ALL')
with open('U/test/ALL/pairs_hg19.csv', 'w') as f:
    f.write('enhancer_name,promoter_name,cell_line\n')
    for r in rows: f.write('%s,%s,test1\n' % (r[3], r[6]))
for fn, a, b, n in (('e_seq.csv', 1, 2, 3), ('p_seq.csv', 4, 5, 6)):
    els = {r[n]: seq[r[0]][int(r[a]):int(r[b])] for r in rows}
    with open('U/test/ALL/' + fn, 'w') as f:
        f.write('region,sequence\n')
        for k in sorted(els): f.write('%s,%s\n' % (k, els[k]))
PY
"$PRISM" -q predict RUN --data U --threads 1 >/dev/null
python3 - <<'PY'
import csv, gzip
rows = [l.split('\t') for l in gzip.open('C5/predictions.tsv.gz', 'rt').read().splitlines()[1:]]
pred = list(csv.DictReader(open('RUN/predictions/test.csv')))
assert len(pred) == len(rows)
for r, p in zip(rows, pred):
    assert (p['enhancer'], p['promoter']) == (r[3], r[6]), (p, r)
    assert abs(float(p['score']) - float(r[8])) <= 5e-7 + 1e-9, (p['score'], r[8])
PY

# --shard 1/2 + 2/2: the files concatenate (cat, also compressed) to the unsharded ones.
"$PRISM" -q score RUN "${opts[@]}" --shard 1/2 -o S1 >/dev/null
"$PRISM" -q score RUN "${opts[@]}" --shard 2/2 -o S2 >/dev/null
for f in predictions.tsv.gz predictions.bedpe.gz predictions.interact.bed.gz; do
  cat S1/$f S2/$f | gzip -dc > cat.txt
  gzip -dc OUT/$f > full.txt
  cmp -s cat.txt full.txt || { echo "shards of $f do not concatenate to the full output"; exit 1; }
done
python3 -c "
import json; a, b = (json.load(open(d + '/summary.json')) for d in ('S1', 'S2'))
assert a['scored'] > 0 and b['scored'] > 0 and a['scored'] + b['scored'] == a['candidates'], (a, b)"

# kill -9 in the middle, then --resume: equal to the uninterrupted run, finished chunks kept.
"$PRISM" -q score RUN "${opts[@]}" -o R >/dev/null 2>&1 &
pid=$!
for i in $(seq 1 600); do
  n=$(ls R/.score/chunks 2>/dev/null | grep -c '^chunk-.*\.bin$' || true)
  [ "$n" -ge 3 ] && break
  kill -0 $pid 2>/dev/null || break
  sleep 0.05
done
kill -9 $pid 2>/dev/null || true
wait $pid 2>/dev/null || true
[ ! -e R/summary.json ] || { echo "scoring finished before it could be killed"; exit 1; }
if "$PRISM" -q score RUN "${opts[@]}" -o R >/dev/null 2>err.txt; then
  echo "a second run into an unfinished job without --resume should fail"; exit 1
fi
grep -q "pass --resume" err.txt || { cat err.txt; exit 1; }
if "$PRISM" -q score RUN "${opts[@]}" --context-free -o R --resume >/dev/null 2>err.txt; then
  echo "--resume with other options should fail"; exit 1
fi
grep -q "resume: context_free differs from the job" err.txt || { cat err.txt; exit 1; }
"$PRISM" -q score RUN "${opts[@]}" -o R --resume >/dev/null
for f in predictions.tsv.gz predictions.bedpe.gz predictions.interact.bed.gz; do
  cmp -s <(gzip -dc R/$f) <(gzip -dc OUT/$f) || { echo "resumed $f differs"; exit 1; }
done
python3 -c "
import json; s = json.load(open('R/summary.json'))
assert s['chunks']['resumed'] >= 3 and s['scored_this_run'] < s['candidates'], s['chunks']"
[ ! -e R/.score ] || { echo "job state left behind"; exit 1; }

# --top-k-per-promoter / --min-score keep exactly the matching rows of the full output.
"$PRISM" -q score RUN "${opts[@]}" --top-k-per-promoter 3 --min-score 0.1 -o TOP >/dev/null
python3 - <<'PY'
import gzip
full = gzip.open('OUT/predictions.tsv.gz', 'rt').read().splitlines()[1:]
top = gzip.open('TOP/predictions.tsv.gz', 'rt').read().splitlines()[1:]
want = [l for l in full if int(l.split('\t')[10]) <= 3 and float(l.split('\t')[8]) >= 0.1]
assert top == want and 0 < len(top) < len(full), (len(top), len(want), len(full))
PY

# Bad input: a missing contig names the BED line; --skip-missing counts it.
cp SIM/enhancers.bed bad.bed
printf 'chrUn\t10\t20\tlost\n' >> bad.bed
if "$PRISM" -q score RUN "${opts[@]/SIM\/enhancers.bed/bad.bed}" -o BAD 2>err.txt >/dev/null; then
  echo "missing contig accepted"; exit 1
fi
grep -q "bad.bed:601: enhancer lost: contig 'chrUn' is not in" err.txt || { cat err.txt; exit 1; }
"$PRISM" -q score RUN "${opts[@]/SIM\/enhancers.bed/bad.bed}" --skip-missing -o SKIP >/dev/null
python3 -c "
import json; s = json.load(open('SKIP/summary.json'))
assert s['elements']['enhancers']['skipped'] == 1 and s['candidates'] == json.load(open('OUT/summary.json'))['candidates'], s['elements']"
echo "score_genome: ok"
