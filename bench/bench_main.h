// bench/bench_main.h - the main() of prism's benchmarks: applies the BLAS core-type choice
// (as the prism executable does), records it in the benchmark context, runs the benchmarks.
#pragma once

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

#include "prism/blas.h"

namespace prism::bench {

/// EnsureBlasCoreType (may re-exec once), strip --blas-coretype, run Google Benchmark.
inline int RunBenchMain(int argc, char** argv) {
  EnsureBlasCoreType(argc, argv);
  std::vector<char*> args;
  for (int i = 0; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--blas-coretype" && i + 1 < argc) {
      ++i;
      continue;
    }
    if (a.rfind("--blas-coretype=", 0) == 0) continue;
    args.push_back(argv[i]);
  }
  int n = static_cast<int>(args.size());
  benchmark::Initialize(&n, args.data());
  if (benchmark::ReportUnrecognizedArguments(n, args.data())) return 1;
  const Json info = BlasInfo();
  benchmark::AddCustomContext("blas", BlasSummary());
  benchmark::AddCustomContext(
      "blas_core_type",
      info["core_type"].is_string() ? info["core_type"].get<std::string>() : std::string("-"));
  benchmark::RunSpecifiedBenchmarks();
  benchmark::Shutdown();
  return 0;
}

}  // namespace prism::bench
