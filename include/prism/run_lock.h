// prism/run_lock.h - one writer per run folder.
//
// Every command that writes a run folder (train, resume, predict, qc, reflect, report, and
// `prism run` for the folder it allocates) first takes an exclusive flock(2) on RUN/.prism.lock.
// A second writer does not wait: it gets prism::Error naming the folder and the holder's pid
// and command (written into the lock file by the holder). The kernel drops the lock when the
// holder exits or is killed, so a crashed run never leaves a stale lock; the file itself stays.
// Within one process the lock is re-entrant (a nested Acquire of a folder this process already
// holds shares the lock), so a library stage may take it again under `prism run`.
#pragma once

#include <string>

namespace prism {

/// Name of the lock file inside a run folder.
inline constexpr const char* kRunLockFile = ".prism.lock";

class RunLock {
 public:
  RunLock() = default;
  ~RunLock();
  RunLock(RunLock&& other) noexcept;
  RunLock& operator=(RunLock&& other) noexcept;
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

  /// Creates DIR (and parents) when absent and locks it for `holder` (e.g. "prism train").
  /// Throws prism::Error when another process holds the lock (naming its pid and command) or
  /// the lock file cannot be created.
  static RunLock Acquire(const std::string& dir, const std::string& holder);
  /// Locks an existing run folder and checks it is one (RequireRunFolder). Without a lock file
  /// the check comes first, so nothing is created in a folder that is not a run; with one, the
  /// lock comes first, so a training that has just started is named as the holder.
  static RunLock AcquireExisting(const std::string& dir, const std::string& holder);

  bool held() const { return !key_.empty(); }
  /// Releases now (also done by the destructor).
  void Release();

 private:
  std::string key_;  ///< canonical folder path; empty when not held
};

/// Throws InputError naming DIR when it is not a run folder: not a directory, or neither
/// run.json nor train_log.jsonl in it (docs/run-folder.md).
void RequireRunFolder(const std::string& dir);

/// Creates PARENT/NAME-NNN with the lowest free NNN (001, 002, ...) atomically: mkdir, and on
/// EEXIST the next number, so concurrent callers always get distinct folders. The new folder
/// is locked for `holder` into *lock before it is returned. NAME must pass CheckRunName.
std::string CreateNumberedRunDir(const std::string& parent, const std::string& name,
                                 const std::string& holder, RunLock* lock);

}  // namespace prism
