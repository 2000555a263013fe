#include <gtest/gtest.h>

#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/ledger.h"
#include "prism/qc_run.h"
#include "prism/rollback.h"
#include "qc_test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

std::string Resolve(const std::string& link) { return fs::canonical(link).string(); }

TEST(Rollback, FailRollsBackToBaselineAndKeepsTheFailedRun) {
  TempDir d;
  std::string base = CopyQcFixture(d, "clean", "runs/base");
  std::string bad = CopyQcFixture(d, "seed000", "runs/bad");
  QcRunOptions o;
  QcRunOutcome a = RunQcOnFolder(base, o);
  ASSERT_TRUE(a.result.pass);
  EXPECT_EQ(a.info.rollback, "promoted");
  Ledger l(a.info.ledger_path);
  EXPECT_EQ(l.Baseline(), 1);  // first passing record point becomes the baseline
  EXPECT_EQ(l.Active(), 1);
  std::string link = d.path() + "/runs/active";
  ASSERT_TRUE(fs::is_symlink(link));
  EXPECT_EQ(Resolve(link), fs::canonical(base).string());
  // Pretend the failed candidate had been made active before its inspection.
  l.SetActive(1, "promote", "test");

  QcRunOutcome b = RunQcOnFolder(bad, o);
  ASSERT_FALSE(b.result.pass);
  EXPECT_EQ(b.info.rollback, "done");
  EXPECT_EQ(b.info.rollback_to, 1);
  EXPECT_EQ(l.Active(), 1);
  EXPECT_EQ(Resolve(link), fs::canonical(base).string());
  // Nothing deleted: the failed run stays on disk and in the ledger with its verdict.
  EXPECT_TRUE(fs::exists(bad + "/train_log.jsonl"));
  EXPECT_EQ(l.Count(), 2);
  EXPECT_EQ(l.Get(2).qc_decision, "FAIL");
  EXPECT_EQ(l.Get(2).parent_id, 1);
  EXPECT_EQ(l.Get(2).baseline_id, 1);
  auto ev = l.Events();
  ASSERT_FALSE(ev.empty());
  EXPECT_EQ(ev.back().kind, "rollback");
  EXPECT_EQ(ev.back().to_id, 1);
  EXPECT_NE(ev.back().detail.find("QC FAIL of record point 2"), std::string::npos) << ev.back().detail;
  std::string zh = ReadFile(bad + "/qc/qc.zh.md");
  EXPECT_NE(zh.find("已自动回退到基线（记录点1）"), std::string::npos) << zh;
  EXPECT_NE(ReadFile(bad + "/qc/qc.en.md").find("rolled back automatically to the baseline (record point 1)"),
            std::string::npos);
  EXPECT_EQ(ReadJsonFile(bad + "/qc/qc.json")["rollback"]["status"], "done");
}

TEST(Rollback, ManualRollbackToAnyRecordPointAndNoBaseline) {
  TempDir d;
  std::string r1 = CopyQcFixture(d, "clean", "runs/r1");
  std::string r2 = CopyQcFixture(d, "learning_fast", "runs/r2");
  Ledger l(d.path() + "/runs/prism-ledger.db");
  ExpectInputError([&] { Rollback(l, 0, "x"); }, "no baseline record point to roll back to");
  RecordPoint a = RecordPointFromRun(RunFolder::Load(r1));
  RecordPoint b = RecordPointFromRun(RunFolder::Load(r2));
  long ia = l.Insert(a), ib = l.Insert(b);
  l.SetBaseline(ia);
  RollbackResult res = Rollback(l, ib, "try r2");
  EXPECT_EQ(res.to_id, ib);
  EXPECT_FALSE(res.copied);
  EXPECT_EQ(Resolve(res.link), fs::canonical(r2).string());
  // The link is relative when the run sits beside it, so the runs folder can move as a whole.
  EXPECT_EQ(fs::read_symlink(res.link).string(), "r2");
  res = Rollback(l, 0, "back to baseline");
  EXPECT_EQ(res.from_id, ib);
  EXPECT_EQ(res.to_id, ia);
  EXPECT_EQ(Resolve(res.link), fs::canonical(r1).string());
  ExpectInputError([&] { Rollback(l, 42, "x"); }, "no record point 42");
  // A run folder that disappeared cannot be made active.
  RecordPoint gone = a;
  gone.run_dir = d.path() + "/runs/gone";
  long ig = l.Insert(gone);
  ExpectInputError([&] { Rollback(l, ig, "x"); }, "no longer exists");
  EXPECT_EQ(l.Active(), ia);
}

