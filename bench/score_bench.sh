#!/usr/bin/env bash
# prism score at scale: pairs/s at the model presets, the share of the scoring time spent
# fetching sequences, and peak memory (max RSS) as the number of candidates grows - memory should
# stay flat.
#   bash bench/score_bench.sh PRISM [--threads T] [--sizes "10000 100000 1000000"]
#        [--speed-presets "default paper"] [--md OUT.md] [--json OUT.json]
# Elements: the `default` simulation's genome (prism simulate --genome: 12,500 enhancers and
# promoters of 500 bp on 7 chromosomes, 65 Mb); for each size N the largest centre-distance
# window holding at most N candidates is found from the BED files, and the whole set is scored
# (one cell line, --no-calibration, default chunk size and context sample).
# Models, each trained for one epoch on a small tiny simulation (speed does not depend on the
# weights): for speed, each preset of --speed-presets as configured (`preset = NAME`, so the
# embedding-convolution path is the one model.fused_embed_conv = "auto" picks), scored at the
# first size; for memory, the `default` preset's model at every size (what could grow with the
# candidates is the job's bookkeeping, not the model).
# Prints a Markdown table (and writes it to --md); --json: the figures.
set -euo pipefail
PRISM=$(realpath "${1:?usage: score_bench.sh PRISM [--threads T] [--sizes LIST] [--speed-presets LIST] [--md F] [--json F]}")
shift
threads=2 sizes="10000 100000 1000000" presets="default paper" md="" json=""
while [[ $# -gt 0 ]]; do
  case $1 in
    --threads) threads=$2; shift 2 ;;
    --sizes) sizes=$2; shift 2 ;;
    --speed-presets) presets=$2; shift 2 ;;
    --md) md=$(realpath -m "$2"); shift 2 ;;
    --json) json=$(realpath -m "$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ -x /usr/bin/time ] || { echo "score_bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }
log() { echo "[score_bench $(date -u +%H:%M:%S)] $*" >&2; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cd "$WORK"
log "simulate the genome and a small training set"
"$PRISM" -q simulate --preset default --genome -o G >/dev/null
"$PRISM" -q simulate --preset tiny --train-pairs 96 --val-pairs 32 --test-pairs 32 -o T >/dev/null
train() {  # NAME TOML-BODY
  printf 'name = "bench-%s"\n%s\n[train]\nepochs = 1\n' "$1" "$2" > "$1.toml"
  log "train $1 (1 epoch)"
  "$PRISM" -q train --config "$1.toml" --data T -o "run-$1" --threads "$threads" >/dev/null
}
for p in $presets; do train "$p" "preset = \"$p\""; done
[[ " $presets " == *" default "* ]] || train default 'preset = "default"'
ln -s run-default run-memory

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

run() {  # MODEL WINDOW OUT -> one JSON line of figures
  log "score with $1, window $2 bp"
  /usr/bin/time -v "$PRISM" -q score "run-$1" --genome G/genome.fa --enhancers G/enhancers.bed \
      --promoters G/promoters.bed --max-distance "$2" --threads "$threads" --no-calibration \
      -o "$3" >/dev/null 2>"$3.time"
  python3 - "$1" "$2" "$3" "run-$1" <<'PY'
import json, re, sys
model, window, out, run = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
s = json.load(open(out + '/summary.json'))
rss = int(re.search(r'Maximum resident set size \(kbytes\): (\d+)', open(out + '.time').read()).group(1))
r = json.load(open(run + '/run.json'))
print(json.dumps({"model": model, "candidates": s['candidates'], "window_bp": window,
                  "pairs_per_s": s['pairs_per_s'], "fetch_share": s['time']['fetch_share'],
                  "max_rss_mb": rss / 1024, "seconds": s['seconds'],
                  "context_seconds": s['time']['context'], "parameters": r.get('parameters')}))
PY
}

: > results.jsonl
first=1
for n in $sizes; do
  read -r w c < <(window_for "$n")
  models="memory"
  [[ $first == 1 ]] && models="$presets memory"
  for m in $models; do
    run "$m" "$w" "out-$m-$n" >> results.jsonl
    rm -rf "out-$m-$n"
  done
  first=0
done

python3 - results.jsonl "$threads" "$md" "$json" <<'PY'
import json, os, sys, time
rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
threads, md_path, json_path = sys.argv[2], sys.argv[3], sys.argv[4]
lines = ["| model | parameters | candidates | window (bp) | pairs/s | fetch share | max RSS (MB) | seconds (context) |",
         "| --- | --- | --- | --- | --- | --- | --- | --- |"]
for r in rows:
    name = r['model'] if r['model'] != 'memory' else 'default (memory series)'
    lines.append(f"| {name} | {r['parameters']:,} | {r['candidates']:,} | {r['window_bp']:,} | {r['pairs_per_s']:.0f} | "
                 f"{100 * r['fetch_share']:.2f} % | {r['max_rss_mb']:.0f} | {r['seconds']:.1f} ({r['context_seconds']:.1f}) |")
mem = [r for r in rows if r['model'] == 'memory']
lines.append("")
lines.append(f"threads {threads}; {os.cpu_count()} cores; {time.strftime('%Y-%m-%dT%H:%MZ', time.gmtime())}")
text = "\n".join(lines) + "\n"
print(text, end="")
if md_path:
    open(md_path, "w").write(text)
if json_path:
    json.dump({"rows": rows, "threads": int(threads),
               "memory_rss_mb": {str(r['candidates']): r['max_rss_mb'] for r in mem}},
              open(json_path, "w"), indent=2)
PY
