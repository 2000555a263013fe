// predict/score_run.cpp - the LibTorch side of `prism score` (score/model_scorer.h): load a run's
// model, estimate a cell line's context from its candidates, score candidate batches under it.
// Every call into the training engine (LoadModelCheckpoint, Score, Collate, Dataset) is here.
#include <algorithm>
#include <cmath>
#include <filesystem>

#include "prism/csv.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/run_folder.h"
#include "prism/tokenizer.h"
#include "score/model_scorer.h"
#include "prism/compute_threads.h"
#include "train/checkpoint.h"
#include "train/collate.h"
#include "train/dataset.h"
#include "train/model_recipe.h"
#include "train/scoring.h"
#include "train/xgboost_model.h"

namespace prism::score {
namespace {

// The calibration target of `prism predict`: the positive rate of the run's training pairs.
double TrainingPositiveRate(const TrainConfig& config) {
  const std::string path = config.data.dir + "/train/ALL/pairs_hg19.csv";
  if (config.data.dir.empty() || !std::filesystem::exists(path))
    Fatal("the context calibration needs the run's training pairs (", path,
          "); pass --no-calibration to score without it");
  CsvReader csv(path);
  const int label = csv.Require("label");
  double n = 0, pos = 0;
  while (csv.Next()) {
    pos += csv.Label(label);
    ++n;
  }
  if (n == 0) Fatal(path, ": no training pairs");
  return pos / n;
}

class TorchScorer : public ModelScorer {
 public:
  TorchScorer(const std::string& run_dir, const std::string& checkpoint, int threads,
              bool context_free, bool no_calibration)
      : context_free_(context_free) {
    torch::set_num_threads(ResolveThreads(threads));
    config_ = ReadTrainConfig(run_dir + "/config.toml");
    if (config_.data.kind != "sequence")
      Fatal("prism score needs a sequence model; ", run_dir, " was trained on feature tables");
    if (config_.model.ensemble != "none") LoadMember(run_dir, threads);
    const std::string ckpt = run_dir + "/checkpoints/" + checkpoint + ".pt";
    auto meta = train::VerifyRunCheckpoint(run_dir, checkpoint);  // size and hash vs run.json
    epoch_ = meta.epoch;
    // The embedding-convolution path for scoring batches (eval_batch_size pairs at the crops).
    const EmbedConvChoice embed_conv = train::ResolveEmbedConv(config_, /*training=*/false);
    Log::Info("embedding + convolution: " + embed_conv.ToString());
    embed_conv_ = embed_conv.ToJson();
    net_ = model::PrismNet(train::ModelOptionsFor(
        config_, static_cast<int64_t>(meta.train_cells.size()), meta.num_features, &embed_conv));
    train::LoadModelCheckpoint(ckpt, net_);
    net_->eval();
    if (net_->options.context_calibration() && !no_calibration && !context_free)
      prior_ = TrainingPositiveRate(config_);
  }

  ScoreContext Context(const PairBatch& pairs) override {
    auto d = ToDataset(pairs);
    train::ScoreOptions so;
    so.batch_size = config_.train.eval_batch_size;
    so.prototype = config_.components.prototype;
    so.context_free = context_free_;
    so.prior = prior_ > 0 ? prior_ : NAN;
    auto s = train::Score(net_, d, so);
    ScoreContext c;
    c.pairs = pairs.size();
    c.prior = prior_;
    if (!s.assignment.empty()) c.weights = s.assignment.front().second;
    if (!s.resistance_offset.empty())
      c.offset = s.resistance_offset.front().second / net_->Temperature().item<double>();
    return c;
  }

  std::vector<double> Logits(const PairBatch& pairs, const ScoreContext& context) override {
    torch::NoGradGuard ng;
    auto d = ToDataset(pairs);
    std::vector<double> logit = NetworkLogits(d, context);
    if (!member_) return logit;
    // The ensemble as prism predict combines it: the network's calibrated probability with the
    // member's, then back to a logit before the calibration offset (the merge subtracts it).
    std::vector<double> network(logit.size());
    for (size_t i = 0; i < logit.size(); ++i)
      network[i] = 1 / (1 + std::exp(-(logit[i] - context.offset)));
    const std::vector<double> combined = member_->Combine(network, member_->Predict(d));
    for (size_t i = 0; i < logit.size(); ++i) {
      const double p = std::clamp(combined[i], 1e-300, 1 - 1e-16);
      logit[i] = std::log(p / (1 - p)) + context.offset;
    }
    return logit;
  }

  size_t max_enhancer() const override { return config_.data.max_enhancer; }
  size_t max_promoter() const override { return config_.data.max_promoter; }
  int64_t epoch() const override { return epoch_; }
  Json embed_conv() const override { return embed_conv_; }
  Json ensemble() const override { return ensemble_; }

