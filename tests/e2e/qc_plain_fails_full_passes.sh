#!/usr/bin/env bash
# Issue 4, "plain FAIL / full PASS", on a smaller copy of the default simulation (seed 1, shortcuts
# on, 3000/600/600 pairs instead of 8000/1500/3000; same cells, same Bayes gaps):
#   * full  = configs/default.toml (what `prism run` trains)          -> QC PASS (exit 0);
#   * plain = the `default` preset model with every decoupling measure off: no prototype,
#             contrastive, orthogonality or adversarial loss, random sampler, no GC balance, no
#             motif-seeded filters (the model the original run had)      -> QC FAIL (exit 1), for
#             overfitting / generalisation reasons and no other.
# The Bayes train-val gap of this data is 0.21 (AUPR of p_true: train 0.978, val 0.766), over the
# spec's 0.15: the gap rule credits it (run.json data.bayes_aupr, qc.bayes_gap_credit), and both
# verdicts must say so with the numbers.
set -euo pipefail
PRISM=$1
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
here=$(cd "$(dirname "$0")/../.." && pwd)

"$PRISM" -q simulate --preset default --seed 1 --train-pairs 3000 --val-pairs 600 --test-pairs 600 \
  --out "$tmp/sim" >/dev/null
cat > "$tmp/plain.toml" <<'TOML'
name = "plain"
seed = 7
preset = "default"
# The plain model: the default preset's network at its earlier size (32 filters of width 20, 4
# heads) without seeded filters, presence or pair read-outs, GC balance or curriculum changes.
[model]
context_calibration = true
channels = 32
heads = 4
kernel = 20
kmer_table = true
presence_readout = false
presence_cap = false
pair_interaction = false
motif_seed = 0
motif_seed_min_cell_z = 0.0
motif_seed_extend = false
[loss]
contrastive_temperature = 0.1
[curriculum]
warmup_epochs = 1
ramp_epochs = 2
[data]
kind = "sequence"
[components]
prototype = false
contrastive = false
orthogonality = false
adversarial = false
[train]
epochs = 4
batch_size = 64
sampler = "random"
lr = 0.002
weight_decay = 0.01
grad_clip = 1.0
schedule = "cosine"
patience = 4
balance = "none"
balance_bins = 10
balance_max_weight = 10.0
TOML

for name in full plain; do
  cfg="$tmp/plain.toml"
  [ "$name" = full ] && cfg="$here/configs/default.toml"
  "$PRISM" -q train --config "$cfg" --data "$tmp/sim" -o "$tmp/$name" --threads 1 >"$tmp/$name.log" 2>&1 \
    || { cat "$tmp/$name.log"; exit 1; }
  "$PRISM" -q predict "$tmp/$name" --threads 1 >/dev/null 2>&1
  set +e
  "$PRISM" qc "$tmp/$name" --no-ledger --lang en --no-print >"$tmp/$name.qc" 2>&1
  echo $? >"$tmp/$name.rc"
  set -e
done
[ "$(cat "$tmp/full.rc")" = 0 ] || { echo "full model: expected QC PASS (exit 0), got exit $(cat "$tmp/full.rc")"; cat "$tmp/full.qc" "$tmp/full/qc/qc.md"; exit 1; }
[ "$(cat "$tmp/plain.rc")" = 1 ] || { echo "plain model: expected QC FAIL (exit 1), got exit $(cat "$tmp/plain.rc")"; cat "$tmp/plain.qc"; exit 1; }

python3 - "$tmp" <<'PY'
import json, sys
tmp = sys.argv[1]
def qc(name):
    return json.load(open(f"{tmp}/{name}/qc/qc.json"))
def gap(q):
    return next(f for f in q["findings"] if f["rule"] == "train_val_gap")

full, plain = qc("full"), qc("plain")
assert full["decision"] == "PASS", full["decision"]
fails = [f["rule"] + "/" + f["code"] for f in full["findings"] if f["severity"] == "fail"]
assert not fails, f"full model has failing findings: {fails}"
g = gap(full)
# The Bayes gap is recorded and credited; what is left is the model's own overfitting.
assert g["code"] == "ok" and 0.15 < g["values"]["bayes_gap"] < 0.3, g
assert g["values"]["excess_gap"] <= 0.15, g
assert "Bayes gap" in g["message_en"], g["message_en"]

# "All positive at the decision threshold" on the unseen cells is what a model without any signal
# there shows: a generalisation failure too.
fails = sorted({f["rule"] + ("@" + f["values"]["split"] if f["rule"] == "mode_collapse" else "")
                for f in plain["findings"] if f["severity"] == "fail"})
generalisation = {"train_val_gap", "overfitting", "val_decline", "learning_efficiency",
                  "mode_collapse@val", "mode_collapse@test"}
assert plain["decision"] == "FAIL", plain["decision"]
assert fails and set(fails) <= generalisation, f"plain model FAILs for other reasons: {fails}"
g = gap(plain)
assert g["code"] == "gap" and g["values"]["excess_gap"] > 0.15, g
print("full: PASS (gap %.3f, Bayes %.3f, beyond it %.3f); plain: FAIL for %s (gap %.3f, beyond the Bayes gap %.3f)"
      % (gap(full)["values"]["max_gap"], gap(full)["values"]["bayes_gap"], gap(full)["values"]["excess_gap"],
         ", ".join(fails), g["values"]["max_gap"], g["values"]["excess_gap"]))
PY
