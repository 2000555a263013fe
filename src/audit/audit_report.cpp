// The audit report as text tables and as JSON.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "audit/audit_parts.h"
#include "prism/audit.h"

namespace prism {
namespace {

std::string Fmt(const char* fmt, double v) {
  if (std::isnan(v)) return "n/a";
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

std::string Count(long v) { return v < 0 ? "n/a" : std::to_string(v); }

std::string Pct(long part, long whole) {
  return whole > 0 ? Fmt("%.1f%%", 100.0 * static_cast<double>(part) / whole) : "n/a";
}

class Table {
 public:
  /// The first `left` columns are left-aligned (names), the rest right-aligned (numbers).
  explicit Table(std::vector<std::string> header, size_t left = 2) : left_(left) {
    rows_.push_back(std::move(header));
  }
  void Add(std::vector<std::string> row) { rows_.push_back(std::move(row)); }
  std::string Render() const {
    std::vector<size_t> w;
    for (const auto& r : rows_)
      for (size_t i = 0; i < r.size(); ++i) {
        if (w.size() <= i) w.push_back(0);
        w[i] = std::max(w[i], r[i].size());
      }
    std::string out;
    for (const auto& r : rows_) {
      out += "  ";
      for (size_t i = 0; i < r.size(); ++i) {
        const std::string pad(w[i] - r[i].size(), ' ');
        out += i < left_ ? r[i] + pad : pad + r[i];
        if (i + 1 < r.size()) out += "  ";
      }
      out += "\n";
    }
    return out;
  }

 private:
  size_t left_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

std::string FormatAuditReport(const AuditReport& r) {
  std::ostringstream os;
  os << "prism audit: " << r.source << " (" << r.mode << ")\n\n";
  os << "Class balance per cell line\n";
  Table balance({"split", "cell_line", "pairs", "positives", "pos_rate"});
  for (const ClassBalance& b : r.balance)
    balance.Add({b.split, b.cell_line, std::to_string(b.pairs), std::to_string(b.positives),
                 Fmt("%.3f", b.positive_rate)});
  os << balance.Render() << "\n";

  os << "Shared elements (test side elements also on the train side; by name = coordinate part "
        "before '|')\n";
  Table shared({"train_side", "test_side", "enh_name", "prom_name", "enh_seq", "prom_seq",
                "test_pairs_affected", "verdict"});
  for (const SharedElements& s : r.shared)
    shared.Add({s.train_side, s.test_side,
                Count(s.enhancers_by_name) + "/" + std::to_string(s.test_enhancers),
                Count(s.promoters_by_name) + "/" + std::to_string(s.test_promoters),
                Count(s.enhancers_by_sequence), Count(s.promoters_by_sequence),
                std::to_string(s.test_pairs_shared) + " (" + Pct(s.test_pairs_shared, s.test_pairs) + ")",
                !s.any() ? "clean" : s.strict ? "LEAK" : "shared (info)"});
  os << shared.Render();
  for (const SharedElements& s : r.shared)
    if (s.any() && !s.examples.empty()) {
      os << "  e.g. " << s.test_side << ":";
      for (const std::string& e : s.examples) os << " " << e;
      os << "\n";
    }
  os << "\n";

  os << "Element label rates (elements in >= " << r.min_element_count
     << " pairs of a cell line)\n";
  Table labels({"cell_line", "role", "elements", "frequent", "always_pos", "always_neg",
                "pairs_always_pos", "pairs_always_neg", "max_pairs/element"});
  for (const ElementLabelStats& s : r.element_labels)
    labels.Add({s.cell_line, s.role, std::to_string(s.elements), std::to_string(s.frequent),
                std::to_string(s.always_positive), std::to_string(s.always_negative),
                std::to_string(s.pairs_always_positive) + " (" + Pct(s.pairs_always_positive, s.pairs) + ")",
                std::to_string(s.pairs_always_negative) + " (" + Pct(s.pairs_always_negative, s.pairs) + ")",
                std::to_string(s.max_pairs_per_element)});
  os << labels.Render() << "\n";

  if (!r.distance.empty()) {
    os << "Distance |bp| by label (median [q1, q3]) and distance-only AUPR (closer first / farther first)\n";
    Table dist({"cell_line", "n_pos", "n_neg", "positives", "negatives", "AUPR(closer)",
                "AUPR(farther)", "pos_rate"}, 1);
    for (const DistanceStats& d : r.distance)
      dist.Add({d.cell_line, std::to_string(d.positives), std::to_string(d.negatives),
                Fmt("%.0f", d.pos_median) + " [" + Fmt("%.0f", d.pos_q1) + ", " + Fmt("%.0f", d.pos_q3) + "]",
                Fmt("%.0f", d.neg_median) + " [" + Fmt("%.0f", d.neg_q1) + ", " + Fmt("%.0f", d.neg_q3) + "]",
                Fmt("%.3f", d.aupr_distance), Fmt("%.3f", d.aupr_distance_far),
                Fmt("%.3f", d.positive_rate)});
    os << dist.Render() << "\n";
  }
  if (!r.gc.empty()) {
    os << "GC content by label (pair GC = G+C over the A/C/G/T bases of enhancer and promoter) "
          "and GC-only AUPR (GC-richer first / GC-poorer first)\n";
    Table gc({"split", "cell_line", "pos/neg", "GC_pos", "GC_neg", "diff", "AUPR(GC)",
              "AUPR(GC-poor)", "pos_rate"});
    for (const GcStats& g : r.gc)
      gc.Add({g.split, g.cell_line,
              std::to_string(g.positives) + "/" + std::to_string(g.negatives),
              Fmt("%.3f", g.pos_mean_gc), Fmt("%.3f", g.neg_mean_gc), Fmt("%+.3f", g.diff),
              Fmt("%.3f", g.aupr_gc), Fmt("%.3f", g.aupr_gc_poor),
              Fmt("%.3f", g.positive_rate)});
    os << gc.Render() << "\n";
  }
  if (!r.findings.empty()) {
    os << "Findings\n";
    for (const AuditFinding& f : r.findings) {
      os << "  " << (f.leakage ? "LEAK" : "WARN") << " " << f.kind << ": " << f.message << "\n";
      if (f.kind == "conflicting_labels")
        for (const std::string& e : f.examples) os << "    e.g. " << e << "\n";
    }
    os << "\n";
  }
  if (r.mode == "domain-kl") os << audit::FormatCellSpecificKmers(r.cell_specific_kmers) << "\n";
  for (const std::string& n : r.notes) os << "note: " << n << "\n";
  bool shared_leak = false, finding_leak = false;
  for (const SharedElements& s : r.shared) shared_leak |= s.strict && s.any();
  for (const AuditFinding& f : r.findings) finding_leak |= f.leakage;
  if (!r.leakage_found)
    os << "verdict: no shared elements or cell lines between train and test\n";
  else
    os << "verdict: LEAKAGE -"
       << (shared_leak ? " elements shared between train and test" : "")
       << (shared_leak && finding_leak ? ";" : "")
       << (finding_leak ? " test cell lines also in train" : "") << "\n";
  return os.str();
}

Json AuditReportToJson(const AuditReport& r) {
  Json j;
  j["source"] = r.source;
  j["mode"] = r.mode;
  j["leakage_found"] = r.leakage_found;
  j["class_balance"] = Json::array();
  for (const ClassBalance& b : r.balance)
    j["class_balance"].push_back({{"split", b.split}, {"cell_line", b.cell_line},
                                  {"pairs", b.pairs}, {"positives", b.positives},
                                  {"positive_rate", JsonNumber(b.positive_rate)}});
  j["shared"] = Json::array();
  for (const SharedElements& s : r.shared) {
    auto seq = [](long v) { return v < 0 ? Json(nullptr) : Json(v); };
    j["shared"].push_back({{"train_side", s.train_side}, {"test_side", s.test_side},
                           {"strict", s.strict}, {"leak", s.strict && s.any()},
                           {"test_enhancers", s.test_enhancers},
                           {"test_promoters", s.test_promoters},
                           {"enhancers_by_name", s.enhancers_by_name},
                           {"promoters_by_name", s.promoters_by_name},
                           {"enhancers_by_sequence", seq(s.enhancers_by_sequence)},
                           {"promoters_by_sequence", seq(s.promoters_by_sequence)},
                           {"test_pairs", s.test_pairs},
                           {"test_pairs_shared", s.test_pairs_shared},
                           {"examples", s.examples}});
  }
  j["element_labels"] = Json::array();
  for (const ElementLabelStats& s : r.element_labels)
    j["element_labels"].push_back({{"cell_line", s.cell_line}, {"role", s.role},
                                   {"pairs", s.pairs}, {"elements", s.elements},
                                   {"frequent", s.frequent},
                                   {"always_positive", s.always_positive},
                                   {"always_negative", s.always_negative},
                                   {"pairs_always_positive", s.pairs_always_positive},
                                   {"pairs_always_negative", s.pairs_always_negative},
                                   {"max_pairs_per_element", s.max_pairs_per_element}});
  j["distance"] = Json::array();
  for (const DistanceStats& d : r.distance)
    j["distance"].push_back({{"cell_line", d.cell_line}, {"positives", d.positives},
                             {"negatives", d.negatives},
                             {"pos_q1", JsonNumber(d.pos_q1)}, {"pos_median", JsonNumber(d.pos_median)},
                             {"pos_q3", JsonNumber(d.pos_q3)}, {"neg_q1", JsonNumber(d.neg_q1)},
                             {"neg_median", JsonNumber(d.neg_median)}, {"neg_q3", JsonNumber(d.neg_q3)},
                             {"aupr_distance", JsonNumber(d.aupr_distance)},
                             {"aupr_distance_far", JsonNumber(d.aupr_distance_far)},
                             {"positive_rate", JsonNumber(d.positive_rate)}});
  j["gc_by_label"] = Json::array();
  for (const GcStats& g : r.gc)
    j["gc_by_label"].push_back({{"split", g.split}, {"cell_line", g.cell_line},
                                {"positives", g.positives}, {"negatives", g.negatives},
                                {"pos_mean_gc", JsonNumber(g.pos_mean_gc)},
                                {"neg_mean_gc", JsonNumber(g.neg_mean_gc)},
                                {"diff", JsonNumber(g.diff)},
                                {"aupr_gc", JsonNumber(g.aupr_gc)},
                                {"aupr_gc_poor", JsonNumber(g.aupr_gc_poor)},
                                {"positive_rate", JsonNumber(g.positive_rate)}});
  j["findings"] = Json::array();
  for (const AuditFinding& f : r.findings)
    j["findings"].push_back({{"kind", f.kind}, {"leakage", f.leakage}, {"message", f.message},
                             {"count", f.count}, {"examples", f.examples}});
  j["cell_specific_kmers"] = audit::CellSpecificKmersJson(r.cell_specific_kmers);
  j["notes"] = r.notes;
  return j;
}

}  // namespace prism
