// train/perf_stats.cpp - FLOPs of a batch through the PRISM network (see perf_stats.h).
#include "train/perf_stats.h"

#include <algorithm>

namespace prism::train {

namespace {

/// Attention block: q/k/v/o projections + scores and weighted values.
void AddAttention(FlopCounter* f, const std::string& name, int64_t batch, int64_t q_len,
                  int64_t k_len, int64_t dim, int64_t heads) {
  const double proj = LinearForwardFlops(batch * q_len, dim, dim) * 2 +   // q, o
                      LinearForwardFlops(batch * k_len, dim, dim) * 2;    // k, v
  f->Add(name, proj + AttentionForwardFlops(batch, heads, q_len, k_len, dim / heads));
}

}  // namespace

FlopCounter BatchForwardFlops(const model::ModelOptions& o, int64_t b, int64_t e_width,
                              int64_t p_width) {
  FlopCounter f;
  const int64_t c = o.channels(), hd = o.hidden(), hh = o.head_hidden();
  if (o.input() == "features") {
    f.Add("feature_mlp", LinearForwardFlops(b, o.num_features(), o.feature_hidden()) +
                             LinearForwardFlops(b, o.feature_hidden(), hd));
  } else {
    const int64_t e_pooled = (std::max<int64_t>(1, e_width) + o.pool() - 1) / o.pool();
    const int64_t p_pooled = (std::max<int64_t>(1, p_width) + o.pool() - 1) / o.pool();
    // The conv runs over every (padded) token position: output length = width.
    f.Add("conv", Conv1dForwardFlops(b, o.embed_dim(), c, o.kernel(), e_width) +
                      Conv1dForwardFlops(b, o.embed_dim(), c, o.kernel(), p_width));
    AddAttention(&f, "self_attention", b, e_pooled, e_pooled, c, o.heads());
    AddAttention(&f, "self_attention", b, p_pooled, p_pooled, c, o.heads());
    AddAttention(&f, "cross_attention", b, e_pooled, p_pooled, c, o.heads());
    AddAttention(&f, "cross_attention", b, p_pooled, e_pooled, c, o.heads());
    f.Add("attention_pool", LinearForwardFlops(b * (e_pooled + p_pooled), c, 1));
    f.Add("pair_out", LinearForwardFlops(b, 2 * c, hd));
  }
  const int64_t zi_in = hd + (o.use_distance() ? 1 : 0);
  f.Add("heads", LinearForwardFlops(b, zi_in, hd) + LinearForwardFlops(b, hd, o.z_i_dim()) +
                     LinearForwardFlops(b, hd, hd) + LinearForwardFlops(b, hd, o.z_e_dim()) +
                     LinearForwardFlops(b, o.z_i_dim(), hh) + LinearForwardFlops(b, hh, 1) +
                     LinearForwardFlops(b, 2 * o.z_e_dim(), hh) + LinearForwardFlops(b, hh, 1) +
                     LinearForwardFlops(b, o.z_i_dim(), hh) +
                     LinearForwardFlops(b, hh, std::max<int64_t>(o.num_cells(), 2)));
  return f;
}

}  // namespace prism::train
