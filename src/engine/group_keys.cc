#include "engine/group_keys.h"

#define XXH_INLINE_ALL  // hashing is per row or per group: no library call
#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <string>

#include "base/arena.h"
#include "engine/internal/kernel_util.h"
#include "engine/row_hash.h"

namespace strata::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::IsNullString;
using types::ColumnType;

namespace {

constexpr uint32_t kNoId = UINT32_MAX;

}  // namespace

// Dense value ids for the values of one key column.
class KeyEncoder {
 public:
  virtual ~KeyEncoder() = default;
  virtual void Encode(const Column& c, int64_t n, uint32_t* ids) = 0;
  /// Like Encode, but values not seen before get kNoId instead of a new id.
  virtual void Lookup(const Column& c, int64_t n, uint32_t* ids) = 0;
  virtual size_t size() const = 0;
  /// A column holding the values of `ids` in order.
  virtual ColumnPtr Emit(const uint32_t* ids, size_t n, size_t stride) const = 0;
  virtual int64_t memory_bytes() const = 0;
};

namespace {

// Open addressing over 64-bit values (longs, or the bits of doubles); NULL has its own id.
class NumberEncoder final : public KeyEncoder {
 public:
  explicit NumberEncoder(ColumnType type) : type_(type), slots_(64, Slot{0, 0}) {}

  void Encode(const Column& c, int64_t n, uint32_t* ids) override {
    for (int64_t i = 0; i < n; ++i) {
      if (internal::NullAt(c, i)) {
        if (null_id_ == kNoId) {
          null_id_ = static_cast<uint32_t>(values_.size());
          values_.push_back(0);
          is_null_.push_back(1);
        }
        ids[i] = null_id_;
        continue;
      }
      uint64_t bits = Bits(c, i);
      // Keys often come in runs (time buckets of time-ordered rows).
      if (bits == last_bits_ && last_id_ != kNoId) {
        ids[i] = last_id_;
        continue;
      }
      last_bits_ = bits;
      last_id_ = Find(bits);
      ids[i] = last_id_;
    }
  }

  void Lookup(const Column& c, int64_t n, uint32_t* ids) override {
    for (int64_t i = 0; i < n; ++i) ids[i] = internal::NullAt(c, i) ? null_id_ : Probe(Bits(c, i));
  }

  size_t size() const override { return values_.size(); }

  ColumnPtr Emit(const uint32_t* ids, size_t n, size_t stride) const override {
    auto c = std::make_shared<Column>();
    c->type = type_;
    c->num_rows = static_cast<int64_t>(n);
    bool any_null = false;
    if (type_ == ColumnType::kLong) {
      c->longs.resize(n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t id = ids[i * stride];
        c->longs[i] = static_cast<int64_t>(values_[id]);
        any_null |= is_null_[id] != 0;
      }
    } else {
      c->doubles.resize(n);
      for (size_t i = 0; i < n; ++i) {
        uint32_t id = ids[i * stride];
        std::memcpy(&c->doubles[i], &values_[id], 8);
        any_null |= is_null_[id] != 0;
      }
    }
    if (any_null) {
      c->nulls.resize(n);
      for (size_t i = 0; i < n; ++i) c->nulls[i] = is_null_[ids[i * stride]];
    }
    return c;
  }

  int64_t memory_bytes() const override { return static_cast<int64_t>(values_.size() * 9 + slots_.size() * sizeof(Slot)); }

 private:
  // A slot holds the value next to its id + 1 (0: empty), so a probe reads one cache line.
  struct Slot {
    uint64_t bits;
    uint32_t id_plus_1;
  };

  // The 64 bits a value is keyed by: the long, or the double's bits (-0.0 as 0.0, one NaN).
  uint64_t Bits(const Column& c, int64_t i) const {
    bool is_long = c.type == ColumnType::kLong;
    if (type_ == ColumnType::kLong) return static_cast<uint64_t>(is_long ? c.longs[i] : internal::LongAt(c, i));
    double d = is_long ? static_cast<double>(c.longs[i]) : c.doubles[i];
    if (d == 0) d = 0;
    if (d != d) d = std::numeric_limits<double>::quiet_NaN();
    uint64_t bits;
    std::memcpy(&bits, &d, 8);
    return bits;
  }

