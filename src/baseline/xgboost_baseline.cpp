// The xgboost baseline: gradient-boosted trees on a feature table's columns plus |distance|,
// early stopping on the validation split (docs/baselines.md).
#include <cmath>

#include "baseline/baseline_internal.h"
#include "prism/error.h"

namespace prism::baseline {
namespace {

/// The part's features and |distance| (NaN = missing for XGBoost) as one matrix.
XgbMatrix ToMatrix(const BaselinePart& part, size_t expected_features) {
  const size_t f = part.num_features();
  if (f != expected_features)
    Fatal("xgboost baseline: ", f, " feature columns where the model has ", expected_features);
  XgbMatrix m;
  m.rows = part.pairs.size();
  m.cols = f + 1;
  m.values.reserve(m.rows * m.cols);
  for (size_t i = 0; i < m.rows; ++i) {
    m.values.insert(m.values.end(), part.features.begin() + static_cast<std::ptrdiff_t>(i * f),
                    part.features.begin() + static_cast<std::ptrdiff_t>((i + 1) * f));
    const double d = part.pairs[i].distance;
    m.values.push_back(std::isfinite(d) ? static_cast<float>(std::fabs(d)) : NAN);
  }
  m.labels = part.Labels();
  return m;
}

class FittedXgboost : public FittedBaseline {
 public:
  FittedXgboost(std::unique_ptr<XgbModel> model, XgbParams params, size_t features,
                bool early_stopped)
      : model_(std::move(model)), params_(params), features_(features),
        early_stopped_(early_stopped) {}
  std::vector<double> Score(const BaselinePart& part) const override {
    return model_->Predict(ToMatrix(part, features_));
  }
  Json Describe() const override {
    Json j = {{"objective", "binary:logistic"}, {"tree_method", "hist"},
              {"max_depth", params_.max_depth}, {"eta", params_.eta},
              {"max_rounds", params_.max_rounds}, {"threads", params_.threads},
              {"seed", params_.seed}, {"features", features_ + 1},
              {"rounds_trained", model_->rounds()}, {"trees_used", model_->best_round() + 1}};
    if (early_stopped_) {
      j["early_stopping_rounds"] = params_.early_stopping;
      j["best_val_aucpr"] = model_->best_val_aucpr();
    } else {
      j["early_stopping_rounds"] = 0;
    }
    return j;
  }

 private:
  std::unique_ptr<XgbModel> model_;
  XgbParams params_;
  size_t features_;
  bool early_stopped_;
};

}  // namespace

std::unique_ptr<FittedBaseline> FitXgboost(const BaselineInput& input,
                                           const BaselineOptions& options) {
  if (input.kind != InputKind::kFeatures) Fatal("xgboost baseline: needs a feature table");
  const size_t f = input.train.num_features();
  XgbParams p;
  p.max_depth = options.xgb_max_depth;
  p.eta = options.xgb_eta;
  p.max_rounds = options.xgb_max_rounds;
  p.early_stopping = options.xgb_early_stopping;
  p.threads = options.threads;
  p.seed = options.seed;
  const XgbMatrix train = ToMatrix(input.train, f);
  const bool stop_early = input.has_val && p.early_stopping > 0;
  XgbMatrix val;
  if (stop_early) val = ToMatrix(input.val, f);
  auto model = std::make_unique<XgbModel>(train, stop_early ? &val : nullptr, p);
  return std::make_unique<FittedXgboost>(std::move(model), p, f, stop_early);
}

}  // namespace prism::baseline
