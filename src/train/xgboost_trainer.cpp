// train/xgboost_trainer.cpp - `prism train` for model.kind = "xgboost" (train/xgboost_model.h):
// the data and the run folder of a network run, gradient-boosted trees in place of the network.
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "prism/atomic_file.h"
#include "prism/blas.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/hash.h"
#include "prism/ledger.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/version.h"
#include "train/xgboost_model.h"

namespace prism::train {

std::string XgbCheckpointFile(const std::string& which) {
  return "checkpoints/" + which + ".xgb.json";
}

baseline::XgbMatrix XgbInput(const TrainConfig& config, const Dataset& d) {
  const bool add_distance = config.data.use_distance && !config.data.distance_feature;
  const size_t f = static_cast<size_t>(d.num_features);
  baseline::XgbMatrix m;
  m.rows = d.size();
  m.cols = f + (add_distance ? 1 : 0);
  m.values.reserve(m.rows * m.cols);
  for (size_t i = 0; i < m.rows; ++i) {
    m.values.insert(m.values.end(), d.features.begin() + static_cast<std::ptrdiff_t>(i * f),
                    d.features.begin() + static_cast<std::ptrdiff_t>((i + 1) * f));
    if (add_distance) m.values.push_back(d.distance[i]);
  }
  m.labels = d.Labels();
  return m;
}

Json DerivedMinChildWeight(const baseline::XgbParams& p, double value, size_t rows,
                           const std::string& who) {
  if (p.min_child_share <= 0) return Json();
  Log::Info("derived " + who + " min_child_weight = " + std::to_string(value) +
            " (model.xgb_min_child_share x " + std::to_string(rows) + " training pairs)");
  return {{"value", value},
          {"share", p.min_child_share},
          {"rows", rows},
          {"rule", "model.xgb_min_child_share x training rows"}};
}

baseline::XgbParams XgbParamsFor(const TrainConfig& c, int threads) {
  baseline::XgbParams p;
  p.max_depth = static_cast<int>(c.model.xgb_max_depth);
  p.eta = c.model.xgb_eta;
  p.min_child_weight = c.model.xgb_min_child_weight;
  p.lambda = c.model.xgb_lambda;
  p.min_child_share = c.model.xgb_min_child_share;
  p.max_rounds = static_cast<int>(c.model.xgb_rounds);
  p.early_stopping = static_cast<int>(c.model.xgb_early_stopping);
  p.threads = threads;
  p.seed = c.seed;
  return p;
}

namespace {

/// Mean binary log-loss of probabilities `p` (clipped to [1e-15, 1 - 1e-15]).
double LogLoss(const std::vector<int>& y, const std::vector<double>& p) {
  double sum = 0;
  for (size_t i = 0; i < y.size(); ++i) {
    const double q = std::min(1 - 1e-15, std::max(1e-15, p[i]));
    sum -= y[i] == 1 ? std::log(q) : std::log(1 - q);
  }
  return y.empty() ? NAN : sum / static_cast<double>(y.size());
}

/// One train_log.jsonl line per boosting round: the task loss is the training log-loss (the
/// objective the trees minimise), "train" and "output" as a network epoch's, "val" (when there
/// is a validation split) with threshold and per-cell scores. Fields that describe a network
/// step (T, FLOPs, data wait) are null, not NaN.
class RoundLogger {
 public:
  RoundLogger(const std::string& path, const TrainConfig& c, const Data& data)
      : out_(path, std::ios::app), config_(c), y_train_(data.train.Labels()),
        y_val_(data.val.Labels()), val_cells_(data.val.CellLines()),
        t_(std::chrono::steady_clock::now()) {
    if (!out_) Fatal("cannot write '", path, "'");
  }

