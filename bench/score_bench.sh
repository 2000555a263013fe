#!/usr/bin/env bash
# prism score at scale: pairs/s, the share of the chunk time spent fetching sequences, and peak
# memory (max RSS) as the number of candidates grows - memory should stay flat.
#   bash bench/score_bench.sh PRISM [--threads T] [--sizes "10000 100000 1000000"]
#                                   [--presets "tiny default paper"]
# Elements: the `default` simulation's genome (prism simulate --genome: 12,500 enhancers and
# promoters of 500 bp on 7 chromosomes, 65 Mb); for each size N the largest centre-distance
# window holding at most N candidates is found from the BED files, and the whole set is scored
# (one cell line). Models: for each preset, configs/tiny.toml with `preset` set to it, trained for
# one epoch on a small tiny simulation (speed does not depend on the weights). Memory is measured
# with the tiny model at every size; speed with every preset at the first size.
# Prints a Markdown table (for bench/RESULTS.md).
set -euo pipefail
PRISM=$(realpath "${1:?usage: score_bench.sh PRISM [--threads T] [--sizes LIST] [--presets LIST]}")
shift
threads=2 sizes="10000 100000 1000000" presets="tiny default paper"
while [[ $# -gt 0 ]]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --presets) presets=$2; shift 2 ;;
    *) echo "unknown option $1"; exit 2 ;;
  esac
done
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
"$PRISM" -q simulate --preset default --genome -o G >/dev/null
"$PRISM" -q simulate --preset tiny --train-pairs 96 --val-pairs 32 --test-pairs 32 -o T >/dev/null
for p in $presets; do
  sed -e "s/^preset = .*/preset = \"$p\"/" -e "s/^epochs = .*/epochs = 1/" \
      "$ROOT/configs/tiny.toml" > "$p.toml"
  "$PRISM" -q train --config "$p.toml" --data T -o "run-$p" --threads "$threads" >/dev/null
done

# The largest window with at most N candidates (centre distances from the BED files).
window_for() {
  python3 - "$1" <<'PY'
import bisect, sys
n = int(sys.argv[1])
def bed(p):
    out = {}
    for l in open(p):
        c, s, e = l.split('\t')[:3]
        out.setdefault(c, []).append(int(s) + int(e))
    return {c: sorted(v) for c, v in out.items()}
E, P = bed('G/enhancers.bed'), bed('G/promoters.bed')
def count(w):
    return sum(bisect.bisect_right(E.get(c, []), x + 2 * w) - bisect.bisect_left(E.get(c, []), x - 2 * w)
               for c, xs in P.items() for x in xs)
lo, hi = 0, 10**8
while lo < hi:
    mid = (lo + hi + 1) // 2
    lo, hi = (mid, hi) if count(mid) <= n else (lo, mid - 1)
print(lo, count(lo))
PY
}

run() {  # preset window out -> "candidates pairs/s fetch_share maxrss_mb seconds"
  /usr/bin/time -v "$PRISM" -q score "run-$1" --genome G/genome.fa --enhancers G/enhancers.bed \
      --promoters G/promoters.bed --max-distance "$2" --threads "$threads" --no-calibration \
      -o "$3" >/dev/null 2>"$3.time"
  python3 - "$3" <<'PY'
import json, re, sys
s = json.load(open(sys.argv[1] + '/summary.json'))
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(sys.argv[1] + '.time').read()).group(1))
print(s['candidates'], '%.0f' % s['pairs_per_s'], '%.3f' % s['time']['fetch_share'], '%.0f' % (rss / 1024), '%.1f' % s['seconds'])
PY
}

echo "| model preset | candidates | window (bp) | pairs/s | fetch share | max RSS (MB) | seconds |"
echo "| --- | --- | --- | --- | --- | --- | --- |"
first=1
for n in $sizes; do
  read -r w c < <(window_for "$n")
  for p in $presets; do
    [[ $p == tiny || $first == 1 ]] || continue
    read -r cand rate share rss secs < <(run "$p" "$w" "out-$p-$n")
    echo "| $p | $cand | $w | $rate | $share | $rss | $secs |"
    rm -rf "out-$p-$n"
  done
  first=0
done
echo
echo "threads $threads; $(nproc) cores; $(date -u +%Y-%m-%dT%H:%MZ)"
