// The baselines of a run: their input split as the training run splits it, fitting and scoring
// them into RUN/baselines.json's record, and results.md's comparison (see prism/baseline.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <optional>
#include <set>
#include <sstream>

#include "prism/baseline.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/log.h"
#include "prism/split.h"
#include "prism/train.h"

namespace prism::baseline {

BaselineInput InputForConfig(const TrainConfig& c, const std::string& data_dir) {
  if (c.data.kind == "sequence") {
    const std::string dir = data_dir.empty() ? c.data.dir : data_dir;
    if (dir.empty()) Fatal("baselines: no data (set data.dir in the config or pass --data DIR)");
    DomainKlData raw = ReadDomainKl(dir);
    if (!c.data.val_cells.empty()) HoldOutValCells(c.data.val_cells, &raw);
    return FromDomainKl(raw);
  }
  if (c.data.kind != "features") Fatal("baselines: unknown data.kind '", c.data.kind, "'");
  if (c.data.files.empty()) Fatal("baselines: data.kind = \"features\" needs data.files");
  const FeatureTable t = ReadFeatureTables(c.data.files);
  return FromFeatureTable(t, SplitByCells(t.pairs, c.data.test_cells, c.data.val_cells));
}

BaselinesRecord FitForRun(const BaselineInput& input, const BaselineOptions& options,
                          const std::vector<std::string>& splits, const std::string& data_hash) {
  const auto t0 = std::chrono::steady_clock::now();
  std::vector<std::string> scored;
  for (const auto& s : splits)
    if (s != "val" || input.has_val) scored.push_back(s);
  const std::vector<BaselineReport> reports = RunBaselines(input, options, scored);
  BaselinesRecord rec;
  rec.input = InputKindName(input.kind);
  rec.data_hash = data_hash;
  rec.threads = options.threads;
  for (const auto& r : reports) {
    BaselineFitRecord b;
    b.name = r.name;
    b.applicable = r.applicable;
    b.reason = r.reason;
    if (r.applicable) {
      b.params = r.params;
      b.fit_seconds = r.fit_seconds;
      b.score_seconds = r.score_seconds;
      b.metrics = r.metrics;
      char line[200];
      std::snprintf(line, sizeof line, "baseline %s: fit %.2f s, scoring %.2f s", r.name.c_str(),
                    r.fit_seconds, r.score_seconds);
      Log::Info(line);
    } else {
      Log::Info("baseline " + r.name + ": not applicable - " + r.reason);
    }
    rec.baselines.push_back(std::move(b));
  }
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return rec;
}

namespace {

BaselineOptions OptionsFor(const TrainConfig& config, int threads) {
  BaselineOptions o;
  o.threads = threads;
  o.seed = config.seed;
  return o;
}

void LogTotal(const BaselinesRecord& rec) {
  char line[200];
  std::snprintf(line, sizeof line,
                "baselines: %.2f s in total (reading the data, fitting, scoring; "
                "--no-baselines skips them)",
                rec.seconds);
  Log::Info(line);
}

}  // namespace

BaselinesRecord WriteRunBaselines(const TrainConfig& config, const std::string& run_dir,
                                  int threads, const std::string& data_hash) {
  const auto t0 = std::chrono::steady_clock::now();
  Log::Info("baselines: fitting on the training split of the run's data");
  const BaselineInput input = InputForConfig(config);
  BaselinesRecord rec =
      FitForRun(input, OptionsFor(config, threads), {"train", "val", "test"}, data_hash);
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  WriteJsonFile(run_dir + "/baselines.json", rec.ToJson());
  LogTotal(rec);
  return rec;
}

namespace {

/// run.json's data.hash ("" when the run folder has none).
std::string RunDataHash(const std::string& run_dir) {
  const std::string path = run_dir + "/run.json";
  if (!std::filesystem::exists(path)) return "";
  const Json run = ReadJsonFile(path);
  if (!run.is_object() || !run.contains("data") || !run["data"].is_object()) return "";
  const Json& h = run["data"].value("hash", Json());
  return h.is_string() ? h.get<std::string>() : "";
}

/// RUN/baselines.json when it was fitted on the data of hash `data_hash` and scored `split`.
std::optional<BaselinesRecord> Stored(const std::string& path, const std::string& split,
                                      const std::string& data_hash) {
  if (!std::filesystem::exists(path)) return std::nullopt;
  BaselinesRecord rec = ReadBaselinesRecord(path);
  bool has_split = true;
  for (const auto& b : rec.baselines) has_split = has_split && (!b.applicable || b.metrics.count(split));
  if (rec.data_hash != data_hash || !has_split) return std::nullopt;
  return rec;
}

}  // namespace

BaselinesRecord BaselinesForPrediction(const TrainConfig& config, const std::string& run_dir,
                                       const std::string& data_dir, const std::string& split,
                                       const std::string& data_hash, int threads) {
  const std::string path = run_dir + "/baselines.json";
  if (auto rec = Stored(path, split, data_hash)) {
    Log::Info("baselines: from " + path + " (fitted with the run)");
    return *rec;
  }
  const bool stored = std::filesystem::exists(path);
  const auto t0 = std::chrono::steady_clock::now();
  Log::Info("baselines: fitting now (" +
            std::string(stored ? "baselines.json was fitted on other data or splits"
                               : "the run has no baselines.json") + ")");
  const std::string run_hash = RunDataHash(run_dir);
  BaselinesRecord rec;
  if (data_dir.empty() || data_hash == run_hash || config.data.dir.empty() ||
      !std::filesystem::exists(config.data.dir)) {
    // The run's own data (or only the data given is at hand): fit and score it.
    const BaselineInput input = InputForConfig(config, data_dir);
    const std::vector<std::string> splits =
        split == "val" ? std::vector<std::string>{"val"} : std::vector<std::string>{"val", split};
    rec = FitForRun(input, OptionsFor(config, threads), splits, data_hash);
    if (!stored && !run_hash.empty() && data_hash == run_hash) {
      rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      WriteJsonFile(path, rec.ToJson());
    }
  } else {
    // Other data (--data): fitted on the run's training data, as the model was, and scored on
    // the split of the data given.
    Log::Info("baselines: fitted on the run's data (" + config.data.dir + "), scored on " +
              split + " of " + data_dir);
    BaselineInput input = InputForConfig(config);
    input.test = InputForConfig(config, data_dir).Part(split);
    rec = FitForRun(input, OptionsFor(config, threads), {"test"}, data_hash);
    for (auto& b : rec.baselines)
      if (auto it = b.metrics.find("test"); it != b.metrics.end() && split != "test") {
        b.metrics[split] = it->second;
        b.metrics.erase("test");
      }
  }
  rec.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  LogTotal(rec);
  return rec;
}

namespace {

std::string Fixed(double v, int decimals) {
  if (std::isnan(v)) return "nan";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string Row(const std::string& name, const metric::MetricRow& r) {
  return "| " + name + " | " + Fixed(r.aupr, 4) + " | " + Fixed(r.auc, 4) + " | " +
         Fixed(r.f1, 4) + " | " + Fixed(r.recall, 4) + " | " + Fixed(r.precision, 4) + " | " +
         Fixed(r.threshold, 2) + " | " + std::to_string(r.n) + " |\n";
}

}  // namespace

std::string ComparisonMarkdown(const PredictionMetrics& m, const std::string& model_name) {
  if (m.baselines.empty() && m.baselines_not_applicable.empty()) return "";
  std::ostringstream o;
  o << "## Baselines (same split; their thresholds by F1 on the split's own labels)\n\n"
    << "| model | AUPR | AUC | F1 | Recall | Precision | Threshold | N |\n"
    << "| --- | --- | --- | --- | --- | --- | --- | --- |\n";
  if (m.AnyLabeled()) o << Row(model_name, m.table.overall);
  for (const auto& [name, b] : m.baselines) o << Row("baseline " + name, b.table.overall);
  std::set<std::string> cells;
  for (const auto& [cell, row] : m.table.per_cell) cells.insert(cell);
  if (cells.size() > 1 && !m.baselines.empty()) {
    o << "\nAUPR per cell line:\n\n| cell line | " << model_name;
    for (const auto& [name, b] : m.baselines) o << " | " << name;
    o << " |\n| ---";
    for (size_t i = 0; i <= m.baselines.size(); ++i) o << " | ---";
    o << " |\n";
    for (const auto& cell : cells) {
      o << "| " << cell << " | " << Fixed(m.table.per_cell.at(cell).aupr, 4);
      for (const auto& [name, b] : m.baselines) {
        auto it = b.table.per_cell.find(cell);
        o << " | " << (it == b.table.per_cell.end() ? "-" : Fixed(it->second.aupr, 4));
      }
      o << " |\n";
    }
  }
  for (const auto& [name, reason] : m.baselines_not_applicable)
    o << "\nbaseline " << name << ": not applicable - " << reason << "\n";
  return o.str();
}

}  // namespace prism::baseline
