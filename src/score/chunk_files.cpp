// `prism score` chunk files: the logits of one block of candidates, written atomically.
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "score/score_internal.h"

namespace prism::score {
namespace {
constexpr char kMagic[8] = {'P', 'R', 'S', 'M', 'C', 'H', 'K', '1'};
constexpr size_t kHeader = 8 + 2 * sizeof(uint64_t);
}  // namespace

std::string ChunkPath(const std::string& work_dir, uint64_t chunk) {
  char buf[40];
  std::snprintf(buf, sizeof buf, "chunk-%010llu.bin", static_cast<unsigned long long>(chunk));
  return work_dir + "/chunks/" + buf;
}

void WriteChunk(const std::string& path, uint64_t first, const std::vector<double>& logits) {
  AtomicFile f(path, /*binary=*/true);
  const uint64_t n = logits.size();
  f.stream().write(kMagic, 8);
  f.stream().write(reinterpret_cast<const char*>(&first), sizeof first);
  f.stream().write(reinterpret_cast<const char*>(&n), sizeof n);
  f.stream().write(reinterpret_cast<const char*>(logits.data()),
                   static_cast<std::streamsize>(n * sizeof(double)));
  f.Commit();
}

bool ChunkComplete(const std::string& path, uint64_t first, uint64_t count) {
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec || size != kHeader + count * sizeof(double)) return false;
  std::ifstream in(path, std::ios::binary);
  char magic[8];
  uint64_t f = 0, n = 0;
  in.read(magic, 8);
  in.read(reinterpret_cast<char*>(&f), sizeof f);
  in.read(reinterpret_cast<char*>(&n), sizeof n);
  return in && std::memcmp(magic, kMagic, 8) == 0 && f == first && n == count;
}

}  // namespace prism::score
