// Block codecs of the segment format (docs/formats/segment.md, "Blocked streams"): how a column's
// values are packed into fixed-row blocks and how a blocked stream indexes them. Internal to
// segment/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/column.h"
#include "types/data_type.h"
#include "io/compression.h"

namespace strata::segment::internal {

/// Packs longs: frame-of-reference or (for non-decreasing runs) delta encoding, in the narrowest
/// of 1/2/4/8-byte widths, or a single constant.
void EncodeLongBlock(const int64_t* values, size_t count, std::string* out);
/// Unpacks exactly `count` longs.
Status DecodeLongBlock(std::string_view raw, int64_t* out, size_t count);

/// Packs dictionary ids (0 <= id <= max_id) in 1, 2 or 4 bytes each.
void EncodeIdBlock(const int32_t* ids, size_t count, int32_t max_id, std::string* out);
/// Unpacks exactly `count` ids.
Status DecodeIdBlock(std::string_view raw, int32_t* out, size_t count);

/// ARRAY columns are stored as one blob per row (in the complex-blob block layout): u32 element
/// count, then per element a null byte (1 = NULL) and, when not NULL, the value: LONG and DOUBLE
/// 8 bytes, STRING a u32 length and the bytes. Appends row `row` of array column `c` (not NULL).
void EncodeArrayRow(const columnar::Column& c, int64_t row, std::string* out);
/// Decodes blobs (nullptr data = NULL row) into an array column of `type`; the strings of a
/// STRING array point into the blobs, which the caller keeps alive.
Status DecodeArrayRows(types::ColumnType type, const std::vector<std::string_view>& blobs, columnar::Column* out);

/// Writes a blocked stream: header, block index, then the (optionally compressed) blocks.
class BlockedStreamWriter {
 public:
  BlockedStreamWriter(io::Codec codec, uint32_t block_rows) : codec_(codec), block_rows_(block_rows) {}
  /// Adds the next block's raw bytes holding `num_values` values.
  void AddBlock(std::string_view raw, uint32_t num_values);
  /// Appends the finished stream to `out`.
  void Finish(std::string* out) const;

 private:
  struct BlockEntry {
    uint64_t offset;
    uint32_t stored_len;
    uint32_t raw_len;
    uint8_t codec;
  };
  io::Codec codec_;
  uint32_t block_rows_;
  uint64_t num_values_ = 0;
  std::vector<BlockEntry> blocks_;
  std::string data_;
};

/// Reads a blocked stream in place (the bytes stay owned by the caller, e.g. an mmap).
class BlockedStreamReader {
 public:
  static Result<BlockedStreamReader> Open(std::string_view stream);
  BlockedStreamReader() = default;

  uint32_t num_blocks() const { return num_blocks_; }
  uint32_t block_rows() const { return block_rows_; }
  uint64_t num_values() const { return num_values_; }
  /// The raw bytes of block `i`: a view into the stream when stored uncompressed, else
  /// decompressed into `scratch`.
  Result<std::string_view> RawBlock(uint32_t i, std::string* scratch) const;

 private:
  std::string_view stream_;
  uint32_t num_blocks_ = 0;
  uint32_t block_rows_ = 0;
  uint64_t num_values_ = 0;
  const char* index_ = nullptr;
};

}  // namespace strata::segment::internal
