// model/model_flops.cpp - what each block of the network reports about itself without running:
// its forward FLOPs for an input shape (prism/flops.h conventions) and the parameter count.
// The model's figures are the sums over its blocks (model.h).
#include <algorithm>

#include "model/model.h"

namespace prism::model {

namespace {
int64_t LinearParams(int64_t in, int64_t out, bool bias = true) { return in * out + (bias ? out : 0); }
int64_t AttentionParams(int64_t dim) { return 4 * LinearParams(dim, dim); }
int64_t Classes(const ModelOptions& o) { return std::max<int64_t>(o.num_cells(), 2); }
}  // namespace

double AttentionImpl::ForwardFlops(const AttentionOptions& o, int64_t batch, int64_t q_len,
                                   int64_t k_len) {
  const int64_t d = o.dim();
  return LinearForwardFlops(batch * q_len, d, d) * 2 +  // q, o
         LinearForwardFlops(batch * k_len, d, d) * 2 +  // k, v
         AttentionForwardFlops(batch, o.heads(), q_len, k_len, d / o.heads());
}

int64_t SequenceEncoderImpl::PooledLength(const ModelOptions& o, int64_t len) {
  return (len + o.pool() - 1) / o.pool();
}

void SequenceEncoderImpl::AddForwardFlops(const ModelOptions& o, int64_t batch, int64_t len,
                                          FlopCounter* f) {
  len = std::max<int64_t>(1, len);
  // The conv runs over every (padded) token position: output length = width. The fused path
  // computes the same model (its table is an implementation detail, not counted).
  // both_strands: the same convolution once more over the reverse complement.
  f->Add("conv", (o.both_strands() ? 2 : 1) *
                     Conv1dForwardFlops(batch, o.embed_dim(), o.channels(), o.kernel(), len));
  const int64_t pooled = PooledLength(o, len);
  f->Add("self_attention",
         AttentionImpl::ForwardFlops(AttentionOptions(o.channels(), o.heads()), batch, pooled,
                                     pooled));
}

double AttentionPoolImpl::ForwardFlops(int64_t dim, int64_t batch, int64_t len) {
  return LinearForwardFlops(batch * len, dim, 1);
}

int64_t PairEncoderImpl::ReadoutWidth(const ModelOptions& o) {
  const int64_t c = o.channels();
  return (o.presence_readout() ? 4 : 2) * c + (o.pair_interaction() ? c * c : 0);
}

void PairEncoderImpl::AddForwardFlops(const ModelOptions& o, int64_t batch, int64_t e_len,
                                      int64_t p_len, FlopCounter* f) {
  SequenceEncoderImpl::AddForwardFlops(o, batch, e_len, f);
  SequenceEncoderImpl::AddForwardFlops(o, batch, p_len, f);
  const int64_t e = SequenceEncoderImpl::PooledLength(o, std::max<int64_t>(1, e_len));
  const int64_t p = SequenceEncoderImpl::PooledLength(o, std::max<int64_t>(1, p_len));
  const AttentionOptions cross(o.channels(), o.heads());
  f->Add("cross_attention", AttentionImpl::ForwardFlops(cross, batch, e, p) +
                                AttentionImpl::ForwardFlops(cross, batch, p, e));
  f->Add("attention_pool", AttentionPoolImpl::ForwardFlops(o.channels(), batch, e) +
                               AttentionPoolImpl::ForwardFlops(o.channels(), batch, p));
  f->Add("pair_out", LinearForwardFlops(batch, ReadoutWidth(o), o.hidden()));
}

void FeatureEncoderImpl::AddForwardFlops(const ModelOptions& o, int64_t batch, FlopCounter* f) {
  f->Add("feature_mlp", LinearForwardFlops(batch, o.num_features(), o.feature_hidden()) +
                            LinearForwardFlops(batch, o.feature_hidden(), o.hidden()));
}

FlopCounter PrismNetImpl::ForwardFlops(const ModelOptions& o, int64_t b, int64_t e_width,
                                       int64_t p_width) {
  FlopCounter f;
  if (o.input() == "features") FeatureEncoderImpl::AddForwardFlops(o, b, &f);
  else PairEncoderImpl::AddForwardFlops(o, b, e_width, p_width, &f);
  const int64_t hd = o.hidden(), hh = o.head_hidden();
  const int64_t zi_in = hd + (o.use_distance() ? 1 : 0);
  f.Add("heads", LinearForwardFlops(b, zi_in, hd) + LinearForwardFlops(b, hd, o.z_i_dim()) +  // proj_i
                     LinearForwardFlops(b, hd, hd) + LinearForwardFlops(b, hd, o.z_e_dim()) +  // proj_e
                     LinearForwardFlops(b, o.z_i_dim(), hh) + LinearForwardFlops(b, hh, 1) +   // u
                     LinearForwardFlops(b, 2 * o.z_e_dim(), hh) + LinearForwardFlops(b, hh, 1) +  // r
                     LinearForwardFlops(b, o.z_i_dim(), hh) + LinearForwardFlops(b, hh, Classes(o)));
  return f;
}

int64_t PrismNetImpl::ParameterCount(const ModelOptions& o) {
  const int64_t c = o.channels(), e = o.embed_dim(), hd = o.hidden(), hh = o.head_hidden();
  int64_t n = 0;
  if (o.input() == "features") {
    n += LinearParams(o.num_features(), o.feature_hidden()) + LinearParams(o.feature_hidden(), hd);
  } else {
    const int64_t stream = o.vocab() * e +                             // embedding table
                           (o.kmer_composition() ? 24 * e : 0) +       // compose (no bias)
                           e * c * o.kernel() + c +                    // conv
                           2 * c +                                     // masked batch norm
                           AttentionParams(c) + 2 * c;                 // self-attention, LayerNorm
    n += 2 * stream + 2 * (AttentionParams(c) + 2 * c)  // cross-attention + LayerNorm
         + 2 * LinearParams(c, 1)                       // attention pools
         + LinearParams(PairEncoderImpl::ReadoutWidth(o), hd);
  }
  n += LinearParams(hd + (o.use_distance() ? 1 : 0), hd) + LinearParams(hd, o.z_i_dim());
  n += LinearParams(hd, hd) + LinearParams(hd, o.z_e_dim());
  n += LinearParams(o.z_i_dim(), hh) + LinearParams(hh, 1);
  n += LinearParams(2 * o.z_e_dim(), hh) + LinearParams(hh, 1);
  n += LinearParams(o.z_i_dim(), hh) + LinearParams(hh, Classes(o));
  n += o.num_cells() * o.z_e_dim() + 1;  // prototypes, t_raw
  return n;
}

}  // namespace prism::model
