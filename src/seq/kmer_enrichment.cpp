// seq/kmer_enrichment.cpp - over-represented k-mers against a first-order Markov background.
#include "prism/kmer_enrichment.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <limits>
#include <string_view>
#include <string>
#include <unordered_map>

#include "prism/error.h"
#include "prism/kmer_scan.h"

namespace prism {

namespace {

// Mismatches between a and b over a's positions [shift, k) against b's [0, k - shift).
int OverlapMismatches(const std::string& a, const std::string& b, int shift) {
  int mm = 0;
  const int k = static_cast<int>(a.size());
  for (int i = shift; i < k; ++i) mm += a[static_cast<size_t>(i)] != b[static_cast<size_t>(i - shift)];
  return mm;
}

bool IsVariant(const std::string& cand, const std::string& taken) {
  const int k = static_cast<int>(cand.size());
  if (OverlapMismatches(cand, taken, 0) <= 1) return true;
  for (int s = 1; s <= 3; ++s) {
    const int allowed = k - s >= 6 ? 1 : 0;  // a shifted window of a one-mismatch instance
    if (OverlapMismatches(cand, taken, s) <= allowed ||
        OverlapMismatches(taken, cand, s) <= allowed)
      return true;
  }
  return false;
}

// Counts of the given k-mer codes per group (and each group's number of windows).
void CountPerGroup(const std::vector<std::string_view>& seqs, const std::vector<int>& groups,
                   int k, const std::unordered_map<uint32_t, size_t>& index,
                   std::vector<std::vector<double>>* counts, std::vector<double>* windows) {
  for (size_t i = 0; i < seqs.size(); ++i) {
    const auto g = static_cast<size_t>(groups[i]);
    ScanKmers(seqs[i], k, [](int, int) {}, [&](uint32_t code) {
      (*windows)[g] += 1;
      auto it = index.find(code);
      if (it != index.end()) (*counts)[g][it->second] += 1;
    });
  }
}

}  // namespace

std::vector<EnrichedKmer> FindEnrichedKmers(const std::vector<std::string_view>& seqs,
                                            const EnrichmentOptions& opt,
                                            std::vector<EnrichedKmer>* group_specific) {
  PRISM_CHECK(opt.k >= 6 && opt.k <= 12, "k-mer enrichment: k must be in 6..12, got ", opt.k);
  const bool grouped = !opt.groups.empty();
  PRISM_CHECK(!grouped || opt.groups.size() == seqs.size(), "k-mer enrichment: ",
              opt.groups.size(), " group ids for ", seqs.size(), " sequences");
  size_t num_groups = 0;
  for (int g : opt.groups) {
    PRISM_CHECK(g >= 0, "k-mer enrichment: negative group id ", g);
    num_groups = std::max(num_groups, static_cast<size_t>(g) + 1);
  }
  const int k = opt.k;
  const uint32_t mask = (uint32_t{1} << (2 * k)) - 1;
  std::vector<uint32_t> counts(size_t{1} << (2 * k), 0);
  std::array<double, 4> mono{};
  std::array<std::array<double, 4>, 4> di{};
  double windows = 0;
  for (std::string_view s : seqs) {
    ScanKmers(
        s, k,
        [&](int prev, int b) {
          mono[static_cast<size_t>(b)] += 1;
          if (prev >= 0) di[static_cast<size_t>(prev)][static_cast<size_t>(b)] += 1;
        },
        [&](uint32_t code) {
          ++counts[code];
          windows += 1;
        });
  }
  std::vector<EnrichedKmer> out;
  double total = mono[0] + mono[1] + mono[2] + mono[3];
  if (windows == 0 || total == 0) return out;
  // Background: P(first base) and P(next | previous), with +1 pseudo-counts.
  std::array<double, 4> p1{};
  std::array<std::array<double, 4>, 4> trans{};
  for (size_t a = 0; a < 4; ++a) {
    p1[a] = (mono[a] + 1) / (total + 4);
    double row = di[a][0] + di[a][1] + di[a][2] + di[a][3];
    for (size_t b = 0; b < 4; ++b) trans[a][b] = (di[a][b] + 1) / (row + 4);
  }
  struct Cand {
    uint32_t code;
    double obs, exp, z;
  };
  std::vector<Cand> cands;
  for (uint32_t code = 0; code <= mask; ++code) {
    if (counts[code] == 0) continue;
    double p = p1[(code >> (2 * (k - 1))) & 3];
    for (int i = k - 2; i >= 0; --i)
      p *= trans[(code >> (2 * (i + 1))) & 3][(code >> (2 * i)) & 3];
    const double e = windows * p;
    const double z = (counts[code] - e) / std::sqrt(e);
    if (z >= opt.min_z) cands.push_back({code, static_cast<double>(counts[code]), e, z});
  }
  std::sort(cands.begin(), cands.end(), [](const Cand& a, const Cand& b) {
    return a.z != b.z ? a.z > b.z : a.code < b.code;
  });
  std::vector<std::vector<double>> group_counts;
  std::vector<double> group_windows;
  if (grouped) {
    std::unordered_map<uint32_t, size_t> index;
    for (size_t i = 0; i < cands.size(); ++i) index.emplace(cands[i].code, i);
    group_counts.assign(num_groups, std::vector<double>(cands.size(), 0.0));
    group_windows.assign(num_groups, 0.0);
    CountPerGroup(seqs, opt.groups, k, index, &group_counts, &group_windows);
  }
  std::vector<EnrichedKmer> rejected;
  for (size_t i = 0; i < cands.size(); ++i) {
    const auto& c = cands[i];
    if (out.size() >= opt.max_kmers) break;
    EnrichedKmer e{DecodeKmer(c.code, k), c.obs, c.exp, c.z, 0.0, ""};
    bool variant = false;
    for (const auto& t : out) variant = variant || IsVariant(e.kmer, t.kmer);
    if (variant) continue;
    if (grouped) {
      e.min_group_z = std::numeric_limits<double>::infinity();
      for (size_t g = 0; g < num_groups; ++g) {
        if (group_windows[g] == 0) continue;  // a group without sequences says nothing
        const double eg = c.exp / windows * group_windows[g];
        const double zg = (group_counts[g][i] - eg) / std::sqrt(eg);
        if (zg < e.min_group_z) {
          e.min_group_z = zg;
          e.weakest_group = g < opt.group_names.size() ? opt.group_names[g] : std::to_string(g);
        }
      }
      if (e.min_group_z < opt.min_group_z) {
        bool listed = false;
        for (const auto& t : rejected) listed = listed || IsVariant(e.kmer, t.kmer);
        if (!listed && rejected.size() < opt.max_kmers) rejected.push_back(std::move(e));
        continue;
      }
    }
    out.push_back(std::move(e));
  }
  if (group_specific) *group_specific = std::move(rejected);
  return out;
}

}  // namespace prism
