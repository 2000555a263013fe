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

TEST(CovariateBalance, TrimUnmatchedZeroesOneClassBinsOnly) {
  // Three bins of 4 by x: 0 0 0 0 | 1 0 0 1 | 1 1 1 1. The outer bins hold one class each: no
  // pair of the other class shares their covariate values.
  std::vector<int> y = {0, 0, 0, 0, 1, 0, 0, 1, 1, 1, 1, 1};
  std::vector<double> x(12);
  for (size_t i = 0; i < 12; ++i) x[i] = 0.1 * static_cast<double>(i);
  std::vector<std::string> g(12, "A");
  BalanceOptions o;
  o.bins = 3;
  std::vector<BalanceSummary> kept, trimmed;
  auto w_keep = BalanceWeights(y, g, x, o, &kept);
  o.trim_unmatched = true;
  auto w_trim = BalanceWeights(y, g, x, o, &trimmed);
  // Kept: the pure bins keep P(y) / 1 = 0.5 before the mean-1 scaling - the covariate still
  // predicts the label there.
  EXPECT_GT(w_keep[0], 0);
  EXPECT_GT(w_keep[11], 0);
  EXPECT_EQ(kept[0].trimmed, 0u);
  EXPECT_GT(kept[0].corr_after, 0.3);
  // Trimmed: weight 0 in the pure bins, the mixed bin balanced (mean 1 over the cell line).
  for (size_t i : {0, 1, 2, 3, 8, 9, 10, 11}) EXPECT_EQ(w_trim[i], 0.0) << i;
  for (size_t i : {4, 5, 6, 7}) EXPECT_NEAR(w_trim[i], 3.0, 1e-12) << i;
  EXPECT_EQ(trimmed[0].trimmed, 8u);
  EXPECT_NEAR(trimmed[0].corr_after, 0.0, 1e-12);
  // Every bin one class (perfect separation): nothing is left to match, the weights stay.
  std::vector<int> sep = {0, 0, 1, 1};
  std::vector<double> xs = {0.1, 0.2, 0.3, 0.4};
  std::vector<std::string> g4(4, "A");
  o.bins = 2;
  std::vector<BalanceSummary> s4;
  auto w4 = BalanceWeights(sep, g4, xs, o, &s4);
  for (double v : w4) EXPECT_NEAR(v, 1.0, 1e-12);
  EXPECT_EQ(s4[0].trimmed, 0u);
}

TEST(CovariateBalance, PropensityBinsBalanceEachCovariateWherePairGcDoesNot) {
  // Positives shifted in both of two covariates of unequal weight in their sum (an enhancer of
  // 3 kb and a promoter of 1 kb: the pair's GC is 3/4 enhancer). Balancing on the sum leaves
  // each covariate predictive; balancing on the propensity score of (a, b) does not.
  std::mt19937 rng(5);
  std::normal_distribution<double> noise(0, 1);
  std::vector<int> y;
  std::vector<double> a, b, sum;
  std::vector<std::string> g;
  for (int i = 0; i < 6000; ++i) {
    const int label = static_cast<int>(rng() % 2);
    a.push_back(noise(rng) + 0.8 * label);
    b.push_back(2.0 * noise(rng) + 1.6 * label);
    sum.push_back(0.75 * a.back() + 0.25 * b.back());
    y.push_back(label);
    g.push_back(i % 2 ? "c1" : "c2");
  }
  const std::vector<double> prop = PropensityScores(y, g, {a, b});
  ASSERT_EQ(prop.size(), y.size());
  BalanceOptions o;
  o.bins = 20;
  o.max_weight = 30;
  o.trim_unmatched = true;
  const auto w_sum = BalanceWeights(y, g, sum, o);
  const auto w_prop = BalanceWeights(y, g, prop, o);
  auto corr = [&](const std::vector<double>& x, const std::vector<double>& w) {
    double sw = 0, mx = 0, my = 0;
    for (size_t i = 0; i < y.size(); ++i) sw += w[i], mx += w[i] * x[i], my += w[i] * y[i];
    mx /= sw, my /= sw;
    double sxy = 0, sxx = 0, syy = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      sxy += w[i] * (x[i] - mx) * (y[i] - my);
      sxx += w[i] * (x[i] - mx) * (x[i] - mx);
      syy += w[i] * (y[i] - my) * (y[i] - my);
    }
    return sxy / std::sqrt(sxx * syy);
  };
  EXPECT_GT(std::abs(corr(b, w_sum)), 0.1);  // the promoter-like covariate still predicts
  EXPECT_LT(std::abs(corr(a, w_prop)), 0.05);
  EXPECT_LT(std::abs(corr(b, w_prop)), 0.05);
  // Unknown covariates give NaN (weight 1 in BalanceWeights); one class gives 0.
  const auto p2 = PropensityScores({0, 1, 1}, {"x", "x", "y"}, {{0.1, NAN, 0.3}});
  EXPECT_TRUE(std::isnan(p2[1]));
  EXPECT_EQ(p2[0], 0.0);
  EXPECT_EQ(p2[2], 0.0);
  EXPECT_THROW(PropensityScores({0, 1}, {"x", "x"}, {{0.1}}), Error);
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
