// Reading a simulation back: the split summaries of simulation.json, and the Bayes reference
// (AUPR of p_true per split) that the trainer records in run.json for the inspector.
#include <cmath>
#include <filesystem>

#include "prism/error.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"

namespace prism {

Json ReadSimulationSplits(const std::string& simulation_json, const Json& run_data,
                          std::string* mismatch) {
  if (mismatch) mismatch->clear();
  const Json meta = ReadJsonFile(simulation_json);
  if (!meta.is_object() || !meta.contains("format") || meta["format"] != "prism-simulation/1" ||
      !meta.contains("splits") || !meta["splits"].is_object())
    return nullptr;
  const Json& splits = meta["splits"];
  for (const char* name : {"train", "test"})
    if (!splits.contains(name) || !splits[name].is_object())
      throw InputError(simulation_json, 1, 0, "expected splits.train and splits.test");
  // The same data? The pair count of every split the run recorded must match.
  for (const char* name : {"train", "val", "test"}) {
    const double run_n = ReadPath(run_data, {(std::string(name) + "_pairs").c_str()});
    const double sim_n = splits.contains(name) ? ReadPath(splits[name], {"pairs"}) : NAN;
    if (run_n > 0 && std::isfinite(sim_n) && run_n != sim_n) {
      if (mismatch)
        *mismatch = simulation_json + " (describes other data: " + name + " pairs " +
                    std::to_string(static_cast<long>(sim_n)) + ", the run's " +
                    std::to_string(static_cast<long>(run_n)) + ")";
      return nullptr;
    }
  }
  return splits;
}

Json SimulationBayesRecord(const std::string& data_path, const Json& run_data) {
  const std::string sim = data_path + "/simulation.json";
  std::error_code ec;
  if (!std::filesystem::is_regular_file(sim, ec)) return nullptr;
  const Json splits = ReadSimulationSplits(sim, run_data, nullptr);
  if (splits.is_null()) return nullptr;
  Json rec = {{"source", sim}};
  for (const char* name : {"train", "val", "test"}) {
    const double a = splits.contains(name) ? ReadPath(splits[name], {"aupr_true"}) : NAN;
    rec[name] = std::isfinite(a) ? Json(a) : Json(nullptr);
  }
  return rec;
}

}  // namespace prism
