// Tests of prism::metric: agreement with scikit-learn fixtures (scripts/make_metric_fixtures.py),
// hand-computed cases, degenerate inputs, the table/JSON/Markdown output and the registry.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <random>

#include "prism/metric.h"
#include "prism/run_folder.h"
#include "test_util.h"

namespace prism::metric {
namespace {

constexpr double kTol = 1e-9;

std::string FixtureDir() { return std::string(PRISM_FIXTURES) + "/metrics"; }

/// Expects equality to kTol, or both NaN when the fixture says "nan".
void ExpectNear(double got, const Json& want, const std::string& what) {
  double w = ReadNumber(want);
  if (std::isnan(w)) {
    EXPECT_TRUE(std::isnan(got)) << what << ": expected nan, got " << got;
  } else {
    EXPECT_NEAR(got, w, kTol) << what;
  }
}

void ExpectArray(const std::vector<double>& got, const Json& want, const std::string& what) {
  ASSERT_EQ(got.size(), want.size()) << what;
  for (size_t i = 0; i < got.size(); ++i)
    ExpectNear(got[i], want[i], what + "[" + std::to_string(i) + "]");
}

struct Fixture {
  std::string name;
  Json j;
  std::vector<int> y;
  std::vector<double> s;
};

std::vector<Fixture> LoadFixtures() {
  std::vector<Fixture> out;
  for (const auto& e : std::filesystem::directory_iterator(FixtureDir())) {
    if (e.path().extension() != ".json" ||
        e.path().filename().string().find("expected") != std::string::npos)
      continue;
    Fixture f;
    f.j = ReadJsonFile(e.path().string());
    f.name = f.j.at("name").get<std::string>();
    f.y = f.j.at("labels").get<std::vector<int>>();
    f.s = f.j.at("scores").get<std::vector<double>>();
    out.push_back(std::move(f));
  }
  return out;
}

TEST(MetricFixtures, AllCasesPresent) {
  auto fx = LoadFixtures();
  EXPECT_GE(fx.size(), 13u) << "run scripts/make_metric_fixtures.py";
}

TEST(MetricFixtures, AveragePrecisionAndAucMatchSklearn) {
  for (const auto& f : LoadFixtures()) {
    SCOPED_TRACE(f.name);
    ExpectNear(AveragePrecision(f.y, f.s), f.j["ap"], "AP");
    ExpectNear(RocAuc(f.y, f.s), f.j["auc"], "AUC");
  }
}

TEST(MetricFixtures, CalibrationMatches) {
  int checked = 0;
  for (const auto& f : LoadFixtures()) {
    if (!f.j.contains("brier")) continue;
    SCOPED_TRACE(f.name);
    ExpectNear(Brier(f.y, f.s), f.j["brier"], "Brier");
    ExpectNear(Ece(f.y, f.s), f.j["ece"], "ECE");
    ++checked;
  }
  EXPECT_GE(checked, 12);
}

TEST(MetricFixtures, ConfusionAtThresholdsMatchesSklearn) {
  for (const auto& f : LoadFixtures()) {
    for (const auto& t : f.j["at_threshold"]) {
      double thr = t["threshold"].get<double>();
      SCOPED_TRACE(f.name + " @ " + std::to_string(thr));
      Confusion c = AtThreshold(f.y, f.s, thr);
      ExpectNear(c.precision, t["precision"], "precision");
      ExpectNear(c.recall, t["recall"], "recall");
      ExpectNear(c.f1, t["f1"], "f1");
      ExpectNear(c.accuracy, t["accuracy"], "accuracy");
      EXPECT_EQ(c.tp, t["tp"].get<long>());
      EXPECT_EQ(c.fp, t["fp"].get<long>());
      EXPECT_EQ(c.tn, t["tn"].get<long>());
      EXPECT_EQ(c.fn, t["fn"].get<long>());
    }
  }
}

TEST(MetricFixtures, BestF1ThresholdMatches) {
  for (const auto& f : LoadFixtures()) {
    SCOPED_TRACE(f.name);
    ThresholdChoice c = BestF1Threshold(f.y, f.s);
    EXPECT_DOUBLE_EQ(c.threshold, f.j["best_f1"]["threshold"].get<double>());
    EXPECT_NEAR(c.f1, f.j["best_f1"]["f1"].get<double>(), kTol);
  }
}

TEST(MetricFixtures, CurvesMatchSklearn) {
  for (const auto& f : LoadFixtures()) {
    SCOPED_TRACE(f.name);
    Curve pr = PrCurve(f.y, f.s);
    ExpectArray(pr.x, f.j["pr_curve"]["recall"], "pr recall");
    ExpectArray(pr.y, f.j["pr_curve"]["precision"], "pr precision");
    ExpectArray(pr.thresholds, f.j["pr_curve"]["thresholds"], "pr thresholds");
    Curve roc = RocCurve(f.y, f.s);
    ExpectArray(roc.x, f.j["roc_curve"]["fpr"], "fpr");
    ExpectArray(roc.y, f.j["roc_curve"]["tpr"], "tpr");
    ExpectArray(roc.thresholds, f.j["roc_curve"]["thresholds"], "roc thresholds");
  }
}

// ---- hand-computed cases ----------------------------------------------------------------------

TEST(Metric, AveragePrecisionByHand) {
  // Ranking 1,0,1,0: precision at the two positives 1 and 2/3 -> AP = (1 + 2/3) / 2.
  EXPECT_NEAR(AveragePrecision({1, 0, 1, 0}, {0.9, 0.8, 0.7, 0.1}), (1 + 2.0 / 3) / 2, 1e-15);
  // A tie between a positive and a negative is one step: precision 1/2 at recall 1.
  EXPECT_NEAR(AveragePrecision({1, 0}, {0.5, 0.5}), 0.5, 1e-15);
  EXPECT_DOUBLE_EQ(AveragePrecision({0, 1}, {0.1, 0.9}), 1.0);
}

TEST(MetricFixtures, WeightedAveragePrecisionMatchesSklearn) {
  std::ifstream in(FixtureDir() + "/weighted/average_precision.json");
  ASSERT_TRUE(in) << "weighted/average_precision.json";
  const Json j = Json::parse(in);
  ASSERT_EQ(j["cases"].size(), 3u);
  for (const Json& c : j["cases"]) {
    const auto y = c["labels"].get<std::vector<int>>();
    const auto s = c["scores"].get<std::vector<double>>();
    const auto w = c["weights"].get<std::vector<double>>();
    EXPECT_NEAR(WeightedAveragePrecision(y, s, w), c["ap"].get<double>(), 1e-9) << c["name"];
    // Unit weights are the unweighted metric.
    EXPECT_NEAR(WeightedAveragePrecision(y, s, std::vector<double>(y.size(), 1.0)),
                AveragePrecision(y, s), 1e-12) << c["name"];
  }
}

TEST(Metric, WeightedAveragePrecisionByHand) {
  // Ranking 1,0,1,0 with the first negative weighing 2: precision 1, then 2/4 -> (1 + 1/2) / 2.
  EXPECT_NEAR(WeightedAveragePrecision({1, 0, 1, 0}, {0.9, 0.8, 0.7, 0.1}, {1, 2, 1, 1}), 0.75, 1e-15);
  // A zero-weight negative is as if absent.
  EXPECT_DOUBLE_EQ(WeightedAveragePrecision({0, 1}, {0.9, 0.1}, {0, 1}), 1.0);
  EXPECT_DOUBLE_EQ(WeightedAveragePrecision({1, 0}, {0.9, 0.1}, {0, 1}), 0.0);  // no positive weight
  EXPECT_THROW(WeightedAveragePrecision({1, 0}, {0.9, 0.1}, {1, -1}), Error);
  EXPECT_THROW(WeightedAveragePrecision({1, 0}, {0.9, 0.1}, {1}), Error);
}

TEST(Metric, RocAucByHand) {
  EXPECT_DOUBLE_EQ(RocAuc({0, 1}, {0.1, 0.9}), 1.0);
  EXPECT_DOUBLE_EQ(RocAuc({1, 0}, {0.1, 0.9}), 0.0);
  EXPECT_DOUBLE_EQ(RocAuc({1, 0}, {0.5, 0.5}), 0.5);  // ties count 1/2
  // Pairs (pos, neg): (0.8, 0.3) win, (0.8, 0.8) tie, (0.2, 0.3) loss, (0.2, 0.8) loss -> 1.5/4.
  EXPECT_DOUBLE_EQ(RocAuc({1, 0, 1, 0}, {0.8, 0.3, 0.2, 0.8}), 1.5 / 4);
}

TEST(Metric, RocAucEqualsMannWhitneyOnRandomTiedData) {
  std::mt19937_64 rng(5);
  std::vector<int> y(3000);
  std::vector<double> s(3000);
  for (size_t i = 0; i < y.size(); ++i) {
    y[i] = rng() % 4 == 0;
    s[i] = static_cast<double>(rng() % 50) / 50.0 + 0.05 * y[i];
  }
  double wins = 0, pairs = 0;
  for (size_t i = 0; i < y.size(); ++i)
    for (size_t j = 0; j < y.size(); ++j)
      if (y[i] == 1 && y[j] == 0) {
        pairs += 1;
        wins += s[i] > s[j] ? 1.0 : (s[i] == s[j] ? 0.5 : 0.0);
      }
  EXPECT_NEAR(RocAuc(y, s), wins / pairs, 1e-12);
}

TEST(Metric, LargeInputsMatchReferenceImplementation) {
  // Above the radix-sort cut-off: negative scores, -0.0 and +0.0, huge magnitudes, many ties.
  std::mt19937_64 rng(11);
  const size_t n = 60000;
  std::vector<int> y(n);
  std::vector<double> s(n);
  for (size_t i = 0; i < n; ++i) {
    y[i] = rng() % 7 == 0;
    switch (rng() % 5) {
      case 0: s[i] = static_cast<double>(static_cast<int>(rng() % 200) - 100) / 8.0; break;
      case 1: s[i] = (rng() % 2 ? -0.0 : 0.0); break;
      case 2: s[i] = (rng() % 2 ? -1.0 : 1.0) * std::ldexp(1.0 + (rng() % 1000) / 1000.0, static_cast<int>(rng() % 200) - 100); break;
      default: s[i] = std::uniform_real_distribution<double>(-3, 3)(rng) + y[i]; break;
    }
  }
  // Reference: sort pairs with std::sort, walk distinct scores.
  std::vector<std::pair<double, int>> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = {s[i], y[i]};
  std::sort(v.begin(), v.end(), [](auto& a, auto& b) { return a.first > b.first; });
  long pos = 0;
  for (int l : y) pos += l;
  long tp = 0, fp = 0, prev_tp = 0, prev_fp = 0;
  double ap = 0, area2 = 0;
  size_t groups = 0;
  for (size_t i = 0; i < n; ++i) {
    (v[i].second ? tp : fp)++;
    if (i + 1 == n || v[i + 1].first != v[i].first) {
      ap += static_cast<double>(tp - prev_tp) / pos * tp / static_cast<double>(tp + fp);
      area2 += static_cast<double>(fp - prev_fp) * (tp + prev_tp);
      prev_tp = tp;
      prev_fp = fp;
      ++groups;
    }
  }
  EXPECT_NEAR(AveragePrecision(y, s), ap, 1e-12);
  EXPECT_NEAR(RocAuc(y, s), area2 / (2.0 * pos * (n - pos)), 1e-12);
  Curve pr = PrCurve(y, s);
  ASSERT_EQ(pr.thresholds.size(), groups);
  EXPECT_TRUE(std::is_sorted(pr.thresholds.begin(), pr.thresholds.end()));
  EXPECT_EQ(pr.thresholds.back(), v.front().first);
  EXPECT_EQ(pr.thresholds.front(), v.back().first);
  ThresholdChoice best = BestF1Threshold(y, s);
  double best_f1 = -1;
  for (double thr : ThresholdGrid()) best_f1 = std::max(best_f1, AtThreshold(y, s, thr).f1);
  EXPECT_DOUBLE_EQ(best.f1, best_f1);
  EXPECT_DOUBLE_EQ(AtThreshold(y, s, best.threshold).f1, best_f1);
}

TEST(Metric, ThresholdIsInclusive) {
  Confusion c = AtThreshold({1, 0, 1}, {0.5, 0.49, 0.2}, 0.5);
  EXPECT_EQ(c.tp, 1);
  EXPECT_EQ(c.fp, 0);
  EXPECT_EQ(c.tn, 1);
  EXPECT_EQ(c.fn, 1);
  EXPECT_DOUBLE_EQ(c.precision, 1.0);
  EXPECT_DOUBLE_EQ(c.recall, 0.5);
  EXPECT_DOUBLE_EQ(c.f1, 2.0 / 3);
  EXPECT_DOUBLE_EQ(c.accuracy, 2.0 / 3);
}

TEST(Metric, BestF1TiesGoToSmallestThreshold) {
  // Every threshold in (0.3, 0.8] gives the same F1 (only the 0.9 positive predicted... plus none).
  ThresholdChoice c = BestF1Threshold({1, 0, 1}, {0.9, 0.3, 0.9});
  EXPECT_DOUBLE_EQ(c.threshold, 0.31);
  EXPECT_DOUBLE_EQ(c.f1, 1.0);
  // No positives: every F1 is 0 -> the first grid point.
  c = BestF1Threshold({0, 0}, {0.2, 0.7});
  EXPECT_DOUBLE_EQ(c.threshold, 0.01);
  EXPECT_DOUBLE_EQ(c.f1, 0.0);
  EXPECT_EQ(ThresholdGrid().size(), 99u);
  EXPECT_DOUBLE_EQ(ThresholdGrid().front(), 0.01);
  EXPECT_DOUBLE_EQ(ThresholdGrid().back(), 0.99);
}

TEST(Metric, ReliabilityBins) {
  auto bins = Reliability({0, 1, 1, 0}, {0.0, 0.5, 1.0, -0.2}, 2);
  ASSERT_EQ(bins.size(), 2u);
  EXPECT_EQ(bins[0].n, 2);  // 0.0 and -0.2 (clamped into the first bin)
  EXPECT_EQ(bins[1].n, 2);  // 0.5 and 1.0 (1.0 into the last bin)
  EXPECT_DOUBLE_EQ(bins[0].frac_pos, 0.0);
  EXPECT_DOUBLE_EQ(bins[1].frac_pos, 1.0);
  EXPECT_DOUBLE_EQ(bins[1].mean_score, 0.75);
  EXPECT_DOUBLE_EQ(bins[1].lo, 0.5);
  EXPECT_DOUBLE_EQ(Ece({0, 1}, {0.0, 1.0}), 0.0);
  EXPECT_DOUBLE_EQ(Ece({1, 1}, {0.5, 0.5}), 0.5);
  EXPECT_DOUBLE_EQ(Brier({1, 0}, {0.5, 0.5}), 0.25);
  auto empty_bins = Reliability({}, {}, 15);
  EXPECT_EQ(empty_bins.size(), 15u);
  EXPECT_TRUE(std::isnan(empty_bins[3].mean_score));
  ExpectInputError([] { Reliability({1}, {0.5}, 0); }, "bins must be >= 1");
}

// ---- degenerate and bad inputs ----------------------------------------------------------------

TEST(Metric, EmptyInputIsDefined) {
  std::vector<int> y;
  std::vector<double> s;
  EXPECT_TRUE(std::isnan(AveragePrecision(y, s)));
  EXPECT_TRUE(std::isnan(RocAuc(y, s)));
  EXPECT_TRUE(std::isnan(Ece(y, s)));
  EXPECT_TRUE(std::isnan(Brier(y, s)));
  Confusion c = AtThreshold(y, s, 0.5);
  EXPECT_EQ(c.f1, 0.0);
  EXPECT_TRUE(std::isnan(c.accuracy));
  MetricRow r = ComputeRow(y, s);
  EXPECT_EQ(r.n, 0);
  EXPECT_DOUBLE_EQ(r.threshold, 0.01);
  EXPECT_TRUE(PrCurve(y, s).x.empty());
  EXPECT_TRUE(RocCurve(y, s).x.empty());
}

TEST(Metric, OneClassIsDefined) {
  EXPECT_DOUBLE_EQ(AveragePrecision({0, 0, 0}, {0.1, 0.5, 0.5}), 0.0);  // sklearn 1.2: -0.0
  EXPECT_DOUBLE_EQ(AveragePrecision({1, 1}, {0.1, 0.5}), 1.0);
  EXPECT_TRUE(std::isnan(RocAuc({0, 0}, {0.1, 0.5})));
  EXPECT_TRUE(std::isnan(RocAuc({1, 1}, {0.1, 0.5})));
  MetricRow r = ComputeRow({0, 0, 0}, {0.1, 0.2, 0.3});
  EXPECT_EQ(r.positives, 0);
  EXPECT_DOUBLE_EQ(r.aupr, 0.0);
  EXPECT_TRUE(std::isnan(r.auc));
  EXPECT_DOUBLE_EQ(r.f1, 0.0);
}

TEST(Metric, BadInputsThrow) {
  ExpectInputError([] { AveragePrecision({1, 0}, {0.5}); }, "2 labels but 1 scores");
  ExpectInputError([] { RocAuc({1, 2}, {0.5, 0.5}); }, "label 1 is 2, expected 0 or 1");
  ExpectInputError([] { Brier({1, 0}, {0.5, NAN}); }, "score 1 is nan, expected a finite number");
  ExpectInputError([] { BestF1Threshold({1}, {INFINITY}); }, "expected a finite number");
  ExpectInputError([] { ComputeTable({1, 0}, {0.5, 0.4}, {"A"}); }, "2 labels but 1 cell lines");
}

// ---- bootstrap standard errors -------------------------------------------------------------

TEST(Metric, BootstrapApSeOfAConstantScoreIsTheSeOfThePositiveRate) {
  // A constant score's AP is the positive rate of the draw: unstratified, its SE is the binomial
  // sqrt(p (1 - p) / n); drawn within each label (strata = labels) the rate never moves: SE 0.
  const size_t n = 400;
  std::vector<int> y(n);
  std::vector<std::string> by_label(n);
  for (size_t i = 0; i < n; ++i) y[i] = i % 2, by_label[i] = y[i] ? "pos" : "neg";
  const std::vector<std::vector<double>> constant = {std::vector<double>(n, 0.3)};
  const double se = BootstrapAveragePrecisionSe(y, constant, {}, {}, 2000, 1)[0];
  EXPECT_NEAR(se, std::sqrt(0.25 / n), 0.1 * std::sqrt(0.25 / n));
  EXPECT_NEAR(BootstrapAveragePrecisionSe(y, constant, {}, by_label, 200, 1)[0], 0, 1e-12);
}

TEST(Metric, BootstrapApSeIsPairedDeterministicAndWeightScaleFree) {
  std::mt19937_64 rng(3);
  std::normal_distribution<double> noise;
  const size_t n = 300;
  std::vector<int> y(n);
  std::vector<double> good(n), poor(n);
  std::vector<std::string> cells(n);
  for (size_t i = 0; i < n; ++i) {
    y[i] = i % 3 == 0;
    good[i] = 2.0 * y[i] + noise(rng);
    poor[i] = 0.3 * y[i] + noise(rng);
    cells[i] = i < 100 ? "A" : "B";
  }
  const auto se = BootstrapAveragePrecisionSe(y, {good, poor, good}, {}, cells, 300, 9);
  EXPECT_EQ(se[0], se[2]);  // the same draws for every scoring
  EXPECT_GT(se[0], 0);
  EXPECT_LT(se[0], se[1]);  // a near-separating score varies less than a weak one
  EXPECT_EQ(se, BootstrapAveragePrecisionSe(y, {good, poor, good}, {}, cells, 300, 9));
  EXPECT_NE(se[0], BootstrapAveragePrecisionSe(y, {good}, {}, cells, 300, 10)[0]);
  // uniform weights of any size are no weights
  const auto w2 = BootstrapAveragePrecisionSe(y, {good, poor}, std::vector<double>(n, 2.5), cells, 300, 9);
  EXPECT_NEAR(w2[0], se[0], 1e-12);
  EXPECT_NEAR(w2[1], se[1], 1e-12);
  EXPECT_TRUE(std::isnan(BootstrapAveragePrecisionSe(y, {good}, {}, {}, 1, 9)[0]));
  EXPECT_THROW(BootstrapAveragePrecisionSe(y, {std::vector<double>(n - 1, 0.5)}, {}, {}, 10, 1), Error);
  EXPECT_THROW(BootstrapAveragePrecisionSe(y, {good}, {}, {"A"}, 10, 1), Error);
}

// ---- table, JSON, Markdown --------------------------------------------------------------------

TEST(MetricTable, PerCellRowsAndRoundTrip) {
  std::vector<int> y = {1, 0, 1, 0, 0, 1};
  std::vector<double> s = {0.9, 0.2, 0.6, 0.7, 0.1, 0.8};
  std::vector<std::string> cells = {"B", "B", "A", "A", "A", "B"};
  MetricTable t = ComputeTable(y, s, cells);
  ASSERT_EQ(t.per_cell.size(), 2u);
  EXPECT_EQ(t.overall.n, 6);
  EXPECT_EQ(t.overall.positives, 3);
  EXPECT_EQ(t.per_cell["A"].n, 3);
  EXPECT_EQ(t.per_cell["A"].positives, 1);
  EXPECT_DOUBLE_EQ(t.per_cell["A"].auc, 0.5);        // 0.6 beats 0.1, loses to 0.7
  EXPECT_DOUBLE_EQ(t.per_cell["B"].aupr, 1.0);
  EXPECT_DOUBLE_EQ(t.overall.aupr, AveragePrecision(y, s));

  Json j = ToJson(t);
  for (const char* key : {"aupr", "auc", "f1", "recall", "precision", "threshold", "accuracy",
                          "ece", "brier", "n", "positives"})
    EXPECT_TRUE(j["overall"].contains(key)) << key;
  MetricTable back = TableFromJson(Json::parse(j.dump()));
  EXPECT_DOUBLE_EQ(back.overall.aupr, t.overall.aupr);
  EXPECT_DOUBLE_EQ(back.per_cell["A"].ece, t.per_cell["A"].ece);
  EXPECT_EQ(back.per_cell["B"].n, 3);
}

TEST(MetricTable, NanIsWrittenAsString) {
  MetricTable t = ComputeTable({0, 0}, {0.1, 0.2}, {});
  Json j = ToJson(t);
  EXPECT_EQ(j["overall"]["auc"], "nan");
  EXPECT_TRUE(j["per_cell"].empty());
  EXPECT_TRUE(std::isnan(TableFromJson(j).overall.auc));
}

TEST(MetricTable, MarkdownLayout) {
  MetricTable t = ComputeTable({1, 0, 1, 0}, {0.9, 0.1, 0.8, 0.7}, {"K562", "K562", "A549", "A549"});
  std::string md = ToMarkdown(t);
  std::istringstream in(md);
  std::string header, sep, first, second, third;
  std::getline(in, header);
  std::getline(in, sep);
  std::getline(in, first);
  std::getline(in, second);
  std::getline(in, third);
  EXPECT_EQ(header, "| cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |");
  EXPECT_EQ(sep, "| --- | --- | --- | --- | --- | --- | --- | --- |");
  EXPECT_EQ(first, "| overall | 1.0000 | 1.0000 | 1.0000 | 1.0000 | 1.0000 | 0.71 | 4 |");
  EXPECT_EQ(second.rfind("| A549 |", 0), 0u);
  EXPECT_EQ(third.rfind("| K562 |", 0), 0u);
  MetricTable one = ComputeTable({0}, {0.3}, {});
  EXPECT_NE(ToMarkdown(one).find("| overall | 0.0000 | nan |"), std::string::npos);
}

// ---- registry ---------------------------------------------------------------------------------

TEST(MetricRegistry, EveryNameCreatesItsMetric) {
  std::vector<std::string> names = MetricNames();
  EXPECT_EQ(names, (std::vector<std::string>{"aupr", "auc", "f1", "precision", "recall",
                                             "accuracy", "ece", "brier"}));
  std::vector<int> y = {1, 0, 1, 0, 1};
  std::vector<double> s = {0.9, 0.4, 0.35, 0.2, 0.6};
  MetricRow row = ComputeRow(y, s);
  for (const auto& n : names) {
    auto m = CreateMetric(n);
    EXPECT_EQ(m->name(), n);
    EXPECT_EQ(m->higher_is_better(), n != "ece" && n != "brier") << n;
  }
  EXPECT_DOUBLE_EQ(CreateMetric("aupr")->Eval(y, s), row.aupr);
  EXPECT_DOUBLE_EQ(CreateMetric("auc")->Eval(y, s), row.auc);
  EXPECT_DOUBLE_EQ(CreateMetric("f1")->Eval(y, s), row.f1);
  EXPECT_DOUBLE_EQ(CreateMetric("precision")->Eval(y, s), row.precision);
  EXPECT_DOUBLE_EQ(CreateMetric("recall")->Eval(y, s), row.recall);
  EXPECT_DOUBLE_EQ(CreateMetric("accuracy")->Eval(y, s), row.accuracy);
  EXPECT_DOUBLE_EQ(CreateMetric("ece")->Eval(y, s), row.ece);
  EXPECT_DOUBLE_EQ(CreateMetric("brier")->Eval(y, s), row.brier);
}

TEST(MetricRegistry, FixedThresholdVariant) {
  auto m = CreateMetric("f1@0.5");
  EXPECT_EQ(m->name(), "f1@0.5");
  std::vector<int> y = {1, 0, 1, 0};
  std::vector<double> s = {0.9, 0.6, 0.4, 0.1};
  EXPECT_DOUBLE_EQ(m->Eval(y, s), AtThreshold(y, s, 0.5).f1);
  EXPECT_DOUBLE_EQ(CreateMetric("recall@0.3")->Eval(y, s), 1.0);
}

TEST(MetricRegistry, UnknownNamesThrow) {
  ExpectInputError([] { CreateMetric("auprc"); },
                   "unknown metric 'auprc' (valid: aupr, auc, f1, precision, recall, accuracy, "
                   "ece, brier");
  ExpectInputError([] { CreateMetric("f1@x"); }, "threshold after '@' must be a number in [0, 1]");
  ExpectInputError([] { CreateMetric("f1@1.5"); }, "must be a number in [0, 1]");
  ExpectInputError([] { CreateMetric("auc@0.5"); }, "metric 'auc' takes no threshold");
}

}  // namespace
}  // namespace prism::metric
