// train/xgboost_model.h - model.kind = "xgboost": gradient-boosted trees (XGBoost's C API,
// baseline/baseline_internal.h's XgbModel) trained and scored inside prism's run folder, so the
// inspector, reflect, report and ledger read them like a network run (docs/train-config.md,
// "model.kind"). Torch-free.
#pragma once

#include <string>

#include "baseline/baseline_internal.h"
#include "prism/train.h"
#include "train/dataset.h"

namespace prism::train {

/// The checkpoint files of an xgboost run (XGBoost's JSON model format): the trees up to the
/// best round, and every tree trained.
std::string XgbCheckpointFile(const std::string& which);  ///< "checkpoints/best.xgb.json"

/// The learner's input of a split: the columns the network's encoder sees (log1p signals after
/// data.normalize, plus log10(1+|distance|) with data.distance_feature), and log10(1+|distance|)
/// as one more column when data.use_distance is on without data.distance_feature.
baseline::XgbMatrix XgbInput(const TrainConfig& config, const Dataset& d);

/// `prism train` for model.kind = "xgboost": one boosting round per train_log.jsonl line (train
/// log-loss as the task loss, train and validation AUPR/AUC, the validation threshold and
/// per-cell scores), early stopping on the validation cell lines' AUPR, checkpoints/best.xgb.json
/// and last.xgb.json recorded in run.json with size and hash.
TrainSummary TrainXgboostRun(const TrainConfig& config, const TrainRunOptions& options);

/// `prism predict` for an xgboost run: the checkpoint verified against run.json and loaded, the
/// split scored; writes what PredictRun writes.
PredictSummary PredictXgboostRun(const PredictOptions& options, const TrainConfig& config);

}  // namespace prism::train
