// `prism train --world-size 2` end to end: two ranks on loopback against one process.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>

#include "../unit/test_util.h"
#include "prism/feature_table.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"
#include "prism/train.h"
#include "train/checkpoint.h"
#include "train/dataset.h"
#include "train/model_recipe.h"

namespace prism {
namespace {

/// A feature table of three cell lines (A, B train; C test) whose label depends on two marks.
std::string FeatureTable(const TempDir& dir) {
  std::ostringstream s;
  s << "label,enh_name,prom_name,celltype,chrom,enhancer_distance_to_promoter";
  for (const auto& c : FeatureTableColumns()) s << "," << c;
  s << "\n";
  std::mt19937 rng(5);
  std::uniform_real_distribution<double> u(0.0, 10.0);
  int row = 0;
  for (const char* cell : {"A", "B", "C"}) {
    for (int i = 0; i < 43; ++i, ++row) {
      std::vector<double> f(24);
      for (auto& x : f) x = u(rng);
      const int label = f[2] + f[5] > 10.0;
      s << label << ",chr1:" << row * 1000 << "-" << row * 1000 + 500 << "|" << cell << "|E" << row
        << ",chr1:" << row * 1000 + 9000 << "-" << row * 1000 + 9500 << "|" << cell << "|P" << row
        << "," << cell << ",chr1," << 5000 + 37 * row;
      for (double x : f) s << "," << x;
      s << "\n";
    }
  }
  return dir.Write("features.csv", s.str());
}

const char* kFeatureConfig = R"(name = "dp"
seed = 11
preset = "tiny"
[data]
kind = "features"
files = ["features.csv"]
test_cells = ["C"]
[model]
dropout = 0.0
context_calibration = false
[components]
prototype = false
contrastive = false
orthogonality = false
adversarial = false
[train]
epochs = 1
batch_size = 19
sampler = "random"
lr = 0.01
patience = 0
)";

std::string Cli() { return std::string(PRISM_CLI) + " --threads 1 train"; }

/// Starts rank 1 in the background and rank 0 in the foreground; returns rank 0's status.
int RunTwoRanks(const std::string& args, const std::string& out0, const std::string& out1,
                std::string* log) {
  const std::string master = "--world-size 2 --master 127.0.0.1:" + std::to_string(FreePort());
  const std::string cmd = "(" + Cli() + " " + args + " " + master + " --rank 1 -o " + out1 +
                          " > " + out1 + ".log 2>&1 & " + Cli() + " " + args + " " + master +
                          " --rank 0 -o " + out0 + "; s=$?; wait $! || s=1; exit $s)";
  return RunCommand(cmd, log);
}

TEST(DistributedTrain, TwoRanksEqualOneProcessOnFeatureInput) {
  TempDir dir;
  FeatureTable(dir);
  const std::string cfg = dir.Write("dp.toml", kFeatureConfig);
  std::string log;
  ASSERT_EQ(RunCommand(Cli() + " -c " + cfg + " -o " + dir.Join("single"), &log), 0) << log;
  ASSERT_EQ(RunTwoRanks("-c " + cfg, dir.Join("r0"), dir.Join("r1"), &log), 0) << log;
  EXPECT_FALSE(std::filesystem::exists(dir.Join("r1"))) << "only rank 0 writes a run folder";

  // Same parameters after one epoch: 86 pairs in global batches of 19 (shards of 10 and 9)
  // and a last batch of 10 (5 and 5).
  TrainConfig c = ReadTrainConfig(cfg);
  auto opts = train::ModelOptionsFor(c, 2, 24);
  model::PrismNet single(opts), ranked(opts);
  train::LoadModelCheckpoint(dir.Join("single/checkpoints/last.pt"), single);
  train::LoadModelCheckpoint(dir.Join("r0/checkpoints/last.pt"), ranked);
  auto a = single->named_parameters(), b = ranked->named_parameters();
  ASSERT_EQ(a.size(), b.size());
  model::PrismNet init(opts);  // the seed's initial parameters: training must have moved them
  double moved = 0;
  for (const auto& p : a) {
    const auto& q = b[p.key()];
    EXPECT_LT((p.value() - q).abs().max().item<double>(), 1e-5) << p.key();
    moved = std::max(moved, (p.value() - init->named_parameters()[p.key()]).abs().max()
                                .item<double>());
  }
  EXPECT_GT(moved, 1e-3);

  // The run folder records the distribution and the speed fields.
  RunFolder run = RunFolder::Load(dir.Join("r0"));
  EXPECT_EQ(run.run["distributed"]["world_size"], 2);
  EXPECT_EQ(run.run["status"], "finished");
  ASSERT_EQ(run.epochs.size(), 1u);
  EXPECT_EQ(run.epochs[0]["train_samples"], 86);
  RunFolder one = RunFolder::Load(dir.Join("single"));
  EXPECT_NEAR(ReadNumber(run.epochs[0]["loss"]["task"]), ReadNumber(one.epochs[0]["loss"]["task"]),
              1e-5);
}

TEST(DistributedTrain, SpeedFieldsInRunJsonAndLog) {
  TempDir dir;
  FeatureTable(dir);
  const std::string cfg = dir.Write("dp.toml", kFeatureConfig);
  std::string log;
  ASSERT_EQ(RunCommand(Cli() + " -c " + cfg + " -o " + dir.Join("run"), &log), 0) << log;
  RunFolder run = RunFolder::Load(dir.Join("run"));
  EXPECT_GT(ReadNumber(run.run["gemm_peak_gflops"]), 0.0);
  EXPECT_TRUE(run.run["blas"].contains("library"));
  EXPECT_EQ(run.run["threads"], 1);
  const Json& e = run.epochs.at(0);
  // tiny feature MLP: (24*16 + 16*16 + heads) multiply-adds per sample, x2 FLOPs, x3 training
  EXPECT_GT(ReadNumber(e["flops_per_sample"]), 3.0 * 2 * (24 * 16 + 16 * 16));
  EXPECT_GT(ReadNumber(e["achieved_gflops"]), 0.0);
  EXPECT_GT(ReadNumber(e["mfu"]), 0.0);
  const double wait = ReadNumber(e["data_wait_fraction"]);
  EXPECT_GE(wait, 0.0);
  EXPECT_LE(wait, 1.0);
}

TEST(DistributedTrain, MaxStepsStopsEarly) {
  TempDir dir;
  FeatureTable(dir);
  const std::string cfg = dir.Write("dp.toml", kFeatureConfig);
  std::string log;
  ASSERT_EQ(RunCommand(Cli() + " -c " + cfg + " --epochs 3 --max-steps 2 -o " + dir.Join("run"),
                       &log), 0) << log;
  RunFolder run = RunFolder::Load(dir.Join("run"));
  ASSERT_EQ(run.epochs.size(), 1u);
  EXPECT_EQ(run.run["status"], "finished");
}

TEST(DistributedTrain, TwoRankSequenceSmoke) {
  TempDir dir;
  Simulate(SimulationPreset("tiny"), dir.Join("sim"));
  const std::string cfg = dir.Write("tiny.toml", R"(name = "t"
preset = "tiny"
[model]
context_calibration = false
[data]
kind = "sequence"
[loss]
contrastive_temperature = 0.2
[curriculum]
warmup_epochs = 0
[train]
epochs = 1
batch_size = 32
sampler = "contrastive"
lr = 0.001
patience = 0
)");
  std::string log;
  ASSERT_EQ(RunTwoRanks("-c " + cfg + " --data " + dir.Join("sim"), dir.Join("r0"),
                        dir.Join("r1"), &log), 0) << log;
  RunFolder run = RunFolder::Load(dir.Join("r0"));
  EXPECT_EQ(run.run["status"], "finished");
  ASSERT_EQ(run.epochs.size(), 1u);
  EXPECT_TRUE(std::isfinite(ReadNumber(run.epochs[0]["loss"]["total"])));
  EXPECT_GT(ReadNumber(run.epochs[0]["flops_per_sample"]), 0.0);
  EXPECT_FALSE(std::filesystem::exists(dir.Join("r1")));
}

}  // namespace
}  // namespace prism
