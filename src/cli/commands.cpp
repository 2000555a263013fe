// The subcommand table (one line per subcommand; the code is in cmd_<name>.cpp).
#include "cli/command.h"

namespace prism::cli {

void RegisterRun(CLI::App& app);
void RegisterPrepare(CLI::App& app);
void RegisterSimulate(CLI::App& app);
void RegisterAudit(CLI::App& app);
void RegisterTrain(CLI::App& app);
void RegisterConfig(CLI::App& app);
void RegisterPredict(CLI::App& app);
void RegisterScore(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterQc(CLI::App& app);
void RegisterRollback(CLI::App& app);
void RegisterLedger(CLI::App& app);
void RegisterReflect(CLI::App& app);
void RegisterReport(CLI::App& app);
void RegisterBaseline(CLI::App& app);
void RegisterVersion(CLI::App& app);

const std::vector<CommandEntry>& Commands() {
  static const std::vector<CommandEntry> kCommands = {
      {"run", RegisterRun},
      {"prepare", RegisterPrepare},
      {"simulate", RegisterSimulate},
      {"audit", RegisterAudit},
      {"train", RegisterTrain},
      {"config", RegisterConfig},
      {"predict", RegisterPredict},
      {"score", RegisterScore},
      {"eval", RegisterEval},
      {"qc", RegisterQc},
      {"rollback", RegisterRollback},
      {"ledger", RegisterLedger},
      {"reflect", RegisterReflect},
      {"report", RegisterReport},
      {"baseline", RegisterBaseline},
      {"version", RegisterVersion},
  };
  return kCommands;
}

int& ExitCode() {
  static int code = 0;
  return code;
}

}  // namespace prism::cli
