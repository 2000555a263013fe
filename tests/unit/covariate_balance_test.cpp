// Tests of BalanceWeights (label-balancing weights over covariate bins) and GcFraction.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "prism/covariate_balance.h"
#include "prism/error.h"

namespace prism {
namespace {

TEST(CovariateBalance, GcFraction) {
  EXPECT_DOUBLE_EQ(GcFraction("GGCCAATT"), 0.5);
  EXPECT_DOUBLE_EQ(GcFraction("gcNNat"), 0.5);  // N not counted, lowercase read
  EXPECT_DOUBLE_EQ(GcFraction("GGGA"), 0.75);
  EXPECT_TRUE(std::isnan(GcFraction("NNN")));
  EXPECT_TRUE(std::isnan(GcFraction("")));
  // A pair: GC over the A/C/G/T bases of both (3 of 4 and 1 of 4 -> 4 of 8).
  EXPECT_DOUBLE_EQ(PairGcFraction(CountGc("GGGA"), CountGc("ATTC")), 0.5);
  EXPECT_DOUBLE_EQ(PairGcFraction(CountGc("GGGA"), CountGc("NN")), 0.75);
  EXPECT_TRUE(std::isnan(PairGcFraction(CountGc("NN"), CountGc(""))));
}

TEST(CovariateBalance, HandComputedTwoBins) {
  // One cell line, 8 samples, 2 bins of 4 by x. Overall rate 3/8.
  // Low bin: labels 0 0 0 1 (rate 1/4); high bin: 1 1 0 0 (rate 1/2).
  // w = P(y) / P(y | bin): low-bin positive (3/8)/(1/4) = 1.5, negatives (5/8)/(3/4) = 5/6;
  // high-bin positives (3/8)/(1/2) = 0.75, negatives (5/8)/(1/2) = 1.25. Sum = 8: mean 1 as is.
  std::vector<int> y = {0, 0, 0, 1, 1, 1, 0, 0};
  std::vector<double> x = {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8};
  std::vector<std::string> g(8, "A");
  BalanceOptions o;
  o.bins = 2;
  std::vector<BalanceSummary> sum;
  auto w = BalanceWeights(y, g, x, o, &sum);
  std::vector<double> want = {5.0 / 6, 5.0 / 6, 5.0 / 6, 1.5, 0.75, 0.75, 1.25, 1.25};
  for (size_t i = 0; i < 8; ++i) EXPECT_NEAR(w[i], want[i], 1e-12) << i;
  ASSERT_EQ(sum.size(), 1u);
  EXPECT_EQ(sum[0].cell_line, "A");
  EXPECT_EQ(sum[0].n, 8u);
  double sw = 0, sw2 = 0;
  for (double v : want) sw += v, sw2 += v * v;
  EXPECT_NEAR(sum[0].effective_n, sw * sw / sw2, 1e-12);
}

TEST(CovariateBalance, RemovesAConfoundedCovariateWithinEachCell) {
  // Two cell lines with different positive rates; positives GC-richer by 2 sd.
  std::mt19937 rng(2);
  std::normal_distribution<double> noise(0, 1);
  std::vector<int> y;
  std::vector<double> x;
  std::vector<std::string> g;
  for (int c = 0; c < 2; ++c)
    for (int i = 0; i < 4000; ++i) {
      int label = (rng() % 100) < (c ? 30u : 10u);
      y.push_back(label);
      x.push_back(noise(rng) + 2.0 * label);
      g.push_back(c ? "b" : "a");
    }
  BalanceOptions o;
  o.bins = 20;
  o.max_weight = 50;
  std::vector<BalanceSummary> sum;
  auto w = BalanceWeights(y, g, x, o, &sum);
  ASSERT_EQ(sum.size(), 2u);
  for (const auto& s : sum) {
    EXPECT_GT(s.corr_before, 0.4) << s.cell_line;
    EXPECT_LT(std::abs(s.corr_after), 0.1) << s.cell_line;
    EXPECT_LT(s.effective_n, s.n);
  }
  // Each cell keeps mean weight 1 and its own weighted positive rate.
  for (int c = 0; c < 2; ++c) {
    double sw = 0, swy = 0, n = 0, pos = 0;
    for (size_t i = 0; i < y.size(); ++i)
      if (g[i] == (c ? "b" : "a")) sw += w[i], swy += w[i] * y[i], n += 1, pos += y[i];
    EXPECT_NEAR(sw / n, 1.0, 1e-9);
    EXPECT_NEAR(swy / sw, pos / n, 0.02);
  }
}

TEST(CovariateBalance, UnknownCovariateKeepsWeightOneAndBadInputIsAnError) {
  std::vector<int> y = {0, 1, 0, 1};
  std::vector<double> x = {NAN, NAN, NAN, NAN};
  std::vector<std::string> g(4, "A");
  auto w = BalanceWeights(y, g, x, BalanceOptions{});
  for (double v : w) EXPECT_DOUBLE_EQ(v, 1.0);
  EXPECT_THROW(BalanceWeights({0, 2}, {"A", "A"}, {0.1, 0.2}, BalanceOptions{}), Error);
  EXPECT_THROW(BalanceWeights({0, 1}, {"A"}, {0.1, 0.2}, BalanceOptions{}), Error);
  BalanceOptions bad;
  bad.bins = 0;
  EXPECT_THROW(BalanceWeights(y, g, x, bad), Error);
  bad.bins = 3;
  bad.max_weight = 1;
  EXPECT_THROW(BalanceWeights(y, g, x, bad), Error);
}

}  // namespace
}  // namespace prism
