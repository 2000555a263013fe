// Tests of data.candidate_rank (train/candidate_rank.h): the two label-free columns that place a
// pair among its enhancer's and its promoter's candidates by distance, from the counting rule to
// the encoder input a config with the key gets.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "../unit/test_util.h"
#include "prism/feature_table.h"
#include "prism/train.h"
#include "train/candidate_rank.h"
#include "train/dataset.h"

namespace prism {
namespace {

Pair P(const std::string& enh, const std::string& prom, const std::string& cell, double distance) {
  return Pair{enh, prom, 0, cell, distance, ""};
}

double Nearer(const std::vector<float>& cols, size_t row, size_t side) {
  return std::expm1(static_cast<double>(cols[row * 2 + side]));
}

TEST(CandidateRankTest, CountsStrictlyNearerDistinctCandidatesPerCellLine) {
  const std::vector<Pair> pairs = {
      P("E1", "P1", "A", 100),    // 0: nearest promoter of E1 in A
      P("E1", "P2", "A", -300),   // 1: |distance| counts; ties with P3
      P("E1", "P3", "A", 300),    // 2
      P("E1", "P4", "A", 1000),   // 3: P1, P2, P3 nearer
      P("E1", "P5", "B", 5000),   // 4: E1 in B has no other candidate
      P("E1", "P4", "A", 1000),   // 5: the same pair again (another assay): one candidate
      P("E2", "P4", "A", 200),    // 6: P4's nearest enhancer in A
      P("E3", "P4", "A", NAN),    // 7: no distance: 0, and not nearer than anything
  };
  const auto cols = train::CandidateRankColumns(pairs);
  ASSERT_EQ(cols.size(), pairs.size() * 2);
  const double enh_side[] = {0, 1, 1, 3, 0, 3, 0, 0};
  for (size_t i = 0; i < pairs.size(); ++i)
    EXPECT_NEAR(Nearer(cols, i, 0), enh_side[i], 1e-5) << "row " << i;
  // P4 in A: enhancers E1 (1000, listed twice) and E2 (200); E3 has no distance.
  EXPECT_NEAR(Nearer(cols, 3, 1), 1, 1e-5);
  EXPECT_NEAR(Nearer(cols, 5, 1), 1, 1e-5);
  EXPECT_NEAR(Nearer(cols, 6, 1), 0, 1e-5);
  EXPECT_NEAR(Nearer(cols, 7, 1), 0, 1e-5);
  EXPECT_NEAR(Nearer(cols, 4, 1), 0, 1e-5);  // P5 in B: alone
}

TEST(CandidateRankTest, AHeldOutCellLineIsCountedFromItsOwnRowsOnly) {
  std::vector<Pair> pairs = {P("E1", "P1", "T", 100), P("E1", "P2", "T", 200),
                             P("E1", "P1", "C", 500)};
  const auto before = train::CandidateRankColumns(pairs);
  pairs.push_back(P("E1", "P0", "T", 50));  // a training row nearer than every other
  const auto after = train::CandidateRankColumns(pairs);
  EXPECT_EQ(before[2 * 2], after[2 * 2]);  // C's pair is unchanged
  EXPECT_NEAR(Nearer(after, 1, 0), 2, 1e-5);
}

TEST(CandidateRankTest, ConfigKeyAddsTwoEncoderColumnsAfterTheDistance) {
  TempDir dir;
  std::ostringstream s;
  s << "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
  for (const auto& c : FeatureTableColumns()) s << "," << c;
  s << "\n";
  // Cell lines A (train) and C (test): enhancer E<k> with three promoters at 1e3, 1e4, 1e5 bp.
  for (const char* cell : {"A", "C"})
    for (int i = 0; i < 3; ++i) {
      s << (i == 0) << ",chr1:1000-1500|" << cell << "|E," << "chr1:" << 5000 + i * 100000
        << "-" << 5500 + i * 100000 << "|" << cell << "|P" << i << "," << cell << ",chr1,"
        << std::pow(10.0, i + 3);
      for (int j = 0; j < 24; ++j) s << ",1";
      s << "\n";
    }
  const std::string file = dir.Write("features.csv", s.str());
  const std::string text = "preset = \"features\"\n[data]\nkind = \"features\"\nfiles = [\"" +
                           file + "\"]\ntest_cells = [\"C\"]\nnormalize = \"none\"\n";
  train::Data plain =
      train::LoadData(ParseTrainConfig(text + "candidate_rank = false\n", "run.toml"));
  train::Data ranked = train::LoadData(ParseTrainConfig(text, "run.toml"));  // the preset's
  EXPECT_TRUE(ParseTrainConfig(text, "run.toml").data.candidate_rank);
  ASSERT_EQ(ranked.test.num_features, plain.test.num_features + 2);
  const size_t f = static_cast<size_t>(ranked.test.num_features), fp = f - 2;
  for (size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(ranked.test.features[i * f + f - 2], std::log1p(static_cast<double>(i)), 1e-5);
    EXPECT_NEAR(ranked.test.features[i * f + f - 1], 0.0, 1e-6);  // each promoter has one enhancer
    for (size_t j = 0; j < fp; ++j)
      EXPECT_EQ(ranked.test.features[i * f + j], plain.test.features[i * fp + j]);
  }
}

TEST(CandidateRankTest, TheNewKeysAreRefusedAtTheirPositionWhenWrong) {
  // data.candidate_rank and model.ensemble_trees_weight (the features preset's two new settings)
  // go through the config table's checks: type, range, and the other data kind.
  ExpectInputError(
      [] { ParseTrainConfig("preset = \"features\"\n[data]\ncandidate_rank = 1\n", "run.toml"); },
      "run.toml:3:18: 'data.candidate_rank' must be true or false");
  ExpectInputError([] { ParseTrainConfig("[data]\ncandidate_rank = true\n", "run.toml"); },
                   "run.toml:2:18: conflict: data.candidate_rank is for data.kind = \"features\"");
  ExpectInputError(
      [] {
        ParseTrainConfig("preset = \"features\"\n[model]\nensemble_trees_weight = 1.5\n", "run.toml");
      },
      "run.toml:3:25: 'model.ensemble_trees_weight' must be a number in [0, 1], got 1.5");
  EXPECT_EQ(ParseTrainConfig("preset = \"features\"\n", "run.toml").model.ensemble_trees_weight, 0.7);
}

}  // namespace
}  // namespace prism
