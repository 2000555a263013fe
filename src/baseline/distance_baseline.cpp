// The distance baseline: a one-feature logistic regression on log10(1 + |distance|), fitted on
// the training pairs (docs/baselines.md).
#include <cmath>

#include "baseline/baseline_internal.h"
#include "prism/error.h"

namespace prism::baseline {
namespace {

SparseRows LogDistanceRows(const BaselinePart& part, const char* split) {
  SparseRows x;
  x.cols = 1;
  for (const Pair& p : part.pairs) {
    if (!std::isfinite(p.distance))
      Fatal("distance baseline: pair ", p.enhancer, " - ", p.promoter, " of the ", split,
            " split has no distance");
    x.AddRow({{0, std::log10(1.0 + std::fabs(p.distance))}});
  }
  return x;
}

class FittedDistance : public FittedBaseline {
 public:
  explicit FittedDistance(LogisticModel model) : model_(std::move(model)) {}
  std::vector<double> Score(const BaselinePart& part) const override {
    return LogisticProbabilities(model_, LogDistanceRows(part, "scored"));
  }
  Json Describe() const override {
    return {{"feature", "log10(1 + |distance|)"},
            {"slope", model_.w[0]},
            {"intercept", model_.intercept},
            {"iterations", model_.iterations},
            {"converged", model_.converged}};
  }

 private:
  LogisticModel model_;
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
  LogisticFitOptions fit;
  fit.l2 = options.distance_l2;
  return std::make_unique<FittedDistance>(
      FitLogistic(LogDistanceRows(input.train, "train"), input.train.Labels(), fit));
}

}  // namespace prism::baseline
