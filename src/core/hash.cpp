#include "prism/hash.h"

#include <xxhash.h>

#include <cstdio>
#include <fstream>
#include <vector>

#include "prism/error.h"

namespace prism {

Hasher::Hasher() : state_(XXH3_createState()) {
  XXH3_64bits_reset(static_cast<XXH3_state_t*>(state_));
}
Hasher::~Hasher() { XXH3_freeState(static_cast<XXH3_state_t*>(state_)); }
Hasher& Hasher::Update(const void* data, size_t n) {
  XXH3_64bits_update(static_cast<XXH3_state_t*>(state_), data, n);
  return *this;
}
uint64_t Hasher::Digest() const {
  return XXH3_64bits_digest(static_cast<XXH3_state_t*>(state_));
}
std::string Hasher::Hex() const { return ToHex(Digest()); }

std::string ToHex(uint64_t v) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(v));
  return buf;
}
uint64_t HashBytes(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }
std::string HashHex(std::string_view s) { return ToHex(HashBytes(s)); }

std::string HashFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) Fatal("cannot read ", path, " to hash it");
  Hasher h;
  std::vector<char> buf(1 << 20);
  while (in) {
    in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
    h.Update(buf.data(), static_cast<size_t>(in.gcount()));
  }
  return h.Hex();
}

}  // namespace prism
