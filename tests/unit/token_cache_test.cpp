// Tests of the token cache: build, hit on reuse (mmap), equal content, corruption rebuilt.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>

#include "prism/token_cache.h"
#include "prism/tokenizer.h"
#include "test_util.h"

namespace prism {
namespace {

std::vector<std::string> Seqs() {
  std::mt19937 rng(3);
  std::vector<std::string> out;
  for (int i = 0; i < 50; ++i) {
    std::string s(3 + rng() % 400, 'A');
    for (auto& c : s) c = "ACGTN"[rng() % 5];
    out.push_back(s);
  }
  return out;
}

void ExpectMatchesTokenizer(const TokenCache& c, const std::vector<std::string>& seqs,
                            size_t max_len) {
  ASSERT_EQ(c.size(), seqs.size());
  for (size_t i = 0; i < seqs.size(); ++i) {
    std::vector<int32_t> want = Tokenize(CenterCrop(seqs[i], max_len));
    ASSERT_EQ(c.length(i), want.size()) << i;
    for (size_t j = 0; j < want.size(); ++j) ASSERT_EQ(c.tokens(i)[j], want[j]);
    std::vector<int32_t> row(want.size() + 3, -1);
    c.CopyRow(i, row.data(), row.size());
    for (size_t j = 0; j < want.size(); ++j) ASSERT_EQ(row[j], want[j]);
    for (size_t j = want.size(); j < row.size(); ++j) ASSERT_EQ(row[j], kPadToken);
  }
}

TEST(TokenCache, SecondOpenHitsTheCacheWithEqualContent) {
  TempDir dir;
  auto owned = Seqs();
  std::vector<std::string_view> seqs(owned.begin(), owned.end());
  TokenCacheOptions o;
  o.dir = dir.Join("cache");
  o.max_len = 200;
  auto first = TokenCache::Open(seqs, o);
  EXPECT_FALSE(first->from_cache());
  EXPECT_TRUE(std::filesystem::exists(first->path()));
  ExpectMatchesTokenizer(*first, owned, 200);
  auto second = TokenCache::Open(seqs, o);
  EXPECT_TRUE(second->from_cache());
  EXPECT_EQ(second->path(), first->path());
  EXPECT_EQ(second->max_length(), first->max_length());
  ExpectMatchesTokenizer(*second, owned, 200);
  // A different crop or different content is a different file.
  o.max_len = 100;
  auto other = TokenCache::Open(seqs, o);
  EXPECT_FALSE(other->from_cache());
  EXPECT_NE(other->path(), first->path());
  owned[7][0] = owned[7][0] == 'A' ? 'C' : 'A';
  std::vector<std::string_view> changed(owned.begin(), owned.end());
  EXPECT_NE(TokenCache::Open(changed, o)->hash(), other->hash());
}

TEST(TokenCache, CorruptOrShortFileIsRebuilt) {
  TempDir dir;
  auto owned = Seqs();
  std::vector<std::string_view> seqs(owned.begin(), owned.end());
  TokenCacheOptions o;
  o.dir = dir.path();
  std::string path = TokenCache::Open(seqs, o)->path();
  const auto full = std::filesystem::file_size(path);
  // Truncated file.
  std::filesystem::resize_file(path, full - 10);
  auto a = TokenCache::Open(seqs, o);
  EXPECT_FALSE(a->from_cache());
  ExpectMatchesTokenizer(*a, owned, 0);
  EXPECT_EQ(std::filesystem::file_size(path), full);
  EXPECT_TRUE(TokenCache::Open(seqs, o)->from_cache());
  // Bad magic.
  {
    std::fstream f(path, std::ios::in | std::ios::out | std::ios::binary);
    f.write("XXXX", 4);
  }
  auto b = TokenCache::Open(seqs, o);
  EXPECT_FALSE(b->from_cache());
  ExpectMatchesTokenizer(*b, owned, 0);
  // Tiny file (shorter than the header).
  std::ofstream(path, std::ios::binary | std::ios::trunc) << "PRISM";
  EXPECT_FALSE(TokenCache::Open(seqs, o)->from_cache());
  EXPECT_TRUE(TokenCache::Open(seqs, o)->from_cache());
}

TEST(TokenCache, InMemoryWithoutDirAndEmptyInput) {
  auto owned = Seqs();
  std::vector<std::string_view> seqs(owned.begin(), owned.end());
  auto c = TokenCache::Open(seqs, {});
  EXPECT_TRUE(c->path().empty());
  ExpectMatchesTokenizer(*c, owned, 0);
  TempDir dir;
  TokenCacheOptions o;
  o.dir = dir.path();
  EXPECT_EQ(TokenCache::Open({}, o)->size(), 0u);
  EXPECT_TRUE(TokenCache::Open({}, o)->from_cache());
}

TEST(TokenCache, SequenceSetIndexedByName) {
  TempDir dir;
  SequenceSet s;
  s.enhancers["b"] = "ACGTACGTAA";
  s.enhancers["a"] = "TTTTTTTT";
  s.promoters["p"] = std::string(50, 'C');
  TokenizedSet t = TokenizeSequenceSet(s, 8, 20, dir.path(), 1);
  ASSERT_EQ(t.enhancers->size(), 2u);
  EXPECT_EQ(t.enhancer_index.at("a"), 0u);
  EXPECT_EQ(t.enhancer_index.at("b"), 1u);
  EXPECT_EQ(t.enhancers->length(0), 3u);
  EXPECT_EQ(t.enhancers->tokens(0)[0], 4096);
  EXPECT_EQ(t.promoters->length(0), 15u);
  TokenizedSet again = TokenizeSequenceSet(s, 8, 20, dir.path(), 1);
  EXPECT_TRUE(again.enhancers->from_cache());
  EXPECT_TRUE(again.promoters->from_cache());
}

TEST(TokenCache, DefaultCacheDirIsNextToTheDataDir) {
  EXPECT_EQ(DefaultCacheDir("/data/epi/domain-kl"), "/data/epi/.prism-cache");
  EXPECT_EQ(DefaultCacheDir("/data/epi/domain-kl/"), "/data/epi/.prism-cache");
}

}  // namespace
}  // namespace prism
