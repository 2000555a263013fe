#!/usr/bin/env bash
# Loads the HTML report of the fixture run in a real headless Chromium and checks that the DOM
# holds every plot; takes a screenshot of the page.
#   bash tests/e2e/report_chromium.sh PRISM_BIN SHARED_DATA_DIR
# Exit 77 (skip) when /usr/bin/chromium is missing. The screenshot goes to a temporary folder;
# with PRISM_UPDATE_SCREENSHOT=1 it replaces docs/report-screenshot.png (the README shows the
# report of a `prism run` instead: chromium --headless --screenshot --window-size=1280,2400).
set -euo pipefail
PRISM=${1:?usage: report_chromium.sh PRISM_BIN [SHARED_DATA_DIR]}
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
if [[ ! -x "$CHROMIUM" ]]; then
  echo "skip: $CHROMIUM not found"
  exit 77
fi

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
cp -r "$ROOT/tests/fixtures/run_small" "$WORK/run"
"$PRISM" -q reflect "$WORK/run" --lang en >/dev/null
REPORT=$("$PRISM" -q report "$WORK/run")
[[ "$REPORT" == "$WORK/run/report.html" && -s "$REPORT" ]] || { echo "FAIL: no report at $REPORT"; exit 1; }

chrome() {
  timeout 120 "$CHROMIUM" --headless --no-sandbox --disable-gpu --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$(mktemp -d -p "$WORK")" "$@" 2>"$WORK/chromium.log"
}

chrome --dump-dom "file://$REPORT" >"$WORK/dom.html" || { cat "$WORK/chromium.log"; echo "FAIL: chromium --dump-dom"; exit 1; }
status=0
for id in plot-training-losses plot-training-aupr plot-pr-roc plot-reliability plot-per-cell-aupr; do
  if ! grep -q "<svg[^>]*id=\"$id\"" "$WORK/dom.html"; then
    echo "FAIL: DOM has no <svg id=\"$id\">"
    status=1
  fi
done
n_svg=$(grep -o '<svg ' "$WORK/dom.html" | wc -l)
n_end=$(grep -o '</svg>' "$WORK/dom.html" | wc -l)
n_title=$(grep -o '<title>' "$WORK/dom.html" | wc -l)
[[ "$n_svg" -eq 5 && "$n_end" -eq 5 ]] || { echo "FAIL: expected 5 svg elements, found $n_svg/$n_end"; status=1; }
[[ "$n_title" -ge 6 ]] || { echo "FAIL: expected a <title> per plot, found $n_title"; status=1; }
grep -q 'id="qc-decision">FAIL<' "$WORK/dom.html" || { echo "FAIL: QC verdict missing"; status=1; }
grep -q 'Cell line K562 lies outside' "$WORK/dom.html" || { echo "FAIL: reflection missing"; status=1; }
grep -q '<polyline' "$WORK/dom.html" || { echo "FAIL: no curves drawn"; status=1; }

SHOT="$WORK/report-screenshot.png"
chrome --screenshot="$SHOT" --window-size=1280,2400 "file://$REPORT" >/dev/null || { cat "$WORK/chromium.log"; echo "FAIL: screenshot"; exit 1; }
if [[ ! -s "$SHOT" ]] || [[ "$(head -c 8 "$SHOT" | od -An -tx1 | tr -d ' \n')" != "89504e470d0a1a0a" ]]; then
  echo "FAIL: screenshot is not a PNG"
  status=1
fi
if [[ "${PRISM_UPDATE_SCREENSHOT:-0}" == 1 && $status -eq 0 ]]; then
  cp "$SHOT" "$ROOT/docs/report-screenshot.png"
  echo "updated $ROOT/docs/report-screenshot.png"
fi
[[ $status -eq 0 ]] && echo "ok: report loads in Chromium with all 5 plots"
exit $status
