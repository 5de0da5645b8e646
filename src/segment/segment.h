// Segment: read side of the segment file format (docs/formats/segment.md). A segment is one
// immutable file holding the rows of one time chunk partition, column by column, memory-mapped.
// Segments are shared (shared_ptr) between the segment cache and running queries; every method is
// thread-safe.
//
// Reading is block-wise: rows are grouped in blocks of block_rows() rows; SegmentColumn::ReadBlock
// decodes one block of one column into a columnar::Column. String columns expose their sorted
// dictionary and a bitmap index per value so filters can be answered without reading rows.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/column.h"
#include "io/file_system.h"
#include "segment/bitmap.h"
#include "segment/column_codec.h"
#include "types/data_type.h"
#include "types/interval.h"

namespace strata::segment {

/// Per-thread scratch buffers for decoding; reuse one per scanning thread.
struct ReadScratch {
  std::string block;
  std::string counts;
  std::vector<int64_t> longs;
  std::vector<int32_t> ids;
};

class SegmentColumn {
 public:
  const std::string& name() const { return name_; }
  types::ColumnType type() const { return type_; }
  bool multi_value() const { return multi_value_; }
  bool has_nulls() const { return has_nulls_; }
  bool is_metric() const { return is_metric_; }
  const std::string& complex_type() const { return complex_type_; }

  /// Min/max over non-null values of a numeric column (has_min_max() false when all are NULL or
  /// the column is not numeric).
  bool has_min_max() const { return has_min_max_; }
  int64_t min_long() const { return min_long_; }
  int64_t max_long() const { return max_long_; }
  double min_double() const { return min_double_; }
  double max_double() const { return max_double_; }

  /// String columns: the sorted dictionary. When has_nulls(), id 0 is NULL (its value is the null
  /// marker) and the other ids follow in byte order.
  const std::shared_ptr<const columnar::Dictionary>& dictionary() const { return dictionary_; }
  int32_t cardinality() const { return dictionary_ ? dictionary_->size() : 0; }
  /// Id of `value` (binary search), or -1. The null marker finds the NULL id if present.
  int32_t LookupId(std::string_view value) const;
  /// First id whose value is >= `value` (for range filters); cardinality() if none.
  int32_t LowerBoundId(std::string_view value) const;
  /// Rows holding value `id` (multi-value: rows with at least one element equal to it). A
  /// zero-copy view; cheap.
  Result<Bitmap> ValueBitmap(int32_t id) const;
  /// Rows that are NULL.
  Result<Bitmap> NullBitmap() const;

  /// Decodes block `block` (rows [block * block_rows, ...)) into `out`, replacing its contents.
  /// String columns come back dictionary-encoded (ids + dictionary) with strings materialized,
  /// or, with `ids_only` (single-valued string columns), without them (see columnar/column.h).
  Status ReadBlock(int64_t block, columnar::Column* out, ReadScratch* scratch, bool ids_only = false) const;

 private:
  Status ReadBlobs(int64_t block, std::string* bytes, std::vector<std::string_view>* out) const;

  friend class Segment;
  const class Segment* segment_ = nullptr;
  std::string name_;
  types::ColumnType type_ = types::ColumnType::kLong;
  bool multi_value_ = false;
  bool has_nulls_ = false;
  bool is_metric_ = false;
  std::string complex_type_;
  bool has_min_max_ = false;
  int64_t min_long_ = 0, max_long_ = 0;
  double min_double_ = 0, max_double_ = 0;
  internal::BlockedStreamReader values_;
  internal::BlockedStreamReader ids_;
  internal::BlockedStreamReader counts_;
  std::string_view nulls_;
  std::string_view bitmaps_;  // StreamKind::kBitmaps (older segments)
  std::string_view index_;    // StreamKind::kIndex
  std::shared_ptr<const columnar::Dictionary> dictionary_;
};

class Segment : public std::enable_shared_from_this<Segment> {
 public:
  /// Opens a segment from a mapped file. With `verify_checksum`, the whole file's checksum is
  /// checked first. Corruption when the file is truncated or damaged.
  static Result<std::shared_ptr<Segment>> Open(std::shared_ptr<io::MappedFile> file, bool verify_checksum);
  static Result<std::shared_ptr<Segment>> OpenFile(io::FileSystem* fs, const std::string& path, bool verify_checksum);

  int64_t num_rows() const { return num_rows_; }
  const types::Interval& interval() const { return interval_; }
  uint32_t block_rows() const { return block_rows_; }
  int64_t num_blocks() const { return (num_rows_ + block_rows_ - 1) / block_rows_; }
  /// Rows in block `block`.
  int64_t BlockSize(int64_t block) const {
    int64_t start = block * block_rows_;
    return std::min<int64_t>(block_rows_, num_rows_ - start);
  }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  const SegmentColumn& column(int i) const { return columns_[i]; }
  /// The column called `name`, or nullptr.
  const SegmentColumn* FindColumn(std::string_view name) const;
  /// Free-form JSON properties stored by the writer (datasource, version, ...).
  const std::string& properties() const { return properties_; }
  int64_t size_bytes() const { return static_cast<int64_t>(file_->size()); }
  /// The mapped file (keeps string views into the segment alive).
  const std::shared_ptr<io::MappedFile>& file() const { return file_; }

 private:
  Segment() = default;
  Status Parse(bool verify_checksum);

  std::shared_ptr<io::MappedFile> file_;
  int64_t num_rows_ = 0;
  types::Interval interval_;
  uint32_t block_rows_ = 0;
  std::string properties_;
  std::vector<SegmentColumn> columns_;
};

}  // namespace strata::segment
