// prism/pipeline.h - `prism run`: the whole research loop on one dataset, by default the
// embedded `default` simulation: simulate (or given data) -> audit -> train -> predict -> qc ->
// reflect -> report.
#pragma once

#include <cstdint>
#include <ostream>
#include <string>

namespace prism {

/// Options of `prism run`.
struct PipelineOptions {
  std::string out = "runs/default";  ///< folder for data, runs, ledger and report
  std::string data;                  ///< a domain-kl folder instead of the simulation
  std::string sim_preset = "default";
  uint64_t seed = 1;                 ///< simulation and training seed
  std::string config;                ///< training TOML; "" = the built-in one for the preset
  std::string lang = "en";           ///< QC and reflection reports (zh | en)
  int threads = 0;                   ///< 0 = the process's compute threads
  bool force = false;                ///< train even when the memory estimate exceeds the machine's
  bool no_baselines = false;         ///< skip the built-in baselines (docs/baselines.md)
};

/// What a pipeline run produced.
struct PipelineResult {
  std::string data_dir;   ///< the simulated or given data
  std::string run_dir;    ///< OUT/runs/<config name>-NNN (a new one each time)
  std::string report;     ///< the HTML report (absolute path)
  bool qc_pass = false;
};

/// Runs every stage, announcing each on the log ("== name") and writing the audit, the result
/// table, the QC verdict, the reflection summary and the report path to `out`. The run folder is
/// OUT/runs/<config name>-NNN, the ledger OUT/runs/prism-ledger.db.
PipelineResult RunPipeline(const PipelineOptions& options, std::ostream& out);

}  // namespace prism
