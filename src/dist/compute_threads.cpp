#include "prism/compute_threads.h"

#include <algorithm>
#include <thread>

#include "prism/blas.h"

namespace prism {

int SetComputeThreads(int n) {
  if (n <= 0) n = static_cast<int>(std::max(1u, std::thread::hardware_concurrency()));
  at::set_num_threads(n);
  SetBlasThreads(n);
  return n;
}

int ComputeThreads() { return at::get_num_threads(); }

}  // namespace prism
