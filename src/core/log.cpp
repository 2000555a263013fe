#include "prism/log.h"

#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <iostream>
#include <mutex>

namespace prism {
namespace {
std::atomic<int> g_level{-1};
std::mutex g_mu;

int InitialLevel() {
  const char* env = std::getenv("PRISM_LOG_LEVEL");
  if (env && *env >= '0' && *env <= '3' && env[1] == 0) return *env - '0';
  return static_cast<int>(LogLevel::kInfo);
}
int CurrentLevel() {
  int l = g_level.load();
  if (l < 0) {
    l = InitialLevel();
    g_level.store(l);
  }
  return l;
}
void Emit(LogLevel level, const char* tag, const std::string& msg) {
  if (static_cast<int>(level) > CurrentLevel()) return;
  std::lock_guard<std::mutex> lock(g_mu);
  std::cerr << tag << msg << std::endl;
}
std::string FormatSeconds(double s) {
  char buf[32];
  if (s < 60) std::snprintf(buf, sizeof buf, "%.0fs", s);
  else if (s < 3600) std::snprintf(buf, sizeof buf, "%dm%02ds", int(s) / 60, int(s) % 60);
  else std::snprintf(buf, sizeof buf, "%dh%02dm", int(s) / 3600, (int(s) % 3600) / 60);
  return buf;
}
}  // namespace

void Log::SetLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel Log::Level() { return static_cast<LogLevel>(CurrentLevel()); }
void Log::Info(const std::string& msg) { Emit(LogLevel::kInfo, "[prism] ", msg); }
void Log::Warning(const std::string& msg) { Emit(LogLevel::kWarning, "[prism] warning: ", msg); }
void Log::Debug(const std::string& msg) { Emit(LogLevel::kDebug, "[prism] debug: ", msg); }

bool Progress::Enabled() {
  const char* ci = std::getenv("CI");
  if (ci && *ci) return false;
  return isatty(STDERR_FILENO) && Log::Level() >= LogLevel::kInfo;
}

Progress::Progress(std::string label, long total)
    : label_(std::move(label)), total_(total), enabled_(Enabled()),
      start_(std::chrono::steady_clock::now()), last_draw_() {}

Progress::~Progress() {
  if (enabled_ && !finished_) {
    std::lock_guard<std::mutex> lock(g_mu);
    std::cerr << "\n";
  }
}

void Progress::Update(long done, const std::string& extra) {
  if (!enabled_) return;
  auto now = std::chrono::steady_clock::now();
  if (done < total_ && now - last_draw_ < std::chrono::milliseconds(200)) return;
  last_draw_ = now;
  double elapsed = std::chrono::duration<double>(now - start_).count();
  std::string eta = "?";
  if (done > 0 && total_ > 0) eta = FormatSeconds(elapsed * (total_ - done) / done);
  char buf[256];
  std::snprintf(buf, sizeof buf, "\r\033[K%s %ld/%ld  %s elapsed  eta %s  ", label_.c_str(), done,
                total_, FormatSeconds(elapsed).c_str(), eta.c_str());
  std::lock_guard<std::mutex> lock(g_mu);
  std::cerr << buf << extra << std::flush;
}

void Progress::Finish(const std::string& extra) {
  if (!enabled_ || finished_) return;
  finished_ = true;
  double elapsed =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start_).count();
  std::lock_guard<std::mutex> lock(g_mu);
  std::cerr << "\r\033[K" << label_ << " done in " << FormatSeconds(elapsed) << "  " << extra
            << "\n";
}

}  // namespace prism
