// Ranking metrics: average precision, ROC AUC, and the PR / ROC curves (sklearn 1.2 definitions).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <limits>
#include <utility>

#include "metric/metric_internal.h"
#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {
namespace internal {

void Validate(const std::vector<int>& y, const std::vector<double>& s, const char* what) {
  if (y.size() != s.size())
    Fatal(what, ": ", y.size(), " labels but ", s.size(), " scores");
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0 && y[i] != 1) Fatal(what, ": label ", i, " is ", y[i], ", expected 0 or 1");
    if (!std::isfinite(s[i])) Fatal(what, ": score ", i, " is ", s[i], ", expected a finite number");
  }
}

ScoreGroups GroupScores(const std::vector<int>& y, const std::vector<double>& s) {
  const size_t n = s.size();
  std::vector<std::pair<double, int>> v(n);
  for (size_t i = 0; i < n; ++i) v[i] = {s[i], y[i]};
  // Decreasing score; labels inside a tie group do not matter (the group is one step).
  std::sort(v.begin(), v.end(),
            [](const std::pair<double, int>& a, const std::pair<double, int>& b) {
              return a.first > b.first;
            });
  ScoreGroups g;
  long tp = 0, fp = 0;
  for (size_t i = 0; i < n; ++i) {
    if (v[i].second) ++tp; else ++fp;
    if (i + 1 == n || v[i + 1].first != v[i].first) {
      g.score.push_back(v[i].first);
      g.tp.push_back(tp);
      g.fp.push_back(fp);
    }
  }
  g.positives = tp;
  g.negatives = fp;
  return g;
}

}  // namespace internal

double AveragePrecision(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "AveragePrecision");
  if (y.empty()) return std::numeric_limits<double>::quiet_NaN();
  internal::ScoreGroups g = internal::GroupScores(y, s);
  // sklearn 1.2 sets recall to 1 everywhere when there are no positives: every recall step is 0.
  if (g.positives == 0) return 0.0;
  const double pos = static_cast<double>(g.positives);
  double ap = 0, prev_recall = 0;
  for (size_t k = 0; k < g.score.size(); ++k) {
    double recall = g.tp[k] / pos;
    double precision = static_cast<double>(g.tp[k]) / static_cast<double>(g.tp[k] + g.fp[k]);
    ap += (recall - prev_recall) * precision;
    prev_recall = recall;
  }
  return ap;
}

double RocAuc(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "RocAuc");
  internal::ScoreGroups g = internal::GroupScores(y, s);
  if (g.positives == 0 || g.negatives == 0) return std::numeric_limits<double>::quiet_NaN();
  // Twice the trapezoid area in integer units: exact for any realistic n.
  int64_t area2 = 0, prev_tp = 0, prev_fp = 0;
  for (size_t k = 0; k < g.score.size(); ++k) {
    area2 += (g.fp[k] - prev_fp) * (g.tp[k] + prev_tp);
    prev_tp = g.tp[k];
    prev_fp = g.fp[k];
  }
  return static_cast<double>(area2) /
         (2.0 * static_cast<double>(g.positives) * static_cast<double>(g.negatives));
}

Curve PrCurve(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "PrCurve");
  Curve c;
  if (y.empty()) return c;
  internal::ScoreGroups g = internal::GroupScores(y, s);
  const size_t m = g.score.size();
  // Increasing threshold order, as sklearn returns it.
  for (size_t j = 0; j < m; ++j) {
    size_t k = m - 1 - j;
    double precision = static_cast<double>(g.tp[k]) / static_cast<double>(g.tp[k] + g.fp[k]);
    double recall = g.positives == 0 ? 1.0 : static_cast<double>(g.tp[k]) / g.positives;
    c.x.push_back(recall);
    c.y.push_back(precision);
    c.thresholds.push_back(g.score[k]);
  }
  c.x.push_back(0.0);
  c.y.push_back(1.0);
  return c;
}

Curve RocCurve(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "RocCurve");
  Curve c;
  if (y.empty()) return c;
  internal::ScoreGroups g = internal::GroupScores(y, s);
  const size_t m = g.score.size();
  // sklearn's drop_intermediate: keep the ends and every point where the second difference of
  // fps or tps is non-zero (i.e. drop points collinear with both neighbours).
  std::vector<size_t> keep;
  for (size_t k = 0; k < m; ++k) {
    bool corner = k == 0 || k + 1 == m ||
                  (g.fp[k + 1] - 2 * g.fp[k] + g.fp[k - 1]) != 0 ||
                  (g.tp[k + 1] - 2 * g.tp[k] + g.tp[k - 1]) != 0;
    if (corner) keep.push_back(k);
  }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  auto rate = [nan](long count, long total) {
    return total == 0 ? nan : static_cast<double>(count) / static_cast<double>(total);
  };
  c.x.push_back(g.negatives == 0 ? nan : 0.0);
  c.y.push_back(g.positives == 0 ? nan : 0.0);
  c.thresholds.push_back(g.score[0] + 1.0);
  for (size_t k : keep) {
    c.x.push_back(rate(g.fp[k], g.negatives));
    c.y.push_back(rate(g.tp[k], g.positives));
    c.thresholds.push_back(g.score[k]);
  }
  return c;
}

}  // namespace prism::metric
