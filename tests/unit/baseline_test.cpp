// The built-in baselines (prism/baseline.h): the shared logistic regression against scikit-learn,
// canonical k-mers, a k-mer baseline that learns a planted k-mer, a distance baseline that ranks
// near pairs first, the registry and its JSON/Markdown.
#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <random>

#include "baseline/baseline_internal.h"
#include "prism/baseline.h"
#include "prism/error.h"
#include "prism/logistic_regression.h"
#include "prism/metric.h"
#include "prism/run_folder.h"

namespace prism::baseline {
namespace {

TEST(LogisticRegression, MatchesScikitLearn) {
  const Json fx = ReadJsonFile(std::string(PRISM_FIXTURES) + "/baseline/logistic.json");
  std::vector<std::vector<double>> rows = fx["x"].get<std::vector<std::vector<double>>>();
  const std::vector<int> y = fx["y"].get<std::vector<int>>();
  const int d = static_cast<int>(rows[0].size());
  const SparseRows x = DenseRows(rows, d);
  for (const Json& c : fx["cases"]) {
    LogisticFitOptions opt;
    opt.l2 = 1.0 / c["C"].get<double>();
    opt.gradient_tolerance = 1e-10;
    const LogisticModel m = FitLogistic(x, y, opt);
    EXPECT_TRUE(m.converged) << "C=" << c["C"];
    const auto coef = c["coef"].get<std::vector<double>>();
    for (int j = 0; j < d; ++j) EXPECT_NEAR(m.w[j], coef[j], 1e-6) << "C=" << c["C"] << " j=" << j;
    EXPECT_NEAR(m.intercept, c["intercept"].get<double>(), 1e-6);
    const auto p = LogisticProbabilities(m, x);
    const auto expect = c["proba_first5"].get<std::vector<double>>();
    for (int i = 0; i < 5; ++i) EXPECT_NEAR(p[i], expect[i], 1e-7);
  }
}

TEST(LogisticRegression, RejectsBadInput) {
  SparseRows x = DenseRows({{1.0}, {2.0}}, 1);
  LogisticFitOptions opt;
  EXPECT_THROW(FitLogistic(x, {0, 2}, opt), Error);
  EXPECT_THROW(FitLogistic(x, {0}, opt), Error);
  opt.l2 = 0;
  EXPECT_THROW(FitLogistic(x, {0, 1}, opt), Error);
}

TEST(KmerFeatures, ReverseComplementIsOneFeature) {
  EXPECT_EQ(NumCanonicalKmers(1), 2);
  EXPECT_EQ(NumCanonicalKmers(2), 10);
  EXPECT_EQ(NumCanonicalKmers(4), 136);
  EXPECT_EQ(NumCanonicalKmers(5), 512);
  EXPECT_EQ(CanonicalKmerIndex("AAAA"), CanonicalKmerIndex("TTTT"));
  EXPECT_EQ(CanonicalKmerIndex("ACGG"), CanonicalKmerIndex("CCGT"));
  EXPECT_NE(CanonicalKmerIndex("ACGG"), CanonicalKmerIndex("ACGT"));
  EXPECT_THROW(CanonicalKmerIndex("ACNT"), Error);
  EXPECT_THROW(NumCanonicalKmers(9), Error);
  // Every canonical index is used exactly by a k-mer and its complement.
  std::vector<int> seen(136, 0);
  const char* b = "ACGT";
  for (int c = 0; c < 256; ++c) {
    std::string k = {b[c >> 6 & 3], b[c >> 4 & 3], b[c >> 2 & 3], b[c & 3]};
    ++seen[CanonicalKmerIndex(k)];
  }
  for (int s : seen) EXPECT_TRUE(s == 1 || s == 2);
}

TEST(KmerFeatures, FrequenciesSkipNAndSumToOne) {
  // "ACGTNACGT": k=2 valid k-mers AC, CG, GT, AC, CG, GT (those touching N skipped).
  const auto f = CanonicalKmerFrequencies("ACGTNacgt", 2);
  double sum = 0;
  for (double v : f) sum += v;
  EXPECT_NEAR(sum, 1.0, 1e-12);
  EXPECT_NEAR(f[CanonicalKmerIndex("AC")], 4.0 / 6, 1e-12);  // AC and GT are one feature
  EXPECT_NEAR(f[CanonicalKmerIndex("CG")], 2.0 / 6, 1e-12);
  for (double v : CanonicalKmerFrequencies("NNN", 3)) EXPECT_EQ(v, 0.0);
}

std::string RandomSeq(std::mt19937_64& rng, size_t n) {
  static const char* b = "ACGT";
  std::string s(n, 'A');
  for (char& c : s) c = b[rng() % 4];
  return s;
}

/// Pairs whose label is carried by `copies` copies of `motif` in the enhancer.
BaselinePart PlantedPart(std::mt19937_64& rng, size_t n, const std::string& motif,
                         const std::string& prefix, const std::string& cell) {
  BaselinePart part;
  for (size_t i = 0; i < n; ++i) {
    Pair p;
    p.enhancer = prefix + "e" + std::to_string(i);
    p.promoter = prefix + "p" + std::to_string(i);
    p.label = static_cast<int>(i % 2);
    p.cell_line = cell;
    std::string e = RandomSeq(rng, 400);
    if (p.label)
      for (int c = 0; c < 6; ++c) e.replace(rng() % (e.size() - motif.size()), motif.size(), motif);
    part.seqs.enhancers[p.enhancer] = e;
    part.seqs.promoters[p.promoter] = RandomSeq(rng, 300);
    part.pairs.push_back(p);
  }
  return part;
}

TEST(KmerLogreg, LearnsAPlantedKmerOnEitherStrand) {
  std::mt19937_64 rng(3);
  BaselineInput in;
  in.kind = InputKind::kSequence;
  in.train = PlantedPart(rng, 300, "ACGGTA", "tr", "A");
  in.val = PlantedPart(rng, 100, "ACGGTA", "va", "B");
  in.has_val = true;
  // Test positives carry the reverse complement: found only because a k-mer and its reverse
  // complement are one feature.
  in.test = PlantedPart(rng, 200, "TACCGT", "te", "C");
  BaselineOptions opt;
  const auto reports = RunBaselines(in, opt, {"val", "test"}, {"kmer_logreg"});
  ASSERT_EQ(reports.size(), 1u);
  const BaselineReport& r = reports[0];
  ASSERT_TRUE(r.applicable);
  EXPECT_GT(r.metrics.at("test").overall.aupr, 0.9);
  EXPECT_EQ(r.metrics.at("test").per_cell.count("C"), 1u);
  EXPECT_EQ(r.params["k"], 4);
  EXPECT_EQ(r.params["l2_chosen_by"], "validation AUPR");
  EXPECT_EQ(r.params["l2_tried"].size(), opt.kmer_l2_grid.size());
  for (double s : r.scores.at("test")) EXPECT_TRUE(s >= 0 && s <= 1);
  // Shuffled labels: nothing to learn, the test AUPR drops to about the positive rate.
  for (auto* part : {&in.train, &in.val})
    for (auto& p : part->pairs) p.label = static_cast<int>(rng() % 2);
  const auto shuffled = RunBaselines(in, opt, {"test"}, {"kmer_logreg"});
  EXPECT_LT(shuffled[0].metrics.at("test").overall.aupr, 0.7);
}

TEST(KmerLogreg, DefaultPenaltyWithoutValidationAndMissingSequence) {
  std::mt19937_64 rng(4);
  BaselineInput in;
  in.train = PlantedPart(rng, 100, "ACGGTA", "tr", "A");
  in.test = PlantedPart(rng, 50, "ACGGTA", "te", "C");
  BaselineOptions opt;
  auto fitted = FitKmerLogreg(in, opt);
  EXPECT_EQ(fitted->Describe()["l2"], opt.kmer_l2_default);
  in.test.seqs.promoters.erase(in.test.pairs[0].promoter);
  try {
    fitted->Score(in.test);
    FAIL() << "no error for a missing sequence";
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("no sequence for the promoter"), std::string::npos);
  }
}

/// Pairs with distances: positives drawn nearer than negatives.
BaselinePart DistancePart(std::mt19937_64& rng, size_t n, const std::string& cell) {
  BaselinePart part;
  std::normal_distribution<double> pos(4.0, 0.4), neg(5.0, 0.4);  // log10 distance
  for (size_t i = 0; i < n; ++i) {
    Pair p;
    p.label = static_cast<int>(i % 3 == 0);
    p.cell_line = cell;
    p.distance = (i % 2 ? -1 : 1) * std::pow(10.0, p.label ? pos(rng) : neg(rng));
    part.pairs.push_back(p);
  }
  return part;
}

TEST(DistanceBaseline, RanksNearPairsFirst) {
  std::mt19937_64 rng(5);
  BaselineInput in;
  in.kind = InputKind::kFeatures;
  in.train = DistancePart(rng, 300, "A");
  in.test = DistancePart(rng, 300, "B");
  const auto reports = RunBaselines(in, BaselineOptions{}, {"train", "test"}, {"distance"});
  const BaselineReport& r = reports.at(0);
  ASSERT_TRUE(r.applicable);
  EXPECT_LT(r.params["slope"].get<double>(), 0);
  EXPECT_TRUE(r.params["converged"].get<bool>());
  EXPECT_GT(r.metrics.at("test").overall.aupr, 0.8);
  // Scores fall with |distance|, whatever its sign.
  const auto& s = r.scores.at("test");
  std::vector<size_t> order(s.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) {
    return std::fabs(in.test.pairs[a].distance) < std::fabs(in.test.pairs[b].distance);
  });
  for (size_t i = 1; i < order.size(); ++i) EXPECT_LE(s[order[i]], s[order[i - 1]]);
}

