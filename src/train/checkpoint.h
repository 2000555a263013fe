// train/checkpoint.h - the one owner of the checkpoint format: save, load, meta data, resume.
// Internal (includes LibTorch).
//
// A checkpoint (LibTorch archive, a ZIP file) holds "model", "optimizer", "meta" (JSON: the
// training cell order, the number of features, the epoch, the validation threshold), "trainer"
// (JSON: TrainerState) and "rng" (the CPU generator's state). Every file is written atomically
// (temp + rename) and described in run.json's `checkpoints` (size, content hash, epoch, validation
// threshold; docs/run-folder.md). Reading a truncated, empty or foreign file is an InputError
// naming the file, never a LibTorch trace.
#pragma once

#include <cmath>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "model/model.h"
#include "prism/run_records.h"

namespace prism::train {

/// What a checkpoint says about the model it holds.
struct CheckpointMeta {
  std::vector<std::string> train_cells;
  int64_t num_features = 0;
  int64_t epoch = 0;
  /// The decision threshold chosen on the validation split at this epoch (train.threshold_rule);
  /// NaN without a val split and in checkpoints written before it was kept.
  double threshold = NAN;
};

/// The trainer's state after an epoch: what resume continues from.
struct TrainerState {
  int64_t epoch = 0, best_epoch = 0, bad_epochs = 0, step = 0;
  double best_aupr = -1;
  std::optional<std::pair<double, double>> immax;  ///< adaptive_immax difficulty
};

/// Writes RUN_DIR/FILE ("checkpoints/last.pt") atomically and returns its record for run.json.
CheckpointRecord SaveCheckpoint(const std::string& run_dir, const std::string& file,
                                model::PrismNet& net, torch::optim::Optimizer& optimizer,
                                const CheckpointMeta& meta, const TrainerState& state);

/// Reads only the meta data. `expected` (run.json's record, optional): the file must match it
/// (CheckpointProblem). InputError naming the file when it is missing, truncated or foreign.
CheckpointMeta ReadCheckpointMeta(const std::string& path,
                                  const CheckpointRecord* expected = nullptr);
/// Loads the model weights (and returns the meta data); verified like ReadCheckpointMeta.
CheckpointMeta LoadModelCheckpoint(const std::string& path, model::PrismNet& net,
                                   const CheckpointRecord* expected = nullptr);

/// RUN/checkpoints/WHICH.pt ("best", "last") checked against run.json's `checkpoints` record:
/// an InputError naming the file when it is missing, empty, truncated, foreign, or not the file
/// run.json describes (size and hash; for a run still "running" only when the record is of the
/// file's epoch). Returns its meta data.
CheckpointMeta VerifyRunCheckpoint(const std::string& run_dir, const std::string& which);

/// What `--resume` needs to know about the run it continues.
struct ResumeRequest {
  std::string run_dir;
  std::string config_hash, data_hash;  ///< of the configuration and data given now
  bool force = false;                  ///< go ahead although they changed (recorded)
};

/// `--resume`: continues RUN/checkpoints/last.pt. Refuses (InputError naming run.json) when the
/// configuration or the data differ from the interrupted run's unless `force`, which appends the
/// change to run->resumed_with_changes. Verifies last.pt against run.json's record (when that
/// record is of the same epoch; a crash between the checkpoint's rename and run.json's rewrite
/// leaves a newer, complete file), loads model, optimiser, RNG and trainer state, keeps
/// `created` and the checkpoint records, and cuts train_log.jsonl back to the checkpoint's
/// epoch (a partial last line left by a crash is dropped, with a warning).
TrainerState ResumeTraining(const ResumeRequest& request, model::PrismNet& net,
                            torch::optim::Optimizer& optimizer, RunRecord* run);

}  // namespace prism::train
