// Class balance per cell line.
#include <cmath>
#include <map>

#include "audit/audit_parts.h"

namespace prism::audit {

std::vector<ClassBalance> ClassBalanceOf(const std::string& split,
                                         const std::vector<const Pair*>& pairs) {
  std::map<std::string, std::pair<long, long>> counts;
  for (const Pair* p : pairs) {
    auto& c = counts[p->cell_line];
    c.first += 1;
    c.second += p->label != 0;
  }
  std::vector<ClassBalance> out;
  for (const auto& [cell, c] : counts) {
    ClassBalance b;
    b.split = split;
    b.cell_line = cell;
    b.pairs = c.first;
    b.positives = c.second;
    b.positive_rate = c.first ? static_cast<double>(c.second) / static_cast<double>(c.first) : NAN;
    out.push_back(b);
  }
  return out;
}

}  // namespace prism::audit
