// prism/token_cache.h - a binary, memory-mapped cache of tokenised sequences.
//
// One file per content: CACHE_DIR/tokens-<hash>.bin where the hash covers k, the crop length and
// every sequence (in order). File layout (little endian):
//   magic "PRISMTOK" | u32 version | u32 k | u64 max_len | u64 count | u64 total_tokens |
//   u64 content hash | u64 offsets[count + 1] | u16 tokens[total_tokens]
// On reuse the file is mmap'ed read-only (no re-tokenisation). A short, truncated or foreign
// file (size, magic, version, hash or offsets mismatch) is rebuilt with a warning. Files are
// written atomically, so concurrent runs never see half a file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "prism/pairs.h"

namespace prism {

/// Options of TokenCache::Open.
struct TokenCacheOptions {
  std::string dir;     ///< cache folder (created); empty = keep in memory, no file
  size_t max_len = 0;  ///< centre crop in bp before tokenising (0 = none)
  int threads = 0;     ///< tokeniser threads (0 = all cores)
};

/// Token ids of a list of sequences, from a cache file (mmap) or freshly tokenised.
class TokenCache {
 public:
  /// Maps CACHE_DIR/tokens-<hash>.bin when valid; otherwise tokenises `seqs` and writes it.
  static std::unique_ptr<TokenCache> Open(const std::vector<std::string_view>& seqs,
                                          const TokenCacheOptions& options);
  ~TokenCache();
  TokenCache(const TokenCache&) = delete;
  TokenCache& operator=(const TokenCache&) = delete;

  /// Number of sequences.
  size_t size() const { return count_; }
  /// Tokens of sequence i (after the crop).
  const uint16_t* tokens(size_t i) const { return tokens_ + offsets_[i]; }
  size_t length(size_t i) const { return static_cast<size_t>(offsets_[i + 1] - offsets_[i]); }
  /// Copies sequence i into `out` as int32, padded with kPadToken (or truncated) to `cols`.
  void CopyRow(size_t i, int32_t* out, size_t cols) const;
  /// Longest token row.
  size_t max_length() const { return max_length_; }
  /// True when the data came from an existing cache file (not re-tokenised).
  bool from_cache() const { return from_cache_; }
  /// The cache file ("" when in memory only).
  const std::string& path() const { return path_; }
  /// The content hash (16 hex digits).
  const std::string& hash() const { return hash_; }

 private:
  TokenCache() = default;
  bool Map(const std::string& path, uint64_t hash, size_t count);
  void Build(const std::vector<std::string_view>& seqs, const TokenCacheOptions& options,
             uint64_t hash);

  size_t count_ = 0, max_length_ = 0;
  const uint64_t* offsets_ = nullptr;
  const uint16_t* tokens_ = nullptr;
  std::vector<uint64_t> own_offsets_;
  std::vector<uint16_t> own_tokens_;
  void* map_ = nullptr;
  size_t map_size_ = 0;
  bool from_cache_ = false;
  std::string path_, hash_;
};

/// Tokens of both sides of a SequenceSet, indexed by name.
struct TokenizedSet {
  std::unique_ptr<TokenCache> enhancers, promoters;
  std::unordered_map<std::string, size_t> enhancer_index, promoter_index;  ///< name -> row
};

/// Tokenises (or maps from the cache) the enhancers (crop max_enhancer) and promoters (crop
/// max_promoter) of `seqs`; rows are in name order.
TokenizedSet TokenizeSequenceSet(const SequenceSet& seqs, size_t max_enhancer,
                                 size_t max_promoter, const std::string& cache_dir,
                                 int threads = 0);

/// The default cache folder for a data folder: <parent of data_dir>/.prism-cache.
std::string DefaultCacheDir(const std::string& data_dir);

}  // namespace prism