TEST(Rollback, FailWithoutBaselineOrWithNoRollbackLeavesActiveAlone) {
  TempDir d;
  std::string bad = CopyQcFixture(d, "seed000", "runs/bad");
  QcRunOptions o;
  QcRunOutcome b = RunQcOnFolder(bad, o);
  EXPECT_EQ(b.info.rollback, "no_baseline");
  EXPECT_FALSE(fs::exists(d.path() + "/runs/active"));
  std::string good = CopyQcFixture(d, "clean", "runs/good");
  o.rollback = false;
  QcRunOutcome g = RunQcOnFolder(good, o);
  EXPECT_TRUE(g.result.pass);
  EXPECT_EQ(g.info.rollback, "disabled");
  Ledger l(g.info.ledger_path);
  EXPECT_EQ(l.Active(), 0);
  EXPECT_EQ(l.Baseline(), 0);
  EXPECT_TRUE(l.Events().empty());
}

TEST(Rollback, CopyFallbackAndRefusalToReplaceForeignFolders) {
  TempDir d;
  std::string r1 = CopyQcFixture(d, "clean", "runs/r1");
  std::string r2 = CopyQcFixture(d, "learning_fast", "runs/r2");
  std::string link = d.path() + "/runs/active";
  EXPECT_TRUE(UpdateActiveLink(link, r1, /*force_copy=*/true));
  EXPECT_FALSE(fs::is_symlink(link));
  EXPECT_TRUE(fs::exists(link + "/.prism-active-copy"));
  EXPECT_EQ(ReadFile(link + "/run.json"), ReadFile(r1 + "/run.json"));
  EXPECT_TRUE(UpdateActiveLink(link, r2, true));  // replaces our own copy
  EXPECT_EQ(ReadFile(link + "/run.json"), ReadFile(r2 + "/run.json"));
  EXPECT_FALSE(UpdateActiveLink(link, r1));       // back to a symlink
  EXPECT_TRUE(fs::is_symlink(link));
  EXPECT_TRUE(fs::exists(r2 + "/run.json"));       // the copy's source untouched
  std::string foreign = d.path() + "/runs/mine";
  fs::create_directories(foreign);
  d.Write("runs/mine/notes.txt", "keep me");
  ExpectInputError([&] { UpdateActiveLink(foreign, r1); }, "neither a symlink nor a prism-made copy");
  EXPECT_NE(ReadFile(foreign + "/notes.txt").find("keep me"), std::string::npos);
  for (const auto& e : fs::directory_iterator(d.path() + "/runs"))
    EXPECT_EQ(e.path().filename().string().find(".tmp."), std::string::npos) << e.path();
}

TEST(RollbackCli, RollbackCommand) {
  TempDir d;
  std::string r1 = CopyQcFixture(d, "clean", "runs/r1");
  std::string r2 = CopyQcFixture(d, "learning_fast", "runs/r2");
  std::string db = d.path() + "/runs/prism-ledger.db";
  {
    Ledger l(db);
    l.Insert(RecordPointFromRun(RunFolder::Load(r1)));
    l.Insert(RecordPointFromRun(RunFolder::Load(r2)));
    l.SetBaseline(1);
    l.SetActive(2, "promote", "test");
  }
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " rollback --db " + db, &out), 0) << out;
  EXPECT_NE(out.find("active: record point 1"), std::string::npos) << out;
  EXPECT_NE(out.find("was record point 2"), std::string::npos) << out;
  EXPECT_EQ(Resolve(d.path() + "/runs/active"), fs::canonical(r1).string());
  EXPECT_EQ(Ledger(db).Active(), 1);
}

}  // namespace
}  // namespace prism

namespace prism {
namespace {

TEST(Rollback, MissingBaselineFolderKeepsTheVerdictAndReportsIt) {
  TempDir d;
  std::string base = CopyQcFixture(d, "clean", "runs/base");
  std::string bad = CopyQcFixture(d, "seed000", "runs/bad");
  QcRunOptions o;
  ASSERT_TRUE(RunQcOnFolder(base, o).result.pass);
  std::filesystem::rename(base, d.path() + "/runs/base-moved");
  QcRunOutcome b = RunQcOnFolder(bad, o);
  EXPECT_FALSE(b.result.pass);
  EXPECT_EQ(b.info.rollback, "failed");
  EXPECT_NE(b.info.rollback_error.find("no longer exists"), std::string::npos);
  EXPECT_NE(ReadFile(bad + "/qc/qc.en.md").find("the rollback to the baseline failed"), std::string::npos);
  EXPECT_EQ(Ledger(b.info.ledger_path).Active(), 1);
}

}  // namespace
}  // namespace prism
