// `prism config`: the training configuration's key reference and resolved configurations.
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/error.h"
#include "prism/train.h"

namespace prism::cli {

void RegisterConfig(CLI::App& app) {
  auto* cmd = app.add_subcommand("config", "training configuration: key reference, presets, "
                                           "resolved configurations (docs/train-config.md)");
  cmd->require_subcommand(1);
  auto* ref = cmd->add_subcommand(
      "reference", "print the reference of every key as Markdown (the block in docs/train-config.md)");
  ref->callback([] { std::cout << TrainConfigReference(); });

  auto* presets = cmd->add_subcommand("presets", "list the built-in configurations (configs/*.toml)");
  presets->callback([] {
    for (const auto& name : BuiltinConfigNames()) std::cout << name << "\n";
  });

  struct ShowArgs {
    std::string file, preset;
  };
  auto args = std::make_shared<ShowArgs>();
  auto* show = cmd->add_subcommand(
      "show", "print the resolved configuration (every key, as RUN/config.toml) of a file or preset");
  show->add_option("file", args->file, "a TOML configuration");
  show->add_option("--preset", args->preset, "a built-in configuration (alone), or the base that "
                                             "replaces the file's `preset`");
  show->callback([args] {
    if (args->file.empty() && args->preset.empty())
      throw Error("config show: give a file or --preset NAME");
    const TrainConfig c = args->file.empty() ? BuiltinTrainConfig(args->preset)
                                             : ReadTrainConfig(args->file, args->preset);
    std::cout << c.ToToml();
  });
}

}  // namespace prism::cli
