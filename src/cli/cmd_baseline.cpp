// `prism baseline`: fits the built-in baselines (prism/baseline.h) on a dataset's training split
// and scores the requested splits; writes one metrics JSON per baseline and split (the fields of
// metrics/<split>.json), baselines.json (parameters, cost, inapplicable ones with the reason)
// and results.md.
#include <cstdio>
#include <filesystem>
#include <iostream>
#include <memory>

#include "cli/command.h"
#include "prism/atomic_file.h"
#include "prism/baseline.h"
#include "prism/compute_threads.h"
#include "prism/domain_kl.h"
#include "prism/error.h"
#include "prism/feature_table.h"
#include "prism/log.h"
#include "prism/split.h"
#include "prism/train.h"

namespace prism::cli {
namespace {

struct BaselineArgs {
  std::string data, config, out;
  std::vector<std::string> features, test_cells, val_cells, splits{"test"}, only;
  int kmer_k = 4;
  uint64_t seed = 7;
};

/// The input from --data / --features / --config; `source` describes it.
baseline::BaselineInput LoadInput(const BaselineArgs& a, std::string* source, uint64_t* seed) {
  const int given = !a.data.empty() + !a.features.empty() + !a.config.empty();
  if (given != 1) Fatal("baseline: give exactly one of --data DIR, --features FILE..., --config");
  const std::string& dir = a.data;
  const std::vector<std::string>& files = a.features;
  const std::vector<std::string>& test = a.test_cells;
  const std::vector<std::string>& val = a.val_cells;
  if (!a.config.empty()) {
    if (!test.empty() || !val.empty())
      Fatal("baseline: with --config the split is the config's (data.test_cells/val_cells)");
    const TrainConfig c = ReadTrainConfig(a.config);
    *seed = c.seed;
    if (c.data.kind == "sequence" && c.data.dir.empty())
      Fatal("baseline: ", a.config, " names no data.dir (prism run simulates its data); give "
            "--data DIR");
    *source = c.data.dir;
    for (const auto& f : c.data.files) *source += (source->empty() ? "" : " ") + f;
    // The split of a training run with this config (data.val_cells included).
    return baseline::InputForConfig(c);
  }
  if (!dir.empty()) {
    *source = dir;
    DomainKlData d = ReadDomainKl(dir);
    if (!test.empty()) {
      SplitSpec spec;
      spec.test_cells = test;
      spec.val_cells = val;
      d = Resplit(d, spec);
    } else if (!val.empty()) {
      Fatal("baseline: --val-cells needs --test-cells");
    }
    return baseline::FromDomainKl(d);
  }
  if (test.empty())
    Fatal("baseline: feature tables need --test-cells (and optionally --val-cells)");
  for (const auto& f : files) *source += (source->empty() ? "" : " ") + f;
  const FeatureTable t = ReadFeatureTables(files);
  return baseline::FromFeatureTable(t, SplitByCells(t.pairs, test, val));
}

}  // namespace

void RegisterBaseline(CLI::App& app) {
  auto args = std::make_shared<BaselineArgs>();
  auto* cmd = app.add_subcommand(
      "baseline", "fit the built-in baselines (distance, kmer_logreg for sequences, xgboost for "
                  "feature tables) on the training split and score splits (docs/baselines.md)");
  cmd->add_option("--data", args->data, "domain-kl folder (DIR/{train,val,test}/ALL/...)");
  cmd->add_option("--features", args->features, "feature tables (.csv/.csv.gz), split by cell")
      ->delimiter(',');
  cmd->add_option("--config", args->config, "a run config (TOML): its data and split");
  cmd->add_option("--test-cells", args->test_cells, "test cell lines (re-split by cell line)")
      ->delimiter(',');
  cmd->add_option("--val-cells", args->val_cells, "validation cell lines")->delimiter(',');
  cmd->add_option("--split", args->splits, "splits to score: train, val, test")
      ->delimiter(',')
      ->capture_default_str();
  cmd->add_option("--only", args->only, "only these baselines (default: all that apply)")
      ->delimiter(',');
  cmd->add_option("--kmer-k", args->kmer_k, "kmer_logreg: k-mer length (1..8)")
      ->capture_default_str();
  auto* seed_opt =
      cmd->add_option("--seed", args->seed, "xgboost seed (default: 7 or the config's)");
  cmd->add_option("-o,--out", args->out, "output folder")->required();
  cmd->callback([args, seed_opt] {
    std::string source;
    uint64_t seed = args->seed;
    const baseline::BaselineInput input = LoadInput(*args, &source, &seed);
    baseline::BaselineOptions options;
    options.threads = ComputeThreads();
    options.seed = seed_opt->count() ? args->seed : seed;
    options.kmer_k = args->kmer_k;
    Log::Info("baselines on " + source + " (" + baseline::InputKindName(input.kind) + ", " +
              std::to_string(input.train.pairs.size()) + " training pairs)");
    const auto reports = baseline::RunBaselines(input, options, args->splits, args->only);
    std::filesystem::create_directories(args->out);
    Json all = {{"input", baseline::InputKindName(input.kind)}, {"data", source},
                {"splits", args->splits}, {"threads", options.threads}};
    for (const auto& r : reports) {
      all["baselines"][r.name] = baseline::ToJson(r);
      if (!r.applicable) {
        Log::Info("baseline " + r.name + ": not applicable - " + r.reason);
        continue;
      }
      char cost[160];
      std::snprintf(cost, sizeof cost, "baseline %s: fit %.2f s, scoring %.2f s", r.name.c_str(),
                    r.fit_seconds, r.score_seconds);
      Log::Info(cost);
      for (const auto& [split, table] : r.metrics)
        WriteJsonFile(args->out + "/" + r.name + "." + split + ".json", metric::ToJson(table));
    }
    WriteJsonFile(args->out + "/baselines.json", all);
    const std::string md = "# Baselines on " + source + "\n\n" + baseline::ToMarkdown(reports);
    WriteFileAtomic(args->out + "/results.md", md);
    std::cout << md;
  });
}

}  // namespace prism::cli
