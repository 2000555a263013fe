#include "prism/reflect.h"

#include <gtest/gtest.h>

#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/ledger.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

/// A writable copy of tests/fixtures/run_small (written by tests/fixtures/make_run_small.py).
std::string CopyFixture(const TempDir& d) { return d.CopyFixture("run_small"); }

std::vector<std::string> Ids(const std::vector<Hypothesis>& hs) {
  std::vector<std::string> out;
  for (const auto& h : hs) out.push_back(h.id);
  return out;
}

TEST(Reflect, GeneralizationGapOnFixture) {
  Reflection r = Reflect(RunFolder::Load(std::string(PRISM_FIXTURES) + "/run_small"));
  // Best validation AUPR (0.786) is at epoch 4, whose train AUPR is 0.913; the last is 0.951.
  EXPECT_EQ(r.train_epoch, 4);
  EXPECT_DOUBLE_EQ(r.train_aupr, 0.913);
  EXPECT_DOUBLE_EQ(r.train_aupr_last, 0.951);
  EXPECT_DOUBLE_EQ(r.val_aupr, 0.786);
  EXPECT_NEAR(r.test_aupr, 0.749847, 1e-9);
  EXPECT_NEAR(r.gap_abs, 0.913 - 0.749847, 1e-9);
  EXPECT_NEAR(r.gap_rel, (0.913 - 0.749847) / 0.913, 1e-9);
  EXPECT_NEAR(r.val_test_gap, 0.786 - 0.749847, 1e-9);
  EXPECT_EQ(r.train_source, "log best epoch (max val AUPR)");
  EXPECT_TRUE(r.missing.empty());
}

TEST(Reflect, PerCellSpreadBalanceAndComponentsOnFixture) {
  Reflection r = Reflect(RunFolder::Load(std::string(PRISM_FIXTURES) + "/run_small"));
  ASSERT_EQ(r.cells.size(), 2u);
  EXPECT_EQ(r.cells[0].cell, "GM12878");
  EXPECT_EQ(r.worst_cell, "K562");
  EXPECT_EQ(r.best_cell, "GM12878");
  EXPECT_NEAR(r.cell_min, 0.569403, 1e-9);
  EXPECT_NEAR(r.cell_max, 0.890393, 1e-9);
  EXPECT_NEAR(r.cell_std, (0.890393 - 0.569403) / 2, 1e-9);  // population std of two values
  EXPECT_NEAR(r.worst_gap_to_others, 0.890393 - 0.569403, 1e-9);
  EXPECT_DOUBLE_EQ(r.threshold, 0.02);
  EXPECT_TRUE(r.threshold_extreme);
  EXPECT_NEAR(r.balance, 0.834646 - 0.582418, 1e-9);
  EXPECT_NEAR(r.ece, 0.288992, 1e-9);
  ASSERT_EQ(r.reliability.size(), 15u);
  long n = 0;
  for (const auto& b : r.reliability) n += b.n;
  EXPECT_EQ(n, 300);
  EXPECT_EQ(r.n_train_cells, 4);
  EXPECT_DOUBLE_EQ(r.disc_chance, 0.25);
  EXPECT_NEAR(r.disc_excess, (0.62 - 0.25) / 0.75, 1e-12);
  EXPECT_NEAR(r.cells[1].entropy_norm, 1.31 / std::log(4.0), 1e-12);
  EXPECT_NEAR(r.proto_separation_ratio, 0.84 / 0.57, 1e-12);
  EXPECT_DOUBLE_EQ(r.weight_adversarial, 0.05);
  EXPECT_DOUBLE_EQ(r.temperature, 0.6);
}

