// `prism reflect RUN_DIR`: the reflection on a finished run (reflect/reflect.{md,zh.md,en.md,json}),
// stored in the ledger as the run's reflection summary.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "prism/ledger.h"
#include "prism/log.h"
#include "prism/reflect.h"
#include "prism/run_folder.h"
#include "prism/run_lock.h"

namespace prism::cli {

void RegisterReflect(CLI::App& app) {
  struct Opts {
    std::string run_dir, lang = "zh", ledger;
    bool no_ledger = false;
  };
  auto opts = std::make_shared<Opts>();
  auto* cmd = app.add_subcommand(
      "reflect", "diagnose the generalization gap, calibration and component health of a run");
  cmd->add_option("RUN_DIR", opts->run_dir, "run folder (with metrics/ or predictions/)")
      ->required();
  cmd->add_option("--lang", opts->lang, "language of reflect/reflect.md (zh or en; both "
                                        "reflect.zh.md and reflect.en.md are always written)")
      ->check(CLI::IsMember({"zh", "en"}))
      ->capture_default_str();
  cmd->add_option("--ledger", opts->ledger,
                  "store the summary in this ledger (default: prism-ledger.db beside the run "
                  "folder, when it exists)");
  cmd->add_flag("--no-ledger", opts->no_ledger, "do not store the summary in a ledger");
  cmd->callback([opts] {
    Lang lang = ParseLang(opts->lang);
    RunLock lock = RunLock::AcquireExisting(opts->run_dir, "prism reflect");
    RunFolder run = RunFolder::Load(opts->run_dir);
    Reflection r = Reflect(run);
    WriteReflection(r, opts->run_dir, lang);
    std::string ledger = opts->ledger;
    if (ledger.empty() && !opts->no_ledger) {
      std::string def = Ledger::DefaultPath(opts->run_dir);
      if (std::filesystem::exists(def)) ledger = def;
    }
    if (!ledger.empty() && !opts->no_ledger) {
      long id = StoreReflectionInLedger(ledger, run, r);
      Log::Info("reflection stored in " + ledger + " (record point " + std::to_string(id) + ")");
    }
    Log::Info("reflection written to " + opts->run_dir + "/reflect/reflect.md (" +
              std::to_string(r.hypotheses.size()) + " hypotheses)");
    std::cout << ReflectionSummary(r, lang) << "\n"
              << opts->run_dir << "/reflect/reflect.md" << std::endl;
  });
}

}  // namespace prism::cli
