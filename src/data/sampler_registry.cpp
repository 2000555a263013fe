// The sampler registry and the helpers every sampler shares.
#include <unordered_map>

#include "data/sampler_internal.h"
#include "prism/error.h"
#include "prism/sampler.h"

namespace prism {

BatchSampler::~BatchSampler() = default;

namespace sampler_internal {

std::mt19937_64 MakeRng(uint64_t seed, int epoch, uint64_t stream) {
  // splitmix64-style mixing so nearby (seed, epoch, stream) give unrelated generators.
  auto mix = [](uint64_t z) {
    z += 0x9e3779b97f4a7c15ULL;
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
    return z ^ (z >> 31);
  };
  uint64_t h = mix(seed);
  h = mix(h ^ static_cast<uint64_t>(static_cast<uint32_t>(epoch)));
  h = mix(h ^ stream);
  std::seed_seq seq{static_cast<uint32_t>(h), static_cast<uint32_t>(h >> 32)};
  return std::mt19937_64(seq);
}

CellGroups GroupByCell(const std::vector<std::string>& cell_of_sample) {
  CellGroups g;
  std::unordered_map<std::string, size_t> index;
  for (size_t i = 0; i < cell_of_sample.size(); ++i) {
    auto [it, inserted] = index.emplace(cell_of_sample[i], g.names.size());
    if (inserted) {
      g.names.push_back(cell_of_sample[i]);
      g.members.emplace_back();
    }
    g.members[it->second].push_back(i);
  }
  return g;
}

void Chunk(const std::vector<size_t>& idx, size_t batch_size, bool drop_last,
           std::vector<std::vector<size_t>>* out) {
  for (size_t start = 0; start < idx.size(); start += batch_size) {
    size_t end = std::min(idx.size(), start + batch_size);
    if (drop_last && end - start < batch_size) break;
    out->emplace_back(idx.begin() + start, idx.begin() + end);
  }
}

}  // namespace sampler_internal

namespace {

using Factory = std::unique_ptr<BatchSampler> (*)(const std::vector<std::string>&,
                                                  const SamplerOptions&);
struct Entry {
  const char* name;
  Factory make;
};
const std::vector<Entry>& Table() {
  static const std::vector<Entry> kTable = {
      {"cell", sampler_internal::MakeCellSampler},
      {"contrastive", sampler_internal::MakeContrastiveSampler},
      {"random", sampler_internal::MakeRandomSampler},
  };
  return kTable;
}

}  // namespace

std::unique_ptr<BatchSampler> CreateSampler(const std::string& name,
                                            const std::vector<std::string>& cell_of_sample,
                                            const SamplerOptions& opt) {
  for (const auto& e : Table()) {
    if (name != e.name) continue;
    if (opt.batch_size == 0) Fatal("sampler '", name, "': batch_size must be > 0");
    if (cell_of_sample.empty()) Fatal("sampler '", name, "': no samples");
    return e.make(cell_of_sample, opt);
  }
  std::string valid;
  for (const auto& e : Table()) valid += (valid.empty() ? "" : ", ") + std::string(e.name);
  Fatal("unknown sampler '", name, "' (valid: ", valid, ")");
}

std::vector<std::string> SamplerNames() {
  std::vector<std::string> names;
  for (const auto& e : Table()) names.push_back(e.name);
  return names;
}

}  // namespace prism
