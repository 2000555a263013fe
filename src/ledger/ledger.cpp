#include "prism/ledger.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <sqlite3.h>

#include <chrono>
#include <ctime>
#include <filesystem>
#include <thread>

#include "prism/error.h"
#include "prism/hash.h"

namespace prism {
namespace {

namespace fs = std::filesystem;

constexpr int kBusyTimeoutMs = 30000;

const char* kSchema = R"SQL(
CREATE TABLE IF NOT EXISTS record_points (
  id           INTEGER PRIMARY KEY AUTOINCREMENT,
  created      TEXT NOT NULL,
  name         TEXT NOT NULL,
  run_dir      TEXT NOT NULL,
  config_hash  TEXT NOT NULL DEFAULT '',
  data_hash    TEXT NOT NULL DEFAULT '',
  code_version TEXT NOT NULL DEFAULT '',
  metrics      TEXT NOT NULL DEFAULT '{}',
  qc_decision  TEXT NOT NULL DEFAULT '',
  qc_reasons   TEXT NOT NULL DEFAULT '[]',
  qc_signature TEXT NOT NULL DEFAULT '',
  reflection   TEXT,
  parent_id    INTEGER REFERENCES record_points(id),
  baseline_id  INTEGER REFERENCES record_points(id)
);
CREATE INDEX IF NOT EXISTS record_points_run_dir ON record_points(run_dir);
CREATE TABLE IF NOT EXISTS pointers (
  name      TEXT PRIMARY KEY,
  record_id INTEGER NOT NULL REFERENCES record_points(id),
  updated   TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS events (
  id      INTEGER PRIMARY KEY AUTOINCREMENT,
  time    TEXT NOT NULL,
  kind    TEXT NOT NULL,
  from_id INTEGER,
  to_id   INTEGER,
  detail  TEXT NOT NULL DEFAULT ''
);
)SQL";

const char* kColumns =
    "id, created, name, run_dir, config_hash, data_hash, code_version, metrics, qc_decision, "
    "qc_reasons, qc_signature, reflection, parent_id, baseline_id";

Json ParseStored(const std::string& text, const std::string& what) {
  try {
    return Json::parse(text);
  } catch (const Json::parse_error& e) {
    Fatal("ledger: corrupt ", what, " JSON: ", e.what());
  }
}

RecordPoint FromRow(SQLite::Statement& q) {
  RecordPoint rp;
  rp.id = q.getColumn(0).getInt64();
  rp.created = q.getColumn(1).getString();
  rp.name = q.getColumn(2).getString();
  rp.run_dir = q.getColumn(3).getString();
  rp.config_hash = q.getColumn(4).getString();
  rp.data_hash = q.getColumn(5).getString();
  rp.code_version = q.getColumn(6).getString();
  rp.metrics = ParseStored(q.getColumn(7).getString(), "metrics");
  rp.qc_decision = q.getColumn(8).getString();
  for (const auto& r : ParseStored(q.getColumn(9).getString(), "qc_reasons"))
    rp.qc_reasons.push_back(r.get<std::string>());
  rp.qc_signature = q.getColumn(10).getString();
  rp.reflection = q.getColumn(11).isNull() ? Json() : ParseStored(q.getColumn(11).getString(), "reflection");
  rp.parent_id = q.getColumn(12).isNull() ? 0 : q.getColumn(12).getInt64();
  rp.baseline_id = q.getColumn(13).isNull() ? 0 : q.getColumn(13).getInt64();
  return rp;
}

void BindOptionalId(SQLite::Statement& q, int index, long id) {
  if (id > 0) q.bind(index, static_cast<int64_t>(id));
  else q.bind(index);
}

void BindFields(SQLite::Statement& q, const RecordPoint& rp) {
  q.bind(1, rp.created);
  q.bind(2, rp.name);
  q.bind(3, rp.run_dir);
  q.bind(4, rp.config_hash);
  q.bind(5, rp.data_hash);
  q.bind(6, rp.code_version);
  q.bind(7, rp.metrics.is_null() ? std::string("{}") : rp.metrics.dump());
  q.bind(8, rp.qc_decision);
  q.bind(9, Json(rp.qc_reasons).dump());
  q.bind(10, rp.qc_signature);
  if (rp.reflection.is_null()) q.bind(11);
  else q.bind(11, rp.reflection.dump());
  BindOptionalId(q, 12, rp.parent_id);
  BindOptionalId(q, 13, rp.baseline_id);
}

}  // namespace

std::string UtcNow() {
  std::time_t now = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&now, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// SQLite errors carry no file name; every public method wraps them into prism::Error.
#define PRISM_LEDGER_TRY try {
#define PRISM_LEDGER_CATCH                                                 \
  }                                                                        \
  catch (const SQLite::Exception& e) {                                     \
    Fatal(path_, ": ledger error: ", e.what());                            \
  }

Ledger::Ledger(const std::string& path, LedgerAccess access) : path_(path) {
  PRISM_LEDGER_TRY
  fs::path parent = fs::path(path).parent_path();
  if (!parent.empty() && !fs::is_directory(parent))
    Fatal(path, ": cannot open ledger: folder ", parent.string(), " does not exist");
  if (access == LedgerAccess::kReadOnly) {
    OpenReadOnly();
    return;
  }
  // Two processes creating the same new ledger at once can get SQLITE_BUSY from the switch to
  // WAL without SQLite's busy handler being consulted: retry the whole open for the busy timeout.
  const auto deadline =
      std::chrono::steady_clock::now() + std::chrono::milliseconds(kBusyTimeoutMs);
  for (;;) {
    try {
      OpenAndInitialise();
      break;
    } catch (const SQLite::Exception& e) {
      if (e.getErrorCode() == SQLITE_CANTOPEN || e.getErrorCode() == SQLITE_READONLY)
        Fatal(path, ": cannot open the ledger for writing (", e.what(),
              "); is its folder writable?");
      if (e.getErrorCode() != SQLITE_BUSY || std::chrono::steady_clock::now() >= deadline) throw;
      db_.reset();
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
  }
  PRISM_LEDGER_CATCH
}

void Ledger::OpenAndInitialise() {
  db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE,
                                           kBusyTimeoutMs);
  db_->exec("PRAGMA journal_mode=WAL");
  db_->exec("PRAGMA synchronous=NORMAL");
  db_->exec("PRAGMA foreign_keys=ON");
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  int version = db_->execAndGet("PRAGMA user_version").getInt();
  if (version > kSchemaVersion)
    Fatal(path_, ": ledger schema version ", version, " is newer than this prism supports (",
          kSchemaVersion, ")");
  if (version == 0) {
    db_->exec(kSchema);
    db_->exec("PRAGMA user_version=" + std::to_string(kSchemaVersion));
  }
  tx.commit();
}

void Ledger::OpenReadOnly() {
  if (!fs::is_regular_file(path_)) Fatal(path_, ": no such ledger");
  int version = 0;
  try {
    db_ = std::make_unique<SQLite::Database>(path_, SQLite::OPEN_READONLY, kBusyTimeoutMs);
    version = db_->execAndGet("PRAGMA user_version").getInt();
  } catch (const SQLite::Exception&) {
    // A WAL database on read-only media cannot create its -shm file: read it as immutable.
    std::string uri = "file:";
    for (char c : path_) uri += c == '%' ? "%25" : c == '?' ? "%3f" : c == '#' ? "%23" : std::string(1, c);
    db_ = std::make_unique<SQLite::Database>(uri + "?immutable=1",
                                             SQLite::OPEN_READONLY | SQLite::OPEN_URI, kBusyTimeoutMs);
    version = db_->execAndGet("PRAGMA user_version").getInt();
  }
  if (version == 0) Fatal(path_, ": not a prism ledger (no schema)");
  if (version > kSchemaVersion)
    Fatal(path_, ": ledger schema version ", version, " is newer than this prism supports (",
          kSchemaVersion, ")");
}

Ledger::~Ledger() = default;

long Ledger::Insert(RecordPoint rp) {
  PRISM_LEDGER_TRY
  if (rp.created.empty()) rp.created = UtcNow();
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(*db_,
                      "INSERT INTO record_points (created, name, run_dir, config_hash, data_hash, "
                      "code_version, metrics, qc_decision, qc_reasons, qc_signature, reflection, "
                      "parent_id, baseline_id) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)");
  BindFields(q, rp);
  q.exec();
  long id = static_cast<long>(db_->getLastInsertRowid());
  tx.commit();
  return id;
  PRISM_LEDGER_CATCH
}

void Ledger::Update(const RecordPoint& rp) {
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(*db_,
                      "UPDATE record_points SET created=?, name=?, run_dir=?, config_hash=?, "
                      "data_hash=?, code_version=?, metrics=?, qc_decision=?, qc_reasons=?, "
                      "qc_signature=?, reflection=?, parent_id=?, baseline_id=? WHERE id=?");
  BindFields(q, rp);
  q.bind(14, static_cast<int64_t>(rp.id));
  if (q.exec() != 1) Fatal(path_, ": no record point ", rp.id);
  tx.commit();
  PRISM_LEDGER_CATCH
}

RecordPoint Ledger::Get(long id) const {
  PRISM_LEDGER_TRY
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM record_points WHERE id=?");
  q.bind(1, static_cast<int64_t>(id));
  if (!q.executeStep()) Fatal(path_, ": no record point ", id, " (", Count(), " recorded)");
  return FromRow(q);
  PRISM_LEDGER_CATCH
}

bool Ledger::FindByRunDir(const std::string& run_dir, RecordPoint* out) const {
  PRISM_LEDGER_TRY
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                " FROM record_points WHERE run_dir=? ORDER BY id DESC LIMIT 1");
  q.bind(1, run_dir);
  if (!q.executeStep()) return false;
  *out = FromRow(q);
  return true;
  PRISM_LEDGER_CATCH
}

