// prism/hash.h - content hashes (XXH3-64) for caches, run records and the ledger.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace prism {

/// Incremental XXH3-64 hash.
class Hasher {
 public:
  Hasher();
  ~Hasher();
  Hasher(const Hasher&) = delete;
  Hasher& operator=(const Hasher&) = delete;
  Hasher& Update(const void* data, size_t n);
  Hasher& Update(std::string_view s) { return Update(s.data(), s.size()); }
  template <typename T>
  Hasher& UpdatePod(const T& v) { return Update(&v, sizeof(T)); }
  uint64_t Digest() const;
  /// 16 lowercase hex digits.
  std::string Hex() const;

 private:
  void* state_;
};

uint64_t HashBytes(std::string_view s);
std::string HashHex(std::string_view s);
/// Hash of a file's bytes (streamed); throws prism::Error if unreadable.
std::string HashFile(const std::string& path);
std::string ToHex(uint64_t v);

}  // namespace prism
