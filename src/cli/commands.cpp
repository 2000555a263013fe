// The subcommand table (one line per subcommand; the code is in cmd_<name>.cpp).
#include "cli/command.h"

namespace prism::cli {

void RegisterVersion(CLI::App& app);
void RegisterPrepare(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterSimulate(CLI::App& app);
void RegisterAudit(CLI::App& app);
void RegisterRun(CLI::App& app);
void RegisterQc(CLI::App& app);
void RegisterLedger(CLI::App& app);
void RegisterRollback(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterQc(CLI::App& app);
void RegisterLedger(CLI::App& app);
void RegisterRollback(CLI::App& app);
void RegisterReflect(CLI::App& app);
void RegisterReport(CLI::App& app);

const std::vector<CommandEntry>& Commands() {
  static const std::vector<CommandEntry> kCommands = {
      {"version", RegisterVersion},
      {"prepare", RegisterPrepare},
      {"eval", RegisterEval},
      {"simulate", RegisterSimulate},
      {"audit", RegisterAudit},
      {"run", RegisterRun},
      {"qc", RegisterQc},
      {"ledger", RegisterLedger},
      {"rollback", RegisterRollback},
      {"eval", RegisterEval},
      {"qc", RegisterQc},
      {"ledger", RegisterLedger},
      {"rollback", RegisterRollback},
      {"reflect", RegisterReflect},
      {"report", RegisterReport},
  };
  return kCommands;
}

int& ExitCode() {
  static int code = 0;
  return code;
}

}  // namespace prism::cli
