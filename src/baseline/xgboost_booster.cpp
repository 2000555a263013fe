// XgbModel: gradient-boosted trees through XGBoost's C API (xgboost/c_api.h), with early stopping
// that follows xgboost.train(early_stopping_rounds=...) of the Python package exactly.
#include <xgboost/c_api.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "baseline/baseline_internal.h"
#include "prism/error.h"

namespace prism::baseline {
namespace {

/// Throws prism::Error with XGBoost's own message when a C API call failed.
void Check(int rc, const char* call) {
  if (rc != 0) Fatal("XGBoost ", call, " failed: ", XGBGetLastError());
}

/// An owned DMatrix.
class DMatrix {
 public:
  DMatrix(const XgbMatrix& m, const char* what, int threads, bool with_labels = true) {
    if (m.values.size() != m.rows * m.cols)
      Fatal("XGBoost: the ", what, " matrix has ", m.values.size(), " values for ", m.rows,
            " x ", m.cols);
    Check(XGDMatrixCreateFromMat_omp(m.values.data(), m.rows, m.cols, NAN, &h_,
                                     std::max(1, threads)),
          "XGDMatrixCreateFromMat_omp");
    if (with_labels) {
      if (m.labels.size() != m.rows)
        Fatal("XGBoost: the ", what, " matrix has ", m.labels.size(), " labels for ", m.rows,
              " rows");
      std::vector<float> y(m.labels.begin(), m.labels.end());
      Check(XGDMatrixSetFloatInfo(h_, "label", y.data(), y.size()), "XGDMatrixSetFloatInfo");
    }
  }
  ~DMatrix() { XGDMatrixFree(h_); }
  DMatrix(const DMatrix&) = delete;
  DMatrix& operator=(const DMatrix&) = delete;
  DMatrixHandle get() const { return h_; }

 private:
  DMatrixHandle h_ = nullptr;
};

/// The value after "val-aucpr:" in an XGBoosterEvalOneIter line ("[3]\tval-aucpr:0.81234"),
/// parsed as Python's float() does.
double ParseEval(const std::string& line) {
  const std::string key = "val-aucpr:";
  const size_t at = line.find(key);
  if (at == std::string::npos) Fatal("XGBoost: unexpected evaluation output '", line, "'");
  const char* begin = line.c_str() + at + key.size();
  char* end = nullptr;
  const double v = std::strtod(begin, &end);
  if (end == begin) Fatal("XGBoost: unexpected evaluation output '", line, "'");
  return v;
}

}  // namespace

XgbModel::XgbModel(const XgbMatrix& train, const XgbMatrix* val, const XgbParams& params)
    : cols_(train.cols), threads_(params.threads) {
  if (train.rows == 0) Fatal("XGBoost: no training rows");
  if (params.max_rounds < 1) Fatal("XGBoost: max_rounds must be >= 1");
  const bool stop_early = val && val->rows > 0 && params.early_stopping > 0;
  if (val && val->rows > 0 && val->cols != train.cols)
    Fatal("XGBoost: validation has ", val->cols, " columns, training ", train.cols);
  DMatrix dtrain(train, "training", params.threads);
  std::unique_ptr<DMatrix> dval;
  if (stop_early) dval = std::make_unique<DMatrix>(*val, "validation", params.threads);
  DMatrixHandle cache[2] = {dtrain.get(), dval ? dval->get() : nullptr};
  Check(XGBoosterCreate(cache, dval ? 2 : 1, &booster_), "XGBoosterCreate");
  auto set = [&](const char* key, const std::string& value) {
    Check(XGBoosterSetParam(booster_, key, value.c_str()), "XGBoosterSetParam");
  };
  set("objective", "binary:logistic");
  set("tree_method", "hist");
  set("max_depth", std::to_string(params.max_depth));
  char eta[32];
  std::snprintf(eta, sizeof eta, "%.17g", params.eta);
  set("eta", eta);
  set("nthread", std::to_string(std::max(1, params.threads)));
  set("seed", std::to_string(params.seed));
  set("eval_metric", "aucpr");
  int since_best = 0;
  for (int it = 0; it < params.max_rounds; ++it) {
    Check(XGBoosterUpdateOneIter(booster_, it, dtrain.get()), "XGBoosterUpdateOneIter");
    rounds_ = it + 1;
    if (!stop_early) continue;
    DMatrixHandle evals[1] = {dval->get()};
    const char* names[1] = {"val"};
    const char* out = nullptr;
    Check(XGBoosterEvalOneIter(booster_, it, evals, names, 1, &out), "XGBoosterEvalOneIter");
    const double score = ParseEval(out);
    if (best_round_ < 0 || score > best_score_) {  // Python: numpy.greater(new, best)
      best_round_ = it;
      best_score_ = score;
      since_best = 0;
    } else if (++since_best >= params.early_stopping) {
      break;
    }
  }
  if (!stop_early) {
    best_round_ = rounds_ - 1;
    best_score_ = NAN;
  }
}

XgbModel::~XgbModel() {
  if (booster_) XGBoosterFree(booster_);
}

std::vector<double> XgbModel::Predict(const XgbMatrix& x) const {
  if (x.rows == 0) return {};
  if (x.cols != cols_) Fatal("XGBoost: scoring ", x.cols, " columns with a model of ", cols_);
  DMatrix d(x, "scored", threads_, /*with_labels=*/false);
  const std::string config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                             "\"iteration_end\": " + std::to_string(best_round_ + 1) +
                             ", \"strict_shape\": false}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  Check(XGBoosterPredictFromDMatrix(booster_, d.get(), config.c_str(), &shape, &dim, &result),
        "XGBoosterPredictFromDMatrix");
  return std::vector<double>(result, result + x.rows);
}

}  // namespace prism::baseline
