#include "cli/run_stages.h"

#include "prism/log.h"

namespace prism::cli {

void RunModelStages(const RunArgs& args, const std::string& data_dir) {
  Log::Info("data ready in " + data_dir + "; audit written to " + args.out + "/audit.json");
}

}  // namespace prism::cli
