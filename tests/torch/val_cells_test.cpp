// data.val_cells with sequence data: validation on held-out training cell lines, and the
// run.json flag for a validation split that shares cell lines with training.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <set>

#include "../unit/test_util.h"
#include "prism/domain_kl.h"
#include "prism/run_folder.h"
#include "prism/simulate.h"
#include "prism/train.h"
#include "train/dataset.h"

namespace prism {
namespace {

/// The tiny preset (configs/tiny.toml), one epoch, on `dir`, with `extra` TOML in [data].
TrainConfig TinyConfig(const std::string& dir, const std::string& data_extra) {
  TrainConfig c = ParseTrainConfig("preset = \"tiny\"\n[data]\n" + data_extra, "run.toml");
  c.data.dir = dir;
  c.train.epochs = 1;
  return c;
}

std::map<std::string, size_t> PairsPerCell(const std::vector<Pair>& pairs) {
  std::map<std::string, size_t> n;
  for (const auto& p : pairs) ++n[p.cell_line];
  return n;
}

/// The tiny simulation (train1..3, val1, test1) and a copy whose val folder is a random share
/// of the training cell lines (every 4th training pair), as in the domain-kl layout.
class TrainE2EValCells : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    dir_ = new TempDir();
    Simulate(SimulationPreset("tiny"), Sim());
    DomainKlData d = ReadDomainKl(Sim());
    DomainKlData shared = d;
    shared.train.pairs.clear();
    shared.val = SequenceSplit{};
    for (size_t i = 0; i < d.train.pairs.size(); ++i)
      (i % 4 == 3 ? shared.val : shared.train).pairs.push_back(d.train.pairs[i]);
    shared.val.seqs = d.train.seqs;
    shared.has_val = true;
    WriteDomainKl(Shared(), shared);
  }
  static void TearDownTestSuite() {
    delete dir_;
    dir_ = nullptr;
  }
  static std::string Sim() { return dir_->Join("sim"); }
  static std::string Shared() { return dir_->Join("shared"); }
  static TempDir* dir_;
};
TempDir* TrainE2EValCells::dir_ = nullptr;

TEST_F(TrainE2EValCells, HeldOutTrainingCellIsTheValidationSplit) {
  const DomainKlData raw = ReadDomainKl(Sim());
  const auto train_n = PairsPerCell(raw.train.pairs);
  ASSERT_GE(train_n.size(), 3u);
  const std::string held = "train1";
  ASSERT_TRUE(train_n.count(held));
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("run_held");
  opt.threads = 1;
  TrainRun(TinyConfig(Sim(), "val_cells = [\"" + held + "\"]\n"), opt);
  const DataRecord& d = RunFolder::Load(opt.out_dir).record.data;
  EXPECT_EQ(d.val_cells, std::vector<std::string>{held});
  EXPECT_EQ(d.val_pairs, static_cast<int64_t>(train_n.at(held)));
  EXPECT_EQ(d.train_pairs, static_cast<int64_t>(raw.train.pairs.size() - train_n.at(held)));
  EXPECT_EQ(std::count(d.train_cells.begin(), d.train_cells.end(), held), 0);
  EXPECT_EQ(d.train_cells.size(), train_n.size() - 1);
  EXPECT_EQ(d.test_pairs, static_cast<int64_t>(raw.test.pairs.size()));
  EXPECT_FALSE(d.ValSharesTrainCells());
  const Json j = ReadJsonFile(opt.out_dir + "/run.json");
  EXPECT_EQ(j["data"]["val_shares_train_cells"], false);
  // The val pairs are exactly the held-out cell line's pairs.
  train::Data data = train::LoadData(TinyConfig(Sim(), "val_cells = [\"" + held + "\"]\n"));
  std::multiset<std::string> want, got;
  for (const auto& p : raw.train.pairs)
    if (p.cell_line == held) want.insert(p.enhancer + "|" + p.promoter);
  for (const auto& p : data.val.pairs) got.insert(p.enhancer + "|" + p.promoter);
  EXPECT_EQ(got, want);
  for (const auto& p : data.train.pairs) EXPECT_NE(p.cell_line, held);
}

TEST_F(TrainE2EValCells, ValSplitOfTrainingCellsIsFlagged) {
  // The simulation's own val cell line is not a training cell line: no flag.
  EXPECT_FALSE(train::LoadData(TinyConfig(Sim(), "")).Record().ValSharesTrainCells());
  TrainRunOptions opt;
  opt.out_dir = dir_->Join("run_shared");
  opt.threads = 1;
  TrainRun(TinyConfig(Shared(), ""), opt);
  const RunFolder run = RunFolder::Load(opt.out_dir);
  EXPECT_TRUE(run.record.data.ValSharesTrainCells());
  EXPECT_EQ(run.record.data.val_shared_cells,
            (std::vector<std::string>{"train1", "train2", "train3"}));
  EXPECT_EQ(run.run["data"]["val_shares_train_cells"], true);
  // data.val_cells on that layout: the cell line's pairs from train/ and val/ together; the
  // other pairs of val/ are not used.
  const DomainKlData raw = ReadDomainKl(Shared());
  train::Data d = train::LoadData(TinyConfig(Shared(), "val_cells = [\"train2\"]\n"));
  EXPECT_EQ(d.val.size(), PairsPerCell(raw.train.pairs).at("train2") +
                              PairsPerCell(raw.val.pairs).at("train2"));
  EXPECT_EQ(d.CellsOf(d.val), std::vector<std::string>{"train2"});
  EXPECT_EQ(d.train_cells, (std::vector<std::string>{"train1", "train3"}));
  EXPECT_FALSE(d.Record().ValSharesTrainCells());
}

TEST_F(TrainE2EValCells, UnknownOrTestCellIsAnErrorNamingTheKnownCells) {
  const std::string known = "(the data has: train1, train2, train3, val1)";
  ExpectInputError([] { train::LoadData(TinyConfig(Sim(), "val_cells = [\"nope\"]\n")); },
                   "data.val_cells: unknown cell line 'nope' " + known);
  ExpectInputError([] { train::LoadData(TinyConfig(Sim(), "val_cells = [\"test1\"]\n")); },
                   "data.val_cells: unknown cell line 'test1' " + known);
  ExpectInputError(
      [] {
        train::LoadData(
            TinyConfig(Sim(), "val_cells = [\"train1\", \"train2\", \"train3\"]\n"));
      },
      "data.val_cells: no training pairs left");
  // data.test_cells stays a feature-table key.
  ExpectInputError([] { TinyConfig(Sim(), "test_cells = [\"train1\"]\n"); },
                   "conflict: data.test_cells is for data.kind = \"features\"");
}

}  // namespace
}  // namespace prism