std::vector<RecordPoint> Ledger::List() const {
  PRISM_LEDGER_TRY
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns + " FROM record_points ORDER BY id");
  std::vector<RecordPoint> out;
  while (q.executeStep()) out.push_back(FromRow(q));
  return out;
  PRISM_LEDGER_CATCH
}

std::vector<RecordPoint> Ledger::Failures() const {
  PRISM_LEDGER_TRY
  SQLite::Statement q(*db_, std::string("SELECT ") + kColumns +
                                " FROM record_points WHERE qc_decision='FAIL' ORDER BY id");
  std::vector<RecordPoint> out;
  while (q.executeStep()) out.push_back(FromRow(q));
  return out;
  PRISM_LEDGER_CATCH
}

long Ledger::Count() const {
  PRISM_LEDGER_TRY
  return static_cast<long>(db_->execAndGet("SELECT COUNT(*) FROM record_points").getInt64());
  PRISM_LEDGER_CATCH
}

void Ledger::SetQc(long id, const std::string& decision, const std::vector<std::string>& reasons,
                   const std::string& signature) {
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(*db_, "UPDATE record_points SET qc_decision=?, qc_reasons=?, qc_signature=? WHERE id=?");
  q.bind(1, decision);
  q.bind(2, Json(reasons).dump());
  q.bind(3, signature);
  q.bind(4, static_cast<int64_t>(id));
  if (q.exec() != 1) Fatal(path_, ": no record point ", id);
  tx.commit();
  PRISM_LEDGER_CATCH
}

