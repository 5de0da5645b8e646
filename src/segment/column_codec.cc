#include "segment/column_codec.h"

#include <cstring>
#include <limits>

namespace strata::segment::internal {
namespace {

enum LongEncoding : uint8_t { kFrameOfReference = 0, kDelta = 1, kConstant = 2 };
constexpr size_t kLongHeader = 16;  // u8 encoding | u8 width | u16 pad | u32 count | i64 base
constexpr size_t kIndexEntry = 24;  // u64 offset | u32 stored | u32 raw | u8 codec | 7 pad
constexpr size_t kStreamHeader = 16;  // u32 num_blocks | u32 block_rows | u64 num_values

int WidthFor(uint64_t range) {
  if (range <= 0xFF) return 1;
  if (range <= 0xFFFF) return 2;
  if (range <= 0xFFFFFFFFULL) return 4;
  return 8;
}

template <typename T>
void Pack(const uint64_t* deltas, size_t count, char* out) {
  T* o = reinterpret_cast<T*>(out);
  for (size_t i = 0; i < count; ++i) o[i] = static_cast<T>(deltas[i]);
}

template <typename T>
void UnpackAdd(const char* in, size_t count, int64_t base, int64_t* out) {
  for (size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, in + i * sizeof(T), sizeof(T));
    out[i] = static_cast<int64_t>(static_cast<uint64_t>(base) + static_cast<uint64_t>(v));
  }
}

template <typename T>
void UnpackPrefix(const char* in, size_t count, int64_t base, int64_t* out) {
  uint64_t acc = static_cast<uint64_t>(base);
  for (size_t i = 0; i < count; ++i) {
    T v;
    std::memcpy(&v, in + i * sizeof(T), sizeof(T));
    acc += static_cast<uint64_t>(v);
    out[i] = static_cast<int64_t>(acc);
  }
}

template <typename T>
void Put(std::string* out, T v) {
  out->append(reinterpret_cast<const char*>(&v), sizeof(T));
}

template <typename T>
T Get(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace

void EncodeLongBlock(const int64_t* values, size_t count, std::string* out) {
  int64_t min = std::numeric_limits<int64_t>::max();
  int64_t max = std::numeric_limits<int64_t>::min();
  bool sorted = true;
  uint64_t max_delta = 0;
  for (size_t i = 0; i < count; ++i) {
    min = values[i] < min ? values[i] : min;
    max = values[i] > max ? values[i] : max;
    if (i > 0) {
      if (values[i] < values[i - 1]) {
        sorted = false;
      } else {
        uint64_t d = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]);
        max_delta = d > max_delta ? d : max_delta;
      }
    }
  }
  size_t base_pos = out->size();
  out->resize(base_pos + kLongHeader);
  char* h = out->data() + base_pos;
  uint32_t n = static_cast<uint32_t>(count);
  std::memcpy(h + 4, &n, 4);
  if (count == 0 || min == max) {
    h[0] = kConstant;
    h[1] = 0;
    int64_t base = count == 0 ? 0 : min;
    std::memcpy(h + 8, &base, 8);
    return;
  }
  uint64_t range = static_cast<uint64_t>(max) - static_cast<uint64_t>(min);
  int for_width = WidthFor(range);
  int delta_width = sorted ? WidthFor(max_delta) : 8;
  std::vector<uint64_t> deltas(count);
  int width;
  int64_t base;
  if (sorted && delta_width < for_width) {
    h[0] = kDelta;
    width = delta_width;
    base = values[0];
    deltas[0] = 0;
    for (size_t i = 1; i < count; ++i) deltas[i] = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(values[i - 1]);
  } else {
    h[0] = kFrameOfReference;
    width = for_width;
    base = min;
    for (size_t i = 0; i < count; ++i) deltas[i] = static_cast<uint64_t>(values[i]) - static_cast<uint64_t>(min);
  }
  h[1] = static_cast<char>(width);
  std::memcpy(h + 8, &base, 8);
  size_t data_pos = out->size();
  out->resize(data_pos + count * width);
  char* d = out->data() + data_pos;
  switch (width) {
    case 1: Pack<uint8_t>(deltas.data(), count, d); break;
    case 2: Pack<uint16_t>(deltas.data(), count, d); break;
    case 4: Pack<uint32_t>(deltas.data(), count, d); break;
    default: Pack<uint64_t>(deltas.data(), count, d); break;
  }
}

