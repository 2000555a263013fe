// prism/covariate_balance.h - training weights that make a nuisance covariate (GC content)
// independent of the label within every cell line.
//
// GC content is the classic confounder of regulatory-sequence data (CpG islands at promoters,
// GC bias of the assays that call the interactions). When positives of the training cell lines
// are GC-richer than their negatives, a sequence model learns "GC-rich = interacting", and that
// rule fails on a cell line where it does not hold. `prism audit` reports GC by label per cell
// line; `train.balance = "gc"` reweights the task loss so that, within each training cell line,
// the weighted label rate is the same in every GC bin:
//
//   w(i) = P_c(y_i) / P_c(y_i | bin_i)      (c = the pair's cell line, bins = GC quantiles in c)
//
// so under the weights the GC bin carries no information about the label inside a cell line,
// while every cell line keeps its own positive rate and total weight. This is the weighting
// counterpart of GC-matched negative sets (as used by gkm-SVM, HOMER's background). Bins without
// one of the classes leave the other class's weight at P_c(y)/1 (or 0: trim_unmatched); weights are clipped to
// [1/max_weight, max_weight] and renormalised to mean 1 per cell line.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace prism {

/// G/C and A/C/G/T counts of a sequence (case-insensitive; other letters are not counted).
struct GcCount {
  long gc = 0, acgt = 0;
};
GcCount CountGc(std::string_view seq);
/// GC fraction of two sequences together (a pair's enhancer and promoter): (gc_a + gc_b) /
/// (acgt_a + acgt_b); NaN when neither has A/C/G/T.
double PairGcFraction(const GcCount& a, const GcCount& b);

/// GC fraction of a sequence over its A/C/G/T bases (CountGc). NaN when it has no A/C/G/T.
double GcFraction(std::string_view seq);

/// Options of BalanceWeights.
struct BalanceOptions {
  int bins = 10;             ///< quantile bins of the covariate per cell line (>= 1)
  double max_weight = 10.0;  ///< clip weights to [1/max_weight, max_weight] (> 1)
  /// Bins that hold one class only are outside the common support: no pair of the other class
  /// has that covariate value, so no weight can balance them. true: their pairs get weight 0
  /// (trimming, as GC-matched negative sets drop what has no match); false: they keep P_c(y).
  /// A cell line whose every bin holds one class keeps the untrimmed weights.
  bool trim_unmatched = false;
};

/// Summary of one cell line's balancing (for the training log).
struct BalanceSummary {
  std::string cell_line;
  size_t n = 0;
  /// Point-biserial correlation of covariate and label before / after weighting.
  double corr_before = 0, corr_after = 0;
  /// Kish effective sample size (sum w)^2 / sum w^2.
  double effective_n = 0;
  /// Pairs given weight 0 by BalanceOptions::trim_unmatched.
  size_t trimmed = 0;
};

/// Weights (mean 1 within every group) for samples with labels 0/1 `label`, group (cell line)
/// `group` and covariate `x` (NaN = unknown: weight 1, not binned). Deterministic; sizes must
/// agree (prism::Error otherwise). `summary`, when given, receives one row per group (sorted).
std::vector<double> BalanceWeights(const std::vector<int>& label,
                                   const std::vector<std::string>& group,
                                   const std::vector<double>& x, const BalanceOptions& opt,
                                   std::vector<BalanceSummary>* summary = nullptr);

/// The propensity score of the label given several covariates, per group: within each group a
/// logistic regression of the label on the standardised covariates (L2 1e-3), as log-odds. It is
/// a balancing score (Rosenbaum & Rubin 1983): pairs with the same score have the same joint
/// covariate distribution in both classes, so BalanceWeights on it balances every covariate at
/// once (e.g. the enhancer's and the promoter's GC counts, where the pair's GC fraction balances only
/// their length-weighted mean). NaN where a covariate is not finite; 0 in a group with one class.
std::vector<double> PropensityScores(const std::vector<int>& label,
                                     const std::vector<std::string>& group,
                                     const std::vector<std::vector<double>>& covariates);

}  // namespace prism
