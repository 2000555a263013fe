// prism/compute_threads.h - one knob for the number of compute threads (LibTorch + BLAS).
#pragma once

namespace prism {

/// Sets LibTorch's intra-op threads and OpenBLAS's threads to `n`; n <= 0 means all cores.
/// Returns the number applied.
int SetComputeThreads(int n);

/// The number of compute threads LibTorch uses now.
int ComputeThreads();

}  // namespace prism
