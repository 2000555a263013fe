// Tests of the simulator's motif-informed reference learner: the warm start of the shared L2
// logistic regression it refits along its L2 grid (prism/logistic_regression.h; checked against
// scikit-learn in baseline_test.cpp), the PWM scanner, and the learner on small simulations (well
// above chance, not above the true oracle).
#include <gtest/gtest.h>

#include <cmath>

#include "prism/error.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"
#include "prism/tokenizer.h"
#include "prism/logistic_regression.h"
#include "sim/reference_learner.h"

namespace prism::sim {
namespace {

TEST(LogisticRegression, WarmStartReachesTheSameMinimum) {
  SparseRows x;
  x.cols = 2;
  std::vector<int> y;
  for (int i = 0; i < 60; ++i) {
    x.AddRow({{0, static_cast<double>(i % 3)}, {1, static_cast<double>(i % 5 == 0)}});
    y.push_back((i % 3 == 2) != (i % 7 == 0));
  }
  LogisticFitOptions o;
  o.l2 = 0.5;
  o.gradient_tolerance = 1e-10;
  const LogisticModel cold = FitLogistic(x, y, o);
  o.l2 = 50;
  const LogisticModel first = FitLogistic(x, y, o);
  o.l2 = 0.5;
  const LogisticModel warm = FitLogistic(x, y, o, &first);
  EXPECT_NEAR(cold.w[0], warm.w[0], 1e-6);
  EXPECT_NEAR(cold.intercept, warm.intercept, 1e-6);
  EXPECT_GT(first.w[0] * first.w[0], 0.0);
  EXPECT_LT(std::fabs(first.w[0]), std::fabs(cold.w[0]));  // stronger L2, smaller weight
}

Pwm SharpPwm(const std::string& consensus, double p) {
  Pwm pwm;
  for (char c : consensus) {
    std::array<double, 4> col;
    col.fill((1 - p) / 3);
    col[static_cast<size_t>(BaseCode(c))] = p;
    pwm.push_back(col);
  }
  return pwm;
}

TEST(PwmScanner, FindsSitesOnBothStrandsAndSkipsN) {
  const PwmScanner scan(SharpPwm("ACGTTGCA", 0.97), {1e-3, 1e-5});
  // p-value thresholds: the stricter p has the higher score threshold.
  EXPECT_LT(scan.threshold(0), scan.threshold(1));
  auto count = [&](const std::string& s) {
    uint8_t c[2] = {0, 0};
    scan.Count(s, c);
    return std::make_pair(int{c[0]}, int{c[1]});
  };
  // "ACGTTGCA" is its own reverse complement: one window, counted once.
  EXPECT_EQ(count("TTTTACGTTGCATTTT"), std::make_pair(1, 1));
  const PwmScanner asym(SharpPwm("ACCGTTAG", 0.97), {1e-4});
  uint8_t c = 0;
  asym.Count("GGGACCGTTAGGGG", &c);
  EXPECT_EQ(c, 1);
  c = 0;
  asym.Count("GGGCTAACGGTGGG", &c);  // reverse complement
  EXPECT_EQ(c, 1);
  c = 0;
  asym.Count("GGGACCGNTAGGGG", &c);  // an N inside the site
  EXPECT_EQ(c, 0);
  c = 0;
  asym.Count("ACC", &c);  // shorter than the motif
  EXPECT_EQ(c, 0);
  EXPECT_THROW(PwmScanner(SharpPwm("ACGT", 0.9), {1e-4, 1e-3}), Error);
}

TEST(PwmScanner, PValueMatchesRandomSequence) {
  // Column scores of this PWM take two values, so the threshold of p = 1e-3 admits the windows
  // within one mismatch: P = (1 + 8 * 3) / 4^8 = 3.8e-4 per strand (the next level, two
  // mismatches, would exceed 1e-3). On uniform random sequence: 7.6e-4 of the windows (two
  // strands), at most 2 * p.
  const PwmScanner scan(SharpPwm("GATTACAG", 0.9), {1e-3});
  std::string s;
  uint64_t state = 7;
  for (int i = 0; i < 400000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    s += "ACGT"[(state >> 33) & 3];
  }
  uint8_t c[1] = {0};
  long total = 0;
  for (size_t off = 0; off + 1000 <= s.size(); off += 1000) {
    c[0] = 0;
    scan.Count(std::string_view(s).substr(off, 1000), c);
    total += c[0];
  }
  const double rate = static_cast<double>(total) / (400 * 993);
  EXPECT_GT(rate, 6.0e-4);
  EXPECT_LT(rate, 9.2e-4);
}

TEST(ReferenceLearner, BetweenChanceAndTheTrueOracle) {
  for (const char* preset : {"tiny", "transfer-tiny"}) {
    SimulationOptions o = SimulationPreset(preset);
    o.train_pairs *= 2;
    const SimulationResult r = GenerateSimulation(o);
    const Json& ref = r.metadata["reference_learner"];
    EXPECT_EQ(ref["selected_on"], "val") << preset;
    EXPECT_EQ(ref["features"], o.num_motifs * o.num_motifs + 2 * o.num_motifs);
    for (const OracleSummary& s : r.splits) {
      SCOPED_TRACE(std::string(preset) + " " + s.name);
      ASSERT_TRUE(std::isfinite(s.aupr_reference));
      EXPECT_GT(s.aupr_reference, s.positive_rate + 0.1);
      if (s.name != "train") EXPECT_LT(s.aupr_reference, s.aupr_true + 0.03);
    }
    for (const OracleSummary& c : r.per_cell) EXPECT_TRUE(std::isfinite(c.aupr_reference));
    ASSERT_EQ(r.reference_scores.size(), r.oracle.size());
    EXPECT_TRUE(r.metadata["splits"]["test"]["aupr_reference"].is_number());
  }
}

}  // namespace
}  // namespace prism::sim
