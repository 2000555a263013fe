// Markdown exports of the ledger: the history index and the baseline table.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <set>
#include <sstream>

#include "prism/error.h"
#include "prism/ledger.h"
#include "prism/printable.h"

namespace prism {
namespace {

std::string F(double v, int digits = 4) {
  if (!std::isfinite(v)) return "-";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", digits, v);
  return buf;
}

std::string ReflectionText(const Json& r) {
  if (r.is_null()) return "";
  if (r.is_string()) return r.get<std::string>();
  for (const char* k : {"summary", "headline", "summary_en", "text"})
    if (r.is_object() && r.contains(k) && r[k].is_string()) return r[k].get<std::string>();
  std::string s = r.dump();
  return s.size() > 400 ? s.substr(0, 400) + "..." : s;
}

void CellRow(std::ostringstream& o, const std::string& label, const metric::MetricRow& x) {
  o << "| " << label << " | " << F(x.aupr) << " | " << F(x.auc) << " | " << F(x.f1) << " | "
    << F(x.recall) << " | " << F(x.precision) << " | " << F(x.threshold, 2) << " | " << x.n
    << " |\n";
}

bool HasTestMetrics(const RecordPoint& rp) { return LedgerMetrics::FromJson(rp.metrics).test.has_value(); }

}  // namespace

std::string LedgerHistoryMarkdown(const Ledger& ledger) {
  std::ostringstream o;
  std::vector<RecordPoint> all = ledger.List();
  long active = ledger.Active(), baseline = ledger.Baseline();
  o << "# History of record points\n\n";
  o << "Ledger `" << ledger.path() << "`: " << all.size() << " record points";
  if (baseline) o << ", baseline record point " << baseline;
  if (active) o << ", active record point " << active;
  o << ". Oldest first.\n\n";
  for (const RecordPoint& rp : all) {
    o << "## Record point " << rp.id << ": " << Printable(rp.name);
    if (rp.id == baseline) o << " (baseline)";
    if (rp.id == active) o << " (active)";
    o << "\n\n";
    o << rp.created << ", run `" << Printable(rp.run_dir) << "`";
    if (!rp.code_version.empty()) o << ", code " << Printable(rp.code_version);
    if (!rp.config_hash.empty()) o << ", config " << rp.config_hash;
    if (!rp.data_hash.empty()) o << ", data " << rp.data_hash;
    if (rp.parent_id) o << ", parent record point " << rp.parent_id;
    if (rp.baseline_id) o << ", baseline then record point " << rp.baseline_id;
    o << ". ";
    const LedgerMetrics lm = LedgerMetrics::FromJson(rp.metrics);
    const double tr = lm.train_aupr, va = lm.best_val_aupr;
    if (std::isfinite(tr))
      o << "Train AUPR " << F(tr) << (lm.epochs ? " after " + std::to_string(*lm.epochs) + " epochs" : "") << "; ";
    o << "best val AUPR " << (std::isfinite(va) ? F(va) : std::string("n/a (no validation)")) << "; ";
    if (lm.test) {
      const metric::MetricRow& ov = lm.test->overall;
      o << "test AUPR " << F(ov.aupr) << " (AUC " << F(ov.auc) << ", F1 " << F(ov.f1) << ", N "
        << F(static_cast<double>(ov.n), 0) << ")";
      if (!lm.test->per_cell.empty()) {
        o << ", per cell:";
        bool first = true;
        for (const auto& [cell, row] : lm.test->per_cell) {
          o << (first ? " " : ", ") << cell << " " << F(row.aupr);
          first = false;
        }
      }
      o << ". ";
    } else {
      o << "not evaluated on the test split. ";
    }
    if (!lm.baselines.empty()) {
      o << "Baselines (test AUPR / val AUPR):";
      bool first = true;
      for (const auto& [name, a] : lm.baselines) {
        o << (first ? " " : ", ") << name << " " << (std::isfinite(a.test) ? F(a.test) : "n/a")
          << " / " << (std::isfinite(a.val) ? F(a.val) : "n/a");
        first = false;
      }
      o << ". ";
    }
    if (rp.qc_decision.empty()) o << "QC: not judged.";
    else if (rp.qc_decision == "PASS") o << "QC: **PASS**.";
    else {
      o << "QC: **FAIL** (" << rp.qc_signature << ")";
      if (!rp.qc_reasons.empty()) {
        o << ":";
        for (const auto& r : rp.qc_reasons) o << "\n- " << Printable(r);
      }
    }
    std::string refl = ReflectionText(rp.reflection);
    if (!refl.empty()) o << "\n\nReflection: " << refl;
    o << "\n\n";
  }
  auto events = ledger.Events();
  if (!events.empty()) {
    o << "## Events\n\n";
    for (const auto& e : events) {
      o << "- " << e.time << " " << e.kind << ": ";
      if (e.from_id) o << "record point " << e.from_id << " -> ";
      o << "record point " << e.to_id;
      if (!e.detail.empty()) o << " (" << Printable(e.detail) << ")";
      o << "\n";
    }
    o << "\n";
  }
  return o.str();
}

std::string BaselineTableMarkdown(const Ledger& ledger, const std::vector<long>& ids) {
  std::vector<RecordPoint> chosen;
  if (ids.empty()) {
    for (auto& rp : ledger.List())
      if (HasTestMetrics(rp)) chosen.push_back(rp);
  } else {
    for (long id : ids) chosen.push_back(ledger.Get(id));
  }
  long baseline = ledger.Baseline();
  std::ostringstream o;
  o << "# Baseline table\n\n";
  if (chosen.empty()) o << "No record point has test metrics yet.\n";
  std::vector<std::string> cells;
  for (const auto& rp : chosen) {
    o << "## Record point " << rp.id << ": " << Printable(rp.name) << (rp.id == baseline ? " (baseline)" : "")
      << (rp.qc_decision.empty() ? "" : ", QC " + rp.qc_decision) << "\n\n";
    if (!HasTestMetrics(rp)) {
      o << "Not evaluated on the test split (no per-cell metrics).\n\n";
      continue;
    }
    o << "| Cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n";
    o << "|---|---|---|---|---|---|---|---|\n";
    const metric::MetricTable t = *LedgerMetrics::FromJson(rp.metrics).test;
    CellRow(o, "overall", t.overall);
    for (const auto& [cell, row] : t.per_cell) {
      CellRow(o, cell, row);
      if (std::find(cells.begin(), cells.end(), cell) == cells.end()) cells.push_back(cell);
    }
    o << "\n";
  }
  int with_metrics = 0;
  for (const auto& rp : chosen) with_metrics += HasTestMetrics(rp);
  if (with_metrics > 1) {
    o << "## AUPR per cell line\n\n| Record point | overall";
    for (const auto& c : cells) o << " | " << c;
    o << " |\n|---|---";
    for (size_t i = 0; i < cells.size(); ++i) o << "|---";
    o << "|\n";
    for (const auto& rp : chosen) {
      if (!HasTestMetrics(rp)) continue;
      const metric::MetricTable t = *LedgerMetrics::FromJson(rp.metrics).test;
      o << "| " << rp.id << " " << Printable(rp.name) << " | " << F(t.overall.aupr);
      for (const auto& c : cells) {
        auto it = t.per_cell.find(c);
        o << " | " << F(it == t.per_cell.end() ? NAN : it->second.aupr);
      }
      o << " |\n";
    }
    o << "\n";
  }
  return o.str();
}

}  // namespace prism
