// train/perf_stats.cpp - FLOPs of a batch through the PRISM network (see perf_stats.h).
#include "train/perf_stats.h"

namespace prism::train {

FlopCounter BatchForwardFlops(const model::ModelOptions& o, int64_t b, int64_t e_width,
                              int64_t p_width) {
  return model::PrismNetImpl::ForwardFlops(o, b, e_width, p_width);
}

}  // namespace prism::train