  // The id of `bits`, or kNoId; `*pos` is where it would go.
  uint32_t Probe(uint64_t bits, size_t* pos_out = nullptr) const {
    size_t mask = slots_.size() - 1;
    size_t pos = Mix64(bits) & mask;
    while (true) {
      const Slot& s = slots_[pos];
      if (s.id_plus_1 == 0) break;
      if (s.bits == bits) return s.id_plus_1 - 1;
      pos = (pos + 1) & mask;
    }
    if (pos_out) *pos_out = pos;
    return kNoId;
  }

  uint32_t Find(uint64_t bits) {
    size_t pos = 0;
    uint32_t found = Probe(bits, &pos);
    if (found != kNoId) return found;
    auto id = static_cast<uint32_t>(values_.size());
    values_.push_back(bits);
    is_null_.push_back(0);
    slots_[pos] = Slot{bits, id + 1};
    if (values_.size() * 2 > slots_.size()) Grow();
    return id;
  }

  void Grow() {
    std::vector<Slot> bigger(slots_.size() * 2, Slot{0, 0});
    size_t mask = bigger.size() - 1;
    for (size_t id = 0; id < values_.size(); ++id) {
      if (is_null_[id]) continue;
      size_t pos = Mix64(values_[id]) & mask;
      while (bigger[pos].id_plus_1 != 0) pos = (pos + 1) & mask;
      bigger[pos] = Slot{values_[id], static_cast<uint32_t>(id + 1)};
    }
    slots_ = std::move(bigger);
  }

  ColumnType type_;
  std::vector<uint64_t> values_;
  std::vector<uint8_t> is_null_;
  std::vector<Slot> slots_;
  uint32_t null_id_ = kNoId;
  uint64_t last_bits_ = 0;
  uint32_t last_id_ = kNoId;
};

// Strings (and complex values, compared by bytes). Dictionary-encoded columns translate their
// dictionary ids once per distinct id. Each distinct value is stored once in the arena as
// `u32 id | u32 length | bytes`; a table slot holds 16 bits of the value's hash and the entry's
// address, so a probe reads the slot and, on a likely match, the entry — two cache lines.
class StringEncoder final : public KeyEncoder {
 public:
  explicit StringEncoder(ColumnType type) : type_(type), slots_(64, 0) {}

  void Encode(const Column& c, int64_t n, uint32_t* ids) override {
    if (c.dictionary && !c.ids.empty()) {
      if (dictionary_ != c.dictionary) {
        dictionary_ = c.dictionary;  // held, so the map cannot outlive it
        dictionary_map_.assign(dictionary_->values.size(), kNoId);
      }
      for (int64_t i = 0; i < n; ++i) {
        auto d = static_cast<uint32_t>(c.ids[i]);
        uint32_t id = dictionary_map_[d];
        if (id == kNoId) {
          id = Find(dictionary_->values[d]);
          dictionary_map_[d] = id;
        }
        ids[i] = id;
      }
      return;
    }
    // Batches: hash a batch and prefetch its slots, then the entries those slots point to, then
    // probe — the cache misses of a large table overlap instead of following one another.
    constexpr int64_t kBatch = 16;
    uint64_t hashes[kBatch];
    for (int64_t base = 0; base < n; base += kBatch) {
      int64_t m = std::min(kBatch, n - base);
      size_t mask = slots_.size() - 1;
      for (int64_t j = 0; j < m; ++j) {
        std::string_view v = c.strings[base + j];
        hashes[j] = IsNullString(v) ? 0 : XXH3_64bits(v.data(), v.size());
        __builtin_prefetch(&slots_[hashes[j] & mask]);
      }
      for (int64_t j = 0; j < m; ++j) {
        uint64_t slot = slots_[hashes[j] & mask];
        if (slot != 0) __builtin_prefetch(reinterpret_cast<const char*>(slot & kPointerMask));
      }
      for (int64_t j = 0; j < m; ++j) ids[base + j] = Find(c.strings[base + j], hashes[j]);
    }
  }

