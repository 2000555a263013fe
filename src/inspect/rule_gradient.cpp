// Rule gradient: gradient norm explosion (> grad_explosion) or vanishing (< grad_vanishing).
#include <algorithm>
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

double GradMean(const EpochRecord& e) { return e.grad_norm ? e.grad_norm->mean : NAN; }
double GradMax(const EpochRecord& e) { return e.grad_norm ? e.grad_norm->Max() : NAN; }

class GradientRule : public QcRule {
 public:
  const char* name() const override { return "gradient"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    const QcThresholds& t = *ctx.thresholds;
    if (TreeModel(run)) {
      out->push_back(NotApplicableToTrees(
          "gradient", "boosting fits each tree to the gradients of the loss; there are no "
          "parameters updated by a gradient step whose norm could explode or vanish.",
          "梯度提升树逐棵拟合损失的梯度，没有按梯度步更新的参数，不存在梯度爆炸/消失。"));
      return;
    }
    if (std::none_of(run.log.begin(), run.log.end(),
                     [](const EpochRecord& e) { return e.grad_norm.has_value(); })) {
      out->push_back(Make("gradient", "not_logged", Severity::kInfo,
                          "No gradient norm in the log; explosion/vanishing cannot be checked.",
                          "日志中无梯度范数，无法检查梯度爆炸/消失。"));
      return;
    }
    std::vector<int> big, small;
    double top = -INFINITY, low = INFINITY, top_max = -INFINITY;
    for (size_t i = 0; i < run.log.size(); ++i) {
      double m = GradMean(run.log[i]), mx = GradMax(run.log[i]);
      if (!std::isfinite(m)) continue;  // non-finite values are the nan_inf rule's
      top = std::max(top, m);
      low = std::min(low, m);
      if (std::isfinite(mx)) top_max = std::max(top_max, mx);
      if (m > t.grad_explosion) big.push_back(EpochOf(run, i));
      if (m < t.grad_vanishing) small.push_back(EpochOf(run, i));
    }
    if (!big.empty())
      out->push_back(Make("gradient", "explosion", Severity::kFail,
                          "Gradient explosion: mean gradient norm up to " + FmtG(top) +
                              " (> " + FmtG(t.grad_explosion) + ") in epochs " + JoinEpochs(big) + ".",
                          "梯度爆炸：第" + JoinEpochs(big) + "轮平均梯度范数最高达" + FmtG(top) +
                              "（> " + FmtG(t.grad_explosion) + "）。",
                          big, {{"max_mean", JsonNumber(top)}, {"limit", t.grad_explosion}}));
    if (!small.empty())
      out->push_back(Make("gradient", "vanishing", Severity::kFail,
                          "Vanishing gradient: mean gradient norm down to " + FmtG(low) + " (< " +
                              FmtG(t.grad_vanishing) + ") in epochs " + JoinEpochs(small) + ".",
                          "梯度消失：第" + JoinEpochs(small) + "轮平均梯度范数低至" + FmtG(low) +
                              "（< " + FmtG(t.grad_vanishing) + "）。",
                          small, {{"min_mean", JsonNumber(low)}, {"limit", t.grad_vanishing}}));
    if (big.empty() && small.empty())
      out->push_back(Make("gradient", "ok", Severity::kInfo,
                          "Mean gradient norm stayed within [" + FmtG(low) + ", " + FmtG(top) +
                              "] (max step norm " + FmtG(top_max) + "); no explosion or vanishing.",
                          "平均梯度范数在[" + FmtG(low) + ", " + FmtG(top) + "]之间（单步最大" +
                              FmtG(top_max) + "），无梯度爆炸/消失。",
                          {}, {{"min_mean", JsonNumber(low)}, {"max_mean", JsonNumber(top)}}));
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeGradientRule() { return std::make_unique<GradientRule>(); }

}  // namespace prism::qc
