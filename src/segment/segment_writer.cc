#include "segment/segment_writer.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>
#include <limits>
#include <numeric>
#include <tuple>

#include "base/arena.h"
#include "base/ids.h"
#include "segment/bitmap.h"
#include "segment/column_codec.h"
#include "segment/segment_format.h"

namespace strata::segment {

using columnar::Column;
using columnar::IsNullString;
using internal::StreamKind;
using types::ColumnType;

namespace {

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

void PutString16(std::string* out, const std::string& s) {
  Put<uint16_t>(out, static_cast<uint16_t>(s.size()));
  out->append(s);
}

struct StreamData {
  StreamKind kind;
  std::string bytes;
};

// Interns strings: value -> dense temporary id, in arrival order. A slot holds the upper half of
// the value's hash next to id + 1 (0: empty), so a probe touches the value only on a likely match.
class StringInterner {
 public:
  StringInterner() : slots_(1024, 0) {}

  int32_t Intern(std::string_view s) {
    uint64_t h = XXH3_64bits(s.data(), s.size());
    uint64_t tag = h & 0xFFFFFFFF00000000ULL;
    size_t mask = slots_.size() - 1;
    size_t pos = h & mask;
    while (true) {
      uint64_t slot = slots_[pos];
      if (slot == 0) break;
      if ((slot & 0xFFFFFFFF00000000ULL) == tag) {
        auto id = static_cast<int32_t>((slot & 0xFFFFFFFFULL) - 1);
        if (values_[id] == s) return id;
      }
      pos = (pos + 1) & mask;
    }
    auto id = static_cast<int32_t>(values_.size());
    values_.push_back(arena_.Copy(s));
    hashes_.push_back(h);
    slots_[pos] = tag | static_cast<uint64_t>(id + 1);
    if (values_.size() * 2 > slots_.size()) Grow();
    return id;
  }

  const std::vector<std::string_view>& values() const { return values_; }
  size_t memory_bytes() const { return arena_.allocated_bytes() + slots_.size() * 8 + values_.size() * 24; }

 private:
  void Grow() {
    std::vector<uint64_t> slots(slots_.size() * 2, 0);
    size_t mask = slots.size() - 1;
    for (size_t id = 0; id < values_.size(); ++id) {
      uint64_t h = hashes_[id];
      size_t pos = h & mask;
      while (slots[pos] != 0) pos = (pos + 1) & mask;
      slots[pos] = (h & 0xFFFFFFFF00000000ULL) | static_cast<uint64_t>(id + 1);
    }
    slots_ = std::move(slots);
  }

  base::Arena arena_;
  std::vector<uint64_t> slots_;
  std::vector<std::string_view> values_;
  std::vector<uint64_t> hashes_;
};

// The ids of `values` (distinct strings) in ascending byte order: a multikey sort on 8-byte
// big-endian words, so comparisons are integer compares and each string is read once per word
// that its neighbours share, instead of once per comparison.
std::vector<int32_t> SortedOrder(const std::vector<std::string_view>& values) {
  struct Key {
    uint64_t word;  // bytes [8 * depth, 8 * depth + 8) of the value, zero padded
    uint32_t end;   // the value's size if it ends within this word, else UINT32_MAX
    int32_t id;
  };
  std::vector<Key> keys(values.size());
  for (size_t i = 0; i < values.size(); ++i) keys[i].id = static_cast<int32_t>(i);
  auto fill = [&](size_t lo, size_t hi, size_t depth) {
    size_t offset = 8 * depth;
    for (size_t i = lo; i < hi; ++i) {
      std::string_view v = values[keys[i].id];
      unsigned char bytes[8] = {0, 0, 0, 0, 0, 0, 0, 0};
      if (v.size() > offset) std::memcpy(bytes, v.data() + offset, std::min<size_t>(8, v.size() - offset));
      uint64_t word = 0;
      for (unsigned char b : bytes) word = word << 8 | b;
      keys[i].word = word;
      keys[i].end = v.size() <= offset + 8 ? static_cast<uint32_t>(v.size()) : UINT32_MAX;
    }
    std::sort(keys.begin() + lo, keys.begin() + hi, [](const Key& a, const Key& b) {
      return a.word != b.word ? a.word < b.word : a.end < b.end;
    });
  };
  // Ranges of keys that share their first 8 * depth bytes and still need ordering.
  std::vector<std::tuple<size_t, size_t, size_t>> todo = {{0, keys.size(), 0}};
  while (!todo.empty()) {
    auto [lo, hi, depth] = todo.back();
    todo.pop_back();
    fill(lo, hi, depth);
    for (size_t i = lo; i < hi;) {
      size_t j = i + 1;
      while (j < hi && keys[j].word == keys[i].word && keys[j].end == keys[i].end) ++j;
      // Equal words with both values going on: order them by their next word.
      if (j - i > 1 && keys[i].end == UINT32_MAX) todo.emplace_back(i, j, depth + 1);
      i = j;
    }
  }
  std::vector<int32_t> order(values.size());
  for (size_t i = 0; i < keys.size(); ++i) order[i] = keys[i].id;
  return order;
}
}  // namespace

// Accumulates one column's values until the file is written.
class ColumnAccumulator {
 public:
  ColumnAccumulator(const SegmentColumnSchema& schema, const SegmentWriterOptions& options)
      : schema_(schema), options_(options) {}

