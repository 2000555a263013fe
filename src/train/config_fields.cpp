// train/config_fields.cpp - the table of training configuration keys (see config_fields.h).
#include "train/config_fields.h"

#include <cmath>
#include <cstdlib>
#include <iterator>
#include <sstream>

#include "model/losses.h"
#include "prism/embed_conv_choice.h"
#include "prism/metric.h"
#include "prism/sampler.h"
#include "train/lr_schedule.h"

namespace prism::train {

namespace {

constexpr double kInf = 1e300;
// Sizes: wide enough for every sensible model, narrow enough that a typo (an extra zero or
// three) is refused here instead of allocating gigabytes; the memory estimate before training
// (train::CheckTrainingFits) catches combinations that are each in range but too big together.
constexpr Range Closed(double lo, double hi) { return Range{lo, hi, false, false}; }
constexpr Range AtLeast(double lo) { return Range{lo, kInf, false, false}; }
constexpr Range Above(double lo, double hi) { return Range{lo, hi, true, false}; }
constexpr Range kAny{};

std::vector<std::string> Presets() { return BuiltinConfigNames(); }
std::vector<std::string> Samplers() { return SamplerNames(); }
std::vector<std::string> Schedules() { return ScheduleNames(); }
std::vector<std::string> ThresholdRules() { return metric::ThresholdRuleNames(); }

#define PRISM_FIELD(section, key, member, range, allowed, kind, doc)                       \
  ConfigField {                                                                            \
    section, key, #member, [](TrainConfig& c) -> FieldRef { return &c.member; }, range,    \
        allowed, kind, doc                                                                 \
  }

// The table itself (data, not a function): one row per key, in file order.
const ConfigField kFieldTable[] = {
      PRISM_FIELD("", "name", name, kAny, nullptr, "",
                  "run name (default run folder: runs/<name>); one folder name: 1-100 of "
                  "A-Z a-z 0-9 . _ -, not starting with . or -"),
      PRISM_FIELD("", "seed", seed, kAny, nullptr, "", "torch init, dropout and the sampler"),
      PRISM_FIELD("", "preset", preset, kAny, Presets, "",
                  "the built-in configuration (configs/NAME.toml) whose keys this file overrides"),
      // [model]
      PRISM_FIELD("model", "embed_dim", model.embed_dim, Closed(1, 4096), nullptr, "",
                  "6-mer embedding width"),
      PRISM_FIELD("model", "channels", model.channels, Closed(0, 1024), nullptr, "",
                  "convolution filters per stream = attention width (a multiple of 2 x heads); "
                  "0 = derived from the training data (see below)"),
      PRISM_FIELD("model", "kernel", model.kernel, Closed(0, 1024), nullptr, "",
                  "convolution width in tokens; 0 = derived from the training data (see below)"),
      PRISM_FIELD("model", "pool", model.pool, Closed(1, 10000), nullptr, "",
                  "max-pool window after the convolution"),
      PRISM_FIELD("model", "heads", model.heads, Closed(1, 64), nullptr, "", "attention heads"),
      PRISM_FIELD("model", "hidden", model.hidden, Closed(1, 8192), nullptr, "", "width of h"),
      PRISM_FIELD("model", "z_i_dim", model.z_i_dim, Closed(1, 4096), nullptr, "",
                  "width of the interaction code z_I"),
      PRISM_FIELD("model", "z_e_dim", model.z_e_dim, Closed(1, 4096), nullptr, "",
                  "width of the environment code z_E"),
      PRISM_FIELD("model", "head_hidden", model.head_hidden, Closed(1, 4096), nullptr, "",
                  "width of the U, R and discriminator heads"),
      PRISM_FIELD("model", "feature_hidden", model.feature_hidden, Closed(1, 8192), nullptr, "",
                  "features: width of the feature MLP"),
      PRISM_FIELD("model", "dropout", model.dropout, Range({0, 1, false, true}), nullptr, "",
                  "dropout probability"),
      PRISM_FIELD("model", "input_dropout", model.input_dropout, Range({0, 1, false, true}),
                  nullptr, "features", "dropout on the input columns while training (0 = off)"),
      PRISM_FIELD("model", "t_init", model.t_init, Above(0, 100), nullptr, "",
                  "initial temperature T"),
      PRISM_FIELD("model", "kmer_composition", model.kmer_composition, kAny, nullptr, "",
                  "compositional 6-mer embedding (table + per-(position, base) vectors)"),
      PRISM_FIELD("model", "fused_embed_conv", model.fused_embed_conv, kAny, EmbedConvSettings,
                  "", "embedding+conv through the per-step table (same model): auto = where its "
                  "estimated cost is lower (see below)"),
      PRISM_FIELD("model", "kmer_table", model.kmer_table, kAny, nullptr, "",
                  "with kmer_composition: also learn the free per-k-mer table"),
      PRISM_FIELD("model", "presence_readout", model.presence_readout, kAny, nullptr, "",
                  "each stream's per-channel global max of the conv features enters h"),
      PRISM_FIELD("model", "pair_interaction", model.pair_interaction, kAny, nullptr, "",
                  "with presence_readout (sequence): the outer product presence_E x presence_P enters h"),
      PRISM_FIELD("model", "presence_cap", model.presence_cap, kAny, nullptr, "",
                  "with presence_readout: each presence capped at 1 (an indicator)"),
      PRISM_FIELD("model", "both_strands", model.both_strands, kAny, nullptr, "sequence",
                  "with presence_readout: each filter scans both strands (a motif is one filter); else ignored"),
      PRISM_FIELD("model", "context_calibration", model.context_calibration, kAny, nullptr, "",
                  "at scoring: per-cell resistance offset to the training positive rate"),
      PRISM_FIELD("model", "motif_seed", model.motif_seed, Closed(0, 1024), nullptr, "",
                  "sequence: seed up to N first-layer filters per stream with enriched k-mers (0 = off)"),
      PRISM_FIELD("model", "motif_seed_k", model.motif_seed_k, Closed(6, 12), nullptr, "",
                  "k-mer length of the seeds (<= kernel)"),
      PRISM_FIELD("model", "motif_seed_min_z", model.motif_seed_min_z, AtLeast(0), nullptr, "",
                  "only k-mers this many sd above the Markov background"),
      PRISM_FIELD("model", "motif_seed_min_cell_z", model.motif_seed_min_cell_z, AtLeast(0),
                  nullptr, "", "> 0: and this many sd above it in every training cell line (0 = not checked)"),
      PRISM_FIELD("model", "motif_seed_extend", model.motif_seed_extend, kAny, nullptr, "",
                  "grow each seed k-mer into its whole motif (<= kernel); seed each motif once"),
      PRISM_FIELD("model", "motif_seed_pwm", model.motif_seed_pwm, kAny, nullptr, "",
                  "with motif_seed_extend: seed each filter as the motif's PWM with a site threshold"),
      PRISM_FIELD("model", "kind", model.kind, kAny, ModelKindNames, "features",
                  "network (the prism network) or xgboost (gradient-boosted trees on the same input)"),
      PRISM_FIELD("model", "xgb_rounds", model.xgb_rounds, Closed(1, 100000), nullptr, "features",
                  "xgboost: boosting rounds at most (one log line each)"),
      PRISM_FIELD("model", "xgb_early_stopping", model.xgb_early_stopping, Closed(0, 100000),
                  nullptr, "features",
                  "xgboost: stop after N rounds without a higher val AUPR (0 = off)"),
      PRISM_FIELD("model", "xgb_max_depth", model.xgb_max_depth, Closed(1, 32), nullptr,
                  "features", "xgboost: tree depth"),
      PRISM_FIELD("model", "xgb_eta", model.xgb_eta, Above(0, 1), nullptr, "features",
                  "xgboost: learning rate (shrinkage of each tree)"),
      PRISM_FIELD("model", "xgb_min_child_weight", model.xgb_min_child_weight, AtLeast(0), nullptr,
                  "features", "xgboost: a split needs at least this hessian sum in each child"),
      PRISM_FIELD("model", "xgb_lambda", model.xgb_lambda, AtLeast(0), nullptr, "features",
                  "xgboost: L2 penalty on the leaf weights"),
      PRISM_FIELD("model", "xgb_min_child_share", model.xgb_min_child_share, Closed(0, 1), nullptr,
                  "features", "xgboost: > 0: xgb_min_child_weight = this share of each fit's training rows (replaces it)"),
      PRISM_FIELD("model", "ensemble", model.ensemble, kAny, EnsembleNames, "",
                  "none; xgboost (features): boosted trees averaged with the network (rounds by leave-one-cell-line-out); motif_grammar (sequences): a logistic regression on the found motifs' pair grammar averaged with the network"),
      PRISM_FIELD("model", "ensemble_trees_weight", model.ensemble_trees_weight, Closed(0, 1),
                  nullptr, "features",
                  "with ensemble = xgboost, the trees' weight w: (1 - w) x network + w x trees, in probabilities"),
      PRISM_FIELD("model", "motif_grammar_motifs", model.motif_grammar_motifs, Closed(1, 256),
                  nullptr, "sequence", "with ensemble = motif_grammar, at most N motifs per stream (de-novo discovery)"),
      PRISM_FIELD("model", "motif_grammar_min_z", model.motif_grammar_min_z, AtLeast(0), nullptr,
                  "sequence", "with ensemble = motif_grammar, a motif's seed k-mer this many sd above the Markov background"),
      PRISM_FIELD("model", "motif_grammar_sites", model.motif_grammar_sites, kAny,
                  MotifGrammarSiteNames, "sequence",
                  "with ensemble = motif_grammar: hard (hard-site EM, sites at a p-value threshold), posterior (posterior EM, expected site counts) or select (both fitted, the higher val AUPR kept)"),
      PRISM_FIELD("model", "motif_grammar_background", model.motif_grammar_background, kAny,
                  MotifGrammarBackgroundNames, "sequence",
                  "with ensemble = motif_grammar, motif discovery's EM background: uniform, composition (the training elements' own base composition) or average (the chosen site model on both, logits averaged)"),
      PRISM_FIELD("model", "motif_grammar_wide_flank", model.motif_grammar_wide_flank, Closed(0, 8),
                  nullptr, "sequence",
                  "with ensemble = motif_grammar: 0 (off) or 3..8; the chosen site model fitted again on motifs discovered with this many free flank columns each side (instead of 2), on each background, all grammars' logits averaged"),
      // [data]
      PRISM_FIELD("data", "kind", data.kind, kAny, DataKindNames, "",
                  "sequence (domain-kl layout) | features (TargetFinder/BENGI tables)"),
      PRISM_FIELD("data", "dir", data.dir, kAny, nullptr, "sequence",
                  "the domain-kl folder (or `prism train --data DIR`)"),
      PRISM_FIELD("data", "max_enhancer", data.max_enhancer, Closed(6, 1000000), nullptr,
                  "sequence", "centre crop of the enhancer in bp"),
      PRISM_FIELD("data", "max_promoter", data.max_promoter, Closed(6, 1000000), nullptr,
                  "sequence", "centre crop of the promoter in bp"),
      PRISM_FIELD("data", "files", data.files, kAny, nullptr, "features",
                  "tables (.csv / .csv.gz), concatenated"),
      PRISM_FIELD("data", "test_cells", data.test_cells, kAny, nullptr, "features",
                  "held-out cell lines (leave-cell-lines-out)"),
      PRISM_FIELD("data", "val_cells", data.val_cells, kAny, nullptr, "",
                  "validation cell lines: early stopping, threshold and calibration; with "
                  "sequence data taken out of train and val (see below)"),
      PRISM_FIELD("data", "use_distance", data.use_distance, kAny, nullptr, "features",
                  "log10(1+distance) enters z_I's path"),
      PRISM_FIELD("data", "distance_feature", data.distance_feature, kAny, nullptr, "features",
                  "log10(1+distance) is also one more encoder input column"),
      PRISM_FIELD("data", "candidate_rank", data.candidate_rank, kAny, nullptr, "features",
                  "two more encoder input columns: how many of the enhancer's candidate promoters, "
                  "and of the promoter's candidate enhancers, in its cell line are nearer (see "
                  "below)"),
      PRISM_FIELD("data", "normalize", data.normalize, kAny, FeatureNormalizeNames, "features",
                  "standardisation after log1p (see below)"),
      PRISM_FIELD("data", "shortcut_mask_per_cell", data.shortcut_mask_per_cell, Closed(0, 100),
                  nullptr, "sequence",
                  "mask this many cell-specific k-mers per training cell line (0 = off; see below)"),
      PRISM_FIELD("data", "shortcut_mask_min_specificity", data.shortcut_mask_min_specificity,
                  AtLeast(0), nullptr, "sequence",
                  "only cell-specific k-mers at least this specific are masked"),
      PRISM_FIELD("data", "shortcut_mask_spare_z", data.shortcut_mask_spare_z, AtLeast(0), nullptr,
                  "sequence",
                  "a k-mer present beyond chance (z >= this) in more than half of the other cell "
                  "lines is not masked (0 = mask it; see below)"),
      PRISM_FIELD("data", "shortcut_mask_val", data.shortcut_mask_val, kAny, nullptr, "sequence",
                  "mask the validation cell lines' own cell-specific k-mers too (see below)"),
      // [components]
      PRISM_FIELD("components", "prototype", components.prototype, kAny, nullptr, "",
                  "prototype loss; e_c from the prototypes"),
      PRISM_FIELD("components", "contrastive", components.contrastive, kAny, nullptr, "",
                  "supervised contrastive loss on z_I"),
      PRISM_FIELD("components", "orthogonality", components.orthogonality, kAny, nullptr, "",
                  "z_I / z_E decorrelation loss"),
      PRISM_FIELD("components", "adversarial", components.adversarial, kAny, nullptr, "",
                  "cell-line discriminator on GRL(z_I)"),
      // [loss]
      PRISM_FIELD("loss", "main", loss.main, kAny, TaskLossNames, "", "the task loss"),
      PRISM_FIELD("loss", "contrastive_temperature", loss.contrastive_temperature,
                  Above(0, 100), nullptr, "", "temperature of the contrastive loss"),
      PRISM_FIELD("loss", "immax_momentum", loss.immax_momentum, Range({0, 1, false, true}),
                  nullptr, "", "EMA momentum of the class difficulty (adaptive_immax)"),
      // [weights]
      PRISM_FIELD("weights", "prototype", weights.prototype, Closed(0, 1000), nullptr, "",
                  "full weight of the prototype loss (task: 1)"),
      PRISM_FIELD("weights", "contrastive", weights.contrastive, Closed(0, 1000), nullptr, "",
                  "full weight of the contrastive loss"),
      PRISM_FIELD("weights", "orthogonality", weights.orthogonality, Closed(0, 1000), nullptr,
                  "", "full weight of the orthogonality loss"),
      PRISM_FIELD("weights", "adversarial", weights.adversarial, Closed(0, 1000), nullptr, "",
                  "full weight of the adversarial loss"),
      // [curriculum]
      PRISM_FIELD("curriculum", "warmup_epochs", curriculum.warmup_epochs, Closed(0, 100000),
                  nullptr, "", "epochs 1..warmup: task loss only"),
      PRISM_FIELD("curriculum", "ramp_epochs", curriculum.ramp_epochs, Closed(0, 100000),
                  nullptr, "", "then w(e) = w * min(1, (e - warmup) / ramp)"),
      // [train]
      PRISM_FIELD("train", "epochs", train.epochs, Closed(0, 100000), nullptr, "",
                  "epochs; 0 = derived: the fewest that reach train.steps optimiser steps"),
      PRISM_FIELD("train", "steps", train.steps, Closed(1, 100000000), nullptr, "",
                  "with epochs = 0: optimiser steps the run reaches (epochs derived from the "
                  "training set's size)"),
      PRISM_FIELD("train", "batch_size", train.batch_size, Closed(1, 1 << 20), nullptr, "",
                  "pairs per optimiser step (the global batch with data parallelism)"),
      PRISM_FIELD("train", "sampler", train.sampler, kAny, Samplers, "", "batch sampler"),
      PRISM_FIELD("train", "lr", train.lr, Above(0, 1), nullptr, "", "AdamW learning rate"),
      PRISM_FIELD("train", "weight_decay", train.weight_decay, Closed(0, 10), nullptr, "",
                  "AdamW weight decay"),
      PRISM_FIELD("train", "grad_clip", train.grad_clip, Closed(0, 1e6), nullptr, "",
                  "max global grad norm (0 = no clipping; the norm is logged anyway)"),
      PRISM_FIELD("train", "schedule", train.schedule, kAny, Schedules, "",
                  "learning-rate schedule"),
      PRISM_FIELD("train", "step_size", train.step_size, Closed(1, 100000), nullptr, "",
                  "step: epochs per decay"),
      PRISM_FIELD("train", "gamma", train.gamma, Above(0, 10), nullptr, "", "step: decay factor"),
      PRISM_FIELD("train", "min_lr", train.min_lr, Closed(0, 1), nullptr, "", "cosine floor"),
      PRISM_FIELD("train", "patience", train.patience, Closed(0, 100000), nullptr, "",
                  "early stopping on val AUPR (train AUPR without a val split); 0 = off"),
      PRISM_FIELD("train", "threshold_rule", train.threshold_rule, kAny, ThresholdRules, "",
                  "decision threshold chosen on val: mcc (Matthews correlation) or f1; predict "
                  "uses it on every split (docs/metrics.md)"),
      PRISM_FIELD("train", "eval_batch_size", train.eval_batch_size, Closed(1, 1 << 20), nullptr,
                  "", "homogeneous batches of validation / prediction"),
      PRISM_FIELD("train", "balance", train.balance, kAny, BalanceNames, "",
                  "gc / gc_elements: task-loss weights that make GC (the pair's; each element's "
                  "counts) independent of the label per cell line"),
      PRISM_FIELD("train", "balance_bins", train.balance_bins, Closed(1, 1000), nullptr, "",
                  "quantile bins of the covariate (pair GC / propensity) per training cell line"),
      PRISM_FIELD("train", "balance_max_weight", train.balance_max_weight, Above(1, 1e6),
                  nullptr, "", "gc: weights clipped to [1/max, max]"),
      PRISM_FIELD("train", "balance_trim", train.balance_trim, kAny, nullptr, "",
                  "gc: pairs in bins that hold one class only get weight 0 (no match)"),
      PRISM_FIELD("train", "select_balanced", train.select_balanced, kAny, nullptr, "sequence",
                  "model selection reads the validation AUPR under the same balance (see below)"),
};
#undef PRISM_FIELD

/// The shortest decimal that reads back as `v`, with a decimal point or exponent (a TOML float).
std::string Num(double v) {
  std::string s;
  for (int precision = 15; precision <= 17; ++precision) {
    std::ostringstream os;
    os.precision(precision);
    os << v;
    s = os.str();
    if (std::strtod(s.c_str(), nullptr) == v) break;
  }
  if (s.find_first_of(".eEn") == std::string::npos) s += ".0";
  return s;
}

std::string Quote(const std::string& s) {
  std::string out = "\"";
  for (char ch : s) {
    const auto u = static_cast<unsigned char>(ch);
    if (ch == '"' || ch == '\\') {
      out += '\\';
      out += ch;
    } else if (u < 0x20 || u == 0x7f) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\u%04x", u);
      out += buf;
    } else {
      out += ch;
    }
  }
  return out + "\"";
}

std::string Short(double v) {
  std::ostringstream os;
  os.precision(15);
  os << v;
  return os.str();
}

}  // namespace

