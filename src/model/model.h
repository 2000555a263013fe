// model/model.h - the PRISM network (LibTorch). Internal header: only src/model, src/train,
// src/predict and tests/torch include it; the CLI sees the torch-free API in prism/train.h.
//
//   E tokens -> embed -> conv(k) -> ReLU -> maxpool(p) -> BN -> dropout -> self-attn (RoPE) ┐
//   P tokens -> embed -> conv(k) -> ReLU -> maxpool(p) -> BN -> dropout -> self-attn (RoPE) ┤
//                      cross-attention E<-P and P<-E, attention pooling -> h                ┘
//   (or: standardised feature vector -> MLP -> h)
//   z_I = proj_i([h, log10 distance])    z_E = proj_e(h)
//   U_I = f(z_I)   e_c = prototype read-out of a group's mean z_E   R_E = softplus(g([z_E, e_c]))
//   T = softplus(t) + eps                P(y=1) = sigmoid((U_I - R_E) / T)
//   cell discriminator on GRL(z_I).
//
// Padding: every sequence tensor travels with a boolean mask (true = valid position). Padded
// positions never influence valid ones, so adding padding does not change the output.
#pragma once

#include <array>

#include <torch/torch.h>

#include <string>
#include <vector>

#include "prism/flops.h"

namespace prism::model {

// ---- options ----------------------------------------------------------------------------------

/// Sizes and switches of the whole network. The values come from a training configuration
/// (train::ModelOptionsFor, src/train/model_recipe.cpp: the one mapping, with every conflict
/// check); the defaults here only make a valid small network for tests.
struct ModelOptions {
  TORCH_ARG(std::string, input) = "sequence";  ///< "sequence" or "features"
  TORCH_ARG(int64_t, vocab) = 4097;            ///< 6-mer ids 1..4096, 0 = PAD/unknown
  TORCH_ARG(int64_t, embed_dim) = 32;
  TORCH_ARG(int64_t, channels) = 32;           ///< conv output channels = attention width
  TORCH_ARG(int64_t, kernel) = 40;
  TORCH_ARG(int64_t, pool) = 20;
  TORCH_ARG(int64_t, heads) = 4;
  TORCH_ARG(double, dropout) = 0.1;
  TORCH_ARG(double, input_dropout) = 0.0;      ///< features: dropout on the input columns
  TORCH_ARG(int64_t, num_features) = 0;        ///< feature input width ("features" input)
  TORCH_ARG(int64_t, feature_hidden) = 64;     ///< feature MLP width
  TORCH_ARG(bool, use_distance) = false;       ///< log10 distance concatenated into z_I's path
  TORCH_ARG(int64_t, hidden) = 64;             ///< width of h
  TORCH_ARG(int64_t, z_i_dim) = 32;
  TORCH_ARG(int64_t, z_e_dim) = 16;
  TORCH_ARG(int64_t, head_hidden) = 32;        ///< width of f, g and the discriminator
  TORCH_ARG(int64_t, num_cells) = 1;           ///< training cell lines = prototypes = classes
  TORCH_ARG(double, t_init) = 1.0;             ///< initial temperature T
  /// Compositional k-mer embedding: embed(kmer) = table[kmer] + W * onehot(bases of kmer), so
  /// k-mers that differ in one base share most of their vector (motif instances with
  /// mismatches are recognised without seeing every variant). false = the table alone.
  TORCH_ARG(bool, kmer_composition) = false;
  /// With kmer_composition: also learn the free per-k-mer table (true), or keep it at zero so a
  /// token is embedded by its bases alone (false: 24 x embed_dim parameters instead of
  /// 4097 x embed_dim, nothing to memorise individual k-mers with). Ignored without composition.
  TORCH_ARG(bool, kmer_table) = true;
  /// Pair read-out also gets each stream's per-channel global max of the convolution features
  /// (after ReLU and pooling, before normalisation): "is motif detector k anywhere in the
  /// element". Attention pooling weighs positions with one score shared by all channels, after
  /// LayerNorm has rescaled every position, so with several motifs at different positions it
  /// averages their hits with background; the max keeps each detector's strongest hit.
  TORCH_ARG(bool, presence_readout) = false;
  /// Pair read-out also gets the outer product of the two streams' presence vectors: feature
  /// (i, j) = presence_E[i] * presence_P[j], "detector i in the enhancer and detector j in the
  /// promoter" - the form of a motif-pair grammar, which a hidden ReLU layer on the two vectors
  /// side by side has to build from separate units. Needs presence_readout.
  TORCH_ARG(bool, pair_interaction) = false;
  /// The presence read-out is capped at 1: presence = min(max over positions, 1), an indicator
  /// "detector k fired somewhere" rather than the strength of its best hit, so the pair
  /// interaction is the motif-pair indicator form of a grammar (a strong and a one-mismatch hit
  /// count the same; a linear read-out of uncapped products weighs them 4 : 1.3 : 0.4). Seeded
  /// filters are then biased so that an exact and a one-mismatch match both reach the cap
  /// (SeedFilters). Needs presence_readout; the features entering attention are not capped.
  TORCH_ARG(bool, presence_cap) = false;
  /// Context calibration at scoring time (train::Score): each cell line's resistance gets one
  /// offset so that its mean predicted probability equals the training positive rate. No
  /// parameters; used by prediction and validation in context mode only. Off unless configured:
  /// it assumes an unseen cell line's positive rate is the training one (docs/train-config.md).
  TORCH_ARG(bool, context_calibration) = false;
  /// Compute embedding + convolution through the per-step table T_k = W_k * E (gather-and-add,
  /// exact custom backward; model/fused_embed_conv.h) instead of lookup + conv1d. Numerically the
  /// same model with the same parameters; faster when batch x length is large (paper preset).
  TORCH_ARG(bool, fused_embed_conv) = false;
  /// The presence read-out scans both strands: presence = max(presence of the sequence,
  /// presence of its reverse complement) with the same filters, so a motif is one filter
  /// whichever strand its sites are on (the reverse-complement tokens are the 6-mer ids
  /// complemented and reversed within each sequence's length). Needs the 6-mer vocabulary; the
  /// positional features entering attention stay forward-strand.
  TORCH_ARG(bool, both_strands) = false;
};

// ---- building blocks ----------------------------------------------------------------------------

/// Rotary position embedding on x [B, H, L, Dh] (Dh even): pairs (x_j, x_{j+Dh/2}) rotated by
/// pos * base^(-2j/Dh). Positions are 0..L-1 from the start of the sequence.
torch::Tensor ApplyRope(const torch::Tensor& x, double base = 10000.0);

/// Gradient reversal: identity forward, -lambda * grad backward.
torch::Tensor GradReverse(const torch::Tensor& x, double lambda);

/// DANN ramp 2 / (1 + exp(-10 p)) - 1 for training progress p in [0, 1].
double DannLambda(double progress);

/// Batch normalisation over the valid positions of [B, L, C] only.
struct MaskedBatchNormOptions {
  MaskedBatchNormOptions(int64_t channels) : channels_(channels) {}
  TORCH_ARG(int64_t, channels);
  TORCH_ARG(double, momentum) = 0.1;
  TORCH_ARG(double, eps) = 1e-5;
};
class MaskedBatchNormImpl : public torch::nn::Cloneable<MaskedBatchNormImpl> {
 public:
  explicit MaskedBatchNormImpl(const MaskedBatchNormOptions& o);
  void reset() override;
  /// x [B, L, C], mask [B, L] bool -> [B, L, C]; statistics from valid positions in training.
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);
  MaskedBatchNormOptions options;
  torch::Tensor weight, bias, running_mean, running_var;
};
TORCH_MODULE(MaskedBatchNorm);