 private:
  /// model.ensemble's member, applied as `prism predict` applied it to the test split: its
  /// scale and gate come from metrics/test.json `ensemble`. Without that record (predict not
  /// run) or with the gate closed the run scores with the network alone; `ensemble_` says which.
  void LoadMember(const std::string& run_dir, int threads) {
    const std::string metrics = run_dir + "/metrics/test.json";
    Json rec;
    if (std::filesystem::is_regular_file(metrics)) {
      const Json m = ReadJsonFile(metrics);
      if (m.contains("ensemble") && m["ensemble"].is_object()) rec = m["ensemble"];
    }
    ensemble_ = {{"member", config_.model.ensemble}, {"applied", false}};
    if (rec.is_null()) {
      ensemble_["why"] = "metrics/test.json has no ensemble record (run prism predict first)";
      Log::Warning("prism score scores with the network alone: the run's model.ensemble = \"" +
                   config_.model.ensemble + "\" member is applied with the scale prism predict "
                   "records in metrics/test.json, which " + metrics + " lacks");
      return;
    }
    if (rec.contains("gate") && rec["gate"].value("used", true) == false) {
      ensemble_["why"] = "the validation gate kept the member out (as in prism predict)";
      Log::Info("prism score scores with the network alone, as prism predict did: the "
                "validation gate kept the run's " + config_.model.ensemble + " member out");
      return;
    }
    member_ = train::EnsembleMember::Load(run_dir, config_, ResolveThreads(threads));
    if (!member_) {  // derived.ensemble.skipped: no member was fitted
      ensemble_["why"] = "no member was fitted (run.json derived.ensemble.skipped)";
      return;
    }
    if (member_->combine_rule() == "standardised_logits") {
      try {
        member_->RestoreScale(rec.value("scale", Json::object()));
      } catch (const Error& e) {
        throw InputError(metrics, 0, 0, std::string("ensemble.scale: ") + e.what());
      }
    }
    // The gate's choice: the weight predict scored with (1: the member alone).
    if (rec.contains("weight") && rec["weight"].is_number()) member_->SetWeight(rec["weight"].get<double>());
    ensemble_["applied"] = true;
    ensemble_["combine_rule"] = member_->combine_rule();
    ensemble_["weight"] = member_->weight();
    Log::Info("prism score averages in the run's " + member_->kind() +
              " member as prism predict did (" + member_->combine_rule() +
              ", scale from metrics/test.json)");
  }

  std::vector<double> NetworkLogits(const train::Dataset& d, const ScoreContext& context) {
    const int64_t k = net_->prototypes->num_cells;
    torch::Tensor e_c;
    if (config_.components.prototype) {
      PRISM_CHECK(static_cast<int64_t>(context.weights.size()) == k, "context has ",
                  context.weights.size(), " prototype weights, the model ", k);
      std::vector<float> w(context.weights.begin(), context.weights.end());
      e_c = net_->prototypes->Mix(torch::tensor(w));
    } else {
      e_c = torch::zeros({net_->options.z_e_dim()});
    }
    const double t = net_->Temperature().item<double>();
    std::vector<double> logit(d.size());
    const size_t bs = static_cast<size_t>(config_.train.eval_batch_size);
    for (size_t start = 0; start < d.size(); start += bs) {
      std::vector<size_t> idx;
      for (size_t i = start; i < std::min(d.size(), start + bs); ++i) idx.push_back(i);
      auto b = train::Collate(d, idx);
      model::Output o;
      auto h = net_->Encode(b);
      std::tie(o.z_i, o.z_e) = net_->Project(h, b);
      const int64_t m = static_cast<int64_t>(idx.size());
      net_->Heads(&o, e_c.view({1, -1}).expand({m, e_c.size(0)}));
      // As train::Score: the model's logit (u_i - r_e) / T, in double.
      auto u = o.u_i.to(torch::kDouble).contiguous(), r = o.r_e.to(torch::kDouble).contiguous();
      for (int64_t i = 0; i < m; ++i)
        logit[start + i] = (u.data_ptr<double>()[i] - r.data_ptr<double>()[i]) / t;
    }
    return logit;
  }

  train::Dataset ToDataset(const PairBatch& pairs) const {
    train::Dataset d;
    d.kind = "sequence";
    auto tokens = [](const std::vector<std::string>& seqs, size_t max_len,
                     std::vector<std::vector<int32_t>>* out) {
      for (const auto& s : seqs) {
        auto tok = Tokenize(CenterCrop(s, max_len));
        if (tok.empty()) tok.push_back(kPadToken);  // as train::LoadData
        out->push_back(std::move(tok));
      }
    };
    tokens(pairs.e_seqs, config_.data.max_enhancer, &d.e_tokens);
    tokens(pairs.p_seqs, config_.data.max_promoter, &d.p_tokens);
    d.e_idx.assign(pairs.e_idx.begin(), pairs.e_idx.end());
    d.p_idx.assign(pairs.p_idx.begin(), pairs.p_idx.end());
    d.pairs.resize(pairs.size());
    for (auto& p : d.pairs) p.cell_line = "context";  // one cell line: the one being scored
    d.cell.assign(pairs.size(), -1);
    return d;
  }

  TrainConfig config_;
  model::PrismNet net_{nullptr};
  bool context_free_;
  double prior_ = 0;
  int64_t epoch_ = 0;
  Json embed_conv_;
  std::unique_ptr<train::EnsembleMember> member_;
  Json ensemble_ = Json::object();  ///< summary.json `ensemble` (empty: model.ensemble = "none")
};

}  // namespace

std::unique_ptr<ModelScorer> LoadModelScorer(const std::string& run_dir,
                                             const std::string& checkpoint, int threads,
                                             bool context_free, bool no_calibration) {
  return std::make_unique<TorchScorer>(run_dir, checkpoint, threads, context_free,
                                       no_calibration);
}

}  // namespace prism::score
