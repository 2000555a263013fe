// `prism reflect RUN_DIR`: the reflection on a finished run (reflect/reflect.{md,zh.md,en.md,json}).
#include <iostream>

#include "cli/command.h"
#include "prism/log.h"
#include "prism/reflect.h"
#include "prism/run_folder.h"

namespace prism::cli {

void RegisterReflect(CLI::App& app) {
  struct Opts {
    std::string run_dir, lang = "zh";
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
  cmd->callback([opts] {
    Lang lang = ParseLang(opts->lang);
    RunFolder run = RunFolder::Load(opts->run_dir);
    Reflection r = Reflect(run);
    WriteReflection(r, opts->run_dir, lang);
    Log::Info("reflection written to " + opts->run_dir + "/reflect/reflect.md (" +
              std::to_string(r.hypotheses.size()) + " hypotheses)");
    std::cout << ReflectionSummary(r, lang) << "\n"
              << opts->run_dir << "/reflect/reflect.md" << std::endl;
  });
}

}  // namespace prism::cli
