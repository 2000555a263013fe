// The metric registry: every metric of the result table by name, created by CreateMetric.
#include <cerrno>
#include <cstdlib>
#include <functional>

#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {
namespace {

using EvalFn = std::function<double(const std::vector<int>&, const std::vector<double>&)>;

/// A metric defined by a function.
class FunctionMetric : public Metric {
 public:
  FunctionMetric(std::string name, bool higher_is_better, EvalFn fn)
      : name_(std::move(name)), higher_is_better_(higher_is_better), fn_(std::move(fn)) {}
  std::string name() const override { return name_; }
  bool higher_is_better() const override { return higher_is_better_; }
  double Eval(const std::vector<int>& y, const std::vector<double>& s) const override {
    return fn_(y, s);
  }

 private:
  std::string name_;
  bool higher_is_better_;
  EvalFn fn_;
};

/// A field of the confusion matrix, at a fixed threshold or (thr < 0) the F1-optimal one.
class ConfusionMetric : public Metric {
 public:
  ConfusionMetric(std::string base, double Confusion::*field, double thr)
      : base_(std::move(base)), field_(field), thr_(thr) {}
  std::string name() const override {
    if (thr_ < 0) return base_;
    char buf[64];
    std::snprintf(buf, sizeof buf, "%s@%g", base_.c_str(), thr_);
    return buf;
  }
  bool higher_is_better() const override { return true; }
  double Eval(const std::vector<int>& y, const std::vector<double>& s) const override {
    double thr = thr_ >= 0 ? thr_ : BestF1Threshold(y, s).threshold;
    return AtThreshold(y, s, thr).*field_;
  }

 private:
  std::string base_;
  double Confusion::*field_;
  double thr_;
};

struct Entry {
  const char* name;
  bool higher_is_better;
  double Confusion::*field;  // non-null for threshold metrics
  EvalFn fn;
};

const std::vector<Entry>& Table() {
  static const std::vector<Entry> kTable = {
      {"aupr", true, nullptr, AveragePrecision},
      {"auc", true, nullptr, RocAuc},
      {"f1", true, &Confusion::f1, nullptr},
      {"precision", true, &Confusion::precision, nullptr},
      {"recall", true, &Confusion::recall, nullptr},
      {"accuracy", true, &Confusion::accuracy, nullptr},
      {"ece", false, nullptr, [](const std::vector<int>& y, const std::vector<double>& s) {
         return Ece(y, s);
       }},
      {"brier", false, nullptr, Brier},
  };
  return kTable;
}

[[noreturn]] void Unknown(const std::string& name) {
  std::string valid;
  for (const auto& e : Table()) valid += (valid.empty() ? "" : ", ") + std::string(e.name);
  Fatal("unknown metric '", name, "' (valid: ", valid,
        "; threshold metrics also as NAME@THR, e.g. f1@0.5)");
}

}  // namespace

std::unique_ptr<Metric> CreateMetric(const std::string& name) {
  std::string base = name;
  double thr = -1;
  size_t at = name.find('@');
  if (at != std::string::npos) {
    base = name.substr(0, at);
    std::string t = name.substr(at + 1);
    char* end = nullptr;
    errno = 0;
    thr = std::strtod(t.c_str(), &end);
    if (t.empty() || *end != 0 || errno == ERANGE || !(thr >= 0 && thr <= 1))
      Fatal("metric '", name, "': threshold after '@' must be a number in [0, 1]");
  }
  for (const auto& e : Table()) {
    if (base != e.name) continue;
    if (e.field) return std::make_unique<ConfusionMetric>(e.name, e.field, thr);
    if (at != std::string::npos) Fatal("metric '", base, "' takes no threshold (", name, ")");
    return std::make_unique<FunctionMetric>(e.name, e.higher_is_better, e.fn);
  }
  Unknown(name);
}

std::vector<std::string> MetricNames() {
  std::vector<std::string> names;
  for (const auto& e : Table()) names.push_back(e.name);
  return names;
}

}  // namespace prism::metric
