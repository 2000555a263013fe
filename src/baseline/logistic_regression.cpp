// L2 logistic regression by L-BFGS (see prism/logistic_regression.h).
#include "prism/logistic_regression.h"

#include <algorithm>
#include <cmath>
#include <deque>

#include "prism/error.h"

namespace prism {
namespace {

// log(1 + exp(z)) without overflow.
double Softplus(double z) { return z > 0 ? z + std::log1p(std::exp(-z)) : std::log1p(std::exp(z)); }

double Sigmoid(double z) {
  if (z >= 0) return 1.0 / (1.0 + std::exp(-z));
  const double e = std::exp(z);
  return e / (1.0 + e);
}

double Dot(const std::vector<double>& a, const std::vector<double>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += a[i] * b[i];
  return s;
}

/// Objective and gradient at theta = (w..., b); the last entry of theta is the intercept.
class Objective {
 public:
  Objective(const SparseRows& x, const std::vector<int>& y, double l2) : x_(x), y_(y), l2_(l2) {}
  double Eval(const std::vector<double>& theta, std::vector<double>* grad) const {
    const size_t d = static_cast<size_t>(x_.cols);
    grad->assign(d + 1, 0.0);
    double f = 0;
    for (size_t r = 0; r < x_.rows(); ++r) {
      double z = theta[d];
      for (size_t k = x_.offsets[r]; k < x_.offsets[r + 1]; ++k)
        z += x_.value[k] * theta[static_cast<size_t>(x_.index[k])];
      f += Softplus(z) - (y_[r] ? z : 0.0);
      const double g = Sigmoid(z) - y_[r];
      for (size_t k = x_.offsets[r]; k < x_.offsets[r + 1]; ++k)
        (*grad)[static_cast<size_t>(x_.index[k])] += g * x_.value[k];
      (*grad)[d] += g;
    }
    for (size_t i = 0; i < d; ++i) {
      f += 0.5 * l2_ * theta[i] * theta[i];
      (*grad)[i] += l2_ * theta[i];
    }
    return f;
  }

 private:
  const SparseRows& x_;
  const std::vector<int>& y_;
  double l2_;
};

double MaxAbs(const std::vector<double>& v) {
  double m = 0;
  for (double x : v) m = std::max(m, std::fabs(x));
  return m;
}

}  // namespace

void SparseRows::AddRow(const std::vector<std::pair<int, double>>& entries) {
  for (const auto& [col, v] : entries) {
    PRISM_CHECK(col >= 0 && col < cols, "sparse row: column ", col, " outside 0..", cols - 1);
    index.push_back(col);
    value.push_back(v);
  }
  offsets.push_back(index.size());
}

LogisticModel FitLogistic(const SparseRows& x, const std::vector<int>& y,
                          const LogisticFitOptions& options, const LogisticModel* warm) {
  PRISM_CHECK(y.size() == x.rows(), "logistic regression: ", y.size(), " labels for ", x.rows(),
              " rows");
  PRISM_CHECK(options.l2 > 0, "logistic regression: l2 must be > 0");
  for (int v : y) PRISM_CHECK(v == 0 || v == 1, "logistic regression: labels must be 0 or 1");
  const size_t d = static_cast<size_t>(x.cols);
  std::vector<double> theta(d + 1, 0.0);
  if (warm) {
    PRISM_CHECK(warm->w.size() == d, "logistic regression: warm start of the wrong width");
    std::copy(warm->w.begin(), warm->w.end(), theta.begin());
    theta[d] = warm->intercept;
  }
  const Objective obj(x, y, options.l2);
  const double n = std::max<double>(1.0, static_cast<double>(x.rows()));
  std::vector<double> grad, next_grad, next(d + 1), dir(d + 1);
  double f = obj.Eval(theta, &grad);
  std::deque<std::pair<std::vector<double>, std::vector<double>>> memory;  // (s, y) pairs
  LogisticModel model;
  for (int it = 0; it < options.max_iterations; ++it) {
    if (MaxAbs(grad) / n < options.gradient_tolerance) {
      model.converged = true;
      break;
    }
    // Two-loop recursion: dir = -H * grad.
    dir = grad;
    std::vector<double> alpha(memory.size());
    for (size_t m = memory.size(); m-- > 0;) {
      const auto& [s, yv] = memory[m];
      alpha[m] = Dot(s, dir) / Dot(yv, s);
      for (size_t i = 0; i <= d; ++i) dir[i] -= alpha[m] * yv[i];
    }
    double scale = 1.0 / std::max(1.0, MaxAbs(grad));  // first step: a bounded move
    if (!memory.empty()) scale = Dot(memory.back().first, memory.back().second) /
                                 Dot(memory.back().second, memory.back().second);
    for (double& v : dir) v *= scale;
    for (size_t m = 0; m < memory.size(); ++m) {
      const auto& [s, yv] = memory[m];
      const double beta = Dot(yv, dir) / Dot(yv, s);
      for (size_t i = 0; i <= d; ++i) dir[i] += s[i] * (alpha[m] - beta);
    }
    for (double& v : dir) v = -v;
    double slope = Dot(grad, dir);
    if (slope >= 0) {  // not a descent direction: restart from the gradient
      memory.clear();
      for (size_t i = 0; i <= d; ++i) dir[i] = -grad[i] / std::max(1.0, MaxAbs(grad));
      slope = Dot(grad, dir);
    }
    double step = 1.0, next_f = 0;
    bool accepted = false;
    for (int ls = 0; ls < 60; ++ls, step *= 0.5) {
      for (size_t i = 0; i <= d; ++i) next[i] = theta[i] + step * dir[i];
      next_f = obj.Eval(next, &next_grad);
      if (next_f <= f + 1e-4 * step * slope) {
        accepted = true;
        break;
      }
    }
    model.iterations = it + 1;
    if (!accepted) break;  // no decrease possible at double precision: at the minimum
    std::vector<double> s(d + 1), yv(d + 1);
    for (size_t i = 0; i <= d; ++i) {
      s[i] = next[i] - theta[i];
      yv[i] = next_grad[i] - grad[i];
    }
    if (Dot(s, yv) > 1e-12 * Dot(yv, yv)) {
      memory.emplace_back(std::move(s), std::move(yv));
      if (static_cast<int>(memory.size()) > options.history) memory.pop_front();
    }
    theta.swap(next);
    grad.swap(next_grad);
    f = next_f;
  }
  if (MaxAbs(grad) / n < options.gradient_tolerance) model.converged = true;
  model.w.assign(theta.begin(), theta.begin() + static_cast<std::ptrdiff_t>(d));
  model.intercept = theta[d];
  return model;
}

std::vector<double> LogisticScores(const LogisticModel& model, const SparseRows& x) {
  PRISM_CHECK(model.w.size() == static_cast<size_t>(x.cols),
              "logistic regression: model and rows differ in width");
  std::vector<double> z(x.rows(), model.intercept);
  for (size_t r = 0; r < x.rows(); ++r)
    for (size_t k = x.offsets[r]; k < x.offsets[r + 1]; ++k)
      z[r] += x.value[k] * model.w[static_cast<size_t>(x.index[k])];
  return z;
}

std::vector<double> LogisticProbabilities(const LogisticModel& model, const SparseRows& x) {
  std::vector<double> p = LogisticScores(model, x);
  for (double& v : p) v = Sigmoid(v);
  return p;
}

}  // namespace prism
