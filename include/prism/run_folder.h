// prism/run_folder.h - reading and writing the run folder (see docs/run-folder.md).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "prism/metric.h"
#include "prism/run_records.h"

namespace prism {

/// A number as written in run files: finite numbers as JSON numbers, NaN/Inf as "nan"/"inf"/"-inf".
Json JsonNumber(double v);
/// Reads a number written by JsonNumber (or null / missing -> `fallback`).
double ReadNumber(const Json& j, double fallback = NAN);
/// j[a][b]... as a number; `fallback` when any key is missing or null.
double ReadPath(const Json& j, std::initializer_list<const char*> keys, double fallback = NAN);

/// Parses a JSON file; InputError naming the file (and line for syntax errors) on failure.
Json ReadJsonFile(const std::string& path);
/// Writes pretty JSON atomically.
void WriteJsonFile(const std::string& path, const Json& j);
/// Parses a JSONL file: one object per non-blank line; errors name file and line. `lines`
/// (optional) receives the 1-based line number of each object.
std::vector<Json> ReadJsonLines(const std::string& path, std::vector<long>* lines = nullptr);

/// The contents of a run folder that the inspector, reflection, report and ledger read.
/// run.json and train_log.jsonl are read into typed records (prism/run_records.h) when loaded;
/// the raw JSON stays available for checks over every value (the inspector's nan_inf rule).
struct RunFolder {
  std::string dir;
  Json run;                  ///< run.json, or an empty object when absent
  std::vector<Json> epochs;  ///< train_log.jsonl, in order; empty when absent
  RunRecord record;          ///< run.json, typed (defaults when absent)
  std::vector<EpochRecord> log;  ///< train_log.jsonl, typed; log[i] is epochs[i]
  /// baselines.json (the built-in baselines fitted on the run's splits); empty when absent
  /// (trained with --no-baselines, or an older run).
  std::optional<BaselinesRecord> baselines;
  bool has_run_json = false;
  bool has_log = false;

  /// Loads DIR; throws InputError when DIR is not a directory or a present file is malformed.
  static RunFolder Load(const std::string& dir);
  /// DIR/rel.
  std::string Path(const std::string& rel) const;
  bool Exists(const std::string& rel) const;
  /// config.components.<name> == true.
  bool ComponentConfigured(const std::string& name) const;
  /// config.train.sampler, or "" when not recorded.
  std::string ConfiguredSampler() const;
  /// The decision-threshold policy `prism predict` uses for this run's `checkpoint`: the
  /// validation threshold run.json records for it (checkpoints.<which>.val_threshold), else
  /// config.train.threshold_rule on a split's own labels ("f1" when not recorded: older runs).
  /// For readers that recompute a table from predictions (reflect, report). With
  /// model.ensemble the rule on the split's own labels (the checkpoint's threshold is the
  /// network's alone; predict records the ensemble's in metrics/<split>.json).
  metric::ThresholdPolicy PredictThresholdPolicy(const std::string& checkpoint = "best") const;
};

}  // namespace prism
