// seq/kmer_intervention.cpp - the sequence edits of the shortcut-reliance measurement
// (prism/shortcut_reliance.h): plant a k-mer, scramble its occurrences, and their controls.
#include <algorithm>

#include "prism/error.h"
#include "prism/shortcut_reliance.h"

namespace prism {
namespace {

char RandomBase(std::mt19937_64& rng) {
  static const char kBases[] = "ACGT";
  return kBases[rng() & 3];
}

size_t Uniform(std::mt19937_64& rng, size_t n) { return static_cast<size_t>(rng() % n); }

/// Whether [pos, pos + k) overlaps any occurrence [o, o + len).
bool Overlaps(size_t pos, size_t k, const std::vector<size_t>& occ, size_t len) {
  for (size_t o : occ)
    if (pos < o + len && o < pos + k) return true;
  return false;
}

}  // namespace

std::vector<size_t> KmerOccurrences(std::string_view seq, std::string_view kmer) {
  std::vector<size_t> out;
  if (kmer.empty() || seq.size() < kmer.size()) return out;
  const std::string rc = ReverseComplementBases(kmer);
  for (size_t i = 0; i + kmer.size() <= seq.size(); ++i) {
    const std::string_view w = seq.substr(i, kmer.size());
    if (w == kmer || w == rc) out.push_back(i);
  }
  return out;
}

bool HoldsKmer(std::string_view seq, std::string_view kmer) {
  if (kmer.empty()) return false;
  return seq.find(kmer) != std::string_view::npos ||
         seq.find(ReverseComplementBases(kmer)) != std::string_view::npos;
}

size_t PlantKmer(std::string* seq, std::string_view kmer, std::mt19937_64& rng) {
  PRISM_CHECK(!kmer.empty() && seq->size() >= kmer.size(), "cannot plant a ", kmer.size(),
              "-mer into a sequence of ", seq->size(), " bases");
  const std::string strand = (rng() & 1) ? ReverseComplementBases(kmer) : std::string(kmer);
  const size_t pos = Uniform(rng, seq->size() - kmer.size() + 1);
  seq->replace(pos, kmer.size(), strand);
  return pos;
}

int ScrambleKmer(std::string* seq, std::string_view kmer, std::mt19937_64& rng) {
  const int first = static_cast<int>(KmerOccurrences(*seq, kmer).size());
  // Random bases can recreate the k-mer (or a new occurrence across a window's edge): repeat.
  for (int round = 0; round < 1000; ++round) {
    const auto occ = KmerOccurrences(*seq, kmer);
    if (occ.empty()) return first;
    for (size_t o : occ)
      for (size_t i = 0; i < kmer.size(); ++i) (*seq)[o + i] = RandomBase(rng);
  }
  throw Error("could not remove '" + std::string(kmer) + "' from a sequence in 1000 rounds");
}

int ScrambleRandomWindows(std::string* seq, size_t k, int count, std::string_view avoid,
                          std::mt19937_64& rng) {
  if (k == 0 || seq->size() < k) return 0;
  int done = 0;
  for (int w = 0; w < count; ++w) {
    const auto occ = KmerOccurrences(*seq, avoid);
    for (int attempt = 0; attempt < 100; ++attempt) {
      const size_t pos = Uniform(rng, seq->size() - k + 1);
      if (Overlaps(pos, k, occ, avoid.size())) continue;
      for (size_t i = 0; i < k; ++i) (*seq)[pos + i] = RandomBase(rng);
      ++done;
      break;
    }
  }
  return done;
}

std::string MatchedControlKmer(std::string_view kmer, const std::vector<std::string>& exclude,
                               std::mt19937_64& rng) {
  PRISM_CHECK(!kmer.empty(), "matched control of an empty k-mer");
  size_t gc = 0;
  for (char c : kmer) gc += c == 'G' || c == 'C';
  auto excluded = [&](const std::string& s) {
    const std::string rc = ReverseComplementBases(s);
    if (s == kmer || rc == kmer) return true;
    for (const auto& e : exclude)
      if (e == s || e == rc) return true;
    return false;
  };
  for (int attempt = 0; attempt < 10000; ++attempt) {
    // gc positions of the k-mer's length get G/C, the rest A/T, in a random order.
    std::string s(kmer.size(), 'A');
    for (size_t i = 0; i < s.size(); ++i)
      s[i] = i < gc ? ((rng() & 1) ? 'G' : 'C') : ((rng() & 1) ? 'A' : 'T');
    for (size_t i = s.size(); i > 1; --i) std::swap(s[i - 1], s[Uniform(rng, i)]);
    if (!excluded(s)) return s;
  }
  throw Error("no matched control k-mer for '" + std::string(kmer) + "'");
}

}  // namespace prism
