// predict/predictor.cpp - `prism predict`: context-aware scoring of unseen cell lines, metrics,
// result table and component diagnostics.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cmath>
#include <filesystem>
#include <optional>
#include <map>

#include "predict/shortcut_reliance.h"
#include "prism/atomic_file.h"
#include "prism/baseline.h"
#include "prism/compute_threads.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/labeled_subset.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/predictions.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"
#include "train/checkpoint.h"
#include "train/dataset.h"
#include "train/model_recipe.h"
#include "train/scoring.h"
#include "train/xgboost_model.h"

namespace prism {

namespace {

struct Stats {
  double mean = NAN, std = NAN, min = NAN, max = NAN;
};

Stats Describe(const std::vector<double>& v) {
  Stats s;
  if (v.empty()) return s;
  const auto [lo, hi] = std::minmax_element(v.begin(), v.end());
  s.min = *lo;
  s.max = *hi;
  double sum = 0, sq = 0;
  for (double x : v) sum += x;
  s.mean = sum / v.size();
  for (double x : v) sq += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(sq / v.size());
  return s;
}

/// Mean |correlation| between the columns of z_i and z_e (standardised over samples).
double MeanAbsCrossCorrelation(const torch::Tensor& zi, const torch::Tensor& ze) {
  if (!zi.defined() || zi.size(0) < 2) return NAN;
  auto standardise = [](const torch::Tensor& z) {
    auto m = z.mean(0, true);
    auto sd = (z - m).pow(2).mean(0, true).add(1e-8).sqrt();
    return (z - m) / sd;
  };
  auto c = torch::matmul(standardise(zi).t(), standardise(ze)) / static_cast<double>(zi.size(0));
  return c.abs().mean().item<double>();
}

/// What predict loaded: the run's configuration, the data, the model from the checkpoint.
struct Loaded {
  TrainConfig config;
  train::CheckpointMeta meta;
  train::Data data;
  model::PrismNet net{nullptr};
  double prior = NAN;  ///< context calibration target (NaN = off)
  /// model.ensemble: the second learner averaged with the network (null when none)
  std::unique_ptr<train::EnsembleMember> member;
};

Loaded Load(const PredictOptions& o) {
  const std::string& dir = o.run_dir;
  if (!std::filesystem::is_directory(dir)) Fatal("run folder '", dir, "' does not exist");
  if (o.split != "test" && o.split != "val" && o.split != "train")
    Fatal("--split must be test, val or train, got '", o.split, "'");
  if (o.checkpoint != "best" && o.checkpoint != "last")
    Fatal("--checkpoint must be best or last, got '", o.checkpoint, "'");
  Loaded l;
  l.config = ReadTrainConfig(dir + "/config.toml");
  l.meta = train::VerifyRunCheckpoint(dir, o.checkpoint);
  if (!o.data_dir.empty() && l.config.data.kind != "sequence")
    Fatal("--data replaces a sequence layout; this run was trained on feature tables");
  l.data = train::LoadData(l.config, o.data_dir, l.meta.train_cells);
  train::BalanceValidationSet(l.config, &l.data);  // the gate's weights, as in training
  const int64_t k = static_cast<int64_t>(l.meta.train_cells.size());
  // The embedding-convolution path for scoring (batches of eval_batch_size at the centre crops:
  // the same choice as prism score's, so that both give the same scores).
  const EmbedConvChoice embed_conv = train::ResolveEmbedConv(l.config, /*training=*/false);
  if (l.config.data.kind == "sequence")
    Log::Info("embedding + convolution: " + embed_conv.ToString());
  l.net = model::PrismNet(train::ModelOptionsFor(l.config, k, l.meta.num_features, &embed_conv));
  train::LoadModelCheckpoint(dir + "/checkpoints/" + o.checkpoint + ".pt", l.net);
  l.net->eval();
  l.member = train::EnsembleMember::Load(dir, l.config, ResolveThreads(o.threads));
  // Context calibration to the training positive rate (model.context_calibration).
  if (l.net->options.context_calibration() && !o.no_calibration)
    l.prior = train::PositiveRate(l.data.train);
  return l;
}

/// predictions/<split>.csv; the r_e column is the resistance the score used: R_E plus the cell's
/// calibration offset.
Predictions WritePredictionsFile(const std::string& dir, const std::string& split,
                                 const train::Dataset& d, const train::Scores& s) {
  Predictions p;
  for (size_t i = 0; i < d.size(); ++i) {
    p.enhancer.push_back(d.pairs[i].enhancer);
    p.promoter.push_back(d.pairs[i].promoter);
    p.cell_line.push_back(d.pairs[i].cell_line);
    p.label.push_back(d.pairs[i].label);
  }
  p.score = s.prob;
  p.u_i = s.u_i;
  p.r_e = s.r_e;
  for (const auto& [cell, b] : s.resistance_offset)
    for (size_t i = 0; i < d.size(); ++i)
      if (p.cell_line[i] == cell) p.r_e[i] += b;
  MakeDirs(dir + "/predictions");
  WritePredictions(dir + "/predictions/" + split + ".csv", p);
  return p;
}

/// diagnostics.json's prototype part: separation of the prototypes, spread of the batch means
/// of z_E around their cell line's prototype, and each cell line's assignment.
void PrototypeHealth(model::PrismNet& net, const train::Dataset& train_sub,
                     const train::Scores& st, const train::Scores& s,
                     const std::vector<std::string>& train_cells, int64_t bs, Diagnostics* diag) {
  torch::NoGradGuard ng;
  const int64_t k = static_cast<int64_t>(train_cells.size());
  auto protos = net->prototypes->prototypes.detach();
  auto dist = torch::cdist(protos, protos);
  double min_d = INFINITY, sum_d = 0;
  int pairs = 0;
  for (int64_t a = 0; a < k; ++a)
    for (int64_t b = a + 1; b < k; ++b) {
      double v = dist[a][b].item<double>();
      min_d = std::min(min_d, v);
      sum_d += v;
      ++pairs;
    }
  // within_spread: mean distance of the batch means of z_E (homogeneous batches of the
  // training subset) to their own cell line's prototype.
  std::map<int64_t, std::vector<int64_t>> rows;
  for (size_t i = 0; i < train_sub.size(); ++i) rows[train_sub.cell[i]].push_back(i);
  double spread = 0;
  int nb = 0;
  for (const auto& [cell, r] : rows) {
    if (cell < 0) continue;
    for (size_t start = 0; start < r.size(); start += bs) {
      std::vector<int64_t> chunk(r.begin() + start, r.begin() + std::min(r.size(), start + bs));
      auto mean = st.z_e.index_select(0, torch::tensor(chunk, torch::kLong)).mean(0);
      spread += (mean - protos[cell]).norm().item<double>();
      ++nb;
    }
  }
  diag->has_prototypes = true;
  diag->proto_min_dist = pairs ? min_d : NAN;
  diag->proto_mean_dist = pairs ? sum_d / pairs : NAN;
  diag->proto_within_spread = nb ? spread / nb : NAN;
  for (const auto& [cell, w] : s.assignment) {
    PrototypeAssignment a;
    a.entropy = 0;
    size_t top = 0;
    for (size_t i = 0; i < w.size(); ++i) {
      if (w[i] > 0) a.entropy -= w[i] * std::log(w[i]);
      if (w[i] > w[top]) top = i;
      a.weights[train_cells[i]] = w[i];
    }
    a.top = train_cells[top];
    diag->assignment[cell] = std::move(a);
  }
}

/// diagnostics.json: component health on an even subset of the training pairs and the split.
Diagnostics ComputeDiagnostics(Loaded& l, const PredictOptions& o, const train::Dataset& d,
                               const train::Scores& s) {
  const TrainConfig& config = l.config;
  const int64_t bs = config.train.eval_batch_size;
  const int64_t k = static_cast<int64_t>(l.meta.train_cells.size());
  Diagnostics diag;
  auto train_sub = train::Subset(l.data.train, train::EvenSubset(l.data.train.size(), 2000));
  train::ScoreOptions so;
  so.batch_size = bs;
  so.prototype = config.components.prototype;
  so.keep_z = true;
  so.prior = l.prior;
  auto st = train::Score(l.net, train_sub, so);
  if (l.member) st.prob = l.member->Combine(st.prob, l.member->Predict(train_sub));
  std::vector<int> ty = train_sub.Labels();
  diag.train_aupr = metric::AveragePrecision(ty, st.prob);
  diag.train_auc = metric::RocAuc(ty, st.prob);
  diag.train_n = static_cast<int64_t>(ty.size());
  if (config.components.adversarial && st.disc_logits.defined()) {
    auto cells = torch::tensor(train_sub.cell, torch::kLong);
    diag.disc_acc = st.disc_logits.argmax(1).eq(cells).to(torch::kDouble).mean().item<double>();
    auto counts = torch::bincount(cells, {}, k);
    diag.disc_chance = counts.max().item<double>() / static_cast<double>(cells.size(0));
  }
  if (config.components.orthogonality) diag.zi_ze_corr = MeanAbsCrossCorrelation(s.z_i, s.z_e);
  if (config.components.prototype)
    PrototypeHealth(l.net, train_sub, st, s, l.meta.train_cells, bs, &diag);
  auto re = Describe(s.r_e);
  std::map<std::string, std::vector<double>> re_cell;
  for (size_t i = 0; i < d.size(); ++i) re_cell[d.pairs[i].cell_line].push_back(s.r_e[i]);
  for (const auto& [cell, v] : re_cell) {
    auto cs = Describe(v);
    diag.r_e_per_cell[cell] = {cs.mean, cs.std};
  }
  diag.r_e_mean = re.mean;
  diag.r_e_std = re.std;
  diag.r_e_min = re.min;
  diag.r_e_max = re.max;
  diag.temperature = l.net->Temperature().item<double>();
  diag.mode = o.context_free ? "context_free" : "context";
  diag.split = o.split;
  return diag;
}

/// AUPR/AUC of `score` on the split's labeled pairs, overall and per cell line (null when none is
/// labeled).
Json LabeledMetrics(const std::vector<int>& y, const std::vector<double>& score,
                    const std::vector<std::string>& cells) {
  const auto t = metric::ComputePartlyLabeledTable(y, score, cells, metric::ThresholdPolicy::Own("f1"));
  if (!t.any_labeled) return Json();
  Json m = {{"aupr", JsonNumber(t.table.overall.aupr)}, {"auc", JsonNumber(t.table.overall.auc)}};
  for (const auto& [cell, row] : t.table.per_cell)
    m["per_cell"][cell] = {{"aupr", JsonNumber(row.aupr)}, {"auc", JsonNumber(row.auc)}};
  return m;
}

/// metrics/<split>.json `ensemble`: the weight, the trees' rounds, each member's own AUPR/AUC on
/// the split's labeled pairs (overall and per cell line) and, as `even_mix`, those of the two
/// members at equal weight whatever the gate chose (what the other choices would have scored).
Json EnsembleRecord(const train::EnsembleMember& member, const train::Dataset& d,
                    const std::vector<double>& network, const std::vector<double>& trees) {
  Json j = {{"weight", member.weight()}, {"member", member.kind()},
            {"combine_rule", member.combine_rule()}};
  if (member.kind() == "xgboost") j["rounds"] = member.rounds();
  const std::vector<int> y = d.Labels();
  const std::vector<std::string> cells = d.CellLines();
  for (const auto& [name, score] : {std::pair{"network", &network}, std::pair{member.kind().c_str(), &trees}})
    if (Json m = LabeledMetrics(y, *score, cells); !m.is_null()) j["members"][name] = m;
  if (Json mix = LabeledMetrics(y, member.Combine(network, trees, 0.5), cells); !mix.is_null())
    j["even_mix"] = mix;
  return j;
}

/// The network's and the member's probabilities of the same pairs.
struct MemberScores { std::vector<double> network, member; };

/// Both learners' scores of `d`, the network's as the split is scored (context, calibration).
MemberScores ScoreBoth(Loaded& l, const train::Dataset& d, const train::ScoreOptions& so) {
  train::ScoreOptions ro = so;
  ro.keep_z = false;
  return {train::Score(l.net, d, ro).prob, l.member->Predict(d)};
}

/// Before the member is applied: for combine_rule "standardised_logits" each member's logit scale
/// from the validation split (else an even subset of 2000 training pairs), scored as the split is
/// (context, calibration); for gate "val" (with a validation split) train::GateChoice picks the
/// ensemble, the network alone (weight 0) or the member alone (weight 1). `val`: both learners'
/// validation scores (null without one). Returns metrics' `ensemble` `scale` and `gate` records.
Json PrepareEnsemble(Loaded& l, const train::ScoreOptions& so, const MemberScores* val) {
  Json out = Json::object();
  const bool standardised = l.member->combine_rule() == "standardised_logits";
  const bool gated = l.member->gate() == "val" && val != nullptr;
  if (!standardised && !gated) return out;
  MemberScores train_ref;  // without a validation split: an even subset of the training pairs
  if (!val)
    train_ref = ScoreBoth(
        l, train::Subset(l.data.train, train::EvenSubset(l.data.train.size(), 2000)), so);
  const std::vector<double>& network = val ? val->network : train_ref.network;
  const std::vector<double>& member = val ? val->member : train_ref.member;
  if (standardised) {
    l.member->SetScale(network, member);
    out["scale"] = l.member->ScaleRecord();
    out["scale"]["pairs"] = val ? "val" : "train (2000 pairs, even)";
  }
  if (gated) {
    out["gate"] = train::ValidationGate(l.data.val, l.member->Combine(network, member), network, member);
    const std::string choice = out["gate"]["choice"];
    if (choice != "ensemble") {
      l.member->SetWeight(choice == "network" ? 0.0 : 1.0);
      const Json& g = out["gate"];  // numbers, or "nan" (JsonNumber)
      auto num = [&](const Json& v) { return v.is_number() ? std::to_string(v.get<double>()) : v.dump(); };
      Log::Info("predict: ensemble gate (one-standard-error rule) - validation AUPR " +
                num(g["val_aupr_ensemble"]) + " with both, " + num(g["val_aupr_network"]) +
                " the network alone, " + num(g["val_aupr_member"]) + " the " + l.member->kind() +
                " alone, SE of the best " + num(g["se_best"]) + ": the " +
                (choice == "network" ? std::string("network alone scores (member out, above the ensemble)")
                                     : l.member->kind() + " alone scores (within one SE of the best)"));
    }
  }
  return out;
}

/// The ensemble's decision threshold: train.threshold_rule on the validation split's ensemble
/// scores (NaN without a val split, so that the rule falls back to the split's own labels); the
/// ensemble's validation AUPR goes to `*val_aupr` (NaN without one). `val` as for PrepareEnsemble.
double EnsembleValThreshold(Loaded& l, const MemberScores* val, double* val_aupr) {
  *val_aupr = NAN;
  if (val == nullptr) return NAN;
  const auto pv = l.member->Combine(val->network, val->member);
  const std::vector<int> y = l.data.val.Labels();
  *val_aupr = metric::AveragePrecision(y, pv);
  return metric::ChooseThreshold(l.config.train.threshold_rule, y, pv).threshold;
}

/// model.ensemble: the member's scores of `d` combined into `s` (after PrepareEnsemble), the
/// ensemble's threshold on validation into `*threshold`; returns metrics' `ensemble` record.
Json ApplyEnsemble(Loaded& l, const train::Dataset& d, const train::ScoreOptions& so,
                   train::Scores* s, double* threshold) {
  // Both learners' validation scores, once: for the scale, the gate and the threshold.
  std::optional<MemberScores> val;
  if (l.data.val.size() > 0) val = ScoreBoth(l, l.data.val, so);
  const MemberScores* v = val ? &*val : nullptr;
  const Json prepared = PrepareEnsemble(l, so, v);
  const std::vector<double> trees = l.member->Predict(d);
  Json ensemble = EnsembleRecord(*l.member, d, s->prob, trees);
  for (const auto& [key, value] : prepared.items()) ensemble[key] = value;
  s->prob = l.member->Combine(s->prob, trees);
  double val_aupr = NAN;
  *threshold = EnsembleValThreshold(l, v, &val_aupr);
  ensemble["val_aupr"] = JsonNumber(val_aupr);  // reflect's val side of the ensemble
  if (l.member->weight() == 0 || l.member->weight() == 1) {
    // the gate chose one learner alone (logged by PrepareEnsemble)
  } else if (!prepared.contains("scale")) {
    Log::Info("predict: ensemble - the network's probability averaged with that of " +
              (l.member->kind() == "xgboost"
                   ? std::to_string(l.member->rounds()) + " boosted trees"
                   : "the " + l.member->kind()) +
              " (model.ensemble)");
  } else {
    Log::Info("predict: ensemble - the network's and the " + l.member->kind() +
              "'s logits averaged, each standardised on the " +
              prepared["scale"]["pairs"].get<std::string>() + " pairs (model.ensemble)");
  }
  return ensemble;
}

}  // namespace

PredictSummary PredictRun(const PredictOptions& o) {
  // model.kind = "xgboost": trees, not this network (predict/xgboost_predictor.cpp).
  if (std::filesystem::is_regular_file(o.run_dir + "/config.toml")) {
    const TrainConfig c = ReadTrainConfig(o.run_dir + "/config.toml");
    if (c.model.kind == "xgboost") return train::PredictXgboostRun(o, c);
  }
  torch::set_num_threads(ResolveThreads(o.threads));
  const std::string& dir = o.run_dir;
  Loaded l = Load(o);
  const train::Dataset& d =
      o.split == "test" ? l.data.test : o.split == "val" ? l.data.val : l.data.train;
  if (d.size() == 0) Fatal("split '", o.split, "' has no pairs");
  Log::Info("predict: " + std::to_string(d.size()) + " pairs of split " + o.split + " (" +
            (o.context_free ? "context-free" : "context-aware") + ", checkpoint " + o.checkpoint +
            " from epoch " + std::to_string(l.meta.epoch) + ")");
  const auto t_score = std::chrono::steady_clock::now();
  train::ScoreOptions so;
  so.batch_size = l.config.train.eval_batch_size;
  so.prototype = l.config.components.prototype;
  so.context_free = o.context_free;
  so.keep_z = true;
  so.prior = l.prior;
  auto s = train::Score(l.net, d, so);
  double threshold = l.meta.threshold;
  // model.ensemble: the network's probability combined with the member's
  const Json ensemble = l.member ? ApplyEnsemble(l, d, so, &s, &threshold) : Json();
  const double score_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_score).count();
  Predictions p = WritePredictionsFile(dir, o.split, d, s);

