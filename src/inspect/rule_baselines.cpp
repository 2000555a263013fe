// Rule baselines: the model's best validation AUPR against the best built-in baseline fitted on
// the same splits (RUN/baselines.json, docs/baselines.md). Not ahead -> a warning, never a FAIL.
#include <cmath>

#include "inspect/qc_util.h"

namespace prism::qc {
namespace {

class BaselinesRule : public QcRule {
 public:
  const char* name() const override { return "baselines"; }
  void Check(const QcContext& ctx, std::vector<QcFinding>* out) const override {
    const RunFolder& run = *ctx.run;
    if (!run.baselines) {
      out->push_back(Make("baselines", "not_fitted", Severity::kInfo,
                          "No built-in baselines recorded (no baselines.json: trained with "
                          "--no-baselines or by an older prism); the model was not compared "
                          "with a baseline.",
                          "未记录内置基线（无baselines.json：训练时使用了--no-baselines或为旧版"
                          "prism）；模型未与基线比较。"));
      return;
    }
    // The model's best validation AUPR (the epoch of the best checkpoint).
    const std::vector<double> va = ValAuprSeries(run);
    double model = -INFINITY;
    int epoch = 0;
    for (size_t i = 0; i < va.size(); ++i)
      if (std::isfinite(va[i]) && va[i] > model) {
        model = va[i];
        epoch = EpochOf(run, i);
      }
    const BaselineFitRecord* best = run.baselines->Best("val");
    if (!std::isfinite(model) || !best) {
      out->push_back(Make("baselines", "cannot_assess", Severity::kInfo,
                          "No validation AUPR of the model or of a baseline: the model was not "
                          "compared with its baselines on validation.",
                          "模型或基线没有验证集AUPR：未在验证集上与基线比较。"));
      return;
    }
    Json all = Json::object();
    for (const auto& b : run.baselines->baselines)
      if (auto it = b.metrics.find("val"); it != b.metrics.end())
        all[b.name] = JsonNumber(it->second.overall.aupr);
    const double base = best->metrics.at("val").overall.aupr;
    const double margin = model - base;
    const Json values = {{"model_val_aupr", model}, {"epoch", epoch},
                         {"best_baseline", best->name}, {"best_baseline_val_aupr", base},
                         {"margin", margin}, {"baselines_val_aupr", all}};
    const std::string ep = std::to_string(epoch);
    if (margin <= 0) {
      out->push_back(Make(
          "baselines", "not_ahead", Severity::kWarning,
          "The model's best val AUPR " + Fmt(model) + " (epoch " + ep +
              ") does not beat its best baseline, " + best->name + " (val AUPR " + Fmt(base) +
              ", " + Fmt(margin, 4) + ") on the same validation split: the model adds nothing "
              "over the obvious model yet.",
          "模型最佳验证AUPR " + Fmt(model) + "（第" + ep + "轮）未超过最佳基线" + best->name +
              "（验证AUPR " + Fmt(base) + "，差值" + Fmt(margin, 4) +
              "）：在同一验证集上，模型尚未优于简单基线。",
          {epoch}, values));
    } else {
      out->push_back(Make(
          "baselines", "ahead", Severity::kInfo,
          "The model's best val AUPR " + Fmt(model) + " (epoch " + ep + ") is " +
              Fmt(margin, 4) + " above its best baseline, " + best->name + " (val AUPR " +
              Fmt(base) + "), on the same validation split.",
          "模型最佳验证AUPR " + Fmt(model) + "（第" + ep + "轮）比最佳基线" + best->name +
              "（验证AUPR " + Fmt(base) + "）高" + Fmt(margin, 4) + "。",
          {epoch}, values));
    }
  }
};

}  // namespace

std::unique_ptr<QcRule> MakeBaselinesRule() { return std::make_unique<BaselinesRule>(); }

}  // namespace prism::qc
