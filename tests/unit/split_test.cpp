// Tests of the splits: given, leave-cell-lines-out, held-out chromosomes; invariants and errors.
#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "prism/error.h"
#include "prism/split.h"
#include "test_util.h"

namespace prism {
namespace {

std::vector<Pair> MakePairs() {
  std::vector<Pair> pairs;
  const char* cells[] = {"GM12878", "K562", "HeLa", "IMR90"};
  const char* chroms[] = {"chr1", "chr2", "chr8", "chr9", "chrX"};
  for (int i = 0; i < 200; ++i) {
    Pair p;
    p.enhancer = "e" + std::to_string(i % 37);
    p.promoter = "p" + std::to_string(i % 11);
    p.label = i % 5 == 0;
    p.cell_line = cells[(i * 7) % 4];
    p.chrom = chroms[(i * 3) % 5];
    pairs.push_back(p);
  }
  return pairs;
}

// Every index appears in exactly one part; parts are sorted.
void ExpectPartition(const SplitIndices& s, size_t n) {
  std::vector<size_t> all;
  for (const auto* part : {&s.train, &s.val, &s.test}) {
    EXPECT_TRUE(std::is_sorted(part->begin(), part->end()));
    all.insert(all.end(), part->begin(), part->end());
  }
  std::sort(all.begin(), all.end());
  ASSERT_EQ(all.size(), n);
  for (size_t i = 0; i < n; ++i) EXPECT_EQ(all[i], i);
}

TEST(Split, LeaveCellLinesOutIsADisjointCover) {
  auto pairs = MakePairs();
  SplitIndices s = SplitByCells(pairs, {"K562", "HeLa"}, {"IMR90"});
  ExpectPartition(s, pairs.size());
  for (size_t i : s.test) EXPECT_TRUE(pairs[i].cell_line == "K562" || pairs[i].cell_line == "HeLa");
  for (size_t i : s.val) EXPECT_EQ(pairs[i].cell_line, "IMR90");
  for (size_t i : s.train) EXPECT_EQ(pairs[i].cell_line, "GM12878");
  EXPECT_FALSE(s.val.empty());
  SplitIndices no_val = SplitByCells(pairs, {"K562"});
  EXPECT_TRUE(no_val.val.empty());
  ExpectPartition(no_val, pairs.size());
}

TEST(Split, HeldOutChromosomesIsADisjointCover) {
  auto pairs = MakePairs();
  SplitIndices s = SplitByChroms(pairs, {"chr8", "chr9"}, {"chrX"});
  ExpectPartition(s, pairs.size());
  std::set<std::string> train_chroms, test_chroms;
  for (size_t i : s.train) train_chroms.insert(pairs[i].chrom);
  for (size_t i : s.test) test_chroms.insert(pairs[i].chrom);
  EXPECT_EQ(test_chroms, (std::set<std::string>{"chr8", "chr9"}));
  EXPECT_EQ(train_chroms, (std::set<std::string>{"chr1", "chr2"}));
  for (size_t i : s.val) EXPECT_EQ(pairs[i].chrom, "chrX");
}

TEST(Split, UnknownNamesAreErrorsListingKnownOnes) {
  auto pairs = MakePairs();
  ExpectInputError([&] { SplitByCells(pairs, {"HUVEC"}); },
                   "split: unknown test cell line 'HUVEC' (known: GM12878, HeLa, IMR90, K562)");
  ExpectInputError([&] { SplitByCells(pairs, {"K562"}, {"NHEK"}); },
                   "split: unknown validation cell line 'NHEK'");
  ExpectInputError([&] { SplitByChroms(pairs, {"chr22"}); },
                   "split: unknown test chromosome 'chr22' (known: chr1, chr2, chr8, chr9, chrX)");
}

TEST(Split, EmptyTrainOverlapAndMissingChromAreErrors) {
  auto pairs = MakePairs();
  ExpectInputError([&] { SplitByCells(pairs, {"K562", "HeLa"}, {"IMR90", "GM12878"}); },
                   "split: no training pairs left");
  ExpectInputError([&] { SplitByCells(pairs, {"K562"}, {"K562"}); },
                   "split: cell line 'K562' is in both the test and the validation list");
  ExpectInputError([&] { SplitByCells(pairs, {}); }, "split: no test cell lines given");
  pairs[3].chrom.clear();
  ExpectInputError([&] { SplitByChroms(pairs, {"chr1"}); },
                   "split: pair 4 (e3, p3) has no chromosome");
}

TEST(Split, SpecParsing) {
  EXPECT_EQ(ParseNameList(" chr8, chr9 ,,"), (std::vector<std::string>{"chr8", "chr9"}));
  EXPECT_TRUE(ParseNameList("").empty());
  SplitSpec spec = MakeSplitSpec("K562,HeLa", "IMR90", "", "");
  EXPECT_FALSE(spec.given());
  EXPECT_EQ(spec.test_cells.size(), 2u);
  auto pairs = MakePairs();
  ExpectPartition(MakeSplit(pairs, spec), pairs.size());
  EXPECT_TRUE(MakeSplitSpec("", "", "", "").given());
  ExpectInputError([] { MakeSplitSpec("K562", "", "chr8", ""); }, "not both");
  ExpectInputError([] { MakeSplitSpec("", "K562", "", ""); },
                   "validation cell lines given without test cell lines");
  ExpectInputError([] { MakeSplitSpec("", "", "chr8", "chr8"); },
                   "chromosome 'chr8' is in both");
  ExpectInputError([&] { MakeSplit(pairs, SplitSpec{}); }, "no test cell lines or chromosomes");
}

TEST(Split, GivenConcatAndApplyRoundTrip) {
  DomainKlData d;
  d.has_val = true;
  auto add = [](SequenceSplit* s, const std::string& e, const std::string& p, int label) {
    Pair pr;
    pr.enhancer = e;
    pr.promoter = p;
    pr.label = label;
    pr.cell_line = "c";
    s->pairs.push_back(pr);
    s->seqs.enhancers[e] = "ACGT" + e;
    s->seqs.promoters[p] = "GG" + p;
  };
  add(&d.train, "A", "P", 1);
  add(&d.train, "C", "P", 0);
  add(&d.val, "G", "Q", 1);
  add(&d.test, "T", "Q", 0);
  SequenceSplit all = ConcatSplits(d);
  ASSERT_EQ(all.pairs.size(), 4u);
  EXPECT_EQ(all.seqs.enhancers.size(), 4u);
  SplitIndices s = GivenSplit(d);
  EXPECT_EQ(s.train, (std::vector<size_t>{0, 1}));
  EXPECT_EQ(s.val, (std::vector<size_t>{2}));
  EXPECT_EQ(s.test, (std::vector<size_t>{3}));
  DomainKlData r = ApplySplit(all, s);
  EXPECT_TRUE(r.has_val);
  EXPECT_EQ(r.train.pairs.size(), 2u);
  EXPECT_EQ(r.train.seqs.enhancers, d.train.seqs.enhancers);
  EXPECT_EQ(r.test.seqs.promoters, d.test.seqs.promoters);
  EXPECT_EQ(r.val.pairs[0].enhancer, "G");
  d.test.seqs.promoters["P"] = "TTTT";
  ExpectInputError([&] { ConcatSplits(d); },
                   "promoter 'P' has different sequences in different splits");
}

}  // namespace
}  // namespace prism