  void Lookup(const Column& c, int64_t n, uint32_t* ids) override {
    if (c.dictionary && !c.ids.empty()) {
      // Cached per dictionary id like Encode, with "absent" remembered too.
      constexpr uint32_t kUnknown = kNoId - 1;
      if (lookup_dictionary_ != c.dictionary) {
        lookup_dictionary_ = c.dictionary;
        lookup_map_.assign(lookup_dictionary_->values.size(), kUnknown);
      }
      for (int64_t i = 0; i < n; ++i) {
        auto d = static_cast<uint32_t>(c.ids[i]);
        if (lookup_map_[d] == kUnknown) lookup_map_[d] = Probe(lookup_dictionary_->values[d]);
        ids[i] = lookup_map_[d];
      }
      return;
    }
    for (int64_t i = 0; i < n; ++i) ids[i] = Probe(c.strings[i]);
  }

  size_t size() const override { return values_.size(); }

  ColumnPtr Emit(const uint32_t* ids, size_t n, size_t stride) const override {
    auto c = std::make_shared<Column>();
    c->type = type_;
    c->num_rows = static_cast<int64_t>(n);
    c->strings.resize(n);
    for (size_t i = 0; i < n; ++i) c->strings[i] = values_[ids[i * stride]];
    c->AddOwner(arena_);
    return c;
  }

  int64_t memory_bytes() const override {
    return static_cast<int64_t>(arena_->allocated_bytes() + values_.size() * 24 + slots_.size() * 8 + dictionary_map_.size() * 4);
  }

 private:
  // User-space addresses fit in 48 bits on the 64-bit platforms Strata builds for.
  static constexpr uint64_t kPointerMask = (uint64_t{1} << 48) - 1;
  static_assert(sizeof(void*) == 8, "tagged entry pointers need 64-bit addresses");

  uint32_t Find(std::string_view s) { return Find(s, IsNullString(s) ? 0 : XXH3_64bits(s.data(), s.size())); }

  // The id of `s`, or kNoId (nothing is added).
  uint32_t Probe(std::string_view s) const {
    if (IsNullString(s)) return null_id_;
    uint64_t h = XXH3_64bits(s.data(), s.size());
    uint64_t tag = h & ~kPointerMask;
    size_t mask = slots_.size() - 1;
    for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
      uint64_t slot = slots_[pos];
      if (slot == 0) return kNoId;
      if ((slot & ~kPointerMask) != tag) continue;
      const char* entry = reinterpret_cast<const char*>(slot & kPointerMask);
      uint32_t id, len;
      std::memcpy(&id, entry, 4);
      std::memcpy(&len, entry + 4, 4);
      if (len == s.size() && std::memcmp(entry + 8, s.data(), len) == 0) return id;
    }
  }

  // `h`: the XXH3 hash of `s` (ignored for NULL).
  uint32_t Find(std::string_view s, uint64_t h) {
    if (IsNullString(s)) {
      if (null_id_ == kNoId) {
        null_id_ = static_cast<uint32_t>(values_.size());
        values_.push_back(columnar::kNullString);
        hashes_.push_back(0);
      }
      return null_id_;
    }
    uint64_t tag = h & ~kPointerMask;
    size_t mask = slots_.size() - 1;
    size_t pos = h & mask;
    while (true) {
      uint64_t slot = slots_[pos];
      if (slot == 0) break;
      if ((slot & ~kPointerMask) == tag) {
        const char* entry = reinterpret_cast<const char*>(slot & kPointerMask);
        uint32_t id, len;
        std::memcpy(&id, entry, 4);
        std::memcpy(&len, entry + 4, 4);
        if (len == s.size() && std::memcmp(entry + 8, s.data(), len) == 0) return id;
      }
      pos = (pos + 1) & mask;
    }
    auto id = static_cast<uint32_t>(values_.size());
    char* entry = arena_->Allocate(8 + s.size());
    auto len = static_cast<uint32_t>(s.size());
    std::memcpy(entry, &id, 4);
    std::memcpy(entry + 4, &len, 4);
    std::memcpy(entry + 8, s.data(), s.size());
    values_.emplace_back(entry + 8, s.size());
    hashes_.push_back(h);
    slots_[pos] = tag | reinterpret_cast<uint64_t>(entry);
    if (values_.size() * 2 > slots_.size()) Grow();
    return id;
  }

