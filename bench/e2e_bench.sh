#!/usr/bin/env bash
# End-to-end speed of `prism train` and `prism predict` on simulations, at the `default` and
# `paper` model presets. Writes OUT_DIR/e2e.md (a Markdown table) and OUT_DIR/e2e.json.
#
#   bash bench/e2e_bench.sh PRISM_BIN OUT_DIR
#
# default: the default simulation (8000 train pairs of 500 bp), configs/default.toml, 1 epoch.
# paper:   a simulation of 1 kb enhancers / 4 kb promoters (192 train pairs, 32 test pairs, no
#          validation split), the paper preset with batch 64, stopped after E2E_PAPER_STEPS
#          (default 3) optimiser steps: `paper` as configured (model.fused_embed_conv = "auto",
#          which resolves to the fused table here) and `paper-plain`, the same run on the plain
#          embedding + convolution (fused_embed_conv = false); the ratio of their training
#          samples/s is the speed-up "auto" gives by default.
# Figures come from the run folder: samples/s, FLOPs/sample, MFU, data-wait fraction from
# train_log.jsonl; BLAS and GEMM peak from run.json; prediction pairs/s from
# metrics/test.json (scoring time); peak RSS from /usr/bin/time -f %M.
set -euo pipefail
prism=$(readlink -f "$1")
out=$(mkdir -p "$2" && readlink -f "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
paper_steps=${E2E_PAPER_STEPS:-3}
timer=/usr/bin/time
[ -x "$timer" ] || { echo "e2e_bench: needs /usr/bin/time (apt-get install time)" >&2; exit 1; }

log() { echo "[e2e_bench $(date -u +%H:%M:%S)] $*" >&2; }

# ---- default ---------------------------------------------------------------------------------
rm -rf "$out/sim-default" "$out/run-default" "$out/sim-paper" "$out/run-paper"
log "simulate default"
"$prism" simulate --preset default -o "$out/sim-default" > /dev/null
log "train default (1 epoch)"
"$timer" -f %M -o "$out/default-train.rss" "$prism" train -c "$here/configs/default.toml" \
  --data "$out/sim-default" --epochs 1 -o "$out/run-default" > "$out/default-train.log" 2>&1
log "predict default"
"$timer" -f %M -o "$out/default-predict.rss" "$prism" predict "$out/run-default" \
  > "$out/default-predict.log" 2>&1

# ---- paper -----------------------------------------------------------------------------------
log "simulate paper-size sequences"
"$prism" simulate --preset default --enhancer-length 1000 --promoter-length 4000 \
  --train-pairs 192 --val-cells 0 --test-pairs 32 -o "$out/sim-paper" > /dev/null
cat > "$out/paper.toml" <<'TOML'
# e2e_bench: the paper preset with every component on, batch 64 of 1 kb + 4 kb pairs
name = "paper-bench"
seed = 7
preset = "paper"
[data]
kind = "sequence"
max_enhancer = 1000
max_promoter = 4000
[loss]
contrastive_temperature = 0.2
[curriculum]
warmup_epochs = 0
ramp_epochs = 1
[train]
epochs = 1
batch_size = 64
sampler = "contrastive"
eval_batch_size = 64
patience = 0
TOML
log "train paper ($paper_steps steps)"
"$timer" -f %M -o "$out/paper-train.rss" "$prism" train -c "$out/paper.toml" \
  --data "$out/sim-paper" --max-steps "$paper_steps" -o "$out/run-paper" \
  > "$out/paper-train.log" 2>&1
log "predict paper"
"$timer" -f %M -o "$out/paper-predict.rss" "$prism" predict "$out/run-paper" \
  > "$out/paper-predict.log" 2>&1
# The same model and steps on the plain embedding + convolution (model.fused_embed_conv = false).
sed 's/^name = "paper-bench"/name = "paper-plain-bench"/' "$out/paper.toml" > "$out/paper-plain.toml"
printf '[model]\nfused_embed_conv = false\n' >> "$out/paper-plain.toml"
rm -rf "$out/run-paper-plain"
log "train paper, plain embedding-convolution ($paper_steps steps)"
"$timer" -f %M -o "$out/paper-plain-train.rss" "$prism" train -c "$out/paper-plain.toml" \
  --data "$out/sim-paper" --max-steps "$paper_steps" -o "$out/run-paper-plain" \
  > "$out/paper-plain-train.log" 2>&1
log "predict paper, plain"
"$timer" -f %M -o "$out/paper-plain-predict.rss" "$prism" predict "$out/run-paper-plain" \
  > "$out/paper-plain-predict.log" 2>&1

# ---- table -----------------------------------------------------------------------------------
python3 - "$out" "$paper_steps" <<'PY'
import json, os, sys
out, steps = sys.argv[1], sys.argv[2]
def last_epoch(run):
    lines = [l for l in open(os.path.join(out, run, "train_log.jsonl")) if l.strip()]
    return json.loads(lines[-1])
def rss(name):  # /usr/bin/time -f %M: KiB (last line; earlier lines may be the command's status)
    return int(open(os.path.join(out, name)).read().strip().splitlines()[-1]) / 1024.0
rows, js = [], {}
for preset, desc in (("default", "default sim (8000 × 500 bp pairs), 1 epoch"),
                     ("paper", f"1 kb + 4 kb pairs, batch 64, {steps} steps, as configured"),
                     ("paper-plain", f"same as paper, fused_embed_conv = false, {steps} steps")):
    run = f"run-{preset}"
    e = last_epoch(run)
    r = json.load(open(os.path.join(out, run, "run.json")))
    m = json.load(open(os.path.join(out, run, "metrics", "test.json")))
    blas = r.get("blas", {})
    d = {
        "workload": desc,
        "train_samples_per_s": e.get("samples_per_s"),
        "flops_per_sample": e.get("flops_per_sample"),
        "achieved_gflops": e.get("achieved_gflops"),
        "mfu": e.get("mfu"),
        "data_wait_fraction": e.get("data_wait_fraction"),
        "gemm_peak_gflops": r.get("gemm_peak_gflops"),
        "predict_pairs_per_s": m.get("speed", {}).get("pairs_per_s"),
        "train_peak_rss_mib": rss(f"{preset}-train.rss"),
        "predict_peak_rss_mib": rss(f"{preset}-predict.rss"),
        "threads": r.get("threads"),
        "blas": f'{blas.get("vendor", blas.get("library"))} {blas.get("core_type")} ({blas.get("source")})',
        "parameters": r.get("parameters"),
        "embed_conv": "fused" if (r.get("embed_conv") or {}).get("fused") else "plain",
    }
    js[preset] = d
    def f(x, fmt):
        return "-" if x is None else format(x, fmt)
    rows.append(f"| {preset} | {desc} | {d['embed_conv']} | {d['parameters']:,} | {f(d['train_samples_per_s'], '.2f')} | "
                f"{f(d['flops_per_sample'] / 1e9 if d['flops_per_sample'] else None, '.3f')} | "
                f"{f(d['achieved_gflops'], '.1f')} | {f(d['gemm_peak_gflops'], '.1f')} | "
                f"{f(d['mfu'] * 100 if d['mfu'] is not None else None, '.1f')} % | "
                f"{f(d['data_wait_fraction'] * 100 if d['data_wait_fraction'] is not None else None, '.2f')} % | "
                f"{f(d['predict_pairs_per_s'], '.1f')} | {d['train_peak_rss_mib']:.0f} / {d['predict_peak_rss_mib']:.0f} | "
                f"{d['threads']} | {d['blas']} |")
md = ["| preset | workload | embedding-conv | parameters | train samples/s | GFLOP/sample (train step) | achieved GFLOP/s | "
      "GEMM peak GFLOP/s (run start) | MFU | data wait | predict pairs/s | peak RSS MiB train / predict | "
      "threads | BLAS (core type, source) |",
      "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|"] + rows
sp = js["paper"]["train_samples_per_s"] / js["paper-plain"]["train_samples_per_s"]
js["paper_default_vs_plain_training_speedup"] = sp
md.append("")
md.append(f"`paper` as configured (embedding-conv: {js['paper']['embed_conv']}) trains at {sp:.2f}x "
          "the plain path's samples/s (same model, data and steps; MFU counts the plain path's "
          "model FLOPs).")
open(os.path.join(out, "e2e.md"), "w").write("\n".join(md) + "\n")
json.dump(js, open(os.path.join(out, "e2e.json"), "w"), indent=2)
print("\n".join(md))
PY
