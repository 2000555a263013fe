// FLOP counting conventions and MFU.
#include "prism/flops.h"

#include <gtest/gtest.h>

#include <cmath>

namespace prism {
namespace {

TEST(Flops, BlockFormulas) {
  // paper preset, first conv on a 3 kb enhancer: 2 * 768 * 64 * 40 * 2961
  EXPECT_DOUBLE_EQ(Conv1dForwardFlops(1, 768, 64, 40, 2961), 2.0 * 768 * 64 * 40 * 2961);
  EXPECT_DOUBLE_EQ(LinearForwardFlops(10, 3, 4), 240.0);
  EXPECT_DOUBLE_EQ(AttentionForwardFlops(2, 8, 150, 200, 8), 4.0 * 2 * 8 * 150 * 200 * 8);
  EXPECT_DOUBLE_EQ(FusedEmbedConvTableFlops(4097, 768, 40, 64), 2.0 * 4097 * 768 * 40 * 64);
  // No overflow for paper-size products (> 2^31).
  EXPECT_DOUBLE_EQ(Conv1dForwardFlops(64, 768, 64, 40, 3961), 996818288640.0);
}

TEST(Flops, CounterSumsAndReports) {
  FlopCounter c;
  c.Add("conv", 100);
  c.Add("attention", 50);
  c.Add("conv", 25);
  EXPECT_DOUBLE_EQ(c.Forward(), 175);
  EXPECT_DOUBLE_EQ(c.TrainingStep(), 525);
  Json j = c.ToJson();
  EXPECT_DOUBLE_EQ(j["blocks"]["conv"].get<double>(), 125);
  EXPECT_DOUBLE_EQ(j["training_step"].get<double>(), 525);
}

TEST(Flops, Utilisation) {
  EXPECT_DOUBLE_EQ(ModelFlopUtilisation(100e9, 2.0, 100e9), 0.5);
  EXPECT_TRUE(std::isnan(ModelFlopUtilisation(1, 0, 1)));
  EXPECT_TRUE(std::isnan(ModelFlopUtilisation(1, 1, 0)));
}

}  // namespace
}  // namespace prism
