// prism/sampler.h - batch samplers for training (one registry: cell, contrastive, random).
//
// A sampler turns the cell line of every training sample into batches of sample indices, one
// epoch at a time. Epoch(e) depends only on (the cell lines, the options, e): calling it twice,
// or in any order, gives the same batches; different epochs are shuffled differently. All
// randomness comes from std::mt19937_64 seeded from (seed, epoch), never a global RNG.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace prism {

/// Options every sampler takes.
struct SamplerOptions {
  size_t batch_size = 64;  ///< samples per batch (> 0)
  uint64_t seed = 1;       ///< base seed
  bool drop_last = false;  ///< drop partial batches (see each sampler)
};

/// Produces the batches of one epoch.
class BatchSampler {
 public:
  virtual ~BatchSampler();
  /// Registry name ("cell", "contrastive", "random").
  virtual std::string name() const = 0;
  /// Batches of sample indices for epoch `epoch`; deterministic by (seed, epoch).
  virtual std::vector<std::vector<size_t>> Epoch(int epoch) = 0;
  /// True when every batch holds samples of exactly one cell line.
  virtual bool homogeneous() const = 0;
};

/// Creates a sampler by name for samples whose cell lines are `cell_of_sample`:
///  - "cell" (CellBatchSampler): every batch from exactly one cell line. Each epoch the samples of
///    every cell line are shuffled and cut into batches (the last, partial batch of each cell line
///    is kept unless drop_last), the cell lines are put in a shuffled order, and batches are taken
///    round-robin (one batch of each cell line in that order, again and again; cell lines that run
///    out drop out of the cycle). Every sample appears exactly once per epoch (without drop_last).
///  - "contrastive": batch_size/2 samples (rounded up) from one anchor cell line, placed first in
///    the batch, the rest spread evenly over the other cell lines (remainders rotate). Anchors
///    rotate round-robin over the cell lines in a per-epoch shuffled order. Each cell line draws
///    from its own shuffled pool, reshuffled when used up, so small cell lines repeat and large
///    ones are subsampled: every cell line contributes about N/K samples per epoch. An epoch has
///    ceil(N / batch_size) batches (floor with drop_last); no index repeats within a batch; a cell
///    line smaller than its share contributes all its samples. Needs >= 2 cell lines.
///  - "random": all samples shuffled and cut into batches (last partial kept unless drop_last).
/// An unknown name, batch_size 0, or no samples is a prism::Error.
std::unique_ptr<BatchSampler> CreateSampler(const std::string& name,
                                            const std::vector<std::string>& cell_of_sample,
                                            const SamplerOptions& opt);
/// The registry's names.
std::vector<std::string> SamplerNames();

}  // namespace prism