void Ledger::SetReflection(long id, const Json& summary) {
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(*db_, "UPDATE record_points SET reflection=? WHERE id=?");
  q.bind(1, summary.dump());
  q.bind(2, static_cast<int64_t>(id));
  if (q.exec() != 1) Fatal(path_, ": no record point ", id);
  tx.commit();
  PRISM_LEDGER_CATCH
}

void Ledger::SetMetrics(long id, const Json& metrics) {
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  SQLite::Statement q(*db_, "UPDATE record_points SET metrics=? WHERE id=?");
  q.bind(1, metrics.dump());
  q.bind(2, static_cast<int64_t>(id));
  if (q.exec() != 1) Fatal(path_, ": no record point ", id);
  tx.commit();
  PRISM_LEDGER_CATCH
}

static long Pointer(SQLite::Database& db, const char* name) {
  SQLite::Statement q(db, "SELECT record_id FROM pointers WHERE name=?");
  q.bind(1, name);
  return q.executeStep() ? static_cast<long>(q.getColumn(0).getInt64()) : 0;
}

static void SetPointer(SQLite::Database& db, const char* name, long id) {
  SQLite::Statement q(db, "INSERT INTO pointers(name, record_id, updated) VALUES(?,?,?) "
                          "ON CONFLICT(name) DO UPDATE SET record_id=excluded.record_id, updated=excluded.updated");
  q.bind(1, name);
  q.bind(2, static_cast<int64_t>(id));
  q.bind(3, UtcNow());
  q.exec();
}

