// Cell-specific k-mers: label enrichment confined to one training cell line (prism/audit.h,
// docs/audit.md). Two passes per k: the candidates of each training cell line (its strongest
// label associations), then their counts in every cell line, from which the specificity follows.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "audit/audit_parts.h"
#include "prism/error.h"
#include "prism/kmer_scan.h"

namespace prism::audit {
namespace {

constexpr size_t kCandidatesPerCell = 200;  // per k, by z, before the specificity filter
constexpr int kDenseMaxK = 10;              // 4^10 counters; longer k: sorting

struct CellPairs {
  std::string name, split;
  bool train = false;
  std::vector<const std::string*> enhancers;  // null: no sequence
  std::vector<int> labels;
  long positives = 0, negatives = 0;
};

double LogOdds(double a, double b, double c, double d, double* z) {
  a += 0.5, b += 0.5, c += 0.5, d += 0.5;
  const double lor = std::log(a * d / (b * c));
  *z = lor / std::sqrt(1 / a + 1 / b + 1 / c + 1 / d);
  return lor;
}

void AddCells(const AuditSide& side, bool train, std::vector<CellPairs>& out) {
  if (!side.seqs) return;
  std::map<std::string, size_t> index;
  for (const Pair* p : side.pairs) {
    auto [it, fresh] = index.emplace(p->cell_line, out.size());
    if (fresh) out.push_back({p->cell_line, side.name, train, {}, {}, 0, 0});
    CellPairs& c = out[it->second];
    auto e = side.seqs->enhancers.find(p->enhancer);
    c.enhancers.push_back(e == side.seqs->enhancers.end() ? nullptr : &e->second);
    c.labels.push_back(p->label ? 1 : 0);
    (p->label ? c.positives : c.negatives) += 1;
  }
}

/// Calls f(code, positives_with, negatives_with) for every canonical k-mer held by a pair of the
/// cell line (each pair counts once per k-mer).
template <class F>
void ForEachPresence(const CellPairs& cell, int k, F&& f) {
  if (k <= kDenseMaxK) {
    const size_t n = size_t{1} << (2 * k);
    std::vector<uint32_t> pos(n, 0), neg(n, 0);
    std::vector<int32_t> last(n, -1);
    for (size_t i = 0; i < cell.enhancers.size(); ++i) {
      if (!cell.enhancers[i]) continue;
      auto& count = cell.labels[i] ? pos : neg;
      ScanCanonicalKmers(*cell.enhancers[i], k, [&](uint32_t code) {
        if (last[code] == static_cast<int32_t>(i)) return;
        last[code] = static_cast<int32_t>(i);
        ++count[code];
      });
    }
    for (uint32_t code = 0; code < n; ++code)
      if (pos[code] + neg[code] > 0) f(code, pos[code], neg[code]);
    return;
  }
  std::vector<uint64_t> all, one;  // (code << 1) | label, unique per pair
  for (size_t i = 0; i < cell.enhancers.size(); ++i) {
    if (!cell.enhancers[i]) continue;
    one.clear();
    ScanCanonicalKmers(*cell.enhancers[i], k, [&](uint32_t code) {
      one.push_back((uint64_t{code} << 1) | static_cast<uint64_t>(cell.labels[i]));
    });
    std::sort(one.begin(), one.end());
    one.erase(std::unique(one.begin(), one.end()), one.end());
    all.insert(all.end(), one.begin(), one.end());
  }
  std::sort(all.begin(), all.end());
  for (size_t i = 0; i < all.size();) {
    const uint64_t code = all[i] >> 1;
    long counts[2] = {0, 0};
    for (; i < all.size() && (all[i] >> 1) == code; ++i) ++counts[all[i] & 1];
    f(static_cast<uint32_t>(code), counts[1], counts[0]);
  }
}

/// Pairs of every cell line holding each of the sorted `codes`: [cell][code] = {pos, neg}.
std::vector<std::vector<std::array<long, 2>>> CountCodes(const std::vector<CellPairs>& cells,
                                                         int k,
                                                         const std::vector<uint32_t>& codes) {
  std::vector<uint64_t> bitmap(((size_t{1} << (2 * k)) + 63) / 64, 0);
  for (uint32_t c : codes) bitmap[c >> 6] |= uint64_t{1} << (c & 63);
  std::vector<std::vector<std::array<long, 2>>> out(cells.size());
  std::vector<int32_t> last(codes.size());
  for (size_t ci = 0; ci < cells.size(); ++ci) {
    const CellPairs& cell = cells[ci];
    out[ci].assign(codes.size(), {0, 0});
    std::fill(last.begin(), last.end(), -1);
    for (size_t i = 0; i < cell.enhancers.size(); ++i) {
      if (!cell.enhancers[i]) continue;
      ScanCanonicalKmers(*cell.enhancers[i], k, [&](uint32_t code) {
        if (!(bitmap[code >> 6] >> (code & 63) & 1)) return;
        const size_t j = static_cast<size_t>(
            std::lower_bound(codes.begin(), codes.end(), code) - codes.begin());
        if (last[j] == static_cast<int32_t>(i)) return;
        last[j] = static_cast<int32_t>(i);
        ++out[ci][j][cell.labels[i] ? 0 : 1];
      });
    }
  }
  return out;
}

/// Whether a and b (either strand of b) share an exact overlap of >= min(6, shorter length - 1)
/// bases at some shift (substrings included): the shifted windows of one planted k-mer.
bool Overlapping(const std::string& a, const std::string& b) {
  const int la = static_cast<int>(a.size());
  const int need = std::min<int>(6, static_cast<int>(std::min(a.size(), b.size())) - 1);
  for (const std::string& s : {b, ReverseComplementBases(b)}) {
    const int lb = static_cast<int>(s.size());
    for (int shift = -(lb - need); shift <= la - need; ++shift) {
      const int from = std::max(0, shift), to = std::min(la, shift + lb);
      if (to - from < need) continue;
      bool same = true;
      for (int i = from; i < to && same; ++i) same = a[static_cast<size_t>(i)] == s[static_cast<size_t>(i - shift)];
      if (same) return true;
    }
  }
  return false;
}

}  // namespace

std::vector<CellSpecificKmer> CellSpecificKmers(const AuditSide& train,
                                                const std::vector<const AuditSide*>& others,
                                                const AuditOptions& options) {
  for (int k : options.kmer_lengths)
    PRISM_CHECK(k >= 6 && k <= 12, "cell-specific k-mers: k must be in 6..12, got ", k);
  std::vector<CellPairs> cells;
  AddCells(train, true, cells);
  for (const AuditSide* side : others) AddCells(*side, false, cells);
  std::vector<CellSpecificKmer> all;
  for (int k : options.kmer_lengths) {
    // Pass 1: each training cell line's strongest label associations.
    std::vector<std::vector<uint32_t>> cands(cells.size());
    for (size_t ci = 0; ci < cells.size(); ++ci) {
      const CellPairs& cell = cells[ci];
      if (!cell.train || cell.positives == 0 || cell.negatives == 0) continue;
      std::vector<std::pair<double, uint32_t>> best;
      ForEachPresence(cell, k, [&](uint32_t code, long pos, long neg) {
        if (pos < options.kmer_min_count) return;
        double z = 0;
        LogOdds(pos, cell.positives - pos, neg, cell.negatives - neg, &z);
        if (z >= options.kmer_min_z) best.emplace_back(-z, code);
      });
      std::sort(best.begin(), best.end());
      if (best.size() > kCandidatesPerCell) best.resize(kCandidatesPerCell);
      for (const auto& b : best) cands[ci].push_back(b.second);
    }
    std::vector<uint32_t> codes;
    for (const auto& c : cands) codes.insert(codes.end(), c.begin(), c.end());
    std::sort(codes.begin(), codes.end());
    codes.erase(std::unique(codes.begin(), codes.end()), codes.end());
    if (codes.empty()) continue;
    // Pass 2: the candidates in every cell line.
    const auto counts = CountCodes(cells, k, codes);
    auto z_in = [&](size_t ci, size_t j, double* lor) {
      const long a = counts[ci][j][0], c = counts[ci][j][1];
      const CellPairs& cell = cells[ci];
      if (cell.positives == 0 || cell.negatives == 0) return static_cast<double>(NAN);
      double z = 0;
      *lor = LogOdds(a, cell.positives - a, c, cell.negatives - c, &z);
      return z;
    };
    for (size_t ci = 0; ci < cells.size(); ++ci)
      for (uint32_t code : cands[ci]) {
        const size_t j = static_cast<size_t>(std::lower_bound(codes.begin(), codes.end(), code) - codes.begin());
        CellSpecificKmer e;
        e.kmer = DecodeKmer(code, k);
        e.cell_line = cells[ci].name;
        e.positives = cells[ci].positives;
        e.negatives = cells[ci].negatives;
        e.positives_with = counts[ci][j][0];
        e.negatives_with = counts[ci][j][1];
        e.z = z_in(ci, j, &e.log_odds);
        for (size_t o = 0; o < cells.size(); ++o) {
          if (o == ci) continue;
          double lor = 0;
          CellSpecificKmer::Elsewhere w;
          w.cell_line = cells[o].name;
          w.split = cells[o].split;
          const long n = cells[o].positives + cells[o].negatives;
          w.presence = n ? static_cast<double>(counts[o][j][0] + counts[o][j][1]) / n : 0.0;
          w.z = z_in(o, j, &lor);
          if (cells[o].train && std::isfinite(w.z) && w.z > e.max_other_z) {
            e.max_other_z = w.z;
            e.max_other_cell = w.cell_line;
          }
          e.elsewhere.push_back(std::move(w));
        }
        e.specificity = e.z - std::max(0.0, e.max_other_z);
        if (e.specificity >= options.kmer_min_specificity) all.push_back(std::move(e));
      }
  }
  // Per training cell line: by specificity, overlapping k-mers once, at most kmers_per_cell.
  std::stable_sort(all.begin(), all.end(), [](const CellSpecificKmer& a, const CellSpecificKmer& b) {
    if (a.cell_line != b.cell_line) return a.cell_line < b.cell_line;
    if (a.specificity != b.specificity) return a.specificity > b.specificity;
    if (a.kmer.size() != b.kmer.size()) return a.kmer.size() < b.kmer.size();
    return a.kmer < b.kmer;
  });
  // A listed k-mer is replaced by a longer one containing it (either strand) when that is nearly
  // as specific (>= 0.8 x): the whole planted k-mer rather than a substring of it.
  std::vector<CellSpecificKmer> out;
  for (CellSpecificKmer& e : all) {
    int taken = 0;
    CellSpecificKmer* overlap = nullptr;
    for (CellSpecificKmer& t : out)
      if (t.cell_line == e.cell_line) {
        ++taken;
        if (!overlap && Overlapping(t.kmer, e.kmer)) overlap = &t;
      }
    if (overlap) {
      const bool contains = e.kmer.find(overlap->kmer) != std::string::npos ||
                            e.kmer.find(ReverseComplementBases(overlap->kmer)) != std::string::npos;
      if (contains && e.kmer.size() > overlap->kmer.size() &&
          e.specificity >= 0.8 * overlap->specificity) {
        e.rank = overlap->rank;
        *overlap = std::move(e);
      }
      continue;
    }
    if (taken >= options.kmers_per_cell) continue;
    e.rank = taken + 1;
    out.push_back(std::move(e));
  }
  return out;
}

std::string FormatCellSpecificKmers(const std::vector<CellSpecificKmer>& kmers) {
  std::string out =
      "Cell-specific k-mers (label enrichment confined to one training cell line; both strands; "
      "top 3 per cell line, the rest in audit.json)\n";
  if (kmers.empty()) return out + "  none (no k-mer with z >= 4 in one training cell line and "
                                  "specificity >= 3)\n";
  char line[320];
  std::snprintf(line, sizeof line, "  %-10s %4s %-12s %11s %11s %9s %7s %14s %11s  %s\n",
                "cell_line", "rank", "kmer", "pos_with", "neg_with", "log_odds", "z",
                "max_z_elsewhere", "specificity", "presence elsewhere (min..max)");
  out += line;
  for (const CellSpecificKmer& e : kmers) {
    if (e.rank > 3) continue;
    double lo = 1, hi = 0;
    for (const auto& w : e.elsewhere) lo = std::min(lo, w.presence), hi = std::max(hi, w.presence);
    char pos[32], neg[32], other[48], presence[48];
    std::snprintf(pos, sizeof pos, "%ld/%ld", e.positives_with, e.positives);
    std::snprintf(neg, sizeof neg, "%ld/%ld", e.negatives_with, e.negatives);
    std::snprintf(other, sizeof other, "%.1f%s%s%s", e.max_other_z,
                  e.max_other_cell.empty() ? "" : " (", e.max_other_cell.c_str(),
                  e.max_other_cell.empty() ? "" : ")");
    if (e.elsewhere.empty()) std::snprintf(presence, sizeof presence, "n/a");
    else std::snprintf(presence, sizeof presence, "%.1f%%..%.1f%%", 100 * lo, 100 * hi);
    std::snprintf(line, sizeof line, "  %-10s %4d %-12s %11s %11s %9.2f %7.1f %14s %11.1f  %s\n",
                  e.cell_line.c_str(), e.rank, e.kmer.c_str(), pos, neg, e.log_odds, e.z, other,
                  e.specificity, presence);
    out += line;
  }
  return out;
}

Json CellSpecificKmersJson(const std::vector<CellSpecificKmer>& kmers) {
  Json out = Json::array();
  for (const CellSpecificKmer& e : kmers) {
    Json elsewhere = Json::array();
    for (const auto& w : e.elsewhere)
      elsewhere.push_back({{"cell_line", w.cell_line}, {"split", w.split},
                           {"presence", JsonNumber(w.presence)}, {"z", JsonNumber(w.z)}});
    out.push_back({{"kmer", e.kmer}, {"k", e.kmer.size()}, {"cell_line", e.cell_line},
                   {"rank", e.rank}, {"positives", e.positives},
                   {"positives_with", e.positives_with}, {"negatives", e.negatives},
                   {"negatives_with", e.negatives_with}, {"log_odds", JsonNumber(e.log_odds)},
                   {"z", JsonNumber(e.z)}, {"max_other_z", JsonNumber(e.max_other_z)},
                   {"max_other_cell", e.max_other_cell},
                   {"specificity", JsonNumber(e.specificity)}, {"elsewhere", elsewhere}});
  }
  return out;
}

}  // namespace prism::audit
