// The distance baseline: a one-feature logistic regression on log10(1 + |distance|), fitted on
// the training pairs (docs/baselines.md).
#include <cmath>

#include "baseline/baseline_internal.h"
#include "prism/error.h"

namespace prism::baseline {
namespace {

std::vector<double> LogDistances(const BaselinePart& part, const char* split) {
  std::vector<double> v;
  v.reserve(part.pairs.size());
  for (const Pair& p : part.pairs) {
    if (!std::isfinite(p.distance))
      Fatal("distance baseline: pair ", p.enhancer, " - ", p.promoter, " of the ", split,
            " split has no distance");
    v.push_back(std::log10(1.0 + std::fabs(p.distance)));
  }
  return v;
}

/// The one-column design matrix of (v - mean) / sd: the fit is well conditioned whatever the
/// distances' scale (an uncentred log distance makes slope and intercept nearly collinear).
SparseRows Standardised(const std::vector<double>& v, double mean, double sd) {
  SparseRows x;
  x.cols = 1;
  for (double d : v) x.AddRow({{0, (d - mean) / sd}});
  return x;
}

class FittedDistance : public FittedBaseline {
 public:
  FittedDistance(LogisticModel model, double mean, double sd)
      : model_(std::move(model)), mean_(mean), sd_(sd) {}
  std::vector<double> Score(const BaselinePart& part) const override {
    return LogisticProbabilities(model_, Standardised(LogDistances(part, "scored"), mean_, sd_));
  }
  Json Describe() const override {
    // Back on the log10 scale: z = intercept + slope * log10(1 + |distance|).
    const double slope = model_.w[0] / sd_;
    return {{"feature", "log10(1 + |distance|)"},
            {"slope", slope},
            {"intercept", model_.intercept - slope * mean_},
            {"iterations", model_.iterations},
            {"converged", model_.converged}};
  }

 private:
  LogisticModel model_;
  double mean_, sd_;
};

}  // namespace

std::string DistanceNotApplicable(const BaselineInput& input) {
  for (const BaselinePart* part : {&input.train, &input.val, &input.test})
    for (const Pair& p : part->pairs)
      if (!std::isfinite(p.distance))
        return "the data has no enhancer-promoter distance for every pair";
  return "";
}

std::unique_ptr<FittedBaseline> FitDistance(const BaselineInput& input,
                                            const BaselineOptions& options) {
  const std::string why = DistanceNotApplicable(input);
  if (!why.empty()) Fatal("distance baseline: ", why);
  const std::vector<double> v = LogDistances(input.train, "train");
  double mean = 0, var = 0;
  for (double d : v) mean += d / static_cast<double>(v.size());
  for (double d : v) var += (d - mean) * (d - mean) / static_cast<double>(v.size());
  const double sd = var > 1e-24 ? std::sqrt(var) : 1.0;  // constant distance: a flat score
  LogisticFitOptions fit;
  fit.l2 = options.distance_l2;
  fit.gradient_tolerance = 1e-9;
  return std::make_unique<FittedDistance>(
      FitLogistic(Standardised(v, mean, sd), input.train.Labels(), fit), mean, sd);
}

}  // namespace prism::baseline
