// SQLite backend of MetadataStore. One connection guarded by a mutex; WAL journal with
// synchronous=FULL so a committed transaction survives a crash.
#include <sqlite3.h>

#include <atomic>
#include <mutex>

#include "base/clock.h"
#include "base/thread_annotations.h"
#include "metadata/metadata_store.h"

namespace strata::metadata {
namespace {

constexpr int kSchemaVersion = 1;

const char* kMigrations[] = {
    // Version 1.
    R"sql(
CREATE TABLE IF NOT EXISTS druid_tasks (
  id TEXT PRIMARY KEY,
  group_id TEXT NOT NULL,
  type TEXT NOT NULL,
  datasource TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  status TEXT NOT NULL,
  duration INTEGER NOT NULL,
  error_msg TEXT,
  location_host TEXT,
  location_port INTEGER NOT NULL,
  payload TEXT NOT NULL,
  report TEXT,
  updated_time INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS druid_tasks_created ON druid_tasks(created_time);
CREATE INDEX IF NOT EXISTS druid_tasks_status ON druid_tasks(status);
CREATE TABLE IF NOT EXISTS druid_segments (
  id TEXT PRIMARY KEY,
  datasource TEXT NOT NULL,
  start INTEGER NOT NULL,
  "end" INTEGER NOT NULL,
  version TEXT NOT NULL,
  partition_num INTEGER NOT NULL,
  used INTEGER NOT NULL,
  num_rows INTEGER NOT NULL,
  size_bytes INTEGER NOT NULL,
  payload TEXT NOT NULL,
  created_time INTEGER NOT NULL,
  used_status_last_updated INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS druid_segments_ds_used ON druid_segments(datasource, used);
)sql",
};

class Statement {
 public:
  Statement(sqlite3* db, const char* sql) { rc_ = sqlite3_prepare_v2(db, sql, -1, &stmt_, nullptr); }
  ~Statement() { sqlite3_finalize(stmt_); }
  bool ok() const { return rc_ == SQLITE_OK; }
  void Bind(int i, const std::string& v) { sqlite3_bind_text(stmt_, i, v.data(), static_cast<int>(v.size()), SQLITE_TRANSIENT); }
  void Bind(int i, int64_t v) { sqlite3_bind_int64(stmt_, i, v); }
  void BindNull(int i) { sqlite3_bind_null(stmt_, i); }
  void Bind(int i, const std::optional<std::string>& v) {
    if (v) Bind(i, *v);
    else BindNull(i);
  }
  int Step() { return sqlite3_step(stmt_); }
  void Reset() {
    sqlite3_reset(stmt_);
    sqlite3_clear_bindings(stmt_);
  }
  std::string Text(int col) {
    const unsigned char* t = sqlite3_column_text(stmt_, col);
    return t ? std::string(reinterpret_cast<const char*>(t), sqlite3_column_bytes(stmt_, col)) : std::string();
  }
  std::optional<std::string> OptText(int col) {
    if (sqlite3_column_type(stmt_, col) == SQLITE_NULL) return std::nullopt;
    return Text(col);
  }
  int64_t Int(int col) { return sqlite3_column_int64(stmt_, col); }

 private:
  sqlite3_stmt* stmt_ = nullptr;
  int rc_;
};

class SqliteMetadataStore : public MetadataStore {
 public:
  explicit SqliteMetadataStore(sqlite3* db) : db_(db) {}
  ~SqliteMetadataStore() override { sqlite3_close(db_); }

  Status Init() {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(ExecLocked("PRAGMA journal_mode=WAL;"));
    RETURN_IF_ERROR(ExecLocked("PRAGMA synchronous=FULL;"));
    RETURN_IF_ERROR(ExecLocked("PRAGMA foreign_keys=ON;"));
    RETURN_IF_ERROR(ExecLocked("CREATE TABLE IF NOT EXISTS strata_schema_version (version INTEGER NOT NULL);"));
    int64_t version = 0;
    {
      Statement st(db_, "SELECT version FROM strata_schema_version");
      if (!st.ok()) return Error("read schema version");
      if (st.Step() == SQLITE_ROW) version = st.Int(0);
    }
    if (version > kSchemaVersion) {
      return Status::Internal("metadata database schema version " + std::to_string(version) +
                              " is newer than this Strata (" + std::to_string(kSchemaVersion) + ")");
    }
    for (int64_t v = version; v < kSchemaVersion; ++v) {
      RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE;"));
      Status s = ExecLocked(kMigrations[v]);
      if (s.ok()) s = ExecLocked("DELETE FROM strata_schema_version;");
      if (s.ok()) s = ExecLocked(("INSERT INTO strata_schema_version VALUES (" + std::to_string(v + 1) + ");").c_str());
      if (!s.ok()) {
        ExecLocked("ROLLBACK;");
        return s;
      }
      RETURN_IF_ERROR(ExecLocked("COMMIT;"));
    }
    return Status::OK();
  }

  Status InsertTask(const TaskRecord& t) override {
    std::lock_guard<std::mutex> lock(mu_);
    Statement st(db_,
                 "INSERT INTO druid_tasks (id, group_id, type, datasource, created_time, status, duration, error_msg, "
                 "location_host, location_port, payload, report, updated_time) VALUES (?,?,?,?,?,?,?,?,?,?,?,NULL,?)");
    if (!st.ok()) return Error("prepare insert task");
    st.Bind(1, t.id);
    st.Bind(2, t.group_id);
    st.Bind(3, t.type);
    st.Bind(4, t.datasource);
    st.Bind(5, t.created_time);
    st.Bind(6, t.status);
    st.Bind(7, t.duration);
    st.Bind(8, t.error_msg);
    st.Bind(9, t.location_host);
    st.Bind(10, static_cast<int64_t>(t.location_port));
    st.Bind(11, t.payload);
    st.Bind(12, base::NowMillis());
    int rc = st.Step();
    if (rc == SQLITE_CONSTRAINT) return Status::AlreadyExists("Task[" + t.id + "] already exists");
    if (rc != SQLITE_DONE) return Error("insert task");
    return Status::OK();
  }

  Status UpdateTaskStatus(const std::string& id, const std::string& status, int64_t duration,
                          const std::optional<std::string>& error_msg) override {
    std::lock_guard<std::mutex> lock(mu_);
    Statement st(db_, "UPDATE druid_tasks SET status = ?, duration = ?, error_msg = ?, updated_time = ? WHERE id = ?");
    if (!st.ok()) return Error("prepare update task");
    st.Bind(1, status);
    st.Bind(2, duration);
    st.Bind(3, error_msg);
    st.Bind(4, base::NowMillis());
    st.Bind(5, id);
    if (st.Step() != SQLITE_DONE) return Error("update task");
    if (sqlite3_changes(db_) == 0) return Status::NotFound("Task[" + id + "] not found");
    return Status::OK();
  }

  Result<std::optional<TaskRecord>> GetTask(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    Statement st(db_, (std::string(kTaskColumns) + " FROM druid_tasks WHERE id = ?").c_str());
    if (!st.ok()) return Error("prepare get task");
    st.Bind(1, id);
    int rc = st.Step();
    if (rc == SQLITE_DONE) return std::optional<TaskRecord>();
    if (rc != SQLITE_ROW) return Error("get task");
    return std::optional<TaskRecord>(ReadTask(&st));
  }

  Result<std::vector<TaskRecord>> ListTasks(const TaskFilter& f) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string sql = std::string(kTaskColumns) + " FROM druid_tasks WHERE 1=1";
    if (f.datasource) sql += " AND datasource = ?1";
    if (f.type) sql += " AND type = ?2";
    if (f.complete) sql += *f.complete ? " AND status <> 'RUNNING'" : " AND status = 'RUNNING'";
    if (f.created_after) sql += " AND created_time >= ?3";
    if (f.created_before) sql += " AND created_time < ?4";
    sql += " ORDER BY created_time DESC, id DESC";
    Statement st(db_, sql.c_str());
    if (!st.ok()) return Error("prepare list tasks");
    if (f.datasource) st.Bind(1, *f.datasource);
    if (f.type) st.Bind(2, *f.type);
    if (f.created_after) st.Bind(3, *f.created_after);
    if (f.created_before) st.Bind(4, *f.created_before);
    std::vector<TaskRecord> out;
    int64_t complete_seen = 0;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      TaskRecord t = ReadTask(&st);
      if (t.status != "RUNNING") {
        if (f.max_complete && complete_seen >= *f.max_complete) continue;
        ++complete_seen;
      }
      out.push_back(std::move(t));
    }
    if (rc != SQLITE_DONE) return Error("list tasks");
    return out;
  }

