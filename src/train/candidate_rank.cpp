// train/candidate_rank.cpp - see candidate_rank.h.
#include "train/candidate_rank.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <string>
#include <utility>

namespace prism::train {
namespace {

/// For one side (`by_enhancer`: group a pair by its cell line and enhancer, its partner is the
/// promoter; else the other way round): column `col` of `out` gets log1p of the number of
/// distinct partners in the pair's group strictly nearer than the pair's own partner.
void CountNearer(const std::vector<Pair>& pairs, bool by_enhancer, size_t col,
                 std::vector<float>* out) {
  // group -> partner -> its smallest |distance| in the group (a pair listed twice, e.g. by two
  // assays of one cell line, is one candidate).
  std::map<std::pair<std::string, std::string>, std::map<std::string, double>> groups;
  auto key = [&](const Pair& p) {
    return std::make_pair(p.cell_line, by_enhancer ? p.enhancer : p.promoter);
  };
  for (const auto& p : pairs) {
    if (!std::isfinite(p.distance)) continue;
    auto& partners = groups[key(p)];
    const std::string& partner = by_enhancer ? p.promoter : p.enhancer;
    const double d = std::abs(p.distance);
    auto [it, inserted] = partners.emplace(partner, d);
    if (!inserted) it->second = std::min(it->second, d);
  }
  std::map<std::pair<std::string, std::string>, std::vector<double>> sorted;
  for (const auto& [g, partners] : groups) {
    auto& v = sorted[g];
    for (const auto& [name, d] : partners) v.push_back(d);
    std::sort(v.begin(), v.end());
  }
  for (size_t i = 0; i < pairs.size(); ++i) {
    const Pair& p = pairs[i];
    float value = 0.0f;
    if (std::isfinite(p.distance)) {
      const auto& v = sorted.at(key(p));
      const auto nearer = std::lower_bound(v.begin(), v.end(), std::abs(p.distance)) - v.begin();
      value = static_cast<float>(std::log1p(static_cast<double>(nearer)));
    }
    (*out)[i * 2 + col] = value;
  }
}

}  // namespace

std::vector<float> CandidateRankColumns(const std::vector<Pair>& pairs) {
  std::vector<float> out(pairs.size() * 2, 0.0f);
  CountNearer(pairs, /*by_enhancer=*/true, 0, &out);
  CountNearer(pairs, /*by_enhancer=*/false, 1, &out);
  return out;
}

}  // namespace prism::train