TEST(Reflect, HypothesesRankedBySeverityOnFixture) {
  Reflection r = Reflect(RunFolder::Load(std::string(PRISM_FIXTURES) + "/run_small"));
  EXPECT_EQ(Ids(r.hypotheses),
            (std::vector<std::string>{"cell_not_covered", "miscalibration",
                                      "invariance_not_achieved", "memorisation",
                                      "streams_entangled", "recall_precision_imbalance"}));
  for (size_t i = 0; i < r.hypotheses.size(); ++i) {
    EXPECT_EQ(r.hypotheses[i].rank, static_cast<int>(i) + 1);
    if (i) EXPECT_GE(r.hypotheses[i - 1].severity, r.hypotheses[i].severity);
  }
  // ECE 0.289 >= full scale 0.25 and the threshold is extreme: strength 1, severity = weight.
  EXPECT_DOUBLE_EQ(r.hypotheses[1].strength, 1.0);
  EXPECT_DOUBLE_EQ(r.hypotheses[1].severity, 0.7);
  // Invariance: 0.6 * s(gap 0.163 over 0.05..0.30) + 0.4 * s(disc excess 0.493 over 0.10..0.60).
  double s = 0.6 * ((0.913 - 0.749847) - 0.05) / 0.25 + 0.4 * ((0.37 / 0.75) - 0.10) / 0.50;
  EXPECT_NEAR(r.hypotheses[2].severity, 1.0 * (0.25 + 0.75 * s), 1e-9);
  // Each hypothesis carries its number in the text and a next experiment.
  EXPECT_NE(r.hypotheses[0].evidence_en.find("K562 AUPR 0.569"), std::string::npos);
  EXPECT_NE(r.hypotheses[2].next_en.find("0.050 -> 0.100"), std::string::npos);
  for (const auto& h : r.hypotheses) {
    EXPECT_FALSE(h.next_en.empty());
    EXPECT_FALSE(h.next_zh.empty());
    EXPECT_TRUE(std::isfinite(h.value)) << h.id;
  }
}

TEST(Reflect, RankingRulesOnSyntheticNumbers) {
  Reflection r;  // all NaN: nothing can be claimed
  EXPECT_TRUE(RankHypotheses(r).empty());

  r.train_aupr = 0.97;
  r.test_aupr = 0.68;
  r.gap_abs = 0.29;
  r.gap_rel = 0.29 / 0.97;
  // No adversarial component: the gap points at the missing mechanism, ranked after the
  // overfitting it measures directly (weight 0.5 against 0.8: severity 0.485 vs 0.70).
  auto hs = RankHypotheses(r);
  ASSERT_GE(hs.size(), 2u);
  EXPECT_EQ(hs[0].id, "memorisation");
  EXPECT_EQ(hs[1].id, "no_invariance_mechanism");

  r.components = {"adversarial"};
  r.disc_acc = 0.51;
  r.disc_chance = 0.5;
  r.disc_excess = 0.02;  // at chance: invariance reached, so that hypothesis must not appear
  EXPECT_EQ(Ids(RankHypotheses(r)), std::vector<std::string>{"memorisation"});

  Reflection e;
  e.r_e_mean = 0.001;
  e.r_e_max = 0.01;
  e.temperature = 0.02;
  e.zi_ze_corr = 0.05;          // below trigger
  e.proto_separation_ratio = 0.3;
  EXPECT_EQ(Ids(RankHypotheses(e)),
            (std::vector<std::string>{"prototypes_collapsed", "environment_unused",
                                      "temperature_extreme"}));
}

TEST(Reflect, MarkdownHasTheSectionsInBothLanguages) {
  Reflection r = Reflect(RunFolder::Load(std::string(PRISM_FIXTURES) + "/run_small"));
  std::string en = ReflectionMarkdown(r, Lang::kEn);
  for (const char* s : {"# Reflection: fixture-run-small", "## 1. Failure structure",
                        "## 2. Per-cell spread", "## 3. Recall–precision balance",
                        "## 4. Calibration", "## 5. Component health", "## 6. Key insights",
                        "## 7. Root causes: ranked hypotheses", "## 8. Implications",
                        "## Severity score", "absolute gap 0.163, relative drop 17.9%",
                        "| 0.000–0.067 | 191 |"})
    EXPECT_NE(en.find(s), std::string::npos) << s;
  std::string zh = ReflectionMarkdown(r, Lang::kZh);
  for (const char* s : {"# 记录点反思", "## 1. 失败结构：泛化差距", "## 2. 细胞系间差异",
                        "## 4. 概率校准", "## 5. 组件健康度", "## 6. 关键洞察", "## 7. 根因分析",
                        "## 8. 对下一步的启示", "绝对差距 0.163", "相对下降 17.9%"})
    EXPECT_NE(zh.find(s), std::string::npos) << s;
  EXPECT_EQ(ParseLang("zh"), Lang::kZh);
  ExpectInputError([] { ParseLang("fr"); }, "unknown language 'fr'");
}

