// train/perf_stats.h - what the trainer measures about its own speed: FLOPs of a batch through
// the model (for MFU), and the batches a loader thread prepares ahead of the step loop.
// Internal (includes LibTorch).
#pragma once

#include <cstdint>
#include <vector>

#include "model/model.h"
#include "prism/flops.h"

namespace prism::train {

/// Forward FLOPs of the matrix products of one batch through the model `o`, summed from what
/// each block reports (model::PrismNetImpl::ForwardFlops: conv, attention
/// scores/values, every Linear; elementwise work, norms and softmax are not counted, see
/// prism/flops.h). Sequence input: `e_width`/`p_width` are the padded token widths of the batch
/// (the model computes every padded position). Feature input: the widths are ignored.
FlopCounter BatchForwardFlops(const model::ModelOptions& o, int64_t batch, int64_t e_width,
                              int64_t p_width);

/// One training batch prepared on the loader thread.
struct PreparedBatch {
  std::vector<size_t> idx;    ///< the rows of this rank's share, in batch order
  int64_t global_size = 0;    ///< size of the global batch the share was cut from
  long position = 0;          ///< 1-based index of the global batch in the epoch (progress)
  model::Batch batch;         ///< the collated tensors of `idx`
  double forward_flops = 0;   ///< BatchForwardFlops of `batch`
};

}  // namespace prism::train
