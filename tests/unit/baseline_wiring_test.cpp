// The built-in baselines in a run folder: the typed records (baselines.json, metrics/<split>.json
// `baselines`), the QC rule `baselines`, results.md's comparison, the report's per-cell ticks and
// the ledger record (docs/baselines.md).
#include <gtest/gtest.h>

#include <cmath>
#include <fstream>
#include <set>

#include "prism/baseline.h"
#include "prism/ledger.h"
#include "prism/qc.h"
#include "prism/report.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"
#include "qc_test_util.h"
#include "test_util.h"

namespace prism {
namespace {

metric::MetricTable Table(double aupr, const std::map<std::string, double>& cells) {
  metric::MetricTable t;
  t.overall.aupr = aupr;
  t.overall.auc = 0.7;
  t.overall.n = 10;
  t.overall.positives = 2;
  t.overall.f1 = t.overall.recall = t.overall.precision = t.overall.accuracy = 0.5;
  t.overall.threshold = 0.3;
  t.overall.ece = t.overall.brier = 0.1;
  for (const auto& [cell, a] : cells) {
    t.per_cell[cell] = t.overall;
    t.per_cell[cell].aupr = a;
  }
  return t;
}

/// baselines.json with distance (not applicable) and xgboost at the given val/test AUPR.
BaselinesRecord Record(double val_aupr, double test_aupr) {
  BaselinesRecord r;
  r.input = "features";
  r.data_hash = "0123456789abcdef";
  r.threads = 1;
  r.seconds = 1.5;
  BaselineFitRecord na;
  na.name = "kmer_logreg";
  na.reason = "needs sequences (the input is a feature table)";
  BaselineFitRecord xgb;
  xgb.name = "xgboost";
  xgb.applicable = true;
  xgb.params = {{"best_iteration", 12}};
  xgb.fit_seconds = 1.2;
  xgb.score_seconds = 0.1;
  xgb.metrics["val"] = Table(val_aupr, {{"B", val_aupr}});
  xgb.metrics["test"] = Table(test_aupr, {{"C", test_aupr}});
  BaselineFitRecord dist;
  dist.name = "distance";
  dist.applicable = true;
  dist.fit_seconds = 0.01;
  dist.score_seconds = 0.0;
  dist.metrics["val"] = Table(0.2, {{"B", 0.2}});
  dist.metrics["test"] = Table(0.25, {{"C", 0.25}});
  r.baselines = {dist, na, xgb};
  return r;
}

TEST(BaselineRecords, BaselinesJsonRoundTripsAndPicksTheBest) {
  const BaselinesRecord r = Record(0.5, 0.4);
  const BaselinesRecord back = BaselinesRecord::FromJson(r.ToJson(), {"b.json", 0});
  EXPECT_EQ(back.ToJson(), r.ToJson());
  ASSERT_EQ(back.baselines.size(), 3u);
  EXPECT_FALSE(back.baselines[1].applicable);
  EXPECT_EQ(back.baselines[1].reason, "needs sequences (the input is a feature table)");
  ASSERT_NE(back.Best("val"), nullptr);
  EXPECT_EQ(back.Best("val")->name, "xgboost");
  EXPECT_EQ(Record(0.1, 0.4).Best("val")->name, "distance");
  EXPECT_EQ(back.Best("train"), nullptr);  // no baseline scored train

  PredictionMetrics m;
  m.table = Table(0.6, {{"C", 0.6}});
  back.ToPredictionMetrics("test", &m);
  ASSERT_EQ(m.baselines.size(), 2u);
  EXPECT_DOUBLE_EQ(m.baselines.at("xgboost").table.overall.aupr, 0.4);
  EXPECT_DOUBLE_EQ(m.baselines.at("xgboost").table.per_cell.at("C").aupr, 0.4);
  EXPECT_DOUBLE_EQ(m.baselines.at("xgboost").fit_seconds, 1.2);
  EXPECT_EQ(m.baselines_not_applicable.at("kmer_logreg"),
            "needs sequences (the input is a feature table)");
}

TEST(BaselineRecords, MetricsFileKeepsTheBaselinesWithTheModelsFields) {
  PredictionMetrics m;
  m.table = Table(0.6, {{"C", 0.6}});
  m.mode = "context";
  m.split = "test";
  Record(0.5, 0.4).ToPredictionMetrics("test", &m);
  const Json j = m.ToJson();
  // Same fields as the model's table, per cell line included.
  for (const char* k : {"aupr", "auc", "f1", "recall", "precision", "threshold", "n", "ece",
                        "brier", "positives"}) {
    EXPECT_TRUE(j["baselines"]["xgboost"]["overall"].contains(k)) << k;
    EXPECT_TRUE(j["baselines"]["xgboost"]["per_cell"]["C"].contains(k)) << k;
  }
  const PredictionMetrics back = PredictionMetrics::FromJson(j, {"metrics/test.json", 0});
  EXPECT_EQ(back.ToJson(), j);
  // Switched off: no "baselines" key at all.
  PredictionMetrics off;
  off.table = m.table;
  EXPECT_FALSE(off.ToJson().contains("baselines"));
  EXPECT_TRUE(PredictionMetrics::FromJson(off.ToJson(), {"m.json", 0}).baselines.empty());
}

TEST(BaselineRecords, WrongTypesNameFileAndField) {
  PredictionMetrics m;
  m.table = Table(0.6, {{"C", 0.6}});
  Record(0.5, 0.4).ToPredictionMetrics("test", &m);
  Json j = m.ToJson();
  j["baselines"]["xgboost"]["overall"]["aupr"] = "high";
  ExpectInputError([&] { PredictionMetrics::FromJson(j, {"run/metrics/test.json", 0}); },
                   "run/metrics/test.json: field 'baselines.xgboost.overall.aupr': expected a "
                   "number, found \"high\"");
  j = m.ToJson();
  j["baselines"]["distance"] = 3;
  ExpectInputError([&] { PredictionMetrics::FromJson(j, {"m.json", 0}); },
                   "field 'baselines.distance': expected an object, found 3");
  j = m.ToJson();
  j["baselines"]["xgboost"]["per_cell"]["C"]["n"] = true;
  ExpectInputError([&] { PredictionMetrics::FromJson(j, {"m.json", 0}); },
                   "field 'baselines.xgboost.per_cell.C.n': expected a number, found true");
  Json b = Record(0.5, 0.4).ToJson();
  b["baselines"]["xgboost"]["metrics"]["val"]["overall"]["auc"] = Json::array();
  ExpectInputError([&] { BaselinesRecord::FromJson(b, {"run/baselines.json", 0}); },
                   "run/baselines.json: field 'baselines.xgboost.metrics.val.overall.auc': "
                   "expected a number, found []");
  b = Record(0.5, 0.4).ToJson();
  b["baselines"]["xgboost"]["applicable"] = "yes";
  ExpectInputError([&] { BaselinesRecord::FromJson(b, {"b.json", 0}); },
                   "field 'baselines.xgboost.applicable': expected true or false");
}

TEST(BaselineRecords, ComparisonMarkdownHasARowPerBaselineAndPerCellAuprs) {
  PredictionMetrics m;
  m.table = Table(0.6, {{"C", 0.6}, {"D", 0.5}});
  PredictionMetrics none = m;
  BaselinesRecord r = Record(0.5, 0.4);
  r.baselines[2].metrics["test"] = Table(0.4, {{"C", 0.45}, {"D", 0.35}});
  r.ToPredictionMetrics("test", &m);
  const std::string md = baseline::ComparisonMarkdown(m, "prism");
  EXPECT_NE(md.find("| prism | 0.6000 | 0.7000 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| baseline xgboost | 0.4000 | 0.7000 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| baseline distance | 0.2500 |"), std::string::npos) << md;
  EXPECT_NE(md.find("| cell line | prism | distance | xgboost |"), std::string::npos) << md;
  EXPECT_NE(md.find("| D | 0.5000 | - | 0.3500 |"), std::string::npos) << md;
  EXPECT_NE(md.find("baseline kmer_logreg: not applicable - needs sequences"), std::string::npos);
  EXPECT_EQ(baseline::ComparisonMarkdown(none, "prism"), "");
}

/// A copy of the clean QC fixture (best val AUPR 0.668 at epoch 8) with baselines.json and the
/// baselines in metrics/test.json.
std::string RunWithBaselines(const TempDir& tmp, double val_aupr, const std::string& as = "") {
  const std::string dir = CopyQcFixture(tmp, "clean", as);
  const BaselinesRecord r = Record(val_aupr, 0.4);
  WriteJsonFile(dir + "/baselines.json", r.ToJson());
  PredictionMetrics m;
  r.ToPredictionMetrics("test", &m);
  Json mj = ReadJsonFile(dir + "/metrics/test.json");  // the fixture's own fields unchanged
  mj["baselines"] = m.ToJson()["baselines"];
  mj["baselines_not_applicable"] = m.ToJson()["baselines_not_applicable"];
  WriteJsonFile(dir + "/metrics/test.json", mj);
  return dir;
}

const QcFinding* Finding(const QcResult& r, const std::string& rule) {
  for (const auto& f : r.findings)
    if (f.rule == rule) return &f;
  return nullptr;
}

TEST(QcBaselinesRule, WarnsButPassesWhenTheBestBaselineIsAheadOnValidation) {
  TempDir tmp;
  const std::string dir = RunWithBaselines(tmp, 0.70);
  const RunFolder run = RunFolder::Load(dir);
  const QcResult r = RunQc(run, QcThresholds());
  const QcFinding* f = Finding(r, "baselines");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "not_ahead");
  EXPECT_EQ(f->severity, Severity::kWarning);
  EXPECT_TRUE(r.pass) << r.signature;  // a warning, never a FAIL
  EXPECT_EQ(f->values["best_baseline"], "xgboost");
  EXPECT_NEAR(f->values["model_val_aupr"].get<double>(), 0.668, 1e-12);
  EXPECT_NEAR(f->values["margin"].get<double>(), 0.668 - 0.70, 1e-12);
  EXPECT_EQ(f->epochs, std::vector<int>{8});
  EXPECT_NE(f->message_en.find("does not beat its best baseline, xgboost (val AUPR 0.7000"),
            std::string::npos) << f->message_en;
  // A NaN in a baseline's numbers is not the model's: nan_inf does not fail the run.
  Json mj = ReadJsonFile(dir + "/metrics/test.json");
  mj["baselines"]["xgboost"]["overall"]["ece"] = "nan";
  WriteJsonFile(dir + "/metrics/test.json", mj);
  EXPECT_FALSE(RunQc(RunFolder::Load(dir), QcThresholds()).Has("nan_inf"));
  // A tie is not ahead either.
  const QcResult tie = RunQc(RunFolder::Load(RunWithBaselines(tmp, 0.668, "tie")), QcThresholds());
  EXPECT_EQ(Finding(tie, "baselines")->code, "not_ahead");
  // Shown in the QC report, both languages.
  const std::string en = RenderQcMarkdown(run, r, QcThresholds(), {}, "en");
  EXPECT_NE(en.find("Not ahead of the baselines (warning)"), std::string::npos) << en;
  EXPECT_NE(en.find("**Baselines (validation)**: The model's best val AUPR 0.6680"),
            std::string::npos);
  EXPECT_NE(en.find("| baseline xgboost | 0.4000 |"), std::string::npos);
  const std::string zh = RenderQcMarkdown(run, r, QcThresholds(), {}, "zh");
  EXPECT_NE(zh.find("未超过最佳基线xgboost"), std::string::npos);
}

TEST(QcBaselinesRule, InfoWhenAheadWhenNotFittedAndWithoutValidation) {
  TempDir tmp;
  const QcResult ahead = RunQc(RunFolder::Load(RunWithBaselines(tmp, 0.5)), QcThresholds());
  const QcFinding* f = Finding(ahead, "baselines");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "ahead");
  EXPECT_EQ(f->severity, Severity::kInfo);
  EXPECT_NEAR(f->values["margin"].get<double>(), 0.168, 1e-12);
  EXPECT_EQ(f->values["baselines_val_aupr"]["distance"], 0.2);

