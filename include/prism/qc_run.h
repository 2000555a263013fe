// prism/qc_run.h - the whole `prism qc` step on one run folder: rules, ledger record point,
// rollback or promotion, and the reports written into RUN/qc/. Used by `prism qc` and `prism run`.
#pragma once

#include <string>

#include "prism/qc.h"

namespace prism {

/// Options of one inspection.
struct QcRunOptions {
  std::string lang = "zh";       ///< language of RUN/qc/qc.md and of the returned text ("zh"|"en")
  bool use_ledger = true;        ///< record the run and compare with earlier failures
  std::string ledger_path;       ///< "" = Ledger::DefaultPath(run_dir)
  bool rollback = true;          ///< FAIL -> roll back to the baseline; PASS -> promote
  std::string rules_path;        ///< TOML thresholds; "" = the spec's defaults
};

/// What the inspection found and did.
struct QcRunOutcome {
  QcResult result;
  QcReportInfo info;
  std::string markdown;          ///< report in options.lang
  std::string report_path;       ///< RUN/qc/qc.md
  std::string json_path;         ///< RUN/qc/qc.json
};

/// Inspects RUN_DIR: loads it (InputError for unusable input), runs every rule (with the
/// ledger's earlier failures for the history rule), records or updates its record point (one
/// transaction), rolls back to the baseline on FAIL or promotes on PASS (the first passing
/// record point becomes the baseline when none is set), and writes RUN/qc/qc.zh.md, qc.en.md,
/// qc.md (= options.lang) and qc.json atomically.
QcRunOutcome RunQcOnFolder(const std::string& run_dir, const QcRunOptions& options);

}  // namespace prism
