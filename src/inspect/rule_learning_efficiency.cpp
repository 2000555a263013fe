// Rule learning_efficiency: per-epoch gain of train AUPR - stagnation or abnormally fast.
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class LearningEfficiencyRule : public QcRule {
 public:
  const char* name() const override { return "learning_efficiency"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    if (TreeModel(run)) {
      out->push_back(NotApplicableToTrees(
          "learning_efficiency", "a log line is one boosting round (one tree), not an epoch over "
          "the data; the per-epoch gains of train AUPR that define stagnation and abnormally fast "
          "learning do not transfer to single trees (overfitting and train_val_gap still apply).",
          "日志每行是一轮提升（一棵树）而非一个epoch，按epoch定义的停滞/过快学习阈值不适用于单棵树"
          "（过拟合与train_val_gap规则仍然适用）。"));
      return;
    }
    std::vector<double> a = TrainAuprSeries(run);
    // Stagnation: delta < stagnation_delta for stagnation_epochs consecutive epochs.
    std::vector<int> cur, best;
    for (size_t i = 1; i < a.size(); ++i) {
      double d = a[i] - a[i - 1];
      if (std::isfinite(d) && d < t.stagnation_delta) {
        cur.push_back(EpochOf(run, i));
        if (cur.size() > best.size()) best = cur;
      } else {
        cur.clear();
      }
    }
    if (static_cast<int>(best.size()) >= t.stagnation_epochs) {
      out->push_back(Make(
          "learning_efficiency", "stagnation", Severity::kWarning,
          "Train AUPR stagnated: it gained less than " + FmtG(t.stagnation_delta) + " per epoch for " +
              std::to_string(best.size()) + " consecutive epochs (epochs " + JoinEpochs(best) +
              "), limit " + std::to_string(t.stagnation_epochs) + ".",
          "训练AUPR停滞：连续" + std::to_string(best.size()) + "个epoch（第" + JoinEpochs(best) +
              "轮）单epoch提升小于" + FmtG(t.stagnation_delta) + "，阈值为" +
              std::to_string(t.stagnation_epochs) + "个epoch。",
          best, {{"epochs_in_a_row", best.size()}, {"limit", t.stagnation_epochs}}));
    }
    // Abnormally fast: delta > fast_learning_delta at an epoch after fast_learning_after_epoch.
    std::vector<int> fast;
    Json gains = Json::array();
    std::vector<std::string> en, zh;
    double max_gain = -INFINITY;
    int max_epoch = 0;
    for (size_t i = 1; i < a.size(); ++i) {
      double d = a[i] - a[i - 1];
      int e = EpochOf(run, i);
      if (e > t.fast_learning_after_epoch && std::isfinite(d) && d > t.fast_learning_delta) {
        fast.push_back(e);
        gains.push_back({{"epoch", e}, {"from", JsonNumber(a[i - 1])}, {"to", JsonNumber(a[i])},
                         {"gain", JsonNumber(d)}});
        en.push_back("epoch " + std::to_string(e) + ": " + Fmt(a[i - 1]) + " -> " + Fmt(a[i]) +
                     " (+" + Fmt(d) + ")");
        zh.push_back("第" + std::to_string(e) + "轮：" + Fmt(a[i - 1]) + " → " + Fmt(a[i]) +
                     "（+" + Fmt(d) + "）");
        if (d > max_gain) { max_gain = d; max_epoch = e; }
      }
    }
    if (!fast.empty()) {
      out->push_back(Make(
          "learning_efficiency", "fast", Severity::kWarning,
          "Abnormally fast learning: train AUPR gained more than " + Fmt(t.fast_learning_delta, 3) +
              " in one epoch after epoch " + std::to_string(t.fast_learning_after_epoch) + " (" +
              Join(en, "; ") + ").",
          "学习速度异常：第" + std::to_string(t.fast_learning_after_epoch) +
              "轮之后单epoch训练AUPR提升超过" + Fmt(t.fast_learning_delta, 3) + "（" +
              Join(zh, "；") + "），远超正常范围（≥" + FmtG(t.stagnation_delta) + "）。",
          fast, {{"gains", gains}, {"max_gain", JsonNumber(max_gain)}, {"max_epoch", max_epoch},
                 {"limit", t.fast_learning_delta}}));
    }
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeLearningEfficiencyRule() {
  return std::make_unique<LearningEfficiencyRule>();
}

}  // namespace prism::qc