  Status Append(const Column& c) {
    switch (schema_.type) {
      case ColumnType::kLong:
        if (c.type != ColumnType::kLong) return TypeError(c);
        longs_.insert(longs_.end(), c.longs.begin(), c.longs.end());
        AppendNulls(c);
        break;
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        if (c.type != ColumnType::kFloat && c.type != ColumnType::kDouble) return TypeError(c);
        doubles_.insert(doubles_.end(), c.doubles.begin(), c.doubles.end());
        AppendNulls(c);
        break;
      case ColumnType::kString:
        if (c.type != ColumnType::kString) return TypeError(c);
        AppendStrings(c);
        break;
      case ColumnType::kComplex:
        if (c.type != ColumnType::kComplex) return TypeError(c);
        for (int64_t i = 0; i < c.num_rows; ++i) {
          std::string_view v = c.strings[i];
          bool null = IsNullString(v);
          blobs_.push_back(null ? columnar::kNullString : blob_arena_.Copy(v));
          if (null && nulls_.empty()) nulls_.assign(num_rows_ + i, 0);
          if (null || !nulls_.empty()) nulls_.push_back(null ? 1 : 0);  // (assign above may leave it empty)
        }
        break;
      case ColumnType::kLongArray:
      case ColumnType::kDoubleArray:
      case ColumnType::kStringArray: {
        // One blob per row (column_codec.h), stored like complex values.
        if (c.type != schema_.type) return TypeError(c);
        std::string row;
        for (int64_t i = 0; i < c.num_rows; ++i) {
          bool null = c.IsNull(i);
          if (null) {
            blobs_.push_back(columnar::kNullString);
          } else {
            row.clear();
            internal::EncodeArrayRow(c, i, &row);
            blobs_.push_back(blob_arena_.Copy(row));
          }
          if (null && nulls_.empty()) nulls_.assign(num_rows_ + i, 0);
          if (null || !nulls_.empty()) nulls_.push_back(null ? 1 : 0);  // (assign above may leave it empty)
        }
        break;
      }
      default:
        return Status::Unsupported("column [" + schema_.name + "] of type [" +
                                   std::string(types::NativeTypeName(schema_.type)) + "] cannot be stored yet");
    }
    num_rows_ += c.num_rows;
    return Status::OK();
  }

  size_t memory_bytes() const {
    return longs_.size() * 8 + doubles_.size() * 8 + nulls_.size() + ids_.size() * 4 + counts_.size() * 4 +
           interner_.memory_bytes() + blobs_.size() * 16 + blob_arena_.allocated_bytes();
  }

  // Builds the column's streams and footer entry fields.
  void Build(std::vector<StreamData>* streams) {
    switch (schema_.type) {
      case ColumnType::kLong:
        BuildLongs(streams);
        break;
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        BuildDoubles(streams);
        break;
      case ColumnType::kComplex:
      case ColumnType::kLongArray:
      case ColumnType::kDoubleArray:
      case ColumnType::kStringArray:
        BuildBlobs(streams);
        break;
      default:
        BuildStrings(streams);
        break;
    }
  }

  const SegmentColumnSchema& schema() const { return schema_; }
  bool multi_value() const { return multi_value_; }
  bool has_nulls() const { return has_nulls_; }
  int32_t cardinality() const { return cardinality_; }
  bool has_min_max() const { return has_min_max_; }
  int64_t min_long = 0, max_long = 0;
  double min_double = 0, max_double = 0;

 private:
  Status TypeError(const Column& c) const {
    return Status::Internal("column [" + schema_.name + "] expects " + std::string(types::NativeTypeName(schema_.type)) +
                            " but got " + std::string(types::NativeTypeName(c.type)));
  }

  void AppendNulls(const Column& c) {
    if (c.has_nulls()) {
      if (nulls_.empty()) nulls_.assign(num_rows_, 0);
      nulls_.insert(nulls_.end(), c.nulls.begin(), c.nulls.end());
    } else if (!nulls_.empty()) {
      nulls_.insert(nulls_.end(), c.num_rows, 0);
    }
  }