  void Grow() {
    std::vector<uint64_t> bigger(slots_.size() * 2, 0);
    size_t mask = bigger.size() - 1;
    for (size_t id = 0; id < values_.size(); ++id) {
      if (IsNullString(values_[id])) continue;
      uint64_t h = hashes_[id];
      size_t pos = h & mask;
      while (bigger[pos] != 0) pos = (pos + 1) & mask;
      bigger[pos] = (h & ~kPointerMask) | reinterpret_cast<uint64_t>(values_[id].data() - 8);
    }
    slots_ = std::move(bigger);
  }

  ColumnType type_;
  std::shared_ptr<base::Arena> arena_ = std::make_shared<base::Arena>(1 << 20);
  std::vector<std::string_view> values_;
  std::vector<uint64_t> hashes_;
  std::vector<uint64_t> slots_;
  uint32_t null_id_ = kNoId;
  std::shared_ptr<const columnar::Dictionary> dictionary_;
  std::vector<uint32_t> dictionary_map_;
  std::shared_ptr<const columnar::Dictionary> lookup_dictionary_;
  std::vector<uint32_t> lookup_map_;
};

// Arrays (ARRAY<LONG|DOUBLE|STRING> keys). Each row's array is serialized — the element count,
// then per element a tag (0 NULL, 1 value) and the value: 8 bytes for numbers (-0.0 as 0.0, one
// NaN), length + bytes for strings — and interned by a StringEncoder, so equal arrays get one id;
// Emit decodes the interned bytes back into an array column. A NULL array is a NULL string (its
// own id), distinct from the empty array.
class ArrayEncoder final : public KeyEncoder {
 public:
  explicit ArrayEncoder(ColumnType type) : type_(type), serialized_(ColumnType::kString) {}

  void Encode(const Column& c, int64_t n, uint32_t* ids) override {
    Serialize(c, n);
    serialized_.Encode(scratch_, n, ids);
  }

  void Lookup(const Column& c, int64_t n, uint32_t* ids) override {
    Serialize(c, n);
    serialized_.Lookup(scratch_, n, ids);
  }

  size_t size() const override { return serialized_.size(); }

  ColumnPtr Emit(const uint32_t* ids, size_t n, size_t stride) const override {
    ColumnPtr keys = serialized_.Emit(ids, n, stride);
    auto c = std::make_shared<Column>();
    c->type = type_;
    c->num_rows = static_cast<int64_t>(n);
    c->ShareOwners(*keys);  // string elements point into the interned keys
    c->offsets.reserve(n + 1);
    c->offsets.push_back(0);
    ColumnType element = types::ElementType(type_);
    bool any_null_row = false, any_null_element = false;
    std::vector<uint8_t> element_nulls;
    for (size_t i = 0; i < n; ++i) {
      std::string_view key = keys->strings[i];
      c->nulls.push_back(IsNullString(key) ? 1 : 0);
      if (IsNullString(key)) {
        any_null_row = true;
        c->offsets.push_back(c->offsets.back());
        continue;
      }
      const char* p = key.data();
      uint32_t count;
      std::memcpy(&count, p, 4);
      p += 4;
      for (uint32_t e = 0; e < count; ++e) {
        bool null = *p++ == 0;
        any_null_element |= null;
        element_nulls.push_back(null ? 1 : 0);
        if (element == ColumnType::kString) {
          if (null) {
            c->strings.push_back(columnar::kNullString);
            continue;
          }
          uint32_t len;
          std::memcpy(&len, p, 4);
          c->strings.emplace_back(p + 4, len);
          p += 4 + len;
          continue;
        }
        uint64_t bits = 0;
        if (!null) {
          std::memcpy(&bits, p, 8);
          p += 8;
        }
        if (element == ColumnType::kLong) {
          c->longs.push_back(static_cast<int64_t>(bits));
        } else {
          double d;
          std::memcpy(&d, &bits, 8);
          c->doubles.push_back(d);
        }
      }
      c->offsets.push_back(c->offsets.back() + count);
    }
    if (!any_null_row) c->nulls.clear();
    if (any_null_element && element != ColumnType::kString) c->element_nulls = std::move(element_nulls);
    return c;
  }

