// The oracle: true and environment-blind probabilities and their AUPR.
#include <cmath>

#include "prism/metric.h"
#include "sim/generative_model.h"

namespace prism::sim {

double TrueProbability(const Grammar& grammar, const SimulationOptions& options,
                       const CellModel& cell, const MotifSet& e, const MotifSet& p) {
  const double u = InteractionScore(grammar, options, cell.info.activity, e, p);
  return Sigmoid((u - cell.info.resistance) / options.temperature);
}

double EnvBlindProbability(const Grammar& grammar, const SimulationOptions& options,
                           const std::vector<const CellModel*>& train_cells, const MotifSet& e,
                           const MotifSet& p) {
  double s = 0;
  for (const CellModel* c : train_cells) s += TrueProbability(grammar, options, *c, e, p);
  return s / static_cast<double>(train_cells.size());
}

double ShortcutScore(const std::string& enhancer, const std::string& promoter,
                     const std::vector<std::string>& kmers) {
  bool has = false;
  for (const std::string& k : kmers) has = has || enhancer.find(k) != std::string::npos;
  double gc = 0;
  for (const std::string* s : {&enhancer, &promoter})
    for (char c : *s) gc += c == 'G' || c == 'C';
  return (has ? 1.0 : 0.0) + gc / static_cast<double>(enhancer.size() + promoter.size() + 1);
}

OracleSummary SummarizeOracle(const std::string& name, const std::string& split,
                              const std::vector<OracleRow>& rows, const std::vector<size_t>& idx,
                              const std::vector<double>& shortcut,
                              const std::vector<double>& reference) {
  OracleSummary s;
  s.name = name;
  s.split = split;
  std::vector<int> y;
  std::vector<double> pt, pb, ps, pr;
  double sum_p = 0;
  for (size_t i : idx) {
    const OracleRow& r = rows[i];
    y.push_back(r.label);
    pt.push_back(r.p_true);
    pb.push_back(r.p_env_blind);
    if (!shortcut.empty()) ps.push_back(shortcut[i]);
    if (!reference.empty()) pr.push_back(reference[i]);
    s.positives += r.label;
    sum_p += r.p_true;
  }
  s.pairs = static_cast<long>(idx.size());
  s.positive_rate = s.pairs ? static_cast<double>(s.positives) / s.pairs : NAN;
  s.mean_p_true = s.pairs ? sum_p / s.pairs : NAN;
  s.aupr_true = metric::AveragePrecision(y, pt);
  s.aupr_env_blind = metric::AveragePrecision(y, pb);
  if (!shortcut.empty()) s.aupr_shortcut = metric::AveragePrecision(y, ps);
  if (!reference.empty()) s.aupr_reference = metric::AveragePrecision(y, pr);
  return s;
}

}  // namespace prism::sim
