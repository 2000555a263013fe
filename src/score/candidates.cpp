#include "prism/candidates.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <tuple>
#include <unordered_map>

#include "prism/error.h"

namespace prism {
namespace {

long Centre2(const BedElement& e) { return e.start + e.end; }

bool ElementLess(const std::vector<BedElement>& v, uint32_t a, uint32_t b) {
  return std::tie(v[a].start, v[a].end, v[a].name, a) < std::tie(v[b].start, v[b].end, v[b].name, b);
}

}  // namespace

CandidateSet::CandidateSet(std::vector<BedElement> enhancers, std::vector<BedElement> promoters,
                           const std::vector<std::string>& chrom_order, long min_distance,
                           long max_distance)
    : enhancers_(std::move(enhancers)), promoters_(std::move(promoters)) {
  if (min_distance < 0 || max_distance < min_distance)
    Fatal("distance window: need 0 <= --min-distance <= --max-distance, got [", min_distance,
          ", ", max_distance, "]");
  if (enhancers_.size() >= std::numeric_limits<uint32_t>::max() ||
      promoters_.size() >= std::numeric_limits<uint32_t>::max())
    Fatal("too many elements (at most 2^32 - 1 enhancers and promoters)");
  min2_ = 2 * min_distance;
  max2_ = 2 * max_distance;
  std::unordered_map<std::string, int> rank;
  for (size_t i = 0; i < chrom_order.size(); ++i) rank.emplace(chrom_order[i], static_cast<int>(i));
  auto rank_of = [&](const BedElement& e) {
    auto it = rank.find(e.chrom);
    if (it == rank.end()) Fatal("chromosome '", e.chrom, "' of element ", e.name, " is unknown");
    return it->second;
  };
  by_centre_.resize(chrom_order.size());
  centres2_.resize(chrom_order.size());
  for (uint32_t i = 0; i < enhancers_.size(); ++i) by_centre_[rank_of(enhancers_[i])].push_back(i);
  for (size_t c = 0; c < by_centre_.size(); ++c) {
    auto& v = by_centre_[c];
    std::sort(v.begin(), v.end(), [&](uint32_t a, uint32_t b) {
      return std::make_pair(Centre2(enhancers_[a]), a) < std::make_pair(Centre2(enhancers_[b]), b);
    });
    for (uint32_t i : v) centres2_[c].push_back(Centre2(enhancers_[i]));
  }
  chrom_rank_p_.resize(promoters_.size());
  for (uint32_t i = 0; i < promoters_.size(); ++i) {
    chrom_rank_p_[i] = rank_of(promoters_[i]);
    promoter_order_.push_back(i);
  }
  std::sort(promoter_order_.begin(), promoter_order_.end(), [&](uint32_t a, uint32_t b) {
    if (chrom_rank_p_[a] != chrom_rank_p_[b]) return chrom_rank_p_[a] < chrom_rank_p_[b];
    return ElementLess(promoters_, a, b);
  });
  offset_.assign(1, 0);
  for (uint32_t p : promoter_order_) {
    size_t lo1, hi1, lo2, hi2;
    Window(p, &lo1, &hi1, &lo2, &hi2);
    offset_.push_back(offset_.back() + (hi1 - lo1) + (hi2 - lo2));
  }
}

void CandidateSet::Window(uint32_t p, size_t* lo1, size_t* hi1, size_t* lo2, size_t* hi2) const {
  const auto& c = centres2_[chrom_rank_p_[p]];
  const long x = Centre2(promoters_[p]);
  auto lower = [&](long v) { return static_cast<size_t>(std::lower_bound(c.begin(), c.end(), v) - c.begin()); };
  auto upper = [&](long v) { return static_cast<size_t>(std::upper_bound(c.begin(), c.end(), v) - c.begin()); };
  // Left part: centres in [x - max2, x - min2]; right part: (x - min2, x + max2] minus
  // (x - min2, x + min2), i.e. [x + min2, x + max2] when min2 > 0.
  *lo1 = lower(x - max2_);
  *hi1 = upper(x - min2_);
  *lo2 = std::max(*hi1, lower(x + min2_));
  *hi2 = std::max(*lo2, upper(x + max2_));
}

std::vector<Candidate> CandidateSet::Group(size_t r) const {
  const uint32_t p = promoter_order_[r];
  size_t lo1, hi1, lo2, hi2;
  Window(p, &lo1, &hi1, &lo2, &hi2);
  const auto& ids = by_centre_[chrom_rank_p_[p]];
  std::vector<uint32_t> e;
  e.reserve((hi1 - lo1) + (hi2 - lo2));
  for (size_t i = lo1; i < hi1; ++i) e.push_back(ids[i]);
  for (size_t i = lo2; i < hi2; ++i) e.push_back(ids[i]);
  std::sort(e.begin(), e.end(), [&](uint32_t a, uint32_t b) { return ElementLess(enhancers_, a, b); });
  std::vector<Candidate> out;
  out.reserve(e.size());
  const long x = Centre2(promoters_[p]);
  for (uint32_t i : e) {
    Candidate c;
    c.enhancer = i;
    c.promoter = p;
    c.distance = std::labs(Centre2(enhancers_[i]) - x) / 2.0;
    out.push_back(c);
  }
  return out;
}

size_t CandidateSet::PromoterRankOf(uint64_t index) const {
  PRISM_CHECK(index < total(), "candidate ", index, " of ", total());
  return static_cast<size_t>(std::upper_bound(offset_.begin(), offset_.end(), index) -
                             offset_.begin()) - 1;
}

void CandidateSet::ForRange(uint64_t begin, uint64_t end,
                            const std::function<void(const Candidate&)>& fn) const {
  if (begin >= end) return;
  PRISM_CHECK(end <= total(), "candidate range end ", end, " of ", total());
  for (size_t r = PromoterRankOf(begin); r < promoter_order_.size() && offset_[r] < end; ++r) {
    if (offset_[r + 1] == offset_[r]) continue;
    const auto group = Group(r);
    const uint64_t from = std::max(begin, offset_[r]), to = std::min(end, offset_[r + 1]);
    for (uint64_t i = from; i < to; ++i) fn(group[i - offset_[r]]);
  }
}

std::vector<Candidate> CandidateSet::Gather(const std::vector<uint64_t>& idx) const {
  std::vector<Candidate> out;
  out.reserve(idx.size());
  size_t cached = static_cast<size_t>(-1);
  std::vector<Candidate> group;
  for (uint64_t i : idx) {
    const size_t r = PromoterRankOf(i);
    if (r != cached) {
      group = Group(r);
      cached = r;
    }
    out.push_back(group[i - offset_[r]]);
  }
  return out;
}

std::pair<size_t, size_t> CandidateSet::ShardPromoters(int i, int n) const {
  PRISM_CHECK(n >= 1 && i >= 0 && i < n, "shard ", i, " of ", n);
  const size_t np = promoter_order_.size();
  auto boundary = [&](int k) -> size_t {
    if (k <= 0) return 0;
    if (k >= n) return np;
    // First promoter rank whose first candidate is at or after k/n of the total.
    const uint64_t target = static_cast<uint64_t>(
        std::ceil(static_cast<long double>(total()) * k / n));
    return static_cast<size_t>(std::lower_bound(offset_.begin(), offset_.end() - 1, target) -
                               offset_.begin());
  };
  return {boundary(i), boundary(i + 1)};
}

}  // namespace prism
