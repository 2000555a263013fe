// The inspector's report: Markdown (zh/en) structured like the human-written seed report (the
// JSON report is qc_json.cpp). Every sentence is built from the findings and the log's numbers.
#include <algorithm>
#include <cmath>
#include <set>
#include <sstream>

#include "inspect/qc_report_parts.h"

namespace prism {
namespace qcreport {

const QcFinding* First(const QcResult& r, const std::string& rule, const std::string& code) {
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
  if (rule == "baselines") return L("Not ahead of the baselines", "未优于基线");
  if (rule == "shortcut_reliance") return L("Reliance on cell-specific shortcuts", "依赖细胞系特异捷径");
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

namespace {

/// Title block: record point, run, time, epochs, verdict.
void HeaderSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
  const std::string& name = run.record.name;
  o << L("## QC report - training assessment", "## 质检报告 - 训练评估") << "\n\n";
  o << "**" << L("Record point", "方案编号") << "**" << sep
    << (info.record_id ? L("", "记录点") + std::to_string(info.record_id)
                       : L("not recorded (no ledger)", "未登记（未使用账本）"))
    << "  \n";
  if (!name.empty()) o << "**" << L("Run", "运行名称") << "**" << sep << name << "  \n";
  o << "**" << L("Run folder", "运行目录") << "**" << sep << "`" << run.dir << "`  \n";
  const std::string &created = run.record.created, &finished = run.record.finished;
  if (!created.empty())
    o << "**" << L("Training time", "训练时间") << "**" << sep << created
      << (finished.empty() ? "" : L(" to ", " 至 ") + finished) << "  \n";
  o << "**" << L("Epochs", "训练轮数") << "**" << sep << n << "  \n";
  o << "**" << L("Verdict", "状态") << "**" << sep << "**"
    << (r.pass ? L("PASS", "通过") : L("FAIL", "失败")) << "**\n\n";
}

/// Convergence table (loss, learning efficiency, gradients).
void TrainingStatusSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
    const bool eff_na = First(r, "learning_efficiency", "not_applicable") != nullptr;
    if (eff_na) c = Msg(L, *First(r, "learning_efficiency", "not_applicable"));
    o << "| **" << L("Learning efficiency", "学习效率") << "** | "
      << (eff_na ? L("not applicable", "不适用") : Status(L, eff.empty())) << " | " << c << " |\n";

    auto grad = All(r, "gradient");
    bool grad_ok = true;
    std::vector<std::string> gm;
    for (auto* f : grad) { gm.push_back(Msg(L, *f)); grad_ok = grad_ok && f->severity == Severity::kInfo; }
    std::string gstatus = First(r, "gradient", "not_logged")       ? L("unknown", "未知")
                          : First(r, "gradient", "not_applicable") ? L("not applicable", "不适用")
                                                                   : Status(L, grad_ok);
    o << "| **" << L("Gradient norm", "梯度范数") << "** | " << gstatus << " | " << Join(gm, " ") << " |\n\n";
  }
}

/// Overfitting: train AUPR, the warning line, the train-val gap.
void OverfittingSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
    if (const auto& shared = run.record.data.val_shared_cells; !shared.empty())
      o << "- **" << L("Validation split", "验证集划分") << "**" << sep
        << L("validation shares cell lines with training (" + Join(shared, ", ") +
                 "): it measures fit, not transfer to unseen cell lines",
             "验证集与训练集共享细胞系（" + Join(shared, "、") +
                 "）：它衡量的是拟合程度，而不是向未见细胞系的迁移")
        << "\n";
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
}

/// Numerical stability and the metrics (best AUPRs, the test table, capacity).
void StabilityAndMetricsSection(const ReportContext& c) {
  [[maybe_unused]] const auto& [run, r, t, info, L, o, n, loss, tr, va, sep] = c;
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
      const metric::MetricTable& m = ev.metrics->table;
      o << "\n\n| " << L("cell line", "细胞系") << " | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n";
      o << "|---|---|---|---|---|---|---|---|\n";
      auto row = [&](const std::string& label, const metric::MetricRow& x) {
        o << "| " << label << " | " << Fmt(x.aupr) << " | " << Fmt(x.auc) << " | " << Fmt(x.f1)
          << " | " << Fmt(x.recall) << " | " << Fmt(x.precision) << " | " << Fmt(x.threshold, 2)
          << " | " << x.n << " |\n";
      };
      row(L("overall", "总体"), m.overall);
      for (const auto& [cell, x] : m.per_cell) row(cell, x);
      for (const auto& [name, b] : ev.metrics->baselines)
        row(L("baseline ", "基线 ") + name, b.table.overall);
    }
    if (const QcFinding* f = First(r, "baselines"))
      o << "- **" << L("Baselines (validation)", "基线对比（验证集）") << "**" << sep << Msg(L, *f) << "\n";
    if (const QcFinding* f = First(r, "capacity")) o << "- **" << L("Capacity", "模型容量") << "**" << sep << Msg(L, *f) << "\n";
    o << "\n";
  }
}

}  // namespace
}  // namespace qcreport

std::string RenderQcMarkdown(const RunFolder& run, const QcResult& r, const QcThresholds& t,
                             const QcReportInfo& info, const std::string& lang) {
  using namespace qcreport;
  std::ostringstream o;
  ReportContext c{run, r, t, info, Lang{lang == "zh"}, o, run.log.size(),
                  qc::Series(run, [](const EpochRecord& e) { return e.Loss("total"); }),
                  qc::TrainAuprSeries(run), qc::ValAuprSeries(run), lang == "zh" ? "：" : ": "};
  for (auto section : {HeaderSection, TrainingStatusSection, OverfittingSection,
                       StabilityAndMetricsSection, AnomalySection, LogLinesSection,
                       DecisionSection, SummarySection})
    section(c);
  return o.str();
}

}  // namespace prism
