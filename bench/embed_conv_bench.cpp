// Forward + backward of the first two layers at the `paper` preset (4097 x 768 embedding, then a
// 768 -> 64, k = 40 convolution): plain (embedding + conv1d) against the fused table path
// (model/fused_embed_conv.h), same parameters, sequence lengths 3000 and 4000, batch 1/2/4.
// Counter plain_GFLOPS = FLOPs the plain convolution needs (forward + backward) / time, i.e. an
// effective rate; the ratio of the two paths' times is the speed-up. Both wall time ("Time") and
// CPU time of the whole process ("CPU", all threads) are reported: on a shared machine the CPU
// time is the steadier basis for the ratio.
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include "bench_main.h"
#include "embed_conv_step.h"
#include "model/fused_embed_conv.h"

namespace {

constexpr int64_t kVocab = 4097, kDim = 768, kChannels = 64, kKernel = 40;

void BM_EmbedConvStep(benchmark::State& state) {
  const int64_t len = state.range(0), batch = state.range(1);
  const bool fused = state.range(2) != 0;
  auto in = prism::bench::MakeEmbedConvStepInput(fused, batch, len);
  prism::FusedEmbedConv& m = in.module;
  const torch::Tensor &tokens = in.tokens, &grad = in.grad;
  auto step = [&] {
    m->zero_grad();
    torch::Tensor out = m->forward(tokens);
    out.backward(grad);
  };
  step();  // warm-up
  for (auto _ : state) {
    step();
    benchmark::DoNotOptimize(m->conv->weight.grad().data_ptr<float>());
  }
  const double plain_flops = 3.0 * 2.0 * batch * (len - kKernel + 1) * kChannels * kDim * kKernel;
  state.counters["plain_GFLOPS"] = benchmark::Counter(
      plain_flops / 1e9, benchmark::Counter::kIsIterationInvariantRate);
  state.counters["seqs_per_s"] =
      benchmark::Counter(static_cast<double>(batch), benchmark::Counter::kIsIterationInvariantRate);
}
BENCHMARK(BM_EmbedConvStep)
    ->ArgNames({"L", "B", "fused"})
    ->ArgsProduct({{3000, 4000}, {1, 2, 4}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(3)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) { return prism::bench::RunBenchMain(argc, argv); }