  void AppendStrings(const Column& c) {
    if (c.multi_value && !multi_value_) {
      // Switch to multi-value layout: every earlier row has 0 (NULL) or 1 element.
      multi_value_ = true;
      counts_.reserve(num_rows_ + c.num_rows);
      for (int32_t id : ids_) counts_.push_back(id < 0 ? 0 : 1);
      std::vector<int32_t> elements;
      for (int32_t id : ids_) {
        if (id >= 0) elements.push_back(id);
      }
      ids_ = std::move(elements);
    }
    if (!multi_value_) {
      for (int64_t i = 0; i < c.num_rows; ++i) {
        std::string_view s = c.strings[i];
        ids_.push_back(IsNullString(s) ? -1 : interner_.Intern(s));
      }
      return;
    }
    for (int64_t r = 0; r < c.num_rows; ++r) {
      if (!c.multi_value) {
        std::string_view s = c.strings[r];
        if (IsNullString(s)) {
          counts_.push_back(0);
        } else {
          counts_.push_back(1);
          ids_.push_back(interner_.Intern(s));
        }
        continue;
      }
      uint32_t begin = c.offsets[r], end = c.offsets[r + 1];
      uint32_t count = 0;
      for (uint32_t e = begin; e < end; ++e) {
        std::string_view s = c.strings[e];
        // A NULL element inside a multi-value row is kept as the empty... Druid stores it as null;
        // we store it as the NULL id.
        ids_.push_back(IsNullString(s) ? -1 : interner_.Intern(s));
        ++count;
      }
      counts_.push_back(count);
    }
  }

  void BuildNullBitmap(std::vector<StreamData>* streams) {
    has_nulls_ = std::find(nulls_.begin(), nulls_.end(), 1) != nulls_.end();
    if (!has_nulls_) return;
    std::vector<uint32_t> rows;
    for (size_t i = 0; i < nulls_.size(); ++i) {
      if (nulls_[i]) rows.push_back(static_cast<uint32_t>(i));
    }
    StreamData s{StreamKind::kNulls, {}};
    Bitmap::FromSorted(rows.data(), rows.size()).SerializeFrozen(&s.bytes);
    streams->push_back(std::move(s));
  }

  void BuildLongs(std::vector<StreamData>* streams) {
    internal::BlockedStreamWriter w(options_.codec, options_.block_rows);
    std::string raw;
    for (size_t start = 0; start < longs_.size(); start += options_.block_rows) {
      size_t n = std::min<size_t>(options_.block_rows, longs_.size() - start);
      raw.clear();
      internal::EncodeLongBlock(longs_.data() + start, n, &raw);
      w.AddBlock(raw, static_cast<uint32_t>(n));
    }
    for (size_t i = 0; i < longs_.size(); ++i) {
      if (!nulls_.empty() && nulls_[i]) continue;
      if (!has_min_max_) {
        min_long = max_long = longs_[i];
        has_min_max_ = true;
      } else {
        min_long = std::min(min_long, longs_[i]);
        max_long = std::max(max_long, longs_[i]);
      }
    }
    StreamData s{StreamKind::kValues, {}};
    w.Finish(&s.bytes);
    streams->push_back(std::move(s));
    BuildNullBitmap(streams);
  }

  void BuildDoubles(std::vector<StreamData>* streams) {
    bool is_float = schema_.type == ColumnType::kFloat;
    internal::BlockedStreamWriter w(options_.codec, options_.block_rows);
    std::string raw;
    for (size_t start = 0; start < doubles_.size(); start += options_.block_rows) {
      size_t n = std::min<size_t>(options_.block_rows, doubles_.size() - start);
      raw.clear();
      if (is_float) {
        raw.resize(n * 4);
        for (size_t i = 0; i < n; ++i) {
          float f = static_cast<float>(doubles_[start + i]);
          std::memcpy(raw.data() + 4 * i, &f, 4);
        }
      } else {
        raw.assign(reinterpret_cast<const char*>(doubles_.data() + start), n * 8);
      }
      w.AddBlock(raw, static_cast<uint32_t>(n));
    }
    for (size_t i = 0; i < doubles_.size(); ++i) {
      if (!nulls_.empty() && nulls_[i]) continue;
      double v = doubles_[i];
      if (!has_min_max_) {
        min_double = max_double = v;
        has_min_max_ = true;
      } else {
        min_double = std::min(min_double, v);
        max_double = std::max(max_double, v);
      }
    }
    StreamData s{StreamKind::kValues, {}};
    w.Finish(&s.bytes);
    streams->push_back(std::move(s));
    BuildNullBitmap(streams);
  }

