// Counters: what a stage's workers have done so far, readable at any moment (DESIGN principle 5).
// Shapes follow the MSQ report (spec §5.4): channel counters (rows/bytes/frames/files/totalFiles
// per partition) named input0.., output, shuffle; sortProgress; segmentGenerationProgress;
// warnings. Workers update their own WorkerCounters; report readers take snapshots. Thread-safe.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/thread_annotations.h"

namespace strata::engine {

struct SortProgress {
  int total_merging_levels = 0;
  std::map<int, int64_t> level_to_total_batches;
  std::map<int, int64_t> level_to_merged_batches;
  int64_t total_mergers_for_ultimate_level = 0;
  double progress_digest = 0;
  bool set = false;
};

class WorkerCounters {
 public:
  /// Adds to channel counter `name` (e.g. "input0", "output", "shuffle") for `partition`.
  void AddChannel(const std::string& name, int partition, int64_t rows, int64_t bytes, int64_t frames);
  /// Files read / total files of an external input channel.
  void AddFiles(const std::string& name, int partition, int64_t files, int64_t total_files);
  void SetSortProgress(const SortProgress& progress);
  void AddSegmentGeneration(int64_t processed, int64_t persisted, int64_t merged, int64_t pushed);
  void AddWarning(const std::string& code);
  int64_t warnings(const std::string& code) const;
  /// Rows counted in channel `name` over all partitions.
  int64_t ChannelRows(const std::string& name) const;

  /// JSON object {"input0": {...}, "output": {...}, ...} (nlohmann-free string).
  std::string ToJson() const;

 private:
  struct Channel {
    std::vector<int64_t> rows, bytes, frames, files, total_files;
  };
  mutable std::mutex mu_;
  std::map<std::string, Channel> channels_ GUARDED_BY(mu_);
  SortProgress sort_ GUARDED_BY(mu_);
  bool has_segment_generation_ GUARDED_BY(mu_) = false;
  int64_t rows_processed_ GUARDED_BY(mu_) = 0;
  int64_t rows_persisted_ GUARDED_BY(mu_) = 0;
  int64_t rows_merged_ GUARDED_BY(mu_) = 0;
  int64_t rows_pushed_ GUARDED_BY(mu_) = 0;
  std::map<std::string, int64_t> warnings_ GUARDED_BY(mu_);
};

/// All counters of one query: stage -> worker -> counters.
class QueryCounters {
 public:
  /// The counters of (stage, worker), created on first use. The pointer stays valid.
  std::shared_ptr<WorkerCounters> ForWorker(int stage, int worker);
  /// {"0": {"0": {...}}, ...}
  std::string ToJson() const;

 private:
  mutable std::mutex mu_;
  std::map<int, std::map<int, std::shared_ptr<WorkerCounters>>> counters_ GUARDED_BY(mu_);
};

}  // namespace strata::engine
