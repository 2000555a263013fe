// Ranking metrics: average precision, ROC AUC, and the PR / ROC curves (sklearn 1.2 definitions).
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <functional>
#include <limits>
#include <utility>

#include "metric/metric_internal.h"
#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {
namespace internal {
namespace {

/// Sorts doubles in decreasing order: LSD radix sort (11-bit digits, passes where every key has
/// the same digit skipped) on order-preserving integer keys; std::sort for small inputs.
void SortDescending(std::vector<double>* v) {
  const size_t n = v->size();
  if (n < 4096) {
    std::sort(v->begin(), v->end(), std::greater<double>());
    return;
  }
  constexpr uint64_t kMsb = uint64_t{1} << 63;
  constexpr int kBits = 11;
  constexpr size_t kBuckets = size_t{1} << kBits;
  std::vector<uint64_t> a(n), b(n);
  for (size_t i = 0; i < n; ++i) {
    uint64_t u;
    std::memcpy(&u, &(*v)[i], sizeof u);
    u = (u & kMsb) ? ~u : (u | kMsb);  // increasing in the double's value
    a[i] = ~u;                          // increasing key = decreasing value
  }
  std::vector<size_t> count(kBuckets);
  for (int shift = 0; shift < 64; shift += kBits) {
    std::fill(count.begin(), count.end(), 0);
    for (uint64_t x : a) ++count[(x >> shift) & (kBuckets - 1)];
    if (count[(a[0] >> shift) & (kBuckets - 1)] == n) continue;  // one digit: nothing to do
    size_t sum = 0;
    for (auto& c : count) {
      size_t here = c;
      c = sum;
      sum += here;
    }
    for (uint64_t x : a) b[count[(x >> shift) & (kBuckets - 1)]++] = x;
    a.swap(b);
  }
  for (size_t i = 0; i < n; ++i) {
    uint64_t u = ~a[i];
    u = (u & kMsb) ? (u & ~kMsb) : ~u;
    std::memcpy(&(*v)[i], &u, sizeof u);
  }
}

}  // namespace

void Validate(const std::vector<int>& y, const std::vector<double>& s, const char* what) {
  if (y.size() != s.size())
    Fatal(what, ": ", y.size(), " labels but ", s.size(), " scores");
  for (size_t i = 0; i < y.size(); ++i) {
    if (y[i] != 0 && y[i] != 1) Fatal(what, ": label ", i, " is ", y[i], ", expected 0 or 1");
    if (!std::isfinite(s[i])) Fatal(what, ": score ", i, " is ", s[i], ", expected a finite number");
  }
}

ScoreGroups GroupScores(const std::vector<int>& y, const std::vector<double>& s) {
  // Positive and negative scores sorted separately (plain doubles sort faster than pairs), then
  // merged from the top: each distinct score is one group.
  std::vector<double> pos, neg;
  pos.reserve(s.size());
  neg.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) (y[i] ? pos : neg).push_back(s[i]);
  SortDescending(&pos);
  SortDescending(&neg);
  ScoreGroups g;
  g.positives = static_cast<long>(pos.size());
  g.negatives = static_cast<long>(neg.size());
  size_t i = 0, j = 0;
  while (i < pos.size() || j < neg.size()) {
    double top = i == pos.size() ? neg[j] : (j == neg.size() ? pos[i] : std::max(pos[i], neg[j]));
    while (i < pos.size() && pos[i] == top) ++i;
    while (j < neg.size() && neg[j] == top) ++j;
    g.score.push_back(top);
    g.tp.push_back(static_cast<long>(i));
    g.fp.push_back(static_cast<long>(j));
  }
  return g;
}

/// Average precision from the cumulative true and false positives (counts or weights) at each
/// distinct score, highest first: the recall gained at a step times the precision there.
/// sklearn 1.2 sets recall to 1 everywhere when there are no positives: every step is 0.
template <class T>
double StepAveragePrecision(const std::vector<T>& tp, const std::vector<T>& fp, double positives) {
  if (!(positives > 0)) return 0.0;
  double ap = 0, prev_recall = 0;
  for (size_t k = 0; k < tp.size(); ++k) {
    const double t = static_cast<double>(tp[k]), all = t + static_cast<double>(fp[k]);
    const double recall = t / positives;
    ap += (recall - prev_recall) * (all > 0 ? t / all : 0.0);  // 0/0: only zero weights so far
    prev_recall = recall;
  }
  return ap;
}

double AveragePrecision(const ScoreGroups& g) {
  return StepAveragePrecision(g.tp, g.fp, static_cast<double>(g.positives));
}

double RocAuc(const ScoreGroups& g) {
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

}  // namespace internal

double AveragePrecision(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "AveragePrecision");
  if (y.empty()) return std::numeric_limits<double>::quiet_NaN();
  return internal::AveragePrecision(internal::GroupScores(y, s));
}

double WeightedAveragePrecision(const std::vector<int>& y, const std::vector<double>& s,
                                const std::vector<double>& w) {
  internal::Validate(y, s, "WeightedAveragePrecision");
  if (w.size() != y.size()) Fatal("WeightedAveragePrecision: ", y.size(), " labels but ", w.size(), " weights");
  for (size_t i = 0; i < w.size(); ++i)
    if (!(std::isfinite(w[i]) && w[i] >= 0))
      Fatal("WeightedAveragePrecision: weight ", i, " is ", w[i], ", expected a finite number >= 0");
  if (y.empty()) return std::numeric_limits<double>::quiet_NaN();
  std::vector<size_t> order(y.size());
  for (size_t i = 0; i < order.size(); ++i) order[i] = i;
  std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return s[a] > s[b]; });
  // The cumulative weights at each distinct score (tied scores are one threshold).
  std::vector<double> tp, fp;
  double t = 0, f = 0;
  for (size_t k = 0; k < order.size();) {
    const double score = s[order[k]];
    for (; k < order.size() && s[order[k]] == score; ++k) (y[order[k]] ? t : f) += w[order[k]];
    tp.push_back(t);
    fp.push_back(f);
  }
  return internal::StepAveragePrecision(tp, fp, t);
}

double RocAuc(const std::vector<int>& y, const std::vector<double>& s) {
  internal::Validate(y, s, "RocAuc");
  return internal::RocAuc(internal::GroupScores(y, s));
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
