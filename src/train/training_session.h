// train/training_session.h - what one training run holds while TrainRun's steps run
// (trainer.cpp), and the epoch's step loop and record (epoch.cpp). Internal (LibTorch).
#pragma once

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "dist/data_parallel.h"
#include "model/losses.h"
#include "model/model.h"
#include "prism/run_records.h"
#include "prism/sampler.h"
#include "prism/train.h"
#include "train/checkpoint.h"
#include "train/dataset.h"

namespace prism::train {

/// The state of one training run.
struct Session {
  Session(const TrainConfig& c, const TrainRunOptions& o) : config(c), options(o) {}
  const TrainConfig& config;
  const TrainRunOptions& options;
  std::unique_ptr<DistributedContext> ctx;  ///< nullptr: one process
  bool main_rank = true;                    ///< rank 0 writes the run folder
  int rank = 0, world = 1, threads = 1;
  double gemm_peak = 0;                     ///< FLOP/s, the denominator of MFU
  std::string dir, log_path;
  Data data;
  model::PrismNet net{nullptr};
  model::ModelOptions model_opts;
  int64_t params = 0;
  std::unique_ptr<torch::optim::AdamW> optimizer;
  std::vector<std::unique_ptr<model::Loss>> losses;  ///< main loss first
  std::vector<std::string> components;
  model::AdaptiveImmaxLoss* immax = nullptr;         ///< the main loss when adaptive_immax
  std::unique_ptr<BatchSampler> sampler;
  double total_steps = 1;  ///< steps of the whole run (the adversarial schedule's denominator)
  TrainerState state;  ///< state.epoch: the last finished epoch
  std::ofstream log_out;
};

/// One epoch (1-based): the step loop over the sampler's batches (collated on a loader thread),
/// the sums over ranks, validation (rank 0) and the epoch's record for train_log.jsonl.
EpochRecord RunEpoch(Session& s, int64_t epoch);
/// Appends one line to train_log.jsonl (flushed).
void AppendLog(Session& s, const EpochRecord& rec);
/// True on every rank when any rank says true (one small all-reduce).
bool AnyRank(DistributedContext* ctx, bool value);

/// model.motif_seed: seeds the first convolution of the enhancer and the promoter stream with
/// the over-represented k-mers of the training enhancers / promoters (SequenceEncoder::
/// SeedFilters). Returns run.json's `motif_seed` record: {"k", "max", "min_z", "enhancer": [{kmer,
/// observed, expected, z}], "promoter": [...]} (null when off). `train_cells` names the cell
/// indices of `train.cell` (Data::train_cells), for model.motif_seed_min_cell_z.
Json SeedMotifFilters(const TrainConfig& config, const Dataset& train,
                      const std::vector<std::string>& train_cells, model::PrismNet& net);

}  // namespace prism::train
