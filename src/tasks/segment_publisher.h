// Segment allocation and publishing for INSERT/REPLACE tasks.
//
// Allocation (during the job): REPLACE gives every time chunk one new version, higher than any
// existing one; INSERT appends to the chunk's current version with the next partition numbers (or
// starts a new version for an empty chunk). Publishing (after the job): ONE metadata transaction
// inserts the new segments (plus tombstones for REPLACE chunks that end up empty) and marks the
// segments they overshadow unused — so a datasource shows the old data or the new, never a mix.
#pragma once

#include <atomic>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "base/thread_annotations.h"
#include "catalog/catalog.h"
#include "engine/execution_context.h"
#include "metadata/metadata_store.h"
#include "types/granularity.h"

namespace strata::tasks {

struct PublishSpec {
  std::string datasource;
  bool replace = false;
  /// REPLACE OVERWRITE WHERE intervals; absent with OVERWRITE ALL (or for INSERT).
  std::optional<std::vector<types::Interval>> replace_intervals;
  types::Granularity segment_granularity = types::Granularity::All();
  /// Whether the segments get range shard specs (SegmentGeneratorSpec::range_shard_columns), and
  /// why or why not (the report's segmentReport.details).
  bool range_shards = false;
  std::string shard_spec_reason;
};

/// The report's segmentReport: the shard spec class chosen and why.
struct SegmentReport {
  std::string shard_spec = "NumberedShardSpec";
  std::string details;
};

class SegmentPublisher : public engine::SegmentAllocator {
 public:
  /// Takes a snapshot of the datasource's timeline; `now_millis` seeds the new version.
  static Result<std::unique_ptr<SegmentPublisher>> Create(catalog::Catalog* catalog, metadata::MetadataStore* store,
                                                          PublishSpec spec, int64_t now_millis);

  Result<catalog::SegmentId> Allocate(const types::Interval& chunk) override;

  /// Publishes `segments` (and tombstones) in one transaction. Returns the records published.
  Result<std::vector<metadata::SegmentRecord>> Publish(const std::vector<engine::GeneratedSegment>& segments);

  const std::string& version() const { return version_; }
  /// The shard spec used (final after Publish; before it, the one planned).
  SegmentReport segment_report() const;

 private:
  SegmentPublisher() = default;

  catalog::Catalog* catalog_ = nullptr;
  metadata::MetadataStore* store_ = nullptr;
  PublishSpec spec_;
  std::string version_;  // new version for REPLACE and for INSERT into empty chunks
  std::shared_ptr<const catalog::Timeline> timeline_;
  std::vector<metadata::SegmentRecord> existing_;  // used segments of the datasource at start
  std::mutex mu_;
  std::map<std::pair<int64_t, int64_t>, std::pair<std::string, int32_t>> next_partition_ GUARDED_BY(mu_);
  std::atomic<bool> multi_valued_range_key_{false};  // set by Publish: range shard specs were impossible
};

/// DataSegment-style JSON payload of a segment record.
std::string SegmentPayloadJson(const engine::GeneratedSegment& segment, const std::string& shard_spec_json);

}  // namespace strata::tasks
