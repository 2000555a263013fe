// The xgboost baseline: XGBoost's C API as prism drives it gives the predictions and the AUPR the
// xgboost Python package computed on a fixture (tests/fixtures/baseline/make_fixtures.py), with
// and without early stopping; errors are prism::Error; a smoke test on the real feature tables.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "baseline/baseline_internal.h"
#include "prism/baseline.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/metric.h"
#include "prism/run_folder.h"
#include "prism/split.h"

namespace prism::baseline {
namespace {

/// xgb_data.csv: split,label,f0..f5 -> one matrix per split.
std::map<std::string, XgbMatrix> ReadFixture() {
  std::ifstream in(std::string(PRISM_FIXTURES) + "/baseline/xgb_data.csv");
  std::string line;
  std::getline(in, line);
  std::map<std::string, XgbMatrix> out;
  while (std::getline(in, line)) {
    std::stringstream ss(line);
    std::string split, cell;
    std::getline(ss, split, ',');
    std::getline(ss, cell, ',');
    XgbMatrix& m = out[split];
    m.labels.push_back(std::stoi(cell));
    size_t cols = 0;
    while (std::getline(ss, cell, ',')) {
      m.values.push_back(cell == "nan" ? NAN : std::stof(cell));
      ++cols;
    }
    m.cols = cols;
    ++m.rows;
  }
  return out;
}

TEST(XgboostBaseline, MatchesThePythonPackage) {
  const Json expected =
      ReadJsonFile(std::string(PRISM_FIXTURES) + "/baseline/xgb_expected.json");
  auto data = ReadFixture();
  ASSERT_EQ(data["train"].rows, 180u);
  ASSERT_EQ(data["test"].cols, 6u);
  XgbParams p;  // the defaults are the fixture's parameters
  ASSERT_EQ(p.max_depth, expected["params"]["max_depth"]);
  ASSERT_EQ(p.eta, expected["params"]["eta"]);
  ASSERT_EQ(p.seed, expected["params"]["seed"]);
  const std::vector<int>& y = data["test"].labels;
  for (const char* mode : {"early_stopping", "fixed_rounds"}) {
    const Json& e = expected[mode];
    const bool early = std::string(mode) == "early_stopping";
    p.max_rounds = early ? e["max_rounds"].get<int>() : e["rounds"].get<int>();
    p.early_stopping = early ? e["early_stopping_rounds"].get<int>() : 0;
    // The fixture was made with 1 thread; tree_method hist builds the same trees with 2.
    p.threads = early ? 1 : 2;
    XgbModel model(data["train"], early ? &data["val"] : nullptr, p);
    if (early) {
      EXPECT_EQ(model.best_round(), e["best_iteration"].get<int>());
      EXPECT_EQ(model.rounds(), e["rounds_trained"].get<int>());
    } else {
      EXPECT_EQ(model.rounds(), p.max_rounds);
    }
    const std::vector<double> s = model.Predict(data["test"]);
    const auto want = e["test_predictions"].get<std::vector<double>>();
    ASSERT_EQ(s.size(), want.size());
    for (size_t i = 0; i < s.size(); ++i) EXPECT_NEAR(s[i], want[i], 1e-6) << mode << " row " << i;
    EXPECT_NEAR(metric::AveragePrecision(y, s), e["test_aupr"].get<double>(), 1e-9) << mode;
  }
}

TEST(XgboostBaseline, XgboostErrorsArePrismErrors) {
  auto data = ReadFixture();
  XgbParams p;
  p.max_rounds = 3;
  p.eta = -1;  // XGBoost rejects a negative learning rate
  try {
    XgbModel model(data["train"], nullptr, p);
    FAIL() << "no error for eta = -1";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("XGBoost"), std::string::npos) << e.what();
  }
  p.eta = 0.1;
  XgbModel model(data["train"], nullptr, p);
  XgbMatrix narrow = data["test"];
  narrow.cols = 5;
  narrow.rows = narrow.values.size() / 5;
  EXPECT_THROW(model.Predict(narrow), Error);
}

TEST(XgboostBaseline, MinChildWeightAndLambdaReachXgboost) {
  // min_child_weight above the training rows' whole hessian (at most rows / 4 for the logistic
  // loss) leaves every tree a single leaf; an enormous lambda shrinks every leaf weight to ~0, so
  // every row keeps the base score. XGBoost's defaults (1, 1) split and spread the scores.
  auto data = ReadFixture();
  XgbParams p;
  p.max_rounds = 5;
  const XgbModel plain(data["train"], nullptr, p);
  EXPECT_GT(plain.NumNodes(false), 5);
  const auto spread = [](const std::vector<double>& v) {
    return *std::max_element(v.begin(), v.end()) - *std::min_element(v.begin(), v.end());
  };
  EXPECT_GT(spread(plain.Predict(data["test"])), 0.05);
  XgbParams stiff = p;
  stiff.min_child_weight = static_cast<double>(data["train"].rows);
  const XgbModel stumps(data["train"], nullptr, stiff);
  EXPECT_EQ(stumps.NumNodes(false), 5);
  XgbParams shrunk = p;
  shrunk.lambda = 1e12;
  const XgbModel flat(data["train"], nullptr, shrunk);
  EXPECT_LT(spread(flat.Predict(data["test"])), 1e-6);
  // min_child_share: min_child_weight = share x the training rows (here 1 x rows: stumps again;
  // 1 / rows: XGBoost's default 1, the plain model's scores exactly).
  XgbParams all_rows = p;
  all_rows.min_child_share = 1;
  const XgbModel share_stumps(data["train"], nullptr, all_rows);
  EXPECT_DOUBLE_EQ(share_stumps.min_child_weight(), static_cast<double>(data["train"].rows));
  EXPECT_EQ(share_stumps.NumNodes(false), 5);
  XgbParams one_row = p;
  one_row.min_child_share = 1.0 / static_cast<double>(data["train"].rows);
  const XgbModel share_plain(data["train"], nullptr, one_row);
  EXPECT_NEAR(share_plain.min_child_weight(), 1.0, 1e-12);
  EXPECT_EQ(share_plain.Predict(data["test"]), plain.Predict(data["test"]));
}

TEST(XgboostBaseline, ObserverSeesEveryRoundAndDrivesEarlyStopping) {
  // The observer gets the predictions of all trees so far (XGBoost's cached ones) on train and
  // val; its score replaces XGBoost's aucpr for early stopping.
  auto data = ReadFixture();
  XgbParams p;
  p.threads = 1;
  p.max_rounds = 60;
  p.early_stopping = 5;
  std::vector<double> scores;
  const XgbRoundObserver observer = [&](int round, const std::vector<double>& tp,
                                        const std::vector<double>& vp) {
    EXPECT_EQ(round, static_cast<int>(scores.size()));
    EXPECT_EQ(tp.size(), data["train"].rows);
    EXPECT_EQ(vp.size(), data["val"].rows);
    const double s = metric::AveragePrecision(data["val"].labels, vp);
    scores.push_back(s);
    return s;
  };
  XgbModel model(data["train"], &data["val"], p, &observer);
  ASSERT_EQ(static_cast<int>(scores.size()), model.rounds());
  const int best = static_cast<int>(std::max_element(scores.begin(), scores.end()) - scores.begin());
  EXPECT_EQ(model.best_round(), best);  // the first maximum
  EXPECT_EQ(model.best_val_aucpr(), scores[best]);
  if (model.rounds() < p.max_rounds) EXPECT_EQ(model.rounds(), best + 1 + p.early_stopping);
  // The best round's val predictions are what Predict gives on val.
  EXPECT_NEAR(metric::AveragePrecision(data["val"].labels, model.Predict(data["val"])),
              scores[best], 1e-12);
}

TEST(XgboostBaseline, SavedModelPredictsTheSame) {
  auto data = ReadFixture();
  XgbParams p;
  p.threads = 1;
  p.max_rounds = 40;
  p.early_stopping = 3;
  XgbModel model(data["train"], &data["val"], p);
  ASSERT_LT(model.best_round() + 1, model.rounds()) << "the fixture should stop after its best";
  const auto want = model.Predict(data["test"]);
  auto best = XgbModel::LoadJson(model.SaveJson(true), 6, 1, "best.xgb.json");
  EXPECT_EQ(best->rounds(), model.best_round() + 1);
  const auto got = best->Predict(data["test"]);
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) EXPECT_FLOAT_EQ(got[i], want[i]) << i;
  auto all = XgbModel::LoadJson(model.SaveJson(false), 6, 1, "last.xgb.json");
  EXPECT_EQ(all->rounds(), model.rounds());
  EXPECT_GT(model.NumNodes(false), model.NumNodes(true));
  EXPECT_GE(model.NumNodes(true), model.best_round() + 1);  // at least one node per tree
  // Not a model, or a model of other columns: InputError naming the file.
  for (const auto& [text, cols] : {std::pair<std::string, size_t>{"{\"x\": 1}", 6},
                                   {"PK\x03\x04", 6}, {model.SaveJson(true), 5}}) {
    try {
      XgbModel::LoadJson(text, cols, 1, "m.xgb.json");
      FAIL() << "accepted " << text.substr(0, 20) << " for " << cols << " columns";
    } catch (const InputError& e) {
      EXPECT_NE(std::string(e.what()).find("m.xgb.json"), std::string::npos) << e.what();
    }
  }
}

