#include "segment/segment.h"

#include <xxhash.h>

#include <algorithm>
#include <cstring>

#include "segment/segment_format.h"

namespace strata::segment {

using internal::StreamKind;
using types::ColumnType;

namespace {

class FooterReader {
 public:
  FooterReader(const char* p, size_t n) : p_(p), end_(p + n) {}
  template <typename T>
  bool Get(T* v) {
    if (static_cast<size_t>(end_ - p_) < sizeof(T)) return false;
    std::memcpy(v, p_, sizeof(T));
    p_ += sizeof(T);
    return true;
  }
  bool GetString(size_t n, std::string* s) {
    if (static_cast<size_t>(end_ - p_) < n) return false;
    s->assign(p_, n);
    p_ += n;
    return true;
  }
  bool GetString16(std::string* s) {
    uint16_t n = 0;
    return Get(&n) && GetString(n, s);
  }

 private:
  const char* p_;
  const char* end_;
};

template <typename T>
T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof(T));
  return v;
}

}  // namespace

Result<std::shared_ptr<Segment>> Segment::Open(std::shared_ptr<io::MappedFile> file, bool verify_checksum) {
  std::shared_ptr<Segment> segment(new Segment());
  segment->file_ = std::move(file);
  RETURN_IF_ERROR(segment->Parse(verify_checksum));
  for (auto& c : segment->columns_) c.segment_ = segment.get();
  return segment;
}

Result<std::shared_ptr<Segment>> Segment::OpenFile(io::FileSystem* fs, const std::string& path, bool verify_checksum) {
  ASSIGN_OR_RETURN(auto mapped, fs->MapFile(path));
  Result<std::shared_ptr<Segment>> seg = Open(std::move(mapped), verify_checksum);
  if (!seg.ok()) return seg.status().Annotate("segment file [" + path + "]");
  return seg;
}