  Status SetTaskReport(const std::string& id, const std::string& report_json) override {
    std::lock_guard<std::mutex> lock(mu_);
    Statement st(db_, "UPDATE druid_tasks SET report = ?, updated_time = ? WHERE id = ?");
    if (!st.ok()) return Error("prepare set report");
    st.Bind(1, report_json);
    st.Bind(2, base::NowMillis());
    st.Bind(3, id);
    if (st.Step() != SQLITE_DONE) return Error("set report");
    if (sqlite3_changes(db_) == 0) return Status::NotFound("Task[" + id + "] not found");
    return Status::OK();
  }

  Result<std::optional<std::string>> GetTaskReport(const std::string& id) override {
    std::lock_guard<std::mutex> lock(mu_);
    Statement st(db_, "SELECT report FROM druid_tasks WHERE id = ?");
    if (!st.ok()) return Error("prepare get report");
    st.Bind(1, id);
    int rc = st.Step();
    if (rc == SQLITE_DONE) return std::optional<std::string>();
    if (rc != SQLITE_ROW) return Error("get report");
    return st.OptText(0);
  }

  Result<std::vector<SegmentRecord>> ListSegments(const std::string& datasource, bool include_unused) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string sql =
        "SELECT id, datasource, start, \"end\", version, partition_num, used, num_rows, size_bytes, payload, "
        "created_time, used_status_last_updated FROM druid_segments WHERE 1=1";
    if (!datasource.empty()) sql += " AND datasource = ?1";
    if (!include_unused) sql += " AND used = 1";
    sql += " ORDER BY datasource, start, version, partition_num";
    Statement st(db_, sql.c_str());
    if (!st.ok()) return Error("prepare list segments");
    if (!datasource.empty()) st.Bind(1, datasource);
    std::vector<SegmentRecord> out;
    int rc;
    while ((rc = st.Step()) == SQLITE_ROW) {
      SegmentRecord s;
      s.id = st.Text(0);
      s.datasource = st.Text(1);
      s.start = st.Int(2);
      s.end = st.Int(3);
      s.version = st.Text(4);
      s.partition_num = static_cast<int32_t>(st.Int(5));
      s.used = st.Int(6) != 0;
      s.num_rows = st.Int(7);
      s.size_bytes = st.Int(8);
      s.payload = st.Text(9);
      s.created_time = st.Int(10);
      s.used_status_last_updated = st.Int(11);
      out.push_back(std::move(s));
    }
    if (rc != SQLITE_DONE) return Error("list segments");
    return out;
  }

