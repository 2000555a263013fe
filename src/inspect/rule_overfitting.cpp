// Rules overfitting (train AUPR over the warning line), train_val_gap (train AUPR - val AUPR, less
// the data's Bayes gap where the run records one, or "cannot assess" without validation) and
// val_decline (val AUPR falls epochs in a row).
#include <algorithm>
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class OverfittingRule : public QcRule {
 public:
  const char* name() const override { return "overfitting"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<double> a = TrainAuprSeries(run);
    std::vector<int> over;
    double best = -INFINITY;
    int best_epoch = 0;
    for (size_t i = 0; i < a.size(); ++i) {
      if (!std::isfinite(a[i])) continue;
      if (a[i] > best) { best = a[i]; best_epoch = EpochOf(run, i); }
      if (a[i] > t.train_aupr_warning) over.push_back(EpochOf(run, i));
    }
    if (over.empty()) return;
    out->push_back(Make(
        "overfitting", "warning_line", Severity::kWarning,
        "Train AUPR " + Fmt(best) + " (epoch " + std::to_string(best_epoch) +
            ") is over the warning line " + Fmt(t.train_aupr_warning, 2) + "; first crossed at epoch " +
            std::to_string(over.front()) + ", above it in " + std::to_string(over.size()) + " epochs.",
        "训练AUPR " + Fmt(best) + "（第" + std::to_string(best_epoch) + "轮）超过警戒线" +
            Fmt(t.train_aupr_warning, 2) + "，第" + std::to_string(over.front()) + "轮首次越线，共" +
            std::to_string(over.size()) + "个epoch在线上。",
        over, {{"max_train_aupr", JsonNumber(best)}, {"epoch", best_epoch},
               {"first_epoch", over.front()}, {"limit", t.train_aupr_warning}}));
  }
};

/// The data's Bayes gap: how far a perfect model's train AUPR exceeds its val AUPR (AUPR of the
/// probability the labels were drawn with, which the trainer records for simulated data as
/// run.json data.bayes_aupr), times the configured credit. Zero without that record.
struct BayesGap {
  bool known = false;
  double train = NAN, val = NAN, gap = 0, credited = 0;
};

BayesGap ReadBayesGap(const RunFolder& run, const QcThresholds& t) {
  BayesGap b;
  const auto& bayes = run.record.data.bayes_aupr;
  b.train = bayes ? bayes->train : NAN;
  b.val = bayes ? bayes->val : NAN;
  if (!std::isfinite(b.train) || !std::isfinite(b.val) || t.bayes_gap_credit <= 0) return b;
  b.known = true;
  b.gap = b.train - b.val;
  b.credited = std::max(0.0, b.gap) * t.bayes_gap_credit;
  return b;
}

