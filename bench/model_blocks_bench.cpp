// One forward + backward of each block of the PRISM network at the `default` and `paper`
// presets (configs/default.toml, configs/paper.toml), with the block's FLOPs (prism/flops.h conventions: matrix products only, 2 per
// multiply-add, training step = 3 x forward) as an achieved GFLOP/s counter to compare with the
// GEMM peak (gemm_bench). Shapes: default = batch 64 of 500 bp pairs (495 tokens), paper =
// batch 4 of a 3 kb enhancer (2995 tokens) and a 4 kb promoter (3995 tokens).
//   ./build/bench/model_blocks_bench --benchmark_counters_tabular=true
#include <benchmark/benchmark.h>
#include <torch/torch.h>

#include <functional>

#include "bench_main.h"
#include "model/model.h"
#include "prism/flops.h"
#include "prism/train.h"
#include "train/model_recipe.h"

namespace {

using prism::model::ModelOptions;

/// The network of a built-in configuration (configs/NAME.toml), 4 training cell lines.
ModelOptions PresetModel(const char* name) {
  return prism::train::ModelOptionsFor(prism::BuiltinTrainConfig(name), 4, 0);
}

struct Shape {
  const char* preset;
  int64_t batch, e_len, p_len;
};
const Shape kShapes[] = {{"default", 64, 495, 495}, {"paper", 4, 2995, 3995}};

int64_t Pooled(int64_t len, int64_t pool) { return (len + pool - 1) / pool; }

double AttentionFlops(int64_t b, int64_t lq, int64_t lk, int64_t c, int64_t h) {
  return 2 * prism::LinearForwardFlops(b * lq, c, c) + 2 * prism::LinearForwardFlops(b * lk, c, c) +
         prism::AttentionForwardFlops(b, h, lq, lk, c / h);
}

torch::Tensor Tokens(int64_t b, int64_t len, int64_t vocab) {
  return torch::randint(1, vocab, {b, len}, torch::kLong);
}

/// Runs `step` (forward + backward) as the benchmark loop and sets the counters.
void Run(benchmark::State& state, const std::function<void()>& step, double forward_flops) {
  step();  // warm-up
  for (auto _ : state) step();
  state.counters["GFLOPS"] = benchmark::Counter(3.0 * forward_flops / 1e9,
                                                benchmark::Counter::kIsIterationInvariantRate);
  state.counters["GFLOP_per_step"] = 3.0 * forward_flops / 1e9;
}

// Embedding + conv1d over the enhancer (the first two layers).
void BM_EmbedConv(benchmark::State& state) {
  const Shape s = kShapes[state.range(0)];
  const ModelOptions o = PresetModel(s.preset);
  torch::manual_seed(0);
  torch::nn::Embedding embed(torch::nn::EmbeddingOptions(o.vocab(), o.embed_dim()).padding_idx(0));
  torch::nn::Conv1d conv(torch::nn::Conv1dOptions(o.embed_dim(), o.channels(), o.kernel()));
  const auto tokens = Tokens(s.batch, s.e_len, o.vocab());
  namespace F = torch::nn::functional;
  Run(state, [&] {
    embed->zero_grad();
    conv->zero_grad();
    auto x = F::pad(embed(tokens).transpose(1, 2), F::PadFuncOptions({0, o.kernel() - 1}));
    conv(x).sum().backward();
  }, prism::Conv1dForwardFlops(s.batch, o.embed_dim(), o.channels(), o.kernel(), s.e_len));
}

// Self-attention (with RoPE) over the pooled enhancer.
void BM_SelfAttention(benchmark::State& state) {
  const Shape s = kShapes[state.range(0)];
  const ModelOptions o = PresetModel(s.preset);
  torch::manual_seed(0);
  prism::model::Attention attn(prism::model::AttentionOptions(o.channels(), o.heads()).rope(true));
  const int64_t l = Pooled(s.e_len, o.pool());
  auto x = torch::randn({s.batch, l, o.channels()}, torch::requires_grad());
  auto mask = torch::ones({s.batch, l}, torch::kBool);
  Run(state, [&] {
    attn->zero_grad();
    attn(x, x, mask).sum().backward();
  }, AttentionFlops(s.batch, l, l, o.channels(), o.heads()));
}

// One whole sequence stream (embed, conv, pool, BN, self-attention) for the enhancer.
void BM_SequenceEncoder(benchmark::State& state) {
  const Shape s = kShapes[state.range(0)];
  const ModelOptions o = PresetModel(s.preset);
  torch::manual_seed(0);
  prism::model::SequenceEncoder enc(o);
  const auto tokens = Tokens(s.batch, s.e_len, o.vocab());
  const auto lens = torch::full({s.batch}, s.e_len, torch::kLong);
  const int64_t l = Pooled(s.e_len, o.pool());
  Run(state, [&] {
    enc->zero_grad();
    enc(tokens, lens).first.sum().backward();
  }, prism::Conv1dForwardFlops(s.batch, o.embed_dim(), o.channels(), o.kernel(), s.e_len) +
         AttentionFlops(s.batch, l, l, o.channels(), o.heads()));
}

// The pair encoder: both streams, cross-attention both ways, pooling, output layer.
void BM_PairEncoder(benchmark::State& state) {
  const Shape s = kShapes[state.range(0)];
  const ModelOptions o = PresetModel(s.preset);
  torch::manual_seed(0);
  prism::model::PairEncoder enc(o);
  const auto et = Tokens(s.batch, s.e_len, o.vocab()), pt = Tokens(s.batch, s.p_len, o.vocab());
  const auto el = torch::full({s.batch}, s.e_len, torch::kLong);
  const auto pl = torch::full({s.batch}, s.p_len, torch::kLong);
  const int64_t le = Pooled(s.e_len, o.pool()), lp = Pooled(s.p_len, o.pool());
  const int64_t c = o.channels(), h = o.heads();
  const double flops =
      prism::Conv1dForwardFlops(s.batch, o.embed_dim(), c, o.kernel(), s.e_len + s.p_len) +
      AttentionFlops(s.batch, le, le, c, h) + AttentionFlops(s.batch, lp, lp, c, h) +
      AttentionFlops(s.batch, le, lp, c, h) + AttentionFlops(s.batch, lp, le, c, h) +
      prism::LinearForwardFlops(s.batch * (le + lp), c, 1) +
      prism::LinearForwardFlops(s.batch, 2 * c, o.hidden());
  Run(state, [&] {
    enc->zero_grad();
    enc(et, el, pt, pl).sum().backward();
  }, flops);
}

// A square Linear at the paper width on every pooled position of a batch: the GEMM-bound
// shape of the attention projections, for comparison with the peak.
void BM_AttentionProjections(benchmark::State& state) {
  const Shape s = kShapes[state.range(0)];
  const ModelOptions o = PresetModel(s.preset);
  torch::manual_seed(0);
  const int64_t rows = s.batch * (Pooled(s.e_len, o.pool()) + Pooled(s.p_len, o.pool()));
  torch::nn::Linear lin(o.channels(), o.channels());
  auto x = torch::randn({rows, o.channels()}, torch::requires_grad());
  Run(state, [&] {
    lin->zero_grad();
    lin(x).sum().backward();
  }, prism::LinearForwardFlops(rows, o.channels(), o.channels()));
}

#define PRISM_BLOCK(fn)                                                                   \
  BENCHMARK(fn)->ArgName("paper")->Arg(0)->Unit(benchmark::kMillisecond) \
      ->MinTime(0.3)->MeasureProcessCPUTime()->UseRealTime();                             \
  BENCHMARK(fn)->ArgName("paper")->Arg(1)->Unit(benchmark::kMillisecond) \
      ->Iterations(2)->MeasureProcessCPUTime()->UseRealTime()
PRISM_BLOCK(BM_EmbedConv);
PRISM_BLOCK(BM_SelfAttention);
PRISM_BLOCK(BM_SequenceEncoder);
PRISM_BLOCK(BM_PairEncoder);
PRISM_BLOCK(BM_AttentionProjections);

}  // namespace

int main(int argc, char** argv) { return prism::bench::RunBenchMain(argc, argv); }
