#!/usr/bin/env bash
# Runs bench/gemm_bench (fp32 torch::mm GFLOP/s) under each BLAS kernel choice and prints one
# markdown table: OpenBLAS's own detection (on some VMs it falls back to Prescott; on the one
# measured here it finds Cooperlake), forced Prescott (the slow case prism's choice avoids),
# OPENBLAS_CORETYPE=Haswell, =SkylakeX, prism's automatic choice, and Debian's reference BLAS.
# Usage: bash bench/blas_compare.sh [BUILD_DIR] [extra gemm_bench args]
set -euo pipefail
build=${1:-build}
shift || true
bench="$build/bench/gemm_bench"
[ -x "$bench" ] || { echo "blas_compare: $bench not built (cmake --build $build --target gemm_bench)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

run() {  # NAME ENV...
  local name=$1; shift
  echo "[blas_compare] $name" >&2
  env -u OPENBLAS_CORETYPE -u PRISM_BLAS_CORETYPE "$@" "$bench" --benchmark_format=json \
      --benchmark_out="$tmp/$name.json" --benchmark_out_format=json "${extra[@]}" >/dev/null
}
extra=(--benchmark_repetitions=3 --benchmark_report_aggregates_only=true "$@")
run openblas-autodetect PRISM_BLAS_CORETYPE=none
run Prescott-forced OPENBLAS_CORETYPE=Prescott PRISM_BLAS_CORETYPE=none
run Haswell OPENBLAS_CORETYPE=Haswell
run SkylakeX OPENBLAS_CORETYPE=SkylakeX
run prism-auto
ref=/usr/lib/x86_64-linux-gnu/blas/libblas.so.3
if [ -e "$ref" ]; then
  # Put the reference libblas.so.3 first in the search path; OpenBLAS stays mapped for LAPACK.
  extra=("$@" --benchmark_min_time=0.01)
  run reference-blas LD_LIBRARY_PATH="$(dirname "$ref")" PRISM_BLAS_CORETYPE=none
fi

echo "machine load (1/5/15 min): $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$tmp" <<'PY'
import json, os, sys
tmp = sys.argv[1]
order = ["openblas-autodetect", "Prescott-forced", "Haswell", "SkylakeX", "prism-auto", "reference-blas"]
families = {"BM_TorchGemm": "GFLOP/s per wall-clock second",
            "BM_TorchGemmPerCoreSecond": "GFLOP/s per process CPU-second (robust to other load)"}
rows = []
cols = {f: [] for f in families}
for name in order:
    p = os.path.join(tmp, name + ".json")
    if not os.path.exists(p):
        continue
    d = json.load(open(p))
    ctx = d["context"]
    vals = {f: {} for f in families}
    for b in d["benchmarks"]:
        # median of the repetitions when repeated, else the single run
        if b.get("run_type") == "aggregate" and b.get("aggregate_name") != "median":
            continue
        fam, _, rest = b["run_name"].partition("/")
        if fam not in families:
            continue
        key = "/".join(k for k in rest.split("/")
                       if not k.startswith(("min_time", "real_time", "process_time")))
        if b.get("run_type") == "iteration" and key in vals[fam]:
            continue
        vals[fam][key] = b["GFLOPS"]
        if key not in cols[fam]:
            cols[fam].append(key)
    rows.append((name, ctx.get("blas_core_type", "-"), ctx.get("blas", ""), vals))
for fam, title in families.items():
    print(f"\n{title} (fp32 torch::mm, n x n x n; median of 3 repetitions, reference BLAS: 1 run)\n")
    print("| BLAS choice | core type in use | " + " | ".join(cols[fam]) + " |")
    print("|---|---|" + "---|" * len(cols[fam]))
    for name, core, blas, vals in rows:
        print(f"| {name} | {core} | " +
              " | ".join(f"{vals[fam].get(c, float('nan')):.1f}" for c in cols[fam]) + " |")
print("\nlibraries:")
for name, core, blas, vals in rows:
    print(f"- {name}: {blas}")
base = next((r for r in rows if r[0] == "openblas-autodetect"), None)
best = next((r for r in rows if r[0] == "prism-auto"), None)
ref = next((r for r in rows if r[0] == "reference-blas"), None)
for fam in families:
    for key in ("n:2048/threads:1", "n:2048/threads:2"):
        if base and best and key in base[3][fam] and key in best[3][fam]:
            line = f"{fam} {key}: prism-auto / openblas-autodetect = {best[3][fam][key] / base[3][fam][key]:.2f}x"
            if ref and key in ref[3][fam]:
                line += f", prism-auto / reference = {best[3][fam][key] / ref[3][fam][key]:.1f}x"
            print(line)
PY
