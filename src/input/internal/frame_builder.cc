#include "input/internal/frame_builder.h"

#include <algorithm>
#include <cassert>
#include <charconv>
#include <cmath>
#include <limits>
#include <string>

#include "types/number_format.h"

namespace strata::input::internal {

using columnar::Column;
using columnar::IsNullString;
using columnar::kNullString;
using types::ColumnType;

namespace {

// Frames are usually a few thousand rows; do not reserve more up front than this.
constexpr int64_t kMaxReservedRows = 8192;
constexpr size_t kArenaBlockBytes = 128 * 1024;

bool IsStringLike(ColumnType type) {
  return type == ColumnType::kString || type == ColumnType::kComplex || type == ColumnType::kStringArray;
}

// Parses number text as Druid converts strings to longs: an integer, else a double truncated.
bool TextToLong(std::string_view text, int64_t* out) {
  if (types::ParseLongStrict(text, out)) return true;
  double d;
  if (types::ParseDoubleStrict(text, &d)) {
    *out = JavaDoubleToLong(d);
    return true;
  }
  return false;
}

size_t ElementCount(const Column& c) {
  switch (c.type) {
    case ColumnType::kLongArray:
      return c.longs.size();
    case ColumnType::kDoubleArray:
      return c.doubles.size();
    default:
      return c.strings.size();
  }
}

// Records whether the element about to be appended (at index `count`) is null.
void PushElementNullFlag(Column& c, size_t count, bool is_null) {
  if (is_null) {
    if (c.element_nulls.empty()) c.element_nulls.assign(count, 0);
    c.element_nulls.push_back(1);
  } else if (!c.element_nulls.empty()) {
    c.element_nulls.push_back(0);
  }
}

}  // namespace

int64_t JavaDoubleToLong(double v) {
  if (std::isnan(v)) return 0;
  if (v >= 9223372036854775807.0) return std::numeric_limits<int64_t>::max();
  if (v <= -9223372036854775808.0) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

FrameBuilder::FrameBuilder(std::vector<types::ColumnType> types) {
  columns_.resize(types.size());
  for (size_t i = 0; i < types.size(); ++i) columns_[i].type = types[i];
}

void FrameBuilder::StartFrame(int64_t max_rows) {
  size_t reserve = static_cast<size_t>(std::clamp<int64_t>(max_rows, 0, kMaxReservedRows));
  arena_ = std::make_shared<base::Arena>(kArenaBlockBytes);
  num_rows_ = 0;
  for (ColumnState& s : columns_) {
    s.column = std::make_shared<Column>();
    Column& c = *s.column;
    c.type = s.type;
    s.filled = 0;
    s.has_offsets = types::IsArray(s.type);
    switch (s.type) {
      case ColumnType::kLong:
        c.longs.reserve(reserve);
        break;
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        c.doubles.reserve(reserve);
        break;
      case ColumnType::kString:
      case ColumnType::kComplex:
        c.strings.reserve(reserve);
        break;
      default:
        c.offsets.reserve(reserve + 1);
        c.offsets.push_back(0);
        break;
    }
  }
}

void FrameBuilder::Truncate(ColumnState& s) {
  Column& c = *s.column;
  size_t rows = static_cast<size_t>(num_rows_);
  if (s.has_offsets) {
    c.offsets.resize(rows + 1);
    size_t elements = c.offsets.back();
    switch (s.type) {
      case ColumnType::kLongArray:
        c.longs.resize(elements);
        break;
      case ColumnType::kDoubleArray:
        c.doubles.resize(elements);
        break;
      default:
        c.strings.resize(elements);
        break;
    }
    if (c.element_nulls.size() > elements) c.element_nulls.resize(elements);
  } else {
    switch (s.type) {
      case ColumnType::kLong:
        c.longs.resize(rows);
        break;
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        c.doubles.resize(rows);
        break;
      default:
        c.strings.resize(rows);
        break;
    }
  }
  if (c.nulls.size() > rows) c.nulls.resize(rows);
  s.filled = num_rows_;
}

void FrameBuilder::ConvertToMultiValue(ColumnState& s) {
  Column& c = *s.column;
  std::vector<std::string_view> elements;
  elements.reserve(c.strings.capacity());
  c.offsets.reserve(c.strings.capacity() + 1);
  c.offsets.push_back(0);
  for (std::string_view v : c.strings) {
    if (!IsNullString(v)) elements.push_back(v);
    c.offsets.push_back(static_cast<uint32_t>(elements.size()));
  }
  c.strings = std::move(elements);
  c.multi_value = true;
  s.has_offsets = true;
}

void FrameBuilder::PushNullFlag(ColumnState& s, bool is_null) {
  std::vector<uint8_t>& nulls = s.column->nulls;
  if (is_null) {
    if (nulls.empty()) nulls.assign(static_cast<size_t>(s.filled), 0);
    nulls.push_back(1);
  } else if (!nulls.empty()) {
    nulls.push_back(0);
  }
}

void FrameBuilder::AppendNull(ColumnState& s) {
  Column& c = *s.column;
  switch (s.type) {
    case ColumnType::kLong:
      c.longs.push_back(0);
      PushNullFlag(s, true);
      break;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      c.doubles.push_back(0);
      PushNullFlag(s, true);
      break;
    case ColumnType::kString:
    case ColumnType::kComplex:
      if (s.has_offsets) {
        c.offsets.push_back(c.offsets.back());
      } else {
        c.strings.push_back(kNullString);
      }
      break;
    default:
      c.offsets.push_back(c.offsets.back());
      PushNullFlag(s, true);
      break;
  }
  ++s.filled;
}

void FrameBuilder::FinishRow() {
  for (ColumnState& s : columns_) {
    if (s.filled == num_rows_) AppendNull(s);
  }
  ++num_rows_;
}

void FrameBuilder::AbortRow() {
  for (ColumnState& s : columns_) {
    if (s.filled != num_rows_ || s.has_offsets) Truncate(s);
  }
}

void FrameBuilder::FinishFrame(columnar::Frame* out) {
  AbortRow();
  out->num_rows = num_rows_;
  out->columns.clear();
  out->columns.reserve(columns_.size());
  for (ColumnState& s : columns_) {
    s.column->num_rows = num_rows_;
    if (IsStringLike(s.type)) s.column->AddOwner(arena_);
    out->columns.push_back(std::move(s.column));
  }
  arena_.reset();
  num_rows_ = 0;
}

void FrameBuilder::SetNull(int c) {
  ColumnState& s = Prepare(c);
  AppendNull(s);
}

void FrameBuilder::SetLong(int c, int64_t v) {
  ColumnState& s = Prepare(c);
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLong:
      col.longs.push_back(v);
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kFloat:
      col.doubles.push_back(static_cast<double>(static_cast<float>(v)));
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kDouble:
      col.doubles.push_back(static_cast<double>(v));
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kString:
    case ColumnType::kComplex: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), v);
      SetStringNoCopy(c, CopyString(std::string_view(buf, static_cast<size_t>(res.ptr - buf))));
      return;
    }
    default:
      BeginElements(c);
      AddLongElement(c, v);
      EndElements(c);
      return;
  }
}

