// Tests of sequence normalisation, centre crop, 6-mer ids, padded batches and one-hot.
#include <gtest/gtest.h>

#include <random>

#include "prism/error.h"
#include "prism/tokenizer.h"
#include "test_util.h"

namespace prism {
namespace {

// Reference id computed the slow, obvious way.
int32_t SlowId(std::string_view kmer) {
  int32_t code = 0;
  for (char c : kmer) {
    int b;
    switch (c) {
      case 'A': case 'a': b = 0; break;
      case 'C': case 'c': b = 1; break;
      case 'G': case 'g': b = 2; break;
      case 'T': case 't': b = 3; break;
      default: return 0;
    }
    code = code * 4 + b;
  }
  return code + 1;
}

std::string RandomSeq(std::mt19937* rng, size_t n, double n_rate = 0.01) {
  std::uniform_real_distribution<double> u(0, 1);
  std::string s(n, 'A');
  for (auto& c : s) c = u(*rng) < n_rate ? 'N' : "ACGT"[(*rng)() % 4];
  return s;
}

TEST(Tokenizer, DetokenizeInvertsTokenize) {
  std::mt19937 rng(5);
  for (size_t n : {6, 7, 40, 501}) {
    std::string s = RandomSeq(&rng, n, 0.0);
    EXPECT_EQ(Detokenize(Tokenize(s)), s) << n;
  }
  EXPECT_EQ(Detokenize({}), "");
  // A PAD token (its k-mer touched an N) makes its first base unknown.
  // (bases 1..5 share a k-mer with the N, so they are unknown too).
  EXPECT_EQ(Detokenize(Tokenize("ACGTACNGTACGT")), "ANNNNNNGTACGT");
  EXPECT_EQ(Detokenize(Tokenize("ACGTAC")), "ACGTAC");
}

TEST(Tokenizer, HandComputedIds) {
  EXPECT_EQ(Tokenize("AAAAAA"), (std::vector<int32_t>{1}));
  EXPECT_EQ(Tokenize("TTTTTT"), (std::vector<int32_t>{4096}));
  // ACGTAC = 0,1,2,3,0,1 in base 4 = 0*1024 + 1*256 + 2*64 + 3*16 + 0*4 + 1 = 433.
  EXPECT_EQ(Tokenize("ACGTAC"), (std::vector<int32_t>{434}));
  // Overlapping: AAAAAC -> code 1 -> id 2; AAAACA -> code 4 -> id 5.
  EXPECT_EQ(Tokenize("AAAAACA"), (std::vector<int32_t>{2, 5}));
  EXPECT_EQ(Tokenize("acgtac"), (std::vector<int32_t>{434}));
  EXPECT_TRUE(Tokenize("ACGTA").empty());
  EXPECT_TRUE(Tokenize("").empty());
  EXPECT_EQ(NumTokens(3000), 2995u);
  EXPECT_EQ(NumTokens(2), 0u);
  EXPECT_EQ(NumBases(NumTokens(3000)), 3000u);
  EXPECT_EQ(NumBases(0), 0u);
  EXPECT_EQ(Detokenize(Tokenize("ACGTACGTAC")).size(), NumBases(Tokenize("ACGTACGTAC").size()));
}

TEST(Tokenizer, KmersTouchingNAreZero) {
  // 13 bases -> 8 tokens; the N at position 6 poisons windows starting at 1..6.
  std::vector<int32_t> t = Tokenize("AAAAAANAAAAAA");
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(t, (std::vector<int32_t>{1, 0, 0, 0, 0, 0, 0, 1}));
  EXPECT_EQ(Tokenize("NNNNNNN"), (std::vector<int32_t>{0, 0}));
  EXPECT_EQ(Tokenize("ACGRAC"), (std::vector<int32_t>{0}));
}

TEST(Tokenizer, MatchesSlowReferenceOnRandomSequences) {
  std::mt19937 rng(7);
  for (int rep = 0; rep < 20; ++rep) {
    std::string s = RandomSeq(&rng, 500 + rep * 13, 0.02);
    std::vector<int32_t> t = Tokenize(s);
    ASSERT_EQ(t.size(), s.size() - 5);
    for (size_t i = 0; i < t.size(); ++i)
      ASSERT_EQ(t[i], SlowId(std::string_view(s).substr(i, 6))) << "at " << i;
    std::vector<uint16_t> t16(t.size());
    TokenizeInto(s, t16.data());
    for (size_t i = 0; i < t.size(); ++i) ASSERT_EQ(t16[i], t[i]);
  }
}

TEST(Tokenizer, NormalizeSequence) {
  EXPECT_EQ(NormalizeSequence("acgtNnRYkm-x"), "ACGTNNNNNNNN");
  std::string s = "ttgA?";
  NormalizeSequenceInPlace(&s);
  EXPECT_EQ(s, "TTGAN");
}

TEST(Tokenizer, CenterCrop) {
  EXPECT_EQ(CenterCrop("0123456789", 4), "3456");  // start (10-4)/2 = 3
  EXPECT_EQ(CenterCrop("0123456789", 5), "23456");  // start (10-5)/2 = 2 (rounded down)
  EXPECT_EQ(CenterCrop("0123", 10), "0123");
  EXPECT_EQ(CenterCrop("0123", 0), "0123");
  EXPECT_EQ(kDefaultMaxEnhancer, 3000u);
  EXPECT_EQ(kDefaultMaxPromoter, 4000u);
}

TEST(Tokenizer, BatchPadsToLongestOrFixedLength) {
  std::vector<std::string_view> seqs = {"AAAAAAA", "TTTTTT", "ACG"};
  TokenBatch b = TokenizeBatch(seqs);
  EXPECT_EQ(b.rows, 3u);
  EXPECT_EQ(b.cols, 2u);
  EXPECT_EQ(b.lengths, (std::vector<int32_t>{2, 1, 0}));
  EXPECT_EQ(b.ids, (std::vector<int32_t>{1, 1, 4096, 0, 0, 0}));
  TokenizeOptions fixed;
  fixed.pad_to = 4;
  TokenBatch f = TokenizeBatch(seqs, fixed);
  EXPECT_EQ(f.cols, 4u);
  EXPECT_EQ(f.row(1)[0], 4096);
  EXPECT_EQ(f.row(1)[1], 0);
  fixed.pad_to = 1;
  ExpectInputError([&] { TokenizeBatch(seqs, fixed); }, "has 2 tokens but pad_to is 1");
}

TEST(Tokenizer, BatchCropsToTheCentre) {
  std::string s = std::string(10, 'A') + "CCCCCCCC" + std::string(10, 'G');  // 28 bp
  TokenizeOptions o;
  o.max_len = 8;  // start (28-8)/2 = 10 -> "CCCCCCCC"
  TokenBatch b = TokenizeBatch({s}, o);
  EXPECT_EQ(b.cols, 3u);
  EXPECT_EQ(b.ids, (std::vector<int32_t>(3, SlowId("CCCCCC"))));
}

TEST(Tokenizer, ThreadsGiveIdenticalOutput) {
  std::mt19937 rng(11);
  std::vector<std::string> owned;
  for (int i = 0; i < 300; ++i) owned.push_back(RandomSeq(&rng, 100 + rng() % 4000));
  std::vector<std::string_view> seqs(owned.begin(), owned.end());
  TokenizeOptions o;
  o.max_len = 3000;
  o.threads = 1;
  TokenBatch one = TokenizeBatch(seqs, o);
  for (int t : {2, 3, 7, 64}) {
    o.threads = t;
    TokenBatch many = TokenizeBatch(seqs, o);
    EXPECT_EQ(many.cols, one.cols);
    EXPECT_EQ(many.lengths, one.lengths);
    EXPECT_TRUE(many.ids == one.ids) << t << " threads";
  }
  EXPECT_EQ(one.cols, 2995u);
}

TEST(Tokenizer, OneHot) {
  std::vector<float> h = OneHot("ACNT", 5);
  ASSERT_EQ(h.size(), 20u);
  // Rows A, C, G, T; columns positions 0..4 (4 is padding).
  std::vector<float> want = {1, 0, 0, 0, 0,   // A
                             0, 1, 0, 0, 0,   // C
                             0, 0, 0, 0, 0,   // G
                             0, 0, 0, 1, 0};  // T
  EXPECT_EQ(h, want);
  EXPECT_EQ(OneHot("g").size(), 4u);
  EXPECT_EQ(OneHot("g")[2], 1.0f);
}

}  // namespace
}  // namespace prism
