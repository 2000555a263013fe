// Tests of ExtendKmer / SameMotif: a seed grows into the planted motif it is part of (and no
// further), short of occurrences it stays as it is, and the same motif found twice is recognised.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <vector>

#include "prism/error.h"
#include "prism/motif_extension.h"

namespace prism {
namespace {

// 400 random 120-bp sequences; every other one holds `motif` at a varying position, one in five
// of those with a mismatch at `mismatch_at`.
std::vector<std::string> Planted(const std::string& motif, size_t mismatch_at, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::string> seqs;
  for (int i = 0; i < 400; ++i) {
    std::string s(120, 'A');
    for (auto& c : s) c = "ACGT"[rng() % 4];
    if (i % 2 == 0) {
      std::string inst = motif;
      if (i % 10 == 0) inst[mismatch_at] = inst[mismatch_at] == 'A' ? 'C' : 'A';
      s.replace(10 + static_cast<size_t>(i % 90), motif.size(), inst);
    }
    seqs.push_back(s);
  }
  return seqs;
}

std::vector<std::string_view> Views(const std::vector<std::string>& v) { return {v.begin(), v.end()}; }

TEST(MotifExtension, GrowsASeedIntoThePlantedMotifAndNoFurther) {
  const std::string motif = "GACGCAGTTGTT";  // 12 bp; the seed is its 8-mer at offset 2
  auto seqs = Planted(motif, 0, 3);
  MotifExtensionOptions o;
  o.max_length = 16;  // room for 2 more columns on each side: they are background and stay out
  const ExtendedMotif m = ExtendKmer(Views(seqs), "CGCAGTTG", o);
  EXPECT_EQ(m.seed, "CGCAGTTG");
  EXPECT_EQ(m.consensus, motif);
  EXPECT_EQ(m.seed_offset, 2);
  ASSERT_EQ(m.ic.size(), motif.size());
  // Column 0 carries the one-mismatch instances (1 in 5): still far above min_ic, below 2 bits.
  EXPECT_GT(m.ic[0], 1.0);
  EXPECT_LT(m.ic[0], m.ic[5]);
  EXPECT_GT(m.ic[5], 1.9);
  // The seed occurs in the 200 planted instances (its columns are untouched by the mismatch),
  // and only by chance elsewhere (~400 * 113 / 4^8 = 0.7 expected).
  EXPECT_GE(m.occurrences, 200u);
  EXPECT_LE(m.occurrences, 205u);
}

TEST(MotifExtension, GrowsTowardsTheMoreInformativeSideWithinMaxLength) {
  const std::string motif = "GACGCAGTTGTT";
  auto seqs = Planted(motif, 11, 5);
  MotifExtensionOptions o;
  o.max_length = 10;  // two of the four flank columns fit
  const ExtendedMotif m = ExtendKmer(Views(seqs), "CGCAGTTG", o);
  ASSERT_EQ(m.consensus.size(), 10u);
  // The last column (with the one-mismatch instances) is the least informative of the four
  // flank columns, so the two kept are the two on the left: the motif's first ten bases.
  EXPECT_EQ(m.consensus, motif.substr(0, 10));
  EXPECT_EQ(m.seed_offset, 2);
  EXPECT_LT(ExtendKmer(Views(seqs), "CGCAGTTG", MotifExtensionOptions{}).ic[11], m.ic[0]);
}

TEST(MotifExtension, RareSeedsAndBackgroundFlanksStayAsTheyAre) {
  const std::string motif = "GACGCAGTTGTT";
  auto seqs = Planted(motif, 0, 7);
  MotifExtensionOptions o;
  o.min_occurrences = 1000;  // more than there are
  const ExtendedMotif rare = ExtendKmer(Views(seqs), "CGCAGTTG", o);
  EXPECT_EQ(rare.consensus, "CGCAGTTG");
  EXPECT_EQ(rare.seed_offset, 0);
  EXPECT_EQ(rare.ic.size(), 8u);
  // A seed that is the whole motif: its flanks are background (~0 bits), nothing is added.
  const ExtendedMotif whole = ExtendKmer(Views(seqs), motif, {});
  EXPECT_EQ(whole.consensus, motif);
  // A seed that never occurs.
  const ExtendedMotif none = ExtendKmer(Views(seqs), "AAAAAAAAAAAA", {});
  EXPECT_EQ(none.occurrences, 0u);
  EXPECT_EQ(none.consensus, "AAAAAAAAAAAA");
}

TEST(MotifExtension, BadSeedsAndOptionsAreErrors) {
  std::vector<std::string> seqs = {"ACGTACGTACGT"};
  EXPECT_THROW(ExtendKmer(Views(seqs), "ACGTNACG", {}), Error);
  EXPECT_THROW(ExtendKmer(Views(seqs), "ACGTACGTACGTA", {}), Error);  // longer than max_length 12
  EXPECT_THROW(ExtendKmer(Views(seqs), "", {}), Error);
  MotifExtensionOptions o;
  o.min_ic = 0;
  EXPECT_THROW(ExtendKmer(Views(seqs), "ACGTACGT", o), Error);
  o.min_ic = 2.5;
  EXPECT_THROW(ExtendKmer(Views(seqs), "ACGTACGT", o), Error);
}

TEST(MotifExtension, SameMotifIsAnOverlapOfSixOrMoreWithAtMostOneMismatch) {
  EXPECT_TRUE(SameMotif("CATCCAGGTAT", "CATCCAGGTAT"));
  EXPECT_TRUE(SameMotif("CATCCAGGTAT", "CATCCAGGTATT"));   // one extra column
  EXPECT_TRUE(SameMotif("CATCCAGGTAT", "CAGGTATT"));       // shift 4, overlap 7
  EXPECT_TRUE(SameMotif("CAGGTATT", "CATCCAGGTAT"));       // either order
  EXPECT_TRUE(SameMotif("CATCCAGGTAT", "CATGCAGGTAT"));    // one mismatch
  EXPECT_FALSE(SameMotif("CATCCAGGTAT", "CATGCAGCTAT"));   // two
  EXPECT_TRUE(SameMotif("ATCGCCCTTT", "TAATCGCC"));        // overlap ATCGCC, 6 bases
  EXPECT_FALSE(SameMotif("ATCGCCCTTT", "GGGGATCGC"));      // overlap ATCGC, 5 bases
  EXPECT_FALSE(SameMotif("CTAAGTCGA", "GTCCGTAGTAA"));     // two planted motifs of the simulation
}

}  // namespace
}  // namespace prism