  int64_t memory_bytes() const override { return serialized_.memory_bytes() + static_cast<int64_t>(buffer_.capacity()); }

 private:
  // Fills scratch_ with the serialized arrays of rows [0, n) of `c` (an array column; a
  // multi-value or single string column is read as an array of strings).
  void Serialize(const Column& c, int64_t n) {
    buffer_.clear();
    std::vector<size_t> ends(static_cast<size_t>(n));
    std::vector<uint8_t> null_rows(static_cast<size_t>(n));
    ColumnType element = types::ElementType(c.type);
    bool offsets = c.has_offsets();
    for (int64_t r = 0; r < n; ++r) {
      null_rows[r] = internal::NullAt(c, r) ? 1 : 0;
      if (!null_rows[r]) {
        uint32_t begin = offsets ? c.offsets[r] : static_cast<uint32_t>(r);
        uint32_t end = offsets ? c.offsets[r + 1] : static_cast<uint32_t>(r + 1);
        Append32(end - begin);
        for (uint32_t e = begin; e < end; ++e) {
          if (element == ColumnType::kString || element == ColumnType::kComplex) {
            std::string_view v = c.strings[e];
            buffer_.push_back(IsNullString(v) ? 0 : 1);
            if (IsNullString(v)) continue;
            Append32(static_cast<uint32_t>(v.size()));
            buffer_.append(v.data(), v.size());
            continue;
          }
          bool null = offsets ? (!c.element_nulls.empty() && c.element_nulls[e] != 0) : false;
          buffer_.push_back(null ? 0 : 1);
          if (null) continue;
          uint64_t bits;
          if (element == ColumnType::kLong) {
            bits = static_cast<uint64_t>(c.longs[e]);
          } else {
            double d = c.doubles[e];
            if (d == 0) d = 0;
            if (d != d) d = std::numeric_limits<double>::quiet_NaN();
            std::memcpy(&bits, &d, 8);
          }
          buffer_.append(reinterpret_cast<const char*>(&bits), 8);
        }
      }
      ends[r] = buffer_.size();
    }
    scratch_.type = ColumnType::kString;
    scratch_.num_rows = n;
    scratch_.strings.resize(static_cast<size_t>(n));
    size_t begin = 0;
    for (int64_t r = 0; r < n; ++r) {
      scratch_.strings[r] = null_rows[r] ? columnar::kNullString : std::string_view(buffer_.data() + begin, ends[r] - begin);
      begin = ends[r];
    }
  }

  void Append32(uint32_t v) { buffer_.append(reinterpret_cast<const char*>(&v), 4); }

  ColumnType type_;
  StringEncoder serialized_;
  std::string buffer_;  // the serialized arrays of the batch being encoded
  Column scratch_;      // views of buffer_, one per row
};

std::unique_ptr<KeyEncoder> MakeEncoder(ColumnType type) {
  switch (type) {
    case ColumnType::kLong:
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      return std::make_unique<NumberEncoder>(type);
    case ColumnType::kLongArray:
    case ColumnType::kDoubleArray:
    case ColumnType::kStringArray:
      return std::make_unique<ArrayEncoder>(type);
    default:
      return std::make_unique<StringEncoder>(type);
  }
}

}  // namespace

GroupKeyTable::GroupKeyTable(std::vector<ColumnType> key_types) : key_types_(std::move(key_types)) {
  for (ColumnType t : key_types_) encoders_.push_back(MakeEncoder(t));
  if (key_types_.size() == 2) pair_slots_.assign(1024, PairSlot{0, 0});
  if (key_types_.size() > 2) slots_.assign(1024, 0);
}

GroupKeyTable::~GroupKeyTable() = default;

