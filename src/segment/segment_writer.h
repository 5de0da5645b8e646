// SegmentWriter: builds one segment file (docs/formats/segment.md) from rows in any order.
// String values are dictionary-encoded as they arrive (so a writer holds a few bytes per row);
// when the file is written the dictionaries are sorted, rows are put in segment order (sort_columns:
// __time, then the CLUSTERED BY columns) and bitmap indexes are built. Not thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "base/thread_pool.h"
#include "columnar/frame.h"
#include "io/compression.h"
#include "io/file_system.h"
#include "types/data_type.h"
#include "types/interval.h"

namespace strata::segment {

struct SegmentColumnSchema {
  std::string name;
  types::ColumnType type = types::ColumnType::kString;
  std::string complex_type;
  bool is_metric = false;
  /// Multi-value strings: sort each row's elements (Druid's SORTED_ARRAY handling); false keeps
  /// them as written (ARRAY handling, for string arrays stored as multi-value strings).
  bool sort_elements = true;
};

struct SegmentWriterOptions {
  io::Codec codec = io::Codec::kLz4;
  uint32_t block_rows = 16384;
  /// Free-form JSON stored in the footer.
  std::string properties;
  /// Schema indexes of the columns rows are ordered by when the file is written (ascending, NULL
  /// first; ties keep arrival order). Empty: rows are stored in arrival order.
  std::vector<int> sort_columns;
  /// Helps encode columns in parallel (null: on the calling thread only).
  base::ThreadPool* pool = nullptr;
  /// Largest bitmap a kIndex entry may describe; a column with a larger one stores the kBitmaps
  /// layout instead (lowered by tests to exercise that path).
  uint64_t max_index_bitmap_bytes = (1ULL << 23) - 1;
};

struct SegmentFileInfo {
  int64_t size_bytes = 0;
  int64_t num_rows = 0;
  uint64_t checksum = 0;
};

class ColumnAccumulator;

class SegmentWriter {
 public:
  /// `schema[0]` must be __time (LONG).
  SegmentWriter(std::vector<SegmentColumnSchema> schema, types::Interval interval, SegmentWriterOptions options);
  ~SegmentWriter();

  /// Appends rows; `frame` has one column per schema entry, of the schema's type (string columns
  /// may be multi-value).
  Status Append(const columnar::Frame& frame);
  int64_t num_rows() const { return num_rows_; }
  /// Replaces SegmentWriterOptions::properties (before Write).
  void set_properties(std::string properties) { options_.properties = std::move(properties); }
  /// Approximate memory held by the accumulated rows.
  int64_t memory_bytes() const;

  /// Writes the file at `path` atomically (temp file, fsync, rename). The writer cannot be used
  /// afterwards.
  Result<SegmentFileInfo> Write(io::FileSystem* fs, const std::string& path);

 private:
  void SortRows();
  void ForEachColumn(size_t n, const std::function<void(size_t)>& fn);

  std::vector<SegmentColumnSchema> schema_;
  types::Interval interval_;
  SegmentWriterOptions options_;
  int64_t num_rows_ = 0;
  std::vector<std::unique_ptr<ColumnAccumulator>> columns_;
};

}  // namespace strata::segment
