// cli/ledger_path.h - where `prism ledger` and `prism rollback` find the ledger without --db.
#pragma once

#include <filesystem>
#include <string>

#include "prism/error.h"

namespace prism::cli {

/// Help text for the default.
inline std::string DefaultLedgerHelp() {
  return "$PRISM_LEDGER, else ./prism-ledger.db, else ./runs/prism-ledger.db";
}

/// The ledger path to open: `given`, $PRISM_LEDGER, ./prism-ledger.db or ./runs/prism-ledger.db;
/// throws when that file does not exist (reading commands never create an empty ledger).
inline std::string ExistingLedgerPath(const std::string& given) {
  std::string path = given;
  if (path.empty()) {
    const char* env = std::getenv("PRISM_LEDGER");
    if (env && *env) path = env;
    else if (std::filesystem::exists("prism-ledger.db")) path = "prism-ledger.db";
    else if (std::filesystem::exists("runs/prism-ledger.db")) path = "runs/prism-ledger.db";
    else Fatal("no ledger found (", DefaultLedgerHelp(), "); pass --db PATH");
  }
  if (!std::filesystem::exists(path)) Fatal(path, ": no such ledger");
  return path;
}

}  // namespace prism::cli