static long AddEvent(SQLite::Database& db, const std::string& kind, long from, long to,
                     const std::string& detail) {
  SQLite::Statement q(db, "INSERT INTO events(time, kind, from_id, to_id, detail) VALUES(?,?,?,?,?)");
  q.bind(1, UtcNow());
  q.bind(2, kind);
  BindOptionalId(q, 3, from);
  BindOptionalId(q, 4, to);
  q.bind(5, detail);
  q.exec();
  return static_cast<long>(db.getLastInsertRowid());
}

long Ledger::Active() const {
  PRISM_LEDGER_TRY
  return Pointer(*db_, "active");
  PRISM_LEDGER_CATCH
}

long Ledger::Baseline() const {
  PRISM_LEDGER_TRY
  return Pointer(*db_, "baseline");
  PRISM_LEDGER_CATCH
}

void Ledger::SetBaseline(long id, const std::string& detail) {
  Get(id);  // throws when absent
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  long before = Pointer(*db_, "baseline");
  SetPointer(*db_, "baseline", id);
  AddEvent(*db_, "set_baseline", before, id, detail);
  tx.commit();
  PRISM_LEDGER_CATCH
}

long Ledger::SetActive(long id, const std::string& kind, const std::string& detail) {
  Get(id);
  PRISM_LEDGER_TRY
  SQLite::Transaction tx(*db_, SQLite::TransactionBehavior::IMMEDIATE);
  long before = Pointer(*db_, "active");
  SetPointer(*db_, "active", id);
  long ev = AddEvent(*db_, kind, before, id, detail);
  tx.commit();
  return ev;
  PRISM_LEDGER_CATCH
}

std::vector<LedgerEvent> Ledger::Events() const {
  PRISM_LEDGER_TRY
  SQLite::Statement q(*db_, "SELECT id, time, kind, from_id, to_id, detail FROM events ORDER BY id");
  std::vector<LedgerEvent> out;
  while (q.executeStep()) {
    LedgerEvent e;
    e.id = static_cast<long>(q.getColumn(0).getInt64());
    e.time = q.getColumn(1).getString();
    e.kind = q.getColumn(2).getString();
    e.from_id = q.getColumn(3).isNull() ? 0 : static_cast<long>(q.getColumn(3).getInt64());
    e.to_id = q.getColumn(4).isNull() ? 0 : static_cast<long>(q.getColumn(4).getInt64());
    e.detail = q.getColumn(5).getString();
    out.push_back(e);
  }
  return out;
  PRISM_LEDGER_CATCH
}

std::string Ledger::DefaultPath(const std::string& run_dir) {
  fs::path p = fs::absolute(run_dir).lexically_normal();
  if (p.filename().empty()) p = p.parent_path();  // trailing slash
  return (p.parent_path() / "prism-ledger.db").string();
}

RecordPoint RecordPointFromRun(const RunFolder& run) {
  RecordPoint rp;
  fs::path dir = fs::weakly_canonical(fs::absolute(run.dir));
  rp.run_dir = dir.string();
  rp.name = run.record.name;
  if (rp.name.empty()) rp.name = dir.filename().string();
  if (!run.record.config.is_null())
    rp.config_hash = HashHex(run.record.config.dump());
  else if (run.Exists("config.toml"))
    rp.config_hash = HashFile(run.Path("config.toml"));
  rp.data_hash = run.record.data.hash;
  rp.code_version = run.record.code_version;
  LedgerMetrics m;
  if (run.Exists("metrics/test.json")) {
    PredictionMetrics t = ReadPredictionMetrics(run.Path("metrics/test.json"));
    m.test = t.table;
    m.mode = t.mode;
    for (const auto& [name, b] : t.baselines) m.baselines[name].test = b.table.overall.aupr;
  }
  if (run.baselines)
    for (const auto& b : run.baselines->baselines)
      if (auto it = b.metrics.find("val"); it != b.metrics.end())
        m.baselines[b.name].val = it->second.overall.aupr;
  if (!run.log.empty()) {
    m.epochs = static_cast<int64_t>(run.log.size());
    m.train_aupr = run.log.back().TrainAupr();
    for (const EpochRecord& e : run.log) {
      double v = e.ValAupr();
      if (std::isfinite(v) && !(v <= m.best_val_aupr)) m.best_val_aupr = v;
    }
  }
  rp.metrics = m.ToJson();
  return rp;
}

}  // namespace prism
