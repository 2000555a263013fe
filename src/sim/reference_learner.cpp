// The motif-informed reference learner (sim/reference_learner.h, docs/simulator.md).
#include "sim/reference_learner.h"

#include <cmath>
#include <thread>
#include <unordered_map>

#include "prism/error.h"
#include "prism/metric.h"
#include "prism/logistic_regression.h"

namespace prism::sim {
namespace {

constexpr int kSaturation = 2;  // site counts are capped here, like the grammar's saturation

/// Capped site counts of every pair of a split: per pair, M x levels for each element.
struct ScannedSplit {
  std::vector<std::vector<uint8_t>> enhancer, promoter;
  std::vector<int> labels;
};

std::vector<uint8_t> ScanElement(const std::vector<PwmScanner>& scanners, size_t levels,
                                 const std::string& seq) {
  std::vector<uint8_t> counts(scanners.size() * levels, 0);
  const CodedSequence coded(seq);
  for (size_t m = 0; m < scanners.size(); ++m) scanners[m].Count(coded, counts.data() + m * levels);
  return counts;
}

ScannedSplit ScanSplit(const SequenceSplit& split, const std::vector<PwmScanner>& scanners,
                       size_t levels) {
  ScannedSplit out;
  std::unordered_map<std::string, size_t> seen_e, seen_p;  // an element shared by pairs: once
  auto element = [&](const std::unordered_map<std::string, std::string>& seqs,
                     const std::string& name, std::unordered_map<std::string, size_t>& seen,
                     std::vector<std::vector<uint8_t>>& dst, const char* role) {
    auto hit = seen.find(name);
    if (hit != seen.end()) {
      dst.push_back(dst[hit->second]);
      return;
    }
    auto it = seqs.find(name);
    if (it == seqs.end()) Fatal("reference learner: no sequence for ", role, " '", name, "'");
    seen.emplace(name, dst.size());
    dst.push_back(ScanElement(scanners, levels, it->second));
  };
  for (const Pair& p : split.pairs) {
    element(split.seqs.enhancers, p.enhancer, seen_e, out.enhancer, "enhancer");
    element(split.seqs.promoters, p.promoter, seen_p, out.promoter, "promoter");
    out.labels.push_back(p.label);
  }
  return out;
}

/// Design rows of the pairs `rows` of a split at threshold level t: min(count, 2) of enhancer
/// motif i times that of promoter motif j (column i * M + j), then the single capped counts of
/// the enhancer (M^2 + i) and of the promoter (M^2 + M + j).
SparseRows Design(const ScannedSplit& s, const std::vector<size_t>& rows, size_t level,
                  size_t levels, int m) {
  SparseRows x;
  x.cols = m * m + 2 * m;
  std::vector<std::pair<int, double>> entries;
  std::vector<int> ce(static_cast<size_t>(m)), cp(static_cast<size_t>(m));
  for (size_t r : rows) {
    entries.clear();
    for (int i = 0; i < m; ++i) {
      ce[static_cast<size_t>(i)] = std::min<int>(kSaturation, s.enhancer[r][static_cast<size_t>(i) * levels + level]);
      cp[static_cast<size_t>(i)] = std::min<int>(kSaturation, s.promoter[r][static_cast<size_t>(i) * levels + level]);
    }
    for (int i = 0; i < m; ++i) {
      if (!ce[static_cast<size_t>(i)]) continue;
      for (int j = 0; j < m; ++j)
        if (cp[static_cast<size_t>(j)])
          entries.emplace_back(i * m + j, ce[static_cast<size_t>(i)] * cp[static_cast<size_t>(j)]);
    }
    for (int i = 0; i < m; ++i)
      if (ce[static_cast<size_t>(i)]) entries.emplace_back(m * m + i, ce[static_cast<size_t>(i)]);
    for (int j = 0; j < m; ++j)
      if (cp[static_cast<size_t>(j)]) entries.emplace_back(m * m + m + j, cp[static_cast<size_t>(j)]);
    x.AddRow(entries);
  }
  return x;
}

std::vector<int> Pick(const std::vector<int>& v, const std::vector<size_t>& rows) {
  std::vector<int> out;
  for (size_t r : rows) out.push_back(v[r]);
  return out;
}

std::vector<size_t> AllRows(size_t n) {
  std::vector<size_t> r(n);
  for (size_t i = 0; i < n; ++i) r[i] = i;
  return r;
}

}  // namespace

const std::vector<double>& ReferencePValues() {
  static const std::vector<double> p = {1e-3, 1e-4, 1e-5};
  return p;
}

const std::vector<double>& ReferenceL2Grid() {
  static const std::vector<double> l2 = {1000.0, 100.0, 10.0, 1.0, 0.1};  // warm-started in order
  return l2;
}

ReferenceLearnerResult FitMotifReference(const std::vector<Pwm>& motifs, const DomainKlData& data) {
  const std::vector<double>& p_values = ReferencePValues();
  const size_t levels = p_values.size();
  const int m = static_cast<int>(motifs.size());
  std::vector<PwmScanner> scanners;
  for (const Pwm& pwm : motifs) scanners.emplace_back(pwm, p_values);
  ScannedSplit train, val, test;
  {
    // The splits are scanned in parallel.
    std::thread val_thread([&] { if (data.has_val) val = ScanSplit(data.val, scanners, levels); });
    std::thread test_thread([&] { test = ScanSplit(data.test, scanners, levels); });
    train = ScanSplit(data.train, scanners, levels);
    val_thread.join();
    test_thread.join();
  }

  // Where the settings are chosen: the val split, or every fifth training pair.
  std::vector<size_t> fit_rows, sel_rows;
  const ScannedSplit* sel = &val;
  if (data.has_val && !val.labels.empty()) {
    fit_rows = AllRows(train.labels.size());
    sel_rows = AllRows(val.labels.size());
  } else {
    sel = &train;
    for (size_t i = 0; i < train.labels.size(); ++i) (i % 5 == 4 ? sel_rows : fit_rows).push_back(i);
  }
  LogisticFitOptions fit;
  fit.gradient_tolerance = 1e-4;  // scikit-learn's default tol; AUPR does not move beyond it
  fit.max_iterations = 200;
  ReferenceLearnerResult result;
  result.selected_on = sel == &val ? "val" : "train holdout (every 5th pair)";
  result.features = m * m + 2 * m;
  const std::vector<int> y_fit = Pick(train.labels, fit_rows), y_sel = Pick(sel->labels, sel_rows);
  // One thread per threshold level (independent fits; the choice does not depend on timing).
  struct Candidate {
    double aupr = -1, l2 = 1.0;
    LogisticModel model;
  };
  std::vector<Candidate> per_level(levels);
  auto search_level = [&](size_t t) {
    const SparseRows x_fit = Design(train, fit_rows, t, levels, m);
    const SparseRows x_sel = Design(*sel, sel_rows, t, levels, m);
    LogisticFitOptions level_fit = fit;
    LogisticModel warm;
    bool have_warm = false;
    for (double l2 : ReferenceL2Grid()) {
      level_fit.l2 = l2;
      LogisticModel model = FitLogistic(x_fit, y_fit, level_fit, have_warm ? &warm : nullptr);
      const double aupr = metric::AveragePrecision(y_sel, LogisticScores(model, x_sel));
      if (std::isfinite(aupr) && aupr > per_level[t].aupr) per_level[t] = {aupr, l2, model};
      warm = std::move(model);
      have_warm = true;
    }
  };
  std::vector<std::thread> threads;
  for (size_t t = 0; t < levels; ++t) threads.emplace_back(search_level, t);
  for (std::thread& th : threads) th.join();
  double best = -1;
  size_t best_level = 1;
  LogisticModel best_model;
  result.l2 = 1.0;
  result.p_value = p_values[best_level];
  result.selection_aupr = NAN;
  for (size_t t = 0; t < levels; ++t)
    if (per_level[t].aupr > best) {
      best = per_level[t].aupr;
      best_level = t;
      best_model = per_level[t].model;
      result.l2 = per_level[t].l2;
      result.p_value = p_values[t];
      result.selection_aupr = best;
    }
  if (sel == &train || best < 0) {  // refit on all of train with the chosen settings
    fit.l2 = result.l2;
    best_model = FitLogistic(Design(train, AllRows(train.labels.size()), best_level, levels, m),
                             train.labels, fit);
  }
  for (const ScannedSplit* s : {&train, &val, &test}) {
    if (s->labels.empty()) continue;
    const std::vector<double> z =
        LogisticScores(best_model, Design(*s, AllRows(s->labels.size()), best_level, levels, m));
    result.scores.insert(result.scores.end(), z.begin(), z.end());
  }
  return result;
}

}  // namespace prism::sim
