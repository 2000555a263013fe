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
                          double gc, const std::string& kmer, Rng& rng) {
  std::string seq(layout.length, 'N');
  for (char& c : seq) c = rng.Base(gc);
  for (size_t k = 0; k < layout.motifs.ids.size(); ++k) {
    const std::string inst = SampleMotifInstance(motifs[layout.motifs.ids[k]], rng);
    seq.replace(layout.starts[k], inst.size(), inst);
  }
  if (!kmer.empty()) {
    PRISM_CHECK(layout.shortcut_start >= 0, "no slot reserved for the shortcut k-mer");
    seq.replace(layout.shortcut_start, kmer.size(), kmer);
  }
  return seq;
}

}  // namespace prism::sim
