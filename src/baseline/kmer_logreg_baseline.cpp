// The kmer_logreg baseline: canonical k-mer frequencies of the enhancer and of the promoter (two
// blocks), standardised on the training pairs, L2 logistic regression with the penalty chosen on
// the validation split (docs/baselines.md).
#include <cmath>
#include <unordered_map>

#include "baseline/baseline_internal.h"
#include "prism/error.h"
#include "prism/metric.h"

namespace prism::baseline {
namespace {

/// Raw features of every pair: enhancer block, then promoter block.
std::vector<std::vector<double>> KmerRows(const BaselinePart& part, int k) {
  const size_t d = static_cast<size_t>(NumCanonicalKmers(k));
  std::unordered_map<std::string, std::vector<double>> enh, prom;  // per element name
  auto freq = [&](const std::unordered_map<std::string, std::string>& seqs,
                  std::unordered_map<std::string, std::vector<double>>& cache,
                  const std::string& name, const char* what) -> const std::vector<double>& {
    auto it = cache.find(name);
    if (it != cache.end()) return it->second;
    auto s = seqs.find(name);
    if (s == seqs.end()) Fatal("kmer_logreg: no sequence for the ", what, " '", name, "'");
    return cache.emplace(name, CanonicalKmerFrequencies(s->second, k)).first->second;
  };
  std::vector<std::vector<double>> rows;
  rows.reserve(part.pairs.size());
  for (const Pair& p : part.pairs) {
    std::vector<double> row = freq(part.seqs.enhancers, enh, p.enhancer, "enhancer");
    const std::vector<double>& pr = freq(part.seqs.promoters, prom, p.promoter, "promoter");
    row.insert(row.end(), pr.begin(), pr.end());
    PRISM_CHECK_EQ(row.size(), 2 * d);
    rows.push_back(std::move(row));
  }
  return rows;
}

/// Column means and standard deviations of the training rows.
struct Standardiser {
  std::vector<double> mean, sd;
  explicit Standardiser(const std::vector<std::vector<double>>& rows, size_t cols)
      : mean(cols, 0.0), sd(cols, 0.0) {
    const double n = std::max<double>(1.0, static_cast<double>(rows.size()));
    for (const auto& r : rows)
      for (size_t j = 0; j < cols; ++j) mean[j] += r[j] / n;
    for (const auto& r : rows)
      for (size_t j = 0; j < cols; ++j) sd[j] += (r[j] - mean[j]) * (r[j] - mean[j]) / n;
    for (double& s : sd) s = std::sqrt(s);
  }
  SparseRows Apply(std::vector<std::vector<double>> rows) const {
    for (auto& r : rows)
      for (size_t j = 0; j < r.size(); ++j)
        r[j] = sd[j] > 1e-12 ? (r[j] - mean[j]) / sd[j] : 0.0;
    return DenseRows(rows, static_cast<int>(mean.size()));
  }
};

class FittedKmer : public FittedBaseline {
 public:
  FittedKmer(int k, Standardiser st, LogisticModel model, Json choice)
      : k_(k), st_(std::move(st)), model_(std::move(model)), choice_(std::move(choice)) {}
  std::vector<double> Score(const BaselinePart& part) const override {
    return LogisticProbabilities(model_, st_.Apply(KmerRows(part, k_)));
  }
  Json Describe() const override {
    Json j = choice_;
    j["k"] = k_;
    j["features"] = model_.w.size();
    j["iterations"] = model_.iterations;
    j["converged"] = model_.converged;
    return j;
  }

 private:
  int k_;
  Standardiser st_;
  LogisticModel model_;
  Json choice_;
};

}  // namespace

std::unique_ptr<FittedBaseline> FitKmerLogreg(const BaselineInput& input,
                                              const BaselineOptions& options) {
  if (input.kind != InputKind::kSequence) Fatal("kmer_logreg: needs sequence input");
  const int k = options.kmer_k;
  const size_t cols = 2 * static_cast<size_t>(NumCanonicalKmers(k));
  std::vector<std::vector<double>> train_rows = KmerRows(input.train, k);
  Standardiser st(train_rows, cols);
  const SparseRows x = st.Apply(std::move(train_rows));
  const std::vector<int> y = input.train.Labels();
  LogisticFitOptions fit;
  fit.max_iterations = 500;
  fit.gradient_tolerance = 1e-6;
  if (!input.has_val || options.kmer_l2_grid.empty()) {
    fit.l2 = options.kmer_l2_default;
    LogisticModel m = FitLogistic(x, y, fit);
    Json choice = {{"l2", fit.l2}, {"l2_chosen_by", "default (no validation split)"}};
    return std::make_unique<FittedKmer>(k, std::move(st), std::move(m), std::move(choice));
  }
  // Strongest penalty first, each fit warm-started from the previous one.
  const SparseRows xv = st.Apply(KmerRows(input.val, k));
  const std::vector<int> yv = input.val.Labels();
  LogisticModel best, prev;
  double best_aupr = -1, best_l2 = 0;
  Json tried = Json::array();
  for (double l2 : options.kmer_l2_grid) {
    if (!(l2 > 0)) Fatal("kmer_logreg: every L2 strength must be > 0, got ", l2);
    fit.l2 = l2;
    LogisticModel m = FitLogistic(x, y, fit, prev.w.empty() ? nullptr : &prev);
    const double aupr = metric::AveragePrecision(yv, LogisticScores(m, xv));
    tried.push_back({{"l2", l2}, {"val_aupr", aupr}});
    if (aupr > best_aupr) {
      best_aupr = aupr;
      best_l2 = l2;
      best = m;
    }
    prev = std::move(m);
  }
  Json choice = {{"l2", best_l2}, {"l2_chosen_by", "validation AUPR"}, {"val_aupr", best_aupr},
                 {"l2_tried", tried}};
  return std::make_unique<FittedKmer>(k, std::move(st), std::move(best), std::move(choice));
}

}  // namespace prism::baseline
