// MetadataStore: the source of truth (DESIGN.md principle 3). Tasks with their status, payload and
// final report; segments with their used flag. A process may die at any instant and restart from
// what is stored here; segment publishing is one transaction, so a datasource shows either the old
// segments or the new ones, never a mix.
//
// Backends: SQLite (embedded default, metadata/sqlite_metadata_store.cc). PostgreSQL comes with
// cluster mode behind the same interface. The schema is written up in docs/formats/metadata.md.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"

namespace strata::metadata {

struct TaskRecord {
  std::string id;
  std::string group_id;
  std::string type;        // "query_controller", "index_parallel", ...
  std::string datasource;  // "__query_select" for SELECT tasks
  int64_t created_time = 0;  // epoch millis
  std::string status;      // "RUNNING", "SUCCESS", "FAILED"
  int64_t duration = -1;   // millis; -1 while running
  std::optional<std::string> error_msg;
  std::string location_host;
  int32_t location_port = -1;
  std::string payload;     // task JSON
  int64_t updated_time = 0;
};

struct TaskFilter {
  std::optional<std::string> datasource;
  std::optional<std::string> type;
  /// "RUNNING" (active) or "complete" (SUCCESS/FAILED).
  std::optional<bool> complete;
  std::optional<int64_t> created_after;   // inclusive
  std::optional<int64_t> created_before;  // exclusive
  /// Limit on complete tasks (newest first); active tasks are never limited.
  std::optional<int64_t> max_complete;
};

struct SegmentRecord {
  std::string id;  // dataSource_start_end_version[_partitionNum]
  std::string datasource;
  int64_t start = 0;
  int64_t end = 0;
  std::string version;
  int32_t partition_num = 0;
  bool used = true;
  int64_t num_rows = 0;
  int64_t size_bytes = 0;
  /// DataSegment JSON (loadSpec, dimensions, metrics, shardSpec, size, binaryVersion).
  std::string payload;
  int64_t created_time = 0;
  int64_t used_status_last_updated = 0;
};

class MetadataStore {
 public:
  virtual ~MetadataStore() = default;

  /// Opens (creating and migrating as needed) an SQLite database at `path`.
  static Result<std::unique_ptr<MetadataStore>> OpenSqlite(const std::string& path);

  // --- Tasks ---
  /// AlreadyExists if a task with the id exists.
  virtual Status InsertTask(const TaskRecord& task) = 0;
  /// Sets the final or current status. NotFound for unknown ids.
  virtual Status UpdateTaskStatus(const std::string& id, const std::string& status, int64_t duration,
                                  const std::optional<std::string>& error_msg) = 0;
  virtual Result<std::optional<TaskRecord>> GetTask(const std::string& id) = 0;
  /// Tasks matching `filter`, newest first.
  virtual Result<std::vector<TaskRecord>> ListTasks(const TaskFilter& filter) = 0;
  /// Stores the (final) report JSON of a task.
  virtual Status SetTaskReport(const std::string& id, const std::string& report_json) = 0;
  virtual Result<std::optional<std::string>> GetTaskReport(const std::string& id) = 0;

  // --- Segments ---
  /// Segments, used only unless `include_unused`; all datasources when `datasource` is empty.
  virtual Result<std::vector<SegmentRecord>> ListSegments(const std::string& datasource, bool include_unused) = 0;
  /// In ONE transaction: inserts `segments` as used and marks the segments with ids in
  /// `mark_unused` unused. Conflict (and no change) if any new id already exists.
  virtual Status PublishSegments(const std::vector<SegmentRecord>& segments,
                                 const std::vector<std::string>& mark_unused) = 0;
  /// Marks segments used/unused.
  virtual Status SetSegmentsUsed(const std::vector<std::string>& ids, bool used) = 0;
  /// A counter bumped on every segment change, for cheap cache invalidation.
  virtual int64_t segments_generation() const = 0;
};

}  // namespace strata::metadata
