#include "prism/run_lock.h"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <map>
#include <mutex>
#include <thread>

#include "prism/atomic_file.h"
#include "prism/error.h"
#include "prism/run_name.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

/// The locks this process holds: canonical folder -> (fd, users). Re-entrant per process.
struct Held {
  int fd = -1;
  int users = 0;
};
std::mutex& HeldMutex() {
  static std::mutex m;
  return m;
}
std::map<std::string, Held>& HeldLocks() {
  static std::map<std::string, Held> held;
  return held;
}

/// What the holder wrote into the lock file ("pid 123, prism train"); retried briefly because
/// the holder writes it just after taking the lock.
std::string HolderOf(const std::string& lock_path) {
  for (int attempt = 0; attempt < 20; ++attempt) {
    std::string text;
    int fd = open(lock_path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd >= 0) {
      char buf[256];
      ssize_t n = read(fd, buf, sizeof buf - 1);
      close(fd);
      if (n > 0) text.assign(buf, static_cast<size_t>(n));
    }
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    if (!text.empty()) return text;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
  }
  return "pid unknown";
}

}  // namespace

RunLock::~RunLock() { Release(); }

RunLock::RunLock(RunLock&& other) noexcept : key_(std::move(other.key_)) { other.key_.clear(); }

RunLock& RunLock::operator=(RunLock&& other) noexcept {
  if (this != &other) {
    Release();
    key_ = std::move(other.key_);
    other.key_.clear();
  }
  return *this;
}

void RunLock::Release() {
  if (key_.empty()) return;
  std::lock_guard<std::mutex> g(HeldMutex());
  auto it = HeldLocks().find(key_);
  if (it != HeldLocks().end() && --it->second.users == 0) {
    // Closing the descriptor drops the flock; the file stays (removing it would let a third
    // process lock a new inode while a second still waits on the old one).
    close(it->second.fd);
    HeldLocks().erase(it);
  }
  key_.clear();
}

RunLock RunLock::Acquire(const std::string& dir, const std::string& holder) {
  MakeDirs(dir);
  std::error_code ec;
  const std::string key = fs::canonical(dir, ec).string();
  if (ec) Fatal(dir, ": cannot resolve the run folder: ", ec.message());
  std::lock_guard<std::mutex> g(HeldMutex());
  RunLock lock;
  auto it = HeldLocks().find(key);
  if (it != HeldLocks().end()) {
    ++it->second.users;
    lock.key_ = key;
    return lock;
  }
  const std::string path = key + "/" + kRunLockFile;
  int fd = open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
  if (fd < 0) Fatal(dir, ": cannot create the run lock ", path, ": ", std::strerror(errno));
  if (flock(fd, LOCK_EX | LOCK_NB) != 0) {
    const int err = errno;
    close(fd);
    if (err == EWOULDBLOCK)
      Fatal(dir, ": run folder is in use by another prism process (", HolderOf(path),
            "); wait for it to finish or choose another folder");
    Fatal(dir, ": cannot lock ", path, ": ", std::strerror(err));
  }
  const std::string who = "pid " + std::to_string(getpid()) + ", " + holder + "\n";
  if (ftruncate(fd, 0) != 0 || pwrite(fd, who.data(), who.size(), 0) < 0) {
    const int err = errno;
    close(fd);
    Fatal(dir, ": cannot write the run lock ", path, ": ", std::strerror(err));
  }
  HeldLocks()[key] = Held{fd, 1};
  lock.key_ = key;
  return lock;
}

RunLock RunLock::AcquireExisting(const std::string& dir, const std::string& holder) {
  std::error_code ec;
  // A folder with a lock file: lock first, so a training that has just started (no run.json
  // yet) is reported as the holder rather than as "not a run folder".
  if (fs::is_directory(dir, ec) && fs::exists(dir + "/" + kRunLockFile, ec)) {
    RunLock lock = Acquire(dir, holder);
    RequireRunFolder(dir);
    return lock;
  }
  RequireRunFolder(dir);  // before anything is created in it
  return Acquire(dir, holder);
}

void RequireRunFolder(const std::string& dir) {
  std::error_code ec;
  if (!fs::exists(dir, ec)) throw InputError(dir, 0, 0, "not a run folder (no such directory)");
  if (!fs::is_directory(dir, ec)) throw InputError(dir, 0, 0, "not a run folder (not a directory)");
  if (!fs::exists(dir + "/run.json", ec) && !fs::exists(dir + "/train_log.jsonl", ec))
    throw InputError(dir, 0, 0,
                     "not a run folder: it has neither run.json nor train_log.jsonl "
                     "(docs/run-folder.md; `prism train` writes them)");
}

std::string CreateNumberedRunDir(const std::string& parent, const std::string& name,
                                 const std::string& holder, RunLock* lock) {
  CheckRunName(name, parent);
  MakeDirs(parent);
  for (int i = 1; i < 100000; ++i) {
    char suffix[16];
    std::snprintf(suffix, sizeof suffix, "-%03d", i);
    const std::string dir = parent + "/" + name + suffix;
    if (mkdir(dir.c_str(), 0755) == 0) {
      *lock = RunLock::Acquire(dir, holder);
      return dir;
    }
    if (errno != EEXIST) Fatal("cannot create run folder ", dir, ": ", std::strerror(errno));
  }
  Fatal(parent, ": no free run folder number for '", name, "'");
}

}  // namespace prism
