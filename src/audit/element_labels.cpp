// Per-element label rates: elements whose pairs are all positive or all negative.
#include <map>
#include <unordered_map>

#include "audit/audit_parts.h"

namespace prism::audit {

std::vector<ElementLabelStats> ElementLabelRates(const std::vector<const Pair*>& pairs,
                                                 const AuditOptions& options) {
  std::map<std::string, std::vector<const Pair*>> by_cell;
  for (const Pair* p : pairs) by_cell[p->cell_line].push_back(p);
  std::vector<ElementLabelStats> out;
  for (const auto& [cell, cell_pairs] : by_cell) {
    for (const bool enhancer : {true, false}) {
      std::unordered_map<std::string, std::pair<long, long>> counts;  // n, positives
      for (const Pair* p : cell_pairs) {
        auto& c = counts[ElementIdentity(enhancer ? p->enhancer : p->promoter)];
        c.first += 1;
        c.second += p->label != 0;
      }
      ElementLabelStats s;
      s.cell_line = cell;
      s.role = enhancer ? "enhancer" : "promoter";
      s.pairs = static_cast<long>(cell_pairs.size());
      s.elements = static_cast<long>(counts.size());
      for (const auto& [id, c] : counts) {
        s.max_pairs_per_element = std::max(s.max_pairs_per_element, c.first);
        if (c.first < options.min_element_count) continue;
        ++s.frequent;
        if (c.second == c.first) {
          ++s.always_positive;
          s.pairs_always_positive += c.first;
        } else if (c.second == 0) {
          ++s.always_negative;
          s.pairs_always_negative += c.first;
        }
      }
      out.push_back(s);
    }
  }
  return out;
}

}  // namespace prism::audit
