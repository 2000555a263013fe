#include <gtest/gtest.h>

#include <set>

#include "prism/qc.h"
#include "qc_test_util.h"

namespace prism {
namespace {

std::string Fixture(const std::string& name) { return std::string(PRISM_FIXTURES) + "/qc/" + name; }

QcResult Inspect(const std::string& dir, const QcThresholds& t = QcThresholds()) {
  return RunQc(RunFolder::Load(dir), t);
}

std::vector<const QcFinding*> NonInfo(const QcResult& r) {
  std::vector<const QcFinding*> v;
  for (const auto& f : r.findings)
    if (f.severity != Severity::kInfo) v.push_back(&f);
  return v;
}

TEST(QcRules, RegistryHasEveryRuleOfTheTable) {
  const auto& names = QcRuleNames();
  EXPECT_EQ(names.size(), 16u);
  for (const auto& n : names) EXPECT_EQ(CreateQcRule(n)->name(), n);
  ExpectInputError([] { CreateQcRule("no_such_rule"); }, "unknown QC rule 'no_such_rule'");
}

TEST(QcRules, CleanRunPassesEveryRule) {
  QcResult r = Inspect(Fixture("clean"));
  EXPECT_TRUE(r.pass);
  EXPECT_EQ(r.signature, "");
  for (const QcFinding* f : NonInfo(r)) ADD_FAILURE() << f->rule << "/" << f->code << ": " << f->message_en;
  const QcFinding* cap = nullptr;
  for (const auto& f : r.findings)
    if (f.rule == "capacity") cap = &f;
  ASSERT_NE(cap, nullptr);
  EXPECT_DOUBLE_EQ(cap->values["ratio"].get<double>(), 5.0);  // 50000 parameters / 10000 samples
}

struct AloneCase {
  const char* fixture;
  const char* rule;
  const char* code;
  Severity severity;
  bool pass;
  std::vector<int> epochs;
};

void PrintTo(const AloneCase& c, std::ostream* os) { *os << c.fixture; }

class QcRuleAlone : public ::testing::TestWithParam<AloneCase> {};

TEST_P(QcRuleAlone, FixtureTriggersExactlyItsRule) {
  const AloneCase& c = GetParam();
  QcResult r = Inspect(Fixture(c.fixture));
  auto hits = NonInfo(r);
  ASSERT_EQ(hits.size(), 1u) << c.fixture << ": " << (hits.empty() ? "none" : hits[0]->rule + "/" + hits[1]->rule);
  EXPECT_EQ(hits[0]->rule, c.rule);
  EXPECT_EQ(hits[0]->code, c.code);
  EXPECT_EQ(hits[0]->severity, c.severity);
  EXPECT_EQ(hits[0]->epochs, c.epochs);
  EXPECT_EQ(r.pass, c.pass);
  EXPECT_FALSE(hits[0]->message_en.empty());
  EXPECT_FALSE(hits[0]->message_zh.empty());
}

INSTANTIATE_TEST_SUITE_P(
    Fixtures, QcRuleAlone,
    ::testing::Values(
        AloneCase{"loss_trend_rise", "loss_trend", "rise", Severity::kWarning, true, {4, 5}},
        AloneCase{"loss_trend_oscillation", "loss_trend", "oscillation", Severity::kWarning, true, {2, 3, 4, 5, 6, 7, 8}},
        AloneCase{"learning_stagnation", "learning_efficiency", "stagnation", Severity::kWarning, true, {4, 5, 6, 7, 8}},
        AloneCase{"learning_fast", "learning_efficiency", "fast", Severity::kWarning, true, {3, 4, 5}},
        AloneCase{"gradient_explosion", "gradient", "explosion", Severity::kFail, false, {6}},
        AloneCase{"gradient_vanishing", "gradient", "vanishing", Severity::kFail, false, {7, 8}},
        AloneCase{"overfitting_warning_line", "overfitting", "warning_line", Severity::kWarning, true, {5, 6, 7, 8}},
        AloneCase{"train_val_gap", "train_val_gap", "gap", Severity::kFail, false, {4, 5, 6, 7, 8}},
        AloneCase{"train_val_cannot_assess", "train_val_gap", "cannot_assess", Severity::kWarning, true, {}},
        AloneCase{"val_decline", "val_decline", "decline", Severity::kWarning, true, {5, 6, 7, 8}},
        AloneCase{"mode_collapse", "mode_collapse", "constant_output", Severity::kFail, false, {8}},
        AloneCase{"nan_inf", "nan_inf", "nonfinite", Severity::kFail, false, {5}},
        AloneCase{"loss_jump", "loss_jump", "jump", Severity::kWarning, true, {3}},
        AloneCase{"saturated_outputs", "saturated_outputs", "saturated", Severity::kWarning, true, {7, 8}},
        AloneCase{"implementation_consistency", "implementation_consistency", "missing_loss", Severity::kFail, false, {}},
        AloneCase{"evaluation_completeness", "evaluation_completeness", "missing", Severity::kFail, false, {}}),
    [](const ::testing::TestParamInfo<AloneCase>& i) { return std::string(i.param.fixture); });

TEST(QcRules, Seed000FailsWithExactlyTheSeedReasons) {
  QcResult r = Inspect(Fixture("seed000"));
  EXPECT_FALSE(r.pass);
  std::multiset<std::string> got;
  for (const QcFinding* f : r.Reasons()) {
    std::string key = f->rule + "/" + f->code;
    if (f->values.contains("component")) key += ":" + f->values["component"].get<std::string>();
    got.insert(key);
  }
  std::multiset<std::string> want = {
      "overfitting/warning_line", "learning_efficiency/fast", "train_val_gap/cannot_assess",
      "implementation_consistency/missing_loss:contrastive",
      "implementation_consistency/missing_loss:prototype",
      "implementation_consistency/missing_loss:orthogonality", "implementation_consistency/sampler",
      "evaluation_completeness/missing"};
  EXPECT_EQ(got, want);
  EXPECT_EQ(r.signature,
            "evaluation_completeness,implementation_consistency,learning_efficiency,overfitting,train_val_gap");
  for (const QcFinding* f : r.Reasons()) {
    if (f->rule == "overfitting") {
      EXPECT_TRUE(f->escalated);
      EXPECT_DOUBLE_EQ(f->values["max_train_aupr"].get<double>(), 0.9672);
      EXPECT_EQ(f->values["first_epoch"].get<int>(), 3);
    }
    if (f->rule == "learning_efficiency") {
      EXPECT_EQ(f->epochs, std::vector<int>{3});  // +0.0670 at epoch 3; epoch 4 gains 0.0296
      EXPECT_NEAR(f->values["max_gain"].get<double>(), 0.067, 1e-9);
    }
    if (f->code == "sampler") {
      EXPECT_EQ(f->values["configured"], "cell");
      EXPECT_EQ(f->values["logged"], "random");
    }
  }
  // Capacity is reported with the right arithmetic (the human report's "≈0.09" was inverted).
  for (const auto& f : r.findings)
    if (f.rule == "capacity") EXPECT_NEAR(f.values["ratio"].get<double>(), 13065814.0 / 145534.0, 1e-9);
}

TEST(QcRules, OverWarningLineWithValidationStaysAWarning) {
  // Same train AUPR as seed 000 but with a validation split that keeps up: no escalation.
  TempDir d;
  std::string dir = CopyQcFixture(d, "overfitting_warning_line");
  QcResult r = Inspect(dir);
  EXPECT_TRUE(r.pass);
  EXPECT_TRUE(r.Has("overfitting", "warning_line", Severity::kWarning));
  EXPECT_FALSE(r.Has("overfitting", "warning_line", Severity::kFail));
}

/// Rewrites the log of a fixture copy with `edit` applied to every epoch object.
std::string EditedCopy(const TempDir& d, const std::string& fixture,
                       const std::function<void(Json&, size_t)>& edit,
                       const std::function<void(Json&)>& edit_run = nullptr) {
  std::string dir = CopyQcFixture(d, fixture);
  RunFolder rf = RunFolder::Load(dir);
  std::string text;
  for (size_t i = 0; i < rf.epochs.size(); ++i) {
    edit(rf.epochs[i], i);
    text += rf.epochs[i].dump() + "\n";
  }
  d.Write(fixture + "/train_log.jsonl", text);
  if (edit_run) {
    edit_run(rf.run);
    d.Write(fixture + "/run.json", rf.run.dump());
  }
  return dir;
}

TEST(QcRules, ImplementationConsistencyConstantZeroWeightAndSampler) {
  TempDir d;
  auto r = Inspect(EditedCopy(d, "clean", [](Json& e, size_t) { e["loss"]["contrastive"] = 0.0; }));
  EXPECT_TRUE(r.Has("implementation_consistency", "constant_loss", Severity::kFail));
  TempDir d2;
  r = Inspect(EditedCopy(d2, "clean", [](Json& e, size_t) { e["weights"]["prototype"] = 0.0; }));
  EXPECT_TRUE(r.Has("implementation_consistency", "zero_weight", Severity::kFail));
  TempDir d3;
  r = Inspect(EditedCopy(d3, "clean", [](Json& e, size_t i) { if (i >= 4) e["sampler"] = "random"; }));
  ASSERT_EQ(NonInfo(r).size(), 1u);
  EXPECT_EQ(NonInfo(r)[0]->code, "sampler");
  EXPECT_EQ(NonInfo(r)[0]->epochs, (std::vector<int>{5, 6, 7, 8}));
  TempDir d4;
  r = Inspect(EditedCopy(d4, "clean", [](Json& e, size_t i) { if (i == 2) e["loss"]["adversarial"] = "inf"; }));
  EXPECT_TRUE(r.Has("implementation_consistency", "nonfinite_loss", Severity::kFail));
  EXPECT_TRUE(r.Has("nan_inf", "nonfinite", Severity::kFail));
  // A component switched off in the configuration is not required in the log.
  TempDir d5;
  r = Inspect(EditedCopy(d5, "clean", [](Json& e, size_t) { e["loss"].erase("adversarial"); },
                         [](Json& run) { run["config"]["components"]["adversarial"] = false; }));
  EXPECT_TRUE(r.pass);
}

TEST(QcRules, NetworkOnlyRulesAreNotApplicableToBoostedTrees) {
  // model.kind = "xgboost": gradient, learning_efficiency and the component/sampler checks say
  // "not applicable" (info) instead of checking; the task loss is still checked, and the other
  // rules apply unchanged.
  auto as_trees = [](Json& run) { run["config"]["model"]["kind"] = "xgboost"; };
  auto no_grad = [](Json& e, size_t) { e["grad_norm"] = nullptr; e["sampler"] = nullptr; };
  for (const char* fixture : {"gradient_explosion", "learning_stagnation", "learning_fast"}) {
    TempDir d;
    auto r = Inspect(EditedCopy(d, fixture, no_grad, as_trees));
    EXPECT_TRUE(r.pass) << fixture;
    for (const char* rule : {"gradient", "learning_efficiency", "implementation_consistency"})
      EXPECT_TRUE(r.Has(rule, "not_applicable", Severity::kInfo)) << fixture << " " << rule;
    for (const QcFinding* f : NonInfo(r)) ADD_FAILURE() << fixture << ": " << f->rule << "/" << f->code;
  }
  // The network's components missing from the log are not required of trees ...
  TempDir d;
  auto r = Inspect(EditedCopy(d, "clean", [](Json& e, size_t) {
    for (const char* c : {"contrastive", "prototype", "orthogonality", "adversarial"}) e["loss"].erase(c);
    e["sampler"] = nullptr;
  }, as_trees));
  EXPECT_TRUE(r.pass);
  // ... but a constant task loss still fails, and so does a train-val gap.
  TempDir d2;
  r = Inspect(EditedCopy(d2, "clean", [](Json& e, size_t) { e["loss"]["task"] = 0.5; }, as_trees));
  EXPECT_TRUE(r.Has("implementation_consistency", "constant_loss", Severity::kFail));
  TempDir d3;
  r = Inspect(EditedCopy(d3, "train_val_gap", [](Json&, size_t) {}, as_trees));
  EXPECT_TRUE(r.Has("train_val_gap", "gap", Severity::kFail));
  // Without model.kind the same log is inspected as a network's.
  TempDir d4;
  r = Inspect(EditedCopy(d4, "gradient_explosion", [](Json&, size_t) {}));
  EXPECT_TRUE(r.Has("gradient", "explosion", Severity::kFail));
}

TEST(QcRules, ModeCollapseAllPositiveOnTrain) {
  TempDir d;
  auto r = Inspect(EditedCopy(d, "clean", [](Json& e, size_t) {
    e["train"]["recall"] = 0.99;
    e["train"]["precision"] = 0.21;
    e["train"]["positive_rate"] = 0.20;
  }));
  ASSERT_TRUE(r.Has("mode_collapse", "all_positive", Severity::kFail));
  EXPECT_FALSE(r.pass);
}

TEST(QcRules, ModeCollapseWithoutRankingSignalSaysSo) {
  // All positive at the decision threshold with an AUC near chance: the message names the missing
  // ranking signal instead of claiming the outputs collapsed.
  for (double auc : {0.52, 0.85}) {
    TempDir d;
    auto r = Inspect(EditedCopy(d, "clean", [&](Json& e, size_t) {
      e["val"]["recall"] = 1.0;
      e["val"]["precision"] = 0.18;
      e["val"]["positive_rate"] = 0.18;
      e["val"]["auc"] = auc;
    }));
    ASSERT_TRUE(r.Has("mode_collapse", "all_positive", Severity::kFail)) << auc;
    for (const auto& f : r.findings)
      if (f.rule == "mode_collapse" && f.code == "all_positive") {
        EXPECT_EQ(f.values["split"], "val");
        EXPECT_DOUBLE_EQ(f.values["auc"].get<double>(), auc);
        const bool named = f.message_en.find("the scores do not rank this split") != std::string::npos;
        EXPECT_EQ(named, auc < 0.6) << f.message_en;
        EXPECT_EQ(f.message_en.find("predicts (almost) everything positive") == std::string::npos,
                  auc < 0.6);
      }
  }
}

TEST(QcRules, ModeCollapseSaysHowTheThresholdWasSet) {
  // Test: metrics/test.json rows at the threshold chosen on validation ("threshold_rule": "val").
  TempDir d;
  const std::string dir = EditedCopy(d, "clean", [](Json&, size_t) {});
  Json m = ReadJsonFile(dir + "/metrics/test.json");
  m["overall"]["recall"] = 1.0;
  m["overall"]["precision"] = 0.2;  // the positive rate (2 of 10)
  m["overall"]["auc"] = 0.55;
  m["overall"]["threshold"] = 0.01;
  m["overall"]["threshold_rule"] = "val";
  d.Write("clean/metrics/test.json", m.dump());
  auto r = Inspect(dir);
  bool seen = false;
  for (const auto& f : r.findings)
    if (f.rule == "mode_collapse" && f.code == "all_positive" && f.values["split"] == "test") {
      seen = true;
      EXPECT_NE(f.message_en.find("the decision threshold (chosen on validation) calls everything "
                                  "positive"), std::string::npos) << f.message_en;
      EXPECT_NE(f.message_zh.find("在验证集上选定"), std::string::npos) << f.message_zh;
    }
  EXPECT_TRUE(seen);
  // Val: the log's threshold, chosen by config.train.threshold_rule ("f1" when not recorded).
  for (const char* rule : {"mcc", ""}) {
    TempDir d2;
    auto r2 = Inspect(EditedCopy(
        d2, "clean",
        [](Json& e, size_t) {
          e["val"]["recall"] = 1.0;
          e["val"]["precision"] = 0.18;
          e["val"]["positive_rate"] = 0.18;
          e["val"]["auc"] = 0.52;
        },
        [&](Json& run) {
          if (*rule) run["config"]["train"]["threshold_rule"] = rule;
        }));
    for (const auto& f : r2.findings)
      if (f.rule == "mode_collapse" && f.code == "all_positive")
        EXPECT_NE(f.message_en.find(*rule ? "(best MCC on this split)" : "(best F1 on this split)"),
                  std::string::npos) << f.message_en;
    EXPECT_TRUE(r2.Has("mode_collapse", "all_positive", Severity::kFail)) << rule;
  }
}

TEST(QcRules, CurriculumWeightChangeIsNotALossJump) {
  // Total loss doubles when a weight ramps up, but the task loss falls smoothly.
  TempDir d;
  auto r = Inspect(EditedCopy(d, "clean", [](Json& e, size_t i) {
    if (i >= 3) {
      e["weights"]["contrastive"] = 0.5;
      e["loss"]["total"] = e["loss"]["total"].get<double>() * 2.0;
    }
  }));
  EXPECT_FALSE(r.Has("loss_jump", "jump"));
  EXPECT_FALSE(r.Has("loss_trend", "rise"));
}

TEST(QcRules, ThresholdsFromToml) {
  TempDir d;
  std::string p = d.Write("qc.toml", "[qc]\nfast_learning_delta = 0.1\ntrain_aupr_warning = 0.95\n");
  QcThresholds t = QcThresholds::FromToml(p);
  EXPECT_DOUBLE_EQ(t.fast_learning_delta, 0.1);
  EXPECT_DOUBLE_EQ(t.train_aupr_warning, 0.95);
  EXPECT_EQ(t.stagnation_epochs, 5);  // untouched default
  EXPECT_TRUE(NonInfo(Inspect(Fixture("learning_fast"), t)).empty());
  std::string flat = d.Write("flat.toml", "stagnation_epochs = 6\n");
  EXPECT_EQ(QcThresholds::FromToml(flat).stagnation_epochs, 6);
  EXPECT_TRUE(NonInfo(Inspect(Fixture("learning_stagnation"), QcThresholds::FromToml(flat))).empty());
  std::string bad = d.Write("bad.toml", "[qc]\ntrain_aupr_warning = 0.9\nfoo = 1\n");
  ExpectInputError([&] { QcThresholds::FromToml(bad); }, "bad.toml:3:1: unknown key 'foo'");
  std::string type = d.Write("type.toml", "stagnation_epochs = \"five\"\n");
  ExpectInputError([&] { QcThresholds::FromToml(type); },
                   "type.toml:1:21: 'stagnation_epochs': expected a positive integer");
  std::string syntax = d.Write("syntax.toml", "a = = 1\n");
  ExpectInputError([&] { QcThresholds::FromToml(syntax); }, "syntax.toml:1:");
}

/// The train_val_gap fixture (gap 0.16 .. 0.185 over epochs 4..8, limit 0.15) with the Bayes
/// AUPRs a simulation's run records in run.json.
std::string GapFixtureWithBayes(const TempDir& d, const std::string& as, double train, double val) {
  std::string dir = CopyQcFixture(d, "train_val_gap", as);
  Json run = ReadJsonFile(dir + "/run.json");
  run["data"]["bayes_aupr"] = {{"source", "sim/simulation.json"}, {"train", train}, {"val", val},
                               {"test", 0.7}};
  WriteJsonFile(dir + "/run.json", run);
  return dir;
}

const QcFinding* GapFinding(const QcResult& r) {
  for (const auto& f : r.findings)
    if (f.rule == "train_val_gap") return &f;
  return nullptr;
}

TEST(QcRules, TrainValGapCreditsTheDataBayesGap) {
  TempDir d;
  // Bayes gap 0.05: the largest gap 0.185 is 0.135 beyond it, within 0.15 -> PASS, numbers named.
  QcResult r = Inspect(GapFixtureWithBayes(d, "b05", 0.90, 0.85));
  EXPECT_TRUE(r.pass);
  const QcFinding* f = GapFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "ok");
  EXPECT_NEAR(f->values["bayes_gap"].get<double>(), 0.05, 1e-12);
  EXPECT_NEAR(f->values["excess_gap"].get<double>(), 0.135, 1e-12);
  EXPECT_NE(f->message_en.find("Bayes gap (AUPR of the true label probability: train 0.9000, val 0.8500) is 0.0500"),
            std::string::npos) << f->message_en;
  EXPECT_NE(f->message_zh.find("贝叶斯gap"), std::string::npos);
  // Bayes gap 0.02: epochs 6..8 (0.177, 0.18, 0.185) stay over the limit beyond it.
  r = Inspect(GapFixtureWithBayes(d, "b02", 0.90, 0.88));
  EXPECT_FALSE(r.pass);
  f = GapFinding(r);
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->code, "gap");
  EXPECT_EQ(f->epochs, (std::vector<int>{6, 7, 8}));
  EXPECT_NEAR(f->values["bayes_credited"].get<double>(), 0.02, 1e-12);
  EXPECT_NE(f->message_en.find("over the limit 0.15 beyond the Bayes gap in epochs 6-8. The data's Bayes gap (AUPR of the true label probability: train 0.9000, val 0.8800) is 0.0200, credited in full; the gap beyond it is 0.1650."),
            std::string::npos) << f->message_en;
  // Val easier than train for a perfect model: nothing is credited, the spec's rule applies.
  r = Inspect(GapFixtureWithBayes(d, "neg", 0.80, 0.90));
  ASSERT_NE(GapFinding(r), nullptr);
  EXPECT_EQ(GapFinding(r)->epochs, (std::vector<int>{4, 5, 6, 7, 8}));
  // bayes_gap_credit = 0: the spec's rule as written, whatever the data's Bayes gap.
  QcThresholds spec;
  spec.bayes_gap_credit = 0;
  r = Inspect(GapFixtureWithBayes(d, "b05s", 0.90, 0.85), spec);
  EXPECT_FALSE(r.pass);
  EXPECT_EQ(GapFinding(r)->epochs, (std::vector<int>{4, 5, 6, 7, 8}));
  EXPECT_FALSE(GapFinding(r)->values.contains("bayes_gap"));
  // Half the credit: 0.025, so epochs 5..8 (0.17 - 0.025 = 0.145 is not over) -> 6, 7, 8.
  QcThresholds half;
  half.bayes_gap_credit = 0.5;
  r = Inspect(GapFixtureWithBayes(d, "b05h", 0.90, 0.85), half);
  EXPECT_EQ(GapFinding(r)->epochs, (std::vector<int>{6, 7, 8}));
  // The credit is a share.
  std::string bad = d.Write("credit.toml", "[qc]\nbayes_gap_credit = 1.5\n");
  ExpectInputError([&] { QcThresholds::FromToml(bad); },
                   "credit.toml:2:20: 'bayes_gap_credit': expected a share between 0 and 1");
}

