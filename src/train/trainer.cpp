// train/trainer.cpp - `prism train`: the training loop, JSONL log, checkpoints, resume.
#include <ATen/CPUGeneratorImpl.h>
#include <unistd.h>

#include <chrono>
#include <cmath>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <limits>
#include <map>
#include <memory>
#include <optional>

#include "dist/data_parallel.h"
#include "model/losses.h"
#include "prism/atomic_file.h"
#include "prism/blas.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/prefetch_queue.h"
#include "prism/sampler.h"
#include "prism/simulate.h"
#include "prism/version.h"
#include "train/engine.h"
#include "train/lr_schedule.h"
#include "train/perf_stats.h"

namespace prism {

namespace {

using train::Data;
using train::Dataset;

std::string NowUtc() {
  std::time_t t = std::time(nullptr);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", std::gmtime(&t));
  return buf;
}

/// Curriculum factor of an auxiliary loss in `epoch` (1-based).
double CurriculumFactor(const TrainConfig& c, int64_t epoch) {
  if (epoch <= c.curriculum.warmup_epochs) return 0.0;
  if (c.curriculum.ramp_epochs <= 0) return 1.0;
  return std::min(1.0, static_cast<double>(epoch - c.curriculum.warmup_epochs) /
                           static_cast<double>(c.curriculum.ramp_epochs));
}

double AuxWeight(const TrainConfig& c, const std::string& name) {
  if (name == "prototype") return c.weights.prototype;
  if (name == "contrastive") return c.weights.contrastive;
  if (name == "orthogonality") return c.weights.orthogonality;
  if (name == "adversarial") return c.weights.adversarial;
  return 1.0;
}

Json RunJson(const TrainConfig& c, const Data& d, int threads, int64_t params) {
  Json j;
  j["name"] = c.name;
  j["created"] = NowUtc();
  j["finished"] = nullptr;
  j["prism_version"] = Version();
  j["code_version"] = CodeVersion();
  j["libtorch"] = std::to_string(TORCH_VERSION_MAJOR) + "." +
                  std::to_string(TORCH_VERSION_MINOR) + "." +
                  std::to_string(TORCH_VERSION_PATCH);
  j["seed"] = c.seed;
  j["threads"] = threads;
  j["blas"] = prism::BlasInfo();
  j["data"] = {{"kind", c.data.kind},
               {"path", d.path},
               {"hash", d.hash},
               {"train_pairs", d.train.size()},
               {"val_pairs", d.has_val ? d.val.size() : 0},
               {"test_pairs", d.test.size()},
               {"train_cells", d.train_cells},
               {"val_cells", d.has_val ? d.CellsOf(d.val) : std::vector<std::string>{}},
               {"test_cells", d.CellsOf(d.test)}};
  // Data written by `prism simulate`: what a perfect model scores on each split (the inspector's
  // train-val gap rule credits the part of a gap that no model can close).
  if (Json bayes = SimulationBayesRecord(d.path, j["data"]); !bayes.is_null())
    j["data"]["bayes_aupr"] = std::move(bayes);
  j["config"] = c.ToJson();
  j["parameters"] = params;
  j["status"] = "running";
  return j;
}

void SaveCheckpoint(const std::string& path, model::PrismNet& net, torch::optim::Optimizer& opt,
                    const Json& meta, const Json& trainer) {
  torch::serialize::OutputArchive root, m, o;
  net->save(m);
  opt.save(o);
  root.write("model", m);
  root.write("optimizer", o);
  root.write("meta", c10::IValue(meta.dump()));
  root.write("trainer", c10::IValue(trainer.dump()));
  root.write("rng", at::detail::getDefaultCPUGenerator().get_state());
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  root.save_to(tmp);
  std::error_code ec;
  std::filesystem::rename(tmp, path, ec);
  if (ec) {
    std::filesystem::remove(tmp, ec);
    Fatal("cannot write checkpoint '", path, "'");
  }
}

/// Keeps only the log lines of epochs <= `epoch` (resume after an interrupted epoch).
void TruncateLog(const std::string& path, int64_t epoch) {
  if (!std::filesystem::exists(path)) return;
  std::ifstream in(path);
  std::string line, kept;
  while (std::getline(in, line)) {
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    Json j = Json::parse(line);
    if (j.value("epoch", int64_t{0}) <= epoch) kept += line + "\n";
  }
  WriteFileAtomic(path, kept);
}

struct Running {
  double min = std::numeric_limits<double>::infinity(), max = 0, sum = 0;
  long n = 0;
  void Add(double v) {
    min = std::min(min, v);
    max = std::max(max, v);
    sum += v;
    ++n;
  }
};

// ---- performance and data-parallel helpers ---------------------------------------------------

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

/// Makes the loader-thread producer of one epoch: every global batch of `batches` with at
/// least 2 samples per rank becomes this rank's share, collated, with its FLOPs.
std::function<std::optional<train::PreparedBatch>()> BatchProducer(
    const Dataset& d, const std::vector<std::vector<size_t>>& batches,
    const model::ModelOptions& mo, int rank, int world) {
  auto next = std::make_shared<size_t>(0);
  return [&d, &batches, mo, rank, world, next]() -> std::optional<train::PreparedBatch> {
    while (*next < batches.size()) {
      const auto& global = batches[(*next)++];
      // A batch statistic needs two samples on every rank; the decision depends on the
      // global batch only, so every rank skips the same batches.
      if (global.size() < 2 * static_cast<size_t>(world)) continue;
      train::PreparedBatch p;
      auto [begin, end] = ShardRange(static_cast<int64_t>(global.size()), rank, world);
      p.idx.assign(global.begin() + begin, global.begin() + end);
      p.global_size = static_cast<int64_t>(global.size());
      p.position = static_cast<long>(*next);
      p.batch = train::Collate(d, p.idx);
      const int64_t ew = p.batch.e_tokens.defined() ? p.batch.e_tokens.size(1) : 0;
      const int64_t pw = p.batch.p_tokens.defined() ? p.batch.p_tokens.size(1) : 0;
      p.forward_flops =
          train::BatchForwardFlops(mo, static_cast<int64_t>(p.idx.size()), ew, pw).Forward();
      return p;
    }
    return std::nullopt;
  };
}

/// The epoch record's speed fields (docs/run-folder.md): FLOPs and MFU of this rank's steps,
/// the fraction of the step loop spent waiting for the loader.
void AddPerfRecord(Json* rec, double flops, long samples, double seconds, double wait_seconds,
                   double peak, int world) {
  (*rec)["flops_per_sample"] = JsonNumber(samples > 0 ? flops / samples : NAN);
  (*rec)["achieved_gflops"] = JsonNumber(seconds > 0 ? flops / seconds / 1e9 : NAN);
  (*rec)["mfu"] = JsonNumber(ModelFlopUtilisation(flops, seconds, peak));
  (*rec)["data_wait_fraction"] = JsonNumber(seconds > 0 ? wait_seconds / seconds : NAN);
  (*rec)["world_size"] = world;
}

/// True on every rank when any rank says true (one small all-reduce).
bool AnyRank(DistributedContext* ctx, bool value) {
  if (!ctx) return value;
  auto t = torch::tensor({value ? 1.0 : 0.0}, torch::kDouble);
  ctx->AllReduceSum(t);
  return t.item<double>() > 0;
}

}  // namespace

int64_t CountModelParameters(const TrainConfig& config, int64_t num_cells,
                             int64_t num_features) {
  model::PrismNet net(train::ModelOptionsFor(config, num_cells, num_features));
  return net->NumParameters();
}

TrainSummary TrainRun(const TrainConfig& c, const TrainRunOptions& opt) {
  ValidateTrainConfig(c);
  if (opt.out_dir.empty()) Fatal("no run folder given");
  const auto t_start = std::chrono::steady_clock::now();
  const int threads = ResolveThreads(opt.threads);
  torch::set_num_threads(threads);
  auto ctx = JoinGroup(opt);  // nullptr: one process
  const bool main_rank = !ctx || ctx->is_main();
  const int rank = ctx ? ctx->rank() : 0, world = ctx ? ctx->world_size() : 1;
  const double gemm_peak = MeasureGemmFlops();  // FLOP/s: the denominator of MFU
  const std::string dir = opt.out_dir;
  const std::string log_path = dir + "/train_log.jsonl", last_path = dir + "/checkpoints/last.pt",
                    best_path = dir + "/checkpoints/best.pt";
  if (opt.resume && !std::filesystem::exists(last_path))
    Fatal("--resume: no checkpoint '", last_path, "'");
  if (main_rank && !opt.resume && std::filesystem::exists(log_path))
    Fatal("run folder '", dir, "' already has a training log (use --resume, or another --out)");
  if (main_rank) MakeDirs(dir + "/checkpoints");

  Data data = train::LoadData(c);
  const int64_t k = static_cast<int64_t>(data.train_cells.size());
  if (k < 2 && (c.components.prototype || c.components.adversarial || c.components.contrastive))
    Fatal("the prototype, contrastive and adversarial components need >= 2 training cell lines; "
          "the data has ", k);
  Log::Info("train: " + std::to_string(data.train.size()) + " pairs in " + std::to_string(k) +
            " cell lines, val " + std::to_string(data.has_val ? data.val.size() : 0) + ", test " +
            std::to_string(data.test.size()) + "; " + std::to_string(threads) + " threads");

  Json balance = BalanceTrainingSet(c, &data.train);
  torch::manual_seed(c.seed);
  const auto model_opts = train::ModelOptionsFor(c, k, data.train.num_features);
  train::CheckTrainingFits(model_opts, c, data.train, opt.force);  // before any allocation
  model::PrismNet net(model_opts);
  Json motif_seed = SeedMotifFilters(c, data.train, data.train_cells, net);
  const int64_t params = net->NumParameters();
  if (ctx) ctx->BroadcastParameters(*net);
  torch::optim::AdamW optimizer(
      net->parameters(), torch::optim::AdamWOptions(c.train.lr).weight_decay(c.train.weight_decay));

  model::LossOptions lo;
  lo.main = c.loss.main;
  lo.contrastive_temperature = c.loss.contrastive_temperature;
  lo.immax_momentum = c.loss.immax_momentum;
  std::vector<std::unique_ptr<model::Loss>> losses;
  losses.push_back(model::CreateLoss(c.loss.main, lo));
  if (c.components.prototype) losses.push_back(model::CreateLoss("prototype", lo));
  if (c.components.contrastive) losses.push_back(model::CreateLoss("contrastive", lo));
  if (c.components.orthogonality) losses.push_back(model::CreateLoss("orthogonality", lo));
  if (c.components.adversarial) losses.push_back(model::CreateLoss("adversarial", lo));
  std::vector<std::string> components;
  for (const auto& l : losses) components.push_back(l->name());
  auto* immax = dynamic_cast<model::AdaptiveImmaxLoss*>(losses.front().get());

  SamplerOptions so;
  so.batch_size = static_cast<size_t>(c.train.batch_size);
  so.seed = c.seed;
  auto sampler = CreateSampler(c.train.sampler, data.train.CellLines(), so);

  Json run = RunJson(c, data, threads, params);
  run["balance"] = balance;
  run["motif_seed"] = motif_seed;
  run["gemm_peak_gflops"] = JsonNumber(gemm_peak / 1e9);
  run["distributed"] = {{"world_size", world},
                        {"backend", ctx ? ctx->backend() : std::string("none")},
                        {"master", ctx ? Json(opt.master) : Json()}};
  Json meta = {{"train_cells", data.train_cells},
               {"num_features", data.train.num_features},
               {"epoch", 0}};
  int64_t start_epoch = 1, best_epoch = 0, bad_epochs = 0, step = 0;
  double best_aupr = -1;
  if (opt.resume) {
    torch::serialize::InputArchive root, m, o;
    root.load_from(last_path);
    root.read("model", m);
    net->load(m);
    root.read("optimizer", o);
    optimizer.load(o);
    torch::Tensor rng;
    root.read("rng", rng);
    c10::IValue tv;
    root.read("trainer", tv);
    Json tj = Json::parse(tv.toStringRef());
    start_epoch = tj.at("epoch").get<int64_t>() + 1;
    best_epoch = tj.at("best_epoch").get<int64_t>();
    bad_epochs = tj.at("bad_epochs").get<int64_t>();
    step = tj.at("step").get<int64_t>();
    best_aupr = ReadNumber(tj.at("best_aupr"), -1);
    if (immax && tj.contains("immax"))
      immax->set_difficulty(tj["immax"][0].get<double>(), tj["immax"][1].get<double>());
    at::Generator gen = at::detail::getDefaultCPUGenerator();
    gen.set_state(rng);
    TruncateLog(log_path, start_epoch - 1);
    if (std::filesystem::exists(dir + "/run.json")) {
      Json old = ReadJsonFile(dir + "/run.json");
      if (old.contains("created")) run["created"] = old["created"];
    }
    Log::Info("resuming from " + last_path + " at epoch " + std::to_string(start_epoch));
  }
  if (main_rank) {
    WriteJsonFile(dir + "/run.json", run);
    WriteFileAtomic(dir + "/config.toml", c.ToToml());
  }

  const int64_t steps_per_epoch = static_cast<int64_t>(sampler->Epoch(1).size());
  const double total_steps = static_cast<double>(std::max<int64_t>(1, steps_per_epoch * c.train.epochs));
  const bool proto = c.components.prototype, adv = c.components.adversarial;
  const double train_prior = train::PositiveRate(data.train);  // context calibration target
  TrainSummary summary;
  summary.parameters = params;
  bool early_stopped = false;
  int64_t epoch = start_epoch;
  std::ofstream log_out;

  try {
    for (; epoch <= c.train.epochs; ++epoch) {
      const auto t0 = std::chrono::steady_clock::now();
      const double lr = train::LrAt(c, epoch);
      for (auto& g : optimizer.param_groups())
        static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
      const double factor = CurriculumFactor(c, epoch);
      auto batches = sampler->Epoch(static_cast<int>(epoch));
      net->train();
      std::map<std::string, double> loss_sum;
      double total_sum = 0;
      long samples = 0, nan_steps = 0, disc_correct = 0, disc_n = 0;
      Running gn;
      std::vector<int> y_train;
      std::vector<double> p_train;
      double temperature = net->Temperature().item<double>();
      Progress progress("epoch " + std::to_string(epoch), static_cast<long>(batches.size()));
      long done = 0;
      // Batches are collated on a loader thread while the previous step computes.
      Prefetcher<train::PreparedBatch> loader(
          BatchProducer(data.train, batches, model_opts, rank, world), opt.prefetch);
      double epoch_flops = 0;
      while (auto prepared = loader.Next()) {
        if (opt.max_steps > 0 && step >= opt.max_steps) break;
        done = prepared->position;
        const auto& idx = prepared->idx;
        model::Batch& b = prepared->batch;
        const double lambda = model::DannLambda(static_cast<double>(step) / total_steps);
        ++step;
        auto out = net->forward(b, proto ? model::ContextMode::kGroups : model::ContextMode::kNone,
                                adv ? lambda : -1.0);
        torch::Tensor total = torch::zeros({});
        std::map<std::string, double> values;
        for (auto& l : losses) {
          auto v = l->Compute({out, b});
          const double w = l->name() == "task" ? 1.0 : AuxWeight(c, l->name()) * factor;
          total = total + v * w;
          values[l->name()] = v.item<double>();
        }
        const double total_v = total.item<double>();
        optimizer.zero_grad();
        if (AnyRank(ctx.get(), !std::isfinite(total_v))) {
          ++nan_steps;
          continue;
        }
        total.backward();
        if (ctx)
          ctx->AllReduceGradients(*net, static_cast<double>(idx.size()) /
                                            static_cast<double>(prepared->global_size));
        const double norm = torch::nn::utils::clip_grad_norm_(
            net->parameters(),
            c.train.grad_clip > 0 ? c.train.grad_clip : std::numeric_limits<double>::infinity());
        if (!std::isfinite(norm)) {
          ++nan_steps;
          optimizer.zero_grad();
          continue;
        }
        optimizer.step();
        gn.Add(norm);
        const long bs = static_cast<long>(idx.size());
        samples += bs;
        epoch_flops += 3.0 * prepared->forward_flops;
        for (const auto& [name, v] : values) loss_sum[name] += v * bs;
        total_sum += total_v * bs;
        auto prob = torch::sigmoid(out.logit.detach()).to(torch::kDouble).contiguous();
        for (long i = 0; i < bs; ++i) {
          p_train.push_back(prob.data_ptr<double>()[i]);
          y_train.push_back(data.train.pairs[idx[i]].label);
        }
        if (adv) {
          auto pred = out.disc_logits.detach().argmax(1);
          disc_correct += pred.eq(b.cell).sum().item<int64_t>();
          disc_n += bs;
        }
        temperature = out.temperature.item<double>();
        progress.Update(done, "loss " + std::to_string(total_sum / samples).substr(0, 6));
      }
      progress.Finish();
      const double train_seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      const double wait_seconds = loader.WaitSeconds();
      const long local_samples = samples;
      if (ctx) {
        // Loss totals and counts over all ranks; rank 0's batch-norm statistics everywhere.
        std::vector<double> sums = {total_sum, static_cast<double>(samples),
                                    static_cast<double>(disc_correct), static_cast<double>(disc_n)};
        for (const auto& l : losses) sums.push_back(loss_sum[l->name()]);
        auto t = torch::tensor(sums, torch::kDouble);
        ctx->AllReduceSum(t);
        auto* v = t.data_ptr<double>();
        total_sum = v[0];
        samples = static_cast<long>(std::llround(v[1]));
        disc_correct = static_cast<long>(std::llround(v[2]));
        disc_n = static_cast<long>(std::llround(v[3]));
        for (size_t i = 0; i < losses.size(); ++i) loss_sum[losses[i]->name()] = v[4 + i];
        ctx->BroadcastParameters(*net);
      }

      // Epoch record.
      Json rec;
      rec["epoch"] = epoch;
      Json loss = Json::object(), weights = Json::object();
      for (const auto& l : losses) {
        const auto& name = l->name();
        loss[name] = JsonNumber(samples ? loss_sum[name] / samples : NAN);
        weights[name] = name == "task" ? 1.0 : AuxWeight(c, name) * factor;
      }
      loss["total"] = JsonNumber(samples ? total_sum / samples : NAN);
      rec["lr"] = lr;
      rec["loss"] = loss;
      rec["weights"] = weights;
      rec["grad_norm"] = {{"mean", JsonNumber(gn.n ? gn.sum / gn.n : NAN)},
                          {"min", JsonNumber(gn.n ? gn.min : NAN)},
                          {"max", JsonNumber(gn.n ? gn.max : NAN)}};
      double train_aupr = NAN;
      if (!y_train.empty()) {
        auto at = metric::AtThreshold(y_train, p_train, 0.5);
        train_aupr = metric::AveragePrecision(y_train, p_train);
        rec["train"] = {{"aupr", JsonNumber(train_aupr)},
                        {"auc", JsonNumber(metric::RocAuc(y_train, p_train))},
                        {"precision", at.precision},
                        {"recall", at.recall},
                        {"f1", at.f1}};
        double mean = 0, sq = 0, hi = 0, lo = 0;
        for (double p : p_train) {
          mean += p;
          hi += p > 0.99;
          lo += p < 0.01;
        }
        mean /= p_train.size();
        for (double p : p_train) sq += (p - mean) * (p - mean);
        const double n = static_cast<double>(p_train.size());
        rec["output"] = {{"mean", mean},
                         {"std", std::sqrt(sq / n)},
                         {"frac_gt_0.99", hi / n},
                         {"frac_lt_0.01", lo / n}};
      } else {
        rec["train"] = nullptr;
        rec["output"] = nullptr;
      }
      double val_aupr = NAN;
      if (data.has_val && main_rank) {
        auto s = train::Score(net, data.val, c.train.eval_batch_size, proto, false, false,
                              net->options.context_calibration() ? train_prior : NAN);
        std::vector<int> y;
        for (const auto& p : data.val.pairs) y.push_back(p.label);
        auto table = metric::ComputeTable(y, s.prob, data.val.CellLines());
        val_aupr = table.overall.aupr;
        Json per_cell = Json::object();
        for (const auto& [cell, row] : table.per_cell)
          per_cell[cell] = {{"aupr", JsonNumber(row.aupr)}, {"auc", JsonNumber(row.auc)},
                            {"n", row.n}};
        rec["val"] = {{"aupr", JsonNumber(table.overall.aupr)},
                      {"auc", JsonNumber(table.overall.auc)},
                      {"precision", table.overall.precision},
                      {"recall", table.overall.recall},
                      {"f1", table.overall.f1},
                      {"threshold", table.overall.threshold},
                      {"per_cell", per_cell}};
      } else {
        rec["val"] = nullptr;
      }
      rec["T"] = JsonNumber(temperature);
      rec["disc_acc"] = adv && disc_n ? Json(static_cast<double>(disc_correct) / disc_n) : Json();
      rec["nan_steps"] = nan_steps;
      rec["sampler"] = sampler->name();
      rec["components"] = components;
      rec["parameters"] = params;
      rec["train_samples"] = data.train.size();
      const double seconds =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      rec["seconds"] = seconds;
      rec["samples_per_s"] = train_seconds > 0 ? samples / train_seconds : 0.0;
      AddPerfRecord(&rec, epoch_flops, local_samples, train_seconds, wait_seconds, gemm_peak,
                    world);
      if (main_rank) {
        if (!log_out.is_open()) log_out.open(log_path, std::ios::app);
        log_out << rec.dump() << "\n";
        log_out.flush();
        if (!log_out) Fatal("cannot write '", log_path, "'");
      }

      // Early stopping on val AUPR (train AUPR when there is no validation split).
      const double score = data.has_val ? val_aupr : train_aupr;
      bool improved = std::isfinite(score) && score > best_aupr;
      if (improved) {
        best_aupr = score;
        best_epoch = epoch;
        bad_epochs = 0;
      } else {
        ++bad_epochs;
      }
      meta["epoch"] = epoch;
      Json tj = {{"epoch", epoch},       {"best_epoch", best_epoch}, {"bad_epochs", bad_epochs},
                 {"step", step},         {"best_aupr", JsonNumber(best_aupr)}};
      if (immax) tj["immax"] = immax->difficulty();
      if (main_rank && (improved || !std::filesystem::exists(best_path)))
        SaveCheckpoint(best_path, net, optimizer, meta, tj);
      if (main_rank) SaveCheckpoint(last_path, net, optimizer, meta, tj);

      char line[256];
      std::snprintf(line, sizeof line,
                    "epoch %lld/%lld  loss %.4f  train AUPR %.4f  val AUPR %.4f%s  %.1f s  "
                    "%.3g pairs/s",
                    static_cast<long long>(epoch), static_cast<long long>(c.train.epochs),
                    samples ? total_sum / samples : NAN, train_aupr, val_aupr,
                    improved ? " *" : "", seconds, train_seconds > 0 ? samples / train_seconds : 0.0);
      if (main_rank) Log::Info(line);
      summary.epochs_run = epoch;
      if (opt.max_steps > 0 && step >= opt.max_steps) {
        if (main_rank) Log::Info("stopping: --max-steps " + std::to_string(opt.max_steps) + " reached");
        break;
      }
      if (opt.stop_after_epoch > 0 && epoch >= opt.stop_after_epoch) {
        // still "running": interrupted on purpose
        if (main_rank) WriteJsonFile(dir + "/run.json", run);
        summary.best_epoch = best_epoch;
        summary.best_val_aupr = best_aupr;
        return summary;
      }
      // Rank 0 (which has the validation scores) decides for every rank.
      if (AnyRank(ctx.get(), main_rank && c.train.patience > 0 && bad_epochs >= c.train.patience)) {
        early_stopped = true;
        Log::Info("early stopping: val AUPR has not improved for " +
                  std::to_string(bad_epochs) + " epochs (best " + std::to_string(best_aupr) +
                  " at epoch " + std::to_string(best_epoch) + ")");
        break;
      }
    }
  } catch (...) {
    run["status"] = "failed";
    run["finished"] = NowUtc();
    if (main_rank) WriteJsonFile(dir + "/run.json", run);
    throw;
  }
  run["status"] = "finished";
  run["finished"] = NowUtc();
  run["best_epoch"] = best_epoch;
  run["early_stopped"] = early_stopped;
  if (main_rank) WriteJsonFile(dir + "/run.json", run);
  summary.best_epoch = best_epoch;
  summary.best_val_aupr = best_aupr;
  summary.early_stopped = early_stopped;
  summary.seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count();
  return summary;
}

}  // namespace prism
