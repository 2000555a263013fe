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
                          double gc, const std::string& kmer, Rng& rng, int max_mismatches) {
  std::string seq(layout.length, 'N');
  for (char& c : seq) c = rng.Base(gc);
  std::vector<char> fixed(seq.size(), 0);  // planted bases (instances, shortcut k-mer)
  for (size_t k = 0; k < layout.motifs.ids.size(); ++k) {
    const std::string inst =
        SampleMotifInstance(motifs[layout.motifs.ids[k]], rng, max_mismatches);
    seq.replace(layout.starts[k], inst.size(), inst);
    std::fill_n(fixed.begin() + layout.starts[k], inst.size(), 1);
  }
  if (!kmer.empty()) {
    PRISM_CHECK(layout.shortcut_start >= 0, "no slot reserved for the shortcut k-mer");
    seq.replace(layout.shortcut_start, kmer.size(), kmer);
    std::fill_n(fixed.begin() + layout.shortcut_start, kmer.size(), 1);
  }
  if (max_mismatches < 0) return seq;
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
    if (!changed) return seq;
  }
}

}  // namespace prism::sim
