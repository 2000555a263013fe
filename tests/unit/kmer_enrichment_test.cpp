// Tests of FindEnrichedKmers: planted motifs are found, variants are merged, background is not
// reported, and the Markov expectation matches a hand computation.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "prism/error.h"
#include "prism/kmer_enrichment.h"

namespace prism {
namespace {

std::string Background(std::mt19937* rng, size_t n) {
  std::string s(n, 'A');
  for (auto& c : s) c = "ACGT"[(*rng)() % 4];
  return s;
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) {
  return {v.begin(), v.end()};
}

TEST(KmerEnrichment, FindsPlantedMotifsAndMergesTheirShiftsAndVariants) {
  std::mt19937 rng(11);
  const std::string m1 = "GATTACAGCT", m2 = "CCGTAAGTTC";  // 10 bp: three 8-mers each
  std::vector<std::string> seqs;
  for (int i = 0; i < 600; ++i) {
    std::string s = Background(&rng, 200);
    const std::string& m = i % 2 ? m1 : m2;
    std::string inst = m;
    if (i % 7 == 0) inst[3] = inst[3] == 'A' ? 'C' : 'A';  // one-mismatch instances
    s.replace(50 + (i % 40), m.size(), inst);
    seqs.push_back(s);
  }
  EnrichmentOptions o;
  o.k = 8;
  o.max_kmers = 10;
  o.min_z = 20;
  auto found = FindEnrichedKmers(Views(seqs), o);
  ASSERT_EQ(found.size(), 2u);  // one per motif: its shifted windows and variants are merged
  for (const auto& e : found) {
    EXPECT_TRUE(m1.find(e.kmer) != std::string::npos || m2.find(e.kmer) != std::string::npos)
        << e.kmer;
    EXPECT_GT(e.observed, 200);
    EXPECT_LT(e.expected, 5);
    EXPECT_NEAR(e.z, (e.observed - e.expected) / std::sqrt(e.expected), 1e-9);
  }
  EXPECT_GE(found[0].z, found[1].z);
  // Deterministic.
  auto again = FindEnrichedKmers(Views(seqs), o);
  ASSERT_EQ(again.size(), found.size());
  for (size_t i = 0; i < found.size(); ++i) EXPECT_EQ(again[i].kmer, found[i].kmer);
}

TEST(KmerEnrichment, UniformBackgroundHasNoEnrichedKmers) {
  std::mt19937 rng(3);
  std::vector<std::string> seqs;
  for (int i = 0; i < 200; ++i) seqs.push_back(Background(&rng, 500));
  EnrichmentOptions o;
  o.k = 6;
  o.min_z = 10;
  EXPECT_TRUE(FindEnrichedKmers(Views(seqs), o).empty());
}

TEST(KmerEnrichment, ExpectationIsTheFirstOrderMarkovBackground) {
  // "AAAAAAAC": 8 bases, one 6-mer window each at 3 offsets: AAAAAA twice, AAAAAC once.
  // Pseudo-counted: P(A) = (7+1)/(8+4); P(A|A) = (6+1)/(7+4); P(C|A) = (1+1)/(7+4).
  std::vector<std::string> seqs = {"AAAAAAAC"};
  EnrichmentOptions o;
  o.k = 6;
  o.min_z = -1e9;
  o.max_kmers = 100;
  auto found = FindEnrichedKmers(Views(seqs), o);
  ASSERT_EQ(found.size(), 1u);  // AAAAAC is a one-mismatch variant of AAAAAA
  EXPECT_EQ(found[0].kmer, "AAAAAA");
  EXPECT_EQ(found[0].observed, 2);
  const double p = (8.0 / 12) * std::pow(7.0 / 11, 5);
  EXPECT_NEAR(found[0].expected, 3 * p, 1e-12);
}

TEST(KmerEnrichment, NonAcgtBreaksWindowsAndBadKIsAnError) {
  std::vector<std::string> seqs = {"ACGTANCGTAC", "acgtac"};
  EnrichmentOptions o;
  o.k = 6;
  o.min_z = -1e9;
  auto found = FindEnrichedKmers(Views(seqs), o);
  ASSERT_EQ(found.size(), 1u);  // only "acgtac" has a full window
  EXPECT_EQ(found[0].kmer, "ACGTAC");
  o.k = 13;
  EXPECT_THROW(FindEnrichedKmers(Views(seqs), o), Error);
  o.k = 5;
  EXPECT_THROW(FindEnrichedKmers(Views(seqs), o), Error);
}

}  // namespace
}  // namespace prism