  /// Logs round `round` (0-based) and returns the validation AUPR (NaN without validation).
  double operator()(int round, const std::vector<double>& tp, const std::vector<double>& vp) {
    const auto now = std::chrono::steady_clock::now();
    EpochRecord rec;
    rec.epoch = round + 1;
    rec.seconds = std::chrono::duration<double>(now - t_).count();
    t_ = now;
    rec.samples_per_s = rec.seconds > 0 ? tp.size() / rec.seconds : NAN;
    rec.lr = config_.model.xgb_eta;
    const double loss = LogLoss(y_train_, tp);
    rec.loss = {{"task", loss}, {"total", loss}};
    rec.weights = {{"task", 1.0}};
    EpochScores ts;
    ts.aupr = metric::AveragePrecision(y_train_, tp);
    ts.auc = metric::RocAuc(y_train_, tp);
    const auto at = metric::AtThreshold(y_train_, tp, 0.5);
    ts.precision = at.precision;
    ts.recall = at.recall;
    ts.f1 = at.f1;
    rec.train = ts;
    double mean = 0, sq = 0, hi = 0, lo = 0;
    for (double p : tp) {
      mean += p;
      hi += p > 0.99;
      lo += p < 0.01;
    }
    const double n = static_cast<double>(tp.size());
    mean /= n;
    for (double p : tp) sq += (p - mean) * (p - mean);
    rec.output = OutputStats{mean, std::sqrt(sq / n), hi / n, lo / n};
    double val_aupr = NAN;
    if (!vp.empty()) {
      const auto table = metric::ComputeTable(
          y_val_, vp, val_cells_, metric::ThresholdPolicy::Own(config_.train.threshold_rule));
      EpochScores vs;
      vs.aupr = val_aupr = table.overall.aupr;
      vs.auc = table.overall.auc;
      vs.precision = table.overall.precision;
      vs.recall = table.overall.recall;
      vs.f1 = table.overall.f1;
      vs.threshold = table.overall.threshold;
      vs.has_threshold = vs.has_per_cell = true;
      for (const auto& [cell, row] : table.per_cell) vs.per_cell[cell] = {row.aupr, row.auc, row.n};
      rec.val = vs;
    }
    val_threshold_.push_back(rec.val ? rec.val->threshold : NAN);
    rec.components = {"task"};
    rec.train_samples = static_cast<int64_t>(tp.size());
    Json j = rec.ToJson();
    for (const char* k : {"T", "flops_per_sample", "achieved_gflops", "mfu", "data_wait_fraction",
                          "sampler"})
      j[k] = nullptr;
    out_ << j.dump() << "\n";
    out_.flush();
    const double score = vp.empty() ? ts.aupr : val_aupr;
    const bool improved = std::isfinite(score) && score > best_;
    if (improved) best_ = score;
    const int64_t rounds = config_.model.xgb_rounds;
    if (round == 0 || (round + 1) % 25 == 0 || round + 1 == rounds) {
      char line[200];
      std::snprintf(line, sizeof line, "round %d/%lld  train log-loss %.4f  train AUPR %.4f",
                    round + 1, static_cast<long long>(rounds), loss, ts.aupr);
      std::string text = line;
      if (!vp.empty()) {
        std::snprintf(line, sizeof line, "  val AUPR %.4f%s", val_aupr, improved ? " *" : "");
        text += line;
      }
      Log::Info(text);
    }
    return val_aupr;
  }

  /// The decision threshold chosen on validation after round `round` (0-based; NaN without a
  /// val split or for a round not logged).
  double ValThreshold(int64_t round) const {
    return round >= 0 && round < static_cast<int64_t>(val_threshold_.size())
               ? val_threshold_[static_cast<size_t>(round)]
               : NAN;
  }