bool Range::Contains(double v) const {
  if (!std::isfinite(v)) return false;
  if (lo_open ? !(v > lo) : !(v >= lo)) return false;
  return hi_open ? v < hi : v <= hi;
}

std::string Range::ToString() const {
  const bool has_lo = lo > -kInf, has_hi = hi < kInf;
  if (!has_lo && !has_hi) return "any";
  if (!has_hi) return (lo_open ? "> " : ">= ") + Short(lo);
  if (!has_lo) return (hi_open ? "< " : "<= ") + Short(hi);
  return (lo_open ? "(" : "[") + Short(lo) + ", " + Short(hi) + (hi_open ? ")" : "]");
}

std::string ConfigField::Name() const {
  return *section ? std::string(section) + "." + key : std::string(key);
}

bool ConfigField::IsSwitch() const { return allowed == EmbedConvSettings; }

const char* ConfigField::TypeName() const {
  if (IsSwitch()) return "boolean or \"auto\"";
  static const char* kNames[] = {"integer", "integer", "number", "boolean", "string",
                                 "array of strings"};
  TrainConfig c;
  return kNames[ref(c).index()];
}

std::string ConfigField::ValueToml(const TrainConfig& config) const {
  TrainConfig& c = const_cast<TrainConfig&>(config);  // ref() only locates the member
  if (IsSwitch()) {
    const std::string& v = *std::get<std::string*>(ref(c));
    return v == "true" || v == "false" ? v : Quote(v);
  }
  return std::visit(
      [](auto* p) -> std::string {
        using T = std::decay_t<decltype(*p)>;
        if constexpr (std::is_same_v<T, double>) return Num(*p);
        else if constexpr (std::is_same_v<T, bool>) return *p ? "true" : "false";
        else if constexpr (std::is_same_v<T, std::string>) return Quote(*p);
        else if constexpr (std::is_same_v<T, std::vector<std::string>>) {
          std::string out = "[";
          for (size_t i = 0; i < p->size(); ++i) out += (i ? ", " : "") + Quote((*p)[i]);
          return out + "]";
        } else {
          return std::to_string(*p);
        }
      },
      ref(c));
}

