// Machine-peak probe: fp32 GEMM GFLOP/s through LibTorch (torch::mm -> system BLAS) at
// 512/1024/2048 with 1 and 2 threads, per wall-clock second and per process CPU-second. The BLAS in use (library, OpenBLAS core type, how it was
// chosen) is printed in the benchmark context. Run under different OPENBLAS_CORETYPE values with
// bench/blas_compare.sh.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "bench_main.h"
#include "prism/blas.h"

namespace {

void BM_TorchGemm(benchmark::State& state) {
  const int64_t n = state.range(0);
  const int threads = static_cast<int>(state.range(1));
  at::set_num_threads(threads);
  prism::SetBlasThreads(threads);
  torch::manual_seed(0);
  const torch::Tensor a = torch::randn({n, n});
  const torch::Tensor b = torch::randn({n, n});
  torch::Tensor c = torch::empty({n, n});
  torch::mm_out(c, a, b);  // warm-up (thread pool start, page faults)
  for (auto _ : state) {
    torch::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr<float>());
    benchmark::ClobberMemory();
  }
  state.counters["GFLOPS"] = benchmark::Counter(2.0 * n * n * n / 1e9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["threads"] = threads;
}
// Wall-clock rate: what a run gets on this machine as loaded right now.
BENCHMARK(BM_TorchGemm)
    ->ArgNames({"n", "threads"})
    ->ArgsProduct({{512, 1024, 2048}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.3)
    ->UseRealTime();
// Rate per CPU-second of the whole process (all BLAS threads): robust to other processes
// competing for the cores (a shared 2-core VM); at threads:1 it is the single-core peak.
BENCHMARK(BM_TorchGemm)
    ->Name("BM_TorchGemmPerCoreSecond")
    ->ArgNames({"n", "threads"})
    ->ArgsProduct({{512, 1024, 2048}, {1, 2}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.3)
    ->MeasureProcessCPUTime();

}  // namespace

int main(int argc, char** argv) { return prism::bench::RunBenchMain(argc, argv); }