/// A feature table with 3 columns where column 0 carries the label, in cell lines A..D.
FeatureTable SyntheticTable() {
  std::mt19937_64 rng(9);
  std::normal_distribution<double> g(0, 1);
  FeatureTable t;
  t.feature_names = {"a", "b", "c"};
  const char* cells[] = {"A", "B", "C", "D"};
  for (int i = 0; i < 800; ++i) {
    Pair p;
    p.cell_line = cells[i % 4];
    p.label = static_cast<int>(i % 5 == 0);
    p.distance = 1000.0 * (1 + (rng() % 100));
    t.pairs.push_back(p);
    t.features.push_back(static_cast<float>(g(rng) + 1.5 * p.label));
    t.features.push_back(static_cast<float>(g(rng)));
    t.features.push_back(static_cast<float>(g(rng)));
  }
  return t;
}

TEST(XgboostBaseline, ThroughTheRegistryWithEarlyStoppingOnValCells) {
  const FeatureTable t = SyntheticTable();
  const BaselineInput in = FromFeatureTable(t, SplitByCells(t.pairs, {"D"}, {"C"}));
  ASSERT_TRUE(in.has_val);
  BaselineOptions opt;
  opt.threads = 1;
  const auto reports = RunBaselines(in, opt, {"val", "test"});
  ASSERT_EQ(reports.size(), 3u);
  EXPECT_TRUE(reports[0].applicable);   // distance
  EXPECT_FALSE(reports[1].applicable);  // kmer_logreg: no sequences
  const BaselineReport& x = reports[2];
  ASSERT_TRUE(x.applicable);
  EXPECT_EQ(x.params["features"], 4);  // 3 columns + |distance|
  EXPECT_EQ(x.params["early_stopping_rounds"], 20);
  EXPECT_LT(x.params["rounds_trained"].get<int>(), 500);  // stopped early
  EXPECT_GT(x.metrics.at("test").overall.aupr, 0.5);  // positive rate 0.2
  EXPECT_EQ(x.metrics.at("test").per_cell.count("D"), 1u);
  for (double s : x.scores.at("test")) EXPECT_TRUE(s >= 0 && s <= 1);
}

TEST(XgboostBaseline, SmokeOnRealFeatureTables) {
  const std::string path =
      std::string(PRISM_SHARED_DATA) + "/Whalen.GM12878.targetfinder_features.csv.gz";
  if (!std::filesystem::exists(path)) GTEST_SKIP() << "real data not found: " << path;
  const FeatureTable t = ReadFeatureTable(path);
  const BaselineInput in = FromFeatureTable(t, SplitByChroms(t.pairs, {"chr1", "chr2"}, {"chr3"}));
  BaselineOptions opt;
  const auto reports = RunBaselines(in, opt, {"val", "test"}, {"distance", "xgboost"});
  for (const auto& r : reports) {
    ASSERT_TRUE(r.applicable) << r.name;
    const metric::MetricRow& o = r.metrics.at("test").overall;
    const double rate = static_cast<double>(o.positives) / static_cast<double>(o.n);
    EXPECT_GT(o.aupr, rate) << r.name;  // better than chance on held-out chromosomes
  }
}

}  // namespace
}  // namespace prism::baseline