Status Segment::Parse(bool verify_checksum) {
  std::string_view data = file_->view();
  if (data.size() < internal::kHeaderSize + internal::kTrailerSize ||
      std::memcmp(data.data(), internal::kHeaderMagic, 8) != 0) {
    return Status::Corruption("not a segment file (bad header)");
  }
  uint32_t version = Load<uint32_t>(data.data() + 8);
  if (version != internal::kFormatVersion) {
    return Status::Corruption("unsupported segment format version " + std::to_string(version));
  }
  const char* trailer = data.data() + data.size() - internal::kTrailerSize;
  if (std::memcmp(trailer + 24, internal::kTrailerMagic, 8) != 0) {
    return Status::Corruption("segment file is truncated (bad trailer)");
  }
  uint64_t footer_offset = Load<uint64_t>(trailer);
  uint32_t footer_length = Load<uint32_t>(trailer + 8);
  uint64_t checksum = Load<uint64_t>(trailer + 16);
  if (footer_offset + footer_length + internal::kTrailerSize != data.size()) {
    return Status::Corruption("segment footer location is inconsistent");
  }
  if (verify_checksum && XXH64(data.data(), footer_offset + footer_length, 0) != checksum) {
    return Status::Corruption("segment checksum mismatch");
  }
  FooterReader r(data.data() + footer_offset, footer_length);
  uint32_t footer_version = 0, props_len = 0, num_columns = 0;
  uint64_t num_rows = 0;
  if (!r.Get(&footer_version) || footer_version != 1 || !r.Get(&num_rows) || !r.Get(&interval_.start) ||
      !r.Get(&interval_.end) || !r.Get(&block_rows_) || !r.Get(&props_len) || !r.GetString(props_len, &properties_) ||
      !r.Get(&num_columns) || block_rows_ == 0) {
    return Status::Corruption("segment footer is malformed");
  }
  num_rows_ = static_cast<int64_t>(num_rows);
  columns_.resize(num_columns);
  for (uint32_t i = 0; i < num_columns; ++i) {
    SegmentColumn& c = columns_[i];
    uint8_t type = 0, flags = 0, has_min_max = 0, num_streams = 0;
    int32_t cardinality = 0;
    if (!r.GetString16(&c.name_) || !r.Get(&type) || !r.Get(&flags) || !r.GetString16(&c.complex_type_) ||
        !r.Get(&cardinality) || !r.Get(&has_min_max) || type > static_cast<uint8_t>(ColumnType::kComplex)) {
      return Status::Corruption("segment column entry is malformed");
    }
    c.type_ = static_cast<ColumnType>(type);
    c.multi_value_ = flags & internal::kFlagMultiValue;
    c.has_nulls_ = flags & internal::kFlagHasNulls;
    c.is_metric_ = flags & internal::kFlagIsMetric;
    c.has_min_max_ = has_min_max != 0;
    if (c.type_ == ColumnType::kLong) {
      if (!r.Get(&c.min_long_) || !r.Get(&c.max_long_)) return Status::Corruption("segment column stats malformed");
    } else {
      if (!r.Get(&c.min_double_) || !r.Get(&c.max_double_)) return Status::Corruption("segment column stats malformed");
    }
    if (!r.Get(&num_streams)) return Status::Corruption("segment column entry is malformed");
    for (uint8_t s = 0; s < num_streams; ++s) {
      uint8_t kind = 0;
      uint64_t offset = 0, length = 0;
      if (!r.Get(&kind) || !r.Get(&offset) || !r.Get(&length) || offset + length > footer_offset) {
        return Status::Corruption("segment stream entry is malformed");
      }
      std::string_view bytes = data.substr(offset, length);
      switch (static_cast<StreamKind>(kind)) {
        case StreamKind::kValues: {
          ASSIGN_OR_RETURN(c.values_, internal::BlockedStreamReader::Open(bytes));
          break;
        }
        case StreamKind::kIds: {
          ASSIGN_OR_RETURN(c.ids_, internal::BlockedStreamReader::Open(bytes));
          break;
        }
        case StreamKind::kCounts: {
          ASSIGN_OR_RETURN(c.counts_, internal::BlockedStreamReader::Open(bytes));
          break;
        }
        case StreamKind::kNulls:
          c.nulls_ = bytes;
          break;
        case StreamKind::kBitmaps:
          c.bitmaps_ = bytes;
          break;
        case StreamKind::kIndex:
          if (bytes.size() < 8 || bytes.size() < 8 + 8 * static_cast<uint64_t>(Load<uint32_t>(bytes.data()))) {
            return Status::Corruption("bitmap index of column [" + c.name_ + "] is truncated");
          }
          c.index_ = bytes;
          break;
        case StreamKind::kDictionary: {
          if (bytes.size() < 8) return Status::Corruption("dictionary too short");
          uint32_t count = Load<uint32_t>(bytes.data());
          if (bytes.size() < 4 + 4 * (static_cast<uint64_t>(count) + 1)) return Status::Corruption("dictionary truncated");
          const char* offs = bytes.data() + 4;
          const char* strings = offs + 4 * (static_cast<size_t>(count) + 1);
          size_t avail = bytes.size() - 4 - 4 * (static_cast<size_t>(count) + 1);
          auto dict = std::make_shared<columnar::Dictionary>();
          dict->sorted = true;
          dict->owners.push_back(file_);
          bool nulls = c.has_nulls_;
          dict->values.reserve(count + (nulls ? 1 : 0));
          if (nulls) dict->values.push_back(columnar::kNullString);
          for (uint32_t k = 0; k < count; ++k) {
            uint32_t b = Load<uint32_t>(offs + 4 * k), e = Load<uint32_t>(offs + 4 * (k + 1));
            if (e < b || e > avail) return Status::Corruption("dictionary offsets malformed");
            dict->values.emplace_back(strings + b, e - b);
          }
          c.dictionary_ = std::move(dict);
          break;
        }
        default:
          return Status::Corruption("unknown segment stream kind " + std::to_string(kind));
      }
    }
    if (c.type_ == ColumnType::kString && (!c.dictionary_ || (c.ids_.num_blocks() == 0 && num_rows_ > 0))) {
      return Status::Corruption("string column [" + c.name_ + "] lacks its dictionary or ids");
    }
  }
  return Status::OK();
}

const SegmentColumn* Segment::FindColumn(std::string_view name) const {
  for (const auto& c : columns_) {
    if (c.name_ == name) return &c;
  }
  return nullptr;
}

int32_t SegmentColumn::LookupId(std::string_view value) const {
  if (!dictionary_) return -1;
  const auto& values = dictionary_->values;
  if (columnar::IsNullString(value)) return has_nulls_ ? 0 : -1;
  int32_t first = has_nulls_ ? 1 : 0;
  auto it = std::lower_bound(values.begin() + first, values.end(), value);
  if (it != values.end() && *it == value) return static_cast<int32_t>(it - values.begin());
  return -1;
}

int32_t SegmentColumn::LowerBoundId(std::string_view value) const {
  if (!dictionary_) return 0;
  const auto& values = dictionary_->values;
  int32_t first = has_nulls_ ? 1 : 0;
  return static_cast<int32_t>(std::lower_bound(values.begin() + first, values.end(), value) - values.begin());
}

