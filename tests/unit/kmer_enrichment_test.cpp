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

EnrichmentOptions Options(int k, size_t max_kmers, double min_z) {
  EnrichmentOptions o;
  o.k = k;
  o.max_kmers = max_kmers;
  o.min_z = min_z;
  return o;
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
  EnrichmentOptions o = Options(8, 10, 20);
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

TEST(KmerEnrichment, GroupsKeepKmersEnrichedInEveryGroupAndListTheOthers) {
  // Three groups of 300 sequences: m1 planted in every group, m2 (as strong overall) only in
  // group 2. With groups m2 is skipped and listed as group-specific; without, both are taken.
  std::mt19937 rng(5);
  const std::string m1 = "GATTACAG", m2 = "CCGTAAGT";
  std::vector<std::string> seqs;
  std::vector<int> groups;
  for (int g = 0; g < 3; ++g)
    for (int i = 0; i < 300; ++i) {
      std::string s = Background(&rng, 150);
      if (i % 3 == 0) s.replace(20, 8, m1);
      if (g == 2 && i % 3 != 2) s.replace(90, 8, m2);
      seqs.push_back(s);
      groups.push_back(g);
    }
  EnrichmentOptions o = Options(8, 4, 20);
  auto pooled = FindEnrichedKmers(Views(seqs), o);
  ASSERT_EQ(pooled.size(), 2u);
  EXPECT_EQ(pooled[0].kmer, m1);  // 300 copies
  EXPECT_EQ(pooled[1].kmer, m2);  // 200 copies, all in group c
  EXPECT_EQ(pooled[1].min_group_z, 0);  // not computed without groups
  o.groups = groups;
  o.group_names = {"a", "b", "c"};
  o.min_group_z = 3;
  std::vector<EnrichedKmer> specific;
  auto found = FindEnrichedKmers(Views(seqs), o, &specific);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].kmer, m1);
  // 100 copies in each group of 300 x 143 windows: z_g = (100 + chance - E) / sqrt(E) >> 3.
  EXPECT_GT(found[0].min_group_z, 50);
  ASSERT_EQ(specific.size(), 1u);
  EXPECT_EQ(specific[0].kmer, m2);
  EXPECT_LT(specific[0].min_group_z, 3);
  EXPECT_TRUE(specific[0].weakest_group == "a" || specific[0].weakest_group == "b");
  o.groups.pop_back();
  EXPECT_THROW(FindEnrichedKmers(Views(seqs), o), Error);  // one group id per sequence
}

}  // namespace
}  // namespace prism