 private:
  std::vector<double> val_threshold_;
  std::ofstream out_;
  const TrainConfig& config_;
  std::vector<int> y_train_, y_val_;
  std::vector<std::string> val_cells_;
  std::chrono::steady_clock::time_point t_;
  double best_ = -1;
};

/// The checks of TrainRun's setup that apply to trees, and the data.
Data SetupXgboost(const TrainConfig& c, const TrainRunOptions& opt) {
  ValidateTrainConfig(c);
  if (c.data.kind != "features")
    Fatal("conflict: model.kind = \"xgboost\" needs feature tables (data.kind = \"features\")");
  if (opt.out_dir.empty()) Fatal("no run folder given");
  if (opt.resume)
    Fatal("--resume: model.kind = \"xgboost\" trains in one go; start it again with a new --out");
  if (opt.world_size > 1)
    Fatal("--world-size > 1 trains the network data-parallel; model.kind = \"xgboost\" uses "
          "--threads");
  if (std::filesystem::exists(opt.out_dir + "/train_log.jsonl"))
    Fatal("run folder '", opt.out_dir, "' already has a training log (use another --out)");
  Data data = LoadData(c);
  Log::Info("train (xgboost): " + std::to_string(data.train.size()) + " pairs in " +
            std::to_string(data.train_cells.size()) + " cell lines, val " +
            std::to_string(data.has_val ? data.val.size() : 0) + ", test " +
            std::to_string(data.test.size()) + "; the network's keys (components, loss, "
            "weights, curriculum, train.* but threshold_rule) are not used");
  if (c.model.ensemble != "none")
    Log::Info("model.ensemble = \"" + c.model.ensemble + "\" averages a second learner with the "
              "network; model.kind = \"xgboost\" trains the trees alone (not used)");
  if (!data.has_val && c.model.xgb_early_stopping > 0)
    Log::Info("xgboost: no validation split (data.val_cells): all " +
              std::to_string(c.model.xgb_rounds) + " rounds are trained and used");
  const auto shared = data.Record().val_shared_cells;
  if (!shared.empty())
    Log::Warning("validation shares cell lines with training: it measures fit, not transfer to "
                 "unseen cell lines (data.val_cells holds out training cell lines)");
  return data;
}

RunRecord StartRecord(const TrainConfig& c, const Data& data, int threads) {
  RunRecord run;
  run.name = c.name;
  run.created = UtcNow();
  run.prism_version = Version();
  run.code_version = CodeVersion();
  run.seed = static_cast<int64_t>(c.seed);
  run.threads = threads;
  run.blas = BlasInfo();
  run.distributed = {{"world_size", 1}, {"backend", "none"}, {"master", nullptr}};
  run.data = data.Record();
  run.data.kind = c.data.kind;
  run.config = c.ToJson();
  run.config_hash = HashHex(c.ToToml());
  run.status = "running";
  return run;
}

}  // namespace

TrainSummary TrainXgboostRun(const TrainConfig& config, const TrainRunOptions& opt) {
  const auto t_start = std::chrono::steady_clock::now();
  // The resolved configuration says what was trained: trees use none of the network's
  // components (config.toml and run.json record them off; QC and reflect read them there).
  TrainConfig c = config;
  c.components.prototype = c.components.contrastive = false;
  c.components.orthogonality = c.components.adversarial = false;
  const int threads = ResolveThreads(opt.threads);
  Data data = SetupXgboost(c, opt);
  const std::string dir = opt.out_dir;
  MakeDirs(dir + "/checkpoints");
  RunRecord run = StartRecord(c, data, threads);
  WriteJsonFile(dir + "/run.json", run.ToJson());
  WriteFileAtomic(dir + "/config.toml", c.ToToml());

  const baseline::XgbParams p = XgbParamsFor(c, threads);
  const baseline::XgbMatrix train = XgbInput(c, data.train);
  baseline::XgbMatrix val;
  if (data.has_val) val = XgbInput(c, data.val);
  std::unique_ptr<baseline::XgbModel> model;
  std::unique_ptr<RoundLogger> logger;
  try {
    logger = std::make_unique<RoundLogger>(dir + "/train_log.jsonl", c, data);
    const baseline::XgbRoundObserver observer = std::ref(*logger);
    model = std::make_unique<baseline::XgbModel>(train, data.has_val ? &val : nullptr, p,
                                                 &observer);
  } catch (...) {
    run.status = "failed";
    run.finished = UtcNow();
    WriteJsonFile(dir + "/run.json", run.ToJson());
    throw;
  }
  const int64_t best = model->best_round() + 1, rounds = model->rounds();
  WriteFileAtomic(dir + "/" + XgbCheckpointFile("best"), model->SaveJson(true));
  WriteFileAtomic(dir + "/" + XgbCheckpointFile("last"), model->SaveJson(false));
  run.checkpoints["best"] = DescribeCheckpoint(dir, XgbCheckpointFile("best"), best);
  run.checkpoints["last"] = DescribeCheckpoint(dir, XgbCheckpointFile("last"), rounds);
  // The validation threshold of each checkpoint's last round (`prism predict` applies it).
  run.checkpoints["best"].val_threshold = logger->ValThreshold(best - 1);
  run.checkpoints["last"].val_threshold = logger->ValThreshold(rounds - 1);
  run.parameters = model->NumNodes(true);
  if (Json d = DerivedMinChildWeight(p, model->min_child_weight(), train.rows, "xgboost");
      !d.is_null())
    run.derived = {{"min_child_weight", d}};
  run.status = "finished";
  run.finished = UtcNow();
  run.best_epoch = best;
  run.early_stopped = rounds < c.model.xgb_rounds;
  WriteJsonFile(dir + "/run.json", run.ToJson());
  if (run.early_stopped.value())
    Log::Info("early stopping: val AUPR has not improved for " +
              std::to_string(c.model.xgb_early_stopping) + " rounds (best " +
              std::to_string(model->best_val_aucpr()) + " at round " + std::to_string(best) + ")");
  TrainSummary s;
  s.epochs_run = rounds;
  s.best_epoch = best;
  s.parameters = *run.parameters;
  s.best_val_aupr = data.has_val ? model->best_val_aucpr() : NAN;
  s.early_stopped = *run.early_stopped;
  s.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return s;
}

}  // namespace prism::train