Result<Bitmap> SegmentColumn::ValueBitmap(int32_t id) const {
  if (!index_.empty() && id >= 0) {
    if (static_cast<uint32_t>(id) >= Load<uint32_t>(index_.data())) return Bitmap();
    uint64_t entry = Load<uint64_t>(index_.data() + 8 + 8 * static_cast<size_t>(id));
    uint64_t offset = entry & internal::kIndexMaxOffset;
    uint64_t size = (entry >> internal::kIndexSizeShift) & internal::kIndexMaxSize;
    if (entry & internal::kIndexListFlag) {
      if (offset % 4 != 0 || offset + 4 * size > index_.size()) return Status::Corruption("bitmap index row list out of range");
      return Bitmap::FromSorted(reinterpret_cast<const uint32_t*>(index_.data() + offset), size);
    }
    if (offset + size > index_.size()) return Status::Corruption("bitmap index entry out of range");
    return Bitmap::FrozenView(index_.data() + offset, size);
  }
  if (bitmaps_.empty() || id < 0) return Bitmap();
  uint32_t count = Load<uint32_t>(bitmaps_.data());
  if (static_cast<uint32_t>(id) >= count) return Bitmap();
  const char* entry = bitmaps_.data() + 8 + 16 * static_cast<size_t>(id);
  uint64_t offset = Load<uint64_t>(entry), length = Load<uint64_t>(entry + 8);
  if (offset + length > bitmaps_.size()) return Status::Corruption("bitmap index entry out of range");
  return Bitmap::FrozenView(bitmaps_.data() + offset, length);
}

Result<Bitmap> SegmentColumn::NullBitmap() const {
  if (!has_nulls_) return Bitmap();
  if (!nulls_.empty()) return Bitmap::FrozenView(nulls_.data(), nulls_.size());
  if (type_ == ColumnType::kString) return ValueBitmap(0);
  return Bitmap();
}

// A blob block (complex and array columns): `u32 count | u32 offsets[count + 1] | bytes`. The
// views point into `bytes`, which receives the decoded block; NULL rows get the null marker.
Status SegmentColumn::ReadBlobs(int64_t block, std::string* bytes, std::vector<std::string_view>* out) const {
  int64_t rows = segment_->BlockSize(block);
  ASSIGN_OR_RETURN(std::string_view raw, values_.RawBlock(static_cast<uint32_t>(block), bytes));
  if (raw.data() != bytes->data()) bytes->assign(raw.data(), raw.size());
  std::string_view data(*bytes);
  if (data.size() < 8 || Load<uint32_t>(data.data()) != static_cast<uint32_t>(rows)) {
    return Status::Corruption("blob block of column [" + name_ + "] is malformed");
  }
  const char* offs = data.data() + 4;
  size_t header = 4 + 4 * (static_cast<size_t>(rows) + 1);
  out->resize(rows);
  for (int64_t i = 0; i < rows; ++i) {
    uint32_t s = Load<uint32_t>(offs + 4 * i), e = Load<uint32_t>(offs + 4 * (i + 1));
    if (e < s || header + e > data.size()) return Status::Corruption("blob block offsets of column [" + name_ + "] malformed");
    (*out)[i] = data.substr(header + s, e - s);
  }
  if (has_nulls_) {
    ASSIGN_OR_RETURN(Bitmap nulls, NullBitmap());
    uint32_t start = static_cast<uint32_t>(block * segment_->block_rows());
    std::vector<uint32_t> null_rows;
    nulls.RowsInRange(start, start + static_cast<uint32_t>(rows), &null_rows);
    for (uint32_t r : null_rows) (*out)[r - start] = columnar::kNullString;
  }
  return Status::OK();
}

