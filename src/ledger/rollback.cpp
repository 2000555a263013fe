#include "prism/rollback.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>

#include "prism/atomic_file.h"
#include "prism/error.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

constexpr const char* kCopyMarker = ".prism-active-copy";

RollbackResult MakeActive(Ledger& ledger, long id, const std::string& kind, const std::string& reason) {
  RecordPoint rp = ledger.Get(id);
  if (!fs::is_directory(rp.run_dir))
    Fatal("record point ", id, ": run folder ", rp.run_dir, " no longer exists; cannot make it active");
  RollbackResult r;
  r.from_id = ledger.Active();
  r.to_id = id;
  r.run_dir = rp.run_dir;
  r.link = ActiveLinkPath(ledger);
  bool force_copy = std::getenv("PRISM_ACTIVE_COPY") != nullptr;  // for filesystems/tests without symlinks
  r.copied = UpdateActiveLink(r.link, rp.run_dir, force_copy);
  std::string detail = reason + (reason.empty() ? "" : "; ") + "active -> " + rp.run_dir +
                       (r.copied ? " (copy at " : " (link at ") + r.link + ")";
  r.event_id = ledger.SetActive(id, kind, detail);
  return r;
}

}  // namespace

std::string ActiveLinkPath(const Ledger& ledger) {
  fs::path p = fs::absolute(ledger.path()).lexically_normal();
  return (p.parent_path() / "active").string();
}

bool UpdateActiveLink(const std::string& link, const std::string& run_dir, bool force_copy) {
  std::error_code ec;
  fs::path target = fs::absolute(run_dir).lexically_normal();
  fs::path lp(link);
  std::string tmp = link + ".tmp." + std::to_string(::getpid());
  fs::remove_all(tmp, ec);
  auto st = fs::symlink_status(lp, ec);
  bool exists = fs::exists(st);
  bool is_link = fs::is_symlink(st);
  bool is_copy = !is_link && fs::is_directory(st) && fs::exists(lp / kCopyMarker);
  if (exists && !is_link && !is_copy)
    Fatal(link, ": exists and is neither a symlink nor a prism-made copy; refusing to replace it");
  if (!force_copy) {
    // Relative target when the run sits beside the link, so the folder can move as a whole.
    fs::path rel = target.lexically_relative(fs::absolute(lp).parent_path());
    fs::create_directory_symlink(rel.empty() ? target : rel, tmp, ec);
    if (!ec) {
      if (is_copy) {
        std::string old = link + ".old." + std::to_string(::getpid());
        fs::rename(lp, old, ec);
        if (ec) Fatal(link, ": cannot move the previous copy away: ", ec.message());
        fs::rename(tmp, lp, ec);
        fs::remove_all(old);
      } else {
        fs::rename(tmp, lp, ec);  // atomically replaces an existing symlink
      }
      if (ec) {
        fs::remove(tmp);
        Fatal(link, ": cannot update the active link: ", ec.message());
      }
      return false;
    }
  }
  // Copy fallback.
  fs::copy(target, tmp, fs::copy_options::recursive | fs::copy_options::copy_symlinks, ec);
  if (ec) {
    fs::remove_all(tmp);
    Fatal(link, ": cannot copy ", target.string(), ": ", ec.message());
  }
  WriteFileAtomic(tmp + "/" + kCopyMarker, target.string() + "\n");
  std::string old = link + ".old." + std::to_string(::getpid());
  if (exists) {
    fs::rename(lp, old, ec);
    if (ec) {
      fs::remove_all(tmp);
      Fatal(link, ": cannot move the previous active entry away: ", ec.message());
    }
  }
  fs::rename(tmp, lp, ec);
  if (ec) Fatal(link, ": cannot install the active copy: ", ec.message());
  // The previous entry was a link or our own copy: removing it loses no run data.
  if (exists) fs::remove_all(old, ec);
  return true;
}

RollbackResult Rollback(Ledger& ledger, long to, const std::string& reason) {
  if (to == 0) {
    to = ledger.Baseline();
    if (to == 0)
      Fatal(ledger.path(), ": no baseline record point to roll back to (set one with `prism ledger set-baseline N`)");
  }
  return MakeActive(ledger, to, "rollback", reason);
}

RollbackResult Promote(Ledger& ledger, long id, const std::string& reason) {
  return MakeActive(ledger, id, "promote", reason);
}

}  // namespace prism
