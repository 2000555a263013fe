// prism audit: leakage and bias checks on a split (domain-kl folder or feature tables).
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/audit.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"

namespace prism::cli {
namespace {

/// Exit status of `prism audit --strict` when train and test share elements.
constexpr int kLeakageExitCode = 3;

struct AuditArgs {
  std::string dir, json;
  std::vector<std::string> features, test_cells;
  bool strict = false;
  int min_count = 3;
};

}  // namespace

void RegisterAudit(CLI::App& app) {
  auto args = std::make_shared<AuditArgs>();
  auto* cmd = app.add_subcommand(
      "audit", "leakage and bias checks on a split: shared elements, per-element label rates, "
               "distance and GC content by label, class balance");
  cmd->add_option("dir", args->dir, "domain-kl folder (DIR/{train,val,test}/ALL/...)");
  cmd->add_option("--features", args->features,
                  "feature tables (.csv/.csv.gz) instead of DIR, split by cell line");
  cmd->add_option("--test-cells", args->test_cells,
                  "with --features: these cell lines against the rest (default: each cell line "
                  "against the rest)")
      ->delimiter(',');
  cmd->add_option("--json", args->json, "also write the report as JSON to this file");
  cmd->add_flag("--strict", args->strict,
                "exit with status 3 on leakage: train and test share elements or cell lines");
  cmd->add_option("--min-count", args->min_count,
                  "pairs an element needs for a label-rate verdict")
      ->capture_default_str();
  cmd->callback([args] {
    if (args->dir.empty() == args->features.empty())
      throw Error("audit: give either a domain-kl folder or --features FILE...");
    if (!args->test_cells.empty() && args->features.empty())
      throw Error("audit: --test-cells applies to --features only (a domain-kl folder has its split)");
    if (args->min_count < 1) throw Error("audit: --min-count must be >= 1");
    AuditOptions options;
    options.min_element_count = args->min_count;
    AuditReport report;
    if (!args->dir.empty()) {
      report = AuditDomainKl(ReadDomainKl(args->dir), options);
      report.source = args->dir;
    } else {
      report = AuditFeatureTable(ReadFeatureTables(args->features), args->test_cells, options);
      for (const std::string& f : args->features)
        report.source += (report.source.empty() ? "" : " ") + f;
    }
    if (!args->json.empty()) WriteJsonFile(args->json, AuditReportToJson(report));
    std::cout << FormatAuditReport(report);
    if (args->strict && report.leakage_found) ExitCode() = kLeakageExitCode;
  });
}

}  // namespace prism::cli