TEST(DistanceBaseline, NotApplicableWithoutDistance) {
  std::mt19937_64 rng(6);
  BaselineInput in;
  in.train = PlantedPart(rng, 20, "ACGT", "tr", "A");  // sequence pairs: no distance
  in.test = PlantedPart(rng, 20, "ACGT", "te", "B");
  const auto reports = RunBaselines(in, BaselineOptions{}, {"test"}, {"distance", "xgboost"});
  ASSERT_EQ(reports.size(), 2u);
  for (const auto& r : reports) {
    EXPECT_FALSE(r.applicable);
    EXPECT_FALSE(r.reason.empty());
    EXPECT_TRUE(r.metrics.empty());
    EXPECT_EQ(ToJson(r)["applicable"], false);
  }
  EXPECT_NE(reports[0].reason.find("distance"), std::string::npos);
  EXPECT_NE(ToMarkdown(reports).find("distance: not applicable"), std::string::npos);
  EXPECT_THROW(FitDistance(in, BaselineOptions{}), Error);
}

TEST(BaselineRegistry, NamesSplitsAndJsonLayout) {
  EXPECT_EQ(BaselineRegistry().size(), 3u);
  EXPECT_EQ(FindBaseline("xgboost").name, "xgboost");
  try {
    FindBaseline("hgb");
    FAIL();
  } catch (const Error& e) {
    EXPECT_NE(std::string(e.what()).find("distance, kmer_logreg, xgboost"), std::string::npos);
  }
  std::mt19937_64 rng(7);
  BaselineInput in;
  in.kind = InputKind::kFeatures;
  in.train = DistancePart(rng, 60, "A");
  in.test = DistancePart(rng, 60, "B");
  EXPECT_THROW(RunBaselines(in, BaselineOptions{}, {"val"}), Error);  // there is no val
  EXPECT_THROW(RunBaselines(in, BaselineOptions{}, {"dev"}), Error);
  const auto reports = RunBaselines(in, BaselineOptions{}, {"test"}, {"distance"});
  const Json j = ToJson(reports[0]);
  // The same fields as metrics/<split>.json.
  const metric::MetricTable table = metric::TableFromJson(j["metrics"]["test"]);
  EXPECT_EQ(table.overall.n, 60);
  EXPECT_EQ(table.per_cell.count("B"), 1u);
  EXPECT_EQ(j["metrics"]["test"], metric::ToJson(reports[0].metrics.at("test")));
  EXPECT_GE(j["fit_seconds"].get<double>(), 0);
  const std::string md = ToMarkdown(reports);
  EXPECT_NE(md.find("| distance | test |"), std::string::npos);
}

}  // namespace
}  // namespace prism::baseline
