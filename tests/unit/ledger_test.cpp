#include <gtest/gtest.h>

#include <cstdio>
#include <SQLiteCpp/SQLiteCpp.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include "prism/atomic_file.h"
#include "prism/ledger.h"
#include "prism/qc_run.h"
#include "qc_test_util.h"

namespace prism {
namespace {

RecordPoint Sample(const std::string& name) {
  RecordPoint rp;
  rp.name = name;
  rp.run_dir = "/runs/" + name;
  rp.config_hash = "c0ffee";
  rp.data_hash = "da7a";
  rp.code_version = "v1";
  rp.metrics = {{"overall", {{"aupr", 0.71}, {"auc", 0.8}, {"f1", 0.6}, {"recall", 0.7},
                             {"precision", 0.5}, {"threshold", 0.42}, {"n", 400}}},
                {"per_cell", {{"K562", {{"aupr", 0.66}, {"auc", 0.79}, {"f1", 0.55}, {"recall", 0.65},
                                        {"precision", 0.48}, {"threshold", 0.4}, {"n", 200}}},
                              {"HeLa", {{"aupr", 0.76}, {"auc", 0.81}, {"f1", 0.62}, {"recall", 0.75},
                                        {"precision", 0.52}, {"threshold", 0.44}, {"n", 200}}}}},
                {"train", {{"aupr", 0.9}}}};
  return rp;
}

TEST(Ledger, InsertGetRoundTripAndUpdates) {
  TempDir d;
  Ledger l(d.Join("l.db"));
  RecordPoint a = Sample("a");
  a.qc_decision = "FAIL";
  a.qc_reasons = {"overfitting/warning_line: x", "evaluation_completeness/missing: y"};
  a.qc_signature = "evaluation_completeness,overfitting";
  long ia = l.Insert(a);
  RecordPoint b = Sample("b");
  b.parent_id = ia;
  b.baseline_id = ia;
  long ib = l.Insert(b);
  EXPECT_EQ(ia, 1);
  EXPECT_EQ(ib, 2);
  RecordPoint g = l.Get(ia);
  EXPECT_EQ(g.name, "a");
  EXPECT_EQ(g.run_dir, "/runs/a");
  EXPECT_EQ(g.qc_reasons, a.qc_reasons);
  EXPECT_EQ(g.qc_signature, a.qc_signature);
  EXPECT_DOUBLE_EQ(g.metrics["per_cell"]["K562"]["aupr"].get<double>(), 0.66);
  EXPECT_TRUE(g.reflection.is_null());
  EXPECT_FALSE(g.created.empty());
  EXPECT_EQ(l.Get(ib).parent_id, ia);
  EXPECT_EQ(l.Get(ib).baseline_id, ia);
  l.SetReflection(ib, {{"summary", "gap driven by K562"}});
  EXPECT_EQ(l.Get(ib).reflection["summary"], "gap driven by K562");
  l.SetQc(ib, "PASS", {}, "");
  EXPECT_EQ(l.Get(ib).qc_decision, "PASS");
  ASSERT_EQ(l.Failures().size(), 1u);
  RecordPoint found;
  ASSERT_TRUE(l.FindByRunDir("/runs/b", &found));
  EXPECT_EQ(found.id, ib);
  EXPECT_FALSE(l.FindByRunDir("/runs/zzz", &found));
  ExpectInputError([&] { l.Get(99); }, "no record point 99");
  ExpectInputError([&] { l.SetReflection(99, Json::object()); }, "no record point 99");
}

TEST(Ledger, SchemaIsVersionedAndReopens) {
  TempDir d;
  std::string p = d.Join("l.db");
  { Ledger l(p); l.Insert(Sample("a")); }
  {
    Ledger l(p);
    EXPECT_EQ(l.Count(), 1);
  }
  {
    SQLite::Database db(p, SQLite::OPEN_READWRITE);
    EXPECT_EQ(db.execAndGet("PRAGMA user_version").getInt(), Ledger::kSchemaVersion);
    EXPECT_EQ(db.execAndGet("PRAGMA journal_mode").getString(), "wal");
    db.exec("PRAGMA user_version=99");
  }
  ExpectInputError([&] { Ledger l(p); }, "ledger schema version 99 is newer");
  ExpectInputError([&] { Ledger l(d.Join("missing/dir/l.db")); }, "does not exist");
}

TEST(Ledger, ConcurrentThreadsInsertWithoutLoss) {
  TempDir d;
  std::string p = d.Join("l.db");
  auto writer = [&](int w) {
    Ledger l(p);  // one connection per thread
    for (int i = 0; i < 50; ++i) l.Insert(Sample("w" + std::to_string(w) + "-" + std::to_string(i)));
  };
  std::thread t1(writer, 1), t2(writer, 2);
  t1.join();
  t2.join();
  Ledger l(p);
  auto all = l.List();
  ASSERT_EQ(all.size(), 100u);
  std::set<long> ids;
  for (const auto& rp : all) ids.insert(rp.id);
  EXPECT_EQ(ids.size(), 100u);
}

TEST(Ledger, ConcurrentProcessesInsertWithoutLoss) {
  TempDir d;
  std::string p = d.Join("l.db");
  // No ledger yet: both processes create it at once.
  std::vector<pid_t> kids;
  for (int w = 0; w < 2; ++w) {
    pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      int rc = 0;
      try {
        Ledger l(p);
        for (int i = 0; i < 50; ++i) l.Insert(Sample("p" + std::to_string(w) + "-" + std::to_string(i)));
      } catch (const std::exception& e) {
        std::fprintf(stderr, "writer %d: %s\n", w, e.what());  // the parent's check then fails
        rc = 1;
      }
      _exit(rc);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int status = 0;
    waitpid(k, &status, 0);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  }
  Ledger l(p);
  auto all = l.List();
  ASSERT_EQ(all.size(), 100u);
  std::set<long> ids;
  for (const auto& rp : all) ids.insert(rp.id);
  EXPECT_EQ(ids.size(), 100u);
}

TEST(Ledger, HistoryAndBaselineTableMarkdown) {
  TempDir d;
  Ledger l(d.Join("l.db"));
  RecordPoint a = Sample("first");
  a.qc_decision = "PASS";
  long ia = l.Insert(a);
  RecordPoint b = Sample("second");
  b.metrics["per_cell"]["K562"]["aupr"] = 0.61;
  b.qc_decision = "FAIL";
  b.qc_signature = "overfitting";
  b.qc_reasons = {"overfitting/warning_line: train AUPR 0.9672 over 0.90"};
  b.reflection = {{"summary", "K562 drags the mean down"}};
  long ib = l.Insert(b);
  l.SetBaseline(ia, "test");
  std::string h = LedgerHistoryMarkdown(l);
  size_t pa = h.find("## Record point 1: first (baseline)"), pb = h.find("## Record point 2: second");
  ASSERT_NE(pa, std::string::npos) << h;
  ASSERT_NE(pb, std::string::npos) << h;
  EXPECT_LT(pa, pb);  // newest last
  EXPECT_NE(h.find("QC: **PASS**"), std::string::npos);
  EXPECT_NE(h.find("QC: **FAIL** (overfitting):\n- overfitting/warning_line: train AUPR 0.9672 over 0.90"), std::string::npos) << h;
  EXPECT_NE(h.find("test AUPR 0.7100 (AUC 0.8000, F1 0.6000, N 400), per cell: HeLa 0.7600, K562 0.6100"), std::string::npos) << h;
  EXPECT_NE(h.find("Reflection: K562 drags the mean down"), std::string::npos);
  EXPECT_NE(h.find("set_baseline: record point 1 (test)"), std::string::npos) << h;
  std::string t = BaselineTableMarkdown(l, {ia});
  EXPECT_NE(t.find("| Cell line | AUPR | AUC | F1 | Recall | Precision | Threshold | N |"), std::string::npos);
  EXPECT_NE(t.find("| K562 | 0.6600 | 0.7900 | 0.5500 | 0.6500 | 0.4800 | 0.40 | 200 |"), std::string::npos) << t;
  EXPECT_NE(t.find("| overall | 0.7100 | 0.8000 | 0.6000 | 0.7000 | 0.5000 | 0.42 | 400 |"), std::string::npos) << t;
  EXPECT_EQ(t.find("second"), std::string::npos);
  std::string both = BaselineTableMarkdown(l, {});
  EXPECT_NE(both.find("| 2 second | 0.7100 | 0.7600 | 0.6100 |"), std::string::npos) << both;
  ExpectInputError([&] { BaselineTableMarkdown(l, {7}); }, "no record point 7");
  (void)ib;
}

TEST(Ledger, RecordPointFromRunFolder) {
  TempDir d;
  std::string dir = CopyQcFixture(d, "clean");
  RecordPoint rp = RecordPointFromRun(RunFolder::Load(dir));
  EXPECT_EQ(rp.name, "clean");
  EXPECT_EQ(rp.run_dir, std::filesystem::weakly_canonical(dir).string());
  EXPECT_EQ(rp.data_hash, "00000000000000aa");
  EXPECT_EQ(rp.config_hash.size(), 16u);
  EXPECT_DOUBLE_EQ(rp.metrics["overall"]["aupr"].get<double>(), 1.0);
  EXPECT_DOUBLE_EQ(rp.metrics["train"]["aupr"].get<double>(), 0.735);
  EXPECT_DOUBLE_EQ(rp.metrics["val"]["aupr"].get<double>(), 0.668);
  EXPECT_EQ(Ledger::DefaultPath(dir), d.path() + "/prism-ledger.db");
  EXPECT_EQ(Ledger::DefaultPath(dir + "/"), d.path() + "/prism-ledger.db");
}

TEST(Ledger, HistoryRuleRepeatsEarlierFailure) {
  TempDir d;
  std::string first = CopyQcFixture(d, "seed000", "runs/rp21");
  std::string second = CopyQcFixture(d, "seed000", "runs/rp22");
  QcRunOptions o;
  o.rollback = false;
  QcRunOutcome a = RunQcOnFolder(first, o);
  EXPECT_FALSE(a.result.pass);
  EXPECT_FALSE(a.result.Has("history"));
  EXPECT_EQ(a.info.record_id, 1);
  EXPECT_EQ(a.info.ledger_path, d.path() + "/runs/prism-ledger.db");
  QcRunOutcome b = RunQcOnFolder(second, o);
  EXPECT_EQ(b.info.record_id, 2);
  ASSERT_TRUE(b.result.Has("history", "repeat", Severity::kFail));
  EXPECT_EQ(b.result.signature, a.result.signature);  // history is not part of the signature
  std::string en = ReadFile(second + "/qc/qc.en.md"), zh = ReadFile(second + "/qc/qc.zh.md");
  EXPECT_NE(en.find("repeats record point 1"), std::string::npos) << en;
  EXPECT_NE(zh.find("重复记录点1（seed000）的失败"), std::string::npos) << zh;
  EXPECT_NE(zh.find("**方案编号**：记录点2"), std::string::npos);
  // Re-inspecting the same run updates its record point and does not compare with itself.
  QcRunOutcome again = RunQcOnFolder(first, o);
  EXPECT_EQ(again.info.record_id, 1);
  Ledger l(a.info.ledger_path);
  EXPECT_EQ(l.Count(), 2);
  EXPECT_EQ(l.Get(2).qc_decision, "FAIL");
  EXPECT_EQ(l.Get(2).qc_signature, a.result.signature);
  // A run that fails differently does not repeat it.
  std::string other = CopyQcFixture(d, "nan_inf", "runs/other");
  EXPECT_FALSE(RunQcOnFolder(other, o).result.Has("history"));
}

TEST(LedgerCli, ListShowHistoryBaselineTable) {
  TempDir d;
  std::string db = d.Join("l.db");
  {
    Ledger l(db);
    l.Insert(Sample("alpha"));
    l.Insert(Sample("beta"));
  }
  std::string cli = std::string(PRISM_CLI) + " ledger --db " + db + " ";
  std::string out;
  ASSERT_EQ(RunCommand(cli + "set-baseline 1 && " + cli + "list && " + cli + "show 2 && " + cli +
                           "history --out " + d.Join("h.md") + " && " + cli +
                           "baseline-table --ids 2 --out " + d.Join("t.md"),
                       &out), 0) << out;
  EXPECT_NE(out.find("baseline: record point 1"), std::string::npos) << out;
  EXPECT_NE(out.find("1\t"), std::string::npos);
  EXPECT_NE(out.find("\talpha\t-\t0.9000\t0.7100\tbaseline\t-"), std::string::npos) << out;
  EXPECT_NE(out.find("\"name\": \"beta\""), std::string::npos) << out;
  EXPECT_NE(ReadFile(d.Join("h.md")).find("## Record point 2: beta"), std::string::npos);
  EXPECT_NE(ReadFile(d.Join("t.md")).find("| HeLa | 0.7600 |"), std::string::npos);
  EXPECT_NE(RunCommand(cli + "show 9", &out), 0);
  EXPECT_NE(out.find("no record point 9"), std::string::npos) << out;
}

TEST(LedgerCli, ListNeverPrintsControlCharactersFromStoredNames) {
  TempDir d;
  std::string db = d.Join("l.db");
  {
    Ledger l(db);  // a name stored before names were checked
    l.Insert(Sample("evil\x1b[2J\rname"));
  }
  std::string out;
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " ledger --db " + db + " list", &out), 0) << out;
  EXPECT_NE(out.find("\tevil\\x1b[2J\\x0dname\t"), std::string::npos) << out;
  EXPECT_EQ(out.find('\x1b'), std::string::npos);
  EXPECT_EQ(out.find('\r'), std::string::npos);
  ASSERT_EQ(RunCommand(std::string(PRISM_CLI) + " ledger --db " + db + " history", &out), 0);
  EXPECT_EQ(out.find('\x1b'), std::string::npos) << out;
}

TEST(Ledger, ReadOnlyOpenReadsWithoutWritingAndNamesThePath) {
  TempDir d;
  std::string db = d.Join("l.db");
  {
    Ledger l(db);
    l.Insert(Sample("alpha"));
  }
  {
    Ledger ro(db, LedgerAccess::kReadOnly);
    ASSERT_EQ(ro.List().size(), 1u);
    EXPECT_EQ(ro.List()[0].name, "alpha");
    ExpectInputError([&] { ro.Insert(Sample("beta")); }, db + ": ledger error:");
  }
  ExpectInputError([&] { Ledger(d.Join("none.db"), LedgerAccess::kReadOnly); },
                   d.Join("none.db") + ": no such ledger");
  EXPECT_FALSE(std::filesystem::exists(d.Join("none.db")));
  std::string empty = d.Write("empty.db", "");
  ExpectInputError([&] { Ledger(empty, LedgerAccess::kReadOnly); },
                   empty + ": not a prism ledger (no schema)");
}

}  // namespace
}  // namespace prism