  Status PublishSegments(const std::vector<SegmentRecord>& segments, const std::vector<std::string>& mark_unused) override {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE;"));
    Status s = PublishLocked(segments, mark_unused);
    if (!s.ok()) {
      ExecLocked("ROLLBACK;");
      return s;
    }
    s = ExecLocked("COMMIT;");
    if (!s.ok()) {
      ExecLocked("ROLLBACK;");
      return s;
    }
    ++generation_;
    return Status::OK();
  }

  Status SetSegmentsUsed(const std::vector<std::string>& ids, bool used) override {
    std::lock_guard<std::mutex> lock(mu_);
    RETURN_IF_ERROR(ExecLocked("BEGIN IMMEDIATE;"));
    Statement st(db_, "UPDATE druid_segments SET used = ?, used_status_last_updated = ? WHERE id = ?");
    if (!st.ok()) {
      ExecLocked("ROLLBACK;");
      return Error("prepare mark used");
    }
    for (const auto& id : ids) {
      st.Bind(1, static_cast<int64_t>(used ? 1 : 0));
      st.Bind(2, base::NowMillis());
      st.Bind(3, id);
      if (st.Step() != SQLITE_DONE) {
        ExecLocked("ROLLBACK;");
        return Error("mark used");
      }
      st.Reset();
    }
    RETURN_IF_ERROR(ExecLocked("COMMIT;"));
    ++generation_;
    return Status::OK();
  }

