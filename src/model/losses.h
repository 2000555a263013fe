// model/losses.h - the PRISM loss components and their registry.
//
// Component names (fixed; they are the keys of `loss` in train_log.jsonl):
//   task           the main loss: "bce" or "adaptive_immax" (LossOptions::main)
//   prototype      cross-entropy of each group's prototype assignment vs its true training cell
//   contrastive    supervised contrastive loss on L2-normalised z_I; positives of anchor i are the
//                  other samples with the same label from a DIFFERENT cell line
//   orthogonality  ||C||_F^2 / (dI * dE), C = batch cross-correlation of standardised z_I, z_E
//   adversarial    cross-entropy of the cell discriminator on GRL(z_I)
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "model/model.h"

namespace prism::model {

/// Settings shared by the losses.
struct LossOptions {
  std::string main = "bce";          ///< task loss: "bce" | "adaptive_immax"
  double contrastive_temperature = 0.1;
  double immax_momentum = 0.9;       ///< EMA momentum of the class difficulty (adaptive_immax)
};

// ---- the loss functions (pure; unit-tested against hand-computed values) -------------------

/// Binary cross-entropy with logits: the mean, or with a per-sample `weight` [B] (defined)
/// sum_i weight_i * bce_i / sum_i weight_i.
torch::Tensor BceLoss(const torch::Tensor& logit, const torch::Tensor& label,
                      const torch::Tensor& weight = {});

/// Class-weighted BCE: sum_i v_i * bce_i / sum_i v_i with v_i = class_weight[y_i] (times
/// sample_weight_i when that is defined); `class_weight` = [w0, w1].
torch::Tensor WeightedBceLoss(const torch::Tensor& logit, const torch::Tensor& label,
                              const torch::Tensor& class_weight,
                              const torch::Tensor& sample_weight = {});

/// Supervised contrastive loss (Khosla et al.) on z [B, D] (normalised inside), temperature tau.
/// loss_i = -1/|P(i)| sum_{p in P(i)} log( exp(s_ip/tau) / sum_{a != i} exp(s_ia/tau) ),
/// P(i) = { j != i : label_j == label_i and cell_j != cell_i }; mean over anchors with
/// |P(i)| > 0; 0 (still attached to the graph) when no anchor has a positive.
/// With sample weights w [B] (train.balance; defined): every sample counts w times - in the
/// softmax denominator (sum_a w_a exp(s_ia/tau)), among the positives (weighted mean over P(i))
/// and as an anchor (weighted mean over anchors) - so same-label pairs are drawn from the
/// balanced distribution, where the balanced covariate does not go with the label.
torch::Tensor SupConLoss(const torch::Tensor& z, const torch::Tensor& label,
                         const torch::Tensor& cell, double tau,
                         const torch::Tensor& weight = {});

/// ||C||_F^2 / (dI * dE) with C = Zi^T Ze / B of column-standardised z_i, z_e.
torch::Tensor OrthogonalityLoss(const torch::Tensor& z_i, const torch::Tensor& z_e);

/// Mean cross-entropy of log-assignments [G, K] against target cells [G].
torch::Tensor PrototypeLoss(const torch::Tensor& log_assign, const torch::Tensor& target);

/// Cross-entropy of discriminator logits [B, K] against cells [B].
torch::Tensor AdversarialLoss(const torch::Tensor& logits, const torch::Tensor& cell);

// ---- registry -------------------------------------------------------------------------------

/// What a loss component sees of one step.
struct LossInput {
  const Output& out;
  const Batch& batch;
};

/// One loss component. Stateful components (adaptive_immax) keep their state between steps.
class Loss {
 public:
  virtual ~Loss() = default;
  /// The component name written to the log ("task", "prototype", ...).
  virtual std::string name() const = 0;
  /// The loss of one step (a scalar attached to the graph).
  virtual torch::Tensor Compute(const LossInput& in) = 0;
};

/// Creates a component by its registry name: "bce", "adaptive_immax" (both named "task" in the
/// log), "prototype", "contrastive", "orthogonality", "adversarial". Throws prism::Error naming
/// the known names otherwise.
std::unique_ptr<Loss> CreateLoss(const std::string& name, const LossOptions& options);

/// The registry names, in log order.
const std::vector<std::string>& LossNames();

/// AdaptiveIMMAX: class-weighted BCE whose class weights follow the classes' difficulty.
///   difficulty_c(step) = m * difficulty_c(step-1) + (1-m) * mean_{i: y_i=c} (1 - p_i(y_i))
///   (initial difficulty 0.5; a class absent from the batch keeps its value),
///   w_c = clamp(difficulty_c / mean_c difficulty_c, 0.25, 4),
///   loss = sum_i w[y_i] * bce_i / sum_i w[y_i].
/// The EMA update uses detached probabilities of the current step, before the loss.
class AdaptiveImmaxLoss : public Loss {
 public:
  explicit AdaptiveImmaxLoss(double momentum) : momentum_(momentum) {}
  std::string name() const override { return "task"; }
  torch::Tensor Compute(const LossInput& in) override;
  /// Current class weights [w0, w1].
  std::vector<double> weights() const;
  /// The EMA difficulties [d0, d1].
  std::vector<double> difficulty() const { return {difficulty_[0], difficulty_[1]}; }
  /// Restores the EMA state (checkpoint resume).
  void set_difficulty(double d0, double d1) {
    difficulty_[0] = d0;
    difficulty_[1] = d1;
  }

 private:
  double momentum_;
  double difficulty_[2] = {0.5, 0.5};
};

}  // namespace prism::model
