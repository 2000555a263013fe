// Tests of the run-folder lock (one writer per folder, the holder's pid in the error), the
// atomic numbered run folders of `prism run`, run names, and the CLI writers refusing a folder
// another process holds or that is not a run folder.
#include <gtest/gtest.h>
#include <fcntl.h>
#include <sys/file.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <set>
#include <thread>

#include "prism/atomic_file.h"
#include "prism/run_lock.h"
#include "prism/run_name.h"
#include "prism/train.h"
#include "test_util.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

/// Runs `fn` in a child process that takes the lock of `dir` and holds it until the parent
/// writes to the returned pipe; returns the child's pid once it holds the lock.
pid_t HoldLockInChild(const std::string& dir, int* release_fd) {
  int ready[2], release[2];
  if (pipe(ready) != 0 || pipe(release) != 0) throw std::runtime_error("pipe");
  pid_t pid = fork();
  if (pid == 0) {
    close(ready[0]);
    close(release[1]);
    int status = 0;
    try {
      RunLock lock = RunLock::Acquire(dir, "test holder");
      char c = 'x';
      if (write(ready[1], &c, 1) != 1) status = 3;
      if (read(release[0], &c, 1) < 0) status = 4;
    } catch (...) {
      status = 2;
    }
    _exit(status);
  }
  close(ready[1]);
  close(release[0]);
  char c;
  EXPECT_EQ(read(ready[0], &c, 1), 1);
  close(ready[0]);
  *release_fd = release[1];
  return pid;
}

TEST(RunLock, SecondWriterGetsTheHoldersPid) {
  TempDir d;
  const std::string run = d.Join("run");
  int release = -1;
  pid_t holder = HoldLockInChild(run, &release);
  ExpectInputError([&] { RunLock::Acquire(run, "prism train"); },
                   run + ": run folder is in use by another prism process (pid " +
                       std::to_string(holder) + ", test holder)");
  // A reader of a folder whose training has just started (no run.json yet) names the holder too.
  ExpectInputError([&] { RunLock::AcquireExisting(run, "prism qc"); },
                   "in use by another prism process (pid " + std::to_string(holder) + ", test holder)");
  close(release);  // the child releases by exiting
  int status = 0;
  waitpid(holder, &status, 0);
  EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  // Released when the holder exits: the next writer gets it and names itself.
  RunLock lock = RunLock::Acquire(run, "prism qc");
  EXPECT_TRUE(lock.held());
  EXPECT_EQ(ReadFile(run + "/" + kRunLockFile),
            "pid " + std::to_string(getpid()) + ", prism qc\n");
}

/// Whether another process could lock DIR now (a fresh open file description, as a second
/// prism process would have).
bool LockableElsewhere(const std::string& dir) {
  pid_t pid = fork();
  if (pid == 0) {
    int fd = open((dir + "/" + kRunLockFile).c_str(), O_RDWR);
    _exit(fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0 ? 0 : 1);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) && WEXITSTATUS(status) == 0;
}

TEST(RunLock, ReentrantWithinAProcessAndReleasedByTheLastUser) {
  TempDir d;
  const std::string run = d.Join("run");
  {
    RunLock outer = RunLock::Acquire(run, "prism run");
    RunLock inner = RunLock::Acquire(run + "/.", "prism train");  // same folder, other spelling
    EXPECT_TRUE(inner.held());
    inner.Release();
    EXPECT_FALSE(inner.held());
    EXPECT_FALSE(LockableElsewhere(run)) << "released while `outer` still holds it";
  }
  EXPECT_TRUE(LockableElsewhere(run)) << "not released by the last user";
}

TEST(RunLock, ExistingFolderMustBeARunFolderAndNothingIsCreated) {
  TempDir d;
  fs::create_directories(d.Join("empty"));
  ExpectInputError([&] { RunLock::AcquireExisting(d.Join("empty"), "prism report"); },
                   d.Join("empty") + ": not a run folder: it has neither run.json nor train_log.jsonl");
  EXPECT_TRUE(fs::is_empty(d.Join("empty")));
  ExpectInputError([&] { RunLock::AcquireExisting(d.Join("none"), "prism qc"); },
                   "not a run folder (no such directory)");
  EXPECT_FALSE(fs::exists(d.Join("none")));
  d.Write("run/run.json", "{}");
  EXPECT_TRUE(RunLock::AcquireExisting(d.Join("run"), "prism qc").held());
}

