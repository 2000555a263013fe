// The shortcut mask (prism/shortcut_mask.h): the audit's cell-specific k-mers of the training
// split, replaced by random bases in the enhancers of the cell line they are confined to.
#include "prism/shortcut_mask.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <map>
#include <memory>
#include <set>

#include "audit/audit_parts.h"
#include "prism/error.h"
#include "prism/kmer_scan.h"

namespace prism {
namespace {

uint64_t SplitMix(uint64_t* s) {
  uint64_t z = (*s += 0x9E3779B97F4A7C15ULL);
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}

uint64_t HashName(const std::string& s, uint64_t seed) {
  uint64_t h = 1469598103934665603ULL ^ seed;
  for (unsigned char c : s) h = (h ^ c) * 1099511628211ULL;
  return h;
}

}  // namespace

KmerPresenceModel::KmerPresenceModel(const std::vector<const std::string*>& seqs) : seqs_(seqs) {
  for (const std::string* s : seqs)
    ScanKmers(*s, 3, [](int, int) {}, [&](uint32_t code) {
      tri_[code] += 1;
      di_[code >> 2] += 1;
      total_ += 1;
    });
}

double KmerPresenceModel::Z(const std::string& kmer) const {
  std::string fwd(kmer);
  for (char& c : fwd) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string rev = ReverseComplementBases(fwd);
  auto probability = [&](const std::string& k) {
    if (k.size() < 3 || total_ == 0) return 0.0;
    const int a = BaseCode(k[0]), b = BaseCode(k[1]);
    if (a < 0 || b < 0) return 0.0;
    double p = di_[a * 4 + b] / total_;
    for (size_t i = 0; i + 3 <= k.size(); ++i) {
      const int x = BaseCode(k[i]), y = BaseCode(k[i + 1]), z = BaseCode(k[i + 2]);
      if (x < 0 || y < 0 || z < 0) return 0.0;
      p *= tri_[x * 16 + y * 4 + z] / std::max(1.0, di_[x * 4 + y]);
    }
    return p;
  };
  const double q = probability(fwd) + (rev == fwd ? 0.0 : probability(rev));
  const size_t k = fwd.size();
  // The k-mer's canonical 2-bit code (either strand); a k-mer with another byte never matches.
  uint32_t target = 0;
  bool codable = k >= 1 && k <= 16;
  for (char c : fwd) codable = codable && BaseCode(c) >= 0;
  if (codable) ScanCanonicalKmers(fwd, static_cast<int>(k), [&](uint32_t code) { target = code; });
  double expected = 0, observed = 0;
  for (const std::string* s : seqs_) {
    if (s->size() >= k) expected += 1 - std::exp(-static_cast<double>(s->size() - k + 1) * q);
    bool holds = false;
    if (codable)
      ScanCanonicalKmers(*s, static_cast<int>(k), [&](uint32_t code) { holds = holds || code == target; });
    if (holds) observed += 1;
  }
  const double n = static_cast<double>(seqs_.size());
  if (n == 0) return 0;
  const double e = expected / n;
  if (e <= 0 || e >= 1) return 0;
  return (observed - expected) / std::sqrt(n * e * (1 - e));
}

double KmerPresenceZ(const std::vector<const std::string*>& seqs, const std::string& kmer) {
  return KmerPresenceModel(seqs).Z(kmer);
}

long MaskKmer(std::string* seq, const std::string& kmer, uint64_t* rng_state) {
  PRISM_CHECK(!kmer.empty(), "MaskKmer: empty k-mer");
  std::string upper(kmer);
  for (char& c : upper) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  const std::string rc = ReverseComplementBases(upper);
  std::string& s = *seq;
  const size_t k = upper.size();
  if (s.size() < k) return 0;
  // Find every start first (on the unedited sequence), then overwrite: overlapping occurrences
  // are all replaced and a replacement cannot create a match that is then counted.
  std::vector<size_t> starts;
  for (size_t i = 0; i + k <= s.size(); ++i) {
    bool fwd = true, rev = true;
    for (size_t j = 0; j < k && (fwd || rev); ++j) {
      const char c = static_cast<char>(std::toupper(static_cast<unsigned char>(s[i + j])));
      fwd = fwd && c == upper[j];
      rev = rev && c == rc[j];
    }
    if (fwd || rev) starts.push_back(i);
  }
  static const char kBases[] = "ACGT";
  for (size_t i : starts)
    for (size_t j = 0; j < k; ++j) s[i + j] = kBases[SplitMix(rng_state) & 3];
  return static_cast<long>(starts.size());
}

namespace {

/// The mask itself: the cell-specific k-mers of `split`'s cell lines (compared among all of them),
/// masked in the enhancers of the cell line each is confined to; with `only`, only k-mers of
/// those cell lines are taken.
ShortcutMaskResult MaskSplit(SequenceSplit* split, const ShortcutMaskOptions& options,
                             const std::set<std::string>* only) {
  PRISM_CHECK(options.per_cell >= 0, "shortcut mask: per_cell must be >= 0");
  ShortcutMaskResult out;
  std::set<std::string> cells;
  for (const auto& p : split->pairs) cells.insert(p.cell_line);
  out.training_cells = static_cast<long>(cells.size());
  if (cells.size() < 2 || options.per_cell == 0) return out;
  audit::AuditSide side;
  side.name = "train";
  side.seqs = &split->seqs;
  for (const auto& p : split->pairs) side.pairs.push_back(&p);
  const auto found = audit::CellSpecificKmers(side, {}, options.audit);
  // The enhancers of each cell line, in a fixed order (the pairs' order).
  std::map<std::string, std::vector<std::string>> enhancers_of;
  std::set<std::pair<std::string, std::string>> seen;
  for (const auto& p : split->pairs)
    if (seen.emplace(p.cell_line, p.enhancer).second) enhancers_of[p.cell_line].push_back(p.enhancer);
  // Each cell line's presence model, built on the first candidate that needs it.
  std::map<std::string, std::unique_ptr<KmerPresenceModel>> presence;
  auto presence_of = [&](const std::string& cell) -> const KmerPresenceModel& {
    std::unique_ptr<KmerPresenceModel>& m = presence[cell];
    if (!m) {
      std::vector<const std::string*> seqs;
      for (const auto& name : enhancers_of[cell]) {
        auto it = split->seqs.enhancers.find(name);
        if (it != split->seqs.enhancers.end()) seqs.push_back(&it->second);
      }
      m = std::make_unique<KmerPresenceModel>(seqs);
    }
    return *m;
  };
  std::map<std::string, int> taken;
  for (const auto& e : found) {
    if (e.specificity < options.min_specificity) continue;
    if (only != nullptr && only->count(e.cell_line) == 0) continue;
    if (taken[e.cell_line] >= options.per_cell) continue;
    if (options.spare_min_z > 0) {
      SparedKmer s{e, 0, 0};
      for (const auto& [cell, names] : enhancers_of) {
        if (cell == e.cell_line) continue;
        ++s.other_cells;
        if (presence_of(cell).Z(e.kmer) >= options.spare_min_z) ++s.present_in;
      }
      if (2 * s.present_in > s.other_cells) {
        out.spared.push_back(std::move(s));
        continue;
      }
    }
    ++taken[e.cell_line];
    out.masked.push_back(e);
  }
  if (out.masked.empty()) return out;
  std::set<std::string> edited;
  for (const auto& e : out.masked) {
    for (const auto& name : enhancers_of[e.cell_line]) {
      auto it = split->seqs.enhancers.find(name);
      if (it == split->seqs.enhancers.end()) continue;
      uint64_t rng = HashName(name + "\t" + e.kmer, options.seed);
      const long n = MaskKmer(&it->second, e.kmer, &rng);
      if (n > 0) {
        out.occurrences += n;
        edited.insert(name);
      }
    }
  }
  out.enhancers_edited = static_cast<long>(edited.size());
  return out;
}

}  // namespace

ShortcutMaskResult MaskShortcutKmers(SequenceSplit* train, const ShortcutMaskOptions& options) {
  return MaskSplit(train, options, nullptr);
}

ShortcutMaskResult MaskValShortcutKmers(const SequenceSplit& train, SequenceSplit* val,
                                        const ShortcutMaskOptions& options) {
  // One split of both, the validation elements under names of their own (a val element may share
  // its name with a training one); the k-mers are found among all cell lines and masked in the
  // validation cell lines' enhancers only, which are then copied back.
  static const std::string kTag = "val\x1f";
  SequenceSplit both;
  both.pairs = train.pairs;
  both.seqs = train.seqs;
  std::set<std::string> val_cells;
  for (const auto& p : val->pairs) {
    Pair q = p;
    q.enhancer = kTag + p.enhancer;
    q.promoter = kTag + p.promoter;
    both.pairs.push_back(std::move(q));
    val_cells.insert(p.cell_line);
  }
  for (const auto& [name, seq] : val->seqs.enhancers) both.seqs.enhancers[kTag + name] = seq;
  for (const auto& [name, seq] : val->seqs.promoters) both.seqs.promoters[kTag + name] = seq;
  ShortcutMaskResult out = MaskSplit(&both, options, &val_cells);
  out.training_cells = static_cast<long>(val_cells.size());
  for (auto& [name, seq] : val->seqs.enhancers) seq = both.seqs.enhancers.at(kTag + name);
  return out;
}

}  // namespace prism
