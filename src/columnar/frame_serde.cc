#include "columnar/frame_serde.h"

#include <cstring>

namespace strata::columnar {
namespace {

constexpr uint32_t kFrameMagic = 0x4D524653;  // "SFRM" little-endian
enum ColumnFlags : uint8_t {
  kHasNulls = 1,
  kHasOffsets = 2,
  kMultiValue = 4,
  kHasElementNulls = 8,
  kHasStringNulls = 16,
};

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename T>
void PutVector(std::string* out, const std::vector<T>& v) {
  if (!v.empty()) out->append(reinterpret_cast<const char*>(v.data()), v.size() * sizeof(T));
}

class Reader {
 public:
  Reader(const char* data, size_t size) : p_(data), end_(data + size) {}
  template <typename T>
  bool Get(T* v) {
    if (static_cast<size_t>(end_ - p_) < sizeof(T)) return false;
    std::memcpy(v, p_, sizeof(T));
    p_ += sizeof(T);
    return true;
  }
  template <typename T>
  bool GetVector(size_t n, std::vector<T>* v) {
    if (static_cast<size_t>(end_ - p_) / sizeof(T) < n) return false;
    v->resize(n);
    if (n) std::memcpy(v->data(), p_, n * sizeof(T));
    p_ += n * sizeof(T);
    return true;
  }
  const char* Take(size_t n) {
    if (static_cast<size_t>(end_ - p_) < n) return nullptr;
    const char* r = p_;
    p_ += n;
    return r;
  }

 private:
  const char* p_;
  const char* end_;
};

}  // namespace

void SerializeFrame(const Frame& frame, std::string* out) {
  Put<uint32_t>(out, kFrameMagic);
  Put<uint32_t>(out, static_cast<uint32_t>(frame.columns.size()));
  Put<uint64_t>(out, static_cast<uint64_t>(frame.num_rows));
  for (const auto& cp : frame.columns) {
    const Column& c = *cp;
    bool string_like = c.type == ColumnType::kString || c.type == ColumnType::kStringArray ||
                       c.type == ColumnType::kComplex;
    bool string_nulls = false;
    if (string_like) {
      for (auto s : c.strings) {
        if (IsNullString(s)) {
          string_nulls = true;
          break;
        }
      }
    }
    uint8_t flags = (c.has_nulls() ? kHasNulls : 0) | (c.has_offsets() ? kHasOffsets : 0) |
                    (c.multi_value ? kMultiValue : 0) | (!c.element_nulls.empty() ? kHasElementNulls : 0) |
                    (string_nulls ? kHasStringNulls : 0);
    Put<uint8_t>(out, static_cast<uint8_t>(c.type));
    Put<uint8_t>(out, flags);
    Put<uint16_t>(out, static_cast<uint16_t>(c.complex_type.size()));
    out->append(c.complex_type);
    PutVector(out, c.nulls);
    PutVector(out, c.offsets);
    uint64_t num_values = string_like ? c.strings.size() : (c.longs.empty() ? c.doubles.size() : c.longs.size());
    Put<uint64_t>(out, num_values);
    PutVector(out, c.element_nulls);
    if (string_like) {
      if (string_nulls) {
        for (auto s : c.strings) Put<uint8_t>(out, IsNullString(s) ? 1 : 0);
      }
      uint32_t pos = 0;
      Put<uint32_t>(out, 0);
      for (auto s : c.strings) {
        pos += static_cast<uint32_t>(s.size());
        Put<uint32_t>(out, pos);
      }
      for (auto s : c.strings) out->append(s.data() ? s.data() : "", s.size());
    } else if (!c.longs.empty() || c.type == ColumnType::kLong || c.type == ColumnType::kLongArray) {
      PutVector(out, c.longs);
    } else {
      PutVector(out, c.doubles);
    }
  }
}

Result<Frame> DeserializeFrame(std::shared_ptr<const std::string> buffer) {
  Reader r(buffer->data(), buffer->size());
  uint32_t magic = 0, num_columns = 0;
  uint64_t num_rows = 0;
  if (!r.Get(&magic) || magic != kFrameMagic || !r.Get(&num_columns) || !r.Get(&num_rows)) {
    return Status::Corruption("bad frame header");
  }
  Frame frame;
  frame.num_rows = static_cast<int64_t>(num_rows);
  for (uint32_t i = 0; i < num_columns; ++i) {
    auto c = std::make_shared<Column>();
    uint8_t type = 0, flags = 0;
    uint16_t complex_len = 0;
    if (!r.Get(&type) || !r.Get(&flags) || !r.Get(&complex_len) || type > static_cast<uint8_t>(ColumnType::kComplex)) {
      return Status::Corruption("bad frame column header");
    }
    c->type = static_cast<ColumnType>(type);
    c->num_rows = frame.num_rows;
    c->multi_value = (flags & kMultiValue) != 0;
    const char* name = r.Take(complex_len);
    if (!name) return Status::Corruption("truncated frame");
    c->complex_type.assign(name, complex_len);
    if ((flags & kHasNulls) && !r.GetVector(num_rows, &c->nulls)) return Status::Corruption("truncated frame");
    if ((flags & kHasOffsets) && !r.GetVector(num_rows + 1, &c->offsets)) return Status::Corruption("truncated frame");
    uint64_t num_values = 0;
    if (!r.Get(&num_values)) return Status::Corruption("truncated frame");
    if ((flags & kHasElementNulls) && !r.GetVector(num_values, &c->element_nulls)) {
      return Status::Corruption("truncated frame");
    }
    bool string_like = c->type == ColumnType::kString || c->type == ColumnType::kStringArray ||
                       c->type == ColumnType::kComplex;
    if (string_like) {
      std::vector<uint8_t> string_nulls;
      if ((flags & kHasStringNulls) && !r.GetVector(num_values, &string_nulls)) return Status::Corruption("truncated frame");
      std::vector<uint32_t> offs;
      if (!r.GetVector(num_values + 1, &offs)) return Status::Corruption("truncated frame");
      const char* bytes = r.Take(offs.back());
      if (!bytes) return Status::Corruption("truncated frame");
      c->strings.resize(num_values);
      for (uint64_t k = 0; k < num_values; ++k) {
        if (!string_nulls.empty() && string_nulls[k]) {
          c->strings[k] = kNullString;
        } else {
          c->strings[k] = std::string_view(bytes + offs[k], offs[k + 1] - offs[k]);
        }
      }
      c->AddOwner(buffer);
    } else if (c->type == ColumnType::kLong || c->type == ColumnType::kLongArray) {
      if (!r.GetVector(num_values, &c->longs)) return Status::Corruption("truncated frame");
    } else {
      if (!r.GetVector(num_values, &c->doubles)) return Status::Corruption("truncated frame");
    }
    frame.columns.push_back(std::move(c));
  }
  return frame;
}

}  // namespace strata::columnar
