// Writing a simulation: the domain-kl layout, oracle.csv and simulation.json.
#include <cstdio>

#include "prism/atomic_file.h"
#include "prism/domain_kl.h"
#include "prism/simulate.h"

namespace prism {

void WriteSimulation(const SimulationResult& result, const std::string& out_dir) {
  MakeDirs(out_dir);
  WriteDomainKl(out_dir, result.data);
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
