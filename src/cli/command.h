// cli/command.h - the table of `prism` subcommands. Each subcommand lives in its own
// cmd_<name>.cpp and exposes one Register function that adds itself to the CLI11 app; its
// callback throws prism::Error on failure and sets the exit code through ExitCode().
#pragma once

#include <CLI/CLI.hpp>

namespace prism::cli {

using RegisterFn = void (*)(CLI::App& app);

struct CommandEntry {
  const char* name;
  RegisterFn reg;
};

/// Every subcommand, in the order `prism --help` lists them.
const std::vector<CommandEntry>& Commands();

/// Exit status a command asks for (e.g. qc: 1 on FAIL); 0 unless set.
int& ExitCode();

}  // namespace prism::cli
