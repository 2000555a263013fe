// Rules overfitting (train AUPR over the warning line), train_val_gap (train AUPR - val AUPR, or
// "cannot assess" without validation) and val_decline (val AUPR falls epochs in a row).
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
    std::vector<double> a = Series(run, {"train", "aupr"});
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

class TrainValGapRule : public QcRule {
 public:
  const char* name() const override { return "train_val_gap"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<double> tr = Series(run, {"train", "aupr"});
    std::vector<double> va = Series(run, {"val", "aupr"});
    bool any_val = false;
    std::vector<int> wide;
    double max_gap = -INFINITY;
    int max_epoch = 0;
    for (size_t i = 0; i < run.epochs.size(); ++i) {
      if (!HasVal(run, i)) continue;
      any_val = true;
      double g = tr[i] - va[i];
      if (!std::isfinite(g)) continue;
      if (g > max_gap) { max_gap = g; max_epoch = EpochOf(run, i); }
      if (g > t.max_train_val_gap) wide.push_back(EpochOf(run, i));
    }
    if (!any_val) {
      out->push_back(Make("train_val_gap", "cannot_assess", Severity::kWarning,
                          "Train-val gap cannot be assessed: the log has no validation metrics "
                          "(only training metrics).",
                          "训练-验证gap无法评估：日志中只有训练集指标，没有验证集指标。"));
      return;
    }
    if (wide.empty()) {
      out->push_back(Make("train_val_gap", "ok", Severity::kInfo,
                          "Largest train-val AUPR gap " + Fmt(max_gap) + " (epoch " +
                              std::to_string(max_epoch) + ") is within " + Fmt(t.max_train_val_gap, 2) + ".",
                          "最大训练-验证AUPR差距" + Fmt(max_gap) + "（第" + std::to_string(max_epoch) +
                              "轮），在" + Fmt(t.max_train_val_gap, 2) + "以内。",
                          {}, {{"max_gap", JsonNumber(max_gap)}, {"epoch", max_epoch}}));
      return;
    }
    size_t k = 0;
    for (size_t i = 0; i < run.epochs.size(); ++i)
      if (EpochOf(run, i) == max_epoch) k = i;
    out->push_back(Make(
        "train_val_gap", "gap", Severity::kFail,
        "Overfitting: train AUPR exceeds val AUPR by up to " + Fmt(max_gap) + " (epoch " +
            std::to_string(max_epoch) + ": train " + Fmt(tr[k]) + ", val " + Fmt(va[k]) +
            "), over the limit " + Fmt(t.max_train_val_gap, 2) + " in epochs " + JoinEpochs(wide) + ".",
        "过拟合：训练AUPR比验证AUPR最多高" + Fmt(max_gap) + "（第" + std::to_string(max_epoch) +
            "轮：训练" + Fmt(tr[k]) + "，验证" + Fmt(va[k]) + "），第" + JoinEpochs(wide) +
            "轮超过阈值" + Fmt(t.max_train_val_gap, 2) + "。",
        wide, {{"max_gap", JsonNumber(max_gap)}, {"epoch", max_epoch},
               {"train_aupr", JsonNumber(tr[k])}, {"val_aupr", JsonNumber(va[k])},
               {"limit", t.max_train_val_gap}}));
  }
};

class ValDeclineRule : public QcRule {
 public:
  const char* name() const override { return "val_decline"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<double> va = Series(run, {"val", "aupr"});
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
