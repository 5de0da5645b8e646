// Bitmap: a compressed set of row numbers (CRoaring), used for string bitmap indexes, null
// bitmaps and filter results. Move-only; frees its roaring bitmap on destruction. roaring.h stays
// inside bitmap.cc.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"

struct roaring_bitmap_s;

namespace strata::segment {

class Bitmap {
 public:
  /// An empty bitmap.
  Bitmap();
  ~Bitmap();
  Bitmap(Bitmap&& o) noexcept;
  Bitmap& operator=(Bitmap&& o) noexcept;
  Bitmap(const Bitmap&) = delete;
  Bitmap& operator=(const Bitmap&) = delete;
  Bitmap Copy() const;

  /// Rows [begin, end).
  static Bitmap Range(uint32_t begin, uint32_t end);
  /// From ascending row numbers.
  static Bitmap FromSorted(const uint32_t* rows, size_t count);
  /// Zero-copy view of a bitmap stored by SerializeFrozen. `data` must be 32-byte aligned and
  /// outlive the view. Corruption if the bytes are not a valid frozen bitmap.
  static Result<Bitmap> FrozenView(const char* data, size_t size);

  void Add(uint32_t row);
  bool Contains(uint32_t row) const;
  uint64_t Cardinality() const;
  bool IsEmpty() const;
  /// Smallest/largest row; only valid when not empty.
  uint32_t Minimum() const;
  uint32_t Maximum() const;

  Bitmap And(const Bitmap& o) const;
  Bitmap Or(const Bitmap& o) const;
  Bitmap AndNot(const Bitmap& o) const;
  /// Complement within [0, num_rows).
  Bitmap Not(uint32_t num_rows) const;
  static Bitmap OrMany(const std::vector<const Bitmap*>& bitmaps);

  /// Appends the rows in [begin, end) to `out` (ascending); returns how many were appended.
  size_t RowsInRange(uint32_t begin, uint32_t end, std::vector<uint32_t>* out) const;
  /// Number of rows in [begin, end).
  uint64_t CountInRange(uint32_t begin, uint32_t end) const;

  /// Bytes SerializeFrozen will write.
  size_t FrozenSize() const;
  /// Appends the frozen serialization (loadable with FrozenView) to `out`.
  void SerializeFrozen(std::string* out) const;

 private:
  explicit Bitmap(roaring_bitmap_s* r) : r_(r) {}
  roaring_bitmap_s* r_;
};

}  // namespace strata::segment
