#include "segment/bitmap.h"

#include <roaring/roaring.h>

#include <utility>

namespace strata::segment {

Bitmap::Bitmap() : r_(roaring_bitmap_create()) {}
Bitmap::~Bitmap() {
  if (r_) roaring_bitmap_free(r_);
}
Bitmap::Bitmap(Bitmap&& o) noexcept : r_(std::exchange(o.r_, nullptr)) {}
Bitmap& Bitmap::operator=(Bitmap&& o) noexcept {
  if (this != &o) {
    if (r_) roaring_bitmap_free(r_);
    r_ = std::exchange(o.r_, nullptr);
  }
  return *this;
}

Bitmap Bitmap::Copy() const { return Bitmap(roaring_bitmap_copy(r_)); }

Bitmap Bitmap::Range(uint32_t begin, uint32_t end) {
  if (end <= begin) return Bitmap();
  return Bitmap(roaring_bitmap_from_range(begin, end, 1));
}

Bitmap Bitmap::FromSorted(const uint32_t* rows, size_t count) {
  Bitmap b;
  roaring_bitmap_add_many(b.r_, count, rows);
  roaring_bitmap_run_optimize(b.r_);
  return b;
}

Result<Bitmap> Bitmap::FrozenView(const char* data, size_t size) {
  const roaring_bitmap_t* view = roaring_bitmap_frozen_view(data, size);
  if (view == nullptr) return Status::Corruption("invalid bitmap in segment");
  return Bitmap(const_cast<roaring_bitmap_t*>(view));
}

void Bitmap::Add(uint32_t row) { roaring_bitmap_add(r_, row); }
bool Bitmap::Contains(uint32_t row) const { return roaring_bitmap_contains(r_, row); }
uint64_t Bitmap::Cardinality() const { return roaring_bitmap_get_cardinality(r_); }
bool Bitmap::IsEmpty() const { return roaring_bitmap_is_empty(r_); }
uint32_t Bitmap::Minimum() const { return roaring_bitmap_minimum(r_); }
uint32_t Bitmap::Maximum() const { return roaring_bitmap_maximum(r_); }

Bitmap Bitmap::And(const Bitmap& o) const { return Bitmap(roaring_bitmap_and(r_, o.r_)); }
Bitmap Bitmap::Or(const Bitmap& o) const { return Bitmap(roaring_bitmap_or(r_, o.r_)); }
Bitmap Bitmap::AndNot(const Bitmap& o) const { return Bitmap(roaring_bitmap_andnot(r_, o.r_)); }
Bitmap Bitmap::Not(uint32_t num_rows) const { return Bitmap(roaring_bitmap_flip(r_, 0, num_rows)); }

Bitmap Bitmap::OrMany(const std::vector<const Bitmap*>& bitmaps) {
  if (bitmaps.empty()) return Bitmap();
  std::vector<const roaring_bitmap_t*> raw;
  raw.reserve(bitmaps.size());
  for (const Bitmap* b : bitmaps) raw.push_back(b->r_);
  return Bitmap(roaring_bitmap_or_many(raw.size(), raw.data()));
}

size_t Bitmap::RowsInRange(uint32_t begin, uint32_t end, std::vector<uint32_t>* out) const {
  if (end <= begin) return 0;
  roaring_uint32_iterator_t it;
  roaring_init_iterator(r_, &it);
  if (!roaring_move_uint32_iterator_equalorlarger(&it, begin)) return 0;
  size_t added = 0;
  uint32_t buf[1024];
  while (it.has_value && it.current_value < end) {
    uint32_t n = roaring_read_uint32_iterator(&it, buf, 1024);
    for (uint32_t i = 0; i < n; ++i) {
      if (buf[i] >= end) return added;
      out->push_back(buf[i]);
      ++added;
    }
    if (n == 0) break;
  }
  return added;
}

uint64_t Bitmap::CountInRange(uint32_t begin, uint32_t end) const {
  if (end <= begin) return 0;
  uint64_t below_end = end == 0 ? 0 : roaring_bitmap_rank(r_, end - 1);
  uint64_t below_begin = begin == 0 ? 0 : roaring_bitmap_rank(r_, begin - 1);
  return below_end - below_begin;
}

size_t Bitmap::FrozenSize() const { return roaring_bitmap_frozen_size_in_bytes(r_); }

void Bitmap::SerializeFrozen(std::string* out) const {
  size_t base = out->size();
  size_t size = FrozenSize();
  out->resize(base + size);
  roaring_bitmap_frozen_serialize(r_, out->data() + base);
}

}  // namespace strata::segment
