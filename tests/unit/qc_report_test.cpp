#include <gtest/gtest.h>

#include <filesystem>

#include "prism/qc.h"
#include "prism/qc_run.h"
#include "qc_test_util.h"

namespace prism {
namespace {

std::string Render(const std::string& fixture, const std::string& lang) {
  RunFolder rf = RunFolder::Load(std::string(PRISM_FIXTURES) + "/qc/" + fixture);
  QcThresholds t;
  return RenderQcMarkdown(rf, RunQc(rf, t), t, QcReportInfo(), lang);
}

void ExpectContains(const std::string& text, const std::vector<std::string>& phrases) {
  for (const auto& p : phrases)
    EXPECT_NE(text.find(p), std::string::npos) << "missing: " << p << "\n--- report ---\n" << text;
}

TEST(QcReport, Seed000InChineseFollowsTheSeedStructure) {
  std::string md = Render("seed000", "zh");
  ExpectContains(md, {
      "## 质检报告 - 训练评估", "**训练轮数**：7", "**状态**：**失败**",
      "#### 收敛性分析", "| 指标 | 状态 | 分析 |",
      "| **Loss下降** | 正常 | Total Loss从0.9740单调下降至0.4770 |",
      "| **AUPR上升** | 异常 | 训练AUPR从0.6660上升至0.9672，第3轮起超过警戒线0.90",
      "| **学习效率** | 异常 |", "第3轮：0.8372 → 0.9042（+0.0670）",
      "#### 过拟合识别", "- **训练AUPR**：0.9672", "- **训练-验证gap**：**无法评估**（日志中只有训练集指标）",
      "#### 数值稳定性", "- **NaN/Inf出现**：无", "单epoch最大变化19.1%",
      "### 性能指标", "**测试集性能**：**未评估**", "每样本约89.78个参数",
      "### 异常分析", "| 方案要求 | 实际实施 | 影响 |", "| **对比学习损失** | 未实现（日志中无该损失）",
      "| **原型网络环境估计** | 未实现", "| **正交损失** | 未实现", "| **采样器'cell'** | 日志记录为'random'",
      "### 训练日志关键数据", "Epoch 1: Total Loss: 0.9740, AUPR: 0.6660",
      "Epoch 3: Total Loss: 0.6715, AUPR: 0.9042  ← 超过警戒线", "Epoch 7: Total Loss: 0.4770, AUPR: 0.9672",
      "### 决策", "**依据**", "### 问题总结", "#### 根本原因", "**实施偏差**", "**采样策略错误**",
      "#### 给算法分析师的建议", "**评估流程**", "**质检结论**：训练失败"});
  // No claims the data do not support.
  EXPECT_EQ(md.find("梯度爆炸："), std::string::npos);
  EXPECT_EQ(md.find("模式坍缩（"), std::string::npos);
}

TEST(QcReport, Seed000InEnglish) {
  std::string md = Render("seed000", "en");
  ExpectContains(md, {
      "## QC report - training assessment", "**Verdict**: **FAIL**",
      "Total loss fell monotonically from 0.9740 to 0.4770",
      "Train AUPR from 0.6660 to 0.9672, over the warning line 0.90 from epoch 3",
      "Abnormally fast learning", "epoch 3: 0.8372 -> 0.9042 (+0.0670)",
      "**cannot assess** (the log has only training metrics)",
      "| **Contrastive loss** | no loss in the log |", "| **Prototype network (environment estimation)** |",
      "| **Orthogonality loss** |", "| **Sampler 'cell'** | 'random' in the log |",
      "**not evaluated**", "89.78 parameters per sample",
      "Epoch 3: Total Loss: 0.6715, AUPR: 0.9042  ← over the warning line",
      "### Decision", "### Summary", "#### Root causes", "**Implementation gap**",
      "#### Advice for the algorithm analyst", "**QC conclusion**: training FAILED"});
}

TEST(QcReport, CleanRunReportsPassWithoutAnomalies) {
  std::string en = Render("clean", "en");
  ExpectContains(en, {"**Verdict**: **PASS**", "No anomalies", "None: no rule failed.",
                      "below the warning line 0.90", "best val AUPR 0.6680 (epoch 8)",
                      "| overall | 1.0000 | 1.0000 |", "training passed QC"});
  EXPECT_EQ(en.find("FAIL"), std::string::npos);
  EXPECT_EQ(en.find("over the warning line"), std::string::npos);
  std::string zh = Render("clean", "zh");
  ExpectContains(zh, {"**状态**：**通过**", "无异常", "训练通过质检"});
}

TEST(QcReport, JsonCarriesDecisionReasonsAndSeries) {
  RunFolder rf = RunFolder::Load(std::string(PRISM_FIXTURES) + "/qc/seed000");
  QcThresholds t;
  QcResult r = RunQc(rf, t);
  Json j = QcResultToJson(rf, r, t, QcReportInfo());
  EXPECT_EQ(j["decision"], "FAIL");
  EXPECT_EQ(j["reasons"].size(), 8u);
  EXPECT_EQ(j["series"]["train_aupr"].size(), 7u);
  EXPECT_EQ(j["series"]["val_aupr"][0], "nan");
  EXPECT_DOUBLE_EQ(j["thresholds"]["train_aupr_warning"].get<double>(), 0.90);
  EXPECT_TRUE(j["record_point"].is_null());
}

TEST(QcReport, RunQcOnFolderWritesBothLanguagesAndJson) {
  TempDir d;
  std::string dir = CopyQcFixture(d, "seed000");
  QcRunOptions o;
  o.use_ledger = false;
  o.lang = "en";
  QcRunOutcome out = RunQcOnFolder(dir, o);
  EXPECT_FALSE(out.result.pass);
  for (const char* f : {"qc/qc.md", "qc/qc.zh.md", "qc/qc.en.md", "qc/qc.json"})
    EXPECT_TRUE(std::filesystem::exists(dir + "/" + f)) << f;
  EXPECT_EQ(ReadJsonFile(dir + "/qc/qc.json")["decision"], "FAIL");
  std::string md = out.markdown;
  EXPECT_NE(md.find("QC report"), std::string::npos);
}

TEST(QcReport, SaysWhenValidationSharesTrainingCellLines) {
  TempDir d;
  std::string dir = CopyQcFixture(d, "clean");
  QcThresholds t;
  auto render = [&](const std::string& lang) {
    RunFolder rf = RunFolder::Load(dir);
    return RenderQcMarkdown(rf, RunQc(rf, t), t, QcReportInfo(), lang);
  };
  const std::string sentence = "validation shares cell lines with training";
  EXPECT_EQ(render("en").find(sentence), std::string::npos);  // the fixture records no val cells
  // A val split of training cell lines (an older run.json: derived from the cell lists).
  Json run = ReadJsonFile(dir + "/run.json");
  run["data"]["val_cells"] = {"B", "D"};
  WriteJsonFile(dir + "/run.json", run);
  ExpectContains(render("en"), {"- **Validation split**: validation shares cell lines with "
                                "training (B): it measures fit, not transfer to unseen cell "
                                "lines"});
  ExpectContains(render("zh"), {"验证集与训练集共享细胞系（B）"});
  // The recorded field wins over the lists.
  run["data"]["val_shares_train_cells"] = false;
  run["data"]["val_shared_cells"] = Json::array();
  WriteJsonFile(dir + "/run.json", run);
  EXPECT_EQ(render("en").find(sentence), std::string::npos);
}

// ---- CLI: exit status 0 PASS, 1 FAIL, 2 unusable input.

TEST(QcCli, ExitCodes0Pass1Fail) {
  TempDir d;
  std::string clean = CopyQcFixture(d, "clean"), seed = CopyQcFixture(d, "seed000");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger " + clean, &out), 0) << out;
  EXPECT_NE(out.find("**状态**：**通过**"), std::string::npos) << out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger --lang en " + seed, &out), 1) << out;
  EXPECT_NE(out.find("**Verdict**: **FAIL**"), std::string::npos) << out;
}

TEST(QcCli, UnusableInputExits2) {
  TempDir d;
  std::string clean = CopyQcFixture(d, "clean"), seed = CopyQcFixture(d, "seed000");
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger " + d.Join("nowhere"), &out), 2) << out;
  EXPECT_NE(out.find("not a run folder"), std::string::npos) << out;
  d.Write("seed000/train_log.jsonl", "{\"epoch\":1,\"loss\":{\"total\":1}}\n{\"epoch\":2,\n");
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger " + seed, &out), 2) << out;
  EXPECT_NE(out.find("train_log.jsonl:2: invalid JSON"), std::string::npos) << out;
  std::string rules = d.Write("qc.toml", "bogus = 1\n");
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " qc --no-ledger --rules " + rules + " " + clean, &out), 2) << out;
  EXPECT_NE(out.find("qc.toml:1:1: unknown key 'bogus'"), std::string::npos) << out;
}

}  // namespace
}  // namespace prism
