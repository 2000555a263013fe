// What the inspector reads besides the log: input validation and the test evaluation files.
#include <cmath>
#include <map>

#include "inspect/qc_util.h"
#include "prism/csv.h"
#include "prism/error.h"
#include "prism/line_reader.h"

namespace prism {
namespace {

bool NumberLike(const Json& j) {
  if (j.is_number()) return true;
  if (!j.is_string()) return false;
  const auto& s = j.get_ref<const std::string&>();
  return s == "nan" || s == "NaN" || s == "inf" || s == "Infinity" || s == "-inf" || s == "-Infinity";
}

/// Line numbers of the non-blank lines of the log (the lines ReadJsonLines parsed).
std::vector<long> ObjectLines(const std::string& path) {
  std::vector<long> lines;
  LineReader reader(path);
  std::string line;
  while (reader.Next(&line))
    if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(reader.line_number());
  return lines;
}

}  // namespace

void ValidateRunForQc(const RunFolder& run) {
  if (!run.has_run_json)
    throw InputError(run.Path("run.json"), 0, 0,
                     "missing: the inspector needs the run's configuration (see docs/run-folder.md)");
  if (run.record.status == "running")
    throw InputError(run.Path("run.json"), 0, 0,
                     "status \"running\": the run did not finish (interrupted or still training); "
                     "resume it with `prism train --resume` before inspecting");
  if (!run.has_log)
    throw InputError(run.Path("train_log.jsonl"), 0, 0, "missing: no training log to inspect");
  std::string log = run.Path("train_log.jsonl");
  if (run.epochs.empty()) throw InputError(log, 0, 0, "empty: the log has no finished epoch");
  std::vector<long> lines = ObjectLines(log);
  double prev_epoch = -INFINITY;
  for (size_t i = 0; i < run.epochs.size(); ++i) {
    const Json& e = run.epochs[i];
    long line = i < lines.size() ? lines[i] : 0;
    auto fail = [&](const std::string& msg) { throw InputError(log, line, 0, msg); };
    if (!e.contains("epoch") || !e["epoch"].is_number())
      fail("expected an integer field 'epoch'");
    double ep = e["epoch"].get<double>();
    if (ep <= prev_epoch)
      fail("epoch " + qc::FmtG(ep) + " does not follow epoch " + qc::FmtG(prev_epoch) +
           " (epochs must increase)");
    prev_epoch = ep;
    if (!e.contains("loss") || !e["loss"].is_object()) fail("expected an object field 'loss'");
    if (!e["loss"].contains("total")) fail("expected 'loss.total' (the optimised total loss)");
    for (auto it = e["loss"].begin(); it != e["loss"].end(); ++it)
      if (!it->is_null() && !NumberLike(*it))
        fail("field 'loss." + it.key() + "': expected a number, found " + it->dump());
    for (const char* obj : {"train", "val", "output", "weights"}) {
      if (!e.contains(obj) || e[obj].is_null()) continue;
      if (!e[obj].is_object()) fail(std::string("field '") + obj + "': expected an object or null");
      for (auto it = e[obj].begin(); it != e[obj].end(); ++it)
        if (!it->is_null() && !it->is_object() && !NumberLike(*it))
          fail(std::string("field '") + obj + "." + it.key() + "': expected a number, found " +
               it->dump());
    }
    if (e.contains("grad_norm") && !e["grad_norm"].is_null() && !e["grad_norm"].is_object() &&
        !NumberLike(e["grad_norm"]))
      fail("field 'grad_norm': expected an object {mean,min,max} or a number");
    for (const char* num : {"nan_steps", "parameters", "train_samples", "seconds", "lr", "T"})
      if (e.contains(num) && !e[num].is_null() && !NumberLike(e[num]))
        fail(std::string("field '") + num + "': expected a number, found " + e[num].dump());
    if (e.contains("sampler") && !e["sampler"].is_null() && !e["sampler"].is_string())
      fail("field 'sampler': expected a string");
  }
}

QcEvaluation LoadEvaluation(const RunFolder& run) {
  QcEvaluation ev;
  if (run.Exists("predictions/test.csv")) {
    ev.has_predictions = true;
    CsvReader csv(run.Path("predictions/test.csv"));
    int label = csv.Require("label"), score = csv.Require("score");
    while (csv.Next()) {
      csv.Label(label);
      const std::string& s = csv.field(score);
      char* end = nullptr;
      double v = std::strtod(s.c_str(), &end);
      if (s.empty() || *end != 0)
        csv.Fail("column 'score': expected a number, found '" + s + "'", score + 1);
      if (!std::isfinite(v)) ++ev.nonfinite_scores;
      ++ev.prediction_rows;
    }
  }
  if (run.Exists("metrics/test.json")) {
    ev.has_metrics = true;
    const std::string path = run.Path("metrics/test.json");
    ev.metrics_json = ReadJsonFile(path);
    ev.metrics = PredictionMetrics::FromJson(ev.metrics_json, {path, 0});
  }
  if (run.Exists(kShortcutRelianceFile))
    ev.shortcut_reliance = ReadShortcutReliance(run.Path(kShortcutRelianceFile));
  // Checkpoints: the ones run.json records (size and hash when written), and any other present.
  std::map<std::string, const CheckpointRecord*> files;
  for (const auto& [which, rec] : run.record.checkpoints) files[rec.file] = &rec;
  for (const char* f : {"checkpoints/best.pt", "checkpoints/last.pt"})
    if (run.Exists(f) && !files.count(f)) files[f] = nullptr;
  for (const auto& [file, rec] : files) {
    const std::string problem = CheckpointProblem(run.Path(file), rec);
    if (!problem.empty()) ev.checkpoint_problems.push_back(file + ": " + problem);
  }
  return ev;
}

}  // namespace prism