TEST(Reflect, JsonCarriesNumbersAndRanking) {
  Reflection r = Reflect(RunFolder::Load(std::string(PRISM_FIXTURES) + "/run_small"));
  Json j = ReflectionJson(r);
  EXPECT_NEAR(j["generalization"]["gap_abs"].get<double>(), r.gap_abs, 1e-12);
  EXPECT_EQ(j["per_cell"]["worst"], "K562");
  EXPECT_EQ(j["hypotheses"][0]["id"], "cell_not_covered");
  EXPECT_EQ(j["hypotheses"][0]["rank"], 1);
  EXPECT_EQ(j["calibration"]["reliability"].size(), 15u);
  EXPECT_NE(j["summary"]["en"].get<std::string>().find("gap 0.163"), std::string::npos);
}

TEST(Reflect, FallsBackToPredictionsWithoutMetricsJson) {
  TempDir d;
  std::string run = CopyFixture(d);
  fs::remove(run + "/metrics/test.json");
  Reflection r = Reflect(RunFolder::Load(run));
  EXPECT_NEAR(r.test_aupr, 0.749847, 1e-6);  // recomputed from predictions/test.csv
  EXPECT_NEAR(r.cell_min, 0.569403, 1e-6);
  EXPECT_EQ(r.missing, std::vector<std::string>{"metrics/test.json"});
}

TEST(Reflect, WithoutLogUsesDiagnosticsTrainAupr) {
  TempDir d;
  std::string run = CopyFixture(d);
  fs::remove(run + "/train_log.jsonl");
  Reflection r = Reflect(RunFolder::Load(run));
  EXPECT_DOUBLE_EQ(r.train_aupr, 0.947);
  EXPECT_EQ(r.train_source, "diagnostics.json train");
  EXPECT_TRUE(std::isnan(r.val_aupr));
}

TEST(Reflect, PlainModelWithComponentsOffPointsAtTheMissingMechanism) {
  TempDir d;
  std::string run = CopyFixture(d);
  // The plain model: every decoupling component off, so its numbers are null everywhere.
  d.Write("run/diagnostics.json", R"({"disc_acc": null, "disc_chance": null, "zi_ze_corr": null,
      "prototype_separation": null, "prototype_assignment": null, "r_e": null, "T": 1.0,
      "train": {"aupr": 0.97, "auc": 0.98, "n": 1200}})");
  Json j = ReadJsonFile(run + "/run.json");
  for (auto& [k, v] : j["config"]["components"].items()) v = false;
  WriteJsonFile(run + "/run.json", j);
  std::string log = ReadFile(run + "/train_log.jsonl");
  for (size_t p; (p = log.find("\"disc_acc\": 0.")) != std::string::npos;)
    log.replace(p, 14, "\"disc_acc\": null, \"unused\": 0.");
  d.Write("run/train_log.jsonl", log);

  Reflection r = Reflect(RunFolder::Load(run));
  EXPECT_TRUE(r.components.empty());
  EXPECT_TRUE(std::isnan(r.disc_acc));
  EXPECT_TRUE(std::isnan(r.cells[1].entropy));
  EXPECT_DOUBLE_EQ(r.temperature, 1.0);
  auto ids = Ids(r.hypotheses);
  EXPECT_EQ(ids, (std::vector<std::string>{"cell_not_covered", "miscalibration",
                                          "memorisation", "no_invariance_mechanism",
                                          "recall_precision_imbalance"}));
  EXPECT_NE(r.hypotheses[0].next_en.find("switch on the prototype component"), std::string::npos);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "invariance_not_achieved"), 0);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "streams_entangled"), 0);
  std::string md = ReflectionMarkdown(r, Lang::kEn);
  EXPECT_NE(md.find("Configured components: none"), std::string::npos);
  EXPECT_NE(md.find("| adversarial: discriminator accuracy | n/a"), std::string::npos);
}

