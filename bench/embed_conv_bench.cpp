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

// The small presets' first two layers (tiny: 8-dim embedding, 8 filters of width 8; default:
// 16-dim, 10 filters of width 12), plain vs fused, a training step (forward + backward) or a
// scoring forward (no gradient), over batch x length around the vocabulary (4097): the
// measurements behind the rule that chooses the path (prism/embed_conv_choice.h).
void BM_EmbedConvSmall(benchmark::State& state) {
  const bool is_default = state.range(0) != 0;
  const int64_t batch = state.range(1), len = state.range(2);
  const bool fused = state.range(3) != 0, training = state.range(4) != 0;
  const int64_t dim = is_default ? 16 : 8, channels = is_default ? 10 : 8,
                kernel = is_default ? 12 : 8;
  torch::manual_seed(0);
  prism::FusedEmbedConv m(prism::FusedEmbedConvOptions(kVocab, dim, channels, kernel));
  m->set_fused(fused);
  const torch::Tensor tokens = torch::randint(1, kVocab, {batch, len}, torch::kLong);
  const torch::Tensor grad = torch::randn({batch, channels, len - kernel + 1});
  auto step = [&] {
    if (training) {
      m->zero_grad();
      m->forward(tokens).backward(grad);
    } else {
      torch::NoGradGuard ng;
      benchmark::DoNotOptimize(m->forward(tokens).data_ptr<float>());
    }
  };
  step();  // warm-up
  for (auto _ : state) step();
  state.counters["BxL"] = static_cast<double>(batch * len);
}
BENCHMARK(BM_EmbedConvSmall)
    ->ArgNames({"default", "B", "L", "fused", "train"})
    ->ArgsProduct({{0, 1}, {1, 4, 16, 64, 256}, {295, 495}, {0, 1}, {0, 1}})
    ->Unit(benchmark::kMillisecond)
    ->MinTime(0.2)
    ->MeasureProcessCPUTime()
    ->UseRealTime();

}  // namespace

int main(int argc, char** argv) { return prism::bench::RunBenchMain(argc, argv); }