  // Complex values (sketches): blocks of `u32 count | u32 offsets[count + 1] | bytes`.
  void BuildBlobs(std::vector<StreamData>* streams) {
    internal::BlockedStreamWriter w(options_.codec, options_.block_rows);
    std::string raw;
    for (size_t start = 0; start < blobs_.size(); start += options_.block_rows) {
      size_t n = std::min<size_t>(options_.block_rows, blobs_.size() - start);
      raw.clear();
      Put<uint32_t>(&raw, static_cast<uint32_t>(n));
      uint32_t pos = 0;
      Put<uint32_t>(&raw, 0);
      for (size_t i = 0; i < n; ++i) {
        pos += static_cast<uint32_t>(blobs_[start + i].size());
        Put<uint32_t>(&raw, pos);
      }
      for (size_t i = 0; i < n; ++i) raw.append(blobs_[start + i].data() ? blobs_[start + i].data() : "", blobs_[start + i].size());
      w.AddBlock(raw, static_cast<uint32_t>(n));
    }
    StreamData s{StreamKind::kValues, {}};
    w.Finish(&s.bytes);
    streams->push_back(std::move(s));
    BuildNullBitmap(streams);
  }

 public:
  // String columns: turns the arrival-order ids into final ids (NULL first when present, then the
  // values in byte order) and sorts the elements within each multi-value row (Druid's default
  // multiValueHandling SORTED_ARRAY). Idempotent; Build calls it when the writer has not.
  void FinalizeIds() {
    if (ids_final_ || schema_.type != ColumnType::kString) return;
    ids_final_ = true;
    if (multi_value_ && std::all_of(counts_.begin(), counts_.end(), [](uint32_t c) { return c <= 1; })) {
      // No row has more than one value: store a plain single-valued column (as Druid does).
      std::vector<int32_t> single(counts_.size());
      size_t e = 0;
      for (size_t r = 0; r < counts_.size(); ++r) single[r] = counts_[r] == 0 ? -1 : ids_[e++];
      ids_ = std::move(single);
      counts_.clear();
      multi_value_ = false;
    }
    const auto& values = interner_.values();
    int32_t num_values = static_cast<int32_t>(values.size());
    has_nulls_ = std::find(ids_.begin(), ids_.end(), -1) != ids_.end();
    if (multi_value_) has_nulls_ |= std::find(counts_.begin(), counts_.end(), 0u) != counts_.end();
    dict_order_ = SortedOrder(values);
    int32_t shift = has_nulls_ ? 1 : 0;
    std::vector<int32_t> remap(num_values);
    for (int32_t rank = 0; rank < num_values; ++rank) remap[dict_order_[rank]] = rank + shift;
    cardinality_ = num_values + shift;
    for (int32_t& id : ids_) id = id < 0 ? 0 : remap[id];
    if (multi_value_) {
      element_starts_.resize(counts_.size() + 1);
      element_starts_[0] = 0;
      for (size_t r = 0; r < counts_.size(); ++r) {
        element_starts_[r + 1] = element_starts_[r] + counts_[r];
        if (schema_.sort_elements) std::sort(ids_.begin() + element_starts_[r], ids_.begin() + element_starts_[r + 1]);
      }
    }
  }