uint32_t GroupKeyTable::GlobalGroup() {
  global_ = true;
  return 0;
}

size_t GroupKeyTable::num_groups() const {
  if (key_types_.empty()) return global_ ? 1 : 0;
  if (by_dictionary_) return group_dictionary_ids_.size() / key_types_.size();
  if (key_types_.size() == 1) return encoders_[0]->size();
  return num_tuples_;
}

bool GroupKeyTable::UsesDictionary(const Column& c) const {
  return group_by_dictionary_ && c.dictionary && !c.ids.empty() && !c.multi_value;
}

void GroupKeyTable::set_group_by_dictionary(bool on) {
  group_by_dictionary_ = on && !key_types_.empty() &&
                         std::all_of(key_types_.begin(), key_types_.end(), [](ColumnType t) { return t == ColumnType::kString; });
}

bool GroupKeyTable::UsesDictionaries(const std::vector<const Column*>& keys) const {
  size_t combinations = 1;
  for (const Column* c : keys) {
    if (!UsesDictionary(*c)) return false;
    combinations *= std::max<size_t>(1, c->dictionary->values.size());
    if (keys.size() > 1 && combinations > kMaxDenseCombinations) return false;
  }
  return true;
}

bool GroupKeyTable::SameDictionaries(const std::vector<const Column*>& keys) const {
  if (!by_dictionary_) return false;
  for (size_t j = 0; j < keys.size(); ++j) {
    if (dictionaries_[j] != keys[j]->dictionary) return false;
  }
  return true;
}

bool GroupKeyTable::NeedsFlush(const std::vector<const Column*>& keys) const {
  if (!group_by_dictionary_ || num_groups() == 0) return false;
  if (UsesDictionaries(keys)) return !SameDictionaries(keys);
  return by_dictionary_;
}

void GroupKeyTable::Assign(const std::vector<const Column*>& keys, int64_t n, uint32_t* groups) {
  size_t k = key_types_.size();
  if (k == 0) {
    GlobalGroup();
    std::fill(groups, groups + n, 0u);
    return;
  }
  if (group_by_dictionary_ && (by_dictionary_ || num_groups() == 0) && UsesDictionaries(keys)) {
    if (!SameDictionaries(keys)) {
      by_dictionary_ = true;
      dictionaries_.clear();
      strides_.assign(k, 1);
      size_t combinations = 1;
      for (size_t j = k; j-- > 0;) {
        dictionaries_.insert(dictionaries_.begin(), keys[j]->dictionary);
        strides_[j] = combinations;
        combinations *= std::max<size_t>(1, keys[j]->dictionary->values.size());
      }
      dictionary_groups_.assign(combinations, kNoId);
      group_dictionary_ids_.clear();
    }
    if (k == 1) {
      const int32_t* ids = keys[0]->ids.data();
      for (int64_t i = 0; i < n; ++i) {
        auto d = static_cast<uint32_t>(ids[i]);
        uint32_t g = dictionary_groups_[d];
        if (g == kNoId) {
          g = static_cast<uint32_t>(group_dictionary_ids_.size());
          group_dictionary_ids_.push_back(static_cast<int32_t>(d));
          dictionary_groups_[d] = g;
        }
        groups[i] = g;
      }
      return;
    }
    for (int64_t i = 0; i < n; ++i) {
      size_t combination = 0;
      for (size_t j = 0; j < k; ++j) combination += static_cast<size_t>(keys[j]->ids[i]) * strides_[j];
      uint32_t g = dictionary_groups_[combination];
      if (g == kNoId) {
        g = static_cast<uint32_t>(group_dictionary_ids_.size() / k);
        for (size_t j = 0; j < k; ++j) group_dictionary_ids_.push_back(keys[j]->ids[i]);
        dictionary_groups_[combination] = g;
      }
      groups[i] = g;
    }
    return;
  }
  if (k == 1) {
    encoders_[0]->Encode(*keys[0], n, groups);
    return;
  }
  scratch_ids_.resize(k);
  for (size_t j = 0; j < k; ++j) {
    scratch_ids_[j].resize(static_cast<size_t>(n));
    encoders_[j]->Encode(*keys[j], n, scratch_ids_[j].data());
  }
  if (k == 2) {
    // Pairs of value ids pack into one word: one probe of a (pair, group) table per row, and none
    // while the pair repeats.
    const uint32_t* a = scratch_ids_[0].data();
    const uint32_t* b = scratch_ids_[1].data();
    for (int64_t i = 0; i < n; ++i) {
      uint64_t pair = (uint64_t{a[i]} << 32) | b[i];
      if (pair == last_pair_ && last_pair_group_ != kNoId) {
        groups[i] = last_pair_group_;
        continue;
      }
      last_pair_ = pair;
      last_pair_group_ = PairGroup(pair);
      groups[i] = last_pair_group_;
    }
    return;
  }
  std::vector<uint32_t> tuple(k);
  for (int64_t i = 0; i < n; ++i) {
    for (size_t j = 0; j < k; ++j) tuple[j] = scratch_ids_[j][i];
    groups[i] = TupleGroup(tuple.data());
  }
}

