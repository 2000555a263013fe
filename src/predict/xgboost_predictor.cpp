// predict/xgboost_predictor.cpp - `prism predict` for model.kind = "xgboost" (train/
// xgboost_model.h): the run's checkpoint verified against run.json, the split scored, the files
// of a network run's prediction written (predictions/, metrics/, results.md, diagnostics.json).
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "prism/atomic_file.h"
#include "prism/compute_threads.h"
#include "prism/error.h"
#include "prism/labeled_subset.h"
#include "prism/log.h"
#include "prism/metric.h"
#include "prism/predictions.h"
#include "prism/run_folder.h"
#include "prism/run_records.h"
#include "train/xgboost_model.h"

namespace prism::train {
namespace {

/// The checkpoint's text after CheckpointProblem against run.json's record (InputError naming
/// the file otherwise), and its record.
std::string ReadVerifiedCheckpoint(const std::string& dir, const RunRecord& run,
                                   const std::string& which, CheckpointRecord* rec) {
  auto it = run.checkpoints.find(which);
  if (it == run.checkpoints.end())
    throw InputError(dir + "/run.json", 0, 0, "no '" + which + "' checkpoint recorded");
  *rec = it->second;
  return ReadVerifiedModelFile(dir, *rec, "checkpoint");
}

Predictions ToPredictions(const Dataset& d, const std::vector<double>& score) {
  Predictions p;
  for (size_t i = 0; i < d.size(); ++i) {
    p.enhancer.push_back(d.pairs[i].enhancer);
    p.promoter.push_back(d.pairs[i].promoter);
    p.cell_line.push_back(d.pairs[i].cell_line);
    p.label.push_back(d.pairs[i].label);
  }
  p.score = score;
  return p;
}

}  // namespace

std::string ReadVerifiedModelFile(const std::string& dir, const CheckpointRecord& rec,
                                  const std::string& what) {
  const std::string path = dir + "/" + rec.file;
  const std::string problem = CheckpointProblem(path, &rec);
  if (!problem.empty()) throw InputError(path, 0, 0, what + " " + problem);
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

PredictSummary PredictXgboostRun(const PredictOptions& o, const TrainConfig& config) {
  const std::string& dir = o.run_dir;
  const int threads = ResolveThreads(o.threads);
  if (o.split != "test" && o.split != "val" && o.split != "train")
    Fatal("--split must be test, val or train, got '", o.split, "'");
  if (o.checkpoint != "best" && o.checkpoint != "last")
    Fatal("--checkpoint must be best or last, got '", o.checkpoint, "'");
  if (!o.data_dir.empty())
    Fatal("--data replaces a sequence layout; this run was trained on feature tables");
  if (o.context_free)
    Log::Info("predict: --context-free changes nothing for model.kind = \"xgboost\" (trees use "
              "no cell-line context)");
  const std::string run_json = dir + "/run.json";
  if (!std::filesystem::exists(run_json)) Fatal("'", run_json, "' does not exist");
  const RunRecord run = RunRecord::FromJson(ReadJsonFile(run_json), {run_json, 0});
  CheckpointRecord rec;
  const std::string text = ReadVerifiedCheckpoint(dir, run, o.checkpoint, &rec);
  Data data = LoadData(config, "", run.data.train_cells);
  const Dataset& d = o.split == "test" ? data.test : o.split == "val" ? data.val : data.train;
  if (d.size() == 0) Fatal("split '", o.split, "' has no pairs");
  const baseline::XgbMatrix x = XgbInput(config, d);
  auto model = baseline::XgbModel::LoadJson(text, x.cols, threads, dir + "/" + rec.file);
  Log::Info("predict: " + std::to_string(d.size()) + " pairs of split " + o.split +
            " (xgboost, checkpoint " + o.checkpoint + ": " + std::to_string(model->rounds()) +
            " trees)");
  const auto t0 = std::chrono::steady_clock::now();
  const std::vector<double> score = model->Predict(x);
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  const Predictions p = ToPredictions(d, score);
  MakeDirs(dir + "/predictions");
  WritePredictions(dir + "/predictions/" + o.split + ".csv", p);

  // The threshold chosen on validation at the checkpoint's round (run.json), else the rule.
  const auto policy =
      metric::ThresholdPolicy::FromValidation(rec.val_threshold, config.train.threshold_rule);
  const auto labeled = metric::ComputePartlyLabeledTable(p.label, p.score, p.cell_line, policy);
  PredictionMetrics pm;
  if (labeled.any_labeled) pm.table = labeled.table;
  pm.unlabeled = labeled.unlabeled;
  pm.mode = "context_free";  // every pair is scored on its own columns
  pm.split = o.split;
  pm.checkpoint = o.checkpoint;
  pm.epoch = rec.epoch;
  pm.seconds = seconds;
  pm.pairs_per_s = seconds > 0 ? d.size() / seconds : NAN;
  MakeDirs(dir + "/metrics");
  WriteJsonFile(dir + "/metrics/" + o.split + ".json", pm.ToJson());
  PredictSummary summary;
  summary.table_markdown = labeled.ToMarkdown();
  summary.aupr = labeled.any_labeled ? pm.table.overall.aupr : NAN;
  summary.auc = labeled.any_labeled ? pm.table.overall.auc : NAN;
  summary.n = static_cast<int64_t>(d.size());
  if (o.split == "test")
    WriteFileAtomic(dir + "/results.md",
                    "# " + config.name + ": " + o.split + " (xgboost, " + o.checkpoint +
                        " checkpoint, round " + std::to_string(rec.epoch) + ")\n\n" +
                        summary.table_markdown);
  // diagnostics.json: the fit on an even subset of the training pairs (no network parts).
  const Dataset sub = Subset(data.train, EvenSubset(data.train.size(), 2000));
  const std::vector<double> st = model->Predict(XgbInput(config, sub));
  Diagnostics diag;
  const std::vector<int> ty = sub.Labels();
  diag.train_aupr = metric::AveragePrecision(ty, st);
  diag.train_auc = metric::RocAuc(ty, st);
  diag.train_n = static_cast<int64_t>(ty.size());
  diag.mode = pm.mode;
  diag.split = o.split;
  WriteJsonFile(dir + "/diagnostics.json", diag.ToJson());
  return summary;
}

}  // namespace prism::train
