// prism run: the whole research loop on one dataset, by default the embedded `default`
// simulation: simulate (or given data) -> audit -> train -> predict -> qc -> reflect -> report.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "cli/run_stages.h"
#include "prism/atomic_file.h"
#include "prism/audit.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"

namespace prism::cli {
void RegisterRun(CLI::App& app) {
  auto a = std::make_shared<RunArgs>();
  auto* cmd = app.add_subcommand(
      "run", "the whole loop: simulate (or --data) -> audit -> train -> predict -> qc -> reflect -> report");
  cmd->add_option("-o,--out", a->out, "folder for data, run, ledger and report")->capture_default_str();
  cmd->add_option("--data", a->data, "a domain-kl folder to use instead of the embedded simulation");
  cmd->add_option("--sim-preset", a->sim_preset, "simulation preset when no --data (tiny | default)")
      ->capture_default_str();
  cmd->add_option("--seed", a->seed, "seed for simulation and training")->capture_default_str();
  cmd->add_option("--config", a->config, "training configuration (TOML); default: the built-in one for the preset");
  cmd->add_option("--lang", a->lang, "language of the QC and reflection reports (zh | en)")
      ->capture_default_str();
  cmd->add_option("--threads", a->threads, "intra-op threads (0 = the global --threads, default all cores)")->capture_default_str();
  cmd->add_flag("--force", a->force, "train even when the estimated memory of the model and one "
                                     "batch exceeds the machine's");
  cmd->callback([a] {
    MakeDirs(a->out);
    std::string data_dir = a->data;
    if (data_dir.empty()) {
      data_dir = a->out + "/data";
      Stage("simulate (" + a->sim_preset + ", seed " + std::to_string(a->seed) + ") -> " + data_dir);
      SimulationOptions o = SimulationPreset(a->sim_preset);
      o.seed = a->seed;
      Simulate(o, data_dir);
    }
    Stage("audit " + data_dir);
    AuditReport audit = AuditDomainKl(ReadDomainKl(data_dir));
    WriteJsonFile(a->out + "/audit.json", AuditReportToJson(audit));
    std::cout << FormatAuditReport(audit) << std::endl;
    if (audit.leakage_found) Log::Warning("the split leaks elements between train and test (see audit.json)");
    RunModelStages(*a, data_dir);  // prints the result table, verdicts and the report path
  });
}

}  // namespace prism::cli
