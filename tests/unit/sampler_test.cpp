// Tests of the batch samplers' invariants: homogeneity, coverage, round-robin order, the
// contrastive half/half split, determinism by (seed, epoch), and the registry.
#include "prism/sampler.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "test_util.h"

namespace prism {
namespace {

using Batches = std::vector<std::vector<size_t>>;

/// Cell lines of unequal sizes, interleaved: A x50, B x23, C x7, D x64.
std::vector<std::string> Cells() {
  std::vector<std::string> cells;
  std::map<std::string, int> want = {{"A", 50}, {"B", 23}, {"C", 7}, {"D", 64}};
  bool any = true;
  while (any) {
    any = false;
    for (auto& [c, n] : want)
      if (n > 0) {
        cells.push_back(c);
        --n;
        any = true;
      }
  }
  return cells;
}

std::vector<size_t> Flatten(const Batches& b) {
  std::vector<size_t> all;
  for (const auto& x : b) all.insert(all.end(), x.begin(), x.end());
  std::sort(all.begin(), all.end());
  return all;
}

TEST(Sampler, RegistryNamesAndErrors) {
  EXPECT_EQ(SamplerNames(), (std::vector<std::string>{"cell", "contrastive", "random"}));
  SamplerOptions opt;
  for (const auto& n : SamplerNames()) EXPECT_EQ(CreateSampler(n, Cells(), opt)->name(), n);
  ExpectInputError([&] { CreateSampler("balanced", Cells(), opt); },
                   "unknown sampler 'balanced' (valid: cell, contrastive, random)");
  ExpectInputError([&] { CreateSampler("cell", {}, opt); }, "sampler 'cell': no samples");
  SamplerOptions zero;
  zero.batch_size = 0;
  ExpectInputError([&] { CreateSampler("random", Cells(), zero); }, "batch_size must be > 0");
  ExpectInputError([&] { CreateSampler("contrastive", {"A", "A"}, opt); },
                   "sampler 'contrastive' needs at least 2 cell lines, found 1 ('A')");
}

TEST(CellSampler, HomogeneousCompleteRoundRobin) {
  auto cells = Cells();
  SamplerOptions opt;
  opt.batch_size = 10;
  auto s = CreateSampler("cell", cells, opt);
  EXPECT_TRUE(s->homogeneous());
  Batches b = s->Epoch(0);
  // Every sample exactly once.
  std::vector<size_t> all = Flatten(b);
  ASSERT_EQ(all.size(), cells.size());
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
  // Every batch from one cell line; sizes 10 except one last partial batch per cell line.
  std::vector<std::string> batch_cell;
  std::map<std::string, int> partial;
  for (const auto& x : b) {
    ASSERT_FALSE(x.empty());
    ASSERT_LE(x.size(), 10u);
    for (size_t i : x) EXPECT_EQ(cells[i], cells[x[0]]);
    batch_cell.push_back(cells[x[0]]);
    if (x.size() < 10) ++partial[cells[x[0]]];
  }
  EXPECT_EQ(partial, (std::map<std::string, int>{{"B", 1}, {"C", 1}, {"D", 1}}));
  // 5 + 3 + 1 + 7 batches; the first round holds each cell line once, and the order of the
  // cell lines still in play never changes (round-robin).
  ASSERT_EQ(b.size(), 16u);
  std::vector<std::string> order(batch_cell.begin(), batch_cell.begin() + 4);
  EXPECT_EQ(std::set<std::string>(order.begin(), order.end()).size(), 4u);
  size_t pos = 0;
  std::map<std::string, int> left = {{"A", 5}, {"B", 3}, {"C", 1}, {"D", 7}};
  while (pos < batch_cell.size()) {
    for (const auto& c : order) {
      if (left[c] == 0) continue;
      ASSERT_LT(pos, batch_cell.size());
      EXPECT_EQ(batch_cell[pos], c) << "batch " << pos;
      --left[c];
      ++pos;
    }
  }
}

TEST(CellSampler, DropLastKeepsOnlyFullBatches) {
  SamplerOptions opt;
  opt.batch_size = 10;
  opt.drop_last = true;
  Batches b = CreateSampler("cell", Cells(), opt)->Epoch(2);
  EXPECT_EQ(b.size(), 5u + 2 + 0 + 6);
  for (const auto& x : b) EXPECT_EQ(x.size(), 10u);
}

TEST(CellSampler, DeterministicBySeedAndEpoch) {
  SamplerOptions opt;
  opt.batch_size = 8;
  opt.seed = 42;
  auto s1 = CreateSampler("cell", Cells(), opt);
  auto s2 = CreateSampler("cell", Cells(), opt);
  Batches e3 = s1->Epoch(3);
  s1->Epoch(0);
  EXPECT_EQ(s1->Epoch(3), e3);          // independent of call history
  EXPECT_EQ(s2->Epoch(3), e3);          // independent of the instance
  EXPECT_NE(s1->Epoch(4), e3);          // epochs are reshuffled
  opt.seed = 43;
  EXPECT_NE(CreateSampler("cell", Cells(), opt)->Epoch(3), e3);  // seeds differ
}

TEST(CellSampler, CellOrderChangesAcrossEpochs) {
  // Over several epochs the first cell line of the round-robin is not always the same.
  SamplerOptions opt;
  opt.batch_size = 100;
  auto cells = Cells();
  auto s = CreateSampler("cell", cells, opt);
  std::set<std::string> firsts;
  for (int e = 0; e < 20; ++e) firsts.insert(cells[s->Epoch(e)[0][0]]);
  EXPECT_GT(firsts.size(), 1u);
}

TEST(ContrastiveSampler, HalfAnchorHalfOthersEvenly) {
  auto cells = Cells();  // 144 samples, 4 cell lines
  SamplerOptions opt;
  opt.batch_size = 16;
  auto s = CreateSampler("contrastive", cells, opt);
  EXPECT_FALSE(s->homogeneous());
  Batches b = s->Epoch(0);
  ASSERT_EQ(b.size(), 9u);  // ceil(144 / 16)
  std::vector<std::string> anchors;
  for (const auto& x : b) {
    const std::string anchor = cells[x[0]];
    anchors.push_back(anchor);
    std::map<std::string, int> count;
    for (size_t i : x) ++count[cells[i]];
    std::set<size_t> unique(x.begin(), x.end());
    EXPECT_EQ(unique.size(), x.size()) << "repeated index in a batch";
    // The first half is the anchor (C has only 7 samples: all of them).
    size_t half = anchor == "C" ? 7 : 8;
    for (size_t i = 0; i < half; ++i) EXPECT_EQ(cells[x[i]], anchor);
    EXPECT_EQ(count[anchor], static_cast<int>(half));
    // The other half: 8 samples over 3 cell lines -> 2 or 3 each, none from the anchor.
    for (size_t i = half; i < x.size(); ++i) EXPECT_NE(cells[x[i]], anchor);
    for (const auto& c : {"A", "B", "C", "D"}) {
      if (c == anchor) continue;
      EXPECT_GE(count[c], 2) << c;
      EXPECT_LE(count[c], 3) << c;
    }
    EXPECT_EQ(x.size(), half + 8);
  }
  // Anchors rotate round-robin: each cell line once in every window of 4, same order.
  std::set<std::string> first4(anchors.begin(), anchors.begin() + 4);
  EXPECT_EQ(first4.size(), 4u);
  for (size_t i = 4; i < anchors.size(); ++i) EXPECT_EQ(anchors[i], anchors[i - 4]);
}

TEST(ContrastiveSampler, OddBatchAndDeterminism) {
  auto cells = Cells();
  SamplerOptions opt;
  opt.batch_size = 7;
  opt.seed = 9;
  auto s = CreateSampler("contrastive", cells, opt);
  Batches b = s->Epoch(1);
  ASSERT_EQ(b.size(), (cells.size() + 6) / 7);
  for (const auto& x : b) {
    size_t anchor_count = 0;
    while (anchor_count < x.size() && cells[x[anchor_count]] == cells[x[0]]) ++anchor_count;
    EXPECT_EQ(anchor_count, 4u);  // ceil(7 / 2)
    EXPECT_EQ(x.size(), 7u);
  }
  EXPECT_EQ(CreateSampler("contrastive", cells, opt)->Epoch(1), b);
  EXPECT_NE(s->Epoch(2), b);
  opt.drop_last = true;
  EXPECT_EQ(CreateSampler("contrastive", cells, opt)->Epoch(1).size(), cells.size() / 7);
}

TEST(ContrastiveSampler, CellLinesContributeEqually) {
  auto cells = Cells();
  SamplerOptions opt;
  opt.batch_size = 12;  // 6 anchor + 2 from each of 3 others
  Batches b = CreateSampler("contrastive", cells, opt)->Epoch(0);
  std::map<std::string, int> count;
  for (const auto& x : b)
    for (size_t i : x) ++count[cells[i]];
  // 12 batches, each cell line anchor 3 times (18) and other 9 times (18): 36 each, C capped.
  EXPECT_EQ(count["A"], 36);
  EXPECT_EQ(count["B"], 36);
  EXPECT_EQ(count["D"], 36);
  EXPECT_EQ(count["C"], 3 * 6 + 9 * 2);  // 7 >= 6: never capped
}

TEST(RandomSampler, CoversAllAndShuffles) {
  auto cells = Cells();
  SamplerOptions opt;
  opt.batch_size = 32;
  auto s = CreateSampler("random", cells, opt);
  EXPECT_FALSE(s->homogeneous());
  Batches b = s->Epoch(0);
  ASSERT_EQ(b.size(), 5u);  // 144 = 4 * 32 + 16
  EXPECT_EQ(b.back().size(), 16u);
  std::vector<size_t> all = Flatten(b);
  for (size_t i = 0; i < all.size(); ++i) EXPECT_EQ(all[i], i);
  EXPECT_NE(b[0], std::vector<size_t>(all.begin(), all.begin() + 32));  // not the identity
  EXPECT_EQ(CreateSampler("random", cells, opt)->Epoch(0), b);
  EXPECT_NE(s->Epoch(1), b);
  opt.drop_last = true;
  EXPECT_EQ(CreateSampler("random", cells, opt)->Epoch(0).size(), 4u);
}

}  // namespace
}  // namespace prism
