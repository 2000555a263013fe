// Data-parallel training on c10d: 2 ranks on loopback (this test binary re-run as workers)
// train a tiny model for one epoch on the shards of each global batch; the parameters must
// equal those of one process trained on the whole global batches.
#include "dist/data_parallel.h"

#include <gtest/gtest.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <filesystem>
#include <thread>

#include "../unit/test_util.h"
#include "prism/error.h"

extern char** environ;

namespace prism {
namespace {

constexpr int64_t kSamples = 45;     // last global batch of 9 splits unevenly (5 + 4)
constexpr int64_t kGlobalBatch = 12;

// One epoch of SGD with momentum on a fixed regression problem; each rank uses its shard of
// every global batch and gradients are combined with weight local/global.
std::vector<torch::Tensor> TrainOneEpoch(DistributedContext& ctx) {
  at::set_num_threads(1);
  torch::manual_seed(100 + ctx.rank());  // ranks start different: the broadcast must fix it
  torch::nn::Sequential model(torch::nn::Linear(8, 16), torch::nn::Tanh(),
                              torch::nn::Linear(16, 1));
  ctx.BroadcastParameters(*model);
  torch::optim::SGD opt(model->parameters(), torch::optim::SGDOptions(0.05).momentum(0.9));
  const torch::Tensor x =
      torch::sin(torch::arange(kSamples * 8, torch::kFloat).view({kSamples, 8}) * 0.37);
  const torch::Tensor y = x.sum(1, true) * 0.5 + torch::cos(x.select(1, 0) * 3).unsqueeze(1);
  for (int64_t start = 0; start < kSamples; start += kGlobalBatch) {
    const int64_t global = std::min(kGlobalBatch, kSamples - start);
    const auto [b, e] = ShardRange(global, ctx.rank(), ctx.world_size());
    opt.zero_grad();
    if (e > b) {
      const torch::Tensor xb = x.narrow(0, start + b, e - b), yb = y.narrow(0, start + b, e - b);
      torch::mse_loss(model->forward(xb), yb).backward();
    }
    ctx.AllReduceGradients(*model, static_cast<double>(e - b) / global);
    opt.step();
  }
  std::vector<torch::Tensor> params;
  for (const auto& p : model->parameters()) params.push_back(p.detach().clone());
  return params;
}

// The worker entry point: runs only when the parent test set PRISM_DP_RANK.
TEST(DataParallelWorker, Rank) {
  const char* rank = std::getenv("PRISM_DP_RANK");
  if (!rank) GTEST_SKIP() << "worker of DataParallel.TwoRanksEqualOneProcess";
  DistributedOptions o;
  o.rank = std::atoi(rank);
  o.world_size = std::atoi(std::getenv("PRISM_DP_WORLD"));
  o.master = std::getenv("PRISM_DP_MASTER");
  o.timeout = std::chrono::seconds(60);
  DistributedContext ctx(o);
  EXPECT_EQ(ctx.backend(), "gloo");
  std::vector<torch::Tensor> params = TrainOneEpoch(ctx);
  // Collectives beyond gradients: the sum of ranks (0 + 1 + ...) and a barrier.
  torch::Tensor r = torch::tensor({static_cast<float>(ctx.rank())});
  ctx.AllReduceSum(r);
  EXPECT_EQ(r.item<float>(), o.world_size * (o.world_size - 1) / 2.0f);
  ctx.Barrier();
  torch::save(params, std::getenv("PRISM_DP_OUT"));
}

TEST(DataParallel, TwoRanksEqualOneProcess) {
  if (std::getenv("PRISM_DP_RANK")) GTEST_SKIP() << "inside a worker";
  const int world = 2;
  const std::string master = "127.0.0.1:" + std::to_string(FreePort());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("prism-dp-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  std::vector<pid_t> pids;
  for (int rank = 0; rank < world; ++rank) {
    std::vector<std::string> env_store;
    for (char** e = environ; *e; ++e)
      if (std::string(*e).rfind("PRISM_DP_", 0) != 0) env_store.push_back(*e);
    env_store.push_back("PRISM_DP_RANK=" + std::to_string(rank));
    env_store.push_back("PRISM_DP_WORLD=" + std::to_string(world));
    env_store.push_back("PRISM_DP_MASTER=" + master);
    env_store.push_back("PRISM_DP_OUT=" + (dir / ("rank" + std::to_string(rank) + ".pt")).string());
    std::vector<char*> envp;
    for (auto& s : env_store) envp.push_back(s.data());
    envp.push_back(nullptr);
    std::string exe = "/proc/self/exe", filter = "--gtest_filter=DataParallelWorker.Rank";
    char* argv[] = {exe.data(), filter.data(), nullptr};
    pid_t pid = 0;
    ASSERT_EQ(posix_spawn(&pid, exe.c_str(), nullptr, nullptr, argv, envp.data()), 0);
    pids.push_back(pid);
  }
  for (pid_t pid : pids) {
    int status = 0;
    ASSERT_EQ(waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "worker failed: " << status;
  }

  DistributedContext single(DistributedOptions{});  // world 1: no network, same code path
  EXPECT_EQ(single.backend(), "none");
  const std::vector<torch::Tensor> expected = TrainOneEpoch(single);
  for (int rank = 0; rank < world; ++rank) {
    std::vector<torch::Tensor> got;
    torch::load(got, (dir / ("rank" + std::to_string(rank) + ".pt")).string());
    ASSERT_EQ(got.size(), expected.size());
    for (size_t i = 0; i < got.size(); ++i) {
      const double diff = (got[i] - expected[i]).abs().max().item<double>();
      EXPECT_LT(diff, 1e-5) << "rank " << rank << " parameter " << i;
    }
  }
  std::filesystem::remove_all(dir);
}

TEST(DataParallel, ShardsCoverEvenly) {
  EXPECT_EQ(ShardRange(10, 0, 3), (std::pair<int64_t, int64_t>{0, 4}));
  EXPECT_EQ(ShardRange(10, 1, 3), (std::pair<int64_t, int64_t>{4, 7}));
  EXPECT_EQ(ShardRange(10, 2, 3), (std::pair<int64_t, int64_t>{7, 10}));
  EXPECT_EQ(ShardIndices(2, 3, 4), std::vector<int64_t>{});
  EXPECT_EQ(ShardIndices(5, 1, 2), (std::vector<int64_t>{3, 4}));
  int64_t total = 0;
  for (int r = 0; r < 7; ++r) total += ShardIndices(100, r, 7).size();
  EXPECT_EQ(total, 100);
}

TEST(DataParallel, RejectsBadOptions) {
  EXPECT_EQ(ParseMasterAddress("10.0.0.1:29500"), (std::pair<std::string, uint16_t>{"10.0.0.1", 29500}));
  EXPECT_EQ(ParseMasterAddress("[::1]:80").first, "::1");
  auto expect_error = [](const std::function<void()>& fn, const std::string& text) {
    try {
      fn();
      ADD_FAILURE() << "expected an error containing: " << text;
    } catch (const Error& e) {
      EXPECT_NE(std::string(e.what()).find(text), std::string::npos) << e.what();
    }
  };
  expect_error([] { ParseMasterAddress("node1"); }, "master address 'node1': expected ADDR:PORT");
  expect_error([] { ParseMasterAddress("node1:99999"); }, "port must be a number in 1..65535");
  DistributedOptions o;
  o.world_size = 2;
  o.rank = 2;
  expect_error([&] { DistributedContext c(o); }, "--rank must lie in 0..1, got 2");
  o.rank = 0;
  o.backend = "mpi";
  expect_error([&] { DistributedContext c(o); }, "distributed backend 'mpi'");
}

}  // namespace
}  // namespace prism
