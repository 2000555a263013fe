// The report's shortcut-reliance table (shortcut_reliance.json, prism/shortcut_reliance.h).
#include <cmath>
#include <cstdio>
#include <sstream>

#include "prism/report.h"

namespace prism::report {
namespace {

std::string F(double v) {
  if (!std::isfinite(v)) return "n/a";
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.4f", v);
  return buf;
}

}  // namespace

std::string ShortcutRelianceHtml(const ShortcutReliance& r) {
  std::ostringstream h;
  h << "<h3 id=\"shortcut-reliance-title\">Reliance on cell-specific k-mers</h3>\n";
  if (!r.Measured()) {
    h << "<p class=\"muted\">Not measured: " << HtmlEscape(r.note) << "</p>\n";
    return h.str();
  }
  h << "<p class=\"muted\">The audit's cell-specific k-mers planted into (insert) and removed "
       "from (remove) the " << HtmlEscape(r.split) << " enhancers: mean score change (gain, "
       "drop) and a matched random k-mer of the same length and G/C (control); excess = insert "
       "&minus; control insert."
    << (r.scorer.empty() ? "" : " Scored: " + HtmlEscape(r.ScorerPhrase()) + ".") << "</p>\n"
    << "<table id=\"shortcut-reliance\"><tr><th class=\"l\">k-mer</th><th class=\"l\">cell "
       "line</th><th>rank</th><th>insert</th><th>insert max</th><th>control</th><th>remove</th>"
       "<th>control</th><th>excess</th></tr>\n";
  for (const KmerReliance& k : r.kmers)
    h << "<tr><td class=\"l\"><code>" << HtmlEscape(k.kmer) << "</code></td><td class=\"l\">"
      << HtmlEscape(k.cell_line) << "</td><td>" << k.rank << "</td><td>" << F(k.insert.mean)
      << "</td><td>" << F(k.insert.max) << "</td><td>" << F(k.control_insert.mean) << "</td><td>"
      << F(k.remove.mean) << "</td><td>" << F(k.control_remove.mean) << "</td><td>"
      << F(k.Excess()) << "</td></tr>\n";
  h << "<tr class=\"overall\"><td class=\"l\">all</td><td class=\"l\">" << r.kmers.size()
    << " k-mers</td><td></td><td>" << F(r.insert_mean) << "</td><td>" << F(r.insert_max)
    << "</td><td>" << F(r.control_insert_mean) << "</td><td>" << F(r.remove_mean) << "</td><td>"
    << F(r.control_remove_mean) << "</td><td>" << F(r.excess_mean) << " (max "
    << F(r.excess_max) << ")</td></tr>\n</table>\n";
  return h.str();
}

}  // namespace prism::report
