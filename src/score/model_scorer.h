// score/model_scorer.h - what `prism score` needs from a trained model, without LibTorch
// (internal). Implemented in src/predict/score_run.cpp, the one LibTorch unit of scoring.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "prism/run_folder.h"

namespace prism::score {

/// Pairs to score: distinct element sequences and, per pair, the index of its enhancer and
/// promoter sequence.
struct PairBatch {
  std::vector<std::string> e_seqs, p_seqs;
  std::vector<uint32_t> e_idx, p_idx;
  size_t size() const { return e_idx.size(); }
};

/// The cell line's context: its environment (prototype assignment weights, empty when the model
/// has no prototypes) and the context calibration's logit offset b (0 when off).
struct ScoreContext {
  std::vector<double> weights;
  double offset = 0;
  double prior = 0;   ///< calibration target (training positive rate); 0 when off
  size_t pairs = 0;   ///< pairs the context was estimated from
  Json ToJson() const;
  static ScoreContext FromJson(const Json& j);
};

class ModelScorer {
 public:
  virtual ~ModelScorer() = default;
  /// The context of a cell line from its own pairs, exactly as `prism predict` estimates it
  /// (train::Score on these pairs as one cell line, batches of eval_batch_size in this order).
  virtual ScoreContext Context(const PairBatch& pairs) = 0;
  /// Logits (U_I - R_E) / T of the pairs under the context's environment (the calibration
  /// offset is not applied: probability = sigmoid(logit - context.offset)). With an applied
  /// ensemble member: the logit of the ensemble's probability plus the offset.
  virtual std::vector<double> Logits(const PairBatch& pairs, const ScoreContext& context) = 0;
  /// Centre crop of the model's input (config data.max_enhancer / max_promoter).
  virtual size_t max_enhancer() const = 0;
  virtual size_t max_promoter() const = 0;
  virtual int64_t epoch() const = 0;
  /// The embedding-convolution path the model scores with (EmbedConvChoice::ToJson: the
  /// model.fused_embed_conv setting resolved for scoring batches).
  virtual Json embed_conv() const = 0;
  /// model.ensemble's member in the scores: {member, applied, and why not or combine_rule and
  /// weight} (empty for model.ensemble = "none").
  virtual Json ensemble() const = 0;
};

/// Loads RUN/checkpoints/<checkpoint>.pt with RUN/config.toml (a sequence model). The
/// calibration target is the positive rate of the run's training pairs (data.dir), as in
/// `prism predict`, unless no_calibration or the model does not calibrate.
std::unique_ptr<ModelScorer> LoadModelScorer(const std::string& run_dir,
                                             const std::string& checkpoint, int threads,
                                             bool context_free, bool no_calibration);

}  // namespace prism::score
