#include "engine/row_hash.h"

#define XXH_INLINE_ALL  // hashing is per row or per group: no library call
#include <xxhash.h>

namespace strata::engine {

using columnar::Column;
using types::ColumnType;

namespace {

uint64_t HashString(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }

uint64_t HashDouble(double d) {
  if (d == 0) d = 0;  // -0.0 equals 0.0
  return XXH3_64bits(&d, 8);
}

}  // namespace

uint64_t HashCell(const Column& c, int64_t r) {
  constexpr uint64_t kNull = 0x9e3779b97f4a7c15ULL;
  if (c.IsNull(r)) return kNull;
  if (c.has_offsets()) {
    // Multi-value strings and arrays: the elements in order (NULL elements included).
    uint64_t h = 0x51af2c7d3b1e9f0dULL;
    for (uint32_t e = c.offsets[r]; e < c.offsets[r + 1]; ++e) {
      uint64_t x;
      if (!c.element_nulls.empty() && c.element_nulls[e]) x = kNull;
      else if (!c.longs.empty()) x = XXH3_64bits(&c.longs[e], 8);
      else if (!c.doubles.empty()) x = HashDouble(c.doubles[e]);
      else x = columnar::IsNullString(c.strings[e]) ? kNull : HashString(c.strings[e]);
      h = h * 31 + x;
    }
    return h;
  }
  switch (c.type) {
    case ColumnType::kLong: return XXH3_64bits(&c.longs[r], 8);
    case ColumnType::kFloat:
    case ColumnType::kDouble: return HashDouble(c.doubles[r]);
    default:
      // Ids-only dictionary columns carry no strings: hash the value through the dictionary.
      if (c.strings.empty() && c.dictionary) return HashString(c.dictionary->values[c.ids[r]]);
      return HashString(c.strings[r]);
  }
}

uint64_t HashRow(const columnar::Frame& frame, const std::vector<int>& columns, int64_t row, uint64_t seed) {
  uint64_t h = seed;
  for (int c : columns) h = h * 0x100000001b3ULL + HashCell(frame.column(c), row);
  return Mix64(h);
}

}  // namespace strata::engine