class TrainValGapRule : public QcRule {
 public:
  const char* name() const override { return "train_val_gap"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<double> tr = TrainAuprSeries(run);
    std::vector<double> va = ValAuprSeries(run);
    const BayesGap bayes = ReadBayesGap(run, t);
    bool any_val = false;
    std::vector<int> wide;
    double max_gap = -INFINITY;
    int max_epoch = 0;
    for (size_t i = 0; i < run.log.size(); ++i) {
      if (!HasVal(run, i)) continue;
      any_val = true;
      double g = tr[i] - va[i];
      if (!std::isfinite(g)) continue;
      if (g > max_gap) { max_gap = g; max_epoch = EpochOf(run, i); }
      if (g - bayes.credited > t.max_train_val_gap) wide.push_back(EpochOf(run, i));
    }
    if (!any_val) {
      out->push_back(Make("train_val_gap", "cannot_assess", Severity::kWarning,
                          "Train-val gap cannot be assessed: the log has no validation metrics "
                          "(only training metrics).",
                          "训练-验证gap无法评估：日志中只有训练集指标，没有验证集指标。"));
      return;
    }
    // The sentence on the Bayes credit, when the data has one.
    std::string bayes_en, bayes_zh;
    Json values = {{"max_gap", JsonNumber(max_gap)}, {"epoch", max_epoch}};
    if (bayes.known) {
      const std::string credit = t.bayes_gap_credit == 1.0
                                     ? "credited in full"
                                     : "credited x " + Fmt(t.bayes_gap_credit, 2) + " = " +
                                           Fmt(bayes.credited);
      bayes_en = " The data's Bayes gap (AUPR of the true label probability: train " + Fmt(bayes.train) +
                 ", val " + Fmt(bayes.val) + ") is " + Fmt(bayes.gap) + ", " + credit +
                 "; the gap beyond it is " + Fmt(max_gap - bayes.credited) + ".";
      bayes_zh = "数据本身的贝叶斯gap（真实标签概率的AUPR：训练" + Fmt(bayes.train) + "，验证" +
                 Fmt(bayes.val) + "）为" + Fmt(bayes.gap) + "，计入" + Fmt(bayes.credited) +
                 "，超出完美模型的部分为" + Fmt(max_gap - bayes.credited) + "。";
      values["bayes_gap"] = JsonNumber(bayes.gap);
      values["bayes_credited"] = JsonNumber(bayes.credited);
      values["excess_gap"] = JsonNumber(max_gap - bayes.credited);
    }
    if (wide.empty()) {
      out->push_back(Make("train_val_gap", "ok", Severity::kInfo,
                          "Largest train-val AUPR gap " + Fmt(max_gap) + " (epoch " +
                              std::to_string(max_epoch) + ")" +
                              (bayes.known ? ", less the Bayes gap," : "") + " is within " +
                              Fmt(t.max_train_val_gap, 2) + "." + bayes_en,
                          "最大训练-验证AUPR差距" + Fmt(max_gap) + "（第" + std::to_string(max_epoch) +
                              "轮）" + (bayes.known ? "扣除贝叶斯gap后" : "") + "在" +
                              Fmt(t.max_train_val_gap, 2) + "以内。" + bayes_zh,
                          {}, values));
      return;
    }
    size_t k = 0;
    for (size_t i = 0; i < run.log.size(); ++i)
      if (EpochOf(run, i) == max_epoch) k = i;
    values["train_aupr"] = JsonNumber(tr[k]);
    values["val_aupr"] = JsonNumber(va[k]);
    values["limit"] = t.max_train_val_gap;
    out->push_back(Make(
        "train_val_gap", "gap", Severity::kFail,
        "Overfitting: train AUPR exceeds val AUPR by up to " + Fmt(max_gap) + " (epoch " +
            std::to_string(max_epoch) + ": train " + Fmt(tr[k]) + ", val " + Fmt(va[k]) +
            "), over the limit " + Fmt(t.max_train_val_gap, 2) +
            (bayes.known ? " beyond the Bayes gap" : "") + " in epochs " + JoinEpochs(wide) + "." +
            bayes_en,
        "过拟合：训练AUPR比验证AUPR最多高" + Fmt(max_gap) + "（第" + std::to_string(max_epoch) +
            "轮：训练" + Fmt(tr[k]) + "，验证" + Fmt(va[k]) + "），第" + JoinEpochs(wide) + "轮" +
            (bayes.known ? "扣除贝叶斯gap后" : "") + "超过阈值" + Fmt(t.max_train_val_gap, 2) + "。" +
            bayes_zh,
        wide, values));
  }
};

class ValDeclineRule : public QcRule {
 public:
  const char* name() const override { return "val_decline"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<double> va = ValAuprSeries(run);
    std::vector<int> cur, best;
    for (size_t i = 1; i < va.size(); ++i) {
      if (std::isfinite(va[i]) && std::isfinite(va[i - 1]) && va[i] < va[i - 1]) {
        cur.push_back(EpochOf(run, i));
        if (cur.size() > best.size()) best = cur;
      } else {
        cur.clear();
      }
    }
    if (static_cast<int>(best.size()) < t.val_decline_epochs) return;
    size_t first = 0, last = 0;
    for (size_t i = 0; i < va.size(); ++i) {
      if (EpochOf(run, i) == best.front()) first = i - 1;
      if (EpochOf(run, i) == best.back()) last = i;
    }
    out->push_back(Make(
        "val_decline", "decline", Severity::kWarning,
        "Val AUPR fell " + std::to_string(best.size()) + " epochs in a row (epochs " +
            JoinEpochs(best) + ": " + Fmt(va[first]) + " -> " + Fmt(va[last]) + "), limit " +
            std::to_string(t.val_decline_epochs) + ".",
        "验证AUPR连续" + std::to_string(best.size()) + "个epoch下降（第" + JoinEpochs(best) +
            "轮：" + Fmt(va[first]) + " → " + Fmt(va[last]) + "），阈值为" +
            std::to_string(t.val_decline_epochs) + "个epoch。",
        best, {{"from", JsonNumber(va[first])}, {"to", JsonNumber(va[last])},
               {"limit", t.val_decline_epochs}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeOverfittingRule() { return std::make_unique<OverfittingRule>(); }
std::unique_ptr<QcRule> MakeTrainValGapRule() { return std::make_unique<TrainValGapRule>(); }
std::unique_ptr<QcRule> MakeValDeclineRule() { return std::make_unique<ValDeclineRule>(); }

}  // namespace prism::qc
