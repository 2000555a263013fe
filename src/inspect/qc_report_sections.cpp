// The second half of the inspector's Markdown report: anomaly analysis, the log's key lines,
// the decision and the summary (qc_report_parts.h).
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "inspect/qc_report_parts.h"

namespace prism::qcreport {

/// Anomaly analysis: one paragraph per rule with findings.
void AnomalySection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
}

/// The log, one line per epoch, with the epochs the findings mark.
void LogLinesSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
}

/// Decision: status, action (rollback outcome), the reasons.
void DecisionSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
}

/// Summary: root causes and advice, each from a finding, and the conclusion.
void SummarySection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
  auto reasons = r.Reasons();
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
    if (const QcFinding* f = First(r, "shortcut_reliance", "relies")) {
      add(&causes, L("**Shortcut reliance**: ", "**捷径依赖**：") + Msg(L, *f));
      add(&advice, L("**Shortcuts**: retrain with the shortcut defence on and check the audit's cell-specific k-mers (audit.json cell_specific_kmers)",
                     "**捷径**：开启捷径防御后重训，并检查审计列出的细胞系特异 k-mer（audit.json cell_specific_kmers）"));
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
}

}  // namespace prism::qcreport