/// Multi-head attention with key padding mask; optional RoPE on queries and keys.
struct AttentionOptions {
  AttentionOptions(int64_t dim, int64_t heads) : dim_(dim), heads_(heads) {}
  TORCH_ARG(int64_t, dim);
  TORCH_ARG(int64_t, heads);
  TORCH_ARG(bool, rope) = false;
  TORCH_ARG(double, dropout) = 0.0;
};
class AttentionImpl : public torch::nn::Cloneable<AttentionImpl> {
 public:
  explicit AttentionImpl(const AttentionOptions& o);
  void reset() override;
  /// query [B, Lq, D], key/value [B, Lk, D], key_mask [B, Lk] bool -> [B, Lq, D].
  torch::Tensor forward(const torch::Tensor& query, const torch::Tensor& key,
                        const torch::Tensor& key_mask);
  /// Forward FLOPs (prism/flops.h conventions) for `batch` queries of length `q_len` over keys
  /// of length `k_len`: the q/o projections on the queries, k/v on the keys, scores and values.
  static double ForwardFlops(const AttentionOptions& o, int64_t batch, int64_t q_len,
                             int64_t k_len);
  AttentionOptions options;
  torch::nn::Linear q{nullptr}, k{nullptr}, v{nullptr}, o{nullptr};
  torch::nn::Dropout drop{nullptr};
};
TORCH_MODULE(Attention);

