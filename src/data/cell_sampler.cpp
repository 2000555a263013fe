// The cell sampler (CellBatchSampler): homogeneous batches, cell lines round-robin.
#include <algorithm>
#include <numeric>

#include "data/sampler_internal.h"

namespace prism {
namespace {

class CellSampler : public BatchSampler {
 public:
  CellSampler(sampler_internal::CellGroups groups, const SamplerOptions& opt)
      : groups_(std::move(groups)), opt_(opt) {}
  std::string name() const override { return "cell"; }
  bool homogeneous() const override { return true; }

  std::vector<std::vector<size_t>> Epoch(int epoch) override {
    const size_t k = groups_.names.size();
    // Each cell line's samples shuffled by its own stream, then cut into batches.
    std::vector<std::vector<std::vector<size_t>>> per_cell(k);
    for (size_t c = 0; c < k; ++c) {
      std::vector<size_t> idx = groups_.members[c];
      auto rng = sampler_internal::MakeRng(opt_.seed, epoch, 1 + c);
      std::shuffle(idx.begin(), idx.end(), rng);
      sampler_internal::Chunk(idx, opt_.batch_size, opt_.drop_last, &per_cell[c]);
    }
    // Cell-line order of this epoch's round-robin.
    std::vector<size_t> order(k);
    std::iota(order.begin(), order.end(), size_t{0});
    auto rng = sampler_internal::MakeRng(opt_.seed, epoch, 0);
    std::shuffle(order.begin(), order.end(), rng);
    std::vector<std::vector<size_t>> batches;
    for (size_t round = 0;; ++round) {
      bool any = false;
      for (size_t c : order) {
        if (round < per_cell[c].size()) {
          batches.push_back(std::move(per_cell[c][round]));
          any = true;
        }
      }
      if (!any) break;
    }
    return batches;
  }

 private:
  sampler_internal::CellGroups groups_;
  SamplerOptions opt_;
};

}  // namespace

std::unique_ptr<BatchSampler> sampler_internal::MakeCellSampler(
    const std::vector<std::string>& cells, const SamplerOptions& opt) {
  return std::make_unique<CellSampler>(GroupByCell(cells), opt);
}

}  // namespace prism
