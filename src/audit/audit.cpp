// The two audit drivers: a given domain-kl split, and feature tables split by cell line.
#include <algorithm>
#include <set>

#include "audit/audit_parts.h"
#include "prism/error.h"

namespace prism {
namespace {

audit::AuditSide SideOf(const std::string& name, const SequenceSplit& split) {
  audit::AuditSide side;
  side.name = name;
  for (const Pair& p : split.pairs) side.pairs.push_back(&p);
  side.seqs = &split.seqs;
  return side;
}

void Finish(AuditReport& report, const std::vector<const Pair*>& all,
            const AuditOptions& options) {
  report.min_element_count = options.min_element_count;
  report.element_labels = audit::ElementLabelRates(all, options);
  report.distance = audit::DistanceByLabel(all);
  if (report.distance.empty()) report.notes.push_back("no distances in the data");
  audit::ConflictingLabels(all, options, &report.findings);
  report.leakage_found = false;
  for (const SharedElements& s : report.shared)
    if (s.strict && s.any()) report.leakage_found = true;
  for (const AuditFinding& f : report.findings)
    if (f.leakage) report.leakage_found = true;
}

}  // namespace

AuditReport AuditDomainKl(const DomainKlData& data, const AuditOptions& options) {
  AuditReport report;
  report.mode = "domain-kl";
  const audit::AuditSide train = SideOf("train", data.train);
  const audit::AuditSide test = SideOf("test", data.test);
  std::vector<const Pair*> all = train.pairs;
  all.insert(all.end(), test.pairs.begin(), test.pairs.end());
  // Class balance and GC by label per split (sequence data: every side has sequences).
  auto add_split = [&](const audit::AuditSide& side) {
    for (const ClassBalance& b : audit::ClassBalanceOf(side.name, side.pairs))
      report.balance.push_back(b);
    for (const GcStats& g : audit::GcByLabel(side.name, side.pairs, *side.seqs))
      report.gc.push_back(g);
    audit::OneClassSide(side, &report.findings);
  };
  add_split(train);
  report.shared.push_back(audit::CompareSides(train, test, true, options));
  audit::CellLineOverlap(train, test, true, &report.findings);
  if (data.has_val) {
    const audit::AuditSide val = SideOf("val", data.val);
    all.insert(all.end(), val.pairs.begin(), val.pairs.end());
    add_split(val);
    report.shared.push_back(audit::CompareSides(train, val, false, options));
    report.shared.push_back(audit::CompareSides(val, test, false, options));
  }
  add_split(test);
  const audit::AuditSide val = SideOf("val", data.val);
  std::vector<const audit::AuditSide*> others = {&test};
  if (data.has_val) others.insert(others.begin(), &val);
  report.cell_specific_kmers = audit::CellSpecificKmers(train, others, options);
  Finish(report, all, options);
  if (report.gc.empty())
    report.notes.push_back("no sequences with A/C/G/T bases: no GC content by label");
  const std::string gc_note = audit::GcConfoundingNote(report.gc);
  if (!gc_note.empty()) report.notes.push_back(gc_note);
  return report;
}

AuditReport AuditFeatureTable(const FeatureTable& table, const std::vector<std::string>& test_cells,
                              const AuditOptions& options) {
  AuditReport report;
  report.mode = "features";
  std::set<std::string> cells;
  std::vector<const Pair*> all;
  for (const Pair& p : table.pairs) {
    cells.insert(p.cell_line);
    all.push_back(&p);
  }
  auto split_by = [&](const std::set<std::string>& held_out, const std::string& test_name) {
    audit::AuditSide train, test;
    train.name = "rest";
    test.name = test_name;
    for (const Pair* p : all) (held_out.count(p->cell_line) ? test : train).pairs.push_back(p);
    return std::make_pair(train, test);
  };
  if (!test_cells.empty()) {
    std::set<std::string> held_out;
    for (const std::string& c : test_cells) {
      if (!cells.count(c)) {
        std::string have;
        for (const std::string& x : cells) have += (have.empty() ? "" : ", ") + x;
        Fatal("test cell line '", c, "' is not in the feature tables (cell lines: ", have, ")");
      }
      held_out.insert(c);
    }
    std::string name;
    for (const std::string& c : held_out) name += (name.empty() ? "" : "+") + c;
    auto [train, test] = split_by(held_out, name);
    for (const ClassBalance& b : audit::ClassBalanceOf("train", train.pairs))
      report.balance.push_back(b);
    for (const ClassBalance& b : audit::ClassBalanceOf("test", test.pairs))
      report.balance.push_back(b);
    report.shared.push_back(audit::CompareSides(train, test, true, options));
    audit::OneClassSide(train, &report.findings);
    audit::OneClassSide(test, &report.findings);
  } else {
    report.balance = audit::ClassBalanceOf("all", all);
    if (cells.size() < 2)
      report.notes.push_back("one cell line only: no cross-cell split to check");
    else
      for (const std::string& c : cells) {
        auto [train, test] = split_by({c}, c);
        report.shared.push_back(audit::CompareSides(train, test, true, options));
        audit::OneClassSide(test, &report.findings);
      }
  }
  Finish(report, all, options);
  report.notes.push_back("no sequences in feature tables: no GC content by label");
  return report;
}

}  // namespace prism