/// One sequence stream: embed -> conv -> ReLU -> maxpool -> masked BN -> dropout -> self-attn.
class SequenceEncoderImpl : public torch::nn::Cloneable<SequenceEncoderImpl> {
 public:
  explicit SequenceEncoderImpl(const ModelOptions& o);
  void reset() override;
  /// tokens [B, L] int64, lengths [B] int64 (valid prefix) -> {x [B, L', C], mask [B, L']}.
  std::pair<torch::Tensor, torch::Tensor> forward(const torch::Tensor& tokens,
                                                  const torch::Tensor& lengths);
  /// forward() plus the per-channel max over valid positions of the pooled convolution
  /// features [B, C] (the presence read-out).
  struct Encoded {
    torch::Tensor x, mask, presence;
  };
  Encoded Encode(const torch::Tensor& tokens, const torch::Tensor& lengths);
  /// The embedding matrix [vocab, embed_dim] the tokens are looked up in: the table, plus the
  /// base composition part when `kmer_composition` is on (row 0 = PAD stays zero).
  torch::Tensor EmbeddingMatrix();
  /// Motif seeding: filter f (f < kmers.size()) becomes a detector of kmers[f] with at most one
  /// mismatch. Needs kmer_composition: embedding dimensions 0..3 become the one-hot of each
  /// token's first base (the rest of the composition is kept), and filter f reads base j of the
  /// k-mer at kernel tap j: weight +1 for the k-mer's base, -1/3 for the others, bias -(m - 2),
  /// so after ReLU an exact match gives 2, one mismatch 2/3, two or more 0. Other filters keep
  /// their initialisation; no k-mers changes nothing. prism::Error when a k-mer is longer than
  /// the kernel, has a byte other than A/C/G/T, or there are more k-mers than channels.
  void SeedFilters(const std::vector<std::string>& kmers);
  /// Motif seeding with position weight matrices (model.motif_seed_pwm): filter f reads column j
  /// of weights[f] ([width][4] log2-odds, width <= kernel) at tap j and gets bias
  /// 1 - thresholds[f], so after ReLU a window scoring at the site threshold gives 1 (the
  /// presence cap) and one a bit or more below it 0. Same embedding set-up and errors as
  /// SeedFilters.
  void SeedPwmFilters(const std::vector<std::vector<std::array<double, 4>>>& weights,
                      const std::vector<double>& thresholds);
  /// The reverse-complement token rows of `tokens` [B, L] with `lengths` valid tokens each:
  /// row b = rc(tokens[b, len_b - 1]), ..., rc(tokens[b, 0]), then PAD (both_strands).
  torch::Tensor ReverseComplementTokens(const torch::Tensor& tokens, const torch::Tensor& lengths);
  /// Pooled length of `len` tokens (the last partial window is kept).
  static int64_t PooledLength(const ModelOptions& o, int64_t len);
  /// Adds the forward FLOPs of one stream over `batch` x `len` (padded) tokens: "conv" (every
  /// token position) and "self_attention" (the pooled positions).
  static void AddForwardFlops(const ModelOptions& o, int64_t batch, int64_t len, FlopCounter* f);
  ModelOptions options;
  torch::nn::Embedding embed{nullptr};
  torch::nn::Linear compose{nullptr};  ///< kmer_composition: [6 positions x 4 bases] -> embed_dim
  torch::Tensor kmer_bases;            ///< kmer_composition: buffer [vocab, 24], one-hot bases
  torch::Tensor rc_token;              ///< both_strands: buffer [vocab] int64, id of the RC 6-mer
  torch::nn::Conv1d conv{nullptr};
  MaskedBatchNorm bn{nullptr};
  torch::nn::Dropout drop{nullptr};
  Attention self_attn{nullptr};
  torch::nn::LayerNorm norm{nullptr};
};
TORCH_MODULE(SequenceEncoder);

