// model/model.cpp - the PRISM network blocks (see model.h).
#include "model/model.h"

#include <cmath>
#include <cstring>

#include "model/fused_embed_conv.h"
#include "prism/error.h"

namespace prism::model {

namespace F = torch::nn::functional;

// ---- RoPE, GRL, DANN ------------------------------------------------------------------------

torch::Tensor ApplyRope(const torch::Tensor& x, double base) {
  const int64_t len = x.size(-2), dim = x.size(-1), half = dim / 2;
  PRISM_CHECK(dim % 2 == 0, "RoPE needs an even head dimension, got ", dim);
  auto opts = x.options();
  auto inv_freq = torch::pow(base, -torch::arange(0, half, opts) * (2.0 / dim));  // [half]
  auto pos = torch::arange(0, len, opts);                                         // [L]
  auto angle = pos.unsqueeze(1) * inv_freq.unsqueeze(0);                          // [L, half]
  auto cos = angle.cos(), sin = angle.sin();
  auto x1 = x.narrow(-1, 0, half), x2 = x.narrow(-1, half, half);
  return torch::cat({x1 * cos - x2 * sin, x1 * sin + x2 * cos}, -1);
}

namespace {
struct GradReverseFn : public torch::autograd::Function<GradReverseFn> {
  static torch::Tensor forward(torch::autograd::AutogradContext* ctx, torch::Tensor x,
                               double lambda) {
    ctx->saved_data["lambda"] = lambda;
    return x.clone();
  }
  static torch::autograd::variable_list backward(torch::autograd::AutogradContext* ctx,
                                                 torch::autograd::variable_list grad) {
    double lambda = ctx->saved_data["lambda"].toDouble();
    return {grad[0] * -lambda, torch::Tensor()};
  }
};
}  // namespace

torch::Tensor GradReverse(const torch::Tensor& x, double lambda) {
  return GradReverseFn::apply(x, lambda);
}

double DannLambda(double progress) {
  progress = std::min(1.0, std::max(0.0, progress));
  return 2.0 / (1.0 + std::exp(-10.0 * progress)) - 1.0;
}

// ---- MaskedBatchNorm ------------------------------------------------------------------------

MaskedBatchNormImpl::MaskedBatchNormImpl(const MaskedBatchNormOptions& o) : options(o) { reset(); }

void MaskedBatchNormImpl::reset() {
  weight = register_parameter("weight", torch::ones({options.channels()}));
  bias = register_parameter("bias", torch::zeros({options.channels()}));
  running_mean = register_buffer("running_mean", torch::zeros({options.channels()}));
  running_var = register_buffer("running_var", torch::ones({options.channels()}));
}

torch::Tensor MaskedBatchNormImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  torch::Tensor mean, var;
  if (is_training()) {
    auto m = mask.unsqueeze(-1).to(x.dtype());                    // [B, L, 1]
    auto count = m.sum().clamp_min(1.0);
    mean = (x * m).sum(std::vector<int64_t>{0, 1}) / count;                           // [C]
    var = (((x - mean) * m).pow(2)).sum(std::vector<int64_t>{0, 1}) / count;          // biased, as BatchNorm
    torch::NoGradGuard ng;
    double n = count.item<double>();
    auto unbiased = var.detach() * (n / std::max(1.0, n - 1.0));
    running_mean.mul_(1 - options.momentum()).add_(mean.detach() * options.momentum());
    running_var.mul_(1 - options.momentum()).add_(unbiased * options.momentum());
  } else {
    mean = running_mean;
    var = running_var;
  }
  auto y = (x - mean) / torch::sqrt(var + options.eps()) * weight + bias;
  return y * mask.unsqueeze(-1).to(y.dtype());
}

// ---- Attention ------------------------------------------------------------------------------

AttentionImpl::AttentionImpl(const AttentionOptions& o) : options(o) { reset(); }

