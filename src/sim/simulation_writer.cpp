// Writing a simulation: the domain-kl layout, oracle.csv and simulation.json.
#include <cstdio>
#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/domain_kl.h"
#include "prism/log.h"
#include "prism/simulate.h"

namespace prism {

void WriteSimulation(const SimulationResult& result, const std::string& out_dir) {
  MakeDirs(out_dir);
  WriteDomainKl(out_dir, result.data);
  if (!result.data.has_val) {
    // A val split left over from an earlier simulation into the same folder would be read as
    // part of this one: remove its three files.
    const std::string val = out_dir + "/val/ALL/";
    for (const char* f : {kPairsFile, kEnhancerSeqFile, kPromoterSeqFile}) {
      std::error_code ec;
      if (std::filesystem::remove(val + f, ec))
        Log::Warning("removed stale " + val + f + " (this simulation has no val split)");
    }
  }
  AtomicFile oracle(out_dir + "/oracle.csv");
  oracle << "split,enhancer,promoter,cell_line,label,p_true,p_env_blind\n";
  char num[64];
  for (const OracleRow& r : result.oracle) {
    std::snprintf(num, sizeof num, ",%d,%.6f,%.6f\n", r.label, r.p_true, r.p_env_blind);
    oracle << r.split << ',' << r.enhancer << ',' << r.promoter << ',' << r.cell_line << num;
  }
  oracle.Commit();
  WriteJsonFile(out_dir + "/simulation.json", result.metadata);
}

SimulationResult Simulate(const SimulationOptions& options, const std::string& out_dir) {
  SimulationResult result = GenerateSimulation(options);
  WriteSimulation(result, out_dir);
  return result;
}

}  // namespace prism