/// Masked attention pooling [B, L, C] -> [B, C].
class AttentionPoolImpl : public torch::nn::Cloneable<AttentionPoolImpl> {
 public:
  explicit AttentionPoolImpl(int64_t dim);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& x, const torch::Tensor& mask);
  /// Forward FLOPs of scoring `batch` x `len` positions of width `dim`.
  static double ForwardFlops(int64_t dim, int64_t batch, int64_t len);
  int64_t dim;
  torch::nn::Linear score{nullptr};
};
TORCH_MODULE(AttentionPool);

/// Enhancer + promoter encoders, bidirectional cross-attention, pooling -> h [B, hidden].
class PairEncoderImpl : public torch::nn::Cloneable<PairEncoderImpl> {
 public:
  explicit PairEncoderImpl(const ModelOptions& o);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& e_tokens, const torch::Tensor& e_len,
                        const torch::Tensor& p_tokens, const torch::Tensor& p_len);
  /// Inputs of the read-out layer: the two pooled streams (2c), with presence_readout the two
  /// presence vectors (+2c), with pair_interaction their outer product (+c^2).
  static int64_t ReadoutWidth(const ModelOptions& o);
  /// Adds the forward FLOPs of both streams, the cross-attention, the pooling and the read-out
  /// ("pair_out") for `batch` pairs of `e_len` / `p_len` (padded) tokens.
  static void AddForwardFlops(const ModelOptions& o, int64_t batch, int64_t e_len,
                              int64_t p_len, FlopCounter* f);
  ModelOptions options;
  SequenceEncoder enhancer{nullptr}, promoter{nullptr};
  Attention e_from_p{nullptr}, p_from_e{nullptr};
  torch::nn::LayerNorm e_norm{nullptr}, p_norm{nullptr};
  AttentionPool e_pool{nullptr}, p_pool{nullptr};
  torch::nn::Sequential out{nullptr};
};
TORCH_MODULE(PairEncoder);

/// Feature-table encoder: MLP on (already log1p'd and per-cell-line standardised) features.
class FeatureEncoderImpl : public torch::nn::Cloneable<FeatureEncoderImpl> {
 public:
  explicit FeatureEncoderImpl(const ModelOptions& o);
  void reset() override;
  torch::Tensor forward(const torch::Tensor& features);
  /// Adds the forward FLOPs of the MLP ("feature_mlp") for `batch` rows.
  static void AddForwardFlops(const ModelOptions& o, int64_t batch, FlopCounter* f);
  ModelOptions options;
  torch::nn::Sequential mlp{nullptr};
};
TORCH_MODULE(FeatureEncoder);

