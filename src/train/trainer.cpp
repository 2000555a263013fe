// train/trainer.cpp - `prism train`: TrainRun as a sequence of named steps (setup, data-parallel
// join, model, losses, sampler, run.json, resume, the epoch loop, checkpoints, the end).
#include <chrono>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <memory>

#include "dist/data_parallel.h"
#include "model/losses.h"
#include "prism/atomic_file.h"
#include "prism/baseline.h"
#include "prism/blas.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/ledger.h"
#include "prism/log.h"
#include "prism/sampler.h"
#include "prism/simulate.h"
#include "prism/version.h"
#include "train/checkpoint.h"
#include "train/dataset.h"
#include "train/model_recipe.h"
#include "train/training_session.h"
#include "train/xgboost_model.h"

namespace prism {

namespace train {
namespace {

/// Joins the process group when options ask for more than one rank.
std::unique_ptr<DistributedContext> JoinGroup(const TrainRunOptions& opt) {
  if (opt.world_size <= 1) return nullptr;
  if (opt.rank < 0 || opt.rank >= opt.world_size)
    Fatal("--rank must be in 0..", opt.world_size - 1, ", got ", opt.rank);
  if (opt.resume) Fatal("--resume is not supported with --world-size > 1");
  DistributedOptions d;
  d.world_size = opt.world_size;
  d.rank = opt.rank;
  d.master = opt.master;
  return std::make_unique<DistributedContext>(d);
}

/// Threads, process group, GEMM peak, the run folder and the data.
void Setup(Session& s) {
  const TrainConfig& c = s.config;
  const TrainRunOptions& opt = s.options;
  ValidateTrainConfig(c);
  if (opt.out_dir.empty()) Fatal("no run folder given");
  s.threads = ResolveThreads(opt.threads);
  torch::set_num_threads(s.threads);
  s.ctx = JoinGroup(opt);  // nullptr: one process
  s.main_rank = !s.ctx || s.ctx->is_main();
  s.rank = s.ctx ? s.ctx->rank() : 0;
  s.world = s.ctx ? s.ctx->world_size() : 1;
  s.gemm_peak = MeasureGemmFlops();  // FLOP/s: the denominator of MFU
  s.dir = opt.out_dir;
  s.log_path = s.dir + "/train_log.jsonl";
  if (opt.resume && !std::filesystem::exists(s.dir + "/checkpoints/last.pt"))
    Fatal("--resume: no checkpoint '", s.dir + "/checkpoints/last.pt", "'");
  if (s.main_rank && !opt.resume && std::filesystem::exists(s.log_path))
    Fatal("run folder '", s.dir, "' already has a training log (use --resume, or another --out)");
  s.data = LoadData(c, "", {}, /*training=*/true);
  const int64_t k = static_cast<int64_t>(s.data.train_cells.size());
  if (k < 2 && (c.components.prototype || c.components.adversarial || c.components.contrastive))
    Fatal("the prototype, contrastive and adversarial components need >= 2 training cell lines; "
          "the data has ", k);
  const Data& d = s.data;
  Log::Info("train: " + std::to_string(d.train.size()) + " pairs in " + std::to_string(k) +
            " cell lines, val " + std::to_string(d.has_val ? d.val.size() : 0) + ", test " +
            std::to_string(d.test.size()) + "; " + std::to_string(s.threads) + " threads");
  const std::vector<std::string> shared = d.Record().val_shared_cells;
  if (!shared.empty()) {
    std::string names;
    for (const auto& n : shared) names += (names.empty() ? "" : ", ") + n;
    Log::Warning("validation shares cell lines with training (" + names + "): it measures fit, "
                 "not transfer to unseen cell lines (data.val_cells holds out training cell "
                 "lines)");
  }
}

/// The model (seeded, with its data-dependent initialisation) and the optimiser. The order of
/// the random draws is fixed: the same seed gives the same model.
void BuildModel(Session& s, RunRecord* run) {
  const TrainConfig& c = s.config;
  const int64_t k = static_cast<int64_t>(s.data.train_cells.size());
  run->balance = BalanceTrainingSet(c, &s.data.train);
  run->balance_val = BalanceValidationSet(c, &s.data);
  // What depends on the data is derived before the model exists (model.channels / kernel = 0).
  const int64_t max_motif = c.model.kernel > 0 ? c.model.kernel : kMaxMotifLength;
  const MotifSeeds seeds = DiscoverMotifSeeds(c, s.data.train, s.data.train_cells, max_motif);
  run->derived = ResolveDerivedSizes(seeds, &s.resolved);
  if (!run->derived.empty())
    for (const auto& [key, v] : run->derived.items())
      Log::Info("derived model." + key + " = " + std::to_string(v["value"].get<int64_t>()) +
                " from the training data (" + v["rule"].get<std::string>() + ")");
  torch::manual_seed(c.seed);
  // The embedding-convolution path for this data's training steps (mean token lengths).
  const EmbedConvChoice embed_conv = ResolveEmbedConv(c, /*training=*/true,
                                                      MeanTokenLengths(s.data.train));
  s.model_opts = ModelOptionsFor(c, k, s.data.train.num_features, &embed_conv);
  if (c.data.kind == "sequence") {
    run->embed_conv = embed_conv.ToJson();
    Log::Info("embedding + convolution: " + embed_conv.ToString());
  }
  CheckTrainingFits(s.model_opts, c, s.data.train, s.options.force);  // before any allocation
  if (s.main_rank) MakeDirs(s.dir + "/checkpoints");  // after the checks: a refusal writes nothing
  s.net = model::PrismNet(s.model_opts);
  ApplyMotifSeeds(seeds, s.net);
  run->motif_seed = seeds.record;
  run->shortcut_mask = s.data.shortcut_mask;
  s.params = s.net->NumParameters();
  if (s.ctx) s.ctx->BroadcastParameters(*s.net);
  s.optimizer = std::make_unique<torch::optim::AdamW>(
      s.net->parameters(),
      torch::optim::AdamWOptions(c.train.lr).weight_decay(c.train.weight_decay));
}

/// The main loss and every switched-on auxiliary loss, in log order.
void MakeLosses(Session& s) {
  const TrainConfig& c = s.config;
  model::LossOptions lo;
  lo.main = c.loss.main;
  lo.contrastive_temperature = c.loss.contrastive_temperature;
  lo.immax_momentum = c.loss.immax_momentum;
  s.losses.push_back(model::CreateLoss(c.loss.main, lo));
  if (c.components.prototype) s.losses.push_back(model::CreateLoss("prototype", lo));
  if (c.components.contrastive) s.losses.push_back(model::CreateLoss("contrastive", lo));
  if (c.components.orthogonality) s.losses.push_back(model::CreateLoss("orthogonality", lo));
  if (c.components.adversarial) s.losses.push_back(model::CreateLoss("adversarial", lo));
  for (const auto& l : s.losses) s.components.push_back(l->name());
  s.immax = dynamic_cast<model::AdaptiveImmaxLoss*>(s.losses.front().get());
}

void MakeSampler(Session& s) {
  SamplerOptions so;
  so.batch_size = static_cast<size_t>(s.config.train.batch_size);
  so.seed = s.config.seed;
  s.sampler = CreateSampler(s.config.train.sampler, s.data.train.CellLines(), so);
}

/// run.json at the start of training (status "running").
void StartRunRecord(const Session& s, RunRecord* run) {
  const TrainConfig& c = s.config;
  run->name = c.name;
  run->created = UtcNow();
  run->prism_version = Version();
  run->code_version = CodeVersion();
  run->libtorch = std::to_string(TORCH_VERSION_MAJOR) + "." +
                  std::to_string(TORCH_VERSION_MINOR) + "." + std::to_string(TORCH_VERSION_PATCH);
  run->seed = static_cast<int64_t>(c.seed);
  run->threads = s.threads;
  run->blas = prism::BlasInfo();
  run->gemm_peak_gflops = s.gemm_peak / 1e9;
  run->distributed = {{"world_size", s.world},
                      {"backend", s.ctx ? s.ctx->backend() : std::string("none")},
                      {"master", s.ctx ? Json(s.options.master) : Json()}};
  run->data = s.data.Record();
  run->data.kind = c.data.kind;
  // Data written by `prism simulate`: what a perfect model scores on each split (the
  // inspector's train-val gap rule credits the part of a gap that no model can close).
  const Json bayes = SimulationBayesRecord(s.data.path, run->ToJson()["data"]);
  if (!bayes.is_null())
    run->data.bayes_aupr = RunRecord::FromJson({{"data", {{"bayes_aupr", bayes}}}},
                                               {"simulation.json", 0}).data.bayes_aupr;
  run->config = c.ToJson();
  run->config_hash = HashHex(c.ToToml());
  run->parameters = s.params;
  run->status = "running";
}

/// train.epochs = 0: the fewest epochs that reach train.steps optimiser steps with this training
/// set and sampler (a small data set gets more passes, a large one fewer), logged and added to
/// run.json `derived`; the resolved value goes into the run's config.toml.
void ResolveDerivedEpochs(Session& s, int64_t steps_per_epoch, RunRecord* run) {
  auto& t = s.resolved.train;
  if (t.epochs > 0) return;
  const int64_t per_epoch = std::max<int64_t>(1, steps_per_epoch);
  t.epochs = std::max<int64_t>(1, (t.steps + per_epoch - 1) / per_epoch);
  if (run->derived.is_null()) run->derived = Json::object();
  run->derived["epochs"] = {{"value", t.epochs},
                            {"steps_per_epoch", per_epoch},
                            {"steps", t.steps},
                            {"rule", "ceil(train.steps / optimiser steps per epoch)"}};
  Log::Info("derived train.epochs = " + std::to_string(t.epochs) + " from the training data (" +
            std::to_string(t.steps) + " steps at " + std::to_string(per_epoch) +
            " steps per epoch)");
}

/// --resume: model, optimiser, RNG and trainer state from last.pt (train/checkpoint.h).
void Resume(Session& s, RunRecord* run) {
  ResumeRequest rq;
  rq.run_dir = s.dir;
  rq.config_hash = run->config_hash;
  rq.data_hash = run->data.hash;
  rq.force = s.options.force;
  s.state = ResumeTraining(rq, s.net, *s.optimizer, run);
  if (s.immax && s.state.immax) s.immax->set_difficulty(s.state.immax->first, s.state.immax->second);
}

void WriteRunRecord(const Session& s, const RunRecord& run) {
  if (s.main_rank) WriteJsonFile(s.dir + "/run.json", run.ToJson());
}

/// best.pt when the epoch improved (or none exists yet), last.pt always; run.json records both.
/// Each keeps the epoch's validation threshold (NaN without a val split).
void SaveCheckpoints(Session& s, bool improved, double val_threshold, RunRecord* run) {
  if (!s.main_rank) return;
  CheckpointMeta meta{s.data.train_cells, s.data.train.num_features, s.state.epoch,
                      val_threshold};
  if (s.immax) {
    const auto d = s.immax->difficulty();
    s.state.immax = std::make_pair(d[0], d[1]);
  }
  if (improved || !std::filesystem::exists(s.dir + "/checkpoints/best.pt"))
    run->checkpoints["best"] =
        SaveCheckpoint(s.dir, "checkpoints/best.pt", s.net, *s.optimizer, meta, s.state);
  run->checkpoints["last"] =
      SaveCheckpoint(s.dir, "checkpoints/last.pt", s.net, *s.optimizer, meta, s.state);
  WriteRunRecord(s, *run);
}

/// Early stopping on val AUPR (train AUPR when there is no validation split): true when `score`
/// improved on the best so far.
bool UpdateBest(Session& s, double score) {
  const bool improved = std::isfinite(score) && score > s.state.best_aupr;
  if (improved) {
    s.state.best_aupr = score;
    s.state.best_epoch = s.state.epoch;
    s.state.bad_epochs = 0;
  } else {
    ++s.state.bad_epochs;
  }
  return improved;
}

/// Rank 0 (which has the validation scores) decides for every rank.
bool PatienceRunOut(Session& s) {
  const TrainConfig& c = s.config;
  if (!AnyRank(s.ctx.get(), s.main_rank && c.train.patience > 0 &&
                                s.state.bad_epochs >= c.train.patience))
    return false;
  Log::Info("early stopping: val AUPR has not improved for " +
            std::to_string(s.state.bad_epochs) + " epochs (best " +
            std::to_string(s.state.best_aupr) + " at epoch " +
            std::to_string(s.state.best_epoch) + ")");
  return true;
}

void PrintEpoch(const Session& s, const EpochRecord& rec, bool improved) {
  if (!s.main_rank) return;
  char balanced[32] = "";  // train.select_balanced: what early stopping compared
  if (rec.val && std::isfinite(rec.val->aupr_balanced))
    std::snprintf(balanced, sizeof balanced, " (balanced %.4f)", rec.val->aupr_balanced);
  char line[256];
  std::snprintf(line, sizeof line,
                "epoch %lld/%lld  loss %.4f  train AUPR %.4f  val AUPR %.4f%s%s  %.1f s  "
                "%.3g pairs/s",
                static_cast<long long>(rec.epoch), static_cast<long long>(s.config.train.epochs),
                rec.Loss("total"), rec.TrainAupr(), rec.ValAupr(), balanced,
                improved ? " *" : "",
                rec.seconds, rec.samples_per_s);
  Log::Info(line);
}

/// How the epoch loop ended.
enum class LoopEnd { kDone, kEarlyStopped, kInterrupted };

/// Trains epochs from the one after s.state.epoch to train.epochs (or until a stop).
LoopEnd EpochLoop(Session& s, RunRecord* run, TrainSummary* summary) {
  const TrainRunOptions& opt = s.options;
  for (int64_t epoch = s.state.epoch + 1; epoch <= s.config.train.epochs; ++epoch) {
    EpochRecord rec = RunEpoch(s, epoch);
    s.state.epoch = epoch;
    if (s.main_rank) AppendLog(s, rec);
    const bool improved = UpdateBest(s, s.data.has_val ? rec.SelectionAupr() : rec.TrainAupr());
    SaveCheckpoints(s, improved, rec.val ? rec.val->threshold : NAN, run);
    PrintEpoch(s, rec, improved);
    summary->epochs_run = epoch;
    if (opt.max_steps > 0 && s.state.step >= opt.max_steps) {
      if (s.main_rank) Log::Info("stopping: --max-steps " + std::to_string(opt.max_steps) + " reached");
      return LoopEnd::kDone;
    }
    if (opt.stop_after_epoch > 0 && epoch >= opt.stop_after_epoch) return LoopEnd::kInterrupted;
    if (PatienceRunOut(s)) return LoopEnd::kEarlyStopped;
  }
  return LoopEnd::kDone;
}

}  // namespace
}  // namespace train

int64_t CountModelParameters(const TrainConfig& config, int64_t num_cells,
                             int64_t num_features) {
  model::PrismNet net(train::ModelOptionsFor(config, num_cells, num_features));
  return net->NumParameters();
}

TrainSummary TrainRun(const TrainConfig& c, const TrainRunOptions& opt) {
  using namespace train;
  if (c.model.kind == "xgboost") return TrainXgboostRun(c, opt);  // trees: xgboost_trainer.cpp
  const auto t_start = std::chrono::steady_clock::now();
  Session s(c, opt);
  Setup(s);
  RunRecord run;
  BuildModel(s, &run);
  MakeLosses(s);
  MakeSampler(s);
  const int64_t steps_per_epoch = static_cast<int64_t>(s.sampler->Epoch(1).size());
  ResolveDerivedEpochs(s, steps_per_epoch, &run);
  StartRunRecord(s, &run);
  if (opt.resume) Resume(s, &run);
  WriteRunRecord(s, run);
  // The resolved configuration (derived sizes filled in): what predict rebuilds the model from.
  if (s.main_rank) WriteFileAtomic(s.dir + "/config.toml", s.config.ToToml());
  // The built-in baselines on the same splits, before the first epoch: a data problem they
  // meet surfaces before any training time is spent (docs/baselines.md).
  if (s.main_rank && opt.baselines)
    baseline::WriteRunBaselines(c, s.dir, s.threads, run.data.hash);
  else if (s.main_rank && !opt.resume)
    std::filesystem::remove(s.dir + "/baselines.json");
  s.total_steps = static_cast<double>(std::max<int64_t>(1, steps_per_epoch * s.config.train.epochs));

  TrainSummary summary;
  summary.parameters = s.params;
  LoopEnd end;
  try {
    end = EpochLoop(s, &run, &summary);
  } catch (...) {
    run.status = "failed";
    run.finished = UtcNow();
    WriteRunRecord(s, run);
    throw;
  }
  summary.best_epoch = s.state.best_epoch;
  summary.best_val_aupr = s.state.best_aupr;
  if (end == LoopEnd::kInterrupted) return summary;  // still "running": interrupted on purpose
  // model.ensemble: the second learner, fitted once the network is done (train/xgboost_model.h).
  if (s.main_rank && s.config.model.ensemble != "none") {
    try {
      run.derived["ensemble"] = FitEnsembleMember(s.config, s.data, s.dir, s.threads);
    } catch (...) {
      run.status = "failed";
      run.finished = UtcNow();
      WriteRunRecord(s, run);
      throw;
    }
  }
  run.status = "finished";
  run.finished = UtcNow();
  run.best_epoch = s.state.best_epoch;
  run.early_stopped = end == LoopEnd::kEarlyStopped;
  WriteRunRecord(s, run);
  summary.early_stopped = end == LoopEnd::kEarlyStopped;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return summary;
}

}  // namespace prism
