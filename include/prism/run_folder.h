// prism/run_folder.h - reading and writing the run folder (see docs/run-folder.md).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

namespace prism {

using Json = nlohmann::json;

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
/// Parses a JSONL file: one object per non-blank line; errors name file and line.
std::vector<Json> ReadJsonLines(const std::string& path);

/// The contents of a run folder that the inspector, reflection, report and ledger read.
struct RunFolder {
  std::string dir;
  Json run;                  ///< run.json, or an empty object when absent
  std::vector<Json> epochs;  ///< train_log.jsonl, in order; empty when absent
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
};

}  // namespace prism