Json ConfigField::ValueJson(const TrainConfig& config) const {
  TrainConfig& c = const_cast<TrainConfig&>(config);
  if (IsSwitch()) {  // true / false as JSON booleans (as before "auto" existed: same hashes)
    const std::string& v = *std::get<std::string*>(ref(c));
    return v == "true" || v == "false" ? Json(v == "true") : Json(v);
  }
  return std::visit([](auto* p) { return Json(*p); }, ref(c));
}

const std::vector<ConfigField>& ConfigFields() {
  static const std::vector<ConfigField> kFields(std::begin(kFieldTable), std::end(kFieldTable));
  return kFields;
}

const std::vector<std::string>& ConfigSections() {
  static const std::vector<std::string> kSections = {
      "", "model", "data", "components", "loss", "weights", "curriculum", "train"};
  return kSections;
}

// Dispatched in train/dataset.cpp (LoadData, BalanceTrainingSet), which checks these names.
std::vector<std::string> DataKindNames() { return {"sequence", "features"}; }
// Dispatched in TrainRun / PredictRun (trainer.cpp, predictor.cpp).
std::vector<std::string> ModelKindNames() { return {"network", "xgboost"}; }
std::vector<std::string> EnsembleNames() { return {"none", "xgboost", "motif_grammar"}; }
std::vector<std::string> MotifGrammarSiteNames() { return {"select", "hard", "posterior"}; }
std::vector<std::string> MotifGrammarBackgroundNames() { return {"uniform", "composition", "average"}; }
std::vector<std::string> FeatureNormalizeNames() {
  return {"cell", "train", "cell_rank", "train+cell_rank", "train_rank", "none"};
}
std::vector<std::string> BalanceNames() { return {"none", "gc", "gc_elements"}; }

std::vector<std::string> TaskLossNames() {
  std::vector<std::string> out;
  for (const auto& name : model::LossNames())
    if (model::CreateLoss(name, model::LossOptions{})->name() == "task") out.push_back(name);
  return out;
}

}  // namespace prism::train
