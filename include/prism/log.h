// prism/log.h - leveled messages on stderr and a terminal progress line.
#pragma once

#include <chrono>
#include <cstdio>
#include <string>

namespace prism {

enum class LogLevel { kError = 0, kWarning = 1, kInfo = 2, kDebug = 3 };

/// Process-wide message sink. Default level kInfo; PRISM_LOG_LEVEL=0..3 or --quiet changes it.
class Log {
 public:
  static void SetLevel(LogLevel level);
  static LogLevel Level();
  static void Info(const std::string& msg);
  static void Warning(const std::string& msg);
  static void Debug(const std::string& msg);
};

/// A single self-overwriting progress line ("label  k/n  rate  eta") on a terminal; silent when
/// stderr is not a terminal or CI is set, so logs in CI stay clean. Finish() ends the line.
class Progress {
 public:
  Progress(std::string label, long total);
  ~Progress();
  void Update(long done, const std::string& extra = "");
  void Finish(const std::string& extra = "");
  /// True when progress lines are drawn (stderr is a TTY and CI is unset).
  static bool Enabled();

 private:
  std::string label_;
  long total_;
  bool enabled_;
  bool finished_ = false;
  std::chrono::steady_clock::time_point start_, last_draw_;
};

}  // namespace prism
