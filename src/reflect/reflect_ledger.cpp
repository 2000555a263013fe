// Storing the reflection summary in the ledger (the record point of the run folder).
#include "prism/ledger.h"
#include "prism/log.h"
#include "prism/reflect.h"

namespace prism {

long StoreReflectionInLedger(const std::string& ledger_path, const RunFolder& run,
                             const Reflection& r) {
  Ledger ledger(ledger_path);
  RecordPoint fresh = RecordPointFromRun(run);  // its run_dir is the ledger's key for the run
  RecordPoint rp;
  long id = 0;
  if (ledger.FindByRunDir(fresh.run_dir, &rp)) {
    id = rp.id;
  } else {
    // Not judged by `prism qc` yet: record the run now so the reflection is not lost.
    id = ledger.Insert(fresh);
    Log::Info("run " + fresh.run_dir + " was not in the ledger; recorded as record point " +
              std::to_string(id));
  }
  ledger.SetReflection(id, ReflectionLedgerSummary(r));
  return id;
}

}  // namespace prism
