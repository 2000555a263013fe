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
#include "prism/run_records.h"

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

/// P(y = 1) of every row of a DMatrix with the trees [0, end) (end 0 = all: for a matrix in the
/// booster's cache XGBoost then reuses its cached predictions and adds only the new trees).
static std::vector<double> PredictHandle(BoosterHandle booster, DMatrixHandle d, size_t rows, int end) {
  if (rows == 0) return {};
  const std::string config = "{\"type\": 0, \"training\": false, \"iteration_begin\": 0, "
                             "\"iteration_end\": " + std::to_string(end) +
                             ", \"strict_shape\": false}";
  const bst_ulong* shape = nullptr;
  bst_ulong dim = 0;
  const float* result = nullptr;
  Check(XGBoosterPredictFromDMatrix(booster, d, config.c_str(), &shape, &dim, &result),
        "XGBoosterPredictFromDMatrix");
  return std::vector<double>(result, result + rows);
}

XgbModel::XgbModel(const XgbMatrix& train, const XgbMatrix* val, const XgbParams& params,
                   const XgbRoundObserver* observer)
    : cols_(train.cols), threads_(params.threads) {
  if (train.rows == 0) Fatal("XGBoost: no training rows");
  if (params.max_rounds < 1) Fatal("XGBoost: max_rounds must be >= 1");
  const bool has_val = val && val->rows > 0;
  const bool stop_early = has_val && params.early_stopping > 0;
  if (has_val && val->cols != train.cols)
    Fatal("XGBoost: validation has ", val->cols, " columns, training ", train.cols);
  DMatrix dtrain(train, "training", params.threads);
  std::unique_ptr<DMatrix> dval;
  if (has_val && (stop_early || observer))
    dval = std::make_unique<DMatrix>(*val, "validation", params.threads);
  DMatrixHandle cache[2] = {dtrain.get(), dval ? dval->get() : nullptr};
  Check(XGBoosterCreate(cache, dval ? 2 : 1, &booster_), "XGBoosterCreate");
  auto set = [&](const char* key, const std::string& value) {
    Check(XGBoosterSetParam(booster_, key, value.c_str()), "XGBoosterSetParam");
  };
  auto set_number = [&](const char* key, double value) {  // every digit of a double
    char text[32];
    std::snprintf(text, sizeof text, "%.17g", value);
    set(key, text);
  };
  set("objective", "binary:logistic");
  set("tree_method", "hist");
  set("max_depth", std::to_string(params.max_depth));
  set_number("eta", params.eta);
  min_child_weight_ = params.min_child_share > 0
                          ? params.min_child_share * static_cast<double>(train.rows)
                          : params.min_child_weight;
  set_number("min_child_weight", min_child_weight_);
  set_number("lambda", params.lambda);
  set("nthread", std::to_string(std::max(1, params.threads)));
  set("seed", std::to_string(params.seed));
  set("eval_metric", "aucpr");
  int since_best = 0;
  for (int it = 0; it < params.max_rounds; ++it) {
    Check(XGBoosterUpdateOneIter(booster_, it, dtrain.get()), "XGBoosterUpdateOneIter");
    rounds_ = it + 1;
    double score = NAN;
    if (observer) {
      const auto tp = PredictHandle(booster_, dtrain.get(), train.rows, 0);
      const auto vp = dval ? PredictHandle(booster_, dval->get(), val->rows, 0)
                           : std::vector<double>{};
      score = (*observer)(it, tp, vp);
    } else if (stop_early) {
      DMatrixHandle evals[1] = {dval->get()};
      const char* names[1] = {"val"};
      const char* out = nullptr;
      Check(XGBoosterEvalOneIter(booster_, it, evals, names, 1, &out), "XGBoosterEvalOneIter");
      score = ParseEval(out);
    }
    if (!stop_early) continue;
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

std::unique_ptr<XgbModel> XgbModel::LoadJson(const std::string& text, size_t cols, int threads,
                                             const std::string& source) {
  std::unique_ptr<XgbModel> m(new XgbModel());
  m->threads_ = threads;
  Check(XGBoosterCreate(nullptr, 0, &m->booster_), "XGBoosterCreate");
  if (text.empty() || text[0] != '{' ||
      XGBoosterLoadModelFromBuffer(m->booster_, text.data(), text.size()) != 0)
    throw InputError(source, 0, 0, std::string("not a readable XGBoost model: ") +
                                        (text.empty() || text[0] != '{' ? "not JSON"
                                                                        : XGBGetLastError()));
  bst_ulong features = 0;
  Check(XGBoosterGetNumFeature(m->booster_, &features), "XGBoosterGetNumFeature");
  if (features != cols)
    throw InputError(source, 0, 0, "the XGBoost model has " + std::to_string(features) +
                                       " input columns, the data " + std::to_string(cols));
  int rounds = 0;
  Check(XGBoosterBoostedRounds(m->booster_, &rounds), "XGBoosterBoostedRounds");
  Check(XGBoosterSetParam(m->booster_, "nthread", std::to_string(std::max(1, threads)).c_str()),
        "XGBoosterSetParam");
  m->cols_ = cols;
  m->rounds_ = rounds;
  m->best_round_ = rounds - 1;
  m->best_score_ = NAN;
  return m;
}

std::string XgbModel::SaveJson(bool best_only) const {
  BoosterHandle h = booster_;
  BoosterHandle sliced = nullptr;
  if (best_only && best_round_ + 1 < rounds_) {
    Check(XGBoosterSlice(booster_, 0, best_round_ + 1, 1, &sliced), "XGBoosterSlice");
    h = sliced;
  }
  bst_ulong len = 0;
  const char* buf = nullptr;
  const int rc = XGBoosterSaveModelToBuffer(h, "{\"format\": \"json\"}", &len, &buf);
  std::string text = rc == 0 ? std::string(buf, len) : std::string();
  if (sliced) XGBoosterFree(sliced);
  Check(rc, "XGBoosterSaveModelToBuffer");
  return text;
}

int64_t XgbModel::NumNodes(bool best_only) const {
  const Json j = Json::parse(SaveJson(best_only));
  int64_t nodes = 0;
  for (const auto& tree : j.at("learner").at("gradient_booster").at("model").at("trees"))
    nodes += static_cast<int64_t>(tree.at("left_children").size());
  return nodes;
}

XgbModel::~XgbModel() {
  if (booster_) XGBoosterFree(booster_);
}

std::vector<double> XgbModel::Predict(const XgbMatrix& x) const {
  if (x.rows == 0) return {};
  if (x.cols != cols_) Fatal("XGBoost: scoring ", x.cols, " columns with a model of ", cols_);
  DMatrix d(x, "scored", threads_, /*with_labels=*/false);
  return PredictHandle(booster_, d.get(), x.rows, best_round_ + 1);
}

}  // namespace prism::baseline
