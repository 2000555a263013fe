// prism/compute_threads.h - one knob for the number of compute threads (LibTorch + BLAS), and
// a quick probe of the GEMM peak those threads reach (the denominator of model FLOP utilisation).
#pragma once

#include <cstdint>

namespace prism {

/// The one thread resolver: n > 0 is n, else all cores (at least 1).
int ResolveThreads(int n);

/// Sets LibTorch's intra-op threads and OpenBLAS's threads to `n`; n <= 0 means all cores.
/// Returns the number applied.
int SetComputeThreads(int n);

/// The number of compute threads LibTorch uses now.
int ComputeThreads();

/// Measures fp32 GEMM FLOP/s through LibTorch (torch::mm of n x n matrices, repeated for at
/// least `min_seconds` after one warm-up) with the current threads. On a shared machine this is
/// what the run can get now; bench/gemm_bench gives the careful figure.
double MeasureGemmFlops(int64_t n = 1024, double min_seconds = 0.2);

}  // namespace prism
