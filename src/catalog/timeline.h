// Timeline: which published segments of a datasource are visible. A segment is shadowed wherever
// a segment with a higher version covers its time (Druid's overshadowing; versions compare as
// strings). A segment can be partly visible (an older DAY segment under a newer HOUR one); queries
// then read only its visible intervals. Tombstones (segments with no rows) overshadow like any
// other segment.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "metadata/metadata_store.h"
#include "types/data_type.h"
#include "types/interval.h"

namespace strata::catalog {

struct ColumnSchema {
  std::string name;
  types::ColumnType type = types::ColumnType::kString;
  std::string complex_type;
};

/// A published segment as the catalog knows it (from the metadata payload, without opening it).
struct SegmentInfo {
  metadata::SegmentRecord record;
  types::Interval interval;
  std::vector<ColumnSchema> columns;  // stored columns, __time first
  std::string load_path;              // local file path of the segment in deep storage
  bool tombstone = false;
  std::string shard_spec_json;        // e.g. {"type":"numbered","partitionNum":0,"partitions":1}
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;
  /// Min/max of the first CLUSTERED BY column for range shard specs (empty when not ranged).
  std::string cluster_column;
  std::string range_start;  // inclusive; empty = unbounded
  std::string range_end;    // exclusive; empty = unbounded
  bool has_range_start = false;
  bool has_range_end = false;

  /// Parses the metadata payload of `record`. Corruption when the payload is malformed.
  static Result<std::shared_ptr<const SegmentInfo>> FromRecord(const metadata::SegmentRecord& record);
};

struct TimelineEntry {
  std::shared_ptr<const SegmentInfo> segment;
  /// The parts of the segment's interval not overshadowed (ascending, non-overlapping).
  std::vector<types::Interval> visible;
  bool fully_visible() const { return visible.size() == 1 && visible[0] == segment->interval; }
};

class Timeline {
 public:
  /// Builds the timeline of one datasource from its used segments.
  explicit Timeline(std::vector<std::shared_ptr<const SegmentInfo>> segments);

  /// Visible segments (at least partly), ordered by interval start then partition.
  const std::vector<TimelineEntry>& entries() const { return entries_; }
  /// Visible entries overlapping any of `intervals` (each entry's `visible` clipped to them).
  std::vector<TimelineEntry> Lookup(const std::vector<types::Interval>& intervals) const;
  /// Ids of used segments that are completely overshadowed.
  const std::vector<std::string>& overshadowed_ids() const { return overshadowed_; }
  /// Columns of the datasource: those of the newest segments first (__time first), then columns
  /// only older segments have.
  const std::vector<ColumnSchema>& columns() const { return columns_; }
  int64_t num_rows() const;
  bool empty() const { return entries_.empty(); }

 private:
  std::vector<TimelineEntry> entries_;
  std::vector<std::string> overshadowed_;
  std::vector<ColumnSchema> columns_;
};

}  // namespace strata::catalog