void FrameBuilder::SetDouble(int c, double v) {
  ColumnState& s = Prepare(c);
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLong:
      col.longs.push_back(JavaDoubleToLong(v));
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kFloat:
      col.doubles.push_back(static_cast<double>(static_cast<float>(v)));
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kDouble:
      col.doubles.push_back(v);
      PushNullFlag(s, false);
      ++s.filled;
      return;
    case ColumnType::kString:
    case ColumnType::kComplex:
      SetStringNoCopy(c, CopyString(types::FormatDoubleJava(v)));
      return;
    default:
      BeginElements(c);
      AddDoubleElement(c, v);
      EndElements(c);
      return;
  }
}

void FrameBuilder::SetStringNoCopy(int c, std::string_view s_value) {
  ColumnState& s = Prepare(c);
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kString:
      if (s.has_offsets) {
        if (!IsNullString(s_value)) col.strings.push_back(s_value);
        col.offsets.push_back(static_cast<uint32_t>(col.strings.size()));
      } else {
        col.strings.push_back(s_value);
      }
      ++s.filled;
      return;
    case ColumnType::kComplex:
      col.strings.push_back(s_value);
      ++s.filled;
      return;
    case ColumnType::kLong:
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      SetText(c, s_value);
      return;
    default:
      if (IsNullString(s_value)) {
        AppendNull(s);
        return;
      }
      BeginElements(c);
      AddStringElement(c, s_value);
      EndElements(c);
      return;
  }
}

