#!/usr/bin/env bash
# Reruns every benchmark of prism once and rewrites bench/RESULTS.md from that one run:
# the Google Benchmarks (short: repetitions 3, medians), the GEMM peak under each BLAS choice
# (bench/blas_compare.sh), the end-to-end training/prediction figures (bench/e2e_bench.sh) and
# `prism score` at 10^4-10^6 candidates (bench/score_bench.sh).
#
#   bash bench/run_all.sh [BUILD_DIR]      # ~30-40 minutes on a 2-core machine
#
# Env: RUN_ALL_OUT (scratch folder, default a temp dir), RUN_ALL_RESULTS (default
# bench/RESULTS.md), RUN_ALL_SKIP_BUILD=1 (use the binaries as built), RUN_ALL_SCORE_SIZES
# (default "10000 100000 1000000").
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=$(readlink -f "${1:-$here/build}")
out=${RUN_ALL_OUT:-$(mktemp -d /tmp/prism-bench-XXXXXX)}
mkdir -p "$out"
results=${RUN_ALL_RESULTS:-$here/bench/RESULTS.md}
log() { echo "[run_all $(date -u +%H:%M:%S)] $*" >&2; }

benches=(tokenizer_bench parse_bench metric_bench gemm_bench embed_conv_bench gemm_blocks_bench)
[ -f "$here/bench/model_blocks_bench.cpp" ] && benches+=(model_blocks_bench)
if [ "${RUN_ALL_SKIP_BUILD:-0}" != 1 ]; then
  log "building prism_cli ${benches[*]}"
  cmake --build "$build" -j2 --target prism_cli "${benches[@]}" >&2
fi

# The machine, recorded before anything runs.
{
  echo "date_utc=$(date -u +%Y-%m-%dT%H:%M:%SZ)"
  echo "cpu=$(lscpu | sed -n 's/^Model name: *//p' | head -1)"
  echo "cores=$(nproc)"
  echo "load_start=$(cut -d' ' -f1-3 /proc/loadavg)"
  echo "kernel=$(uname -r)"
  echo "commit=$(git -C "$here" rev-parse --short HEAD 2>/dev/null || echo unknown)"
  echo "os=$(. /etc/os-release && echo "$PRETTY_NAME")"
  echo "flags=$(grep -o -w 'avx2\|avx512f\|avx512bw\|avx512vl\|avx512dq\|fma' /proc/cpuinfo | sort -u | tr '\n' ' ')"
} > "$out/machine.txt"
cat "$out/machine.txt" >&2
t_start=$(date +%s)

gb() {  # NAME ARGS...: one Google Benchmark executable -> $out/NAME.json
  local name=$1; shift
  log "$name"
  "$build/bench/$name" --benchmark_out="$out/$name.json" --benchmark_out_format=json "$@" >&2
}
short=(--benchmark_min_time=0.1 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true)
gb tokenizer_bench "${short[@]}"
gb parse_bench "${short[@]}"
gb metric_bench "${short[@]}"
# Heavy: the plain path at batch 4 takes seconds per step; batch 1 and 4 show the trend. The
# small presets' shapes (BM_EmbedConvSmall) are the measurements behind model.fused_embed_conv's
# "auto" rule.
gb embed_conv_bench --benchmark_filter='BM_EmbedConvStep/.*B:(1|4)/|BM_EmbedConvSmall' \
  --benchmark_counters_tabular=true
[ -x "$build/bench/model_blocks_bench" ] && gb model_blocks_bench --benchmark_repetitions=1
# GEMM-bound blocks against the GEMM peak measured in the same process, interleaved (medians of
# 3-5 iterations inside each benchmark; ~1 minute).
gb gemm_blocks_bench --benchmark_counters_tabular=true
# The same at 2 threads with passive OpenMP waiting (for comparison only; see experiments/omp-wait-policy.md).
log "gemm_blocks_bench (OMP_WAIT_POLICY=passive, 2 threads)"
OMP_WAIT_POLICY=passive "$build/bench/gemm_blocks_bench" --benchmark_filter='threads:2' \
  --benchmark_out="$out/gemm_blocks_bench_passive.json" --benchmark_out_format=json \
  --benchmark_counters_tabular=true >&2
log "blas_compare"
bash "$here/bench/blas_compare.sh" "$build" > "$out/blas_compare.md"
log "e2e_bench"
bash "$here/bench/e2e_bench.sh" "$build/prism" "$out/e2e" > /dev/null
log "score_bench"
bash "$here/bench/score_bench.sh" "$build/prism" --sizes "${RUN_ALL_SCORE_SIZES:-10000 100000 1000000}" \
  --md "$out/score.md" --json "$out/score.json" > /dev/null
echo "load_end=$(cut -d' ' -f1-3 /proc/loadavg)" >> "$out/machine.txt"
echo "seconds=$(( $(date +%s) - t_start ))" >> "$out/machine.txt"

log "writing $results"
python3 "$here/bench/write_results.py" "$out" "$results"
log "done ($out)"
