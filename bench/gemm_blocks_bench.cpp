// GEMM-bound blocks against the GEMM peak measured in the same process, interleaved.
//
// Every iteration runs the peak probe (fp32 torch::mm_out, 2048^3, the same probe as
// gemm_bench) and then the block, back to back, with the same thread count (at::set_num_threads
// and the BLAS's own threads). Both are timed by wall clock and by the CPU time of the whole
// process (all threads). Counters are medians over the iterations of per-iteration values:
//   GFLOPS_wall / GFLOPS_cpu        the block's counted FLOPs per wall / per process-CPU second
//   peak_GFLOPS_wall / _cpu         the peak probe's rate in the same iterations
//   pct_peak_wall / pct_peak_cpu    block rate / peak rate of the same iteration, in %
//   gemm_bound                      1 for blocks dominated by large BLAS GEMMs, 0 otherwise
// Google Benchmark's own "Time" column is the block's wall time per call; its "CPU" column is
// the main thread's CPU time over whole iterations (peak probe included): read the counters.
// On a shared machine the wall figures move with the other load; since peak and block are
// measured in the same seconds, their ratio moves much less. The per-CPU ratio ignores the
// other load (a thread that waits for a core uses no CPU time) but counts idle spinning of the
// thread pools.
//
// Blocks (paper preset shapes: embedding 4097 x 768, conv 768 -> 64 with k = 40, 8 heads of 8,
// batch 4 of a 4 kb sequence, pooled by 20):
//   GEMM-bound (the time goes to three 4097 x 768 x 2560 GEMMs):
//     BM_FusedTableGemms      the three GEMMs of the fused embedding-conv path alone, as that
//                             path issues them (table E.W, grad_E = gT.W^T, grad_W = E^T.gT)
//     BM_FusedEmbedConvStep   one forward + backward of prism::FusedEmbedConv (L 4000, batch 4);
//                             FLOPs = the three GEMMs only (gather/scatter adds not counted)
//   not GEMM-bound in the BLAS sense (reported for reference, labelled gemm_bound = 0):
//     BM_PlainEmbedConvStep   embedding + conv1d through oneDNN (L 4000, batch 1): a direct
//                             convolution, not a BLAS GEMM
//     BM_AttentionProjections q, k, v, o = four Linear(64, 64) on 4 x (150 + 200) pooled rows
//     BM_AttentionProjectionsFusedQkv  the same with q, k, v as one Linear(64, 192) (bench only:
//                             the model keeps separate q/k/v parameters)
//     BM_AttentionCore        Q.K^T, softmax, A.V over 8 heads of width 8 (batched tiny matmuls)
//
//   ./build/bench/gemm_blocks_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <algorithm>
#include <chrono>
#include <ctime>
#include <functional>
#include <vector>

#include "bench_main.h"
#include "embed_conv_step.h"
#include "model/fused_embed_conv.h"
#include "prism/blas.h"
#include "prism/flops.h"

namespace {

constexpr int64_t kVocab = 4097, kDim = 768, kChannels = 64, kKernel = 40, kHeads = 8;
constexpr int64_t kPeakN = 2048;
// Rows of the attention projections at paper: batch 4 x (3 kb + 4 kb pooled by 20).
constexpr int64_t kBatch = 4, kPooledE = 150, kPooledP = 200;

struct Clock {
  double wall, cpu;
};

Clock Now() {
  timespec t;
  clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count();
  return {wall, static_cast<double>(t.tv_sec) + 1e-9 * static_cast<double>(t.tv_nsec)};
}

double Median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  const size_t n = v.size();
  return n % 2 ? v[n / 2] : 0.5 * (v[n / 2 - 1] + v[n / 2]);
}

/// Runs `block` (counted as `flops` per call) interleaved with the 2048^3 peak GEMM and sets
/// the counters. Blocks shorter than ~50 ms are repeated within an iteration so that the
/// timed stretch is comparable to the peak probe's.
void RunAgainstPeak(benchmark::State& state, const std::function<void()>& block, double flops,
                    bool gemm_bound) {
  const int threads = static_cast<int>(state.range(0));
  at::set_num_threads(threads);
  prism::SetBlasThreads(threads);
  torch::manual_seed(1);
  const torch::Tensor a = torch::randn({kPeakN, kPeakN}), b = torch::randn({kPeakN, kPeakN});
  torch::Tensor c = torch::empty({kPeakN, kPeakN});
  const double peak_flops = 2.0 * kPeakN * kPeakN * kPeakN;
  auto peak = [&] {
    torch::mm_out(c, a, b);
    benchmark::DoNotOptimize(c.data_ptr<float>());
  };
  // Warm-up (thread pools, page faults) and the block's repeat count.
  peak();
  block();
  const Clock w0 = Now();
  block();
  const double once = Now().wall - w0.wall;
  const int reps = std::max(1, static_cast<int>(0.05 / std::max(once, 1e-6)));

  std::vector<double> bw, bc, pw, pc, rw, rc;
  for (auto _ : state) {
    const Clock t0 = Now();
    peak();
    const Clock t1 = Now();
    for (int r = 0; r < reps; ++r) block();
    const Clock t2 = Now();
    state.SetIterationTime((t2.wall - t1.wall) / reps);
    const double block_flops = flops * reps;
    pw.push_back(peak_flops / (t1.wall - t0.wall) / 1e9);
    pc.push_back(peak_flops / (t1.cpu - t0.cpu) / 1e9);
    bw.push_back(block_flops / (t2.wall - t1.wall) / 1e9);
    bc.push_back(block_flops / (t2.cpu - t1.cpu) / 1e9);
    rw.push_back(100.0 * bw.back() / pw.back());
    rc.push_back(100.0 * bc.back() / pc.back());
  }
  state.counters["GFLOP"] = flops / 1e9;
  state.counters["GFLOPS_wall"] = Median(bw);
  state.counters["GFLOPS_cpu"] = Median(bc);
  state.counters["peak_GFLOPS_wall"] = Median(pw);
  state.counters["peak_GFLOPS_cpu"] = Median(pc);
  state.counters["pct_peak_wall"] = Median(rw);
  state.counters["pct_peak_cpu"] = Median(rc);
  state.counters["gemm_bound"] = gemm_bound ? 1 : 0;
  state.counters["threads"] = threads;
}

