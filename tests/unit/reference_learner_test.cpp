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

TEST(PwmScanner, ExpectedSitesArePosteriorsOnBothStrands) {
  const PwmScanner scan(SharpPwm("ACCGTTAG", 0.8), {1e-4});
  const double prior = 1e-3, logit = std::log(prior / (1 - prior));
  // Brute force: every window's forward score and its reverse complement's.
  auto brute = [&](const std::string& s) {
    double sum = 0;
    for (size_t i = 0; i + 8 <= s.size(); ++i) {
      int fwd[8], rev[8];
      bool ok = true;
      for (int j = 0; j < 8; ++j) {
        const int b = BaseCode(s[i + static_cast<size_t>(j)]);
        ok &= b >= 0;
        fwd[j] = b < 0 ? 0 : b;
        rev[7 - j] = b < 0 ? 0 : 3 - b;
      }
      if (!ok) continue;
      for (const int* w : {fwd, rev})
        sum += 1 / (1 + std::exp(-(scan.ForwardScore(w) * 0.01 * std::log(2.0) + logit)));
    }
    return sum;
  };
  for (const std::string s : {"GGGACCGTTAGGGGTTACCATAGG", "GGGCTAACGGTGGGCCAAT", "GGGACCGNTAGGGG", "ACC"}) {
    const double got = scan.ExpectedSites(CodedSequence(s), logit);
    EXPECT_NEAR(got, brute(s), 1e-12) << s;
  }
  // A site on either strand counts nearly 1; one with an N inside counts nothing.
  EXPECT_GT(scan.ExpectedSites(CodedSequence("GGGACCGTTAGGGG"), logit), 0.9);
  EXPECT_GT(scan.ExpectedSites(CodedSequence("GGGCTAACGGTGGG"), logit), 0.9);
  EXPECT_LT(scan.ExpectedSites(CodedSequence("GGGACCGNTAGGGG"), logit), 0.01);
  // On uniform random sequence a window and strand adds at most the prior on average.
  std::string s;
  uint64_t state = 11;
  for (int i = 0; i < 200000; ++i) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    s += "ACGT"[(state >> 33) & 3];
  }
  const double per_window = scan.ExpectedSites(CodedSequence(s), logit) / (2.0 * (s.size() - 7));
  EXPECT_GT(per_window, 0.1 * prior);
  EXPECT_LT(per_window, prior);
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

// The motif-pair learner with different motif sets per stream (model.ensemble = "motif_grammar"):
// 3 enhancer and 2 promoter motifs, 2 count levels; the label is "enhancer motif 2 and promoter
// motif 1" at level 1 only (level 0 is noise). The fit chooses level 1, the product column
// 2 * 2 + 1 gets the largest weight, the scores separate the classes, and a held-out split chooses
// where given (else every fifth training pair).
TEST(MotifPairModel, LearnsAnEnhancerPromoterMotifPairWithSeparateMotifSets) {
  auto make = [](int n, unsigned seed) {
    MotifSiteCounts s;
    for (int i = 0; i < n; ++i) {
      std::vector<float> e(3 * 2), p(2 * 2);
      unsigned h = seed + 2654435761u * static_cast<unsigned>(i);
      auto bit = [&h]() { h = h * 1103515245u + 12345u; return static_cast<uint8_t>((h >> 16) & 1); };
      for (auto& v : e) v = bit();
      for (auto& v : p) v = bit();
      e[2 * 2 + 1] = static_cast<float>(bit() + bit());  // enhancer motif 2, level 1: 0..2
      s.labels.push_back(e[2 * 2 + 1] > 0 && p[1 * 2 + 1] > 0);
      s.enhancer.push_back(e);
      s.promoter.push_back(p);
    }
    return s;
  };
  const MotifSiteCounts train = make(400, 1), val = make(200, 2);
  for (const MotifSiteCounts* sel : {&val, static_cast<const MotifSiteCounts*>(nullptr)}) {
    const MotifPairModel m = FitMotifPairModel(train, sel, 3, 2, 2);
    EXPECT_EQ(m.selected_on, sel ? "val" : "train holdout (every 5th pair)");
    EXPECT_EQ(m.level, 1u);
    ASSERT_EQ(m.model.w.size(), 3u * 2 + 3 + 2);
    size_t top = 0;
    for (size_t j = 0; j < m.model.w.size(); ++j)
      if (m.model.w[j] > m.model.w[top]) top = j;
    EXPECT_EQ(top, 2u * 2 + 1);
    EXPECT_GT(m.selection_aupr, 0.95);
    const std::vector<double> z = MotifPairScores(m, val);
    ASSERT_EQ(z.size(), val.labels.size());
    double min_pos = 1e9, max_neg = -1e9;
    for (size_t i = 0; i < z.size(); ++i)
      (val.labels[i] ? min_pos : max_neg) = val.labels[i] ? std::min(min_pos, z[i]) : std::max(max_neg, z[i]);
    EXPECT_GT(min_pos, max_neg);
  }
  EXPECT_THROW(FitMotifPairModel(MotifSiteCounts{}, nullptr, 3, 2, 2), Error);
}

}  // namespace
}  // namespace prism::sim