void AttentionImpl::reset() {
  PRISM_CHECK(options.dim() % options.heads() == 0, "attention dim ", options.dim(),
              " not divisible by heads ", options.heads());
  q = register_module("q", torch::nn::Linear(options.dim(), options.dim()));
  k = register_module("k", torch::nn::Linear(options.dim(), options.dim()));
  v = register_module("v", torch::nn::Linear(options.dim(), options.dim()));
  o = register_module("o", torch::nn::Linear(options.dim(), options.dim()));
  drop = register_module("drop", torch::nn::Dropout(options.dropout()));
}

torch::Tensor AttentionImpl::forward(const torch::Tensor& query, const torch::Tensor& key,
                                     const torch::Tensor& key_mask) {
  const int64_t b = query.size(0), lq = query.size(1), lk = key.size(1);
  const int64_t h = options.heads(), dh = options.dim() / h;
  auto qh = q(query).view({b, lq, h, dh}).transpose(1, 2);  // [B, H, Lq, dh]
  auto kh = k(key).view({b, lk, h, dh}).transpose(1, 2);
  auto vh = v(key).view({b, lk, h, dh}).transpose(1, 2);
  if (options.rope()) {
    qh = ApplyRope(qh);
    kh = ApplyRope(kh);
  }
  auto scores = torch::matmul(qh, kh.transpose(-2, -1)) / std::sqrt(static_cast<double>(dh));
  scores = scores.masked_fill(key_mask.logical_not().view({b, 1, 1, lk}), -1e9);
  auto attn = drop(torch::softmax(scores, -1));
  auto out = torch::matmul(attn, vh).transpose(1, 2).reshape({b, lq, options.dim()});
  return o(out);
}

// ---- SequenceEncoder ------------------------------------------------------------------------

SequenceEncoderImpl::SequenceEncoderImpl(const ModelOptions& o) : options(o) { reset(); }

void SequenceEncoderImpl::reset() {
  const auto& o = options;
  embed = register_module(
      "embed", torch::nn::Embedding(torch::nn::EmbeddingOptions(o.vocab(), o.embed_dim())
                                        .padding_idx(0)));
  if (o.kmer_composition()) {
    // Token t = 1 + 2-bit code of the k-mer (first base in the highest bits, A=0 C=1 G=2 T=3).
    constexpr int64_t kK = 6;
    PRISM_CHECK(o.vocab() == (int64_t{1} << (2 * kK)) + 1,
                "kmer_composition needs the 6-mer vocabulary (4097 ids)");
    auto bases = torch::zeros({o.vocab(), 4 * kK});
    auto acc = bases.accessor<float, 2>();
    for (int64_t t = 1; t < o.vocab(); ++t)
      for (int64_t pos = 0; pos < kK; ++pos)
        acc[t][4 * pos + (((t - 1) >> (2 * (kK - 1 - pos))) & 3)] = 1.0f;
    kmer_bases = register_buffer("kmer_bases", bases);
    compose = register_module("compose", torch::nn::Linear(torch::nn::LinearOptions(
                                             4 * kK, o.embed_dim()).bias(false)));
    // The table starts at zero: early training shapes the shared base vectors (which generalise
    // to unseen variants of a motif) instead of memorising individual k-mers.
    torch::NoGradGuard ng;
    embed->weight.zero_();
    // Without the table the parameter stays registered (stable keys, loadable checkpoints) but
    // is frozen at zero.
    if (!o.kmer_table()) embed->weight.set_requires_grad(false);
  }
  if (o.both_strands()) {
    // The id of each 6-mer's reverse complement (PAD stays PAD).
    constexpr int64_t kK = 6;
    PRISM_CHECK(o.vocab() == (int64_t{1} << (2 * kK)) + 1,
                "both_strands needs the 6-mer vocabulary (4097 ids)");
    auto rc = torch::zeros({o.vocab()}, torch::kInt64);
    auto r = rc.accessor<int64_t, 1>();
    for (int64_t t = 1; t < o.vocab(); ++t) {
      int64_t code = t - 1, out = 0;
      for (int64_t pos = 0; pos < kK; ++pos) {
        out = (out << 2) | (3 - (code & 3));  // last base first, complemented
        code >>= 2;
      }
      r[t] = out + 1;
    }
    rc_token = register_buffer("rc_token", rc);
  }
  conv = register_module("conv", torch::nn::Conv1d(torch::nn::Conv1dOptions(
                                     o.embed_dim(), o.channels(), o.kernel())));
  bn = register_module("bn", MaskedBatchNorm(MaskedBatchNormOptions(o.channels())));
  drop = register_module("drop", torch::nn::Dropout(o.dropout()));
  self_attn = register_module(
      "self_attn", Attention(AttentionOptions(o.channels(), o.heads()).rope(true)
                                 .dropout(o.dropout())));
  norm = register_module("norm", torch::nn::LayerNorm(
                                     torch::nn::LayerNormOptions({o.channels()})));
}

