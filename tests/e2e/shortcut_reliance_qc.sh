#!/usr/bin/env bash
# Issue 14, "Done when": the shortcut-reliance QC rule FAILs a model trained with the defence off
# on a shortcut setting and passes one trained with the defence (docs/qc.md, rule
# shortcut_reliance; prism/shortcut_reliance.h).
#
# Data: `prism simulate --preset transfer-tiny --seed 2` (a shortcut 8-mer per training cell line
# in 60% of its positive enhancers, 5% of its negatives). Both models are scored by
# `prism predict` on that simulation's unseen test cell lines, against the cell-specific k-mers
# its audit finds in the training cell lines; `prism qc` judges shortcut_reliance.json.
#   * defence off: OFF_CONFIG trained on the shortcut simulation   -> shortcut_reliance/relies (FAIL)
#   * defence on:  ON_CONFIG trained on ON_DATA                     -> shortcut_reliance/within
# The defence is the shortcut mask (data.shortcut_mask_per_cell, prism/shortcut_mask.h; on in
# every sequence preset): "on" = the tiny model as configured, "off" = the same with
# shortcut_mask_per_cell = 0, both trained on the shortcut simulation. The pair can be pointed
# elsewhere:
#   RELIANCE_OFF_CONFIG, RELIANCE_ON_CONFIG  training configs
#   RELIANCE_ON_DATA     "shortcuts" (default) or "no-shortcuts" (the same simulation made with
#                        --no-shortcuts: a model that never saw the k-mers, a reference point)
#   RELIANCE_CHECKPOINT  checkpoint predict scores (default "last": the model after all epochs;
#                        the validation-chosen one can stop before the shortcut is learned)
# The defence-off run also goes through `prism reflect` (hypothesis shortcut_reliance) and
# `prism report` (the reliance table).
# Usage: bash shortcut_reliance_qc.sh PRISM_BIN [SHARED_DATA_DIR]
set -euo pipefail
PRISM=${1:?usage: shortcut_reliance_qc.sh PRISM_BIN [SHARED_DATA_DIR]}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
SEED=2
CHECKPOINT=${RELIANCE_CHECKPOINT:-last}
ON_DATA=${RELIANCE_ON_DATA:-shortcuts}

# The tiny model, long enough to pick up what the training data offers (the 3-epoch tiny
# preset barely moves on transfer-tiny).
cat > "$TMP/model.toml" <<'TOML'
name = "reliance"
preset = "tiny"
seed = 7
[train]
epochs = 8
lr = 0.005
patience = 0
TOML
# Defence off: the same model without the shortcut mask.
sed 's/^name = "reliance"/name = "reliance-no-mask"/' "$TMP/model.toml" > "$TMP/model_off.toml"
printf '[data]\nshortcut_mask_per_cell = 0\n' >> "$TMP/model_off.toml"
OFF_CONFIG=${RELIANCE_OFF_CONFIG:-$TMP/model_off.toml}
ON_CONFIG=${RELIANCE_ON_CONFIG:-$TMP/model.toml}

"$PRISM" -q simulate --preset transfer-tiny --seed $SEED --out "$TMP/sim" > /dev/null
case "$ON_DATA" in
  no-shortcuts)
    "$PRISM" -q simulate --preset transfer-tiny --seed $SEED --no-shortcuts --out "$TMP/sim_on" > /dev/null
    ON_TRAIN_DATA="$TMP/sim_on" ;;
  shortcuts) ON_TRAIN_DATA="$TMP/sim" ;;
  *) fail "RELIANCE_ON_DATA must be no-shortcuts or shortcuts, got '$ON_DATA'" ;;
esac

# The two trainings in parallel (one thread each).
"$PRISM" -q train --config "$OFF_CONFIG" --data "$TMP/sim" -o "$TMP/off" --threads 1 \
  > "$TMP/off.log" 2>&1 &
off_pid=$!
"$PRISM" -q train --config "$ON_CONFIG" --data "$ON_TRAIN_DATA" -o "$TMP/on" --threads 1 \
  > "$TMP/on.log" 2>&1 || { cat "$TMP/on.log" >&2; fail "training (defence on) failed"; }
wait $off_pid || { cat "$TMP/off.log" >&2; fail "training (defence off) failed"; }

for which in off on; do
  "$PRISM" -q predict "$TMP/$which" --data "$TMP/sim" --checkpoint "$CHECKPOINT" --threads 1 \
    > /dev/null || fail "predict ($which) failed"
  [ -f "$TMP/$which/shortcut_reliance.json" ] || fail "predict wrote no shortcut_reliance.json ($which)"
  set +e
  "$PRISM" -q qc "$TMP/$which" --lang en --no-ledger --no-rollback --no-print
  rc=$?
  set -e
  [ $rc -le 1 ] || fail "qc ($which) could not read the run (exit $rc)"
done

python3 - "$TMP" <<'PY' || fail "shortcut_reliance verdicts"
import json, sys
tmp = sys.argv[1]
sim = json.load(open(f"{tmp}/sim/simulation.json"))
rc = lambda s: s[::-1].translate(str.maketrans("ACGT", "TGCA"))
planted = {c["name"]: c["shortcut_kmer"] for c in sim["cells"] if c["split"] == "train"}
def finding(which):
    qc = json.load(open(f"{tmp}/{which}/qc/qc.json"))
    found = [f for f in qc["findings"] if f["rule"] == "shortcut_reliance"]
    assert len(found) == 1, (which, found)
    return found[0]
for which in ("off", "on"):
    rel = json.load(open(f"{tmp}/{which}/shortcut_reliance.json"))
    # The measurement tested each training cell line's planted k-mer (read only now).
    tested = {(k["cell_line"], k["kmer"]) for k in rel["kmers"]}
    for cell, k in planted.items():
        assert (cell, k) in tested or (cell, rc(k)) in tested, (which, cell, k, tested)
    o = rel["overall"]
    print(f"{which}: excess max {o['excess_max']:.4f} mean {o['excess_mean']:.4f}, insert "
          f"{o['insert_mean']:.4f} (control {o['control_insert_mean']:.4f}), remove "
          f"{o['remove_mean']:.4f}")
off, on = finding("off"), finding("on")
assert off["code"] == "relies" and off["severity"] == "fail", off
assert on["code"] == "within" and on["severity"] == "info", on
print("off:", off["message_en"])
print("on:", on["message_en"])
PY

"$PRISM" -q reflect "$TMP/off" --lang en --no-ledger > /dev/null || fail "reflect failed"
python3 - "$TMP/off/reflect/reflect.json" <<'PY' || fail "no shortcut_reliance hypothesis"
import json, sys
r = json.load(open(sys.argv[1]))
assert any(h["id"] == "shortcut_reliance" for h in r["hypotheses"]), r["hypotheses"]
assert r["shortcut_reliance"]["kmers"], r["shortcut_reliance"]
PY
grep -q "Reliance on cell-specific k-mers" "$TMP/off/reflect/reflect.en.md" || fail "reflect.md section"
"$PRISM" -q report "$TMP/off" > /dev/null || fail "report failed"
grep -q 'id="shortcut-reliance"' "$TMP/off/report.html" || fail "no reliance table in report.html"
echo "shortcut_reliance_qc: OK"
