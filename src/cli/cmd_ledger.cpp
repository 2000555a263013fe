// `prism ledger [--db PATH] list | show N | history | baseline-table | set-baseline N`.
#include <cmath>
#include <iostream>
#include <sstream>

#include "cli/command.h"
#include "cli/ledger_path.h"
#include "prism/atomic_file.h"
#include "prism/ledger.h"
#include "prism/printable.h"

namespace prism::cli {
namespace {

std::string Num(double v) {
  if (!std::isfinite(v)) return "-";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

double TestAupr(const RecordPoint& rp) {
  const LedgerMetrics m = LedgerMetrics::FromJson(rp.metrics);
  return m.test ? m.test->overall.aupr : NAN;
}

void Emit(const std::string& text, const std::string& out) {
  if (out.empty()) {
    std::cout << text;
  } else {
    WriteFileAtomic(out, text);
    std::cerr << "wrote " << out << "\n";
  }
}

std::vector<long> ParseIds(const std::string& s) {
  std::vector<long> ids;
  std::stringstream ss(s);
  std::string item;
  while (std::getline(ss, item, ',')) {
    if (item.empty()) continue;
    char* end = nullptr;
    long v = std::strtol(item.c_str(), &end, 10);
    if (*end != 0 || v <= 0) Fatal("--ids: expected record point numbers like 1,2,5, found '", item, "'");
    ids.push_back(v);
  }
  return ids;
}

}  // namespace

void RegisterLedger(CLI::App& app) {
  auto* cmd = app.add_subcommand("ledger", "record points: list, show, history index, baseline table");
  cmd->require_subcommand(1);
  cmd->fallthrough();
  auto db = std::make_shared<std::string>();
  cmd->add_option("--db", *db, "ledger database (default: " + DefaultLedgerHelp() + ")");

  auto* list = cmd->add_subcommand("list", "one line per record point");
  list->callback([db] {
    Ledger l(ExistingLedgerPath(*db), LedgerAccess::kReadOnly);
    long active = l.Active(), baseline = l.Baseline();
    std::cout << "id\tcreated\tname\tqc\ttrain_aupr\ttest_aupr\tflags\tsignature\n";
    for (const auto& rp : l.List()) {
      std::string flags = std::string(rp.id == active ? "active" : "") +
                          (rp.id == baseline ? (rp.id == active ? ",baseline" : "baseline") : "");
      std::cout << rp.id << "\t" << rp.created << "\t" << Printable(rp.name) << "\t"
                << (rp.qc_decision.empty() ? "-" : rp.qc_decision) << "\t"
                << Num(LedgerMetrics::FromJson(rp.metrics).train_aupr) << "\t"
                << Num(TestAupr(rp)) << "\t" << (flags.empty() ? "-" : flags)
                << "\t" << (rp.qc_signature.empty() ? "-" : Printable(rp.qc_signature)) << "\n";
    }
  });

  auto* show = cmd->add_subcommand("show", "every field of record point N (JSON)");
  auto show_id = std::make_shared<long>(0);
  show->add_option("N", *show_id, "record point")->required();
  show->callback([db, show_id] {
    Ledger l(ExistingLedgerPath(*db), LedgerAccess::kReadOnly);
    RecordPoint rp = l.Get(*show_id);
    Json j = {{"id", rp.id}, {"created", rp.created}, {"name", rp.name}, {"run_dir", rp.run_dir},
              {"config_hash", rp.config_hash}, {"data_hash", rp.data_hash},
              {"code_version", rp.code_version}, {"metrics", rp.metrics},
              {"qc_decision", rp.qc_decision}, {"qc_reasons", rp.qc_reasons},
              {"qc_signature", rp.qc_signature}, {"reflection", rp.reflection},
              {"parent_id", rp.parent_id ? Json(rp.parent_id) : Json()},
              {"baseline_id", rp.baseline_id ? Json(rp.baseline_id) : Json()},
              {"active", l.Active() == rp.id}, {"baseline", l.Baseline() == rp.id}};
    std::cout << j.dump(2) << "\n";
  });

  auto* history = cmd->add_subcommand("history", "history index as Markdown (newest last)");
  auto hist_out = std::make_shared<std::string>();
  history->add_option("--out", *hist_out, "write to this file instead of stdout");
  history->callback([db, hist_out] {
    Ledger l(ExistingLedgerPath(*db), LedgerAccess::kReadOnly);
    Emit(LedgerHistoryMarkdown(l), *hist_out);
  });

  auto* table = cmd->add_subcommand("baseline-table",
                                    "per-cell AUPR/AUC/F1/Recall/Precision/Threshold/N tables");
  auto ids = std::make_shared<std::string>();
  auto table_out = std::make_shared<std::string>();
  table->add_option("--ids", *ids, "record points, e.g. 1,2 (default: all with test metrics)");
  table->add_option("--out", *table_out, "write to this file instead of stdout");
  table->callback([db, ids, table_out] {
    Ledger l(ExistingLedgerPath(*db), LedgerAccess::kReadOnly);
    Emit(BaselineTableMarkdown(l, ParseIds(*ids)), *table_out);
  });

  auto* setb = cmd->add_subcommand("set-baseline", "make record point N the baseline");
  auto base_id = std::make_shared<long>(0);
  setb->add_option("N", *base_id, "record point")->required();
  setb->callback([db, base_id] {
    Ledger l(ExistingLedgerPath(*db));
    l.SetBaseline(*base_id, "prism ledger set-baseline");
    std::cout << "baseline: record point " << *base_id << " (" << l.Get(*base_id).run_dir << ")\n";
  });
}

}  // namespace prism::cli
