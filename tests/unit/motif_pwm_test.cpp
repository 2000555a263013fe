// Tests of prism/motif_pwm.h: the site threshold equals a brute-force tail over every window of
// a short PWM, and on sequences with sites of a degenerate motif planted on random strands the
// estimated PWM recovers the motif's columns (seed columns from the one-mismatch variants).
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "prism/error.h"
#include "prism/kmer_enrichment.h"
#include "prism/motif_extension.h"
#include "prism/motif_pwm.h"

namespace prism {
namespace {

TEST(MotifPwm, ScoreThresholdIsTheExactBackgroundTail) {
  const std::vector<std::array<double, 4>> w = {
      {1.5, -1.0, -2.0, 0.3}, {-0.5, 1.2, -1.5, 0.1}, {0.7, 0.7, -3.0, -1.0}, {-2.0, -2.0, 1.9, 0.0}};
  for (double p : {0.5, 0.1, 0.01, 1.0 / 256}) {
    const double t = ScoreThreshold(w, p);
    // Brute force: the share of the 256 windows scoring >= t is <= p, and lowering t by one
    // step (0.01 bit) to the next score present would exceed p.
    int at_or_above = 0;
    std::vector<int> scores;
    for (int code = 0; code < 256; ++code) {
      int s = 0;
      for (int j = 0; j < 4; ++j) s += static_cast<int>(std::lround(w[j][(code >> (2 * (3 - j))) & 3] * 100));
      scores.push_back(s);
      if (s >= std::lround(t * 100)) ++at_or_above;
    }
    EXPECT_LE(at_or_above / 256.0, p + 1e-12) << p;
    int best_below = -100000;
    for (int s : scores)
      if (s < std::lround(t * 100)) best_below = std::max(best_below, s);
    int with_next = 0;
    for (int s : scores) with_next += s >= best_below;
    if (best_below > -100000) EXPECT_GT(with_next / 256.0, p) << p;
  }
  EXPECT_THROW(ScoreThreshold(w, 0.0), Error);
  EXPECT_THROW(ScoreThreshold({}, 0.1), Error);
}

TEST(MotifPwm, RecoversADegenerateMotifPlantedOnBothStrands) {
  // A 10-bp motif whose columns keep their consensus base 75 % of the time.
  const std::string consensus = "TGACGTCATG";
  std::mt19937_64 rng(5);
  std::uniform_real_distribution<double> u(0, 1);
  auto base = [&] { return "ACGT"[rng() & 3]; };
  std::vector<std::string> seqs;
  for (int i = 0; i < 3000; ++i) {
    std::string s;
    for (int j = 0; j < 400; ++j) s += base();
    std::string site;
    for (char c : consensus) site += u(rng) < 0.75 ? c : base();
    if (rng() & 1) {  // reverse strand
      std::string rc(site.rbegin(), site.rend());
      for (char& c : rc) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : 'A';
      site = rc;
    }
    s.replace(100 + (rng() % 200), site.size(), site);
    seqs.push_back(s);
  }
  std::vector<std::string_view> views(seqs.begin(), seqs.end());
  EnrichmentOptions eo;
  eo.k = 8;
  eo.max_kmers = 4;
  eo.min_z = 5;
  const auto found = FindEnrichedKmers(views, eo);
  ASSERT_FALSE(found.empty());
  MotifExtensionOptions xo;
  xo.max_length = 12;
  xo.min_ic = 0.4;
  const ExtendedMotif m = ExtendKmer(views, found[0].kmer, xo);
  ASSERT_EQ(m.column_counts.size(), m.consensus.size());
  const MotifPwm pwm = EstimateMotifPwm(m, CountKmers(views, 8), 400.0);
  ASSERT_EQ(pwm.freq.size(), m.consensus.size());
  // Every seed column: the consensus base has 0.6-0.95 of the mass (truth: 0.75 + 0.25 / 4).
  for (int j = 0; j < static_cast<int>(pwm.freq.size()); ++j) {
    const int s = j - m.seed_offset;
    if (s < 0 || s >= 8) continue;
    const int b = std::string("ACGT").find(found[0].kmer[static_cast<size_t>(s)]);
    EXPECT_GT(pwm.freq[static_cast<size_t>(j)][static_cast<size_t>(b)], 0.6) << j;
    EXPECT_LT(pwm.freq[static_cast<size_t>(j)][static_cast<size_t>(b)], 0.95) << j;
  }
  // The threshold keeps a background 400-bp element's false sites near 0.1 while a typical
  // site (two mismatches) scores above it.
  EXPECT_NEAR(pwm.p_value * 2 * (400 - pwm.freq.size() + 1), 0.1, 1e-9);
  double typical = 0;
  for (const auto& w : pwm.weight) typical += *std::max_element(w.begin(), w.end());
  EXPECT_LT(pwm.threshold, typical);
  EXPECT_THROW(EstimateMotifPwm(m, CountKmers(views, 6), 400.0), Error);
}

TEST(MotifPwm, KmerCountsAndMedianBackground) {
  const std::vector<std::string> seqs = {"ACGTACGT", "AAAANAAAA"};
  std::vector<std::string_view> views(seqs.begin(), seqs.end());
  const KmerCounts c = CountKmers(views, 4);
  EXPECT_EQ(c.Count("ACGT"), 2u);
  EXPECT_EQ(c.Count("AAAA"), 2u);  // two windows on each side of the N
  EXPECT_EQ(c.Count("AANA"), 0u);
  EXPECT_EQ(c.background, 0.0);
  EXPECT_THROW(CountKmers(views, 13), Error);
}

}  // namespace
}  // namespace prism
