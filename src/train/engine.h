// train/engine.h - what training and prediction share: data in model form, batch collation,
// context-aware scoring, checkpoints. Internal (includes LibTorch).
#pragma once

#include <string>
#include <vector>

#include "model/model.h"
#include "prism/pairs.h"
#include "prism/train.h"
#include "train/model_recipe.h"

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
  std::vector<float> weight;        ///< task-loss weight per pair (train.balance); empty = 1
  size_t size() const { return pairs.size(); }
  std::vector<std::string> CellLines() const;  ///< the cell line of every pair
};

/// Train/val/test in model form plus what run.json records.
struct Data {
  Dataset train, val, test;
  bool has_val = false;
  std::vector<std::string> train_cells;  ///< sorted; prototype / discriminator order
  std::string path, hash;                ///< source and content hash (16 hex)
  std::vector<std::string> CellsOf(const Dataset& d) const;
};

/// Reads the data a config names (`data_dir` overrides a sequence config's data.dir).
/// For predict, `train_cells` fixes the training-cell order of the checkpoint.
Data LoadData(const TrainConfig& config, const std::string& data_dir = "",
              const std::vector<std::string>& train_cells = {});

/// train.balance: sets `train->weight` (prism/covariate_balance.h) so that the covariate is
/// independent of the label within each training cell line; "none" leaves it empty. Returns
/// run.json's `balance` record: {"covariate", "bins", "max_weight", "per_cell": [{cell_line, n,
/// corr_before, corr_after, effective_n}]} (null for "none").
Json BalanceTrainingSet(const TrainConfig& config, Dataset* train);

/// model.motif_seed: seeds the first convolution of the enhancer and the promoter stream with
/// the over-represented k-mers of the training enhancers / promoters (SequenceEncoder::
/// SeedFilters). Returns run.json's `motif_seed` record: {"k", "max", "min_z", "enhancer": [{kmer,
/// observed, expected, z}], "promoter": [...]} (null when off). `train_cells` names the cell
/// indices of `train.cell` (Data::train_cells), for model.motif_seed_min_cell_z.
Json SeedMotifFilters(const TrainConfig& config, const Dataset& train,
                      const std::vector<std::string>& train_cells, model::PrismNet& net);

/// Tensors of the samples `idx`. Groups = distinct cell lines in the batch (first-seen order);
/// group_cell = their training-cell index.
model::Batch Collate(const Dataset& d, const std::vector<size_t>& idx);

/// Scores of one dataset.
struct Scores {
  std::vector<double> prob, u_i, r_e;  ///< r_e: the R_E head (>= 0), without the offset below
  /// Per cell line: averaged prototype assignment (empty when prototypes are off).
  std::vector<std::pair<std::string, std::vector<double>>> assignment;
  torch::Tensor z_i, z_e;  ///< [N, d] in dataset order (when keep_z)
  torch::Tensor disc_logits;  ///< [N, K] (when keep_z)
  /// Per cell line: the resistance offset b of the context calibration, prob =
  /// sigmoid((u_i - r_e - b) / T) (empty when it is off).
  std::vector<std::pair<std::string, double>> resistance_offset;
};

/// Scores `d` in eval mode. Pairs are grouped by cell line and cut into homogeneous batches of
/// `batch_size`. With prototypes on and !context_free, every cell line's environment is
/// estimated from its own batches: the prototype assignment of each batch mean of z_E,
/// averaged over the cell's batches (weighted by batch size), mixed into e_c; context_free uses
/// the uniform mix. Prototypes off: e_c = 0.
/// Context calibration (`prior` in (0, 1), !context_free): every cell line's resistance gets
/// one offset b, R_E + b (prob only; r_e stays the head's output), chosen so that the mean predicted probability over the cell line's
/// own (unlabeled) pairs equals `prior`, the training positive rate. Within a cell line the
/// ranking is unchanged; across cell lines it removes the shift of the cell's baseline
/// resistance that the unlabeled context reveals (docs/train-config.md).
Scores Score(model::PrismNet& net, const Dataset& d, int64_t batch_size, bool prototype,
             bool context_free, bool keep_z = false, double prior = NAN);

/// The offset b with mean_i sigmoid(logit_i - b) = prior (bisection; prior in (0, 1)).
double CalibrationOffset(const std::vector<double>& logit, double prior);
/// Positive rate of a dataset's labels (NaN when empty).
double PositiveRate(const Dataset& d);

/// Indices of at most `max_n` pairs spread evenly over `d` (every k-th), for diagnostics.
std::vector<size_t> EvenSubset(size_t n, size_t max_n);
/// A dataset of the rows `idx` of `d`.
Dataset Subset(const Dataset& d, const std::vector<size_t>& idx);

/// Checkpoint meta data (JSON string inside the .pt file).
struct CheckpointMeta {
  std::vector<std::string> train_cells;
  int64_t num_features = 0;
  int64_t epoch = 0;
};
/// Loads model weights (+ meta) from a checkpoint file.
CheckpointMeta LoadModelCheckpoint(const std::string& path, model::PrismNet& net);
/// Reads only the meta data of a checkpoint.
CheckpointMeta ReadCheckpointMeta(const std::string& path);

}  // namespace prism::train
