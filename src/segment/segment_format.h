// Constants of the segment file format. The format is written up, with a byte diagram, in
// docs/formats/segment.md; keep the two in step. Internal to segment/.
#pragma once

#include <cstdint>

namespace strata::segment::internal {

inline constexpr char kHeaderMagic[8] = {'S', 'T', 'R', 'A', 'T', 'S', 'E', 'G'};
inline constexpr char kTrailerMagic[8] = {'S', 'T', 'R', 'A', 'T', 'E', 'N', 'D'};
inline constexpr uint32_t kFormatVersion = 1;
inline constexpr uint64_t kHeaderSize = 32;
inline constexpr uint64_t kTrailerSize = 32;
inline constexpr uint64_t kStreamAlignment = 32;  // frozen roaring bitmaps need 32-byte alignment

enum class StreamKind : uint8_t {
  kValues = 1,      // blocked longs / doubles / floats / complex blobs
  kNulls = 2,       // frozen bitmap of NULL rows (numeric columns)
  kDictionary = 3,  // sorted distinct strings
  kIds = 4,         // blocked dictionary ids (row-aligned; for multi-value: the elements of each row block)
  kBitmaps = 5,     // one frozen bitmap per dictionary id
  kCounts = 6,      // multi-value: blocked per-row element counts
  kIndex = 7,       // bitmap index: per dictionary id a short row list or a frozen bitmap
};

// kIndex entries (u64 per dictionary id): bit 63 set = a list of `size` u32 rows, clear = a frozen
// bitmap of `size` bytes; bits 40..62 = size; bits 0..39 = offset from the stream start.
inline constexpr uint64_t kIndexListFlag = 1ULL << 63;
inline constexpr int kIndexSizeShift = 40;
inline constexpr uint64_t kIndexMaxSize = (1ULL << 23) - 1;
inline constexpr uint64_t kIndexMaxOffset = (1ULL << 40) - 1;
/// Values on at most this many rows get a row list instead of a bitmap.
inline constexpr uint32_t kIndexMaxListRows = 8;

enum ColumnFlags : uint8_t {
  kFlagMultiValue = 1,
  kFlagHasNulls = 2,
  kFlagIsMetric = 4,
};

}  // namespace strata::segment::internal
