#include "columnar/column.h"

#include <cstring>

namespace strata::columnar {

void Column::AddOwner(std::shared_ptr<const void> owner) {
  if (!owner) return;
  for (const auto& o : owners) {
    if (o == owner) return;
  }
  owners.push_back(std::move(owner));
}

void Column::ShareOwners(const Column& other) {
  for (const auto& o : other.owners) AddOwner(o);
  if (other.dictionary) {
    for (const auto& o : other.dictionary->owners) AddOwner(o);
  }
}

int64_t Column::ByteSize() const {
  int64_t bytes = static_cast<int64_t>(nulls.size() + longs.size() * 8 + doubles.size() * 8 +
                                       offsets.size() * 4 + element_nulls.size() + ids.size() * 4);
  bytes += static_cast<int64_t>(strings.size() * sizeof(std::string_view));
  if (!dictionary) {
    for (std::string_view s : strings) bytes += static_cast<int64_t>(s.size());
  }
  return bytes;
}

types::Value GetValue(const Column& c, int64_t row) {
  using types::Value;
  if (c.IsNull(row)) return Value::Null();
  switch (c.type) {
    case ColumnType::kLong:
      return Value::Long(c.longs[row]);
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      return Value::Double(c.doubles[row]);
    case ColumnType::kString:
      if (c.multi_value) {
        uint32_t begin = c.offsets[row], end = c.offsets[row + 1];
        if (end - begin == 1) {
          return IsNullString(c.strings[begin]) ? Value::Null() : Value::String(std::string(c.strings[begin]));
        }
        std::vector<Value> elems;
        for (uint32_t i = begin; i < end; ++i) {
          elems.push_back(IsNullString(c.strings[i]) ? Value::Null() : Value::String(std::string(c.strings[i])));
        }
        return Value::Array(std::move(elems));
      }
      return Value::String(std::string(c.strings[row]));
    case ColumnType::kComplex:
      return Value::String(std::string(c.strings[row]));
    case ColumnType::kStringArray:
    case ColumnType::kLongArray:
    case ColumnType::kDoubleArray: {
      std::vector<Value> elems;
      for (uint32_t i = c.offsets[row]; i < c.offsets[row + 1]; ++i) {
        bool elem_null = !c.element_nulls.empty() && c.element_nulls[i];
        if (c.type == ColumnType::kStringArray) {
          elems.push_back(IsNullString(c.strings[i]) ? Value::Null() : Value::String(std::string(c.strings[i])));
        } else if (elem_null) {
          elems.push_back(Value::Null());
        } else if (c.type == ColumnType::kLongArray) {
          elems.push_back(Value::Long(c.longs[i]));
        } else {
          elems.push_back(Value::Double(c.doubles[i]));
        }
      }
      return Value::Array(std::move(elems));
    }
  }
  return Value::Null();
}

ColumnPtr MakeConstantColumn(const types::Value& value, ColumnType type, int64_t num_rows) {
  if (value.is_null()) return MakeNullColumn(type, num_rows);
  auto col = std::make_shared<Column>();
  col->type = type;
  col->num_rows = num_rows;
  switch (type) {
    case ColumnType::kLong:
      col->longs.assign(num_rows, value.is_double() ? static_cast<int64_t>(value.double_value())
                                                    : (value.is_long() ? value.long_value() : 0));
      break;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      col->doubles.assign(num_rows, value.AsDouble());
      break;
    case ColumnType::kString:
    case ColumnType::kComplex: {
      if (type == ColumnType::kString && value.is_array()) {
        // A multi-value string constant (e.g. STRING_TO_MV('a,b', ',') folded at planning time).
        ColumnBuilder b(type, /*multi_value=*/true);
        for (int64_t i = 0; i < num_rows; ++i) b.AppendValue(value);
        ColumnPtr mv = b.Finish();
        if (!value.array_value().empty()) return mv;
        auto empty = std::make_shared<Column>(*mv);  // an empty array, not NULL (column.h)
        empty->nulls.assign(num_rows, 0);
        return empty;
      }
      auto arena = std::make_shared<base::Arena>(256);
      std::string text = value.is_string() ? value.string_value() : value.ToString();
      std::string_view s = arena->Copy(text);
      col->strings.assign(num_rows, s);
      col->AddOwner(arena);
      break;
    }
    default: {
      ColumnBuilder b(type);
      for (int64_t i = 0; i < num_rows; ++i) b.AppendValue(value);
      return b.Finish();
    }
  }
  return col;
}

ColumnPtr MakeNullColumn(ColumnType type, int64_t num_rows) {
  auto col = std::make_shared<Column>();
  col->type = type;
  col->num_rows = num_rows;
  switch (type) {
    case ColumnType::kLong:
      col->longs.assign(num_rows, 0);
      col->nulls.assign(num_rows, 1);
      break;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      col->doubles.assign(num_rows, 0.0);
      col->nulls.assign(num_rows, 1);
      break;
    case ColumnType::kString:
    case ColumnType::kComplex:
      col->strings.assign(num_rows, kNullString);
      break;
    default:
      col->offsets.assign(num_rows + 1, 0);
      col->nulls.assign(num_rows, 1);
      break;
  }
  return col;
}

namespace {

// Copies the element range of each selected row of an offsets-based column.
template <typename Indexer>
void GatherElements(const Column& c, Column* out, int64_t num_rows, Indexer row_of) {
  out->offsets.resize(num_rows + 1);
  out->offsets[0] = 0;
  for (int64_t i = 0; i < num_rows; ++i) {
    int64_t r = row_of(i);
    uint32_t begin = c.offsets[r], end = c.offsets[r + 1];
    for (uint32_t e = begin; e < end; ++e) {
      if (!c.strings.empty()) out->strings.push_back(c.strings[e]);
      if (!c.longs.empty()) out->longs.push_back(c.longs[e]);
      if (!c.doubles.empty()) out->doubles.push_back(c.doubles[e]);
      if (!c.element_nulls.empty()) out->element_nulls.push_back(c.element_nulls[e]);
    }
    out->offsets[i + 1] = static_cast<uint32_t>(out->strings.size() + out->longs.size() + out->doubles.size());
  }
}

template <typename Indexer>
ColumnPtr GatherImpl(const Column& c, int64_t num_rows, Indexer row_of) {
  auto out = std::make_shared<Column>();
  out->type = c.type;
  out->num_rows = num_rows;
  out->multi_value = c.multi_value;
  out->complex_type = c.complex_type;
  out->owners = c.owners;
  if (!c.nulls.empty()) {
    out->nulls.resize(num_rows);
    for (int64_t i = 0; i < num_rows; ++i) out->nulls[i] = c.nulls[row_of(i)];
  }
  if (c.has_offsets()) {
    GatherElements(c, out.get(), num_rows, row_of);
    return out;
  }
  switch (c.type) {
    case ColumnType::kLong:
      out->longs.resize(num_rows);
      for (int64_t i = 0; i < num_rows; ++i) out->longs[i] = c.longs[row_of(i)];
      break;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      out->doubles.resize(num_rows);
      for (int64_t i = 0; i < num_rows; ++i) out->doubles[i] = c.doubles[row_of(i)];
      break;
    default:
      if (c.dictionary && c.strings.empty() && c.num_rows > 0) {
        // Ids only (see column.h): stays so.
        out->dictionary = c.dictionary;
        out->ids.resize(num_rows);
        for (int64_t i = 0; i < num_rows; ++i) out->ids[i] = c.ids[row_of(i)];
        break;
      }
      out->strings.resize(num_rows);
      for (int64_t i = 0; i < num_rows; ++i) out->strings[i] = c.strings[row_of(i)];
      if (c.dictionary) {
        out->dictionary = c.dictionary;
        out->ids.resize(num_rows);
        for (int64_t i = 0; i < num_rows; ++i) out->ids[i] = c.ids[row_of(i)];
      }
      break;
  }
  return out;
}

}  // namespace

ColumnPtr Gather(const Column& column, const std::vector<uint32_t>& indices) {
  return GatherImpl(column, static_cast<int64_t>(indices.size()), [&](int64_t i) { return indices[i]; });
}

ColumnPtr CompactCopy(const Column& column) {
  auto out = std::make_shared<Column>(column);
  out->owners.clear();
  out->dictionary.reset();
  out->ids.clear();
  if (!out->strings.empty()) {
    size_t bytes = 0;
    for (std::string_view s : out->strings) bytes += s.size() + 1;
    auto arena = std::make_shared<base::Arena>(std::max<size_t>(64, bytes));
    for (auto& s : out->strings) {
      if (!IsNullString(s)) s = s.empty() ? kEmptyString : arena->Copy(s);
    }
    out->owners.push_back(arena);
  }
  return out;
}

ColumnPtr Slice(const Column& column, int64_t offset, int64_t length) {
  if (offset == 0 && length == column.num_rows) {
    return std::make_shared<Column>(column);
  }
  return GatherImpl(column, length, [offset](int64_t i) { return offset + i; });
}

ColumnPtr Concat(const std::vector<ColumnPtr>& parts) {
  auto out = std::make_shared<Column>();
  if (parts.empty()) return out;
  const Column& first = *parts[0];
  out->type = first.type;
  out->complex_type = first.complex_type;
  bool any_nulls = false, any_offsets = false, any_elem_nulls = false;
  bool same_dict = first.dictionary != nullptr;
  int64_t total = 0;
  for (const auto& p : parts) {
    total += p->num_rows;
    any_nulls |= p->has_nulls();
    any_offsets |= p->has_offsets();
    any_elem_nulls |= !p->element_nulls.empty();
    if (p->dictionary != first.dictionary) same_dict = false;
    out->ShareOwners(*p);
    out->multi_value |= p->multi_value;
  }
  out->num_rows = total;
  if (any_nulls) out->nulls.reserve(total);
  if (any_offsets) {
    out->offsets.reserve(total + 1);
    out->offsets.push_back(0);
  }
  for (const auto& p : parts) {
    const Column& c = *p;
    if (any_nulls) {
      if (c.has_nulls()) {
        out->nulls.insert(out->nulls.end(), c.nulls.begin(), c.nulls.end());
      } else {
        // Rows of strings (single or multi-value) can be NULL without a null vector.
        for (int64_t i = 0; i < c.num_rows; ++i) out->nulls.push_back(c.IsNull(i) ? 1 : 0);
      }
    }
    if (any_offsets && !c.has_offsets()) {
      // A single-valued string part inside a multi-value result: one element per non-null row,
      // none for a NULL row.
      for (int64_t i = 0; i < c.num_rows; ++i) {
        if (!IsNullString(c.strings[i])) out->strings.push_back(c.strings[i]);
        out->offsets.push_back(static_cast<uint32_t>(out->strings.size()));
      }
      continue;
    }
    if (any_offsets) {
      uint32_t base = out->offsets.back();
      uint32_t first_off = c.offsets[0];
      for (int64_t i = 1; i <= c.num_rows; ++i) out->offsets.push_back(base + c.offsets[i] - first_off);
    }
    if (any_elem_nulls) {
      size_t elems = c.has_offsets() ? c.offsets[c.num_rows] - c.offsets[0] : static_cast<size_t>(c.num_rows);
      if (!c.element_nulls.empty()) {
        out->element_nulls.insert(out->element_nulls.end(), c.element_nulls.begin(), c.element_nulls.end());
      } else {
        out->element_nulls.insert(out->element_nulls.end(), elems, 0);
      }
    }
    out->longs.insert(out->longs.end(), c.longs.begin(), c.longs.end());
    out->doubles.insert(out->doubles.end(), c.doubles.begin(), c.doubles.end());
    out->strings.insert(out->strings.end(), c.strings.begin(), c.strings.end());
    if (same_dict) out->ids.insert(out->ids.end(), c.ids.begin(), c.ids.end());
  }
  if (same_dict) out->dictionary = first.dictionary;
  return out;
}

ColumnBuilder::ColumnBuilder(ColumnType type, bool multi_value) {
  column_ = std::make_shared<Column>();
  column_->type = type;
  column_->multi_value = multi_value && type == ColumnType::kString;
  if (column_->multi_value || types::IsArray(type)) column_->offsets.push_back(0);
}

void ColumnBuilder::Reserve(int64_t rows) {
  switch (column_->type) {
    case ColumnType::kLong: column_->longs.reserve(rows); break;
    case ColumnType::kFloat:
    case ColumnType::kDouble: column_->doubles.reserve(rows); break;
    default: column_->strings.reserve(rows); break;
  }
}

void ColumnBuilder::MarkNull(bool is_null) {
  Column& c = *column_;
  if (!is_null && c.nulls.empty()) return;  // no NULL so far: no null vector
  // Rows appended before the first NULL were not NULL.
  c.nulls.resize(static_cast<size_t>(c.num_rows), 0);
  c.nulls.push_back(is_null ? 1 : 0);
}

void ColumnBuilder::EndRow() {
  Column& c = *column_;
  ++c.num_rows;
  if (c.has_offsets()) {
    c.offsets.push_back(static_cast<uint32_t>(c.strings.size() + c.longs.size() + c.doubles.size()));
  }
}

void ColumnBuilder::AppendNull() {
  Column& c = *column_;
  switch (c.type) {
    case ColumnType::kLong:
      c.longs.push_back(0);
      MarkNull(true);
      break;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      c.doubles.push_back(0);
      MarkNull(true);
      break;
    case ColumnType::kString:
    case ColumnType::kComplex:
      if (!c.multi_value) c.strings.push_back(kNullString);
      break;
    default:
      MarkNull(true);
      break;
  }
  EndRow();
}

void ColumnBuilder::AppendLong(int64_t v) {
  Column& c = *column_;
  switch (c.type) {
    case ColumnType::kLong: c.longs.push_back(v); MarkNull(false); break;
    case ColumnType::kFloat:
    case ColumnType::kDouble: c.doubles.push_back(static_cast<double>(v)); MarkNull(false); break;
    case ColumnType::kLongArray: c.longs.push_back(v); MarkNull(false); break;
    default: AppendString(std::to_string(v)); return;
  }
  EndRow();
}

void ColumnBuilder::AppendDouble(double v) {
  Column& c = *column_;
  switch (c.type) {
    case ColumnType::kLong: c.longs.push_back(static_cast<int64_t>(v)); MarkNull(false); break;
    case ColumnType::kFloat: c.doubles.push_back(static_cast<double>(static_cast<float>(v))); MarkNull(false); break;
    case ColumnType::kDouble:
    case ColumnType::kDoubleArray: c.doubles.push_back(v); MarkNull(false); break;
    default: AppendString(types::Value::Double(v).ToString()); return;
  }
  EndRow();
}

void ColumnBuilder::AppendString(std::string_view s) {
  if (IsNullString(s)) {
    AppendNull();
    return;
  }
  if (!arena_) {
    arena_ = std::make_shared<base::Arena>();
    column_->AddOwner(arena_);
  }
  AppendStringNoCopy(arena_->Copy(s));
}

void ColumnBuilder::AppendStringNoCopy(std::string_view s) {
  Column& c = *column_;
  if (c.type == ColumnType::kString || c.type == ColumnType::kComplex || c.type == ColumnType::kStringArray) {
    if (c.multi_value && IsNullString(s)) {
      EndRow();
      return;
    }
    c.strings.push_back(s);
    if (c.type == ColumnType::kStringArray) MarkNull(false);
    EndRow();
    return;
  }
  // Numeric column: parse the text; unparseable text is NULL.
  types::Value v = types::Value::Null();
  if (!IsNullString(s) && !s.empty()) {
    char* end = nullptr;
    std::string tmp(s);
    long long lv = std::strtoll(tmp.c_str(), &end, 10);
    if (end && *end == '\0') {
      v = types::Value::Long(lv);
    } else {
      double dv = std::strtod(tmp.c_str(), &end);
      if (end && *end == '\0') v = types::Value::Double(dv);
    }
  }
  AppendValue(v);
}

void ColumnBuilder::AppendStrings(const std::vector<std::string_view>& elements) {
  Column& c = *column_;
  if (!arena_) {
    arena_ = std::make_shared<base::Arena>();
    column_->AddOwner(arena_);
  }
  if (!c.has_offsets()) {
    // Single-valued column: keep the lone element (or NULL).
    if (elements.size() == 1) AppendString(elements[0]);
    else if (elements.empty()) AppendNull();
    else AppendString(elements[0]);
    return;
  }
  for (std::string_view e : elements) c.strings.push_back(IsNullString(e) ? kNullString : arena_->Copy(e));
  if (c.type == ColumnType::kStringArray) MarkNull(false);
  EndRow();
}

void ColumnBuilder::AppendValue(const types::Value& v) {
  Column& c = *column_;
  if (v.is_null()) {
    AppendNull();
    return;
  }
  if (types::IsArray(c.type) || c.multi_value) {
    if (!v.is_array()) {
      if (c.type == ColumnType::kLongArray || c.type == ColumnType::kDoubleArray) {
        if (c.type == ColumnType::kLongArray) c.longs.push_back(v.is_long() ? v.long_value() : static_cast<int64_t>(v.AsDouble()));
        else c.doubles.push_back(v.AsDouble());
        if (!c.element_nulls.empty()) c.element_nulls.push_back(0);
        MarkNull(false);
        EndRow();
        return;
      }
      AppendStrings({v.is_string() ? std::string_view(v.string_value()) : std::string_view(v.ToString())});
      return;
    }
    const auto& elems = v.array_value();
    if (c.type == ColumnType::kLongArray || c.type == ColumnType::kDoubleArray) {
      for (const auto& e : elems) {
        bool null = e.is_null();
        // element_nulls is empty (no NULL element yet) or has one entry per element.
        if (null && c.element_nulls.empty()) c.element_nulls.assign(c.longs.size() + c.doubles.size(), 0);
        if (c.type == ColumnType::kLongArray) c.longs.push_back(null ? 0 : (e.is_long() ? e.long_value() : static_cast<int64_t>(e.AsDouble())));
        else c.doubles.push_back(null ? 0 : e.AsDouble());
        if (null || !c.element_nulls.empty()) c.element_nulls.push_back(null ? 1 : 0);
      }
      MarkNull(false);
      EndRow();
      return;
    }
    std::vector<std::string> texts;
    texts.reserve(elems.size());
    std::vector<std::string_view> views;
    for (const auto& e : elems) {
      if (e.is_null()) {
        texts.emplace_back();
      } else {
        texts.push_back(e.is_string() ? e.string_value() : e.ToString());
      }
    }
    for (size_t i = 0; i < elems.size(); ++i) views.push_back(elems[i].is_null() ? kNullString : std::string_view(texts[i]));
    AppendStrings(views);
    return;
  }
  switch (c.type) {
    case ColumnType::kLong:
      if (v.is_long()) AppendLong(v.long_value());
      else if (v.is_double()) AppendLong(static_cast<int64_t>(v.double_value()));
      else AppendStringNoCopy(v.string_value());  // parses
      return;
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      if (v.is_number()) AppendDouble(v.AsDouble());
      else AppendStringNoCopy(v.string_value());
      return;
    default:
      if (v.is_string()) AppendString(v.string_value());
      else if (v.is_array() && !v.array_value().empty()) AppendValue(v.array_value()[0]);
      else AppendString(v.ToString());
      return;
  }
}

ColumnPtr ColumnBuilder::Finish() {
  ColumnPtr out = std::move(column_);
  ColumnType type = out->type;
  bool mv = out->multi_value;
  column_ = std::make_shared<Column>();
  column_->type = type;
  column_->multi_value = mv;
  if (mv || types::IsArray(type)) column_->offsets.push_back(0);
  arena_.reset();
  return out;
}

}  // namespace strata::columnar