TEST(Reflect, BadInputNamesTheProblem) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("run/diagnostics.json", "{\"disc_acc\": 0.5,\n  \"T\": }\n");
  ExpectInputError([&] { Reflect(RunFolder::Load(run)); }, "diagnostics.json:2: invalid JSON");
  fs::remove(run + "/diagnostics.json");
  d.Write("run/predictions/test.csv", "enhancer,promoter,cell_line,label,score\na,b,K562,1,0.5\n"
                                      "a,b,K562,2,0.5\n");
  ExpectInputError([&] { Reflect(RunFolder::Load(run)); }, "test.csv:3:");
  fs::remove(run + "/predictions/test.csv");
  fs::remove(run + "/metrics/test.json");
  ExpectInputError([&] { Reflect(RunFolder::Load(run)); }, "no test evaluation");
}

/// The fields of a `prism simulate` simulation.json that the reflection reads.
const char* const kSimulationJson = R"({"format": "prism-simulation/1", "seed": 1, "splits": {
  "train": {"aupr_true": 0.98, "aupr_env_blind": 0.888, "aupr_shortcut": 0.715,
            "positive_rate": 0.2},
  "val": {"aupr_true": 0.754, "aupr_env_blind": 0.707, "aupr_shortcut": 0.171,
          "positive_rate": 0.178},
  "test": {"aupr_true": 0.80, "aupr_env_blind": 0.80, "aupr_shortcut": 0.3, "positive_rate": 0.3,
           "per_cell": {"GM12878": {"aupr_true": 0.95, "aupr_env_blind": 0.9, "positive_rate": 0.3},
                        "K562": {"aupr_true": 0.7, "aupr_env_blind": 0.6, "aupr_reference": 0.65,
                                 "positive_rate": 0.3}}}}})";

/// Points the run's run.json data.path at `sim_dir`.
void SetDataPath(const std::string& run, const std::string& sim_dir) {
  Json j = ReadJsonFile(run + "/run.json");
  j["data"]["path"] = sim_dir;
  WriteJsonFile(run + "/run.json", j);
}