  int64_t segments_generation() const override { return generation_.load(); }

 private:
  static constexpr const char* kTaskColumns =
      "SELECT id, group_id, type, datasource, created_time, status, duration, error_msg, location_host, "
      "location_port, payload, updated_time";

  static TaskRecord ReadTask(Statement* st) {
    TaskRecord t;
    t.id = st->Text(0);
    t.group_id = st->Text(1);
    t.type = st->Text(2);
    t.datasource = st->Text(3);
    t.created_time = st->Int(4);
    t.status = st->Text(5);
    t.duration = st->Int(6);
    t.error_msg = st->OptText(7);
    t.location_host = st->Text(8);
    t.location_port = static_cast<int32_t>(st->Int(9));
    t.payload = st->Text(10);
    t.updated_time = st->Int(11);
    return t;
  }

  Status PublishLocked(const std::vector<SegmentRecord>& segments, const std::vector<std::string>& mark_unused)
      REQUIRES(mu_) {
    Statement ins(db_,
                  "INSERT INTO druid_segments (id, datasource, start, \"end\", version, partition_num, used, num_rows, "
                  "size_bytes, payload, created_time, used_status_last_updated) VALUES (?,?,?,?,?,?,1,?,?,?,?,?)");
    if (!ins.ok()) return Error("prepare publish");
    int64_t now = base::NowMillis();
    for (const auto& s : segments) {
      ins.Bind(1, s.id);
      ins.Bind(2, s.datasource);
      ins.Bind(3, s.start);
      ins.Bind(4, s.end);
      ins.Bind(5, s.version);
      ins.Bind(6, static_cast<int64_t>(s.partition_num));
      ins.Bind(7, s.num_rows);
      ins.Bind(8, s.size_bytes);
      ins.Bind(9, s.payload);
      ins.Bind(10, s.created_time ? s.created_time : now);
      ins.Bind(11, now);
      int rc = ins.Step();
      if (rc == SQLITE_CONSTRAINT) return Status::Conflict("Segment[" + s.id + "] already exists");
      if (rc != SQLITE_DONE) return Error("publish segment");
      ins.Reset();
    }
    Statement upd(db_, "UPDATE druid_segments SET used = 0, used_status_last_updated = ? WHERE id = ?");
    if (!upd.ok()) return Error("prepare overshadow");
    for (const auto& id : mark_unused) {
      upd.Bind(1, now);
      upd.Bind(2, id);
      if (upd.Step() != SQLITE_DONE) return Error("mark overshadowed");
      upd.Reset();
    }
    return Status::OK();
  }

  Status ExecLocked(const char* sql) REQUIRES(mu_) {
    char* err = nullptr;
    if (sqlite3_exec(db_, sql, nullptr, nullptr, &err) != SQLITE_OK) {
      std::string msg = err ? err : "unknown error";
      sqlite3_free(err);
      return Status::IoError("metadata store: " + msg);
    }
    return Status::OK();
  }

  Status Error(const std::string& what) { return Status::IoError("metadata store: " + what + ": " + sqlite3_errmsg(db_)); }

  std::mutex mu_;
  sqlite3* db_ GUARDED_BY(mu_);
  std::atomic<int64_t> generation_{0};
};

}  // namespace

Result<std::unique_ptr<MetadataStore>> MetadataStore::OpenSqlite(const std::string& path) {
  sqlite3* db = nullptr;
  int rc = sqlite3_open_v2(path.c_str(), &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string msg = db ? sqlite3_errmsg(db) : "out of memory";
    sqlite3_close(db);
    return Status::IoError("cannot open metadata database [" + path + "]: " + msg);
  }
  sqlite3_busy_timeout(db, 10000);
  auto store = std::make_unique<SqliteMetadataStore>(db);
  RETURN_IF_ERROR(store->Init());
  return std::unique_ptr<MetadataStore>(std::move(store));
}

}  // namespace strata::metadata