torch::Tensor SequenceEncoderImpl::EmbeddingMatrix() {
  if (!compose) return embed->weight;
  return embed->weight + compose(kmer_bases);  // PAD row: 0 + W * 0 = 0
}

torch::Tensor SequenceEncoderImpl::ReverseComplementTokens(const torch::Tensor& tokens,
                                                           const torch::Tensor& lengths) {
  PRISM_CHECK(rc_token.defined(), "ReverseComplementTokens needs model.both_strands");
  const int64_t len = tokens.size(1);
  auto pos = torch::arange(len, lengths.options()).unsqueeze(0);  // [1, L]
  auto src = lengths.unsqueeze(1) - 1 - pos;                       // [B, L]
  auto valid = src >= 0;
  auto picked = tokens.gather(1, src.clamp_min(0));
  return rc_token.index_select(0, picked.flatten()).view_as(picked) * valid.to(picked.dtype());
}

std::pair<torch::Tensor, torch::Tensor> SequenceEncoderImpl::forward(
    const torch::Tensor& tokens, const torch::Tensor& lengths) {
  auto e = Encode(tokens, lengths);
  return {e.x, e.mask};
}

SequenceEncoderImpl::Encoded SequenceEncoderImpl::Encode(const torch::Tensor& tokens,
                                                         const torch::Tensor& lengths) {
  const int64_t b = tokens.size(0), len = tokens.size(1);
  const int64_t k = options.kernel(), pool = options.pool();
  auto lens = lengths.clamp_min(1);
  // Conv window i covers tokens [i, i+k); positions past the end read PAD (zero embedding)
  // whether that padding is the batch's or the sequence's own, so valid outputs are the same
  // for any amount of padding.
  auto conv_relu = [&](const torch::Tensor& t) {
    if (options.fused_embed_conv()) {
      // The same conv(embed(x)) through the table: k-1 PAD tokens (zero embedding) at the end
      // stand for the zero padding of the plain path.
      auto padded = F::pad(t, F::PadFuncOptions({0, k - 1}));
      return torch::relu(FusedEmbedConv1d(padded, EmbeddingMatrix(), conv->weight, conv->bias,
                                          /*padding_idx=*/0));  // [B, C, L]
    }
    auto e = compose ? F::embedding(t, EmbeddingMatrix(), F::EmbeddingFuncOptions().padding_idx(0))
                     : embed(t);
    e = F::pad(e.transpose(1, 2), F::PadFuncOptions({0, k - 1}));  // [B, E, L + k - 1]
    return torch::relu(conv(e));                                    // [B, C, L]
  };
  torch::Tensor x = conv_relu(tokens);
  auto mask = torch::arange(len, lens.options()).unsqueeze(0) < lens.unsqueeze(1);  // [B, L]
  x = x * mask.unsqueeze(1).to(x.dtype());                    // invalid -> 0 (<= any ReLU)
  torch::Tensor rc_presence;
  if (options.both_strands()) {
    // The reverse complement's valid tokens are the same prefix length: the same mask.
    rc_presence = (conv_relu(ReverseComplementTokens(tokens, lens)) *
                   mask.unsqueeze(1).to(x.dtype())).amax(-1);  // [B, C]
  }
  // Pool windows; the last partial window is kept (padded with zeros, masked).
  const int64_t pooled = PooledLength(options, len), full = pooled * pool;
  if (full > len) {
    x = F::pad(x, F::PadFuncOptions({0, full - len}));
    mask = F::pad(mask.to(torch::kFloat), F::PadFuncOptions({0, full - len})).to(torch::kBool);
  }
  x = F::max_pool1d(x, F::MaxPool1dFuncOptions(pool).stride(pool));  // [B, C, L']
  // Invalid positions are 0 and ReLU outputs >= 0, so the max over all positions is the max
  // over the valid ones (padding-invariant).
  auto presence = x.amax(-1);                                  // [B, C]
  if (rc_presence.defined()) presence = torch::maximum(presence, rc_presence);
  if (options.presence_cap()) presence = presence.clamp_max(1.0);
  auto pmask = mask.view({b, pooled, pool}).any(-1);          // valid if any input valid
  x = x.transpose(1, 2);                                      // [B, L', C]
  x = drop(bn(x, pmask));
  x = norm(x + self_attn(x, x, pmask));
  x = x * pmask.unsqueeze(-1).to(x.dtype());
  return {x, pmask, presence};
}

