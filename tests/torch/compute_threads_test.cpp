// Compute threads knob and the GEMM peak probe.
#include "prism/compute_threads.h"

#include <gtest/gtest.h>
#include <torch/torch.h>

#include "prism/blas.h"

namespace prism {
namespace {

TEST(ComputeThreads, SetAndDefault) {
  EXPECT_EQ(SetComputeThreads(1), 1);
  EXPECT_EQ(ComputeThreads(), 1);
  const int all = SetComputeThreads(0);  // 0 = all cores
  EXPECT_GE(all, 1);
  EXPECT_EQ(ComputeThreads(), all);
  if (BlasInfo()["vendor"] == "openblas") EXPECT_EQ(BlasInfo()["threads"].get<int>(), all);
}

TEST(ComputeThreads, GemmProbeMeasuresSomething) {
  const double flops = MeasureGemmFlops(128, 0.01);
  EXPECT_GT(flops, 1e6);  // any working BLAS does a million FLOP/s
  EXPECT_TRUE(std::isfinite(flops));
}

}  // namespace
}  // namespace prism
