#!/usr/bin/env bash
# The locus view (prism report SCORE_OUT --locus GENE) in a real headless Chromium: the DOM holds
# the arcs SVG with one arc per candidate of the gene and the table; a screenshot is a PNG.
# The score output is a small hand-written predictions.tsv.gz (the format of docs/score.md).
# Exit 77 (skip) when /usr/bin/chromium is missing.
set -euo pipefail
PRISM=$(realpath "${1:?usage: locus_chromium.sh PRISM_BIN}")
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
[[ -x "$CHROMIUM" ]] || { echo "skip: $CHROMIUM not found"; exit 77; }
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir "$WORK/out"
python3 - "$WORK/out/predictions.tsv.gz" <<'PY'
import gzip, sys
rows = ['#chrom\tenh_start\tenh_end\tenh_name\tprom_start\tprom_end\tprom_name\tdistance\tscore\tcell_line\trank_in_promoter']
scores = [0.9, 0.1, 0.5, 0.3, 0.7, 0.2, 0.05]
order = sorted(range(len(scores)), key=lambda i: -scores[i])
for i, s in enumerate(scores):
    start = 100000 + (i - 3) * 30000
    d = abs(start + 150 - 100500)
    rows.append('chr8\t%d\t%d\tenh%d\t100000\t101000\tMYC\t%d\t%.6f\tK562\t%d' % (start, start + 300, i, d, s, order.index(i) + 1))
rows.append('chr8\t5000\t5300\tenhX\t9000\t9001\tOTHER\t3850\t0.400000\tK562\t1')
gzip.open(sys.argv[1], 'wt').write('\n'.join(rows) + '\n')
PY
page=$("$PRISM" -q report "$WORK/out" --locus MYC)
[[ "$page" == "$WORK/out/locus-MYC.html" && -s "$page" ]] || { echo "FAIL: no page at $page"; exit 1; }
chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$WORK")" "$@" 2>"$WORK/chromium.log"
}
chrome --dump-dom "file://$page" >"$WORK/dom.html" || { cat "$WORK/chromium.log"; echo "FAIL: dump-dom"; exit 1; }
status=0
grep -q '<svg[^>]*id="locus-arcs"' "$WORK/dom.html" || { echo "FAIL: no locus-arcs svg"; status=1; }
n=$(grep -o '<path class="arc"' "$WORK/dom.html" | wc -l)
[[ "$n" -eq 7 ]] || { echo "FAIL: expected 7 arcs, found $n"; status=1; }
grep -q 'data-score="0.900000"' "$WORK/dom.html" || { echo "FAIL: best arc missing"; status=1; }
grep -q 'id="locus-table"' "$WORK/dom.html" || { echo "FAIL: no table"; status=1; }
! grep -q 'enhX' "$WORK/dom.html" || { echo "FAIL: another gene's enhancer drawn"; status=1; }
chrome --screenshot="$WORK/locus.png" --window-size=1000,700 "file://$page" >/dev/null || { echo "FAIL: screenshot"; exit 1; }
[[ "$(head -c 8 "$WORK/locus.png" | od -An -tx1 | tr -d ' \n')" == "89504e470d0a1a0a" ]] || { echo "FAIL: screenshot is not a PNG"; status=1; }
[[ $status -eq 0 ]] && echo "ok: locus view loads in Chromium with 7 arcs"
exit $status
