// The threshold rules: one registry table of criteria maximised over the 0.01..0.99 grid
// ("f1", "mcc"), the grid search they share, and the threshold policy of the result table.
#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>

#include "metric/metric_internal.h"
#include "prism/error.h"
#include "prism/metric.h"

namespace prism::metric {
namespace {

/// A rule's criterion from the confusion counts at one threshold (larger is better).
using Criterion = double (*)(long tp, long fp, long tn, long fn);

double F1Of(long tp, long fp, long /*tn*/, long fn) {
  const long den = 2 * tp + fp + fn;
  return den > 0 ? 2.0 * static_cast<double>(tp) / static_cast<double>(den) : 0.0;
}

double MccOf(long tp, long fp, long tn, long fn) {
  Confusion c;
  std::tie(c.tp, c.fp, c.tn, c.fn) = std::tie(tp, fp, tn, fn);
  return Matthews(c);
}

struct RuleEntry {
  const char* name;
  Criterion criterion;
};

// The registry table, in documentation order.
const RuleEntry kRules[] = {
    {"f1", F1Of},
    {"mcc", MccOf},
};

const RuleEntry& FindRule(const std::string& name) {
  for (const auto& r : kRules)
    if (name == r.name) return r;
  std::string valid;
  for (const auto& r : kRules) valid += (valid.empty() ? "" : ", ") + std::string(r.name);
  Fatal("unknown threshold rule '", name, "' (valid: ", valid, ")");
}

/// Maximises `criterion` over ThresholdGrid(); strict comparison: ties keep the smaller threshold.
ThresholdChoice Search(const internal::ScoreGroups& g, Criterion criterion) {
  ThresholdChoice best;
  best.threshold = 0.01;
  best.value = -std::numeric_limits<double>::infinity();
  for (double thr : ThresholdGrid()) {
    // Groups are in decreasing score: those with score >= thr are a prefix.
    const size_t k = std::partition_point(g.score.begin(), g.score.end(),
                                          [thr](double v) { return v >= thr; }) -
                     g.score.begin();
    const long tp = k ? g.tp[k - 1] : 0;
    const long fp = k ? g.fp[k - 1] : 0;
    const long fn = g.positives - tp, tn = g.negatives - fp;
    const double v = criterion(tp, fp, tn, fn);
    if (v > best.value) {
      best.value = v;
      best.threshold = thr;
      best.f1 = F1Of(tp, fp, tn, fn);
    }
  }
  return best;
}

}  // namespace

namespace internal {

ThresholdChoice BestF1Threshold(const ScoreGroups& g) { return Search(g, F1Of); }

ThresholdChoice ChooseThreshold(const ScoreGroups& g, const std::string& rule) {
  return Search(g, FindRule(rule).criterion);
}

}  // namespace internal

std::vector<std::string> ThresholdRuleNames() {
  std::vector<std::string> names;
  for (const auto& r : kRules) names.emplace_back(r.name);
  return names;
}

ThresholdChoice ChooseThreshold(const std::string& rule, const std::vector<int>& y,
                                const std::vector<double>& s) {
  FindRule(rule);  // an unknown name is an error even for empty input
  internal::Validate(y, s, "ChooseThreshold");
  return internal::ChooseThreshold(internal::GroupScores(y, s), rule);
}

ThresholdPolicy ThresholdPolicy::Own(const std::string& rule) {
  FindRule(rule);
  ThresholdPolicy p;
  p.rule = rule;
  return p;
}

ThresholdPolicy ThresholdPolicy::Fixed(double thr, const std::string& source) {
  if (!std::isfinite(thr)) Fatal("a fixed threshold must be a finite number, got ", thr);
  ThresholdPolicy p;
  p.rule = source;
  p.fixed = thr;
  return p;
}

ThresholdPolicy ThresholdPolicy::FromValidation(double val_threshold, const std::string& rule) {
  return std::isfinite(val_threshold) ? Fixed(val_threshold, "val") : Own(rule);
}

bool ThresholdPolicy::is_fixed() const { return std::isfinite(fixed); }

}  // namespace prism::metric
