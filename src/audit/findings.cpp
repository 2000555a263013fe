// Problems of the split itself: pairs listed with both labels, a side with one class, a cell
// line on both sides.
#include <map>
#include <set>
#include <tuple>

#include "audit/audit_parts.h"

namespace prism::audit {

void ConflictingLabels(const std::vector<const Pair*>& pairs, const AuditOptions& options,
                       std::vector<AuditFinding>* out) {
  // (enhancer, promoter, cell line) -> bit 1: seen with label 0, bit 2: seen with label 1.
  std::map<std::tuple<std::string, std::string, std::string>, int> labels;
  for (const Pair* p : pairs)
    labels[{p->enhancer, p->promoter, p->cell_line}] |= p->label ? 2 : 1;
  AuditFinding f;
  f.kind = "conflicting_labels";
  for (const auto& [key, bits] : labels) {
    if (bits != 3) continue;
    ++f.count;
    if (static_cast<int>(f.examples.size()) < options.max_examples)
      f.examples.push_back(std::get<0>(key) + " ~ " + std::get<1>(key) + " (" + std::get<2>(key) +
                           ")");
  }
  if (f.count == 0) return;
  f.message = std::to_string(f.count) +
              " pairs are listed twice with opposite labels (same enhancer, promoter and cell "
              "line, label 0 and 1)";
  out->push_back(f);
}

void OneClassSide(const AuditSide& side, std::vector<AuditFinding>* out) {
  long pos = 0;
  for (const Pair* p : side.pairs) pos += p->label != 0;
  const long n = static_cast<long>(side.pairs.size());
  if (n == 0 || (pos > 0 && pos < n)) return;
  AuditFinding f;
  f.kind = "one_class_split";
  f.count = n;
  f.examples.push_back(side.name);
  f.message = "split '" + side.name + "' has one class only: all " + std::to_string(n) +
              " pairs are " + (pos ? "positive (label 1)" : "negative (label 0)");
  out->push_back(f);
}

void CellLineOverlap(const AuditSide& train, const AuditSide& test, bool leakage,
                     std::vector<AuditFinding>* out) {
  std::set<std::string> train_cells, both;
  for (const Pair* p : train.pairs) train_cells.insert(p->cell_line);
  for (const Pair* p : test.pairs)
    if (train_cells.count(p->cell_line)) both.insert(p->cell_line);
  if (both.empty()) return;
  AuditFinding f;
  f.kind = "cell_line_overlap";
  f.leakage = leakage;
  f.count = static_cast<long>(both.size());
  f.examples.assign(both.begin(), both.end());
  std::string list;
  for (const std::string& c : both) list += (list.empty() ? "" : ", ") + c;
  f.message = std::to_string(f.count) + " cell line(s) of '" + test.name + "' also in '" +
              train.name + "' (" + list + ")" +
              (leakage ? ": the test cell lines are not unseen" : "");
  out->push_back(f);
}

}  // namespace prism::audit
