// The inspector's report: Markdown (zh/en) structured like the human-written seed report, and JSON.
// Every sentence is built from the findings and the log's numbers.
#include <cmath>
#include <set>
#include <sstream>

#include "inspect/qc_util.h"

namespace prism {
namespace {

using qc::Fmt;
using qc::Join;

struct Lang {
  bool zh;
  std::string operator()(const std::string& en, const std::string& zh_text) const {
    return zh ? zh_text : en;
  }
};

const QcFinding* First(const QcResult& r, const std::string& rule, const std::string& code = "") {
  for (const auto& f : r.findings)
    if (f.rule == rule && (code.empty() || f.code == code)) return &f;
  return nullptr;
}

std::vector<const QcFinding*> All(const QcResult& r, const std::string& rule) {
  std::vector<const QcFinding*> v;
  for (const auto& f : r.findings)
    if (f.rule == rule) v.push_back(&f);
  return v;
}

std::string Msg(const Lang& L, const QcFinding& f) { return L.zh ? f.message_zh : f.message_en; }

std::string RuleTitle(const Lang& L, const std::string& rule) {
  if (rule == "loss_trend") return L("Loss trend", "Loss趋势异常");
  if (rule == "learning_efficiency") return L("Learning efficiency", "学习效率异常");
  if (rule == "gradient") return L("Gradient norm", "梯度异常");
  if (rule == "overfitting") return L("Overfitting (train AUPR over the warning line)", "严重过拟合（训练AUPR超过警戒线）");
  if (rule == "train_val_gap") return L("Train-val gap", "训练-验证gap");
  if (rule == "val_decline") return L("Validation decline", "验证集性能下降");
  if (rule == "mode_collapse") return L("Mode collapse", "模式坍缩");
  if (rule == "nan_inf") return L("NaN/Inf", "NaN/Inf数值异常");
  if (rule == "loss_jump") return L("Loss jump", "Loss突变");
  if (rule == "saturated_outputs") return L("Saturated outputs", "输出饱和");
  if (rule == "implementation_consistency")
    return L("Implementation inconsistent with the configuration", "方案实施不一致");
  if (rule == "evaluation_completeness") return L("Evaluation incomplete", "评估流程不完整");
  if (rule == "history") return L("Failure pattern repeats", "历史模式重复");
  return rule;
}

std::string Impact(const Lang& L, const std::string& component) {
  if (component == "contrastive") return L("no representation-geometry constraint across cell lines", "缺失表示几何约束");
  if (component == "prototype") return L("environment estimation degenerates", "环境特征估计退化");
  if (component == "orthogonality") return L("no separation of z_I and z_E", "缺失表示空间分离约束");
  if (component == "adversarial") return L("z_I may keep cell-line information", "不变表示可能残留细胞系信息");
  if (component == "task") return L("the main objective is not optimised", "主任务目标未被优化");
  return "";
}

std::string Requirement(const Lang& L, const std::string& component) {
  if (component == "contrastive") return L("Contrastive loss", "对比学习损失");
  if (component == "prototype") return L("Prototype network (environment estimation)", "原型网络环境估计");
  if (component == "orthogonality") return L("Orthogonality loss", "正交损失");
  if (component == "adversarial") return L("Domain-adversarial loss", "域对抗损失");
  if (component == "task") return L("Main (task) loss", "主任务损失");
  return component;
}

std::string Status(const Lang& L, bool ok) { return ok ? L("normal", "正常") : L("abnormal", "异常"); }

}  // namespace

std::string RenderQcMarkdown(const RunFolder& run, const QcResult& r, const QcThresholds& t,
                             const QcReportInfo& info, const std::string& lang) {
  Lang L{lang == "zh"};
  std::ostringstream o;
  size_t n = run.epochs.size();
  std::vector<double> loss = qc::Series(run, {"loss", "total"});
  std::vector<double> tr = qc::Series(run, {"train", "aupr"});
  std::vector<double> va = qc::Series(run, {"val", "aupr"});
  std::string name = run.run.value("name", std::string());
  const std::string sep = L.zh ? "：" : ": ";

  o << L("## QC report - training assessment", "## 质检报告 - 训练评估") << "\n\n";
  o << "**" << L("Record point", "方案编号") << "**" << sep
    << (info.record_id ? L("record point ", "记录点") + std::to_string(info.record_id)
                       : L("not recorded (no ledger)", "未登记（未使用账本）"))
    << "  \n";
  if (!name.empty()) o << "**" << L("Run", "运行名称") << "**" << sep << name << "  \n";
  o << "**" << L("Run folder", "运行目录") << "**" << sep << "`" << run.dir << "`  \n";
  std::string created = run.run.value("created", std::string()), finished = run.run.value("finished", std::string());
  if (!created.empty())
    o << "**" << L("Training time", "训练时间") << "**" << sep << created
      << (finished.empty() ? "" : L(" to ", " 至 ") + finished) << "  \n";
  o << "**" << L("Epochs", "训练轮数") << "**" << sep << n << "  \n";
  o << "**" << L("Verdict", "状态") << "**" << sep << "**"
    << (r.pass ? L("PASS", "通过") : L("FAIL", "失败")) << "**\n\n";

  // ---- training status
  o << "### " << L("Training status", "训练状态") << "\n\n";
  o << "#### " << L("Convergence", "收敛性分析") << "\n";
  o << L("| Signal | Status | Analysis |\n|------|------|------|\n", "| 指标 | 状态 | 分析 |\n|------|------|------|\n");
  {
    bool mono = true;
    for (size_t i = 1; i < n; ++i) mono = mono && loss[i] < loss[i - 1];
    auto trend = All(r, "loss_trend");
    std::string a;
    if (n < 2) a = L("one epoch only: ", "仅一个epoch：") + Fmt(loss[0]);
    else if (mono) a = L("Total loss fell monotonically from " + Fmt(loss[0]) + " to " + Fmt(loss[n - 1]),
                         "Total Loss从" + Fmt(loss[0]) + "单调下降至" + Fmt(loss[n - 1]));
    else a = L("Total loss went from " + Fmt(loss[0]) + " to " + Fmt(loss[n - 1]) + ", not monotonically",
               "Total Loss从" + Fmt(loss[0]) + "变化至" + Fmt(loss[n - 1]) + "，非单调");
    for (auto* f : trend) a += L("; ", "；") + Msg(L, *f);
    o << "| **" << L("Loss decrease", "Loss下降") << "** | " << Status(L, trend.empty()) << " | " << a << " |\n";

    const QcFinding* over = First(r, "overfitting");
    std::string b;
    if (std::isfinite(tr[0]) && std::isfinite(tr[n - 1])) {
      b = L("Train AUPR from " + Fmt(tr[0]) + " to " + Fmt(tr[n - 1]), "训练AUPR从" + Fmt(tr[0]) + "上升至" + Fmt(tr[n - 1]));
      if (over) b += L(", over the warning line " + Fmt(t.train_aupr_warning, 2) + " from epoch " +
                           std::to_string(over->values.value("first_epoch", 0)),
                       "，第" + std::to_string(over->values.value("first_epoch", 0)) + "轮起超过警戒线" +
                           Fmt(t.train_aupr_warning, 2) + "，接近完美");
    } else {
      b = L("train AUPR not logged", "日志中无训练AUPR");
    }
    o << "| **" << L("AUPR increase", "AUPR上升") << "** | " << Status(L, !over) << " | " << b << " |\n";

    auto eff = All(r, "learning_efficiency");
    std::string c;
    if (eff.empty()) {
      double lo = INFINITY, hi = -INFINITY;
      for (size_t i = 1; i < n; ++i) {
        double d = tr[i] - tr[i - 1];
        if (std::isfinite(d)) { lo = std::min(lo, d); hi = std::max(hi, d); }
      }
      c = std::isfinite(lo) ? L("per-epoch train AUPR change within [" + Fmt(lo) + ", " + Fmt(hi) + "]",
                                "单epoch训练AUPR变化在[" + Fmt(lo) + ", " + Fmt(hi) + "]之间")
                            : L("not enough epochs", "epoch不足，无法评估");
    } else {
      std::vector<std::string> m;
      for (auto* f : eff) m.push_back(Msg(L, *f));
      c = Join(m, L.zh ? "；" : "; ");
    }
    o << "| **" << L("Learning efficiency", "学习效率") << "** | " << Status(L, eff.empty()) << " | " << c << " |\n";

    auto grad = All(r, "gradient");
    bool grad_ok = true;
    std::vector<std::string> gm;
    for (auto* f : grad) { gm.push_back(Msg(L, *f)); grad_ok = grad_ok && f->severity == Severity::kInfo; }
    std::string gstatus = First(r, "gradient", "not_logged") ? L("unknown", "未知") : Status(L, grad_ok);
    o << "| **" << L("Gradient norm", "梯度范数") << "** | " << gstatus << " | " << Join(gm, " ") << " |\n\n";
  }

  // ---- overfitting
  o << "#### " << L("Overfitting", "过拟合识别") << "\n";
  {
    double best = -INFINITY;
    int be = 0;
    for (size_t i = 0; i < n; ++i)
      if (std::isfinite(tr[i]) && tr[i] > best) { best = tr[i]; be = qc::EpochOf(run, i); }
    o << "- **" << L("Train AUPR", "训练AUPR") << "**" << sep;
    if (!std::isfinite(best)) o << L("not logged", "未记录") << "\n";
    else if (const QcFinding* f = First(r, "overfitting"))
      o << Fmt(best) << L(" (epoch " + std::to_string(be) + "; over the warning line " + Fmt(t.train_aupr_warning, 2) + " - severe overfitting risk)",
                          "（第" + std::to_string(be) + "轮；严重过拟合风险，超过方案警戒线" + Fmt(t.train_aupr_warning, 2) + "）")
        << (f->escalated ? L(" - escalated to FAIL: no validation to check it", "——无验证集可核对，升级为失败") : "") << "\n";
    else
      o << Fmt(best) << L(" (epoch " + std::to_string(be) + "; below the warning line " + Fmt(t.train_aupr_warning, 2) + ")",
                          "（第" + std::to_string(be) + "轮；低于警戒线" + Fmt(t.train_aupr_warning, 2) + "）") << "\n";
    o << "- **" << L("Train-val gap", "训练-验证gap") << "**" << sep;
    if (const QcFinding* f = First(r, "train_val_gap", "cannot_assess"))
      o << "**" << L("cannot assess", "无法评估") << "**" << L(" (the log has only training metrics)", "（日志中只有训练集指标）")
        << (f->escalated ? L(" - FAIL together with the warning line", "——与警戒线同时出现，判为失败") : "") << "\n";
    else if (const QcFinding* f = First(r, "train_val_gap")) o << Msg(L, *f) << "\n";
    o << "- **" << L("Validation trend", "验证集趋势") << "**" << sep;
    if (const QcFinding* f = First(r, "val_decline")) o << Msg(L, *f) << "\n";
    else {
      double bv = -INFINITY;
      int bve = 0;
      for (size_t i = 0; i < n; ++i)
        if (std::isfinite(va[i]) && va[i] > bv) { bv = va[i]; bve = qc::EpochOf(run, i); }
      o << (std::isfinite(bv) ? L("best val AUPR " + Fmt(bv) + " (epoch " + std::to_string(bve) + "), no sustained decline",
                                  "最佳验证AUPR " + Fmt(bv) + "（第" + std::to_string(bve) + "轮），无持续下降")
                              : L("no validation", "无验证集")) << "\n";
    }
    o << "- **" << L("Mode collapse", "模式坍缩信号") << "**" << sep;
    auto mc = All(r, "mode_collapse");
    if (mc.empty()) o << L("none", "无") << "\n";
    else {
      std::vector<std::string> m;
      for (auto* f : mc) m.push_back(Msg(L, *f));
      o << Join(m, " ") << "\n";
    }
    o << "\n";
  }

  // ---- numerical stability
  o << "#### " << L("Numerical stability", "数值稳定性") << "\n";
  o << "- **" << L("NaN/Inf", "NaN/Inf出现") << "**" << sep;
  if (const QcFinding* f = First(r, "nan_inf")) o << Msg(L, *f) << "\n"; else o << L("none", "无") << "\n";
  o << "- **" << L("Loss jumps", "Loss突变") << "**" << sep;
  if (const QcFinding* f = First(r, "loss_jump")) o << Msg(L, *f) << "\n"; else o << L("not assessable", "无法评估") << "\n";
  o << "- **" << L("Output distribution", "输出分布") << "**" << sep;
  if (const QcFinding* f = First(r, "saturated_outputs")) o << Msg(L, *f) << "\n"; else o << L("unknown", "未知") << "\n";
  o << "\n";

  // ---- metrics
  o << "### " << L("Metrics", "性能指标") << "\n";
  {
    double best = -INFINITY;
    int be = 0;
    for (size_t i = 0; i < n; ++i)
      if (std::isfinite(tr[i]) && tr[i] > best) { best = tr[i]; be = qc::EpochOf(run, i); }
    if (std::isfinite(best))
      o << "- **" << L("Best train AUPR", "当前最佳训练AUPR") << "**" << sep << Fmt(best) << L(" (epoch ", "（epoch ") << be << L(")", "）") << "\n";
    double bv = -INFINITY;
    int bve = 0;
    for (size_t i = 0; i < n; ++i)
      if (std::isfinite(va[i]) && va[i] > bv) { bv = va[i]; bve = qc::EpochOf(run, i); }
    o << "- **" << L("Best val AUPR", "最佳验证AUPR") << "**" << sep
      << (std::isfinite(bv) ? Fmt(bv) + L(" (epoch " + std::to_string(bve) + ")", "（epoch " + std::to_string(bve) + "）")
                            : L("no validation split", "无验证集")) << "\n";
    QcEvaluation ev = LoadEvaluation(run);
    o << "- **" << L("Test performance", "测试集性能") << "**" << sep;
    if (!ev.has_metrics) {
      o << "**" << L("not evaluated", "未评估") << "**" << L(" (no metrics/test.json; `prism predict` was not run)", "（无metrics/test.json，未运行prism predict）") << "\n";
    } else {
      const Json& m = ev.metrics;
      auto num = [&](const Json& row, const char* k) { return Fmt(ReadPath(row, {k})); };
      o << "\n\n| " << L("cell line", "细胞系") << " | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n";
      o << "|---|---|---|---|---|---|---|---|\n";
      auto row = [&](const std::string& label, const Json& x) {
        double nn = ReadPath(x, {"n"});
        o << "| " << label << " | " << num(x, "aupr") << " | " << num(x, "auc") << " | " << num(x, "f1")
          << " | " << num(x, "recall") << " | " << num(x, "precision") << " | " << Fmt(ReadPath(x, {"threshold"}), 2)
          << " | " << (std::isfinite(nn) ? std::to_string(static_cast<long>(nn)) : "-") << " |\n";
      };
      if (m.contains("overall")) row(L("overall", "总体"), m["overall"]);
      if (m.contains("per_cell") && m["per_cell"].is_object())
        for (auto it = m["per_cell"].begin(); it != m["per_cell"].end(); ++it) row(it.key(), *it);
    }
    if (const QcFinding* f = First(r, "capacity")) o << "- **" << L("Capacity", "模型容量") << "**" << sep << Msg(L, *f) << "\n";
    o << "\n";
  }

  // ---- anomaly analysis
  o << "### " << L("Anomaly analysis", "异常分析") << "\n\n";
  {
    std::vector<std::string> rules;
    for (const auto& f : r.findings)
      if (f.severity > Severity::kInfo && std::find(rules.begin(), rules.end(), f.rule) == rules.end())
        rules.push_back(f.rule);
    if (rules.empty()) o << L("No anomalies: every rule is within its threshold.", "无异常：所有规则均在阈值之内。") << "\n\n";
    int k = 0;
    for (const auto& rule : rules) {
      bool fails = false;
      for (auto* f : All(r, rule)) fails = fails || f->severity == Severity::kFail;
      o << "#### " << ++k << ". " << RuleTitle(L, rule) << " ("
        << (fails ? L("fail", "失败") : L("warning", "警告")) << ")\n";
      if (rule == "implementation_consistency") {
        o << L("| Configured | Log | Impact |\n|----------|----------|------|\n", "| 方案要求 | 实际实施 | 影响 |\n|----------|----------|------|\n");
        for (auto* f : All(r, rule)) {
          if (f->code == "sampler")
            o << "| **" << L("Sampler '", "采样器'") << f->values.value("configured", "") << "'** | "
              << L("'" + f->values.value("logged", "") + "' in the log", "日志记录为'" + f->values.value("logged", "") + "'")
              << " | " << L("batches mix cell lines; environment estimation is blurred", "环境信息混合，阻碍解耦") << " |\n";
          else if (f->values.contains("component")) {
            std::string c = f->values["component"];
            std::string actual = f->code == "missing_loss" ? L("no loss in the log", "未实现（日志中无该损失）")
                               : f->code == "constant_loss" ? L("constant loss", "损失恒定")
                               : f->code == "zero_weight" ? L("weight 0 in every epoch", "权重始终为0")
                               : L("non-finite loss", "损失非有限");
            o << "| **" << Requirement(L, c) << "** | " << actual << " | " << Impact(L, c) << " |\n";
          } else {
            o << "| - | " << Msg(L, *f) << " | |\n";
          }
        }
        o << "\n";
        for (auto* f : All(r, rule)) o << "- " << Msg(L, *f) << "\n";
      } else {
        for (auto* f : All(r, rule))
          if (f->severity > Severity::kInfo)
            o << "- " << Msg(L, *f) << (f->escalated ? L(" (escalated to FAIL: over the warning line without validation)",
                                                         "（训练AUPR越线且无验证集，升级为失败）") : "") << "\n";
        if (rule == "overfitting")
          if (const QcFinding* c = First(r, "capacity", "ratio"))
            o << "- " << L("Capacity: ", "数学分析：模型容量") << Msg(L, *c) << "\n";
      }
      o << "\n";
    }
  }

  // ---- key log lines
  o << "### " << L("Key log lines", "训练日志关键数据") << "\n```\n";
  {
    const QcFinding* over = First(r, "overfitting");
    int first_over = over ? over->values.value("first_epoch", 0) : 0;
    std::set<int> nan_epochs, jump_epochs;
    if (const QcFinding* f = First(r, "nan_inf")) nan_epochs.insert(f->epochs.begin(), f->epochs.end());
    if (const QcFinding* f = First(r, "loss_jump", "jump")) jump_epochs.insert(f->epochs.begin(), f->epochs.end());
    for (size_t i = 0; i < n; ++i) {
      int e = qc::EpochOf(run, i);
      o << "Epoch " << e << ": Total Loss: " << Fmt(loss[i]) << ", AUPR: " << Fmt(tr[i]);
      if (std::isfinite(va[i])) o << ", Val AUPR: " << Fmt(va[i]);
      std::vector<std::string> marks;
      if (e == first_over) marks.push_back(L("over the warning line", "超过警戒线"));
      if (nan_epochs.count(e)) marks.push_back("NaN/Inf");
      if (jump_epochs.count(e)) marks.push_back(L("loss jump", "Loss突变"));
      if (!marks.empty()) o << "  ← " << Join(marks, ", ");
      o << "\n";
    }
  }
  o << "```\n\n";

  // ---- decision
  o << "### " << L("Decision", "决策") << "\n";
  o << "**" << L("Status", "状态") << "**" << sep << (r.pass ? L("PASS", "通过") : L("FAIL", "失败")) << "  \n";
  std::string action;
  if (r.pass) {
    action = info.rollback == "promoted" ? L("accept; this run is now the active model (record point " + std::to_string(info.record_id) + ")",
                                             "通过，设为当前模型（记录点" + std::to_string(info.record_id) + "）")
                                         : L("accept; continue with reflection and the report", "通过，继续反思与报告");
  } else if (info.rollback == "done") {
    action = L("roll back to the baseline, record point " + std::to_string(info.rollback_to) + " (`" + info.rollback_run_dir + "`)",
               "回退到基线（记录点" + std::to_string(info.rollback_to) + "，`" + info.rollback_run_dir + "`），重新设计");
  } else if (info.rollback == "failed") {
    action = L("redesign; the rollback to the baseline failed: " + info.rollback_error,
               "回退重新设计（回退到基线失败：" + info.rollback_error + "）");
  } else if (info.rollback == "disabled") {
    action = L("redesign; rollback disabled (--no-rollback)", "回退重新设计（已禁用自动回退：--no-rollback）");
  } else if (info.rollback == "no_baseline") {
    action = L("redesign; the ledger has no baseline to roll back to", "回退重新设计（账本中没有基线，无法自动回退）");
  } else {
    action = L("redesign (no ledger: nothing rolled back)", "回退重新设计（未使用账本，未执行回退）");
  }
  o << "**" << L("Action", "决策") << "**" << sep << action << "\n\n";
  auto reasons = r.Reasons();
  o << "**" << L("Reasons", "依据") << "**" << sep << "\n";
  if (reasons.empty()) o << L("no rule failed.", "没有规则判定失败。") << "\n";
  for (size_t i = 0; i < reasons.size(); ++i)
    o << i + 1 << ". **" << RuleTitle(L, reasons[i]->rule) << "**" << sep << Msg(L, *reasons[i]) << "\n";
  o << "\n";

  // ---- summary: root causes and advice, each from a finding
  o << "### " << L("Summary", "问题总结") << "\n\n#### " << L("Root causes", "根本原因") << "\n";
  std::vector<std::string> causes, advice;
  auto add = [](std::vector<std::string>* v, const std::string& s) {
    if (std::find(v->begin(), v->end(), s) == v->end()) v->push_back(s);
  };
  {
    std::vector<std::string> missing;
    for (auto* f : All(r, "implementation_consistency"))
      if (f->severity == Severity::kFail && f->values.contains("component"))
        add(&missing, f->values["component"].get<std::string>());
    if (!missing.empty()) {
      add(&causes, L("**Implementation gap**: the configuration declares " + Join(missing, ", ") +
                         " but the log shows them missing or inert - the training did not run the designed model",
                     "**实施偏差**：配置声明了" + Join(missing, "、") + "，但日志中缺失或无效——训练代码与方案设计存在差距"));
      add(&causes, L("**Missing losses**: " + Join(missing, ", "), "**损失函数缺失**：" + Join(missing, "、")));
      add(&advice, L("**Implementation check**: make sure every configured component (" + Join(missing, ", ") + ") runs and logs its loss",
                     "**实施监督**：确保方案核心组件（" + Join(missing, "、") + "）被正确实现并在日志中记录其损失"));
    }
    if (const QcFinding* f = First(r, "implementation_consistency", "sampler")) {
      std::string want = f->values.value("configured", ""), used = f->values.value("logged", "");
      add(&causes, L("**Wrong sampler**: '" + used + "' batches instead of the configured '" + want + "'",
                     "**采样策略错误**：使用'" + used + "'批次而非配置的'" + want + "'"));
      add(&advice, L("**Sampler**: enforce the configured '" + want + "' sampler" + (want == "cell" ? " (homogeneous one-cell-line batches)" : ""),
                     "**采样策略**：强制使用配置的'" + want + "'采样器" + (want == "cell" ? "（CellBatchSampler同质化采样）" : "")));
    }
    if (First(r, "overfitting") || First(r, "learning_efficiency", "fast") || First(r, "train_val_gap", "gap")) {
      const QcFinding* over = First(r, "overfitting");
      std::string n1 = over ? Fmt(over->values.value("max_train_aupr", NAN)) : "";
      add(&causes, over ? L("**Overfitting**: train AUPR reached " + n1 + " (warning line " + Fmt(t.train_aupr_warning, 2) + ")",
                            "**过拟合**：训练AUPR达到" + n1 + "（警戒线" + Fmt(t.train_aupr_warning, 2) + "）")
                        : L("**Overfitting**: the model fits the training set much faster or better than validation",
                            "**过拟合**：模型对训练集的拟合速度或程度远超验证集"));
      add(&advice, L("**Overfitting control**: more regularisation (dropout, weight decay), early stopping, watch the train-val gap",
                     "**过拟合控制**：增加正则化（Dropout、权重衰减）、早停，监控训练-验证gap"));
    }
    if (First(r, "train_val_gap", "cannot_assess")) {
      add(&causes, L("**No validation**: the log has no validation metrics, so generalisation was never measured during training",
                     "**验证缺失**：日志中无验证集指标，训练过程中从未度量泛化"));
      add(&advice, L("**Validation**: train with a validation split so the train-val gap can be assessed",
                     "**验证集**：训练时配置验证集划分，使训练-验证gap可评估"));
    }
    if (First(r, "evaluation_completeness")) {
      add(&causes, L("**No evaluation**: no test predictions/metrics, performance on unseen cell lines unknown",
                     "**评估缺失**：训练后未进行测试集（未知细胞系）评估"));
      add(&advice, L("**Evaluation**: run `prism predict " + run.dir + "` after training (predictions/test.csv, metrics/test.json)",
                     "**评估流程**：训练后必须运行`prism predict " + run.dir + "`评估测试集性能"));
    }
    if (const QcFinding* f = First(r, "nan_inf")) {
      add(&causes, L("**Numerical instability**: ", "**数值不稳定**：") + Msg(L, *f));
      add(&advice, L("**Numerics**: lower the learning rate, clip gradients, check inputs for NaN", "**数值稳定**：降低学习率、梯度裁剪、检查输入中的NaN"));
    }
    if (const QcFinding* f = First(r, "gradient", "explosion")) {
      add(&causes, L("**Gradient explosion**: ", "**梯度爆炸**：") + Msg(L, *f));
      add(&advice, L("**Gradients**: clip gradients and lower the learning rate", "**梯度**：梯度裁剪并降低学习率"));
    }
    if (const QcFinding* f = First(r, "gradient", "vanishing")) {
      add(&causes, L("**Vanishing gradient**: ", "**梯度消失**：") + Msg(L, *f));
      add(&advice, L("**Gradients**: check initialisation, activations and the learning rate", "**梯度**：检查初始化、激活函数与学习率"));
    }
    if (const QcFinding* f = First(r, "mode_collapse")) {
      if (f->severity == Severity::kFail) {
        add(&causes, L("**Mode collapse**: ", "**模式坍缩**：") + Msg(L, *f));
        add(&advice, L("**Collapse**: check class balance and loss weights; consider adaptive_immax", "**坍缩**：检查类别平衡与损失权重，考虑AdaptiveIMMAX"));
      }
    }
    if (First(r, "loss_trend") || First(r, "loss_jump", "jump"))
      add(&advice, L("**Loss dynamics**: lower the learning rate or smooth the curriculum schedule", "**Loss动态**：降低学习率或平滑课程学习权重调度"));
    if (First(r, "learning_efficiency", "stagnation"))
      add(&advice, L("**Stagnation**: raise the learning rate or check data and labels", "**停滞**：提高学习率或检查数据与标签"));
    if (First(r, "val_decline"))
      add(&advice, L("**Validation decline**: stop early at the best validation epoch", "**验证下降**：在最佳验证轮次早停"));
    if (First(r, "saturated_outputs", "saturated"))
      add(&advice, L("**Saturation**: check the temperature T and consider label smoothing", "**输出饱和**：检查温度T，考虑标签平滑"));
    if (const QcFinding* f = First(r, "history")) {
      add(&causes, L("**Repeated failure**: ", "**重复失败**：") + Msg(L, *f));
      add(&advice, L("**History**: fix the failed rules above before retraining; record point " +
                         std::to_string(f->values.value("record_point", 0L)) + " failed the same way",
                     "**历史**：重新训练前先修正上述失败项；记录点" + std::to_string(f->values.value("record_point", 0L)) + "以相同方式失败"));
    }
  }
  if (causes.empty()) o << L("None: no rule failed.", "无：没有规则判定失败。") << "\n";
  for (size_t i = 0; i < causes.size(); ++i) o << i + 1 << ". " << causes[i] << "\n";
  o << "\n#### " << L("Advice for the algorithm analyst", "给算法分析师的建议") << "\n";
  if (advice.empty()) o << L("No action needed.", "无需处理。") << "\n";
  for (size_t i = 0; i < advice.size(); ++i) o << i + 1 << ". " << advice[i] << "\n";

  o << "\n---\n\n**" << L("QC conclusion", "质检结论") << "**" << sep;
  if (r.pass) {
    o << L("training passed QC", "训练通过质检");
    if (info.rollback == "promoted") o << L("; this run is the active model (record point ", "，已设为当前模型（记录点") << info.record_id << L(").", "）。");
    else o << L(".", "。");
  } else {
    std::vector<std::string> titles;
    for (auto* f : reasons) add(&titles, RuleTitle(L, f->rule));
    o << L("training FAILED", "训练失败");
    if (info.rollback == "done")
      o << L("; rolled back automatically to the baseline (record point " + std::to_string(info.rollback_to) + ")",
             "，已自动回退到基线（记录点" + std::to_string(info.rollback_to) + "）");
    o << L(". Redesign, focusing on: ", "。请算法分析师重新设计方案，重点关注：") << Join(titles, L.zh ? "、" : ", ") << L(".", "。");
  }
  o << "\n";
  return o.str();
}

Json QcResultToJson(const RunFolder& run, const QcResult& r, const QcThresholds& t,
                    const QcReportInfo& info) {
  Json j;
  j["decision"] = r.pass ? "PASS" : "FAIL";
  j["signature"] = r.signature;
  auto finding = [](const QcFinding& f) {
    return Json{{"rule", f.rule}, {"code", f.code}, {"severity", SeverityName(f.severity)},
                {"epochs", f.epochs}, {"values", f.values}, {"escalated", f.escalated},
                {"message_en", f.message_en}, {"message_zh", f.message_zh}};
  };
  j["reasons"] = Json::array();
  for (auto* f : r.Reasons()) j["reasons"].push_back(finding(*f));
  j["findings"] = Json::array();
  for (const auto& f : r.findings) j["findings"].push_back(finding(f));
  j["thresholds"] = t.ToJson();
  Json s;
  s["epoch"] = Json::array();
  for (size_t i = 0; i < run.epochs.size(); ++i) s["epoch"].push_back(qc::EpochOf(run, i));
  for (auto [key, a, b] : {std::tuple{"total_loss", "loss", "total"}, std::tuple{"train_aupr", "train", "aupr"},
                           std::tuple{"val_aupr", "val", "aupr"}}) {
    s[key] = Json::array();
    for (double v : qc::Series(run, {a, b})) s[key].push_back(JsonNumber(v));
  }
  j["series"] = s;
  j["run"] = {{"dir", run.dir}, {"name", run.run.value("name", std::string())}};
  j["record_point"] = info.record_id ? Json(info.record_id) : Json();
  j["ledger"] = info.ledger_path.empty() ? Json() : Json(info.ledger_path);
  j["rollback"] = {{"status", info.rollback}, {"error", info.rollback_error},
                   {"to", info.rollback_to ? Json(info.rollback_to) : Json()},
                   {"run_dir", info.rollback_run_dir}};
  return j;
}

}  // namespace prism
