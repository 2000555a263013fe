#include "prism/token_cache.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cstring>
#include <filesystem>
#include <thread>

#include "prism/atomic_file.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/log.h"
#include "prism/tokenizer.h"

namespace prism {
namespace {

constexpr char kMagic[8] = {'P', 'R', 'I', 'S', 'M', 'T', 'O', 'K'};
constexpr uint32_t kVersion = 1;

struct Header {
  char magic[8];
  uint32_t version;
  uint32_t k;
  uint64_t max_len;
  uint64_t count;
  uint64_t total_tokens;
  uint64_t hash;
};
static_assert(sizeof(Header) == 48, "cache header layout");

uint64_t FileSize(uint64_t count, uint64_t total) {
  return sizeof(Header) + (count + 1) * sizeof(uint64_t) + total * sizeof(uint16_t);
}

}  // namespace

std::unique_ptr<TokenCache> TokenCache::Open(const std::vector<std::string_view>& seqs,
                                             const TokenCacheOptions& options) {
  Hasher h;
  h.Update("prism-tokens");
  h.UpdatePod(kVersion);
  h.UpdatePod(static_cast<uint32_t>(kKmer));
  h.UpdatePod(static_cast<uint64_t>(options.max_len));
  h.UpdatePod(static_cast<uint64_t>(seqs.size()));
  for (std::string_view s : seqs) {
    h.UpdatePod(static_cast<uint64_t>(s.size()));
    h.Update(s);
  }
  const uint64_t hash = h.Digest();
  std::unique_ptr<TokenCache> cache(new TokenCache);
  cache->hash_ = ToHex(hash);
  if (!options.dir.empty()) {
    cache->path_ = options.dir + "/tokens-" + cache->hash_ + ".bin";
    if (std::filesystem::exists(cache->path_)) {
      if (cache->Map(cache->path_, hash, seqs.size())) return cache;
      Log::Warning("token cache " + cache->path_ + " is corrupt or incomplete; rebuilding it");
    }
  }
  cache->Build(seqs, options, hash);
  return cache;
}

TokenCache::~TokenCache() {
  if (map_) munmap(map_, map_size_);
}

bool TokenCache::Map(const std::string& path, uint64_t hash, size_t count) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return false;
  struct stat st;
  if (fstat(fd, &st) != 0 || static_cast<uint64_t>(st.st_size) < sizeof(Header)) {
    ::close(fd);
    return false;
  }
  const size_t size = static_cast<size_t>(st.st_size);
  void* m = mmap(nullptr, size, PROT_READ, MAP_PRIVATE, fd, 0);
  ::close(fd);
  if (m == MAP_FAILED) return false;
  const Header* hd = static_cast<const Header*>(m);
  const uint64_t* offsets = reinterpret_cast<const uint64_t*>(static_cast<const char*>(m) + sizeof(Header));
  bool ok = std::memcmp(hd->magic, kMagic, sizeof kMagic) == 0 && hd->version == kVersion &&
            hd->k == static_cast<uint32_t>(kKmer) && hd->hash == hash && hd->count == count &&
            size == FileSize(hd->count, hd->total_tokens);
  if (ok) ok = offsets[0] == 0 && offsets[count] == hd->total_tokens;
  size_t longest = 0;
  for (size_t i = 0; ok && i < count; ++i) {
    if (offsets[i + 1] < offsets[i]) ok = false;
    else longest = std::max<size_t>(longest, offsets[i + 1] - offsets[i]);
  }
  if (!ok) {
    munmap(m, size);
    return false;
  }
  map_ = m;
  map_size_ = size;
  count_ = count;
  max_length_ = longest;
  offsets_ = offsets;
  tokens_ = reinterpret_cast<const uint16_t*>(reinterpret_cast<const char*>(offsets) +
                                              (count + 1) * sizeof(uint64_t));
  from_cache_ = true;
  return true;
}