  // Compares rows `a` and `b` on this column (NULL first); after FinalizeIds.
  int CompareRows(uint32_t a, uint32_t b) const {
    auto null_at = [&](uint32_t r) { return !nulls_.empty() && nulls_[r]; };
    switch (schema_.type) {
      case ColumnType::kLong:
      case ColumnType::kFloat:
      case ColumnType::kDouble: {
        bool na = null_at(a), nb = null_at(b);
        if (na || nb) return na == nb ? 0 : (na ? -1 : 1);
        if (schema_.type == ColumnType::kLong) return longs_[a] < longs_[b] ? -1 : (longs_[a] > longs_[b] ? 1 : 0);
        return doubles_[a] < doubles_[b] ? -1 : (doubles_[a] > doubles_[b] ? 1 : 0);
      }
      case ColumnType::kString: {
        if (!multi_value_) return ids_[a] < ids_[b] ? -1 : (ids_[a] > ids_[b] ? 1 : 0);
        // Element arrays compare lexicographically; an empty row (NULL) sorts first.
        uint32_t ia = element_starts_[a], ea = element_starts_[a + 1];
        uint32_t ib = element_starts_[b], eb = element_starts_[b + 1];
        for (; ia < ea && ib < eb; ++ia, ++ib) {
          if (ids_[ia] != ids_[ib]) return ids_[ia] < ids_[ib] ? -1 : 1;
        }
        return (ea - ia) == (eb - ib) ? 0 : (ia == ea ? -1 : 1);
      }
      case ColumnType::kLongArray:
      case ColumnType::kDoubleArray:
      case ColumnType::kStringArray: {
        // A stable order (NULL first, then by encoded bytes), so equal arrays are adjacent.
        bool na = null_at(a), nb = null_at(b);
        if (na || nb) return na == nb ? 0 : (na ? -1 : 1);
        int c = blobs_[a].compare(blobs_[b]);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
      default:
        return 0;
    }
  }

  // Reorders the rows: row i becomes old row perm[i].
  void Permute(const std::vector<uint32_t>& perm) {
    auto gather = [&](auto& v) {
      if (v.empty()) return;
      std::remove_reference_t<decltype(v)> out(perm.size());
      for (size_t i = 0; i < perm.size(); ++i) out[i] = v[perm[i]];
      v = std::move(out);
    };
    gather(longs_);
    gather(doubles_);
    gather(nulls_);
    gather(blobs_);
    if (schema_.type != ColumnType::kString) return;
    FinalizeIds();
    if (!multi_value_) {
      gather(ids_);
      return;
    }
    std::vector<int32_t> ids;
    std::vector<uint32_t> counts(perm.size());
    std::vector<uint32_t> starts(perm.size() + 1, 0);
    ids.reserve(ids_.size());
    for (size_t i = 0; i < perm.size(); ++i) {
      uint32_t r = perm[i];
      counts[i] = counts_[r];
      ids.insert(ids.end(), ids_.begin() + element_starts_[r], ids_.begin() + element_starts_[r + 1]);
      starts[i + 1] = starts[i] + counts[i];
    }
    ids_ = std::move(ids);
    counts_ = std::move(counts);
    element_starts_ = std::move(starts);
  }

 private:
  void BuildStrings(std::vector<StreamData>* streams) {
    FinalizeIds();
    const auto& values = interner_.values();
    int32_t num_values = static_cast<int32_t>(values.size());
    const std::vector<int32_t>& order = dict_order_;

    // Dictionary stream: u32 count | u32 offsets[count + 1] | bytes (NULL is not stored).
    StreamData dict{StreamKind::kDictionary, {}};
    Put<uint32_t>(&dict.bytes, static_cast<uint32_t>(num_values));
    uint32_t pos = 0;
    Put<uint32_t>(&dict.bytes, 0);
    for (int32_t rank = 0; rank < num_values; ++rank) {
      pos += static_cast<uint32_t>(values[order[rank]].size());
      Put<uint32_t>(&dict.bytes, pos);
    }
    for (int32_t rank = 0; rank < num_values; ++rank) dict.bytes.append(values[order[rank]]);
    streams->push_back(std::move(dict));

    int64_t num_rows = num_rows_;
    std::vector<uint32_t> row_of_element;  // multi-value: owning row of each element
    if (multi_value_) {
      size_t e = 0;
      row_of_element.resize(ids_.size());
      for (int64_t r = 0; r < num_rows; ++r) {
        for (uint32_t k = 0; k < counts_[r]; ++k) row_of_element[e + k] = static_cast<uint32_t>(r);
        e += counts_[r];
      }
      // Counts stream (row blocks) and element id stream aligned to the same row blocks.
      internal::BlockedStreamWriter cw(options_.codec, options_.block_rows);
      internal::BlockedStreamWriter iw(options_.codec, options_.block_rows);
      std::string raw;
      std::vector<int64_t> counts64;
      size_t elem = 0;
      for (int64_t start = 0; start < num_rows; start += options_.block_rows) {
        int64_t n = std::min<int64_t>(options_.block_rows, num_rows - start);
        counts64.assign(counts_.begin() + start, counts_.begin() + start + n);
        raw.clear();
        internal::EncodeLongBlock(counts64.data(), static_cast<size_t>(n), &raw);
        cw.AddBlock(raw, static_cast<uint32_t>(n));
        size_t block_elems = 0;
        for (int64_t r = start; r < start + n; ++r) block_elems += counts_[r];
        raw.clear();
        internal::EncodeIdBlock(ids_.data() + elem, block_elems, cardinality_, &raw);
        iw.AddBlock(raw, static_cast<uint32_t>(block_elems));
        elem += block_elems;
      }
      StreamData cs{StreamKind::kCounts, {}};
      cw.Finish(&cs.bytes);
      streams->push_back(std::move(cs));
      StreamData is{StreamKind::kIds, {}};
      iw.Finish(&is.bytes);
      streams->push_back(std::move(is));
    } else {
      internal::BlockedStreamWriter iw(options_.codec, options_.block_rows);
      std::string raw;
      for (int64_t start = 0; start < num_rows; start += options_.block_rows) {
        int64_t n = std::min<int64_t>(options_.block_rows, num_rows - start);
        raw.clear();
        internal::EncodeIdBlock(ids_.data() + start, static_cast<size_t>(n), cardinality_, &raw);
        iw.AddBlock(raw, static_cast<uint32_t>(n));
      }
      StreamData is{StreamKind::kIds, {}};
      iw.Finish(&is.bytes);
      streams->push_back(std::move(is));
    }

    // Bitmap index: counting sort of rows by id, then one frozen bitmap per id.
    std::vector<uint32_t> starts(cardinality_ + 1, 0);
    for (int32_t id : ids_) ++starts[id + 1];
    std::partial_sum(starts.begin(), starts.end(), starts.begin());
    std::vector<uint32_t> rows(ids_.size());
    std::vector<uint32_t> cursor(starts.begin(), starts.end() - 1);
    for (size_t e = 0; e < ids_.size(); ++e) {
      uint32_t row = multi_value_ ? row_of_element[e] : static_cast<uint32_t>(e);
      rows[cursor[ids_[e]]++] = row;
    }
    streams->push_back(BuildIndex(rows, starts));
    if (has_nulls_ && cardinality_ > 0 && multi_value_) {
      // Rows with zero elements are NULL too: fold them into the NULL id's bitmap at read time
      // through the null stream.
      std::vector<uint32_t> null_rows;
      size_t e = 0;
      for (int64_t r = 0; r < num_rows; ++r) {
        bool is_null = counts_[r] == 0;
        for (uint32_t k = 0; k < counts_[r]; ++k) is_null |= ids_[e + k] == 0;
        e += counts_[r];
        if (is_null) null_rows.push_back(static_cast<uint32_t>(r));
      }
      StreamData ns{StreamKind::kNulls, {}};
      Bitmap::FromSorted(null_rows.data(), null_rows.size()).SerializeFrozen(&ns.bytes);
      streams->push_back(std::move(ns));
    }
  }

  // The bitmap index of a string column from its rows grouped by id (rows[starts[id]..starts[id+1])).
  // Values on few rows store the rows themselves, the others a frozen bitmap (kIndex); a column
  // whose offsets or sizes do not fit the kIndex entry falls back to bitmaps only (kBitmaps).
  StreamData BuildIndex(std::vector<uint32_t>& rows, const std::vector<uint32_t>& starts) const {
    using internal::kIndexListFlag;
    using internal::kIndexSizeShift;
    StreamData index{StreamKind::kIndex, {}};
    std::string& out = index.bytes;
    Put<uint32_t>(&out, static_cast<uint32_t>(cardinality_));
    Put<uint32_t>(&out, 0);
    size_t entries_pos = out.size();
    out.resize(entries_pos + 8 * static_cast<size_t>(cardinality_));
    std::vector<uint64_t> entries(cardinality_);
    bool fits = true;
    for (int32_t id = 0; id < cardinality_ && fits; ++id) {
      uint32_t* begin = rows.data() + starts[id];
      uint32_t* end = rows.data() + starts[id + 1];
      if (multi_value_) end = std::unique(begin, end);  // a value repeated within one row
      auto n = static_cast<uint32_t>(end - begin);
      uint64_t size;
      uint64_t flag = 0;
      if (n <= internal::kIndexMaxListRows) {
        while (out.size() % 4 != 0) out.push_back('\0');
        flag = kIndexListFlag;
        size = n;
        entries[id] = out.size();
        out.append(reinterpret_cast<const char*>(begin), 4 * static_cast<size_t>(n));
      } else {
        while (out.size() % internal::kStreamAlignment != 0) out.push_back('\0');
        entries[id] = out.size();
        Bitmap::FromSorted(begin, n).SerializeFrozen(&out);
        size = out.size() - entries[id];
      }
      fits = size <= std::min(internal::kIndexMaxSize, options_.max_index_bitmap_bytes) &&
             entries[id] <= internal::kIndexMaxOffset;
      entries[id] |= flag | size << kIndexSizeShift;
    }
    if (!fits) return BuildBitmaps(rows, starts);
    if (cardinality_ > 0) std::memcpy(out.data() + entries_pos, entries.data(), 8 * entries.size());
    return index;
  }

  // The kBitmaps layout: u32 count | u32 zero | {u64 offset, u64 length}[count], one frozen bitmap
  // per id, 32-byte aligned.
  StreamData BuildBitmaps(std::vector<uint32_t>& rows, const std::vector<uint32_t>& starts) const {
    StreamData bm{StreamKind::kBitmaps, {}};
    Put<uint32_t>(&bm.bytes, static_cast<uint32_t>(cardinality_));
    Put<uint32_t>(&bm.bytes, 0);
    size_t entries_pos = bm.bytes.size();
    bm.bytes.resize(entries_pos + 16 * static_cast<size_t>(cardinality_));
    std::vector<uint64_t> entries(2 * static_cast<size_t>(cardinality_));
    for (int32_t id = 0; id < cardinality_; ++id) {
      while (bm.bytes.size() % internal::kStreamAlignment != 0) bm.bytes.push_back('\0');
      entries[2 * id] = bm.bytes.size();
      uint32_t* begin = rows.data() + starts[id];
      uint32_t* end = rows.data() + starts[id + 1];
      if (multi_value_) end = std::unique(begin, end);
      Bitmap::FromSorted(begin, static_cast<size_t>(end - begin)).SerializeFrozen(&bm.bytes);
      entries[2 * id + 1] = bm.bytes.size() - entries[2 * id];
    }
    if (cardinality_ > 0) std::memcpy(bm.bytes.data() + entries_pos, entries.data(), 8 * entries.size());
    return bm;
  }

  SegmentColumnSchema schema_;
  const SegmentWriterOptions& options_;
  int64_t num_rows_ = 0;
  std::vector<int64_t> longs_;
  std::vector<double> doubles_;
  std::vector<uint8_t> nulls_;
  StringInterner interner_;
  std::vector<std::string_view> blobs_;  // complex values
  base::Arena blob_arena_;
  std::vector<int32_t> ids_;       // arrival-order ids, -1 = NULL; final ids after FinalizeIds
  std::vector<uint32_t> counts_;   // multi-value element counts per row
  std::vector<uint32_t> element_starts_;  // multi-value: first element of each row (after FinalizeIds)
  std::vector<int32_t> dict_order_;       // arrival-order ids in byte order of their values
  bool ids_final_ = false;
  bool multi_value_ = false;
  bool has_nulls_ = false;
  bool has_min_max_ = false;
  int32_t cardinality_ = -1;
};

SegmentWriter::SegmentWriter(std::vector<SegmentColumnSchema> schema, types::Interval interval,
                             SegmentWriterOptions options)
    : schema_(std::move(schema)), interval_(interval), options_(std::move(options)) {
  for (const auto& s : schema_) columns_.push_back(std::make_unique<ColumnAccumulator>(s, options_));
}

SegmentWriter::~SegmentWriter() = default;

Status SegmentWriter::Append(const columnar::Frame& frame) {
  if (frame.num_columns() != static_cast<int>(schema_.size())) {
    return Status::Internal("segment writer expects " + std::to_string(schema_.size()) + " columns, got " +
                            std::to_string(frame.num_columns()));
  }
  std::vector<Status> results(columns_.size());
  ForEachColumn(columns_.size(), [&](size_t i) { results[i] = columns_[i]->Append(*frame.columns[i]); });
  for (const Status& st : results) RETURN_IF_ERROR(st);
  num_rows_ += frame.num_rows;
  return Status::OK();
}

void SegmentWriter::ForEachColumn(size_t n, const std::function<void(size_t)>& fn) {
  if (options_.pool == nullptr) {
    for (size_t i = 0; i < n; ++i) fn(i);
    return;
  }
  options_.pool->ParallelFor(static_cast<int64_t>(n), [&](int64_t i) { fn(static_cast<size_t>(i)); });
}

void SegmentWriter::SortRows() {
  if (options_.sort_columns.empty() || num_rows_ < 2) return;
  std::vector<const ColumnAccumulator*> keys;
  ForEachColumn(options_.sort_columns.size(), [&](size_t k) { columns_[options_.sort_columns[k]]->FinalizeIds(); });
  for (int c : options_.sort_columns) keys.push_back(columns_[c].get());
  std::vector<uint32_t> perm(static_cast<size_t>(num_rows_));
  std::iota(perm.begin(), perm.end(), 0u);
  std::sort(perm.begin(), perm.end(), [&](uint32_t a, uint32_t b) {
    for (const ColumnAccumulator* k : keys) {
      int c = k->CompareRows(a, b);
      if (c != 0) return c < 0;
    }
    return a < b;
  });
  if (std::is_sorted(perm.begin(), perm.end())) return;  // arrived in order
  ForEachColumn(columns_.size(), [&](size_t i) { columns_[i]->Permute(perm); });
}

int64_t SegmentWriter::memory_bytes() const {
  int64_t total = 0;
  for (const auto& c : columns_) total += static_cast<int64_t>(c->memory_bytes());
  return total;
}

namespace {

// Appends to a file while tracking the offset and the running checksum.
class ChecksummedFile {
 public:
  explicit ChecksummedFile(io::WritableFile* file) : file_(file) { state_ = XXH64_createState(); XXH64_reset(state_, 0); }
  ~ChecksummedFile() { XXH64_freeState(state_); }
  Status Append(std::string_view data) {
    XXH64_update(state_, data.data(), data.size());
    offset_ += data.size();
    return file_->Append(data);
  }
  Status PadTo(uint64_t alignment) {
    static const char kZeros[64] = {};
    uint64_t pad = (alignment - offset_ % alignment) % alignment;
    return pad ? Append(std::string_view(kZeros, pad)) : Status::OK();
  }
  uint64_t offset() const { return offset_; }
  uint64_t digest() const { return XXH64_digest(state_); }