  // metrics/<split>.json and results.md
  // Unlabeled pairs (kUnlabeled) are scored, not evaluated; the table says "unlabeled".
  // The decision threshold the checkpoint kept from validation (train.threshold_rule); the rule
  // on this split's own labels only when there is none (no val split, older checkpoint).
  const auto policy =
      metric::ThresholdPolicy::FromValidation(threshold, l.config.train.threshold_rule);
  const auto labeled = metric::ComputePartlyLabeledTable(p.label, p.score, p.cell_line, policy);
  PredictionMetrics pm;
  pm.ensemble = ensemble;
  if (labeled.any_labeled) pm.table = labeled.table;
  pm.unlabeled = labeled.unlabeled;
  pm.mode = o.context_free ? "context_free" : "context";
  pm.split = o.split;
  pm.checkpoint = o.checkpoint;
  pm.epoch = l.meta.epoch;
  if (!s.resistance_offset.empty()) {
    pm.calibration_prior = l.prior;
    for (const auto& [cell, b] : s.resistance_offset) pm.resistance_offset[cell] = b;
  }
  pm.seconds = score_seconds;
  pm.pairs_per_s = score_seconds > 0 ? d.size() / score_seconds : NAN;
  if (o.baselines)  // the built-in baselines on the same split (docs/baselines.md)
    baseline::BaselinesForPrediction(l.config, dir, o.data_dir, o.split, l.data.hash,
                                     ResolveThreads(o.threads))
        .ToPredictionMetrics(o.split, &pm);
  MakeDirs(dir + "/metrics");
  WriteJsonFile(dir + "/metrics/" + o.split + ".json", pm.ToJson());
  PredictSummary summary;
  summary.table_markdown = labeled.ToMarkdown();
  const std::string comparison = baseline::ComparisonMarkdown(pm, "prism");
  if (!comparison.empty()) summary.table_markdown += "\n" + comparison;
  if (ensemble.contains("members")) {
    const double w = ensemble.value("weight", 0.5);  // 0 / 1: the gate chose one learner alone
    char mean[64] = "mean";
    if (w != 0.5 && w != 0 && w != 1)
      std::snprintf(mean, sizeof mean, "weighted mean (member weight %.2f)", w);
    std::string line = "\nEnsemble (model.ensemble): the rows above score the " +
                       std::string(mean) + " of the members' " +
                       std::string(ensemble.contains("scale") ? "standardised logits" : "probabilities") +
                       (w == 0 ? " - here the network alone" : w == 1 ? " - here the member alone" : "") +
                       "; each member alone, AUPR:";
    for (const auto& [name, m] : ensemble["members"].items()) {
      char buf[96];
      std::snprintf(buf, sizeof buf, " %s %.4f", name.c_str(),
                    m["aupr"].is_number() ? m["aupr"].get<double>() : NAN);
      line += buf;
    }
    summary.table_markdown += line + "\n";
  }
  summary.aupr = labeled.any_labeled ? pm.table.overall.aupr : NAN;
  summary.auc = labeled.any_labeled ? pm.table.overall.auc : NAN;
  summary.n = static_cast<int64_t>(d.size());
  if (o.split == "test") {
    std::string md = "# " + l.config.name + ": " + o.split + " (" +
                     (o.context_free ? "context-free" : "context-aware") + ", " + o.checkpoint +
                     " checkpoint, epoch " + std::to_string(l.meta.epoch) + ")\n\n" +
                     summary.table_markdown;
    WriteFileAtomic(dir + "/results.md", md);
  }
  WriteJsonFile(dir + "/diagnostics.json", ComputeDiagnostics(l, o, d, s).ToJson());
  // Reliance of the delivered scores (ensemble: after the gate) on the audit's cell-specific k-mers,
  // on the test split, or val without test pairs (shortcut_reliance.json; sequence data only).
  const bool unseen = o.split == "test" || (o.split == "val" && l.data.test.size() == 0);
  if (o.shortcut_reliance && unseen && l.config.data.kind == "sequence") {
    Log::Info("predict: shortcut reliance (cell-specific k-mers planted and removed)");
    ShortcutReliance rel = predict::MeasureShortcutReliance(
        l.net, l.config, l.meta.train_cells, ReadDomainKl(l.data.path), d, s, {}, l.member.get());
    rel.split = o.split;
    rel.checkpoint = o.checkpoint;
    WriteJsonFile(dir + "/" + kShortcutRelianceFile, rel.ToJson());
  }
  return summary;
}

}  // namespace prism