Status DecodeLongBlock(std::string_view raw, int64_t* out, size_t count) {
  if (raw.size() < kLongHeader) return Status::Corruption("long block too short");
  uint8_t encoding = static_cast<uint8_t>(raw[0]);
  int width = raw[1];
  uint32_t n = Get<uint32_t>(raw.data() + 4);
  int64_t base = Get<int64_t>(raw.data() + 8);
  if (n != count) return Status::Corruption("long block has wrong value count");
  if (encoding == kConstant) {
    for (size_t i = 0; i < count; ++i) out[i] = base;
    return Status::OK();
  }
  if ((width != 1 && width != 2 && width != 4 && width != 8) || raw.size() < kLongHeader + count * width) {
    return Status::Corruption("long block has bad width");
  }
  const char* d = raw.data() + kLongHeader;
  if (encoding == kFrameOfReference) {
    switch (width) {
      case 1: UnpackAdd<uint8_t>(d, count, base, out); break;
      case 2: UnpackAdd<uint16_t>(d, count, base, out); break;
      case 4: UnpackAdd<uint32_t>(d, count, base, out); break;
      default: UnpackAdd<uint64_t>(d, count, base, out); break;
    }
  } else if (encoding == kDelta) {
    switch (width) {
      case 1: UnpackPrefix<uint8_t>(d, count, base, out); break;
      case 2: UnpackPrefix<uint16_t>(d, count, base, out); break;
      case 4: UnpackPrefix<uint32_t>(d, count, base, out); break;
      default: UnpackPrefix<uint64_t>(d, count, base, out); break;
    }
  } else {
    return Status::Corruption("unknown long encoding");
  }
  return Status::OK();
}

void EncodeIdBlock(const int32_t* ids, size_t count, int32_t max_id, std::string* out) {
  int width = max_id <= 0xFF ? 1 : (max_id <= 0xFFFF ? 2 : 4);
  Put<uint8_t>(out, static_cast<uint8_t>(width));
  Put<uint8_t>(out, 0);
  Put<uint16_t>(out, 0);
  Put<uint32_t>(out, static_cast<uint32_t>(count));
  size_t pos = out->size();
  out->resize(pos + count * width);
  char* d = out->data() + pos;
  if (width == 1) {
    for (size_t i = 0; i < count; ++i) d[i] = static_cast<char>(static_cast<uint8_t>(ids[i]));
  } else if (width == 2) {
    for (size_t i = 0; i < count; ++i) {
      uint16_t v = static_cast<uint16_t>(ids[i]);
      std::memcpy(d + 2 * i, &v, 2);
    }
  } else {
    std::memcpy(d, ids, count * 4);
  }
}

Status DecodeIdBlock(std::string_view raw, int32_t* out, size_t count) {
  if (raw.size() < 8) return Status::Corruption("id block too short");
  int width = raw[0];
  uint32_t n = Get<uint32_t>(raw.data() + 4);
  if (n != count || (width != 1 && width != 2 && width != 4) || raw.size() < 8 + count * width) {
    return Status::Corruption("id block is malformed");
  }
  const char* d = raw.data() + 8;
  if (width == 1) {
    const uint8_t* u = reinterpret_cast<const uint8_t*>(d);
    for (size_t i = 0; i < count; ++i) out[i] = u[i];
  } else if (width == 2) {
    for (size_t i = 0; i < count; ++i) out[i] = Get<uint16_t>(d + 2 * i);
  } else {
    std::memcpy(out, d, count * 4);
  }
  return Status::OK();
}

void BlockedStreamWriter::AddBlock(std::string_view raw, uint32_t num_values) {
  BlockEntry e{data_.size(), 0, static_cast<uint32_t>(raw.size()), static_cast<uint8_t>(io::Codec::kNone)};
  if (codec_ != io::Codec::kNone && raw.size() >= 64) {
    size_t before = data_.size();
    io::Compress(codec_, raw, &data_);
    size_t compressed = data_.size() - before;
    // Only when it saves a third: decompressing costs every scan, so small savings do not pay.
    if (compressed > 0 && compressed < raw.size() - raw.size() / 3) {
      e.stored_len = static_cast<uint32_t>(compressed);
      e.codec = static_cast<uint8_t>(codec_);
    } else {
      data_.resize(before);
    }
  }
  if (e.codec == static_cast<uint8_t>(io::Codec::kNone)) {
    data_.append(raw);
    e.stored_len = static_cast<uint32_t>(raw.size());
  }
  // Keep every block 8-byte aligned so fixed-width values can be read in place.
  while (data_.size() % 8 != 0) data_.push_back('\0');
  blocks_.push_back(e);
  num_values_ += num_values;
}

void BlockedStreamWriter::Finish(std::string* out) const {
  Put<uint32_t>(out, static_cast<uint32_t>(blocks_.size()));
  Put<uint32_t>(out, block_rows_);
  Put<uint64_t>(out, num_values_);
  uint64_t data_start = kStreamHeader + blocks_.size() * kIndexEntry;
  for (const BlockEntry& e : blocks_) {
    Put<uint64_t>(out, data_start + e.offset);
    Put<uint32_t>(out, e.stored_len);
    Put<uint32_t>(out, e.raw_len);
    Put<uint8_t>(out, e.codec);
    out->append(7, '\0');
  }
  out->append(data_);
}

Result<BlockedStreamReader> BlockedStreamReader::Open(std::string_view stream) {
  if (stream.size() < kStreamHeader) return Status::Corruption("blocked stream too short");
  BlockedStreamReader r;
  r.stream_ = stream;
  r.num_blocks_ = Get<uint32_t>(stream.data());
  r.block_rows_ = Get<uint32_t>(stream.data() + 4);
  r.num_values_ = Get<uint64_t>(stream.data() + 8);
  if (stream.size() < kStreamHeader + static_cast<uint64_t>(r.num_blocks_) * kIndexEntry) {
    return Status::Corruption("blocked stream index truncated");
  }
  r.index_ = stream.data() + kStreamHeader;
  return r;
}

