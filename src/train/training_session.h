// train/training_session.h - what one training run holds while TrainRun's steps run
// (trainer.cpp), and the epoch's step loop and record (epoch.cpp). Internal (LibTorch).
#pragma once

#include "prism/motif_pwm.h"

#include <fstream>
#include <memory>
#include <string>
#include <vector>

#include "dist/data_parallel.h"
#include "model/losses.h"
#include "model/model.h"
#include "prism/run_records.h"
#include "prism/sampler.h"
#include "train/model_recipe.h"
#include "prism/train.h"
#include "train/checkpoint.h"
#include "train/dataset.h"

namespace prism::train {

/// The state of one training run.
struct Session {
  Session(const TrainConfig& c, const TrainRunOptions& o) : resolved(c), config(resolved), options(o) {}
  /// The configuration with what depends on the data filled in (model.channels / model.kernel
  /// = 0: derived from the training data by BuildModel; run.json `derived`).
  TrainConfig resolved;
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

/// PWM seeding: flank columns with at least this many bits are part of the motif.
inline constexpr double kPwmMinIc = 0.4;

/// The motifs model.motif_seed starts the first convolutions from.
struct MotifSeeds {
  std::vector<std::string> enhancer, promoter;  ///< one consensus per filter
  /// model.motif_seed_pwm: the PWM of each motif (same order), else empty.
  std::vector<MotifPwm> enhancer_pwm, promoter_pwm;
  /// run.json's `motif_seed` record: {"k", "max", "min_z", "both_strands", "enhancer": [{kmer,
  /// observed, expected, z, ...}], "promoter": [...]} (null when off).
  Json record;
};

/// The first pair of each (element, training cell line) of `train` - motif counting's unit when
/// it groups by cell line: one sequence per element per training cell line it is paired in.
/// `element_of_pair`: train.e_idx or train.p_idx. Pairs without a training cell are skipped.
std::vector<size_t> FirstPairPerElementAndCell(const Dataset& train,
                                               const std::vector<int32_t>& element_of_pair);
/// model.motif_seed: the over-represented k-mers of the training enhancers / promoters, grown
/// into motifs of at most `max_length` bp (prism/kmer_enrichment.h, prism/motif_extension.h);
/// with model.both_strands a motif's reverse complement is the same motif. `train_cells` names
/// the cell indices of `train.cell` (Data::train_cells), for model.motif_seed_min_cell_z.
MotifSeeds DiscoverMotifSeeds(const TrainConfig& config, const Dataset& train,
                              const std::vector<std::string>& train_cells, int64_t max_length);
/// Seeds the first convolution of each stream with the motifs (SequenceEncoder::SeedFilters).
void ApplyMotifSeeds(const MotifSeeds& seeds, model::PrismNet& net);
/// model.channels / model.kernel = 0: sets them in `config` from the motifs found; returns
/// run.json's `derived` record (one entry per derived value with the rule; {} when none).
Json ResolveDerivedSizes(const MotifSeeds& seeds, TrainConfig* config);

}  // namespace prism::train