TEST(Reflect, SimulatedDataIsPlacedBetweenTheOracles) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("sim/simulation.json", kSimulationJson);
  SetDataPath(run, d.Join("sim"));
  Reflection r = Reflect(RunFolder::Load(run));
  const SimulationReference& s = r.simulation;
  EXPECT_EQ(s.path, d.Join("sim") + "/simulation.json");
  ASSERT_EQ(s.rows.size(), 5u);  // train, val, test, two cells
  EXPECT_EQ(s.rows[0].group, "train");
  EXPECT_DOUBLE_EQ(s.rows[0].model_aupr, 0.913);
  EXPECT_DOUBLE_EQ(s.rows[1].model_aupr, 0.786);
  EXPECT_EQ(s.rows[2].group, "test");
  EXPECT_EQ(s.rows[4].group, "K562");
  EXPECT_NEAR(s.rows[4].model_aupr, 0.569403, 1e-9);
  EXPECT_DOUBLE_EQ(s.rows[4].aupr_env_blind, 0.6);
  EXPECT_TRUE(std::isnan(s.rows[4].aupr_shortcut));
  EXPECT_DOUBLE_EQ(s.rows[4].aupr_reference, 0.65);
  EXPECT_TRUE(std::isnan(s.rows[3].aupr_reference));  // not recorded (older simulation.json)
  EXPECT_NEAR(s.bayes_train_val_gap, 0.98 - 0.754, 1e-12);
  EXPECT_NEAR(s.bayes_train_test_gap, 0.18, 1e-12);
  EXPECT_NEAR(s.intrinsic_share, 0.18 / (0.913 - 0.749847), 1e-9);
  EXPECT_NEAR(s.env_blind_shortfall, 0.80 - 0.749847, 1e-9);
  EXPECT_NEAR(s.env_blind_reached, (0.749847 - 0.3) / (0.80 - 0.3), 1e-9);
  auto ids = Ids(r.hypotheses);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "grammar_not_learned"), 1);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "intrinsic_gap"), 1);
  for (const auto& h : r.hypotheses)
    if (h.id == "grammar_not_learned") {
      EXPECT_NEAR(h.value, 0.80 - 0.749847, 1e-9);
      EXPECT_NEAR(h.strength, (0.80 - 0.749847 - 0.02) / 0.23, 1e-9);
    }
  std::string md = ReflectionMarkdown(r, Lang::kEn);
  EXPECT_NE(md.find("### Against the simulation's oracles"), std::string::npos);
  EXPECT_NE(md.find("| K562 | 0.569 | 0.700 | 0.600 | 0.650 | n/a | 0.300 |"), std::string::npos) << md;
  EXPECT_NE(md.find("its train–val gap is 0.226"), std::string::npos);
  EXPECT_EQ(md.find("is above the Bayes limit"), std::string::npos);  // 0.913 < 0.98
  EXPECT_NE(ReflectionMarkdown(r, Lang::kZh).find("与模拟数据的理论上限对比"), std::string::npos);
  Json j = ReflectionJson(r);
  EXPECT_EQ(j["simulation"]["rows"].size(), 5u);
  EXPECT_NEAR(j["simulation"]["bayes_train_test_gap"].get<double>(), 0.18, 1e-12);

  // A test AUPR above the env-blind oracle: no "grammar not learned".
  std::string lower = kSimulationJson;
  const std::string test_env_blind = "\"aupr_env_blind\": 0.80";
  lower.replace(lower.find(test_env_blind), test_env_blind.size(), "\"aupr_env_blind\": 0.70");
  // ... and a Bayes limit on train (0.90) below the run's train AUPR 0.913.
  lower.replace(lower.find("\"aupr_true\": 0.98"), 17, "\"aupr_true\": 0.90");
  d.Write("sim/simulation.json", lower);
  r = Reflect(RunFolder::Load(run));
  EXPECT_NEAR(r.simulation.env_blind_shortfall, 0.70 - 0.749847, 1e-9);
  ids = Ids(r.hypotheses);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "grammar_not_learned"), 0);
  EXPECT_NE(ReflectionMarkdown(r, Lang::kEn).find("Train AUPR 0.913 is above the Bayes limit 0.900"),
            std::string::npos);
}

