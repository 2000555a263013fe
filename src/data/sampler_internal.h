// Private helpers shared by the samplers: seeding and grouping samples by cell line.
#pragma once

#include <cstdint>
#include <random>
#include <string>
#include <vector>

#include "prism/sampler.h"

namespace prism::sampler_internal {

/// An RNG for (seed, epoch, stream): independent streams for independent shuffles.
std::mt19937_64 MakeRng(uint64_t seed, int epoch, uint64_t stream);

/// Sample indices per cell line, cell lines in order of first appearance.
struct CellGroups {
  std::vector<std::string> names;
  std::vector<std::vector<size_t>> members;
};
CellGroups GroupByCell(const std::vector<std::string>& cell_of_sample);

/// Cuts `idx` into batches of `batch_size` (last partial kept unless drop_last), appending them.
void Chunk(const std::vector<size_t>& idx, size_t batch_size, bool drop_last,
           std::vector<std::vector<size_t>>* out);

std::unique_ptr<BatchSampler> MakeCellSampler(const std::vector<std::string>& cells,
                                              const SamplerOptions& opt);
std::unique_ptr<BatchSampler> MakeContrastiveSampler(const std::vector<std::string>& cells,
                                                     const SamplerOptions& opt);
std::unique_ptr<BatchSampler> MakeRandomSampler(const std::vector<std::string>& cells,
                                                const SamplerOptions& opt);

}  // namespace prism::sampler_internal
