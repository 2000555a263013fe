// prism/rollback.h - making a record point the active model again (and promoting a passed one).
//
// The active model is named twice: the `active` pointer in the ledger, and a stable `active`
// symbolic link in the ledger's folder (beside the run folders) that points at the active run
// folder. Where symbolic links cannot be made, `active` is a copy of the run folder marked by a
// `.prism-active-copy` file. Nothing is ever deleted: run folders stay on disk and record points
// stay in the ledger; only the link (or a previous prism-made copy) is replaced.
#pragma once

#include <string>

#include "prism/ledger.h"

namespace prism {

/// What a rollback or promotion did.
struct RollbackResult {
  long from_id = 0;      ///< active record point before (0 = none)
  long to_id = 0;        ///< active record point after
  std::string run_dir;   ///< its run folder
  std::string link;      ///< path of the `active` link (or copy)
  bool copied = false;   ///< true when a copy was made because a symlink could not be
  long event_id = 0;     ///< row of the ledger's events table
};

/// Makes record point `to` (0 = the ledger's baseline) the active model: replaces the `active`
/// link, then sets the ledger's active pointer and records a "rollback" event with `reason`, in
/// one transaction. Throws prism::Error when there is no baseline, the record point does not
/// exist, or its run folder is gone.
RollbackResult Rollback(Ledger& ledger, long to, const std::string& reason);

/// Makes record point `id` the active model (after a PASS); records a "promote" event.
RollbackResult Promote(Ledger& ledger, long id, const std::string& reason);

/// Path of the `active` link of a ledger: `active` in the ledger file's folder.
std::string ActiveLinkPath(const Ledger& ledger);

/// Points `link` at `run_dir`: a symlink replaced atomically (rename), or - when symlinks fail or
/// `force_copy` - a recursive copy marked with `.prism-active-copy`. Refuses to replace anything
/// at `link` that is neither a symlink nor a prism-made copy. Returns true when it copied.
bool UpdateActiveLink(const std::string& link, const std::string& run_dir, bool force_copy = false);

}  // namespace prism