TEST(QcRules, UnusableInputNamesFileAndLine) {
  TempDir d;
  std::string dir = CopyQcFixture(d, "clean");
  std::filesystem::remove(dir + "/train_log.jsonl");
  ExpectInputError([&] { Inspect(dir); }, "train_log.jsonl: missing: no training log");
  d.Write("clean/train_log.jsonl", "{\"epoch\":1,\"loss\":{\"total\":1}}\n\n{\"epoch\":2,\"loss\":{\"total\":0.9},\"train\":{\"aupr\":\"high\"}}\n");
  ExpectInputError([&] { Inspect(dir); },
                   "train_log.jsonl:3: field 'train.aupr': expected a number, found \"high\"");
  d.Write("clean/train_log.jsonl", "{\"epoch\":1,\"loss\":{\"task\":1}}\n");
  ExpectInputError([&] { Inspect(dir); }, "train_log.jsonl:1: expected 'loss.total'");
  d.Write("clean/train_log.jsonl", "{\"epoch\":2,\"loss\":{\"total\":1}}\n{\"epoch\":1,\"loss\":{\"total\":1}}\n");
  ExpectInputError([&] { Inspect(dir); }, "train_log.jsonl:2: epoch 1 does not follow epoch 2");
  d.Write("clean/train_log.jsonl", "");
  ExpectInputError([&] { Inspect(dir); }, "train_log.jsonl: empty");
  TempDir d2;
  std::string dir2 = CopyQcFixture(d2, "clean");
  d2.Write("clean/predictions/test.csv", "enhancer,promoter,cell_line,label,score\ne,p,C,1,0.5\ne,p,C,1,abc\n");
  ExpectInputError([&] { Inspect(dir2); }, "test.csv:3:5: column 'score': expected a number, found 'abc'");
  TempDir d3;
  std::string dir3 = CopyQcFixture(d3, "clean");
  std::filesystem::remove(dir3 + "/run.json");
  ExpectInputError([&] { Inspect(dir3); }, "run.json: missing");
}

}  // namespace
}  // namespace prism