Status SegmentColumn::ReadBlock(int64_t block, columnar::Column* out, ReadScratch* scratch, bool ids_only) const {
  int64_t rows = segment_->BlockSize(block);
  uint32_t b = static_cast<uint32_t>(block);
  *out = columnar::Column();
  out->type = type_;
  out->num_rows = rows;
  switch (type_) {
    case ColumnType::kLong: {
      ASSIGN_OR_RETURN(std::string_view raw, values_.RawBlock(b, &scratch->block));
      out->longs.resize(rows);
      RETURN_IF_ERROR(internal::DecodeLongBlock(raw, out->longs.data(), static_cast<size_t>(rows)));
      break;
    }
    case ColumnType::kFloat: {
      ASSIGN_OR_RETURN(std::string_view raw, values_.RawBlock(b, &scratch->block));
      if (raw.size() < static_cast<size_t>(rows) * 4) return Status::Corruption("float block truncated");
      out->doubles.resize(rows);
      for (int64_t i = 0; i < rows; ++i) {
        float f;
        std::memcpy(&f, raw.data() + 4 * i, 4);
        out->doubles[i] = f;
      }
      break;
    }
    case ColumnType::kDouble: {
      ASSIGN_OR_RETURN(std::string_view raw, values_.RawBlock(b, &scratch->block));
      if (raw.size() < static_cast<size_t>(rows) * 8) return Status::Corruption("double block truncated");
      out->doubles.resize(rows);
      std::memcpy(out->doubles.data(), raw.data(), rows * 8);
      break;
    }
    case ColumnType::kString: {
      const auto& dict = dictionary_->values;
      out->dictionary = dictionary_;
      out->AddOwner(segment_->file());
      if (!multi_value_) {
        ASSIGN_OR_RETURN(std::string_view raw, ids_.RawBlock(b, &scratch->block));
        out->ids.resize(rows);
        RETURN_IF_ERROR(internal::DecodeIdBlock(raw, out->ids.data(), static_cast<size_t>(rows)));
        int32_t card = dictionary_->size();
        if (ids_only) {
          int32_t lo = 0, hi = 0;
          for (int64_t i = 0; i < rows; ++i) {
            lo = std::min(lo, out->ids[i]);
            hi = std::max(hi, out->ids[i]);
          }
          if (lo < 0 || (rows > 0 && hi >= card)) return Status::Corruption("dictionary id out of range");
          return Status::OK();
        }
        out->strings.resize(rows);
        for (int64_t i = 0; i < rows; ++i) {
          int32_t id = out->ids[i];
          if (id < 0 || id >= card) return Status::Corruption("dictionary id out of range");
          out->strings[i] = dict[id];
        }
        return Status::OK();
      }
      out->multi_value = true;
      out->dictionary = nullptr;  // ids are per element; keep strings only
      ASSIGN_OR_RETURN(std::string_view counts_raw, counts_.RawBlock(b, &scratch->counts));
      scratch->longs.resize(rows);
      RETURN_IF_ERROR(internal::DecodeLongBlock(counts_raw, scratch->longs.data(), static_cast<size_t>(rows)));
      out->offsets.resize(rows + 1);
      out->offsets[0] = 0;
      for (int64_t i = 0; i < rows; ++i) out->offsets[i + 1] = out->offsets[i] + static_cast<uint32_t>(scratch->longs[i]);
      size_t num_elements = out->offsets[rows];
      ASSIGN_OR_RETURN(std::string_view ids_raw, ids_.RawBlock(b, &scratch->block));
      scratch->ids.resize(num_elements);
      RETURN_IF_ERROR(internal::DecodeIdBlock(ids_raw, scratch->ids.data(), num_elements));
      out->strings.resize(num_elements);
      int32_t card = dictionary_->size();
      for (size_t e = 0; e < num_elements; ++e) {
        int32_t id = scratch->ids[e];
        if (id < 0 || id >= card) return Status::Corruption("dictionary id out of range");
        out->strings[e] = dict[id];
      }
      return Status::OK();
    }
    case ColumnType::kComplex: {
      auto block_bytes = std::make_shared<std::string>();
      RETURN_IF_ERROR(ReadBlobs(block, block_bytes.get(), &out->strings));
      out->complex_type = complex_type_;
      out->AddOwner(block_bytes);  // the values point into the block
      return Status::OK();
    }
    case ColumnType::kLongArray:
    case ColumnType::kDoubleArray:
    case ColumnType::kStringArray: {
      auto block_bytes = std::make_shared<std::string>();
      std::vector<std::string_view> blobs;
      RETURN_IF_ERROR(ReadBlobs(block, block_bytes.get(), &blobs));
      Status st = internal::DecodeArrayRows(type_, blobs, out);
      if (!st.ok()) return Status::Corruption("column [" + name_ + "]: " + st.message());
      out->AddOwner(block_bytes);
      return Status::OK();
    }
    default:
      return Status::Unsupported("reading column [" + name_ + "] of type " +
                                 std::string(types::NativeTypeName(type_)));
  }
  if (has_nulls_ && type_ != ColumnType::kString) {
    ASSIGN_OR_RETURN(Bitmap nulls, NullBitmap());
    uint32_t start = static_cast<uint32_t>(block * segment_->block_rows());
    std::vector<uint32_t> null_rows;
    nulls.RowsInRange(start, start + static_cast<uint32_t>(rows), &null_rows);
    if (!null_rows.empty()) {
      out->nulls.assign(rows, 0);
      for (uint32_t r : null_rows) out->nulls[r - start] = 1;
    }
  }
  return Status::OK();
}

}  // namespace strata::segment
