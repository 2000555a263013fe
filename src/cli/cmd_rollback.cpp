// `prism rollback [--db PATH] [--to N]`: make the baseline (or record point N) the active model.
#include <filesystem>
#include <iostream>

#include "cli/command.h"
#include "cli/ledger_path.h"
#include "prism/rollback.h"

namespace prism::cli {

void RegisterRollback(CLI::App& app) {
  auto* cmd = app.add_subcommand(
      "rollback", "make the baseline record point (or --to N) the active model again; nothing is deleted");
  auto db = std::make_shared<std::string>();
  auto to = std::make_shared<long>(0);
  auto reason = std::make_shared<std::string>("manual rollback");
  cmd->add_option("--db", *db, "ledger database (default: " + DefaultLedgerHelp() + ")");
  cmd->add_option("--to", *to, "record point to make active (default: the baseline)")->check(CLI::PositiveNumber);
  cmd->add_option("--reason", *reason, "recorded with the rollback event");
  cmd->callback([db, to, reason] {
    Ledger ledger(ExistingLedgerPath(*db));
    RollbackResult r = Rollback(ledger, *to, *reason);
    std::cout << "active: record point " << r.to_id << " (" << r.run_dir << ")"
              << (r.from_id ? ", was record point " + std::to_string(r.from_id) : std::string())
              << "\n" << (r.copied ? "copy: " : "link: ") << r.link << "\nevent: " << r.event_id << "\n";
  });
}

}  // namespace prism::cli
