// TaskManager: runs MSQ controller tasks ("query_controller") in this process and keeps their
// state in the metadata store. A task is persisted (RUNNING) before it starts; its final report
// and status are persisted when it ends; its live report is built from the controller while it
// runs. On start-up, tasks still marked RUNNING (the process died under them) are failed.
//
// Thread-safety: all methods may be called concurrently.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "base/thread_annotations.h"
#include "catalog/catalog.h"
#include "io/file_system.h"
#include "metadata/metadata_store.h"
#include "sql/statement.h"
#include "storage/deep_storage.h"
#include "storage/segment_cache.h"

namespace strata::tasks {

struct TaskServices {
  metadata::MetadataStore* metadata = nullptr;
  catalog::Catalog* catalog = nullptr;
  storage::DeepStorage* deep_storage = nullptr;
  storage::SegmentCache* segment_cache = nullptr;
  io::FileSystem* fs = nullptr;
  std::string temp_dir;  // per-task scratch directories go below it
  std::string host = "localhost";
  int port = 8888;
  int64_t worker_memory_bytes = 512LL << 20;
};

struct TaskView {
  metadata::TaskRecord record;
  /// RUNNING, WAITING, PENDING while active; NONE when complete.
  std::string runner_status;
};

class TaskManager {
 public:
  explicit TaskManager(TaskServices services);
  ~TaskManager();

  /// Fails tasks left RUNNING by a previous process.
  Status Recover();
  /// Persists and starts a controller task running `statement` (planned from `sql`).
  Status SubmitQueryTask(const std::string& task_id, const std::string& sql, sql::PlannedStatement statement);
  Result<std::optional<TaskView>> GetTask(const std::string& id);
  Result<std::vector<TaskView>> ListTasks(const metadata::TaskFilter& filter);
  /// The live report of a running task, else the stored final one (nullopt if none).
  Result<std::optional<std::string>> GetReport(const std::string& id);
  /// The task payload JSON (nullopt for unknown ids).
  Result<std::optional<std::string>> GetPayload(const std::string& id);
  /// Asks a running task to stop; it ends FAILED with fault Canceled. NotFound when the task is
  /// unknown or already complete.
  Status Shutdown(const std::string& id);
  /// Blocks until task `id` is no longer running (or `timeout_ms` passes). True if it finished.
  bool WaitFor(const std::string& id, int64_t timeout_ms);
  /// Cancels every running task and waits for them.
  void StopAll();

  struct RunningTask;

 private:
  void Run(std::shared_ptr<RunningTask> task);
  std::string LiveReport(RunningTask& task);

  TaskServices services_;
  std::mutex mu_;
  std::condition_variable done_cv_;
  // Task threads are detached; each removes its entry (and notifies done_cv_) when it ends.
  std::map<std::string, std::shared_ptr<RunningTask>> running_ GUARDED_BY(mu_);
};

}  // namespace strata::tasks