void GroupKeyTable::Lookup(const std::vector<const Column*>& keys, int64_t n, uint32_t* groups) {
  size_t k = key_types_.size();
  if (k == 0) {
    std::fill(groups, groups + n, global_ ? 0u : kNoId);
    return;
  }
  if (k == 1) {
    encoders_[0]->Lookup(*keys[0], n, groups);
    return;
  }
  scratch_ids_.resize(k);
  for (size_t j = 0; j < k; ++j) {
    scratch_ids_[j].resize(static_cast<size_t>(n));
    encoders_[j]->Lookup(*keys[j], n, scratch_ids_[j].data());
  }
  std::vector<uint32_t> tuple(k);
  for (int64_t i = 0; i < n; ++i) {
    bool known = true;
    for (size_t j = 0; j < k; ++j) {
      tuple[j] = scratch_ids_[j][i];
      known = known && tuple[j] != kNoId;
    }
    if (!known) {
      groups[i] = kNoId;
      continue;
    }
    groups[i] = k == 2 ? PairLookup((uint64_t{tuple[0]} << 32) | tuple[1]) : TupleLookup(tuple.data());
  }
}

uint32_t GroupKeyTable::PairLookup(uint64_t pair) const {
  size_t mask = pair_slots_.size() - 1;
  for (size_t pos = Mix64(pair) & mask;; pos = (pos + 1) & mask) {
    const PairSlot& s = pair_slots_[pos];
    if (s.group_plus_1 == 0) return kNoId;
    if (s.pair == pair) return s.group_plus_1 - 1;
  }
}

uint32_t GroupKeyTable::TupleLookup(const uint32_t* ids) const {
  size_t k = key_types_.size();
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (size_t j = 0; j < k; ++j) h = Mix64(h ^ ids[j]) + j;
  size_t mask = slots_.size() - 1;
  for (size_t pos = h & mask;; pos = (pos + 1) & mask) {
    uint32_t s = slots_[pos];
    if (s == 0) return kNoId;
    uint32_t g = s - 1;
    if (tuple_hashes_[g] != h) continue;
    const uint32_t* t = &tuples_[g * k];
    size_t j = 0;
    while (j < k && t[j] == ids[j]) ++j;
    if (j == k) return g;
  }
}

uint32_t GroupKeyTable::PairGroup(uint64_t pair) {
  size_t mask = pair_slots_.size() - 1;
  size_t pos = Mix64(pair) & mask;
  while (true) {
    const PairSlot& s = pair_slots_[pos];
    if (s.group_plus_1 == 0) break;
    if (s.pair == pair) return s.group_plus_1 - 1;
    pos = (pos + 1) & mask;
  }
  auto g = static_cast<uint32_t>(num_tuples_++);
  tuples_.push_back(static_cast<uint32_t>(pair >> 32));
  tuples_.push_back(static_cast<uint32_t>(pair));
  pair_slots_[pos] = PairSlot{pair, g + 1};
  if (num_tuples_ * 2 > pair_slots_.size()) {
    std::vector<PairSlot> bigger(pair_slots_.size() * 2, PairSlot{0, 0});
    size_t bigger_mask = bigger.size() - 1;
    for (const PairSlot& old : pair_slots_) {
      if (old.group_plus_1 == 0) continue;
      size_t p = Mix64(old.pair) & bigger_mask;
      while (bigger[p].group_plus_1 != 0) p = (p + 1) & bigger_mask;
      bigger[p] = old;
    }
    pair_slots_ = std::move(bigger);
  }
  return g;
}

