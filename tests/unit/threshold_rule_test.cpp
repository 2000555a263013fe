// Tests of the threshold rules ("f1", "mcc") and the threshold policy of the result table:
// the "mcc" rule against scikit-learn (scripts/make_threshold_rule_fixtures.py), a fixed
// threshold, the JSON field threshold_rule.
#include <gtest/gtest.h>

#include <cmath>

#include "prism/labeled_subset.h"
#include "prism/metric.h"
#include "prism/run_folder.h"
#include "test_util.h"

namespace prism::metric {
namespace {

Json McFixture() {
  return ReadJsonFile(std::string(PRISM_FIXTURES) + "/metrics/threshold_rules/mcc.json");
}

TEST(ThresholdRules, RegistryNamesAndUnknownRule) {
  EXPECT_EQ(ThresholdRuleNames(), (std::vector<std::string>{"f1", "mcc"}));
  ExpectInputError([] { ChooseThreshold("youden", {1, 0}, {0.6, 0.4}); },
                   "unknown threshold rule 'youden' (valid: f1, mcc)");
  ExpectInputError([] { ThresholdPolicy::Own("F1"); }, "unknown threshold rule 'F1'");
  ExpectInputError([] { ThresholdPolicy::Fixed(NAN); }, "must be a finite number");
}

TEST(ThresholdRules, MccMatchesSklearnOnTheGrid) {
  const Json fx = McFixture();
  ASSERT_GE(fx.at("cases").size(), 7u) << "run scripts/make_threshold_rule_fixtures.py";
  const std::vector<double> grid = ThresholdGrid();
  for (const Json& c : fx.at("cases")) {
    const std::string name = c.at("name").get<std::string>();
    SCOPED_TRACE(name);
    const auto y = c.at("labels").get<std::vector<int>>();
    const auto s = c.at("scores").get<std::vector<double>>();
    const auto mcc = c.at("mcc").get<std::vector<double>>();
    ASSERT_EQ(mcc.size(), grid.size());
    for (size_t k = 0; k < grid.size(); ++k)
      EXPECT_NEAR(Matthews(AtThreshold(y, s, grid[k])), mcc[k], 1e-12) << "thr " << grid[k];
    const ThresholdChoice m = ChooseThreshold("mcc", y, s);
    EXPECT_DOUBLE_EQ(m.threshold, c.at("best_mcc").at("threshold").get<double>());
    EXPECT_NEAR(m.value, c.at("best_mcc").at("mcc").get<double>(), 1e-12);
    EXPECT_NEAR(m.f1, AtThreshold(y, s, m.threshold).f1, 1e-15);
    // "f1" through the registry is BestF1Threshold, and agrees with sklearn's f1_score.
    const ThresholdChoice f = ChooseThreshold("f1", y, s);
    EXPECT_DOUBLE_EQ(f.threshold, BestF1Threshold(y, s).threshold);
    EXPECT_DOUBLE_EQ(f.threshold, c.at("best_f1").at("threshold").get<double>());
    EXPECT_NEAR(f.value, c.at("best_f1").at("f1").get<double>(), 1e-12);
  }
}

TEST(ThresholdRules, MccDoesNotCallEverythingPositiveOnAWeakBalancedRanker) {
  // The measured failure: balanced classes, AUC about 0.53. F1's choice predicts (almost) every
  // pair positive; MCC's choice is a real split.
  const Json fx = McFixture();
  for (const Json& c : fx.at("cases")) {
    if (c.at("name") != "very_weak_balanced") continue;
    const auto y = c.at("labels").get<std::vector<int>>();
    const auto s = c.at("scores").get<std::vector<double>>();
    ASSERT_GT(RocAuc(y, s), 0.5);
    const Confusion f1 = AtThreshold(y, s, ChooseThreshold("f1", y, s).threshold);
    const Confusion mcc = AtThreshold(y, s, ChooseThreshold("mcc", y, s).threshold);
    EXPECT_GE(f1.recall, 0.98);
    EXPECT_LT(mcc.recall, 0.9);
    EXPECT_GT(mcc.tn, 0);
    return;
  }
  FAIL() << "case very_weak_balanced missing";
}

TEST(ThresholdRules, MccNeverPicksAnExtremeWhenTheRankerHasSignal) {
  // 6 pairs, AUC 5/9 > 0.5: all-positive (thr <= 0.2) and all-negative (thr > 0.9) have MCC 0.
  const std::vector<int> y = {1, 0, 1, 0, 0, 1};
  const std::vector<double> s = {0.9, 0.8, 0.7, 0.3, 0.25, 0.2};
  ASSERT_NEAR(RocAuc(y, s), 5.0 / 9.0, 1e-12);
  const ThresholdChoice m = ChooseThreshold("mcc", y, s);
  const Confusion c = AtThreshold(y, s, m.threshold);
  EXPECT_GT(c.tp + c.fp, 0);
  EXPECT_GT(c.tn + c.fn, 0);
  EXPECT_GT(m.value, 0.0);
  // F1 on the same pairs: everything positive (F1 = 2 * 0.5 / 1.5 = 2/3 is not beaten by a split).
  EXPECT_DOUBLE_EQ(ChooseThreshold("f1", y, s).threshold, 0.01);
  EXPECT_DOUBLE_EQ(AtThreshold(y, s, 0.01).recall, 1.0);
  // MCC's best: only 0.9 positive, MCC 3 / sqrt(45); thresholds in (0.8, 0.9] tie -> 0.81.
  EXPECT_DOUBLE_EQ(m.threshold, 0.81);
  EXPECT_NEAR(m.value, 3.0 / std::sqrt(45.0), 1e-15);
  EXPECT_NEAR(m.value, Matthews(c), 1e-15);
}

TEST(ThresholdPolicy, FixedThresholdGivesTheConfusionAtExactlyThatThreshold) {
  const std::vector<int> y = {1, 0, 1, 0, 0, 1, 1, 0};
  const std::vector<double> s = {0.9, 0.2, 0.6, 0.7, 0.1, 0.8, 0.37, 0.37};
  const std::vector<std::string> cells = {"B", "B", "A", "A", "A", "B", "A", "B"};
  const MetricTable t = ComputeTable(y, s, cells, ThresholdPolicy::Fixed(0.37));
  const Confusion all = AtThreshold(y, s, 0.37);  // s >= 0.37: the tie at 0.37 is positive
  EXPECT_DOUBLE_EQ(t.overall.threshold, 0.37);
  EXPECT_EQ(t.overall.threshold_rule, "val");
  EXPECT_DOUBLE_EQ(t.overall.recall, all.recall);
  EXPECT_DOUBLE_EQ(t.overall.precision, all.precision);
  EXPECT_DOUBLE_EQ(t.overall.f1, all.f1);
  EXPECT_DOUBLE_EQ(t.overall.accuracy, all.accuracy);
  EXPECT_DOUBLE_EQ(t.overall.recall, 1.0);           // 4 positives, all >= 0.37
  EXPECT_DOUBLE_EQ(t.overall.precision, 4.0 / 6.0);  // negatives 0.7 and 0.37 too
  // Per cell: the same fixed threshold, not one chosen on the cell's labels.
  ASSERT_EQ(t.per_cell.size(), 2u);
  for (const auto& [cell, row] : t.per_cell) {
    EXPECT_DOUBLE_EQ(row.threshold, 0.37) << cell;
    EXPECT_EQ(row.threshold_rule, "val") << cell;
  }
  std::vector<int> ya;
  std::vector<double> sa;
  for (size_t i = 0; i < y.size(); ++i)
    if (cells[i] == "A") ya.push_back(y[i]), sa.push_back(s[i]);
  EXPECT_DOUBLE_EQ(t.per_cell.at("A").f1, AtThreshold(ya, sa, 0.37).f1);
  // The same pairs by rule: each row chooses its own threshold.
  const MetricTable own = ComputeTable(y, s, cells, ThresholdPolicy::Own("mcc"));
  EXPECT_EQ(own.overall.threshold_rule, "mcc");
  EXPECT_DOUBLE_EQ(own.overall.threshold, ChooseThreshold("mcc", y, s).threshold);
  EXPECT_DOUBLE_EQ(own.per_cell.at("A").threshold, ChooseThreshold("mcc", ya, sa).threshold);
}

TEST(ThresholdPolicy, DefaultIsF1OnOwnLabels) {
  const std::vector<int> y = {1, 0, 1, 0, 1};
  const std::vector<double> s = {0.9, 0.4, 0.35, 0.2, 0.6};
  const MetricRow r = ComputeRow(y, s);
  EXPECT_EQ(r.threshold_rule, "f1");
  EXPECT_DOUBLE_EQ(r.threshold, BestF1Threshold(y, s).threshold);
}

TEST(ThresholdPolicy, RuleIsWrittenAndReadBackTolerantly) {
  MetricRow r = ComputeRow({1, 0, 1}, {0.8, 0.3, 0.6}, ThresholdPolicy::Fixed(0.5));
  const Json j = ToJson(r);
  EXPECT_EQ(j.at("threshold_rule"), "val");
  EXPECT_EQ(RowFromJson(j).threshold_rule, "val");
  Json old = j;
  old.erase("threshold_rule");  // files written before the field: absent, not an error
  EXPECT_EQ(RowFromJson(old).threshold_rule, "");
  EXPECT_DOUBLE_EQ(RowFromJson(old).threshold, 0.5);
  MetricRow unset;
  EXPECT_FALSE(ToJson(unset).contains("threshold_rule"));
}

TEST(ThresholdPolicy, PartlyLabeledTableUsesThePolicy) {
  const std::vector<int> y = {1, 0, 1, -1};
  const std::vector<double> s = {0.8, 0.45, 0.5, 0.9};
  const std::vector<std::string> c = {"A", "A", "A", "A"};
  const auto t = ComputePartlyLabeledTable(y, s, c, ThresholdPolicy::Fixed(0.46));
  EXPECT_EQ(t.table.overall.threshold_rule, "val");
  EXPECT_DOUBLE_EQ(t.table.overall.precision, 1.0);
  EXPECT_EQ(t.ToJson().at("overall").at("threshold_rule"), "val");
}

TEST(ThresholdPolicy, RunFolderPolicyIsWhatPredictUses) {
  // reflect/report recompute a table from predictions only when metrics/test.json is absent;
  // they use the best checkpoint's validation threshold from run.json, else the config's rule.
  TempDir d;
  d.Write("a/run.json", R"({"name": "a", "status": "finished",
    "config": {"train": {"threshold_rule": "mcc"}},
    "checkpoints": {"best": {"file": "checkpoints/best.pt", "bytes": 10, "hash": "0", "epoch": 2,
                             "val_threshold": 0.37},
                    "last": {"file": "checkpoints/last.pt", "bytes": 10, "hash": "0", "epoch": 3}}})");
  const RunFolder a = RunFolder::Load(d.Join("a"));
  EXPECT_TRUE(a.PredictThresholdPolicy("best").is_fixed());
  EXPECT_DOUBLE_EQ(a.PredictThresholdPolicy("best").fixed, 0.37);
  EXPECT_EQ(a.PredictThresholdPolicy("best").rule, "val");
  EXPECT_FALSE(a.PredictThresholdPolicy("last").is_fixed());  // no val threshold recorded
  EXPECT_EQ(a.PredictThresholdPolicy("last").rule, "mcc");
  EXPECT_EQ(a.record.checkpoints.at("best").val_threshold, 0.37);
  // A run from before train.threshold_rule: F1 on the split's own labels, as it was evaluated.
  d.Write("b/run.json", R"({"name": "b", "status": "finished", "config": {"train": {}}})");
  const RunFolder b = RunFolder::Load(d.Join("b"));
  EXPECT_FALSE(b.PredictThresholdPolicy().is_fixed());
  EXPECT_EQ(b.PredictThresholdPolicy().rule, "f1");
  // run.json writes val_threshold only when there is one.
  const Json j = a.record.ToJson();
  EXPECT_DOUBLE_EQ(j["checkpoints"]["best"]["val_threshold"].get<double>(), 0.37);
  EXPECT_FALSE(j["checkpoints"]["last"].contains("val_threshold"));
}

}  // namespace
}  // namespace prism::metric
