// Rule loss_trend: the (comparable) total loss rises in consecutive epochs, or oscillates.
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class LossTrendRule : public QcRule {
 public:
  const char* name() const override { return "loss_trend"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    std::vector<bool> used_task;
    std::vector<double> base;
    std::vector<double> d = LossDeltas(run, &used_task, &base);
    // Consecutive rises.
    std::vector<int> run_epochs, best;
    for (size_t i = 1; i < d.size(); ++i) {
      if (std::isfinite(d[i]) && d[i] > 0) {
        run_epochs.push_back(EpochOf(run, i));
        if (run_epochs.size() > best.size()) best = run_epochs;
      } else {
        run_epochs.clear();
      }
    }
    if (static_cast<int>(best.size()) >= t.loss_rise_epochs) {
      Json rises = Json::array();
      std::vector<std::string> parts;
      for (size_t i = 1; i < d.size(); ++i) {
        int e = EpochOf(run, i);
        for (int b : best)
          if (b == e) {
            rises.push_back({{"epoch", e}, {"delta", JsonNumber(d[i])}, {"task_loss", used_task[i]}});
            parts.push_back("+" + Fmt(d[i]) + " (epoch " + std::to_string(e) + ")");
          }
      }
      out->push_back(Make(
          "loss_trend", "rise", Severity::kWarning,
          "Total loss rose in " + std::to_string(best.size()) + " consecutive epochs (" +
              Join(parts, ", ") + "); limit " + std::to_string(t.loss_rise_epochs) + ".",
          "Total Loss连续" + std::to_string(best.size()) + "个epoch上升（" + Join(parts, "，") +
              "），阈值为连续" + std::to_string(t.loss_rise_epochs) + "个epoch。",
          best, {{"rises", rises}, {"limit", t.loss_rise_epochs}}));
    }
    // Oscillation: consecutive sign flips of significant deltas.
    int flips = 0, best_flips = 0, prev_sign = 0;
    std::vector<int> osc, best_osc;
    for (size_t i = 1; i < d.size(); ++i) {
      if (!std::isfinite(d[i]) || !std::isfinite(base[i])) { flips = 0; prev_sign = 0; osc.clear(); continue; }
      double rel = base[i] != 0 ? std::fabs(d[i] / base[i]) : std::fabs(d[i]);
      int sign = rel < t.loss_oscillation_min_rel ? 0 : (d[i] > 0 ? 1 : -1);
      if (sign != 0 && prev_sign != 0 && sign != prev_sign) {
        ++flips;
        osc.push_back(EpochOf(run, i));
      } else {
        flips = 0;
        osc.clear();
        if (sign != 0) osc.push_back(EpochOf(run, i));
      }
      if (sign == 0) osc.clear();
      prev_sign = sign;
      if (flips > best_flips) { best_flips = flips; best_osc = osc; }
    }
    if (best_flips >= t.loss_oscillation_flips) {
      out->push_back(Make(
          "loss_trend", "oscillation", Severity::kWarning,
          "Total loss oscillates: its change flipped sign " + std::to_string(best_flips) +
              " times in a row over epochs " + JoinEpochs(best_osc) + " (limit " +
              std::to_string(t.loss_oscillation_flips) + ", changes below " +
              Pct(t.loss_oscillation_min_rel) + " ignored).",
          "Total Loss振荡：在第" + JoinEpochs(best_osc) + "个epoch间变化方向连续反转" +
              std::to_string(best_flips) + "次（阈值" + std::to_string(t.loss_oscillation_flips) +
              "次，忽略小于" + Pct(t.loss_oscillation_min_rel) + "的变化）。",
          best_osc, {{"flips", best_flips}, {"limit", t.loss_oscillation_flips}}));
    }
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeLossTrendRule() { return std::make_unique<LossTrendRule>(); }

}  // namespace prism::qc