  const QcResult none = RunQc(RunFolder::Load(CopyQcFixture(tmp, "clean", "plain")), QcThresholds());
  ASSERT_NE(Finding(none, "baselines"), nullptr);
  EXPECT_EQ(Finding(none, "baselines")->code, "not_fitted");
  EXPECT_EQ(Finding(none, "baselines")->severity, Severity::kInfo);

  // Baselines without a val split (no validation data): cannot assess.
  const std::string dir = CopyQcFixture(tmp, "clean", "noval");
  BaselinesRecord r = Record(0.5, 0.4);
  for (auto& b : r.baselines) b.metrics.erase("val");
  WriteJsonFile(dir + "/baselines.json", r.ToJson());
  const QcResult nv = RunQc(RunFolder::Load(dir), QcThresholds());
  EXPECT_EQ(Finding(nv, "baselines")->code, "cannot_assess");
}

TEST(BaselineReport, PerCellBarsHaveATickAndALegendEntryPerBaseline) {
  std::vector<report::CellBar> bars(2);
  bars[0].cell = "C";
  bars[0].aupr = 0.6;
  bars[0].baselines = {{"distance", 0.2}, {"xgboost", 0.45}};
  bars[1].cell = "D";
  bars[1].aupr = 0.5;
  bars[1].baselines = {{"distance", 0.3}, {"xgboost", NAN}};
  const std::string svg = report::PerCellBarsSvg(bars, 0.55, 0.7);
  auto count = [&](const std::string& s) {
    size_t n = 0;
    for (size_t p = svg.find(s); p != std::string::npos; p = svg.find(s, p + 1)) ++n;
    return n;
  };
  EXPECT_EQ(count("baseline-tick baseline-distance"), 2u);
  EXPECT_EQ(count("baseline-tick baseline-xgboost"), 1u);  // NaN: no tick
  EXPECT_NE(svg.find("AUPR(baseline distance)"), std::string::npos);
  EXPECT_NE(svg.find("AUPR(baseline xgboost)"), std::string::npos);
  // Distinct colours: from each other and from the purple motif-reference tick.
  const std::set<std::string> colours = {report::BaselineTickColor("distance"),
                                         report::BaselineTickColor("kmer_logreg"),
                                         report::BaselineTickColor("xgboost"), "#6A3D9A"};
  EXPECT_EQ(colours.size(), 4u);
  EXPECT_NE(svg.find(report::BaselineTickColor("xgboost")), std::string::npos);
  // No baselines: no legend entry.
  bars[0].baselines.clear();
  bars[1].baselines.clear();
  EXPECT_EQ(report::PerCellBarsSvg(bars, 0.55, 0.7).find("baseline"), std::string::npos);
}

