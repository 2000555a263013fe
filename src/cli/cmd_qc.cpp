// `prism qc RUN_DIR`: the training inspector. Exit 0 PASS, 1 FAIL, 2 unusable input.
#include <iostream>

#include "cli/command.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/qc_run.h"
#include "prism/run_lock.h"

namespace prism::cli {

void RegisterQc(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "qc", "inspect a run's training log: rules -> PASS/FAIL, report in RUN/qc/, rollback on FAIL "
            "(exit 0 PASS, 1 FAIL, 2 unusable input)");
  struct Args {
    std::string run_dir, lang = "zh", ledger, rules;
    bool no_rollback = false, no_ledger = false, quiet_report = false;
  };
  auto args = std::make_shared<Args>();
  cmd->add_option("RUN_DIR", args->run_dir, "run folder (see docs/run-folder.md)")->required();
  cmd->add_option("--lang", args->lang, "language of RUN/qc/qc.md and of the printed report")
      ->check(CLI::IsMember({"zh", "en"}));
  cmd->add_option("--ledger", args->ledger,
                  "ledger database (default: prism-ledger.db beside the run folder)");
  cmd->add_option("--rules", args->rules, "TOML file overriding the rule thresholds (docs/qc.md)");
  cmd->add_flag("--no-rollback", args->no_rollback,
                "leave the active model alone (no rollback on FAIL, no promotion on PASS)");
  cmd->add_flag("--no-ledger", args->no_ledger, "do not record the run (no history, no rollback)");
  cmd->add_flag("--no-print", args->quiet_report, "do not print the report on stdout");
  cmd->callback([args] {
    QcRunOptions opts;
    opts.lang = args->lang;
    opts.ledger_path = args->ledger;
    opts.use_ledger = !args->no_ledger;
    opts.rollback = !args->no_rollback;
    opts.rules_path = args->rules;
    QcRunOutcome out;
    try {
      RunLock lock = RunLock::AcquireExisting(args->run_dir, "prism qc");
      out = RunQcOnFolder(args->run_dir, opts);
    } catch (const Error& e) {
      // Unusable input (no log, malformed files, bad rules): exit 2 so that 1 always means FAIL.
      std::cerr << "prism: error: " << e.what() << std::endl;
      ExitCode() = 2;
      return;
    }
    if (!args->quiet_report) std::cout << out.markdown << std::flush;
    Log::Info(std::string("QC ") + (out.result.pass ? "PASS" : "FAIL") + ": report " +
              out.report_path + ", " + out.json_path);
    if (out.info.rollback == "done")
      Log::Info("rolled back: record point " + std::to_string(out.info.rollback_to) + " (" +
                out.info.rollback_run_dir + ") is the active model again");
    ExitCode() = out.result.pass ? 0 : 1;
  });
}

}  // namespace prism::cli