 private:
  io::WritableFile* file_;
  XXH64_state_t* state_;
  uint64_t offset_ = 0;
};

}  // namespace

Result<SegmentFileInfo> SegmentWriter::Write(io::FileSystem* fs, const std::string& path) {
  std::string tmp = path + ".tmp-" + base::RandomLetters(8);
  ASSIGN_OR_RETURN(auto file, fs->NewWritableFile(tmp));
  ChecksummedFile out(file.get());
  auto fail = [&](Status s) -> Status {
    file->Close();
    fs->DeleteFile(tmp);
    return s;
  };

  std::string header(internal::kHeaderSize, '\0');
  std::memcpy(header.data(), internal::kHeaderMagic, 8);
  std::memcpy(header.data() + 8, &internal::kFormatVersion, 4);
  if (Status s = out.Append(header); !s.ok()) return fail(s);

  std::string footer;
  Put<uint32_t>(&footer, 1);  // footer version
  Put<uint64_t>(&footer, static_cast<uint64_t>(num_rows_));
  Put<int64_t>(&footer, interval_.start);
  Put<int64_t>(&footer, interval_.end);
  Put<uint32_t>(&footer, options_.block_rows);
  Put<uint32_t>(&footer, static_cast<uint32_t>(options_.properties.size()));
  footer.append(options_.properties);
  Put<uint32_t>(&footer, static_cast<uint32_t>(columns_.size()));

  SortRows();
  std::vector<std::vector<StreamData>> column_streams(columns_.size());
  ForEachColumn(columns_.size(), [&](size_t i) { columns_[i]->Build(&column_streams[i]); });
  for (size_t ci = 0; ci < columns_.size(); ++ci) {
    auto& col = columns_[ci];
    std::vector<StreamData> streams = std::move(column_streams[ci]);
    const SegmentColumnSchema& schema = col->schema();
    PutString16(&footer, schema.name);
    Put<uint8_t>(&footer, static_cast<uint8_t>(schema.type));
    uint8_t flags = (col->multi_value() ? internal::kFlagMultiValue : 0) |
                    (col->has_nulls() ? internal::kFlagHasNulls : 0) | (schema.is_metric ? internal::kFlagIsMetric : 0);
    Put<uint8_t>(&footer, flags);
    PutString16(&footer, schema.complex_type);
    Put<int32_t>(&footer, col->cardinality());
    Put<uint8_t>(&footer, col->has_min_max() ? 1 : 0);
    if (schema.type == ColumnType::kLong) {
      Put<int64_t>(&footer, col->min_long);
      Put<int64_t>(&footer, col->max_long);
    } else {
      Put<double>(&footer, col->min_double);
      Put<double>(&footer, col->max_double);
    }
    Put<uint8_t>(&footer, static_cast<uint8_t>(streams.size()));
    for (const StreamData& s : streams) {
      if (Status st = out.PadTo(internal::kStreamAlignment); !st.ok()) return fail(st);
      Put<uint8_t>(&footer, static_cast<uint8_t>(s.kind));
      Put<uint64_t>(&footer, out.offset());
      Put<uint64_t>(&footer, s.bytes.size());
      if (Status st = out.Append(s.bytes); !st.ok()) return fail(st);
    }
    column_streams[ci].clear();
    streams.clear();
  }
  if (Status s = out.PadTo(8); !s.ok()) return fail(s);
  uint64_t footer_offset = out.offset();
  if (Status s = out.Append(footer); !s.ok()) return fail(s);
  uint64_t checksum = out.digest();
  std::string trailer;
  Put<uint64_t>(&trailer, footer_offset);
  Put<uint32_t>(&trailer, static_cast<uint32_t>(footer.size()));
  Put<uint32_t>(&trailer, 0);
  Put<uint64_t>(&trailer, checksum);
  trailer.append(internal::kTrailerMagic, 8);
  if (Status s = file->Append(trailer); !s.ok()) return fail(s);
  if (Status s = file->Sync(); !s.ok()) return fail(s);
  if (Status s = file->Close(); !s.ok()) return fail(s);
  if (Status s = fs->RenameFile(tmp, path); !s.ok()) {
    fs->DeleteFile(tmp);
    return s;
  }
  SegmentFileInfo info;
  info.size_bytes = static_cast<int64_t>(out.offset() + trailer.size());
  info.num_rows = num_rows_;
  info.checksum = checksum;
  return info;
}

}  // namespace strata::segment