/// One learnable prototype per training cell line; soft assignment of group means of z_E.
class PrototypeNetImpl : public torch::nn::Cloneable<PrototypeNetImpl> {
 public:
  PrototypeNetImpl(int64_t num_cells, int64_t dim);
  void reset() override;
  /// Log-assignment log_softmax(-||mean_g(z_E) - p_k||^2) per group: z_e [B, D], group [B]
  /// int64 in 0..G-1 -> [G, K].
  torch::Tensor AssignGroups(const torch::Tensor& z_e, const torch::Tensor& group,
                             int64_t num_groups);
  /// Assignment of one mean vector [D] -> log-weights [K].
  torch::Tensor Assign(const torch::Tensor& mean_z_e);
  /// e_c = w @ prototypes for weights w [..., K].
  torch::Tensor Mix(const torch::Tensor& weights);
  int64_t num_cells, dim;
  torch::Tensor prototypes;  ///< [K, D]
};
TORCH_MODULE(PrototypeNet);

// ---- the network ---------------------------------------------------------------------------

/// One batch as tensors. Sequence input uses e_/p_ fields, feature input `features`.
struct Batch {
  torch::Tensor e_tokens, e_len, p_tokens, p_len;  ///< [B, L] int64, [B] int64
  torch::Tensor features;                          ///< [B, F] float
  torch::Tensor distance;                          ///< [B] float log10(1+bp); undefined if unused
  torch::Tensor label;                             ///< [B] float 0/1
  torch::Tensor weight;  ///< [B] float task-loss weight per sample (train.balance); undefined = 1
  torch::Tensor cell;                              ///< [B] int64 training-cell index, -1 unseen
  torch::Tensor group;                             ///< [B] int64 context group 0..G-1
  torch::Tensor group_cell;                        ///< [G] int64 training cell of each group
  int64_t num_groups = 1;
  int64_t size() const { return label.size(0); }
};

/// How e_c is obtained.
enum class ContextMode {
  kNone,     ///< prototypes off: e_c = 0
  kGroups,   ///< from the batch: each group's mean z_E assigned to the prototypes
  kUniform,  ///< context-free: uniform mix of the prototypes
};

/// Everything the losses and diagnostics need.
struct Output {
  torch::Tensor logit;       ///< (U_I - R_E) / T, [B]
  torch::Tensor u_i, r_e;    ///< [B]
  torch::Tensor z_i, z_e;    ///< [B, dI], [B, dE]
  torch::Tensor temperature; ///< scalar T
  torch::Tensor log_assign;  ///< [G, K] (kGroups only)
  torch::Tensor disc_logits; ///< [B, K] (when a discriminator is asked for)
};

class PrismNetImpl : public torch::nn::Cloneable<PrismNetImpl> {
 public:
  explicit PrismNetImpl(const ModelOptions& o);
  void reset() override;
  /// h [B, hidden] from sequences or features.
  torch::Tensor Encode(const Batch& b);
  /// z_I, z_E from h (and distance).
  std::pair<torch::Tensor, torch::Tensor> Project(const torch::Tensor& h, const Batch& b);
  /// Full forward. `grl_lambda` < 0 skips the discriminator.
  Output forward(const Batch& b, ContextMode mode, double grl_lambda = -1.0);
  /// Heads given z's and a per-sample e_c [B, dE].
  void Heads(Output* out, const torch::Tensor& e_c);
  torch::Tensor Temperature();
  int64_t NumParameters() const;
  /// Forward FLOPs of one batch, the sum of what each block reports for its input shape:
  /// sequence input `e_width` / `p_width` (padded token widths; ignored for features).
  static FlopCounter ForwardFlops(const ModelOptions& o, int64_t batch, int64_t e_width,
                                  int64_t p_width);
  /// Parameters (learned and frozen) of the network `o` builds, without building it.
  static int64_t ParameterCount(const ModelOptions& o);

  ModelOptions options;
  PairEncoder pair_encoder{nullptr};
  FeatureEncoder feature_encoder{nullptr};
  torch::nn::Sequential proj_i{nullptr}, proj_e{nullptr};
  torch::nn::Sequential u_head{nullptr}, r_head{nullptr}, discriminator{nullptr};
  PrototypeNet prototypes{nullptr};
  torch::Tensor t_raw;  ///< T = softplus(t_raw) + eps
  static constexpr double kTempEps = 1e-3;
};
TORCH_MODULE(PrismNet);

}  // namespace prism::model