TEST(RunLock, NumberedRunFoldersAreDistinctUnderConcurrency) {
  TempDir d;
  const std::string runs = d.Join("runs");
  fs::create_directories(runs + "/tiny-002");  // an existing folder is skipped, never reused
  std::vector<std::string> got(8);
  std::vector<RunLock> locks(8);
  std::vector<std::thread> threads;
  for (int i = 0; i < 8; ++i)
    threads.emplace_back([&, i] { got[i] = CreateNumberedRunDir(runs, "tiny", "prism run", &locks[i]); });
  for (auto& t : threads) t.join();
  std::set<std::string> distinct(got.begin(), got.end());
  EXPECT_EQ(distinct.size(), 8u);
  EXPECT_EQ(distinct.count(runs + "/tiny-002"), 0u);
  EXPECT_EQ(distinct.count(runs + "/tiny-001"), 1u);
  EXPECT_EQ(distinct.count(runs + "/tiny-009"), 1u);
  for (const RunLock& l : locks) EXPECT_TRUE(l.held());
  RunLock bad;
  ExpectInputError([&] { CreateNumberedRunDir(runs, "../escape", "prism run", &bad); },
                   "invalid run name '../escape'");
  EXPECT_FALSE(fs::exists(d.Join("escape-001")));
}

TEST(RunName, OnePathComponentOfSafeCharacters) {
  for (const char* ok : {"tiny", "default", "run_2.b-3", "A1"}) EXPECT_EQ(RunNameProblem(ok), "") << ok;
  EXPECT_NE(RunNameProblem("../../escape_run").find("without '/'"), std::string::npos);
  EXPECT_NE(RunNameProblem("a/b").find("without '/'"), std::string::npos);
  EXPECT_NE(RunNameProblem("..").find("must not start with '.'"), std::string::npos);
  EXPECT_NE(RunNameProblem("x\x1b[31m").find("control characters"), std::string::npos);
  EXPECT_NE(RunNameProblem("a b").find("found ' '"), std::string::npos);
  EXPECT_NE(RunNameProblem("").find("empty"), std::string::npos);
  EXPECT_NE(RunNameProblem(std::string(101, 'a')).find("longer than 100"), std::string::npos);
}

TEST(RunName, ConfigNameIsCheckedAtItsLineAndColumn) {
  ExpectInputError([] { ParseTrainConfig("seed = 1\nname = \"../../escape_run\"\n", "bad.toml"); },
                   "bad.toml:2:8: 'name' must be one folder name, without '/' or '\\', got "
                   "'../../escape_run'");
  // An ESC byte is refused, and the message shows it escaped, on one line.
  try {
    ParseTrainConfig("name = \"x\\u001b[2Jy\"\n", "esc.toml");  // TOML's escape for ESC
    ADD_FAILURE() << "ESC in a name was accepted";
  } catch (const Error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("esc.toml:1:8: 'name' must not contain control characters, got 'x\\x1b[2Jy'"),
              std::string::npos)
        << m;
    EXPECT_EQ(m.find('\x1b'), std::string::npos);
  }
}

TEST(RunLockCli, WritersRefuseAFolderHeldByAnotherProcess) {
  TempDir d;
  const std::string run = d.CopyFixture("run_small");
  int release = -1;
  pid_t holder = HoldLockInChild(run, &release);
  const std::string cli = PRISM_CLI;
  const std::string pid = "(pid " + std::to_string(holder) + ", test holder)";
  std::string out;
  EXPECT_EQ(RunCommand(cli + " report " + run, &out), 1);
  EXPECT_NE(out.find("prism: error: " + run + ": run folder is in use by another prism process " + pid),
            std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run + "/report.html"));
  // A report written elsewhere only reads the folder: not refused.
  EXPECT_EQ(RunCommand(cli + " -q report " + run + " -o " + d.Join("elsewhere.html"), &out), 0) << out;
  EXPECT_TRUE(fs::exists(d.Join("elsewhere.html")));
  EXPECT_EQ(RunCommand(cli + " reflect --no-ledger " + run, &out), 1);
  EXPECT_NE(out.find(pid), std::string::npos) << out;
  EXPECT_FALSE(fs::exists(run + "/reflect"));
  const std::string qc_before = ReadFile(run + "/qc/qc.json");
  EXPECT_EQ(RunCommand(cli + " qc --no-ledger --lang en " + run, &out), 2);  // 2: unusable now, not FAIL
  EXPECT_NE(out.find(pid), std::string::npos) << out;
  EXPECT_EQ(ReadFile(run + "/qc/qc.json"), qc_before);
  EXPECT_EQ(RunCommand(cli + " predict " + run, &out), 1);
  EXPECT_NE(out.find(pid), std::string::npos) << out;
  close(release);
  waitpid(holder, nullptr, 0);
  EXPECT_EQ(RunCommand(cli + " -q report " + run, &out), 0) << out;
}

TEST(RunLockCli, ReportOnAFolderThatIsNotARunSaysWhatIsMissing) {
  TempDir d;
  fs::create_directories(d.Join("empty"));
  std::string out;
  EXPECT_EQ(RunCommand(std::string(PRISM_CLI) + " report " + d.Join("empty"), &out), 1);
  EXPECT_NE(out.find("prism: error: " + d.Join("empty") +
                     ": not a run folder: it has neither run.json nor train_log.jsonl"),
            std::string::npos)
      << out;
  EXPECT_TRUE(fs::is_empty(d.Join("empty")));  // no report.html, no lock file
}

}  // namespace
}  // namespace prism
