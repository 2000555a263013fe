// The random sampler: all samples shuffled and cut into batches.
#include <algorithm>
#include <numeric>

#include "data/sampler_internal.h"

namespace prism {
namespace {

class RandomSampler : public BatchSampler {
 public:
  RandomSampler(size_t n, const SamplerOptions& opt) : n_(n), opt_(opt) {}
  std::string name() const override { return "random"; }
  bool homogeneous() const override { return false; }
  std::vector<std::vector<size_t>> Epoch(int epoch) override {
    std::vector<size_t> idx(n_);
    std::iota(idx.begin(), idx.end(), size_t{0});
    auto rng = sampler_internal::MakeRng(opt_.seed, epoch, 0);
    std::shuffle(idx.begin(), idx.end(), rng);
    std::vector<std::vector<size_t>> batches;
    sampler_internal::Chunk(idx, opt_.batch_size, opt_.drop_last, &batches);
    return batches;
  }

 private:
  size_t n_;
  SamplerOptions opt_;
};

}  // namespace

std::unique_ptr<BatchSampler> sampler_internal::MakeRandomSampler(
    const std::vector<std::string>& cells, const SamplerOptions& opt) {
  return std::make_unique<RandomSampler>(cells.size(), opt);
}

}  // namespace prism
