// Rule saturated_outputs: more than saturated_fraction of outputs beyond 0.01 / 0.99.
#include <algorithm>
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class SaturatedOutputsRule : public QcRule {
 public:
  const char* name() const override { return "saturated_outputs"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    if (std::none_of(run.log.begin(), run.log.end(),
                     [](const EpochRecord& e) { return e.output.has_value(); })) {
      out->push_back(Make("saturated_outputs", "not_logged", Severity::kInfo,
                          "No output distribution in the log; saturation cannot be checked.",
                          "日志中无输出分布统计，无法检查输出饱和（输出分布未知）。"));
      return;
    }
    std::vector<int> epochs;
    double worst = -1;
    int worst_epoch = 0;
    for (size_t i = 0; i < run.log.size(); ++i) {
      const auto& o = run.log[i].output;
      double hi = o ? o->frac_gt_099 : NAN, lo = o ? o->frac_lt_001 : NAN;
      if (!std::isfinite(hi) || !std::isfinite(lo)) continue;
      double f = hi + lo;
      if (f > worst) { worst = f; worst_epoch = EpochOf(run, i); }
      if (f > t.saturated_fraction) epochs.push_back(EpochOf(run, i));
    }
    if (worst < 0) return;
    if (epochs.empty()) {
      out->push_back(Make("saturated_outputs", "ok", Severity::kInfo,
                          "Outputs not saturated: at most " + Pct(worst) + " beyond 0.01/0.99 (epoch " +
                              std::to_string(worst_epoch) + ").",
                          "输出未饱和：最多" + Pct(worst) + "的输出落在0.01/0.99之外（第" +
                              std::to_string(worst_epoch) + "轮）。",
                          {}, {{"max_fraction", worst}, {"epoch", worst_epoch}}));
      return;
    }
    out->push_back(Make("saturated_outputs", "saturated", Severity::kWarning,
                        "Saturated outputs: " + Pct(worst) + " of outputs beyond 0.01/0.99 (epoch " +
                            std::to_string(worst_epoch) + "; over " + Pct(t.saturated_fraction, 0) +
                            " in epochs " + JoinEpochs(epochs) + ").",
                        "输出饱和：第" + std::to_string(worst_epoch) + "轮" + Pct(worst) +
                            "的输出落在0.01/0.99之外（第" + JoinEpochs(epochs) + "轮超过" +
                            Pct(t.saturated_fraction, 0) + "）。",
                        epochs, {{"max_fraction", worst}, {"epoch", worst_epoch},
                                 {"limit", t.saturated_fraction}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeSaturatedOutputsRule() {
  return std::make_unique<SaturatedOutputsRule>();
}

}  // namespace prism::qc
