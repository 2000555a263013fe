// The subcommand table (one line per subcommand; the code is in cmd_<name>.cpp).
#include "cli/command.h"

namespace prism::cli {

void RegisterVersion(CLI::App& app);
void RegisterEval(CLI::App& app);
void RegisterSimulate(CLI::App& app);
void RegisterAudit(CLI::App& app);
void RegisterTrain(CLI::App& app);
void RegisterPredict(CLI::App& app);

const std::vector<CommandEntry>& Commands() {
  static const std::vector<CommandEntry> kCommands = {
      {"version", RegisterVersion},
      {"eval", RegisterEval},
      {"simulate", RegisterSimulate},
      {"audit", RegisterAudit},
      {"train", RegisterTrain},
      {"predict", RegisterPredict},
  };
  return kCommands;
}

int& ExitCode() {
  static int code = 0;
  return code;
}

}  // namespace prism::cli
