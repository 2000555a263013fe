// cli/run_stages.h - the stages of `prism run` after the data is ready.
#pragma once

#include <cstdint>
#include <string>

namespace prism::cli {

/// Options of `prism run`.
struct RunArgs {
  std::string out = "runs/default";
  std::string data;
  std::string sim_preset = "default";
  uint64_t seed = 1;
  std::string config;
  std::string lang = "en";
  int threads = 0;
  bool force = false;  ///< train even when the memory estimate exceeds the machine's
};

/// Announces a stage of `prism run` ("== name") on the log.
void Stage(const std::string& name);

/// train -> predict -> qc -> reflect -> report on `data_dir` (a domain-kl folder); returns the
/// path of the HTML report. The run folder is OUT/runs/<config name>-NNN (a new one each time),
/// the ledger OUT/runs/prism-ledger.db.
std::string RunModelStages(const RunArgs& args, const std::string& data_dir);

}  // namespace prism::cli
