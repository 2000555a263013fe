// Google Benchmark: the ranking metrics on 1M scores (the cost of evaluating a large test set).
//   ./build/bench/metric_bench --benchmark_repetitions=3 --benchmark_report_aggregates_only=true
#include <benchmark/benchmark.h>

#include <cmath>
#include <random>

#include "prism/metric.h"

namespace {

struct Data {
  std::vector<int> y;
  std::vector<double> s;
};

/// n scores, 5% positives shifted up; `tied` rounds scores to 3 decimals (many ties).
const Data& Make(size_t n, bool tied) {
  static Data cont, ties;
  Data& d = tied ? ties : cont;
  if (d.y.size() == n) return d;
  std::mt19937_64 rng(7);
  std::normal_distribution<double> noise(0, 1);
  d.y.resize(n);
  d.s.resize(n);
  for (size_t i = 0; i < n; ++i) {
    d.y[i] = rng() % 20 == 0;
    double z = noise(rng) + 1.5 * d.y[i];
    double p = 1 / (1 + std::exp(-z));
    d.s[i] = tied ? std::round(p * 1000) / 1000 : p;
  }
  return d;
}

void BM_AveragePrecision(benchmark::State& st) {
  const Data& d = Make(st.range(0), st.range(1));
  for (auto _ : st) benchmark::DoNotOptimize(prism::metric::AveragePrecision(d.y, d.s));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_AveragePrecision)->Args({1000000, 0})->Args({1000000, 1})->Unit(benchmark::kMillisecond);

void BM_RocAuc(benchmark::State& st) {
  const Data& d = Make(st.range(0), st.range(1));
  for (auto _ : st) benchmark::DoNotOptimize(prism::metric::RocAuc(d.y, d.s));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_RocAuc)->Args({1000000, 0})->Args({1000000, 1})->Unit(benchmark::kMillisecond);

void BM_BestF1Threshold(benchmark::State& st) {
  const Data& d = Make(st.range(0), st.range(1));
  for (auto _ : st) benchmark::DoNotOptimize(prism::metric::BestF1Threshold(d.y, d.s));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_BestF1Threshold)->Args({1000000, 0})->Unit(benchmark::kMillisecond);

void BM_ComputeRow(benchmark::State& st) {
  const Data& d = Make(st.range(0), st.range(1));
  for (auto _ : st) benchmark::DoNotOptimize(prism::metric::ComputeRow(d.y, d.s));
  st.SetItemsProcessed(st.iterations() * st.range(0));
}
BENCHMARK(BM_ComputeRow)->Args({1000000, 0})->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
