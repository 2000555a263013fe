// predict/predictor.cpp - `prism predict`: context-aware scoring of unseen cell lines, metrics,
// result table and component diagnostics.
#include <chrono>
#include <cmath>
#include <filesystem>
#include <map>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/labeled_subset.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/predictions.h"
#include "train/engine.h"

namespace prism {

namespace {

struct Stats {
  double mean = NAN, std = NAN, min = NAN, max = NAN;
};

Stats Describe(const std::vector<double>& v) {
  Stats s;
  if (v.empty()) return s;
  double sum = 0, sq = 0;
  s.min = v[0];
  s.max = v[0];
  for (double x : v) {
    sum += x;
    s.min = std::min(s.min, x);
    s.max = std::max(s.max, x);
  }
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

}  // namespace

PredictSummary PredictRun(const PredictOptions& o) {
  torch::set_num_threads(train::ResolveThreads(o.threads));
  const std::string& dir = o.run_dir;
  if (!std::filesystem::is_directory(dir)) Fatal("run folder '", dir, "' does not exist");
  if (o.split != "test" && o.split != "val" && o.split != "train")
    Fatal("--split must be test, val or train, got '", o.split, "'");
  if (o.checkpoint != "best" && o.checkpoint != "last")
    Fatal("--checkpoint must be best or last, got '", o.checkpoint, "'");
  TrainConfig config = ReadTrainConfig(dir + "/config.toml");
  const std::string ckpt = dir + "/checkpoints/" + o.checkpoint + ".pt";
  auto meta = train::ReadCheckpointMeta(ckpt);
  if (!o.data_dir.empty() && config.data.kind != "sequence")
    Fatal("--data replaces a sequence layout; this run was trained on feature tables");
  train::Data data = train::LoadData(config, o.data_dir, meta.train_cells);
  const train::Dataset& d =
      o.split == "test" ? data.test : o.split == "val" ? data.val : data.train;
  if (d.size() == 0) Fatal("split '", o.split, "' has no pairs");

  const int64_t k = static_cast<int64_t>(meta.train_cells.size());
  model::PrismNet net(train::ModelOptionsFor(config, k, meta.num_features));
  train::LoadModelCheckpoint(ckpt, net);
  net->eval();
  const bool proto = config.components.prototype;
  const int64_t bs = config.train.eval_batch_size;
  Log::Info("predict: " + std::to_string(d.size()) + " pairs of split " + o.split + " (" +
            (o.context_free ? "context-free" : "context-aware") + ", checkpoint " + o.checkpoint +
            " from epoch " + std::to_string(meta.epoch) + ")");
  const auto t_score = std::chrono::steady_clock::now();
  // Context calibration to the training positive rate (model.context_calibration).
  const double prior = net->options.context_calibration() && !o.no_calibration
                           ? train::PositiveRate(data.train)
                           : NAN;
  auto s = train::Score(net, d, bs, proto, o.context_free, /*keep_z=*/true, prior);
  const double score_seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - t_score).count();

  // predictions/<split>.csv
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
  // The r_e column is the resistance the score used: R_E plus the cell's calibration offset.
  for (const auto& [cell, b] : s.resistance_offset)
    for (size_t i = 0; i < d.size(); ++i)
      if (p.cell_line[i] == cell) p.r_e[i] += b;
  MakeDirs(dir + "/predictions");
  MakeDirs(dir + "/metrics");
  WritePredictions(dir + "/predictions/" + o.split + ".csv", p);