TEST(BaselineReport, ReportAndLedgerRecordCarryTheBaselines) {
  TempDir tmp;
  const std::string dir = RunWithBaselines(tmp, 0.5);
  const std::string html = RenderReport(dir);
  EXPECT_NE(html.find("id=\"baselines-table\""), std::string::npos);
  EXPECT_NE(html.find("baseline-tick baseline-xgboost"), std::string::npos);
  EXPECT_NE(html.find("kmer_logreg: not applicable"), std::string::npos);

  const RecordPoint rp = RecordPointFromRun(RunFolder::Load(dir));
  const LedgerMetrics lm = LedgerMetrics::FromJson(rp.metrics);
  ASSERT_EQ(lm.baselines.size(), 2u);
  EXPECT_DOUBLE_EQ(lm.baselines.at("xgboost").test, 0.4);
  EXPECT_DOUBLE_EQ(lm.baselines.at("xgboost").val, 0.5);
  EXPECT_DOUBLE_EQ(lm.baselines.at("distance").test, 0.25);
  EXPECT_EQ(LedgerMetrics::FromJson(lm.ToJson()).ToJson(), lm.ToJson());
  EXPECT_FALSE(LedgerMetrics().ToJson().contains("baselines"));
  // The history index prints them.
  Ledger ledger(tmp.Join("ledger.db"));
  ledger.Insert(rp);
  EXPECT_NE(LedgerHistoryMarkdown(ledger).find(
                "Baselines (test AUPR / val AUPR): distance 0.2500 / 0.2000, xgboost 0.4000 / "
                "0.5000."),
            std::string::npos)
      << LedgerHistoryMarkdown(ledger);
}

}  // namespace
}  // namespace prism