Result<std::string_view> BlockedStreamReader::RawBlock(uint32_t i, std::string* scratch) const {
  if (i >= num_blocks_) return Status::Corruption("block number out of range");
  const char* e = index_ + static_cast<size_t>(i) * kIndexEntry;
  uint64_t offset = Get<uint64_t>(e);
  uint32_t stored = Get<uint32_t>(e + 8);
  uint32_t raw_len = Get<uint32_t>(e + 12);
  auto codec = static_cast<io::Codec>(static_cast<uint8_t>(e[16]));
  if (offset + stored > stream_.size()) return Status::Corruption("block extends past its stream");
  std::string_view stored_bytes = stream_.substr(offset, stored);
  if (codec == io::Codec::kNone) return stored_bytes;
  scratch->resize(raw_len);
  RETURN_IF_ERROR(io::Decompress(codec, stored_bytes, scratch->data(), raw_len));
  return std::string_view(*scratch);
}

void EncodeArrayRow(const columnar::Column& c, int64_t row, std::string* out) {
  uint32_t begin = c.offsets[row], end = c.offsets[row + 1];
  uint32_t count = end - begin;
  out->append(reinterpret_cast<const char*>(&count), 4);
  for (uint32_t e = begin; e < end; ++e) {
    bool null = c.type == types::ColumnType::kStringArray ? columnar::IsNullString(c.strings[e])
                                                          : !c.element_nulls.empty() && c.element_nulls[e];
    out->push_back(null ? 1 : 0);
    if (null) continue;
    switch (c.type) {
      case types::ColumnType::kLongArray: out->append(reinterpret_cast<const char*>(&c.longs[e]), 8); break;
      case types::ColumnType::kDoubleArray: out->append(reinterpret_cast<const char*>(&c.doubles[e]), 8); break;
      default: {
        auto len = static_cast<uint32_t>(c.strings[e].size());
        out->append(reinterpret_cast<const char*>(&len), 4);
        out->append(c.strings[e].data(), len);
        break;
      }
    }
  }
}

Status DecodeArrayRows(types::ColumnType type, const std::vector<std::string_view>& blobs, columnar::Column* out) {
  out->type = type;
  out->num_rows = static_cast<int64_t>(blobs.size());
  out->offsets.assign(1, 0);
  out->strings.clear();
  out->longs.clear();
  out->doubles.clear();
  out->element_nulls.clear();
  out->nulls.clear();
  auto corrupt = [] { return Status::Corruption("array value is malformed"); };
  for (size_t r = 0; r < blobs.size(); ++r) {
    std::string_view b = blobs[r];
    if (columnar::IsNullString(b)) {
      if (out->nulls.empty()) out->nulls.assign(r, 0);
      out->nulls.push_back(1);
      out->offsets.push_back(out->offsets.back());
      continue;
    }
    if (!out->nulls.empty()) out->nulls.push_back(0);
    if (b.size() < 4) return corrupt();
    uint32_t count;
    std::memcpy(&count, b.data(), 4);
    size_t pos = 4;
    for (uint32_t i = 0; i < count; ++i) {
      if (pos >= b.size()) return corrupt();
      bool null = b[pos++] != 0;
      if (type == types::ColumnType::kStringArray) {
        if (null) {
          out->strings.push_back(columnar::kNullString);
          continue;
        }
        uint32_t len;
        if (pos + 4 > b.size()) return corrupt();
        std::memcpy(&len, b.data() + pos, 4);
        pos += 4;
        if (pos + len > b.size()) return corrupt();
        out->strings.push_back(len == 0 ? columnar::kEmptyString : b.substr(pos, len));
        pos += len;
        continue;
      }
      if (null && out->element_nulls.empty()) {
        out->element_nulls.assign(type == types::ColumnType::kLongArray ? out->longs.size() : out->doubles.size(), 0);
      }
      if (null || !out->element_nulls.empty()) out->element_nulls.push_back(null ? 1 : 0);
      if (null) {
        if (type == types::ColumnType::kLongArray) out->longs.push_back(0);
        else out->doubles.push_back(0);
        continue;
      }
      if (pos + 8 > b.size()) return corrupt();
      if (type == types::ColumnType::kLongArray) {
        int64_t v;
        std::memcpy(&v, b.data() + pos, 8);
        out->longs.push_back(v);
      } else {
        double v;
        std::memcpy(&v, b.data() + pos, 8);
        out->doubles.push_back(v);
      }
      pos += 8;
    }
    if (pos != b.size()) return corrupt();
    out->offsets.push_back(static_cast<uint32_t>(type == types::ColumnType::kStringArray ? out->strings.size()
                                                  : type == types::ColumnType::kLongArray ? out->longs.size()
                                                                                           : out->doubles.size()));
  }
  return Status::OK();
}

}  // namespace strata::segment::internal