  // metrics/<split>.json and results.md
  // Unlabeled pairs (kUnlabeled) are scored, not evaluated; the table says "unlabeled".
  const auto labeled = metric::ComputePartlyLabeledTable(p.label, p.score, p.cell_line);
  const auto& table = labeled.table;
  Json mj = labeled.ToJson();
  mj["mode"] = o.context_free ? "context_free" : "context";
  mj["split"] = o.split;
  mj["checkpoint"] = o.checkpoint;
  mj["epoch"] = meta.epoch;
  if (!s.resistance_offset.empty()) {
    Json off = Json::object();
    for (const auto& [cell, b] : s.resistance_offset) off[cell] = b;
    mj["context_calibration"] = {{"prior", prior}, {"resistance_offset", off}};
  }
  mj["speed"] = {{"seconds", score_seconds},
                 {"pairs_per_s", JsonNumber(score_seconds > 0 ? d.size() / score_seconds : NAN)}};
  WriteJsonFile(dir + "/metrics/" + o.split + ".json", mj);
  PredictSummary summary;
  summary.table_markdown = labeled.ToMarkdown();
  summary.aupr = labeled.any_labeled ? table.overall.aupr : NAN;
  summary.auc = labeled.any_labeled ? table.overall.auc : NAN;
  summary.n = static_cast<int64_t>(d.size());
  if (o.split == "test") {
    std::string md = "# " + config.name + ": " + o.split + " (" +
                     (o.context_free ? "context-free" : "context-aware") + ", " + o.checkpoint +
                     " checkpoint, epoch " + std::to_string(meta.epoch) + ")\n\n" +
                     summary.table_markdown;
    WriteFileAtomic(dir + "/results.md", md);
  }

  // diagnostics.json: component health.
  Json diag;
  auto train_sub = train::Subset(data.train, train::EvenSubset(data.train.size(), 2000));
  auto st = train::Score(net, train_sub, bs, proto, false, /*keep_z=*/true, prior);
  std::vector<int> ty;
  for (const auto& pr : train_sub.pairs) ty.push_back(pr.label);
  diag["train"] = {{"aupr", JsonNumber(metric::AveragePrecision(ty, st.prob))},
                   {"auc", JsonNumber(metric::RocAuc(ty, st.prob))},
                   {"n", ty.size()}};
  if (config.components.adversarial && st.disc_logits.defined()) {
    auto cells = torch::tensor(train_sub.cell, torch::kLong);
    double acc = st.disc_logits.argmax(1).eq(cells).to(torch::kDouble).mean().item<double>();
    auto counts = torch::bincount(cells, {}, k);
    double chance = counts.max().item<double>() / static_cast<double>(cells.size(0));
    diag["disc_acc"] = acc;
    diag["disc_chance"] = chance;
  } else {
    diag["disc_acc"] = nullptr;
    diag["disc_chance"] = nullptr;
  }
  diag["zi_ze_corr"] = config.components.orthogonality
                           ? JsonNumber(MeanAbsCrossCorrelation(s.z_i, s.z_e))
                           : Json();
  if (proto) {
    torch::NoGradGuard ng;
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
    diag["prototype_separation"] = {{"min_dist", JsonNumber(pairs ? min_d : NAN)},
                                    {"mean_dist", JsonNumber(pairs ? sum_d / pairs : NAN)},
                                    {"within_spread", JsonNumber(nb ? spread / nb : NAN)}};
    Json assign = Json::object();
    for (const auto& [cell, w] : s.assignment) {
      double entropy = 0;
      size_t top = 0;
      Json weights = Json::object();
      for (size_t i = 0; i < w.size(); ++i) {
        if (w[i] > 0) entropy -= w[i] * std::log(w[i]);
        if (w[i] > w[top]) top = i;
        weights[meta.train_cells[i]] = w[i];
      }
      assign[cell] = {{"entropy", entropy}, {"top", meta.train_cells[top]}, {"weights", weights}};
    }
    diag["prototype_assignment"] = assign;
  } else {
    diag["prototype_separation"] = nullptr;
    diag["prototype_assignment"] = nullptr;
  }
  auto re = Describe(s.r_e);
  Json per_cell = Json::object();
  std::map<std::string, std::vector<double>> re_cell;
  for (size_t i = 0; i < d.size(); ++i) re_cell[d.pairs[i].cell_line].push_back(s.r_e[i]);
  for (const auto& [cell, v] : re_cell) {
    auto cs = Describe(v);
    per_cell[cell] = {{"mean", JsonNumber(cs.mean)}, {"std", JsonNumber(cs.std)}};
  }
  diag["r_e"] = {{"mean", JsonNumber(re.mean)}, {"std", JsonNumber(re.std)},
                 {"min", JsonNumber(re.min)},   {"max", JsonNumber(re.max)},
                 {"per_cell", per_cell}};
  diag["T"] = JsonNumber(net->Temperature().item<double>());
  diag["mode"] = o.context_free ? "context_free" : "context";
  diag["split"] = o.split;
  WriteJsonFile(dir + "/diagnostics.json", diag);
  return summary;
}

}  // namespace prism