// [C, D, K] -> [D, K*C], as the fused path lays the convolution weight out for its GEMMs.
torch::Tensor WeightAsMatrix(const torch::Tensor& w) {
  return w.permute({1, 2, 0}).reshape({w.size(1), w.size(2) * w.size(0)});
}

void BM_FusedTableGemms(benchmark::State& state) {
  torch::manual_seed(0);
  const torch::Tensor e = torch::randn({kVocab, kDim});
  const torch::Tensor w2 = WeightAsMatrix(torch::randn({kChannels, kDim, kKernel}));
  const torch::Tensor gt = torch::randn({kVocab, kKernel * kChannels});
  RunAgainstPeak(state, [&] {
    const torch::Tensor table = e.mm(w2);           // forward: T = E . W2
    const torch::Tensor grad_e = gt.mm(w2.t());     // backward: grad_E = gT . W2^T
    const torch::Tensor grad_w = e.t().mm(gt);      // backward: grad_W = E^T . gT
    benchmark::DoNotOptimize(table.data_ptr<float>());
    benchmark::DoNotOptimize(grad_e.data_ptr<float>());
    benchmark::DoNotOptimize(grad_w.data_ptr<float>());
  }, 3.0 * prism::FusedEmbedConvTableFlops(kVocab, kDim, kKernel, kChannels), true);
}

void EmbedConvStep(benchmark::State& state, bool fused, int64_t batch, int64_t len) {
  auto in = prism::bench::MakeEmbedConvStepInput(fused, batch, len);
  prism::FusedEmbedConv& m = in.module;
  const torch::Tensor &tokens = in.tokens, &grad = in.grad;
  const double flops =
      fused ? 3.0 * prism::FusedEmbedConvTableFlops(kVocab, kDim, kKernel, kChannels)
            : 3.0 * prism::Conv1dForwardFlops(batch, kDim, kChannels, kKernel, len - kKernel + 1);
  RunAgainstPeak(state, [&] {
    m->zero_grad();
    m->forward(tokens).backward(grad);
    benchmark::DoNotOptimize(m->conv->weight.grad().data_ptr<float>());
  }, flops, fused);
}

void BM_FusedEmbedConvStep(benchmark::State& state) { EmbedConvStep(state, true, 4, 4000); }
void BM_PlainEmbedConvStep(benchmark::State& state) { EmbedConvStep(state, false, 1, 4000); }

void Projections(benchmark::State& state, bool fused_qkv) {
  torch::manual_seed(0);
  const int64_t rows = kBatch * (kPooledE + kPooledP), c = kChannels;
  torch::nn::Linear q(c, c), k(c, c), v(c, c), o(c, c), qkv(c, 3 * c);
  const torch::Tensor x = torch::randn({rows, c}, torch::requires_grad());
  RunAgainstPeak(state, [&] {
    torch::Tensor y;
    if (fused_qkv) {
      const auto parts = qkv(x).chunk(3, 1);
      y = o(parts[0]) + parts[1] + parts[2];
    } else {
      y = o(q(x)) + k(x) + v(x);
    }
    y.sum().backward();
  }, 4.0 * 3.0 * prism::LinearForwardFlops(rows, c, c), false);
}

void BM_AttentionProjections(benchmark::State& state) { Projections(state, false); }
void BM_AttentionProjectionsFusedQkv(benchmark::State& state) { Projections(state, true); }

void BM_AttentionCore(benchmark::State& state) {
  torch::manual_seed(0);
  const int64_t l = kPooledP, dh = kChannels / kHeads;
  auto q = torch::randn({kBatch, kHeads, l, dh}, torch::requires_grad());
  auto k = torch::randn({kBatch, kHeads, l, dh}, torch::requires_grad());
  auto v = torch::randn({kBatch, kHeads, l, dh}, torch::requires_grad());
  RunAgainstPeak(state, [&] {
    auto a = torch::softmax(torch::matmul(q, k.transpose(-2, -1)), -1);
    torch::matmul(a, v).sum().backward();
  }, 3.0 * prism::AttentionForwardFlops(kBatch, kHeads, l, l, dh), false);
}

#define PRISM_AGAINST_PEAK(fn, iters)                                                    \
  BENCHMARK(fn)->ArgName("threads")->Arg(1)->Arg(2)->Iterations(iters)->UseManualTime() \
      ->Unit(benchmark::kMillisecond)
PRISM_AGAINST_PEAK(BM_FusedTableGemms, 5);
PRISM_AGAINST_PEAK(BM_FusedEmbedConvStep, 5);
PRISM_AGAINST_PEAK(BM_PlainEmbedConvStep, 3);
PRISM_AGAINST_PEAK(BM_AttentionProjections, 5);
PRISM_AGAINST_PEAK(BM_AttentionProjectionsFusedQkv, 5);
PRISM_AGAINST_PEAK(BM_AttentionCore, 5);

}  // namespace

int main(int argc, char** argv) { return prism::bench::RunBenchMain(argc, argv); }