void FrameBuilder::SetText(int c, std::string_view text) {
  ColumnType type = columns_[c].type;
  if (IsNullString(text)) {
    SetNull(c);
    return;
  }
  switch (type) {
    case ColumnType::kLong: {
      int64_t v;
      if (TextToLong(text, &v)) {
        SetLong(c, v);
      } else {
        SetNull(c);
      }
      return;
    }
    case ColumnType::kFloat:
    case ColumnType::kDouble: {
      double d;
      if (types::ParseDoubleStrict(text, &d)) {
        SetDouble(c, d);
      } else {
        SetNull(c);
      }
      return;
    }
    case ColumnType::kLongArray:
    case ColumnType::kDoubleArray:
      BeginElements(c);
      AddStringElement(c, text);
      EndElements(c);
      return;
    default:
      SetStringNoCopy(c, CopyString(text));
      return;
  }
}

void FrameBuilder::BeginElements(int c) {
  ColumnState& s = Prepare(c);
  assert((s.type == ColumnType::kString || types::IsArray(s.type)) && "elements need a string or array column");
  if (!s.has_offsets) ConvertToMultiValue(s);
}

void FrameBuilder::AddStringElement(int c, std::string_view v) {
  ColumnState& s = columns_[c];
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLongArray: {
      int64_t x;
      bool ok = !IsNullString(v) && TextToLong(v, &x);
      PushElementNullFlag(col, col.longs.size(), !ok);
      col.longs.push_back(ok ? x : 0);
      return;
    }
    case ColumnType::kDoubleArray: {
      double x;
      bool ok = !IsNullString(v) && types::ParseDoubleStrict(v, &x);
      PushElementNullFlag(col, col.doubles.size(), !ok);
      col.doubles.push_back(ok ? x : 0);
      return;
    }
    default:
      col.strings.push_back(v);
      return;
  }
}

void FrameBuilder::AddLongElement(int c, int64_t v) {
  ColumnState& s = columns_[c];
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLongArray:
      PushElementNullFlag(col, col.longs.size(), false);
      col.longs.push_back(v);
      return;
    case ColumnType::kDoubleArray:
      PushElementNullFlag(col, col.doubles.size(), false);
      col.doubles.push_back(static_cast<double>(v));
      return;
    default: {
      char buf[24];
      auto res = std::to_chars(buf, buf + sizeof(buf), v);
      col.strings.push_back(CopyString(std::string_view(buf, static_cast<size_t>(res.ptr - buf))));
      return;
    }
  }
}

void FrameBuilder::AddDoubleElement(int c, double v) {
  ColumnState& s = columns_[c];
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLongArray:
      PushElementNullFlag(col, col.longs.size(), false);
      col.longs.push_back(JavaDoubleToLong(v));
      return;
    case ColumnType::kDoubleArray:
      PushElementNullFlag(col, col.doubles.size(), false);
      col.doubles.push_back(v);
      return;
    default:
      col.strings.push_back(CopyString(types::FormatDoubleJava(v)));
      return;
  }
}

void FrameBuilder::AddNullElement(int c) {
  ColumnState& s = columns_[c];
  Column& col = *s.column;
  switch (s.type) {
    case ColumnType::kLongArray:
      PushElementNullFlag(col, col.longs.size(), true);
      col.longs.push_back(0);
      return;
    case ColumnType::kDoubleArray:
      PushElementNullFlag(col, col.doubles.size(), true);
      col.doubles.push_back(0);
      return;
    default:
      col.strings.push_back(kNullString);
      return;
  }
}

void FrameBuilder::EndElements(int c) {
  ColumnState& s = columns_[c];
  Column& col = *s.column;
  col.offsets.push_back(static_cast<uint32_t>(ElementCount(col)));
  if (types::IsArray(s.type)) PushNullFlag(s, false);
  ++s.filled;
}

}  // namespace strata::input::internal
