// train/xgboost_model.h - model.kind = "xgboost": gradient-boosted trees (XGBoost's C API,
// baseline/baseline_internal.h's XgbModel) trained and scored inside prism's run folder, so the
// inspector, reflect, report and ledger read them like a network run (docs/train-config.md,
// "model.kind"). Torch-free.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "baseline/baseline_internal.h"
#include "prism/run_records.h"
#include "prism/train.h"
#include "train/dataset.h"

namespace prism::train {

/// The checkpoint files of an xgboost run (XGBoost's JSON model format): the trees up to the
/// best round, and every tree trained.
std::string XgbCheckpointFile(const std::string& which);  ///< "checkpoints/best.xgb.json"

/// The learner's input of a split: the columns the network's encoder sees (log1p signals after
/// data.normalize, plus log10(1+|distance|) with data.distance_feature), and log10(1+|distance|)
/// as one more column when data.use_distance is on without data.distance_feature.
baseline::XgbMatrix XgbInput(const TrainConfig& config, const Dataset& d);

/// XGBoost's parameters from the config: model.xgb_max_depth, xgb_eta, xgb_rounds,
/// xgb_early_stopping, the config's seed, `threads`.
baseline::XgbParams XgbParamsFor(const TrainConfig& config, int threads);

/// run.json's record of a leaf size derived from the training rows (model.xgb_min_child_share >
/// 0): {value, share, rows, rule}, also logged; null when the config gives the weight itself.
/// `derived.min_child_weight` of a model.kind = "xgboost" run, `derived.ensemble.min_child_weight`
/// of the ensemble member.
Json DerivedMinChildWeight(const baseline::XgbParams& p, double value, size_t rows,
                           const std::string& who);

/// The text of a model file of the run folder `dir` after CheckpointProblem against its record
/// in run.json (size, hash); InputError naming the file, prefixed with `what`, otherwise.
std::string ReadVerifiedModelFile(const std::string& dir, const CheckpointRecord& rec,
                                  const std::string& what);

/// `prism train` for model.kind = "xgboost": one boosting round per train_log.jsonl line (train
/// log-loss as the task loss, train and validation AUPR/AUC, the validation threshold and
/// per-cell scores), early stopping on the validation cell lines' AUPR, checkpoints/best.xgb.json
/// and last.xgb.json recorded in run.json with size and hash.
TrainSummary TrainXgboostRun(const TrainConfig& config, const TrainRunOptions& options);

/// `prism predict` for an xgboost run: the checkpoint verified against run.json and loaded, the
/// split scored; writes what PredictRun writes.
PredictSummary PredictXgboostRun(const PredictOptions& options, const TrainConfig& config);

// ---- model.ensemble = "xgboost" (train/ensemble_member.cpp) --------------------------------

/// The median of best rounds (the mean of the middle two, rounded, for an even count).
int MedianRound(std::vector<int> rounds);

/// Fits the ensemble member of a network run on the training split: boosted trees with the
/// xgb_* parameters, the number of rounds the median best round of leave-one-training-cell-line-
/// out early stopping (at least two training cell lines), else early stopping on the validation
/// split, else the median over 5 held-out groups of whole chromosomes, else model.xgb_rounds. Writes checkpoints/ensemble.xgb.json and returns run.json's
/// `derived.ensemble` record (rule, folds, rounds, weight, file size and hash, seconds).
Json FitEnsembleMember(const TrainConfig& config, const Data& data, const std::string& dir,
                       int threads);

/// model.ensemble = "motif_grammar" (sequence data; train/motif_grammar_member.cpp): the PWMs
/// motif discovery finds in each stream's training elements (prism/motif_discovery.h), both
/// strands scanned, site counts capped at 2, and an L2 logistic regression on the
/// enhancer-motif x promoter-motif count products plus the single counts; sites either at a
/// p-value threshold or as expected counts (model.motif_grammar_sites; "select" keeps the one of
/// higher validation AUPR), the p-value and L2 chosen on the validation split (else every fifth
/// training pair). Writes
/// checkpoints/ensemble.motif_grammar.json and returns run.json's `derived.ensemble` record.
Json FitMotifGrammarMember(const TrainConfig& config, const Data& data, const std::string& dir,
                           int threads);
struct MotifGrammarModel;
/// The member file's text parsed (InputError naming `source` when it is not one).
std::shared_ptr<const MotifGrammarModel> ParseMotifGrammar(const std::string& text,
                                                           const std::string& source);
/// The grammar's P(y = 1) of every pair of `d`.
std::vector<double> PredictMotifGrammar(const MotifGrammarModel& grammar, const Dataset& d,
                                        int threads);

/// The validation gate (gate "val"), the one-standard-error rule (Hastie, Tibshirani & Friedman,
/// The Elements of Statistical Learning, 7.10) for the simplest learner: "member" (the member
/// alone: a logistic regression on motif counts) when its validation AUPR is within `se_best`
/// (the bootstrap standard error of the best candidate's validation AUPR) of the best; else the
/// higher of "network" (the network alone) and "ensemble" (both), the network on a tie.
std::string GateChoice(double val_ensemble, double val_network, double val_member, double se_best);
/// The gate's bootstrap: draws of the validation pairs (within each cell line) and their seed.
inline constexpr int kGateResamples = 200;
inline constexpr uint64_t kGateSeed = 20261204;
/// The gate on the validation split `val` given the three candidates' scores of its pairs: each
/// one's SelectionAupr, their bootstrap standard errors (metric::BootstrapAveragePrecisionSe, each
/// cell line drawn apart, under the split's balance weights) and GateChoice with the best one's
/// SE. Returns metrics' `ensemble.gate` record (`choice` among them).
Json ValidationGate(const Dataset& val, const std::vector<double>& ensemble,
                    const std::vector<double>& network, const std::vector<double>& member);

/// The ensemble member of a finished network run, verified against run.json's record.
class EnsembleMember {
 public:
  /// Null when the config has no ensemble (model.ensemble = "none" or model.kind = "xgboost");
  /// InputError naming run.json or the file when the record is missing or the file changed.
  static std::unique_ptr<EnsembleMember> Load(const std::string& dir, const TrainConfig& config,
                                              int threads);
  ~EnsembleMember();
  /// The member's P(y = 1) of every pair of `d` (a split of the run's config).
  std::vector<double> Predict(const Dataset& d) const;
  /// The ensemble's probability, pair by pair. "probabilities" (xgboost): (1 - weight) *
  /// network + weight * member. "standardised_logits" (motif_grammar): each member's logit
  /// standardised with the mean and sd SetScale recorded, averaged with the weight, and put back
  /// on the network's logit scale: sigmoid(mu_n + sd_n * ((1 - w) z_n + w z_m)) - the two learners
  /// count alike however (un)sure either one's probabilities are. prism::Error before SetScale.
  std::vector<double> Combine(const std::vector<double>& network,
                              const std::vector<double>& member) const {
    return Combine(network, member, weight_);
  }
  /// The same at the member's weight `weight` in [0, 1] (0: the network's scores exactly).
  std::vector<double> Combine(const std::vector<double>& network,
                              const std::vector<double>& member, double weight) const;
  /// run.json derived.ensemble.combine_rule: "probabilities" or "standardised_logits".
  const std::string& combine_rule() const { return combine_rule_; }
  /// For "standardised_logits": the logit mean and sd of each member's scores of the same
  /// reference pairs (predict: the validation split, else 2000 training pairs).
  void SetScale(const std::vector<double>& network, const std::vector<double>& member);
  /// {network: {mean, sd}, member: {mean, sd}} (empty before SetScale).
  Json ScaleRecord() const;
  /// The scale `prism predict` set, from its record (ScaleRecord's form: metrics/<split>.json
  /// `ensemble.scale`); prism::Error when a moment is missing or the sd is not positive.
  void RestoreScale(const Json& record);
  /// run.json derived.ensemble.gate: "val" (motif_grammar) - predict's validation split picks
  /// the network alone, the ensemble or the member alone (predictor.cpp, PrepareEnsemble) - or
  /// "" (always the ensemble).
  const std::string& gate() const { return gate_; }
  /// The gate's choice: the member's weight (0: the network alone, 1: the member alone).
  void SetWeight(double weight) { weight_ = weight; }
  double weight() const { return weight_; }
  int64_t rounds() const { return rounds_; }
  /// "xgboost" or "motif_grammar" (run.json derived.ensemble.member).
  const std::string& kind() const { return kind_; }

 private:
  EnsembleMember() = default;
  TrainConfig config_;
  std::string kind_ = "xgboost";
  std::string text_, source_;
  std::shared_ptr<const MotifGrammarModel> grammar_;
  int64_t rounds_ = 0;
  double weight_ = 0.5;
  std::string combine_rule_ = "probabilities";
  std::string gate_;
  bool scaled_ = false;
  double net_mean_ = 0, net_sd_ = 1, member_mean_ = 0, member_sd_ = 1;
  int threads_ = 1;
  mutable size_t cols_ = 0;
  mutable std::unique_ptr<baseline::XgbModel> model_;
};

}  // namespace prism::train
