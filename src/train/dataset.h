// train/dataset.h - the data in model form: the splits of a sequence layout or feature tables
// (with the feature standardisation), the training weights of train.balance, and subsets.
// Internal (includes LibTorch through the model headers).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "prism/covariate_balance.h"
#include "prism/pairs.h"
#include "prism/run_records.h"
#include "prism/train.h"

namespace prism::train {

/// One split in model form.
struct Dataset {
  std::string kind;                 ///< "sequence" | "features"
  std::vector<Pair> pairs;
  std::vector<int64_t> cell;        ///< training-cell index of each pair, -1 for other cells
  // sequence input: tokens per distinct element, and each pair's element indices
  std::vector<std::vector<int32_t>> e_tokens, p_tokens;
  std::vector<int32_t> e_idx, p_idx;
  // feature input: row-major size() x num_features (log1p, standardised per cell line)
  int64_t num_features = 0;
  std::vector<float> features;
  std::vector<float> distance;      ///< log10(1 + |bp|) (0 when unknown)
  /// sequence input: GC fraction of each pair's enhancer and promoter together (after
  /// cropping; NaN without A/C/G/T) - the covariate of train.balance = "gc"
  std::vector<double> gc;
  /// sequence input: G/C and A/C/G/T counts of each pair's enhancer / promoter alone (after
  /// cropping) - the covariates of train.balance = "gc_elements"
  std::vector<GcCount> gc_enhancer, gc_promoter;
  std::vector<float> weight;        ///< task-loss weight per pair (train.balance); empty = 1
  size_t size() const { return pairs.size(); }
  std::vector<std::string> CellLines() const;  ///< the cell line of every pair
  std::vector<int> Labels() const;             ///< the label of every pair
};

/// Train/val/test in model form plus what run.json records.
struct Data {
  Dataset train, val, test;
  bool has_val = false;
  std::vector<std::string> train_cells;  ///< sorted; prototype / discriminator order
  std::string path, hash;                ///< source and content hash (16 hex)
  /// run.json `shortcut_mask`: what the training split's shortcut mask did (null when off or
  /// not applied, e.g. for predict).
  Json shortcut_mask;
  std::vector<std::string> CellsOf(const Dataset& d) const;
  /// run.json `data` (without bayes_aupr).
  DataRecord Record() const;
};

/// Reads the data a config names (`data_dir` overrides a sequence config's data.dir).
/// For predict, `train_cells` fixes the training-cell order of the checkpoint. With `training`,
/// sequence data get data.shortcut_mask_* applied to the training split (prism/shortcut_mask.h);
/// predict reads the data as they are.
Data LoadData(const TrainConfig& config, const std::string& data_dir = "",
              const std::vector<std::string>& train_cells = {}, bool training = false);

/// train.balance: sets `train->weight` (prism/covariate_balance.h) so that the covariate is
/// independent of the label within each training cell line; "none" leaves it empty and returns
/// nothing. Else returns run.json's `balance` record (per training cell line the covariate-label
/// correlation before and after and the effective sample size).
std::optional<BalanceRecord> BalanceTrainingSet(const TrainConfig& config, Dataset* train);
/// data.shortcut_mask_* on the raw splits (train/data_shortcut_mask.cpp): the validation split
/// (data.shortcut_mask_val; for training and predict alike, against the unmasked training split)
/// and, when `training`, the training split; returns run.json's `shortcut_mask` (null when off).
Json ApplyShortcutMasks(const TrainConfig& config, DomainKlData* raw, bool training);
/// train.select_balanced: the validation split gets the same covariate-balance weights (its own
/// cell lines, its own propensities), so that model selection (early stopping, the ensemble's
/// gate) scores a model by what it ranks beyond GC. Null when off, without val or balance.
std::optional<BalanceRecord> BalanceValidationSet(const TrainConfig& config, Data* data);
/// The validation AUPR model selection compares: weighted by the split's balance weights where
/// it has them (BalanceValidationSet), else plain.
double SelectionAupr(const Dataset& val, const std::vector<double>& score);

/// Positive rate of a dataset's labels (NaN when empty).
double PositiveRate(const Dataset& d);
/// Indices of at most `max_n` pairs spread evenly over `d` (every k-th), for diagnostics.
std::vector<size_t> EvenSubset(size_t n, size_t max_n);
/// A dataset of the rows `idx` of `d`.
Dataset Subset(const Dataset& d, const std::vector<size_t>& idx);

/// Threads for torch: n > 0, else all cores.

}  // namespace prism::train
