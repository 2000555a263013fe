// data/propensity_score.cpp - the label's propensity score given several covariates, per group
// (see prism/covariate_balance.h).
#include <cmath>
#include <map>

#include "prism/covariate_balance.h"
#include "prism/error.h"
#include "prism/logistic_regression.h"

namespace prism {

std::vector<double> PropensityScores(const std::vector<int>& label,
                                     const std::vector<std::string>& group,
                                     const std::vector<std::vector<double>>& covariates) {
  const size_t n = label.size();
  PRISM_CHECK(group.size() == n, "PropensityScores: ", n, " labels, ", group.size(), " groups");
  PRISM_CHECK(!covariates.empty(), "PropensityScores: no covariate");
  for (const auto& c : covariates)
    PRISM_CHECK(c.size() == n, "PropensityScores: ", n, " labels, a covariate of ", c.size());
  std::vector<double> out(n, NAN);
  std::map<std::string, std::vector<size_t>> rows_of;
  for (size_t i = 0; i < n; ++i) {
    bool known = true;
    for (const auto& c : covariates) known = known && std::isfinite(c[i]);
    if (known) rows_of[group[i]].push_back(i);
  }
  const int d = static_cast<int>(covariates.size());
  for (const auto& [name, rows] : rows_of) {
    // Standardised covariates (a constant one is left at 0), so the small L2 penalty treats
    // them alike whatever their scale.
    std::vector<double> mean(d, 0), sd(d, 0);
    for (int k = 0; k < d; ++k) {
      for (size_t r : rows) mean[k] += covariates[k][r];
      mean[k] /= static_cast<double>(rows.size());
      for (size_t r : rows) sd[k] += (covariates[k][r] - mean[k]) * (covariates[k][r] - mean[k]);
      sd[k] = std::sqrt(sd[k] / static_cast<double>(rows.size()));
    }
    SparseRows x;
    x.cols = d;
    std::vector<int> y;
    long pos = 0;
    for (size_t r : rows) {
      std::vector<std::pair<int, double>> row;
      for (int k = 0; k < d; ++k)
        row.push_back({k, sd[k] > 0 ? (covariates[k][r] - mean[k]) / sd[k] : 0.0});
      x.AddRow(row);
      y.push_back(label[r]);
      pos += label[r];
    }
    if (pos == 0 || pos == static_cast<long>(rows.size())) {  // one class: nothing to predict
      for (size_t r : rows) out[r] = 0;
      continue;
    }
    LogisticFitOptions fo;
    fo.l2 = 1e-3;
    const std::vector<double> score = LogisticScores(FitLogistic(x, y, fo), x);
    for (size_t i = 0; i < rows.size(); ++i) out[rows[i]] = score[i];
  }
  return out;
}

}  // namespace prism
