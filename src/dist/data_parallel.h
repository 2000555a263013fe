// dist/data_parallel.h - multi-process data-parallel training on LibTorch's c10d.
//
// One process per rank: rank 0 hosts a c10d::TCPStore at the master ADDR:PORT, every rank joins
// a ProcessGroupGloo (CPU; NCCL when LibTorch is built with it and CUDA is available). Each rank
// trains on its shard of every global batch; AllReduceGradients() combines the gradients before
// the optimiser step so all ranks take the same step a single process would take on the whole
// global batch. Parameters start equal through BroadcastParameters(). See docs/distributed.md.
#pragma once

#include <torch/torch.h>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace prism {

/// How to join the process group.
struct DistributedOptions {
  int world_size = 1;                  ///< number of processes (ranks)
  int rank = 0;                        ///< this process, 0 <= rank < world_size
  std::string master = "127.0.0.1:29500";  ///< ADDR:PORT of rank 0's TCPStore
  std::chrono::milliseconds timeout{std::chrono::minutes(5)};  ///< rendezvous and collectives
  std::string backend = "auto";        ///< "auto" (NCCL if built and CUDA present, else gloo), "gloo", "nccl"
};

/// Splits "ADDR:PORT" (ADDR may be a [v6] literal); throws prism::Error naming the value.
std::pair<std::string, uint16_t> ParseMasterAddress(const std::string& master);

/// The indices [begin, end) of rank's contiguous share of n items split as evenly as possible
/// over world ranks (the first n % world ranks get one more).
std::pair<int64_t, int64_t> ShardRange(int64_t n, int rank, int world);
/// The items of ShardRange as a list of indices.
std::vector<int64_t> ShardIndices(int64_t n, int rank, int world);

/// A joined process group. world_size 1 needs no network and makes every collective a no-op.
class DistributedContext {
 public:
  /// Joins (blocks until all world_size ranks have joined or the timeout passes; throws
  /// prism::Error on bad options, unreachable master or timeout).
  explicit DistributedContext(const DistributedOptions& options);
  ~DistributedContext();
  DistributedContext(const DistributedContext&) = delete;
  DistributedContext& operator=(const DistributedContext&) = delete;

  int rank() const { return options_.rank; }
  int world_size() const { return options_.world_size; }
  /// True on the rank that writes checkpoints and logs (rank 0).
  bool is_main() const { return options_.rank == 0; }
  /// "none" (world 1), "gloo" or "nccl".
  const std::string& backend() const { return backend_; }

  /// Combines the gradients of `module`'s parameters across ranks in one flat all-reduce:
  /// weight < 0: plain average (equal local batch sizes); otherwise each rank's gradients are
  /// scaled by `weight` (e.g. local_batch / global_batch for uneven shards) and summed.
  /// A parameter with a gradient on some ranks only takes part as zeros on the others; one
  /// with a gradient on no rank keeps none (the optimiser leaves it alone, as in one process).
  void AllReduceGradients(torch::nn::Module& module, double weight = -1.0);
  /// Copies `root`'s parameters and buffers to every rank.
  void BroadcastParameters(torch::nn::Module& module, int root = 0);
  /// Sums `tensor` in place across ranks (e.g. loss totals and counts for logging).
  void AllReduceSum(torch::Tensor& tensor);
  /// Blocks until every rank reaches it.
  void Barrier();

 private:
  struct Group;  // the c10d store and process group (kept out of this header)
  DistributedOptions options_;
  std::string backend_ = "none";
  std::unique_ptr<Group> group_;
};

}  // namespace prism