TEST(Reflect, TrainingShortcutFromTheSimulationOrTheBalanceRecord) {
  Reflection r;
  ReferencePointRow train, val;
  train.group = "train";
  train.aupr_shortcut = 0.715;
  train.positive_rate = 0.201;
  val.group = "val";
  val.aupr_shortcut = 0.171;
  val.positive_rate = 0.178;
  r.simulation.rows = {train, val};
  auto find = [](const std::vector<Hypothesis>& hs) -> const Hypothesis* {
    for (const auto& h : hs)
      if (h.id == "training_shortcut") return &h;
    return nullptr;
  };
  // Balance off: driven by the shortcut's lift on train (0.514; full scale 0.6).
  auto hs = RankHypotheses(r);
  const Hypothesis* h = find(hs);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->metric, "shortcut_lift_train");
  EXPECT_NEAR(h->value, 0.715 - 0.201, 1e-12);
  EXPECT_NEAR(h->strength, (0.514 - 0.2) / 0.4, 1e-9);
  EXPECT_NE(h->evidence_en.find("AUPR 0.715 on the training cell lines"), std::string::npos);
  EXPECT_NE(h->evidence_en.find("train.balance is off"), std::string::npos);
  EXPECT_NE(h->next_en.find("train.balance = \"gc\""), std::string::npos);
  // Balance on, the association cut from 0.65 to 0.13: the strength is scaled by 0.5 + 0.2.
  r.balance_covariate = "gc";
  r.confound_corr_before = 0.65;
  r.confound_corr_after = 0.13;
  r.balance_ess_share = 0.35;
  hs = RankHypotheses(r);
  h = find(hs);
  ASSERT_NE(h, nullptr);
  EXPECT_NEAR(h->strength, (0.514 - 0.2) / 0.4 * 0.7, 1e-9);
  EXPECT_EQ(h->support, "confound_corr_after");
  EXPECT_NE(h->evidence_en.find("from 0.650 to 0.130"), std::string::npos) << h->evidence_en;
  EXPECT_NE(h->evidence_en.find("effective 35.0% of the pairs"), std::string::npos)
      << h->evidence_en;
  // Not a simulation: the balance record alone (correlation before 0.65 > 0.3) is enough.
  r.simulation.rows.clear();
  hs = RankHypotheses(r);
  h = find(hs);
  ASSERT_NE(h, nullptr);
  EXPECT_EQ(h->metric, "confound_corr_before");
  // A shortcut that also works on the unseen cells is no training-only shortcut.
  Reflection u;
  val.aupr_shortcut = 0.5;
  u.simulation.rows = {train, val};
  hs = RankHypotheses(u);
  EXPECT_EQ(find(hs), nullptr);
}

TEST(Reflect, ReadsTheBalanceRecordOfRunJson) {
  TempDir d;
  std::string run = CopyFixture(d);
  Json j = ReadJsonFile(run + "/run.json");
  j["balance"] = {{"covariate", "gc"},
                  {"per_cell",
                   {{{"cell_line", "A"}, {"n", 2000}, {"corr_before", 0.6}, {"corr_after", 0.1},
                     {"effective_n", 900.0}},
                    {{"cell_line", "B"}, {"n", 1000}, {"corr_before", -0.65},
                     {"corr_after", 0.05}, {"effective_n", 700.0}}}}};
  WriteJsonFile(run + "/run.json", j);
  Reflection r = Reflect(RunFolder::Load(run));
  EXPECT_EQ(r.balance_covariate, "gc");
  EXPECT_DOUBLE_EQ(r.confound_corr_before, 0.65);
  EXPECT_DOUBLE_EQ(r.confound_corr_after, 0.1);
  EXPECT_DOUBLE_EQ(r.balance_ess_share, 0.45);
  auto ids = Ids(r.hypotheses);
  EXPECT_EQ(std::count(ids.begin(), ids.end(), "training_shortcut"), 1);
}

TEST(Reflect, DataThatIsNotASimulationHasNoOracleSection) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("sim/simulation.json", "{\"format\": \"something else\"}\n");
  SetDataPath(run, d.Join("sim"));
  Reflection r = Reflect(RunFolder::Load(run));
  EXPECT_TRUE(r.simulation.path.empty());
  EXPECT_EQ(ReflectionMarkdown(r, Lang::kEn).find("Against the simulation"), std::string::npos);
  EXPECT_FALSE(ReflectionJson(r).contains("simulation"));
  // A simulation of other data (the run has 1200 training pairs): not used, and said so.
  d.Write("sim/simulation.json", R"({"format": "prism-simulation/1", "splits": {
      "train": {"pairs": 999, "aupr_true": 0.9}, "test": {"pairs": 300, "aupr_true": 0.8}}})");
  r = Reflect(RunFolder::Load(run));
  EXPECT_TRUE(r.simulation.path.empty());
  ASSERT_FALSE(r.missing.empty());
  EXPECT_NE(r.missing.back().find("describes other data: train pairs 999, the run's 1200"),
            std::string::npos) << r.missing.back();
  d.Write("sim/simulation.json", "{\"format\": \"prism-simulation/1\",\n \"splits\": [}\n");
  ExpectInputError([&] { Reflect(RunFolder::Load(run)); }, "simulation.json:2: invalid JSON");
  d.Write("sim/simulation.json", "{\"format\": \"prism-simulation/1\", \"splits\": {}}\n");
  ExpectInputError([&] { Reflect(RunFolder::Load(run)); }, "expected splits.train and splits.test");
}

