// Candidate enumeration (prism/candidates.h) against a brute-force recount: the window, the
// canonical order, ranges, gathering and shards.
#include "prism/candidates.h"

#include <algorithm>
#include <random>
#include <tuple>

#include "test_util.h"

namespace prism {
namespace {

BedElement El(const std::string& chrom, long start, long end, const std::string& name) {
  BedElement e;
  e.chrom = chrom;
  e.start = start;
  e.end = end;
  e.name = name;
  return e;
}

struct Row {
  std::string chrom;
  long ps, pe;
  std::string pn;
  long es, ee;
  std::string en;
  double d;
  bool operator==(const Row& o) const {
    return std::tie(chrom, ps, pe, pn, es, ee, en, d) ==
           std::tie(o.chrom, o.ps, o.pe, o.pn, o.es, o.ee, o.en, o.d);
  }
};

// Brute force: every same-chromosome pair with centre distance in [lo, hi], sorted canonically.
std::vector<Row> Brute(const std::vector<BedElement>& e, const std::vector<BedElement>& p,
                       const std::vector<std::string>& chroms, long lo, long hi) {
  std::vector<Row> rows;
  for (const auto& pr : p)
    for (const auto& en : e) {
      if (en.chrom != pr.chrom) continue;
      const double d = std::fabs((en.start + en.end) / 2.0 - (pr.start + pr.end) / 2.0);
      if (d < lo || d > hi) continue;
      rows.push_back({pr.chrom, pr.start, pr.end, pr.name, en.start, en.end, en.name, d});
    }
  auto rank = [&](const std::string& c) { return std::find(chroms.begin(), chroms.end(), c) - chroms.begin(); };
  std::sort(rows.begin(), rows.end(), [&](const Row& a, const Row& b) {
    return std::make_tuple(rank(a.chrom), a.ps, a.pe, a.pn, a.es, a.ee, a.en) <
           std::make_tuple(rank(b.chrom), b.ps, b.pe, b.pn, b.es, b.ee, b.en);
  });
  return rows;
}

std::vector<Row> Enumerate(const CandidateSet& s, uint64_t begin, uint64_t end) {
  std::vector<Row> rows;
  s.ForRange(begin, end, [&](const Candidate& c) {
    const auto& en = s.enhancers()[c.enhancer];
    const auto& pr = s.promoters()[c.promoter];
    rows.push_back({pr.chrom, pr.start, pr.end, pr.name, en.start, en.end, en.name, c.distance});
  });
  return rows;
}

}  // namespace

TEST(Candidates, WindowIsInclusiveAndSameChromosomeOnly) {
  // Promoter centre 1000; enhancer centres 500 (d 500), 900 (d 100), 1000.5 (d 0.5), 3000 (d 2000).
  std::vector<BedElement> e = {El("chr1", 400, 600, "a"), El("chr1", 800, 1000, "b"),
                               El("chr1", 1000, 1001, "c"), El("chr1", 2900, 3100, "d"),
                               El("chr2", 900, 1100, "other")};
  std::vector<BedElement> p = {El("chr1", 900, 1100, "P")};
  CandidateSet s(e, p, {"chr1", "chr2"}, 100, 500);
  ASSERT_EQ(s.total(), 2u);  // a (500) and b (100): both bounds are inclusive
  auto rows = Enumerate(s, 0, 2);
  EXPECT_EQ(rows[0].en, "a");
  EXPECT_EQ(rows[0].d, 500);
  EXPECT_EQ(rows[1].en, "b");
  CandidateSet all(e, p, {"chr1", "chr2"}, 0, 1000000);
  EXPECT_EQ(all.total(), 4u);
  EXPECT_EQ(Enumerate(all, 0, 4)[2].d, 0.5);  // c: centres 1000 and 1000.5
  ExpectInputError([&] { CandidateSet(e, p, {"chr1"}, 0, 10); }, "chromosome 'chr2'");
  ExpectInputError([&] { CandidateSet(e, p, {"chr1", "chr2"}, 10, 5); }, "--min-distance");
}

TEST(Candidates, MatchBruteForceInOrderRangesGatherAndShards) {
  std::mt19937 rng(5);
  const std::vector<std::string> chroms = {"chr2", "chr1", "chr3"};
  std::vector<BedElement> e, p;
  for (int i = 0; i < 300; ++i) {
    const long s = rng() % 200000, len = 1 + rng() % 3000;
    e.push_back(El(chroms[rng() % 3], s, s + len, "e" + std::to_string(i % 250)));
  }
  for (int i = 0; i < 120; ++i) {
    const long s = rng() % 200000, len = 1 + rng() % 2000;
    p.push_back(El(chroms[rng() % 3], s, s + len, "p" + std::to_string(i % 100)));
  }
  for (auto [lo, hi] : {std::pair<long, long>{0, 1000000}, {0, 20000}, {5000, 30000}, {777, 778}}) {
    CandidateSet s(e, p, chroms, lo, hi);
    const auto want = Brute(e, p, chroms, lo, hi);
    ASSERT_EQ(s.total(), want.size()) << lo << ".." << hi;
    EXPECT_TRUE(Enumerate(s, 0, s.total()) == want);
    // Any range is the matching slice.
    if (want.size() > 10) {
      const uint64_t a = want.size() / 3, b = want.size() - 5;
      EXPECT_TRUE(Enumerate(s, a, b) == std::vector<Row>(want.begin() + a, want.begin() + b));
      auto g = s.Gather({0, a, b});
      EXPECT_EQ(s.enhancers()[g[1].enhancer].name, want[a].en);
      EXPECT_EQ(s.promoters()[g[2].promoter].name, want[b].pn);
    }
    // Shards: contiguous promoter blocks that partition the candidates, about 1/n each.
    for (int n : {1, 2, 3, 7}) {
      size_t prev = 0;
      std::vector<Row> joined;
      for (int i = 0; i < n; ++i) {
        auto [first, end] = s.ShardPromoters(i, n);
        EXPECT_EQ(first, prev);
        prev = end;
        auto part = Enumerate(s, s.Offset(first), s.Offset(end));
        joined.insert(joined.end(), part.begin(), part.end());
      }
      EXPECT_EQ(prev, p.size());
      EXPECT_TRUE(joined == want) << n << " shards";
    }
  }
}

}  // namespace prism