void TokenCache::Build(const std::vector<std::string_view>& seqs, const TokenCacheOptions& options,
                       uint64_t hash) {
  count_ = seqs.size();
  own_offsets_.assign(count_ + 1, 0);
  max_length_ = 0;
  for (size_t i = 0; i < count_; ++i) {
    size_t n = NumTokens(CenterCrop(seqs[i], options.max_len).size());
    own_offsets_[i + 1] = own_offsets_[i] + n;
    max_length_ = std::max(max_length_, n);
  }
  own_tokens_.resize(own_offsets_[count_]);
  size_t threads = static_cast<size_t>(ResolveThreads(options.threads));
  threads = std::max<size_t>(1, std::min(threads, count_ / 16 + 1));
  auto work = [&](size_t a, size_t b) {
    for (size_t i = a; i < b; ++i)
      TokenizeInto(CenterCrop(seqs[i], options.max_len), own_tokens_.data() + own_offsets_[i]);
  };
  const size_t chunk = (count_ + threads - 1) / threads;
  std::vector<std::thread> pool;
  for (size_t w = 1; w < threads; ++w)
    pool.emplace_back(work, std::min(count_, w * chunk), std::min(count_, (w + 1) * chunk));
  work(0, std::min(count_, chunk));
  for (auto& t : pool) t.join();
  offsets_ = own_offsets_.data();
  tokens_ = own_tokens_.data();
  from_cache_ = false;
  if (path_.empty()) return;
  try {
    MakeDirs(options.dir);
    Header hd{};
    std::memcpy(hd.magic, kMagic, sizeof kMagic);
    hd.version = kVersion;
    hd.k = kKmer;
    hd.max_len = options.max_len;
    hd.count = count_;
    hd.total_tokens = own_offsets_[count_];
    hd.hash = hash;
    AtomicFile out(path_, /*binary=*/true);
    out.stream().write(reinterpret_cast<const char*>(&hd), sizeof hd);
    out.stream().write(reinterpret_cast<const char*>(own_offsets_.data()),
                       own_offsets_.size() * sizeof(uint64_t));
    out.stream().write(reinterpret_cast<const char*>(own_tokens_.data()),
                       own_tokens_.size() * sizeof(uint16_t));
    out.Commit();
  } catch (const Error& e) {
    Log::Warning(std::string("cannot write token cache (continuing without it): ") + e.what());
    path_.clear();
  }
}

void TokenCache::CopyRow(size_t i, int32_t* out, size_t cols) const {
  const size_t n = std::min(length(i), cols);
  const uint16_t* t = tokens(i);
  for (size_t j = 0; j < n; ++j) out[j] = t[j];
  std::fill(out + n, out + cols, kPadToken);
}

TokenizedSet TokenizeSequenceSet(const SequenceSet& seqs, size_t max_enhancer,
                                 size_t max_promoter, const std::string& cache_dir, int threads) {
  TokenizedSet out;
  auto side = [&](const std::unordered_map<std::string, std::string>& m, size_t max_len,
                  std::unordered_map<std::string, size_t>* index) {
    std::vector<const std::string*> names;
    names.reserve(m.size());
    for (const auto& kv : m) names.push_back(&kv.first);
    std::sort(names.begin(), names.end(), [](const auto* a, const auto* b) { return *a < *b; });
    std::vector<std::string_view> views;
    views.reserve(names.size());
    for (size_t i = 0; i < names.size(); ++i) {
      views.emplace_back(m.at(*names[i]));
      index->emplace(*names[i], i);
    }
    TokenCacheOptions o;
    o.dir = cache_dir;
    o.max_len = max_len;
    o.threads = threads;
    return TokenCache::Open(views, o);
  };
  out.enhancers = side(seqs.enhancers, max_enhancer, &out.enhancer_index);
  out.promoters = side(seqs.promoters, max_promoter, &out.promoter_index);
  return out;
}

void GatherPairTokens(const TokenizedSet& set, const std::vector<Pair>& pairs,
                      const std::vector<size_t>& rows, size_t e_cols, size_t p_cols,
                      int32_t* e_out, int32_t* p_out) {
  for (size_t i = 0; i < rows.size(); ++i) {
    PRISM_CHECK_LT(rows[i], pairs.size());
    const Pair& p = pairs[rows[i]];
    auto e = set.enhancer_index.find(p.enhancer);
    if (e == set.enhancer_index.end()) Fatal("enhancer '", p.enhancer, "' has no tokens");
    auto q = set.promoter_index.find(p.promoter);
    if (q == set.promoter_index.end()) Fatal("promoter '", p.promoter, "' has no tokens");
    set.enhancers->CopyRow(e->second, e_out + i * e_cols, e_cols);
    set.promoters->CopyRow(q->second, p_out + i * p_cols, p_cols);
  }
}

std::string DefaultCacheDir(const std::string& data_dir) {
  std::filesystem::path p(data_dir);
  if (!p.has_filename()) p = p.parent_path();  // "dir/" -> "dir"
  std::filesystem::path parent = std::filesystem::absolute(p).lexically_normal().parent_path();
  return (parent / ".prism-cache").string();
}

}  // namespace prism
