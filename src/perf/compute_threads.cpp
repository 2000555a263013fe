// perf/compute_threads.cpp - the compute threads of LibTorch and BLAS (see compute_threads.h).
#include "prism/compute_threads.h"

#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <thread>

#include "prism/blas.h"

namespace prism {

int ResolveThreads(int n) {
  if (n > 0) return n;
  const unsigned hw = std::thread::hardware_concurrency();
  return hw ? static_cast<int>(hw) : 1;
}

int SetComputeThreads(int n) {
  n = ResolveThreads(n);
  at::set_num_threads(n);
  SetBlasThreads(n);
  return n;
}

int ComputeThreads() { return at::get_num_threads(); }

double MeasureGemmFlops(int64_t n, double min_seconds) {
  torch::NoGradGuard no_grad;
  const torch::Tensor a = torch::randn({n, n});
  const torch::Tensor b = torch::randn({n, n});
  torch::Tensor c = torch::empty({n, n});
  torch::mm_out(c, a, b);  // warm-up: thread pools, page faults
  const auto start = std::chrono::steady_clock::now();
  double seconds = 0;
  int64_t reps = 0;
  do {
    torch::mm_out(c, a, b);
    ++reps;
    seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  } while (seconds < min_seconds);
  return 2.0 * n * n * n * reps / seconds;
}

}  // namespace prism
