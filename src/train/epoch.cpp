// train/epoch.cpp - one training epoch: the learning-rate and curriculum schedule, the step loop
// (batches collated on a loader thread), the sums over ranks, validation and the epoch record.
#include <chrono>
#include <cmath>
#include <limits>
#include <map>
#include <optional>

#include "prism/error.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/prefetch_queue.h"
#include "train/collate.h"
#include "train/lr_schedule.h"
#include "train/perf_stats.h"
#include "train/scoring.h"
#include "train/training_session.h"

namespace prism::train {
namespace {

/// Curriculum factor of an auxiliary loss in `epoch` (1-based).
double CurriculumFactor(const TrainConfig& c, int64_t epoch) {
  if (epoch <= c.curriculum.warmup_epochs) return 0.0;
  if (c.curriculum.ramp_epochs <= 0) return 1.0;
  return std::min(1.0, static_cast<double>(epoch - c.curriculum.warmup_epochs) /
                           static_cast<double>(c.curriculum.ramp_epochs));
}

/// Weight of a loss component in `epoch` (the task loss: 1).
double LossWeight(const TrainConfig& c, const std::string& name, double factor) {
  if (name == "task") return 1.0;
  double w = 1.0;
  if (name == "prototype") w = c.weights.prototype;
  if (name == "contrastive") w = c.weights.contrastive;
  if (name == "orthogonality") w = c.weights.orthogonality;
  if (name == "adversarial") w = c.weights.adversarial;
  return w * factor;
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

/// What the step loop of one epoch adds up.
struct EpochTotals {
  std::map<std::string, double> loss_sum;
  double total_sum = 0, flops = 0;
  long samples = 0, local_samples = 0, nan_steps = 0, disc_correct = 0, disc_n = 0;
  Running grad_norm;
  std::vector<int> y;
  std::vector<double> p;
  double temperature = NAN;
  double train_seconds = 0, wait_seconds = 0;
};

/// Makes the loader-thread producer of one epoch: every global batch of `batches` with at
/// least 2 samples per rank becomes this rank's share, collated, with its FLOPs.
std::function<std::optional<PreparedBatch>()> BatchProducer(
    const Dataset& d, const std::vector<std::vector<size_t>>& batches,
    const model::ModelOptions& mo, int rank, int world) {
  auto next = std::make_shared<size_t>(0);
  return [&d, &batches, mo, rank, world, next]() -> std::optional<PreparedBatch> {
    while (*next < batches.size()) {
      const auto& global = batches[(*next)++];
      // A batch statistic needs two samples on every rank; the decision depends on the
      // global batch only, so every rank skips the same batches.
      if (global.size() < 2 * static_cast<size_t>(world)) continue;
      PreparedBatch p;
      auto [begin, end] = ShardRange(static_cast<int64_t>(global.size()), rank, world);
      p.idx.assign(global.begin() + begin, global.begin() + end);
      p.global_size = static_cast<int64_t>(global.size());
      p.position = static_cast<long>(*next);
      p.batch = Collate(d, p.idx);
      const int64_t ew = p.batch.e_tokens.defined() ? p.batch.e_tokens.size(1) : 0;
      const int64_t pw = p.batch.p_tokens.defined() ? p.batch.p_tokens.size(1) : 0;
      p.forward_flops =
          BatchForwardFlops(mo, static_cast<int64_t>(p.idx.size()), ew, pw).Forward();
      return p;
    }
    return std::nullopt;
  };
}

/// One optimiser step on a prepared batch; adds to *t.
void Step(Session& s, PreparedBatch& prepared, double factor, double total_steps,
          EpochTotals* t) {
  const TrainConfig& c = s.config;
  const bool proto = c.components.prototype, adv = c.components.adversarial;
  const auto& idx = prepared.idx;
  model::Batch& b = prepared.batch;
  const double lambda = model::DannLambda(static_cast<double>(s.state.step) / total_steps);
  ++s.state.step;
  auto out = s.net->forward(b, proto ? model::ContextMode::kGroups : model::ContextMode::kNone,
                            adv ? lambda : -1.0);
  torch::Tensor total = torch::zeros({});
  std::map<std::string, double> values;
  for (auto& l : s.losses) {
    auto v = l->Compute({out, b});
    total = total + v * LossWeight(c, l->name(), factor);
    values[l->name()] = v.item<double>();
  }
  const double total_v = total.item<double>();
  s.optimizer->zero_grad();
  if (AnyRank(s.ctx.get(), !std::isfinite(total_v))) {
    ++t->nan_steps;
    return;
  }
  total.backward();
  if (s.ctx)
    s.ctx->AllReduceGradients(*s.net, static_cast<double>(idx.size()) /
                                          static_cast<double>(prepared.global_size));
  const double norm = torch::nn::utils::clip_grad_norm_(
      s.net->parameters(),
      c.train.grad_clip > 0 ? c.train.grad_clip : std::numeric_limits<double>::infinity());
  if (!std::isfinite(norm)) {
    ++t->nan_steps;
    s.optimizer->zero_grad();
    return;
  }
  s.optimizer->step();
  t->grad_norm.Add(norm);
  const long bs = static_cast<long>(idx.size());
  t->samples += bs;
  t->flops += 3.0 * prepared.forward_flops;
  for (const auto& [name, v] : values) t->loss_sum[name] += v * bs;
  t->total_sum += total_v * bs;
  auto prob = torch::sigmoid(out.logit.detach()).to(torch::kDouble).contiguous();
  for (long i = 0; i < bs; ++i) {
    t->p.push_back(prob.data_ptr<double>()[i]);
    t->y.push_back(s.data.train.pairs[idx[i]].label);
  }
  if (adv) {
    auto pred = out.disc_logits.detach().argmax(1);
    t->disc_correct += pred.eq(b.cell).sum().item<int64_t>();
    t->disc_n += bs;
  }
  t->temperature = out.temperature.item<double>();
}

/// The step loop of one epoch.
EpochTotals StepLoop(Session& s, int64_t epoch, double factor) {
  const TrainRunOptions& opt = s.options;
  const auto t0 = std::chrono::steady_clock::now();
  auto batches = s.sampler->Epoch(static_cast<int>(epoch));
  s.net->train();
  EpochTotals t;
  t.temperature = s.net->Temperature().item<double>();
  Progress progress("epoch " + std::to_string(epoch), static_cast<long>(batches.size()));
  // Batches are collated on a loader thread while the previous step computes.
  Prefetcher<PreparedBatch> loader(
      BatchProducer(s.data.train, batches, s.model_opts, s.rank, s.world), opt.prefetch);
  while (auto prepared = loader.Next()) {
    if (opt.max_steps > 0 && s.state.step >= opt.max_steps) break;
    Step(s, *prepared, factor, s.total_steps, &t);
    if (t.samples > 0)
      progress.Update(prepared->position,
                      "loss " + std::to_string(t.total_sum / t.samples).substr(0, 6));
  }
  progress.Finish();
  t.train_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  t.wait_seconds = loader.WaitSeconds();
  t.local_samples = t.samples;
  return t;
}

/// Loss totals and counts over all ranks; rank 0's batch-norm statistics everywhere.
void SumOverRanks(Session& s, EpochTotals* t) {
  if (!s.ctx) return;
  std::vector<double> sums = {t->total_sum, static_cast<double>(t->samples),
                              static_cast<double>(t->disc_correct), static_cast<double>(t->disc_n)};
  for (const auto& l : s.losses) sums.push_back(t->loss_sum[l->name()]);
  auto tensor = torch::tensor(sums, torch::kDouble);
  s.ctx->AllReduceSum(tensor);
  auto* v = tensor.data_ptr<double>();
  t->total_sum = v[0];
  t->samples = static_cast<long>(std::llround(v[1]));
  t->disc_correct = static_cast<long>(std::llround(v[2]));
  t->disc_n = static_cast<long>(std::llround(v[3]));
  for (size_t i = 0; i < s.losses.size(); ++i) t->loss_sum[s.losses[i]->name()] = v[4 + i];
  s.ctx->BroadcastParameters(*s.net);
}

/// train metrics (threshold 0.5) and the output distribution of the epoch's training predictions.
void TrainScores(const EpochTotals& t, EpochRecord* rec) {
  if (t.y.empty()) return;
  auto at = metric::AtThreshold(t.y, t.p, 0.5);
  EpochScores sc;
  sc.aupr = metric::AveragePrecision(t.y, t.p);
  sc.auc = metric::RocAuc(t.y, t.p);
  sc.precision = at.precision;
  sc.recall = at.recall;
  sc.f1 = at.f1;
  rec->train = sc;
  double mean = 0, sq = 0, hi = 0, lo = 0;
  for (double p : t.p) {
    mean += p;
    hi += p > 0.99;
    lo += p < 0.01;
  }
  mean /= t.p.size();
  for (double p : t.p) sq += (p - mean) * (p - mean);
  const double n = static_cast<double>(t.p.size());
  rec->output = OutputStats{mean, std::sqrt(sq / n), hi / n, lo / n};
}

/// Validation scores (rank 0), with the context calibration when the model has it on.
void ValScores(Session& s, EpochRecord* rec) {
  const Data& d = s.data;
  if (!d.has_val || !s.main_rank) return;
  ScoreOptions so;
  so.batch_size = s.config.train.eval_batch_size;
  so.prototype = s.config.components.prototype;
  so.prior = s.net->options.context_calibration() ? PositiveRate(d.train) : NAN;
  auto scores = Score(s.net, d.val, so);
  // The decision threshold is chosen here, on validation, by train.threshold_rule; the
  // checkpoint keeps it and `prism predict` applies it to the other splits.
  auto table = metric::ComputeTable(d.val.Labels(), scores.prob, d.val.CellLines(),
                                    metric::ThresholdPolicy::Own(s.config.train.threshold_rule));
  EpochScores sc;
  sc.aupr = table.overall.aupr;
  sc.auc = table.overall.auc;
  sc.precision = table.overall.precision;
  sc.recall = table.overall.recall;
  sc.f1 = table.overall.f1;
  sc.threshold = table.overall.threshold;
  if (!d.val.weight.empty()) sc.aupr_balanced = SelectionAupr(d.val, scores.prob);
  sc.has_threshold = sc.has_per_cell = true;
  for (const auto& [cell, row] : table.per_cell) sc.per_cell[cell] = {row.aupr, row.auc, row.n};
  rec->val = sc;
}

}  // namespace

EpochRecord RunEpoch(Session& s, int64_t epoch) {
  const TrainConfig& c = s.config;
  const auto t0 = std::chrono::steady_clock::now();
  const double lr = LrAt(c, epoch);
  for (auto& g : s.optimizer->param_groups())
    static_cast<torch::optim::AdamWOptions&>(g.options()).lr(lr);
  const double factor = CurriculumFactor(c, epoch);
  EpochTotals t = StepLoop(s, epoch, factor);
  SumOverRanks(s, &t);

  EpochRecord rec;
  rec.epoch = epoch;
  rec.lr = lr;
  for (const auto& l : s.losses) {
    rec.loss[l->name()] = t.samples ? t.loss_sum[l->name()] / t.samples : NAN;
    rec.weights[l->name()] = LossWeight(c, l->name(), factor);
  }
  rec.loss["total"] = t.samples ? t.total_sum / t.samples : NAN;
  const Running& gn = t.grad_norm;
  rec.grad_norm = GradNorm{gn.n ? gn.sum / gn.n : NAN, gn.n ? gn.min : NAN, gn.n ? gn.max : NAN};
  TrainScores(t, &rec);
  ValScores(s, &rec);
  rec.temperature = t.temperature;
  if (c.components.adversarial && t.disc_n)
    rec.disc_acc = static_cast<double>(t.disc_correct) / t.disc_n;
  rec.nan_steps = t.nan_steps;
  rec.sampler = s.sampler->name();
  rec.components = s.components;
  rec.parameters = s.params;
  rec.train_samples = static_cast<int64_t>(s.data.train.size());
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  rec.samples_per_s = t.train_seconds > 0 ? t.samples / t.train_seconds : 0.0;
  // Speed (docs/run-folder.md): FLOPs and MFU of this rank's steps, and the share of the step
  // loop spent waiting for the loader.
  const double secs = t.train_seconds;
  rec.flops_per_sample = t.local_samples > 0 ? t.flops / t.local_samples : NAN;
  rec.achieved_gflops = secs > 0 ? t.flops / secs / 1e9 : NAN;
  rec.mfu = ModelFlopUtilisation(t.flops, secs, s.gemm_peak);
  rec.data_wait_fraction = secs > 0 ? t.wait_seconds / secs : NAN;
  rec.world_size = s.world;
  return rec;
}

void AppendLog(Session& s, const EpochRecord& rec) {
  if (!s.log_out.is_open()) s.log_out.open(s.log_path, std::ios::app);
  s.log_out << rec.ToJson().dump() << "\n";
  s.log_out.flush();
  if (!s.log_out) Fatal("cannot write '", s.log_path, "'");
}

bool AnyRank(DistributedContext* ctx, bool value) {
  if (!ctx) return value;
  auto t = torch::tensor({value ? 1.0 : 0.0}, torch::kDouble);
  ctx->AllReduceSum(t);
  return t.item<double>() > 0;
}

}  // namespace prism::train
