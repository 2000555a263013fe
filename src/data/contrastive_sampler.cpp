// The contrastive sampler: half of each batch from an anchor cell line, half from the others.
#include <algorithm>
#include <numeric>

#include "data/sampler_internal.h"
#include "prism/error.h"

namespace prism {
namespace {

/// A cell line's samples in shuffled order, reshuffled when used up.
class Pool {
 public:
  Pool(std::vector<size_t> members, std::mt19937_64 rng)
      : items_(std::move(members)), rng_(std::move(rng)) {
    std::shuffle(items_.begin(), items_.end(), rng_);
  }
  size_t size() const { return items_.size(); }
  /// Appends `take` (<= size()) distinct samples to `batch`.
  void Take(size_t take, std::vector<size_t>* batch) {
    size_t first = batch->size();
    for (size_t t = 0; t < take; ++t) {
      if (pos_ == items_.size()) Reshuffle(*batch, first);
      batch->push_back(items_[pos_++]);
    }
  }

 private:
  /// New order for the next pass; samples already in this batch go last so none repeats.
  void Reshuffle(const std::vector<size_t>& batch, size_t first) {
    std::shuffle(items_.begin(), items_.end(), rng_);
    std::vector<size_t> taken(batch.begin() + first, batch.end());
    std::sort(taken.begin(), taken.end());
    std::stable_partition(items_.begin(), items_.end(), [&](size_t i) {
      return !std::binary_search(taken.begin(), taken.end(), i);
    });
    pos_ = 0;
  }
  std::vector<size_t> items_;
  std::mt19937_64 rng_;
  size_t pos_ = 0;
};

class ContrastiveSampler : public BatchSampler {
 public:
  ContrastiveSampler(sampler_internal::CellGroups groups, size_t n, const SamplerOptions& opt)
      : groups_(std::move(groups)), n_(n), opt_(opt) {}
  std::string name() const override { return "contrastive"; }
  bool homogeneous() const override { return false; }

  std::vector<std::vector<size_t>> Epoch(int epoch) override {
    const size_t k = groups_.names.size();
    const size_t b = opt_.batch_size;
    std::vector<Pool> pools;
    for (size_t c = 0; c < k; ++c)
      pools.emplace_back(groups_.members[c], sampler_internal::MakeRng(opt_.seed, epoch, 1 + c));
    std::vector<size_t> order(k);
    std::iota(order.begin(), order.end(), size_t{0});
    auto rng = sampler_internal::MakeRng(opt_.seed, epoch, 0);
    std::shuffle(order.begin(), order.end(), rng);

    const size_t num_batches = opt_.drop_last ? n_ / b : (n_ + b - 1) / b;
    const size_t half = (b + 1) / 2;
    const size_t rest = b - half;
    const size_t each = rest / (k - 1), extra = rest % (k - 1);
    std::vector<std::vector<size_t>> batches(num_batches);
    for (size_t i = 0; i < num_batches; ++i) {
      auto& batch = batches[i];
      batch.reserve(b);
      const size_t anchor = order[i % k];
      pools[anchor].Take(std::min(half, pools[anchor].size()), &batch);
      // The other cell lines in round-robin order after the anchor; the `extra` samples that do
      // not divide evenly go to a rotating subset of them.
      for (size_t j = 1; j < k; ++j) {
        size_t c = order[(i + j) % k];
        size_t share = each + ((j - 1 + i) % (k - 1) < extra ? 1 : 0);
        pools[c].Take(std::min(share, pools[c].size()), &batch);
      }
    }
    return batches;
  }

 private:
  sampler_internal::CellGroups groups_;
  size_t n_;
  SamplerOptions opt_;
};

}  // namespace

std::unique_ptr<BatchSampler> sampler_internal::MakeContrastiveSampler(
    const std::vector<std::string>& cells, const SamplerOptions& opt) {
  CellGroups groups = GroupByCell(cells);
  if (groups.names.size() < 2)
    Fatal("sampler 'contrastive' needs at least 2 cell lines, found ", groups.names.size(),
          groups.names.empty() ? "" : " ('" + groups.names[0] + "')");
  return std::make_unique<ContrastiveSampler>(std::move(groups), cells.size(), opt);
}

}  // namespace prism