// ---- AttentionPool --------------------------------------------------------------------------

AttentionPoolImpl::AttentionPoolImpl(int64_t d) : dim(d) { reset(); }

void AttentionPoolImpl::reset() { score = register_module("score", torch::nn::Linear(dim, 1)); }

torch::Tensor AttentionPoolImpl::forward(const torch::Tensor& x, const torch::Tensor& mask) {
  auto s = score(x).squeeze(-1).masked_fill(mask.logical_not(), -1e9);  // [B, L]
  auto w = torch::softmax(s, -1);
  return (w.unsqueeze(-1) * x).sum(1);
}

// ---- PairEncoder ----------------------------------------------------------------------------

PairEncoderImpl::PairEncoderImpl(const ModelOptions& o) : options(o) { reset(); }

void PairEncoderImpl::reset() {
  const auto& o = options;
  const int64_t c = o.channels();
  enhancer = register_module("enhancer", SequenceEncoder(o));
  promoter = register_module("promoter", SequenceEncoder(o));
  e_from_p = register_module("e_from_p", Attention(AttentionOptions(c, o.heads())
                                                       .dropout(o.dropout())));
  p_from_e = register_module("p_from_e", Attention(AttentionOptions(c, o.heads())
                                                       .dropout(o.dropout())));
  e_norm = register_module("e_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c})));
  p_norm = register_module("p_norm", torch::nn::LayerNorm(torch::nn::LayerNormOptions({c})));
  e_pool = register_module("e_pool", AttentionPool(c));
  p_pool = register_module("p_pool", AttentionPool(c));
  out = register_module("out", torch::nn::Sequential(torch::nn::Linear(ReadoutWidth(o), o.hidden()),
                                                     torch::nn::ReLU(),
                                                     torch::nn::Dropout(o.dropout())));
}

torch::Tensor PairEncoderImpl::forward(const torch::Tensor& e_tokens, const torch::Tensor& e_len,
                                       const torch::Tensor& p_tokens, const torch::Tensor& p_len) {
  auto ee = enhancer->Encode(e_tokens, e_len);
  auto pe = promoter->Encode(p_tokens, p_len);
  const auto &e = ee.x, &em = ee.mask, &p = pe.x, &pm = pe.mask;
  auto e2 = e_norm(e + e_from_p(e, p, pm)) * em.unsqueeze(-1).to(e.dtype());  // E <- P
  auto p2 = p_norm(p + p_from_e(p, e, em)) * pm.unsqueeze(-1).to(p.dtype());  // P <- E
  std::vector<torch::Tensor> readout{e_pool(e2, em), p_pool(p2, pm)};
  if (options.presence_readout()) readout.insert(readout.end(), {ee.presence, pe.presence});
  if (options.pair_interaction())  // [B, C, 1] * [B, 1, C] -> [B, C*C]
    readout.push_back((ee.presence.unsqueeze(2) * pe.presence.unsqueeze(1)).flatten(1));
  return out->forward(torch::cat(readout, -1));
}

// ---- FeatureEncoder -------------------------------------------------------------------------

FeatureEncoderImpl::FeatureEncoderImpl(const ModelOptions& o) : options(o) { reset(); }

void FeatureEncoderImpl::reset() {
  const auto& o = options;
  PRISM_CHECK_GT(o.num_features(), 0, "feature encoder needs num_features");
  mlp = register_module("mlp", torch::nn::Sequential(
                                   torch::nn::Linear(o.num_features(), o.feature_hidden()),
                                   torch::nn::ReLU(), torch::nn::Dropout(o.dropout()),
                                   torch::nn::Linear(o.feature_hidden(), o.hidden()),
                                   torch::nn::ReLU(), torch::nn::Dropout(o.dropout())));
}

torch::Tensor FeatureEncoderImpl::forward(const torch::Tensor& features) {
  // Input dropout is a function, not a module of mlp: checkpoints keep their parameter names.
  // Off (0), it draws no random numbers, so the other dropouts' draws stay as they were.
  const bool drop = is_training() && options.input_dropout() > 0;
  return mlp->forward(drop ? F::dropout(features, F::DropoutFuncOptions()
                                                      .p(options.input_dropout()).training(true))
                           : features);
}

// ---- PrototypeNet ---------------------------------------------------------------------------

PrototypeNetImpl::PrototypeNetImpl(int64_t k, int64_t d) : num_cells(k), dim(d) { reset(); }

void PrototypeNetImpl::reset() {
  prototypes = register_parameter("prototypes", torch::randn({num_cells, dim}) * 0.1);
}

torch::Tensor PrototypeNetImpl::AssignGroups(const torch::Tensor& z_e, const torch::Tensor& group,
                                             int64_t num_groups) {
  auto sums = torch::zeros({num_groups, z_e.size(1)}, z_e.options()).index_add(0, group, z_e);
  auto counts = torch::zeros({num_groups}, z_e.options())
                    .index_add(0, group, torch::ones({z_e.size(0)}, z_e.options()));
  auto means = sums / counts.clamp_min(1.0).unsqueeze(1);                     // [G, D]
  auto d2 = (means.unsqueeze(1) - prototypes.unsqueeze(0)).pow(2).sum(-1);    // [G, K]
  return torch::log_softmax(-d2, -1);
}

torch::Tensor PrototypeNetImpl::Assign(const torch::Tensor& mean_z_e) {
  auto d2 = (mean_z_e.unsqueeze(0) - prototypes).pow(2).sum(-1);  // [K]
  return torch::log_softmax(-d2, -1);
}

torch::Tensor PrototypeNetImpl::Mix(const torch::Tensor& weights) {
  return torch::matmul(weights, prototypes);
}

// ---- PrismNet -------------------------------------------------------------------------------

PrismNetImpl::PrismNetImpl(const ModelOptions& o) : options(o) { reset(); }

void PrismNetImpl::reset() {
  const auto& o = options;
  using torch::nn::Linear;
  using torch::nn::ReLU;
  using torch::nn::Sequential;
  if (o.input() == "sequence") {
    pair_encoder = register_module("pair_encoder", PairEncoder(o));
  } else if (o.input() == "features") {
    feature_encoder = register_module("feature_encoder", FeatureEncoder(o));
  } else {
    Fatal("unknown model input '", o.input(), "' (expected sequence or features)");
  }
  const int64_t zi_in = o.hidden() + (o.use_distance() ? 1 : 0);
  proj_i = register_module("proj_i", Sequential(Linear(zi_in, o.hidden()), ReLU(),
                                                Linear(o.hidden(), o.z_i_dim())));
  proj_e = register_module("proj_e", Sequential(Linear(o.hidden(), o.hidden()), ReLU(),
                                                Linear(o.hidden(), o.z_e_dim())));
  u_head = register_module("u_head", Sequential(Linear(o.z_i_dim(), o.head_hidden()), ReLU(),
                                                Linear(o.head_hidden(), 1)));
  r_head = register_module("r_head", Sequential(Linear(2 * o.z_e_dim(), o.head_hidden()),
                                                ReLU(), Linear(o.head_hidden(), 1)));
  discriminator = register_module(
      "discriminator", Sequential(Linear(o.z_i_dim(), o.head_hidden()), ReLU(),
                                  Linear(o.head_hidden(), std::max<int64_t>(o.num_cells(), 2))));
  prototypes = register_module("prototypes", PrototypeNet(o.num_cells(), o.z_e_dim()));
  // softplus(t_raw) = t_init
  double t0 = std::max(o.t_init() - kTempEps, 1e-3);
  t_raw = register_parameter("t_raw", torch::full({1}, std::log(std::expm1(t0))));
}

torch::Tensor PrismNetImpl::Encode(const Batch& b) {
  if (pair_encoder) return pair_encoder(b.e_tokens, b.e_len, b.p_tokens, b.p_len);
  return feature_encoder(b.features);
}

std::pair<torch::Tensor, torch::Tensor> PrismNetImpl::Project(const torch::Tensor& h,
                                                              const Batch& b) {
  torch::Tensor hi = h;
  if (options.use_distance()) {
    PRISM_CHECK(b.distance.defined(), "model expects a distance input");
    hi = torch::cat({h, b.distance.view({-1, 1}).to(h.dtype())}, -1);
  }
  return {proj_i->forward(hi), proj_e->forward(h)};
}

torch::Tensor PrismNetImpl::Temperature() { return F::softplus(t_raw).squeeze(0) + kTempEps; }

void PrismNetImpl::Heads(Output* out, const torch::Tensor& e_c) {
  out->u_i = u_head->forward(out->z_i).squeeze(-1);
  out->r_e = F::softplus(r_head->forward(torch::cat({out->z_e, e_c}, -1))).squeeze(-1);
  out->temperature = Temperature();
  out->logit = (out->u_i - out->r_e) / out->temperature;
}

Output PrismNetImpl::forward(const Batch& b, ContextMode mode, double grl_lambda) {
  Output out;
  auto h = Encode(b);
  std::tie(out.z_i, out.z_e) = Project(h, b);
  const int64_t n = out.z_e.size(0), d = out.z_e.size(1), k = prototypes->num_cells;
  torch::Tensor e_c;
  switch (mode) {
    case ContextMode::kNone:
      e_c = torch::zeros({n, d}, out.z_e.options());
      break;
    case ContextMode::kGroups: {
      out.log_assign = prototypes->AssignGroups(out.z_e, b.group, b.num_groups);
      e_c = prototypes->Mix(out.log_assign.exp()).index_select(0, b.group);
      break;
    }
    case ContextMode::kUniform:
      e_c = prototypes->Mix(torch::full({k}, 1.0 / k, out.z_e.options())).view({1, d})
                .expand({n, d});
      break;
  }
  Heads(&out, e_c);
  if (grl_lambda >= 0) out.disc_logits = discriminator->forward(GradReverse(out.z_i, grl_lambda));
  return out;
}

int64_t PrismNetImpl::NumParameters() const {
  int64_t n = 0;
  for (const auto& p : parameters()) n += p.numel();
  return n;
}

}  // namespace prism::model
