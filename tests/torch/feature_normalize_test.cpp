// Tests of the feature-table encoder input: data.normalize (cell | train | cell_rank |
// train+cell_rank | train_rank | none) and data.distance_feature, from the config key to the
// tensors' values.
#include <gtest/gtest.h>

#include <cmath>
#include <sstream>

#include "../unit/test_util.h"
#include "prism/atomic_file.h"
#include "prism/feature_table.h"
#include "prism/train.h"
#include "train/dataset.h"
#include "train/model_recipe.h"

namespace prism {
namespace {

/// Four pairs in each of the cell lines A, B (train), V (validation) and C (test). The first
/// signal of row i of cell k is `base[k] * (i + 1)`, every other signal 1; distance 10^(i+1) - 1.
std::string Table(const TempDir& dir) {
  std::ostringstream s;
  s << "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
  for (const auto& c : FeatureTableColumns()) s << "," << c;
  s << "\n";
  const char* cells[] = {"A", "B", "V", "C"};
  const double base[] = {1.0, 3.0, 100.0, 20.0};
  int row = 0;
  for (int k = 0; k < 4; ++k)
    for (int i = 0; i < 4; ++i, ++row) {
      s << (i == 3) << ",chr1:" << row * 1000 << "-" << row * 1000 + 500 << "|" << cells[k]
        << "|E" << row << ",chr1:" << row * 1000 + 90000 << "-" << row * 1000 + 90500 << "|"
        << cells[k] << "|P" << row << "," << cells[k] << ",chr1," << std::pow(10.0, i + 1) - 1;
      s << "," << base[k] * (i + 1);
      for (int j = 1; j < 24; ++j) s << ",1";
      s << "\n";
    }
  return dir.Write("features.csv", s.str());
}

TrainConfig Config(const std::string& file, const std::string& extra) {
  // distance_feature and candidate_rank off unless `extra` turns them on (the `features` preset
  // has them on).
  std::string text = "preset = \"features\"\n[data]\nkind = \"features\"\nfiles = [\"" + file +
                     "\"]\ntest_cells = [\"C\"]\nval_cells = [\"V\"]\n" +
                     (extra.find("distance_feature") == std::string::npos ? "distance_feature = false\n" : "") +
                     (extra.find("candidate_rank") == std::string::npos ? "candidate_rank = false\n" : "") +
                     extra;
  return ParseTrainConfig(text, "run.toml");
}

/// Column j of every row of a data set.
std::vector<double> Column(const train::Dataset& d, int64_t j) {
  std::vector<double> v;
  for (size_t i = 0; i < d.pairs.size(); ++i)
    v.push_back(d.features[i * static_cast<size_t>(d.num_features) + static_cast<size_t>(j)]);
  return v;
}

void MeanSd(const std::vector<double>& v, double* mean, double* sd) {
  double s = 0, s2 = 0;
  for (double x : v) s += x;
  *mean = s / static_cast<double>(v.size());
  for (double x : v) s2 += (x - *mean) * (x - *mean);
  *sd = std::sqrt(s2 / static_cast<double>(v.size()));
}

TEST(FeatureNormalizeTest, ConfigKeysValidatedAndWritten) {
  // The field's default is the design ("cell"); the `features` preset sets what was
  // measured on real cell lines ("train" with distance as a column, configs/features.toml).
  EXPECT_EQ(ParseTrainConfig("", "run.toml").data.normalize, "cell");
  TrainConfig d = ParseTrainConfig("preset = \"features\"\n[data]\nkind = \"features\"\n", "run.toml");
  EXPECT_EQ(d.data.normalize, "train");
  EXPECT_TRUE(d.data.distance_feature);
  TrainConfig c = ParseTrainConfig(
      "preset = \"features\"\n[data]\nkind = \"features\"\nnormalize = \"cell_rank\"\n"
      "distance_feature = false\n", "run.toml");
  EXPECT_EQ(c.data.normalize, "cell_rank");
  EXPECT_FALSE(c.data.distance_feature);
  EXPECT_EQ(c.ToJson()["data"]["normalize"], "cell_rank");
  EXPECT_EQ(c.ToJson()["data"]["distance_feature"], false);
  TrainConfig again = ParseTrainConfig(c.ToToml(), "config.toml");
  EXPECT_EQ(again.ToJson(), c.ToJson());
  ExpectInputError(
      [] { ParseTrainConfig("preset = \"features\"\n[data]\nkind = \"features\"\nnormalize = \"rank\"\n", "run.toml"); },
      "run.toml:4:13: 'data.normalize' must be one of cell, train, cell_rank, train+cell_rank, train_rank, none, got 'rank'");
  ExpectInputError(
      [] { ParseTrainConfig("preset = \"features\"\n[data]\nkind = \"features\"\ndistance_feature = 1\n", "run.toml"); },
      "run.toml:4:20: 'data.distance_feature' must be true or false");
  ExpectInputError([] { ParseTrainConfig("[data]\nnormalize = \"train\"\n", "run.toml"); },
                   "conflict: data.normalize is for data.kind = \"features\"");
  ExpectInputError([] { ParseTrainConfig("[data]\ndistance_feature = true\n", "run.toml"); },
                   "conflict: data.distance_feature is for data.kind = \"features\"");
  // A features-only key set on sequence data is refused, not silently ignored.
  ExpectInputError([] { ParseTrainConfig("[model]\ninput_dropout = 0.2\n", "run.toml"); },
                   "run.toml: conflict: model.input_dropout is for data.kind = \"features\"");
  EXPECT_NO_THROW(ParseTrainConfig("preset = \"features\"\n[model]\ninput_dropout = 0.2\n", "run.toml"));
  // Every other key of the other data kind that changes a value, at its position: the trees'
  // parameters on sequences, the motif grammar's on tables. The value the preset has already is
  // no conflict (model.kind = "network" on sequences).
  EXPECT_NO_THROW(ParseTrainConfig("[model]\nkind = \"network\"\nxgb_max_depth = 6\n", "run.toml"));
  ExpectInputError([] { ParseTrainConfig("[model]\nxgb_max_depth = 8\n", "run.toml"); },
                   "run.toml:2:17: conflict: model.xgb_max_depth is for data.kind = \"features\"; "
                   "this configuration's data.kind is \"sequence\"");
  ExpectInputError(
      [] {
        ParseTrainConfig("preset = \"features\"\n[model]\nmotif_grammar_motifs = 16\n", "run.toml");
      },
      "run.toml:3:24: conflict: model.motif_grammar_motifs is for data.kind = \"sequence\"");
}

TEST(FeatureNormalizeTest, NoneIsLog1pAndDistanceFeatureAddsAColumn) {
  TempDir dir;
  auto file = Table(dir);
  train::Data plain = train::LoadData(Config(file, "normalize = \"none\"\n"));
  EXPECT_EQ(plain.train.num_features, 24);
  EXPECT_NEAR(Column(plain.test, 0)[2], std::log1p(60.0), 1e-5);
  EXPECT_NEAR(Column(plain.test, 5)[2], std::log1p(1.0), 1e-6);
  train::Data dist =
      train::LoadData(Config(file, "normalize = \"none\"\ndistance_feature = true\n"));
  EXPECT_EQ(dist.train.num_features, 25);
  EXPECT_EQ(dist.test.num_features, 25);
  auto last = Column(dist.test, 24);
  for (int i = 0; i < 4; ++i) EXPECT_NEAR(last[i], i + 1.0, 1e-5);  // log10(1 + 10^(i+1) - 1)
  EXPECT_EQ(dist.test.distance, plain.test.distance);  // z_I's distance input is unchanged
  EXPECT_EQ(train::ModelOptionsFor(Config(file, "distance_feature = true\n"), 2, 25)
                .num_features(),
            25);
}

TEST(FeatureNormalizeTest, CellStandardisesEachCellLineOnItsOwn) {
  TempDir dir;
  train::Data d = train::LoadData(Config(Table(dir), "normalize = \"cell\"\n"));
  double mean, sd;
  for (const auto* set : {&d.train, &d.val, &d.test}) {
    // The test cell line too, from its own rows: every cell line has mean 0, sd 1.
    auto col = Column(*set, 0);
    for (size_t start = 0; start < col.size(); start += 4) {
      MeanSd({col.begin() + start, col.begin() + start + 4}, &mean, &sd);
      EXPECT_NEAR(mean, 0.0, 1e-5);
      EXPECT_NEAR(sd, 1.0, 1e-4);
    }
  }
  // A constant column becomes 0.
  for (double v : Column(d.test, 3)) EXPECT_EQ(v, 0.0);
}

TEST(FeatureNormalizeTest, TrainUsesOnlyTrainingCellLines) {
  TempDir dir;
  train::Data d = train::LoadData(Config(Table(dir), "normalize = \"train\"\n"));
  ASSERT_EQ(d.train.pairs.size(), 8u);  // A and B
  double mean, sd;
  MeanSd(Column(d.train, 0), &mean, &sd);
  EXPECT_NEAR(mean, 0.0, 1e-5);
  EXPECT_NEAR(sd, 1.0, 1e-4);
  // The statistics of log1p over A and B's rows only, applied unchanged to V and C.
  std::vector<double> raw;
  for (double b : {1.0, 3.0})
    for (int i = 1; i <= 4; ++i) raw.push_back(std::log1p(b * i));
  MeanSd(raw, &mean, &sd);
  auto test = Column(d.test, 0), val = Column(d.val, 0);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(test[i], (std::log1p(20.0 * (i + 1)) - mean) / sd, 1e-4);
    EXPECT_NEAR(val[i], (std::log1p(100.0 * (i + 1)) - mean) / sd, 1e-4);
  }
  // Unlike "cell", the held-out cell lines keep their offset: C's signal is higher than A's.
  double test_mean, val_mean;
  MeanSd(test, &test_mean, &sd);
  MeanSd(val, &val_mean, &sd);
  EXPECT_GT(test_mean, 1.0);
  EXPECT_GT(val_mean, test_mean);
}

TEST(FeatureNormalizeTest, CellRankMapsEachCellLineToTheSameUniformScale) {
  TempDir dir;
  const std::string file = Table(dir);
  train::Data d = train::LoadData(Config(file, "normalize = \"cell_rank\"\n"));
  // Rows 1..4 of every cell line rank 1..4 in column 0 whatever the cell line's level:
  // ((r - 0.5) / 4 - 0.5) * sqrt(12), the same values in A, B, V and C.
  for (const auto* set : {&d.train, &d.val, &d.test}) {
    auto col = Column(*set, 0);
    for (size_t i = 0; i < col.size(); ++i)
      EXPECT_NEAR(col[i], ((i % 4 + 0.5) / 4 - 0.5) * std::sqrt(12.0), 1e-5) << i;
    // A constant column: one tie group of mean rank 2.5 -> 0.
    for (double v : Column(*set, 3)) EXPECT_NEAR(v, 0.0, 1e-6);
  }
  // train+cell_rank: the "train" columns, then the "cell_rank" columns (2 x 24).
  train::Data both = train::LoadData(Config(file, "normalize = \"train+cell_rank\"\n"));
  train::Data tr = train::LoadData(Config(file, "normalize = \"train\"\n"));
  ASSERT_EQ(both.test.num_features, 48);
  EXPECT_EQ(Column(both.test, 0), Column(tr.test, 0));
  EXPECT_EQ(Column(both.test, 24), Column(d.test, 0));
  EXPECT_EQ(Column(both.val, 24 + 5), Column(d.val, 5));
  // Labels are not used: flipping every label leaves the inputs unchanged.
  std::string text = ReadFile(file);
  std::string flipped;
  std::istringstream in(text);
  std::string line;
  std::getline(in, line);
  flipped = line + "\n";
  while (std::getline(in, line)) flipped += (line[0] == '1' ? "0" : "1") + line.substr(1) + "\n";
  train::Data f = train::LoadData(Config(dir.Write("flipped.csv", flipped),
                                         "normalize = \"train+cell_rank\"\n"));
  EXPECT_EQ(f.test.features, both.test.features);
  EXPECT_EQ(f.train.features, both.train.features);
}

TEST(FeatureNormalizeTest, TrainRankPlacesEveryRowInTheTrainingDistribution) {
  TempDir dir;
  train::Data d = train::LoadData(Config(Table(dir), "normalize = \"train_rank\"\n"));
  const double s12 = std::sqrt(12.0);
  auto scale = [&](double share) { return (share - 0.5) * s12; };
  // Column 0 over A and B (the training rows): 1 2 3 4 and 3 6 9 12; the mid-rank share of v is
  // (#{< v} + #{<= v}) / 16. The tie at 3 (A's third row, B's first) shares (2 + 4) / 16.
  const double a[] = {1.0 / 16, 3.0 / 16, 6.0 / 16, 9.0 / 16};
  const double b[] = {6.0 / 16, 11.0 / 16, 13.0 / 16, 15.0 / 16};
  auto train_col = Column(d.train, 0);
  ASSERT_EQ(train_col.size(), 8u);
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(train_col[i], scale(a[i]), 1e-5) << i;
    EXPECT_NEAR(train_col[4 + i], scale(b[i]), 1e-5) << i;
  }
  // V (100..400) and C (20..80) lie above every training value: the top of the scale, not
  // ranked among themselves (unlike cell_rank).
  for (double v : Column(d.test, 0)) EXPECT_NEAR(v, scale(1.0), 1e-5);
  for (double v : Column(d.val, 0)) EXPECT_NEAR(v, scale(1.0), 1e-5);
  // A constant column is one tie group: share 1/2 -> 0.
  for (double v : Column(d.test, 3)) EXPECT_NEAR(v, 0.0, 1e-6);
  // The order of the training-scale columns is kept: "train" maps through a monotone function.
  train::Data tr = train::LoadData(Config(Table(dir), "normalize = \"train\"\n"));
  auto tr_col = Column(tr.train, 0);
  for (int i = 0; i < 8; ++i)
    for (int k = 0; k < 8; ++k)
      EXPECT_EQ(tr_col[i] < tr_col[k], train_col[i] < train_col[k]) << i << " " << k;
}

}  // namespace
}  // namespace prism
