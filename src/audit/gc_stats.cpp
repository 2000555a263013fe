// GC content by label per split and cell line, and how well GC alone ranks the pairs.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <map>
#include <unordered_map>

#include "audit/audit_parts.h"
#include "prism/covariate_balance.h"
#include "prism/metric.h"

namespace prism::audit {
namespace {

/// AUPR(GC) or AUPR(GC-poor) must exceed the positive rate by more than this, and |diff| exceed
/// kGcDiffMin, for the confounding note.
constexpr double kGcAuprMargin = 0.1;
constexpr double kGcDiffMin = 0.01;

/// Base counts of named sequences, each counted once.
class BaseCountCache {
 public:
  explicit BaseCountCache(const std::unordered_map<std::string, std::string>& seqs)
      : seqs_(seqs) {}
  /// False when the name has no sequence.
  bool Get(const std::string& name, GcCount* out) {
    auto hit = cache_.find(name);
    if (hit == cache_.end()) {
      auto it = seqs_.find(name);
      if (it == seqs_.end()) return false;
      hit = cache_.emplace(name, CountGc(it->second)).first;
    }
    *out = hit->second;
    return true;
  }

 private:
  const std::unordered_map<std::string, std::string>& seqs_;
  std::unordered_map<std::string, GcCount> cache_;
};

std::string Fmt(const char* fmt, double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, fmt, v);
  return buf;
}

}  // namespace

std::vector<GcStats> GcByLabel(const std::string& split, const std::vector<const Pair*>& pairs,
                               const SequenceSet& seqs) {
  BaseCountCache enhancers(seqs.enhancers), promoters(seqs.promoters);
  std::map<std::string, std::pair<std::vector<int>, std::vector<double>>> by_cell;  // y, GC
  for (const Pair* p : pairs) {
    GcCount e, q;
    if (!enhancers.Get(p->enhancer, &e) || !promoters.Get(p->promoter, &q)) continue;
    const double pair_gc = PairGcFraction(e, q);
    if (!std::isfinite(pair_gc)) continue;
    auto& [y, gc] = by_cell[p->cell_line];
    y.push_back(p->label != 0);
    gc.push_back(pair_gc);
  }
  std::vector<GcStats> out;
  for (const auto& [cell, yx] : by_cell) {
    const auto& [y, gc] = yx;
    GcStats s;
    s.split = split;
    s.cell_line = cell;
    double pos_sum = 0, neg_sum = 0;
    for (size_t i = 0; i < y.size(); ++i) {
      if (y[i]) {
        ++s.positives;
        pos_sum += gc[i];
      } else {
        ++s.negatives;
        neg_sum += gc[i];
      }
    }
    if (s.positives) s.pos_mean_gc = pos_sum / static_cast<double>(s.positives);
    if (s.negatives) s.neg_mean_gc = neg_sum / static_cast<double>(s.negatives);
    s.diff = s.pos_mean_gc - s.neg_mean_gc;  // NaN when a class is absent
    s.aupr_gc = metric::AveragePrecision(y, gc);
    std::vector<double> poor(gc.size());
    for (size_t i = 0; i < gc.size(); ++i) poor[i] = -gc[i];
    s.aupr_gc_poor = metric::AveragePrecision(y, poor);
    s.positive_rate = static_cast<double>(s.positives) / static_cast<double>(y.size());
    out.push_back(s);
  }
  return out;
}

std::string GcConfoundingNote(const std::vector<GcStats>& gc) {
  std::string cells;
  bool poorer = false;  // some flagged cell line has GC-poorer positives
  for (const GcStats& s : gc) {
    if (s.split != "train") continue;
    // NaN (one class absent) compares false: no verdict.
    const double best = std::max(s.aupr_gc, s.aupr_gc_poor);
    if (!(best - s.positive_rate > kGcAuprMargin && std::fabs(s.diff) > kGcDiffMin)) continue;
    cells += (cells.empty() ? "" : ", ") + s.cell_line;
    poorer = poorer || s.diff < 0;
  }
  if (cells.empty()) return "";
  return "GC content separates the labels in the training cell lines " + cells +
         " (AUPR(GC) or AUPR(GC-poor) > pos_rate + " + Fmt("%.1f", kGcAuprMargin) +
         ", |diff| > " + Fmt("%.2f", kGcDiffMin) + "): a sequence model can learn " +
         (poorer ? "GC content as a label shortcut" : "\"GC-rich = interacting\"") +
         "; train.balance = \"gc_elements\" (the default) reweights it away";
}

}  // namespace prism::audit
