// prism/ledger.h - record points in an embedded SQLite database (SQLiteCpp).
//
// One row per record point (a trained run that was judged): id, time, name, run folder,
// configuration and data hashes, code version, metrics (overall and per cell, JSON), the QC
// decision and its reasons, the reflection summary (set later by `prism reflect`), and the
// parent and baseline record points. A `pointers` table holds the active and baseline record
// points; an `events` table records every rollback/promotion/baseline change.
//
// Safety: WAL journal and a busy timeout, so several processes may write at once; every write
// is one IMMEDIATE transaction, so a crash never leaves half a row. The schema is versioned
// (PRAGMA user_version); a newer schema than this build knows is refused.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "prism/metric.h"
#include "prism/run_folder.h"

namespace SQLite {
class Database;
}

namespace prism {

/// The metrics a record point keeps (RecordPoint::metrics): the test table of
/// metrics/test.json, and from the log the epochs run, the last train AUPR and the best val AUPR.
struct LedgerMetrics {
  std::optional<metric::MetricTable> test;  ///< overall + per cell (empty: not evaluated)
  std::string mode;                         ///< metrics/test.json mode ("" when absent)
  std::optional<int64_t> epochs;            ///< empty when the run had no log
  double train_aupr = NAN, best_val_aupr = NAN;
  /// The headline AUPRs of the run's built-in baselines (overall, metrics/test.json and
  /// baselines.json): name -> {test, val} (NaN where not scored).
  struct BaselineAupr {
    double test = NAN, val = NAN;
  };
  std::map<std::string, BaselineAupr> baselines;

  /// {"overall", "per_cell", "mode", "epochs", "train": {"aupr"}, "val": {"aupr"},
  ///  "baselines": {NAME: {"test_aupr", "val_aupr"}}} (baselines only when there are some).
  Json ToJson() const;
  /// Reads what ToJson wrote (tolerant: rows of older ledgers may lack any part).
  static LedgerMetrics FromJson(const Json& j);
};

/// One record point.
struct RecordPoint {
  long id = 0;                 ///< assigned by Insert
  std::string created;         ///< UTC "YYYY-MM-DDTHH:MM:SSZ" (set by Insert when empty)
  std::string name;            ///< run name
  std::string run_dir;         ///< absolute path of the run folder
  std::string config_hash;     ///< hash of the resolved configuration
  std::string data_hash;       ///< hash of the data (run.json data.hash)
  std::string code_version;    ///< git describe of the code that trained it
  /// {"overall": {...}, "per_cell": {CELL: {...}}, "train": {"aupr": ..}, "val": {"aupr": ..}}
  Json metrics = Json::object();
  std::string qc_decision;     ///< "PASS", "FAIL" or "" (not judged yet)
  std::vector<std::string> qc_reasons;  ///< "rule/code: message" per failed finding
  std::string qc_signature;    ///< sorted failed rule ids ("" on PASS)
  Json reflection;             ///< summary from `prism reflect` (null until set)
  long parent_id = 0;          ///< record point this run started from (0 = none)
  long baseline_id = 0;        ///< baseline at the time it was recorded (0 = none)
};

/// A row of the events table.
struct LedgerEvent {
  long id = 0;
  std::string time;
  std::string kind;      ///< "rollback", "promote", "set_baseline"
  long from_id = 0;      ///< active record point before (0 = none)
  long to_id = 0;        ///< active (or baseline) record point after
  std::string detail;    ///< reason, link path
};

/// How a Ledger is opened: writers create and migrate it; readers (`ledger list`, `show`,
/// exports) never write, so they work on a read-only file system.
enum class LedgerAccess { kReadWrite, kReadOnly };

/// The ledger database. Each instance owns one connection; use one per thread.
class Ledger {
 public:
  /// Schema version this build writes and reads.
  static constexpr int kSchemaVersion = 1;

  /// Opens (creating when absent) the ledger at `path`; kReadOnly opens an existing ledger
  /// without writing (on read-only media, as immutable). Throws prism::Error naming the file.
  explicit Ledger(const std::string& path, LedgerAccess access = LedgerAccess::kReadWrite);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  const std::string& path() const { return path_; }

  /// Inserts a record point in one transaction; returns its id. `created` is filled when empty.
  long Insert(RecordPoint rp);
  /// Replaces the fields of an existing record point (same id) in one transaction.
  void Update(const RecordPoint& rp);
  /// The record point with this id; throws prism::Error when absent.
  RecordPoint Get(long id) const;
  /// The newest record point of this run folder (absolute path), if any.
  bool FindByRunDir(const std::string& run_dir, RecordPoint* out) const;
  /// All record points, oldest first.
  std::vector<RecordPoint> List() const;
  /// Record points with qc_decision "FAIL", oldest first.
  std::vector<RecordPoint> Failures() const;
  /// Number of record points.
  long Count() const;

  /// Stores the QC verdict of a record point.
  void SetQc(long id, const std::string& decision, const std::vector<std::string>& reasons,
             const std::string& signature);
  /// Stores the reflection summary (JSON) of a record point (used by `prism reflect`).
  void SetReflection(long id, const Json& summary);
  /// Stores the metrics (JSON) of a record point.
  void SetMetrics(long id, const Json& metrics);

  /// Active record point (the model in use), 0 = none.
  long Active() const;
  /// Baseline record point, 0 = none.
  long Baseline() const;
  /// Sets the baseline (records a "set_baseline" event). Throws when `id` does not exist.
  void SetBaseline(long id, const std::string& detail = "");
  /// Sets the active record point and records an event of `kind` in the same transaction;
  /// returns the event id.
  long SetActive(long id, const std::string& kind, const std::string& detail);
  /// All events, oldest first.
  std::vector<LedgerEvent> Events() const;

  /// The default ledger of a run folder: `prism-ledger.db` in the folder that holds the run
  /// (the run folder's parent, beside the other runs).
  static std::string DefaultPath(const std::string& run_dir);

 private:
  /// Opens the database (WAL, synchronous NORMAL, foreign keys) and creates the schema in one
  /// IMMEDIATE transaction when it is new. Throws SQLite::Exception (the constructor retries
  /// SQLITE_BUSY).
  void OpenAndInitialise();
  /// Opens an existing ledger read-only and checks its schema version.
  void OpenReadOnly();
  std::string path_;
  std::unique_ptr<SQLite::Database> db_;
};

/// A record point describing a run folder: name, absolute run_dir, config hash (of run.json's
/// config), data hash, code version, metrics from metrics/test.json (overall, per cell) plus the
/// last epoch's train/val AUPR. QC fields are left empty.
RecordPoint RecordPointFromRun(const RunFolder& run);

/// Current UTC time as "YYYY-MM-DDTHH:MM:SSZ".
std::string UtcNow();

}  // namespace prism

namespace prism {

/// The history index: Markdown, oldest first (newest last), one paragraph per record point with
/// its numbers and verdict, then the rollback/promotion/baseline events.
std::string LedgerHistoryMarkdown(const Ledger& ledger);

/// Per-cell AUPR/AUC/F1/Recall/Precision/Threshold/N tables of the chosen record points (all
/// record points with test metrics when `ids` is empty), plus an AUPR-per-cell comparison when
/// there are several. Throws prism::Error for an unknown id.
std::string BaselineTableMarkdown(const Ledger& ledger, const std::vector<long>& ids);

}  // namespace prism