uint32_t GroupKeyTable::TupleGroup(const uint32_t* ids) {
  size_t k = key_types_.size();
  uint64_t h = 0x9E3779B97F4A7C15ULL;
  for (size_t j = 0; j < k; ++j) h = Mix64(h ^ ids[j]) + j;
  size_t mask = slots_.size() - 1;
  size_t pos = h & mask;
  while (true) {
    uint32_t s = slots_[pos];
    if (s == 0) break;
    uint32_t g = s - 1;
    if (tuple_hashes_[g] == h) {
      const uint32_t* t = &tuples_[g * k];
      size_t j = 0;
      while (j < k && t[j] == ids[j]) ++j;
      if (j == k) return g;
    }
    pos = (pos + 1) & mask;
  }
  auto g = static_cast<uint32_t>(num_tuples_++);
  tuples_.insert(tuples_.end(), ids, ids + k);
  tuple_hashes_.push_back(h);
  slots_[pos] = g + 1;
  if (num_tuples_ * 2 > slots_.size()) GrowTuples();
  return g;
}

void GroupKeyTable::GrowTuples() {
  std::vector<uint32_t> bigger(slots_.size() * 2, 0);
  size_t mask = bigger.size() - 1;
  for (size_t g = 0; g < num_tuples_; ++g) {
    size_t pos = tuple_hashes_[g] & mask;
    while (bigger[pos] != 0) pos = (pos + 1) & mask;
    bigger[pos] = static_cast<uint32_t>(g + 1);
  }
  slots_ = std::move(bigger);
}

std::vector<ColumnPtr> GroupKeyTable::EmitKeys(size_t begin, size_t end) const {
  std::vector<ColumnPtr> out;
  size_t k = key_types_.size();
  size_t n = end - begin;
  if (by_dictionary_) {
    for (size_t j = 0; j < k; ++j) {
      auto c = std::make_shared<Column>();
      c->type = key_types_[j];
      c->num_rows = static_cast<int64_t>(n);
      c->strings.resize(n);
      const auto& values = dictionaries_[j]->values;
      for (size_t i = 0; i < n; ++i) c->strings[i] = values[group_dictionary_ids_[(begin + i) * k + j]];
      c->AddOwner(dictionaries_[j]);  // the dictionary keeps its bytes alive
      out.push_back(c);
    }
    return out;
  }
  if (k == 1) {
    std::vector<uint32_t> ids(n);
    for (size_t i = 0; i < n; ++i) ids[i] = static_cast<uint32_t>(begin + i);
    out.push_back(encoders_[0]->Emit(ids.data(), n, 1));
    return out;
  }
  for (size_t j = 0; j < k; ++j) out.push_back(encoders_[j]->Emit(tuples_.data() + begin * k + j, n, k));
  return out;
}

std::vector<uint32_t> GroupKeyTable::DictionaryOrder() const {
  std::vector<uint32_t> order;
  if (!by_dictionary_) return order;
  order.reserve(num_groups());
  for (uint32_t g : dictionary_groups_) {
    if (g != kNoId) order.push_back(g);
  }
  return order;
}

int64_t GroupKeyTable::memory_bytes() const {
  int64_t total = static_cast<int64_t>(tuples_.size() * 4 + tuple_hashes_.size() * 8 + slots_.size() * 4 +
                                       pair_slots_.size() * sizeof(PairSlot) +
                                       dictionary_groups_.size() * 4 + group_dictionary_ids_.size() * 4);
  for (const auto& e : encoders_) total += e->memory_bytes();
  return total;
}

}  // namespace strata::engine
