// What the workers of one query share while it runs: the plan, cancellation, counters, warnings,
// memory and spill settings, and the services of the process (segment cache, deep storage,
// segment allocation). Owned by the Controller; workers hold a pointer for the query's duration.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/thread_annotations.h"
#include "catalog/segment_id.h"
#include "engine/counters.h"
#include "engine/fault.h"
#include "engine/query_definition.h"
#include "io/file_system.h"

namespace strata::storage {
class SegmentCache;
class DeepStorage;
}  // namespace strata::storage

namespace strata::engine {

/// Hands out segment ids for new segments of a time chunk (versions and partition numbers).
/// Thread-safe. Implemented by the task layer, which knows locks and existing segments.
class SegmentAllocator {
 public:
  virtual ~SegmentAllocator() = default;
  virtual Result<catalog::SegmentId> Allocate(const types::Interval& chunk) = 0;
};

/// A segment written and pushed to deep storage by a segment generator, not yet published.
struct GeneratedSegment {
  catalog::SegmentId id;
  int64_t num_rows = 0;
  int64_t size_bytes = 0;
  std::string load_spec_json;
  std::string shard_spec_json;
  std::vector<segment::SegmentColumnSchema> columns;
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;
  /// With range shard columns: their names, and the smallest key tuple of the segment's rows
  /// (NULL elements as nullopt). Empty `range_dimensions` when a key was multi-valued.
  std::vector<std::string> range_dimensions;
  std::vector<std::optional<std::string>> range_min;
  bool multi_valued_range_key = false;
};

struct ExecutionOptions {
  int max_num_tasks = 2;             // workers = max_num_tasks - 1
  int64_t max_parse_exceptions = 0;  // -1: unlimited
  int64_t worker_memory_bytes = 512LL << 20;
  std::string temp_dir;              // spill and segment scratch files
  std::string task_id;               // for worker ids and error reports
  std::string host;                  // "host:port" for error reports
};

class ExecutionContext {
 public:
  ExecutionContext(std::shared_ptr<const QueryDefinition> query, ExecutionOptions options, io::FileSystem* fs,
                   storage::SegmentCache* segment_cache, storage::DeepStorage* deep_storage,
                   SegmentAllocator* allocator);

  const QueryDefinition& query() const { return *query_; }
  const ExecutionOptions& options() const { return options_; }
  const EvalContext& eval() const { return query_->eval_context; }
  io::FileSystem* fs() const { return fs_; }
  storage::SegmentCache* segment_cache() const { return segment_cache_; }
  storage::DeepStorage* deep_storage() const { return deep_storage_; }
  SegmentAllocator* allocator() const { return allocator_; }
  QueryCounters& counters() { return counters_; }

  /// Cancels the query: sets the flag workers check and runs the registered cancel callbacks
  /// (which wake reads blocked on the network). Thread-safe.
  void Cancel();
  /// Registers a callback run by Cancel() (immediately if already canceled); returns a handle
  /// for RemoveCancelCallback.
  int AddCancelCallback(std::function<void()> callback);
  void RemoveCancelCallback(int handle);
  bool canceled() const { return canceled_.load(); }
  /// Returns Canceled when the query was canceled.
  Status CheckCanceled() const;

  /// Records a parse error of stage `stage`: counts the warning, keeps the first reports, and
  /// returns TooManyWarnings once maxParseExceptions is exceeded.
  Status ReportParseError(int stage, int worker, const std::string& message);
  /// Warning reports kept so far (the first few of each kind).
  std::vector<ErrorReport> warnings() const;

  std::string WorkerId(int worker) const;

 private:
  std::shared_ptr<const QueryDefinition> query_;
  ExecutionOptions options_;
  io::FileSystem* fs_;
  storage::SegmentCache* segment_cache_;
  storage::DeepStorage* deep_storage_;
  SegmentAllocator* allocator_;
  QueryCounters counters_;
  std::atomic<bool> canceled_{false};
  std::atomic<int64_t> parse_errors_{0};
  mutable std::mutex mu_;
  std::vector<ErrorReport> warnings_ GUARDED_BY(mu_);
  std::map<int, std::function<void()>> cancel_callbacks_ GUARDED_BY(mu_);
  int next_callback_ GUARDED_BY(mu_) = 0;
};

}  // namespace strata::engine