TEST(ReflectCli, WritesAllFilesAndHonoursLang) {
  TempDir d;
  std::string run = CopyFixture(d);
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " reflect " + run + " --lang zh", &out), 0) << out;
  EXPECT_NE(out.find("首要假设"), std::string::npos) << out;
  for (const char* f : {"reflect.md", "reflect.zh.md", "reflect.en.md", "reflect.json"})
    EXPECT_TRUE(fs::exists(run + "/reflect/" + f)) << f;
  EXPECT_EQ(ReadFile(run + "/reflect/reflect.md"), ReadFile(run + "/reflect/reflect.zh.md"));
  EXPECT_NE(ReadFile(run + "/reflect/reflect.en.md").find("## 7. Root causes"),
            std::string::npos);
  EXPECT_EQ(ReadJsonFile(run + "/reflect/reflect.json")["hypotheses"][0]["id"],
            "cell_not_covered");
}

TEST(ReflectCli, MalformedLogIsAnErrorAndWritesNothing) {
  TempDir d;
  std::string run = CopyFixture(d);
  d.Write("run/train_log.jsonl", "{\"epoch\":1}\n{\"epoch\":2}\n{\"epoch\":3,\n");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " reflect " + run, &out), 1);
  EXPECT_NE(out.find("train_log.jsonl:3: invalid JSON"), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run + "/reflect"));
}

TEST(ReflectLedger, StoresTheSummaryOnTheRunsRecordPoint) {
  TempDir d;
  std::string run = CopyFixture(d);
  std::string db = d.Join("ledger.db");
  RunFolder rf = RunFolder::Load(run);
  Reflection r = Reflect(rf);
  long id = StoreReflectionInLedger(db, rf, r);  // not recorded yet: a new record point
  long again = StoreReflectionInLedger(db, rf, r);
  EXPECT_EQ(id, again);
  Ledger ledger(db);
  EXPECT_EQ(ledger.Count(), 1);
  RecordPoint rp = ledger.Get(id);
  EXPECT_EQ(rp.name, "fixture-run-small");
  EXPECT_NEAR(rp.reflection["gap_abs"].get<double>(), 0.913 - 0.749847, 1e-9);
  EXPECT_EQ(rp.reflection["hypotheses"][0]["id"], "cell_not_covered");
  EXPECT_NE(rp.reflection["en"].get<std::string>().find("worst cell K562 0.569"),
            std::string::npos);
}

TEST(ReflectCli, QcThenReflectFillsTheLedgerBesideTheRun) {
  TempDir d;
  std::string run = CopyFixture(d);
  std::string out;
  // qc records the run (FAIL, exit 1) in prism-ledger.db beside the run folder ...
  RunCommand(std::string(PRISM_CLI) + " qc " + run, &out);
  ASSERT_TRUE(fs::exists(d.Join("prism-ledger.db"))) << out;
  // ... and reflect finds that ledger and stores its summary on the same record point.
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " reflect " + run + " --lang en", &out), 0) << out;
  EXPECT_NE(out.find("record point 1"), std::string::npos) << out;
  Ledger ledger(d.Join("prism-ledger.db"));
  ASSERT_EQ(ledger.Count(), 1);
  RecordPoint rp = ledger.Get(1);
  EXPECT_EQ(rp.qc_decision, "FAIL");
  EXPECT_EQ(rp.reflection["worst_cell"], "K562");
  // The history index shows the summary.
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " ledger --db " + d.Join("prism-ledger.db") + " history",
                       &out), 0) << out;
  EXPECT_NE(out.find("Reflection: train AUPR 0.913 -> test AUPR 0.750"), std::string::npos) << out;
}

}  // namespace
}  // namespace prism
