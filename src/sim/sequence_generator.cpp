// Sequences: random background with planted motif instances and the optional shortcut k-mer.
#include <algorithm>

#include "prism/error.h"
#include "sim/generative_model.h"

namespace prism::sim {
namespace {

bool Overlaps(const std::vector<std::pair<int, int>>& used, int start, int len) {
  for (const auto& [s, l] : used)
    if (start < s + l && s < start + len) return true;
  return false;
}

int PlaceOne(std::vector<std::pair<int, int>>& used, int length, int len, Rng& rng) {
  if (len > length) return -1;
  for (int tries = 0; tries < 64; ++tries) {
    const int start = rng.UniformInt(length - len + 1);
    if (!Overlaps(used, start, len)) {
      used.emplace_back(start, len);
      return start;
    }
  }
  return -1;
}

std::string ReverseComplement(const std::string& s) {
  std::string out(s.rbegin(), s.rend());
  for (char& c : out) c = c == 'A' ? 'T' : c == 'C' ? 'G' : c == 'G' ? 'C' : c == 'T' ? 'A' : c;
  return out;
}

// CpG islands (promoters): a CpG written at a position with probability cpg_rate; then CpG
// depletion (enhancers): each CpG mutated to TpG or CpA with probability cpg_depletion.
void ShapeCpg(std::string& seq, const RenderStyle& style, Rng& rng) {
  const size_t n = seq.size();
  if (style.cpg_rate > 0)
    for (size_t i = 0; i + 1 < n; ++i)
      if (rng.Uniform() < style.cpg_rate) {
        seq[i] = 'C';
        seq[i + 1] = 'G';
      }
  if (style.cpg_depletion > 0)
    for (size_t i = 0; i + 1 < n; ++i)
      if (seq[i] == 'C' && seq[i + 1] == 'G' && rng.Uniform() < style.cpg_depletion)
        (rng.Uniform() < 0.5 ? seq[i] = 'T' : seq[i + 1] = 'A');
}

}  // namespace

ElementLayout PlaceElement(int length, const std::vector<int>& motif_ids,
                           const std::vector<Motif>& motifs, int kmer_length, Rng& rng) {
  ElementLayout layout;
  layout.length = length;
  std::vector<std::pair<int, int>> used;
  if (kmer_length > 0) layout.shortcut_start = PlaceOne(used, length, kmer_length, rng);
  for (int id : motif_ids) {
    const int start = PlaceOne(used, length, motifs[id].length(), rng);
    if (start < 0) continue;
    layout.motifs.Add(id);
    layout.starts.push_back(start);
  }
  return layout;
}

std::string RenderElement(const ElementLayout& layout, const std::vector<Motif>& motifs,
                          double gc, const std::string& kmer, Rng& rng, int max_mismatches,
                          const RenderStyle& style) {
  std::string seq(layout.length, 'N');
  for (char& c : seq) c = rng.Base(gc);
  ShapeCpg(seq, style, rng);
  std::vector<char> fixed(seq.size(), 0);  // planted bases (instances, shortcut k-mer)
  for (size_t k = 0; k < layout.motifs.ids.size(); ++k) {
    std::string inst = SampleMotifInstance(motifs[layout.motifs.ids[k]], rng, max_mismatches);
    if (style.random_strand && rng.Uniform() < 0.5) inst = ReverseComplement(inst);
    seq.replace(layout.starts[k], inst.size(), inst);
    std::fill_n(fixed.begin() + layout.starts[k], inst.size(), 1);
  }
  if (!kmer.empty()) {
    PRISM_CHECK(layout.shortcut_start >= 0, "no slot reserved for the shortcut k-mer");
    seq.replace(layout.shortcut_start, kmer.size(), kmer);
    std::fill_n(fixed.begin() + layout.shortcut_start, kmer.size(), 1);
  }
  // Rare N bases in the background, last (they break no planted site).
  auto add_ns = [&] {
    if (style.n_rate > 0)
      for (size_t i = 0; i < seq.size(); ++i)
        if (!fixed[i] && rng.Uniform() < style.n_rate) seq[i] = 'N';
    return seq;
  };
  if (max_mismatches < 0) return add_ns();
  // Clean: any window within max_mismatches of a motif that is not one of the planted instances
  // gets its background bases redrawn; repeat until a full pass finds none. A window that its
  // planted bases alone keep within max_mismatches (two adjacent instances) cannot be cleared and
  // is left (motifs are chosen well separated, so this is rare and is not a motif the grammar
  // counts).
  auto planted_at = [&](int start, int id) {
    for (size_t k = 0; k < layout.starts.size(); ++k)
      if (layout.starts[k] == start && layout.motifs.ids[k] == id) return true;
    return false;
  };
  const int n = static_cast<int>(seq.size());
  for (int pass = 0;; ++pass) {
    PRISM_CHECK(pass < 1000, "simulator: could not clear spurious motif matches from an element");
    bool changed = false;
    for (size_t id = 0; id < motifs.size(); ++id) {
      const std::string& cons = motifs[id].consensus;
      const int len = static_cast<int>(cons.size());
      for (int s = 0; s + len <= n; ++s) {
        if (Mismatches(seq.data() + s, cons, max_mismatches) > max_mismatches) continue;
        if (planted_at(s, static_cast<int>(id))) continue;
        // A window whose planted bases alone keep it within max_mismatches whatever its
        // background bases are (e.g. 9 of 10 bases from an adjacent instance that happen to
        // agree with this consensus) cannot be cleared: it is left, like an all-planted window.
        int fixed_mismatches = 0, free_bases = 0;
        for (int i = s; i < s + len; ++i) {
          if (fixed[i]) fixed_mismatches += seq[i] != cons[i - s];
          else ++free_bases;
        }
        if (fixed_mismatches + free_bases <= max_mismatches) continue;
        for (int i = s; i < s + len; ++i)
          if (!fixed[i]) {
            seq[i] = rng.Base(gc);
            changed = true;
          }
      }
    }
    if (!changed) return add_ns();
  }
}

}  // namespace prism::sim
