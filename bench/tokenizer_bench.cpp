// Tokeniser throughput (bytes of sequence per second): single sequence, one thread, all threads.
//   ./build/bench/tokenizer_bench --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <random>
#include <string>
#include <thread>
#include <vector>

#include "prism/tokenizer.h"

namespace {

std::vector<std::string> MakeSequences(size_t count, size_t len) {
  std::mt19937 rng(42);
  std::vector<std::string> out(count, std::string(len, 'A'));
  for (auto& s : out)
    for (auto& c : s) c = (rng() % 200 == 0) ? 'N' : "ACGT"[rng() % 4];
  return out;
}

// One long sequence into a preallocated buffer: the raw kernel.
void BM_TokenizeInto(benchmark::State& state) {
  auto seqs = MakeSequences(1, 1 << 20);
  std::vector<int32_t> out(prism::NumTokens(seqs[0].size()));
  for (auto _ : state) {
    prism::TokenizeInto(seqs[0], out.data());
    benchmark::DoNotOptimize(out.data());
    benchmark::ClobberMemory();
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * seqs[0].size());
}
BENCHMARK(BM_TokenizeInto);

// A padded batch of 512 enhancer-sized sequences (3000 bp), with `threads` workers
// (0 = hardware_concurrency).
void BM_TokenizeBatch(benchmark::State& state) {
  auto owned = MakeSequences(512, 3000);
  std::vector<std::string_view> seqs(owned.begin(), owned.end());
  prism::TokenizeOptions o;
  o.max_len = prism::kDefaultMaxEnhancer;
  o.threads = static_cast<int>(state.range(0));
  for (auto _ : state) {
    prism::TokenBatch b = prism::TokenizeBatch(seqs, o);
    benchmark::DoNotOptimize(b.ids.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 512 * 3000);
  state.counters["threads"] = o.threads ? o.threads : std::thread::hardware_concurrency();
}
BENCHMARK(BM_TokenizeBatch)->Arg(1)->Arg(0)->UseRealTime();

void BM_OneHot(benchmark::State& state) {
  auto seqs = MakeSequences(1, 4000);
  std::vector<float> out(4 * 4000);
  for (auto _ : state) {
    prism::OneHotInto(seqs[0], 4000, out.data());
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * 4000);
}
BENCHMARK(BM_OneHot);

}  // namespace

BENCHMARK_MAIN();
