// ARRAY and multi-value string functions: Druid's array expressions (array, array_length,
// array_offset, array_contains, array_append, array_slice, array_to_string, string_to_array, ...)
// that back both the SQL ARRAY_* and MV_* functions.
//
// Every array argument is read through ArrayView, which presents any column as one array (or
// NULL) per row:
//   - ARRAY<...> columns as they are;
//   - multi-value strings by their elements (a NULL row is a NULL array);
//   - single-valued columns, strings and numbers, as one-element arrays (NULL for a NULL row):
//     a VARCHAR column is multi-value in the segments where some row has several values and
//     single-valued in the others, and a scalar second argument of ARRAY_CONTAINS is an array of
//     one element.
// Results are built by ArrayBuilder, whose shape follows the call's type: an ARRAY column, or a
// multi-value VARCHAR (the MV_* functions). A multi-value result keeps an empty array apart from
// NULL with its `nulls` vector (columnar/column.h).
//
// NULL rules (Druid, SQL-compatible): a NULL array argument gives NULL; a NULL scalar argument is
// a NULL element (ARRAY_APPEND(a, NULL) appends one); out-of-range positions and elements that
// are not found give NULL.
#include <re2/re2.h>

#include <algorithm>
#include <cmath>
#include <cstring>
#include <optional>

#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"

namespace strata::engine {
using columnar::Column;
using columnar::IsNullString;

namespace {

using internal::NewColumn;
using internal::NullAt;
using internal::SetNull;

// One argument column read as arrays (see the file comment).
class ArrayView;
std::vector<ArrayView> Views(const std::vector<ColumnPtr>& args);

class ArrayView {
 public:
  explicit ArrayView(const Column& c) : c_(c), has_offsets_(c.has_offsets()) {}

  const Column& column() const { return c_; }
  bool IsNull(int64_t row) const { return NullAt(c_, row); }
  /// Element positions of row `row`: [Begin, End).
  uint32_t Begin(int64_t row) const { return has_offsets_ ? c_.offsets[row] : static_cast<uint32_t>(row); }
  uint32_t End(int64_t row) const { return has_offsets_ ? c_.offsets[row + 1] : static_cast<uint32_t>(row + 1); }
  uint32_t Length(int64_t row) const { return End(row) - Begin(row); }

  /// The type of the elements: kString, kLong, kFloat or kDouble.
  ColumnType element_type() const { return types::ElementType(c_.type); }
  bool is_string() const { return element_type() == ColumnType::kString || element_type() == ColumnType::kComplex; }

  bool ElementNull(uint32_t e) const {
    if (is_string()) return IsNullString(c_.strings[e]);
    if (has_offsets_) return !c_.element_nulls.empty() && c_.element_nulls[e] != 0;
    return !c_.nulls.empty() && c_.nulls[e] != 0;
  }
  std::string_view String(uint32_t e) const { return c_.strings[e]; }

  /// The element as a long: numbers truncated, strings parsed (nullopt if not a number).
  std::optional<int64_t> Long(uint32_t e) const {
    switch (element_type()) {
      case ColumnType::kLong: return c_.longs[e];
      case ColumnType::kFloat:
      case ColumnType::kDouble: return DoubleToLong(c_.doubles[e]);
      default: {
        int64_t v = 0;
        if (types::ParseLongStrict(c_.strings[e], &v)) return v;
        double d = 0;
        if (types::ParseDoubleStrict(c_.strings[e], &d)) return DoubleToLong(d);
        return std::nullopt;
      }
    }
  }
  /// The element as a double (strings parsed; nullopt if not a number).
  std::optional<double> Double(uint32_t e) const {
    switch (element_type()) {
      case ColumnType::kLong: return static_cast<double>(c_.longs[e]);
      case ColumnType::kFloat:
      case ColumnType::kDouble: return c_.doubles[e];
      default: {
        double d = 0;
        if (types::ParseDoubleStrict(c_.strings[e], &d)) return d;
        return std::nullopt;
      }
    }
  }
  /// The element as Java's String.valueOf prints it ("null" for NULL).
  std::string Text(uint32_t e) const {
    if (ElementNull(e)) return "null";
    switch (element_type()) {
      case ColumnType::kLong: return std::to_string(c_.longs[e]);
      case ColumnType::kFloat:
      case ColumnType::kDouble: return types::FormatDoubleJava(c_.doubles[e]);
      default: return std::string(c_.strings[e]);
    }
  }

 private:
  static int64_t DoubleToLong(double d) {
    if (std::isnan(d)) return 0;
    if (d >= 9.2233720368547758e18) return INT64_MAX;
    if (d <= -9.2233720368547758e18) return INT64_MIN;
    return static_cast<int64_t>(d);
  }

  const Column& c_;
  bool has_offsets_;
};

std::vector<ArrayView> Views(const std::vector<ColumnPtr>& args) {
  std::vector<ArrayView> views;
  views.reserve(args.size());
  for (const auto& a : args) views.emplace_back(*a);
  return views;
}

// Element equality as Druid's Objects.equals after the binder's coercions: NULL equals NULL only,
// strings by bytes, numbers by value; a string and a number compare as text.
bool ElementsEqual(const ArrayView& a, uint32_t ea, const ArrayView& b, uint32_t eb) {
  bool a_null = a.ElementNull(ea), b_null = b.ElementNull(eb);
  if (a_null || b_null) return a_null && b_null;
  if (a.is_string() && b.is_string()) return a.String(ea) == b.String(eb);
  if (a.is_string() || b.is_string()) return a.Text(ea) == b.Text(eb);
  if (a.element_type() == ColumnType::kLong && b.element_type() == ColumnType::kLong) return *a.Long(ea) == *b.Long(eb);
  return *a.Double(ea) == *b.Double(eb);
}

// Whether row `row` of `haystack` holds an element equal to element `e` of `needle`.
bool ContainsElement(const ArrayView& haystack, int64_t row, const ArrayView& needle, uint32_t e) {
  for (uint32_t h = haystack.Begin(row); h < haystack.End(row); ++h) {
    if (ElementsEqual(haystack, h, needle, e)) return true;
  }
  return false;
}

// Builds an array result column row by row. `type` is the call's type: kStringArray, kLongArray,
// kDoubleArray, or kString for a multi-value string.
class ArrayBuilder {
 public:
  ArrayBuilder(ColumnType type, int64_t num_rows) : column_(std::make_shared<Column>()) {
    column_->type = type;
    column_->multi_value = type == ColumnType::kString;
    column_->num_rows = num_rows;
    column_->offsets.reserve(num_rows + 1);
    column_->offsets.push_back(0);
    column_->nulls.reserve(num_rows);
    element_type_ = types::ElementType(type);
  }

  bool valid() const {
    return element_type_ == ColumnType::kString || element_type_ == ColumnType::kLong || element_type_ == ColumnType::kDouble;
  }

  void AppendNullRow() {
    column_->nulls.push_back(1);
    column_->offsets.push_back(column_->offsets.back());
    any_null_row_ = true;
  }
  /// Closes a non-NULL row holding the elements appended since the previous row.
  void EndRow() {
    uint32_t size = num_elements();
    any_empty_row_ |= size == column_->offsets.back();
    column_->nulls.push_back(0);
    column_->offsets.push_back(size);
  }

  void AppendNullElement() {
    switch (element_type_) {
      case ColumnType::kString: column_->strings.push_back(columnar::kNullString); break;
      case ColumnType::kLong: column_->longs.push_back(0); break;
      default: column_->doubles.push_back(0); break;
    }
    element_nulls_.push_back(1);
  }
  /// Appends element `e` of `v`, converted to the result's element type (text that is not a
  /// number becomes a NULL number).
  void AppendElement(const ArrayView& v, uint32_t e) {
    if (v.ElementNull(e)) {
      AppendNullElement();
      return;
    }
    switch (element_type_) {
      case ColumnType::kString:
        if (v.is_string()) AppendString(v.String(e));
        else AppendString(v.Text(e));
        return;
      case ColumnType::kLong: {
        std::optional<int64_t> x = v.Long(e);
        if (!x) return AppendNullElement();
        column_->longs.push_back(*x);
        element_nulls_.push_back(0);
        return;
      }
      default: {
        std::optional<double> x = v.Double(e);
        if (!x) return AppendNullElement();
        column_->doubles.push_back(*x);
        element_nulls_.push_back(0);
        return;
      }
    }
  }
  /// Appends elements [begin, end) of `v`.
  void AppendElements(const ArrayView& v, uint32_t begin, uint32_t end) {
    for (uint32_t e = begin; e < end; ++e) AppendElement(v, e);
  }
  /// Appends all elements of row `row` of `v` (nothing for a NULL row).
  void AppendRow(const ArrayView& v, int64_t row) {
    if (!v.IsNull(row)) AppendElements(v, v.Begin(row), v.End(row));
  }
  /// Appends a string element (copied); only for string results.
  void AppendString(std::string_view s) {
    column_->strings.push_back(s.empty() ? columnar::kEmptyString : arena_->Copy(s));
    element_nulls_.push_back(0);
  }

  /// The finished column. With `empty_is_null`, a multi-value result's rows without elements are
  /// NULL (MV_FILTER_ONLY / MV_FILTER_NONE, as Druid's filtered multi-value columns).
  ColumnPtr Finish(bool empty_is_null = false) {
    Column& c = *column_;
    if (element_type_ == ColumnType::kString) {
      c.AddOwner(arena_);
    } else if (std::find(element_nulls_.begin(), element_nulls_.end(), 1) != element_nulls_.end()) {
      c.element_nulls = std::move(element_nulls_);
    }
    bool keep_nulls = c.multi_value ? (any_empty_row_ && !empty_is_null) : any_null_row_;
    if (!keep_nulls) c.nulls.clear();
    return column_;
  }

 private:
  uint32_t num_elements() const {
    return static_cast<uint32_t>(column_->strings.size() + column_->longs.size() + column_->doubles.size());
  }

  std::shared_ptr<Column> column_;
  std::shared_ptr<base::Arena> arena_ = std::make_shared<base::Arena>();
  ColumnType element_type_;
  std::vector<uint8_t> element_nulls_;
  bool any_null_row_ = false;
  bool any_empty_row_ = false;
};

Status BadResultType(const Expr& call) {
  return Status::Internal("function [" + call.function() + "] cannot produce " + std::string(types::NativeTypeName(call.type())));
}

// Builds a scalar result (the element type of an array: strings, longs or doubles).
class ElementResult {
 public:
  ElementResult(ColumnType type, int64_t num_rows) : column_(NewColumn(type, num_rows)) {}
  void SetNull(int64_t i) {
    if (column_->type == ColumnType::kString) column_->strings[i] = columnar::kNullString;
    else internal::SetNull(column_.get(), i);
  }
  void Set(int64_t i, const ArrayView& v, uint32_t e) {
    if (v.ElementNull(e)) return SetNull(i);
    switch (column_->type) {
      case ColumnType::kString: {
        std::string text = v.is_string() ? std::string(v.String(e)) : v.Text(e);
        column_->strings[i] = text.empty() ? columnar::kEmptyString : arena_->Copy(text);
        return;
      }
      case ColumnType::kLong: {
        std::optional<int64_t> x = v.Long(e);
        if (!x) return SetNull(i);
        column_->longs[i] = *x;
        return;
      }
      default: {
        std::optional<double> x = v.Double(e);
        if (!x) return SetNull(i);
        column_->doubles[i] = *x;
        return;
      }
    }
  }
  ColumnPtr Finish() {
    column_->AddOwner(arena_);
    return column_;
  }

 private:
  std::shared_ptr<Column> column_;
  std::shared_ptr<base::Arena> arena_ = std::make_shared<base::Arena>();
};

// ARRAY[e1, e2, ...]: one element per argument (a multi-value argument contributes its elements,
// a NULL argument one NULL element).
Result<ColumnPtr> ArrayConstructor(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayBuilder out(call.type(), n);
  if (!out.valid() || call.type() == ColumnType::kString) return BadResultType(call);
  std::vector<ArrayView> views = Views(args);
  for (int64_t i = 0; i < n; ++i) {
    for (const ArrayView& v : views) {
      if (v.IsNull(i)) out.AppendNullElement();
      else out.AppendRow(v, i);
    }
    out.EndRow();
  }
  return out.Finish();
}

// array_length(arr)
Result<ColumnPtr> ArrayLength(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i)) SetNull(out.get(), i);
    else out->longs[i] = a.Length(i);
  }
  return ColumnPtr(out);
}

// array_offset(arr, index) (0-based) and array_ordinal(arr, index) (1-based).
template <int kBase>
Result<ColumnPtr> ArrayElementAt(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  const Column& index = *args[1];
  ElementResult out(call.type(), n);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || NullAt(index, i)) {
      out.SetNull(i);
      continue;
    }
    int64_t pos = internal::LongAt(index, i) - kBase;
    if (pos < 0 || pos >= a.Length(i)) out.SetNull(i);
    else out.Set(i, a, a.Begin(i) + static_cast<uint32_t>(pos));
  }
  return out.Finish();
}

// array_offset_of(arr, x) (0-based) and array_ordinal_of(arr, x) (1-based): the first position
// of x, NULL when absent. A NULL x finds the first NULL element.
template <int kBase>
Result<ColumnPtr> ArrayPositionOf(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  ArrayView x(*args[1]);
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i)) {
      SetNull(out.get(), i);
      continue;
    }
    bool x_null = x.IsNull(i);
    uint32_t xe = x.Begin(i);
    int64_t found = -1;
    for (uint32_t e = a.Begin(i); e < a.End(i) && found < 0; ++e) {
      if (x_null ? a.ElementNull(e) : ElementsEqual(a, e, x, xe)) found = e - a.Begin(i);
    }
    if (found < 0) SetNull(out.get(), i);
    else out->longs[i] = found + kBase;
  }
  return ColumnPtr(out);
}

// A BOOLEAN of two arrays per row: `test(a, b, row)`, NULL when either array is NULL.
template <typename Test>
ColumnPtr ArrayPredicate(const std::vector<ColumnPtr>& args, int64_t n, Test test) {
  ArrayView a(*args[0]);
  ArrayView b(*args[1]);
  auto out = internal::NewBoolColumn(n);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || b.IsNull(i)) SetNull(out.get(), i);
    else out->longs[i] = test(a, b, i) ? 1 : 0;
  }
  return ColumnPtr(out);
}

// array_contains(arr, x): every element of x (an array, or a scalar as one element) is in arr.
// array_overlap(a, b): some element of a is in b.
template <bool kContains>
Result<ColumnPtr> ArrayMembership(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  return ArrayPredicate(args, n, [](const ArrayView& a, const ArrayView& b, int64_t i) {
    if (kContains) {
      for (uint32_t e = b.Begin(i); e < b.End(i); ++e) {
        if (!ContainsElement(a, i, b, e)) return false;
      }
      return true;
    }
    for (uint32_t e = a.Begin(i); e < a.End(i); ++e) {
      if (ContainsElement(b, i, a, e)) return true;
    }
    return false;
  });
}

// array_equals(a, b) / array_not_equals(a, b): same length and equal elements in order (NULL
// elements equal each other, as Druid compares arrays).
template <bool kEqual>
Result<ColumnPtr> ArrayEquality(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  return ArrayPredicate(args, n, [](const ArrayView& a, const ArrayView& b, int64_t i) {
    bool equal = a.Length(i) == b.Length(i);
    for (uint32_t k = 0; equal && k < a.Length(i); ++k) equal = ElementsEqual(a, a.Begin(i) + k, b, b.Begin(i) + k);
    return equal == kEqual;
  });
}

// array_append(arr, x) / array_prepend(x, arr).
template <bool kAppend>
Result<ColumnPtr> ArrayAddElement(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[kAppend ? 0 : 1]);
  ArrayView x(*args[kAppend ? 1 : 0]);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    if (!kAppend) {
      if (x.IsNull(i)) out.AppendNullElement();
      else out.AppendRow(x, i);
    }
    out.AppendRow(a, i);
    if (kAppend) {
      if (x.IsNull(i)) out.AppendNullElement();
      else out.AppendRow(x, i);
    }
    out.EndRow();
  }
  return out.Finish();
}

// array_concat(a, b): NULL when either is NULL.
Result<ColumnPtr> ArrayConcat(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  ArrayView b(*args[1]);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || b.IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    out.AppendRow(a, i);
    out.AppendRow(b, i);
    out.EndRow();
  }
  return out.Finish();
}

// array_slice(arr, start[, end]): elements [start, end) (0-based; end defaults to the length).
// NULL when start < 0, start > length or start > end; an end past the length pads with NULLs
// (Java's Arrays.copyOfRange, which Druid uses).
constexpr int64_t kMaxSlicePadding = 1 << 20;

Result<ColumnPtr> ArraySlice(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  const Column& start_col = *args[1];
  const Column* end_col = args.size() > 2 ? args[2].get() : nullptr;
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || NullAt(start_col, i)) {
      out.AppendNullRow();
      continue;
    }
    int64_t length = a.Length(i);
    int64_t start = internal::LongAt(start_col, i);
    int64_t end = end_col && !NullAt(*end_col, i) ? internal::LongAt(*end_col, i) : length;
    if (start < 0 || start > length || start > end) {
      out.AppendNullRow();
      continue;
    }
    int64_t stop = std::min(end, length);
    if (end - stop > kMaxSlicePadding) {
      // Druid pads a slice past the end with NULLs (Arrays.copyOfRange); a runaway end is an error.
      return Status::InvalidInput("ARRAY_SLICE end [" + std::to_string(end) + "] is more than " +
                                  std::to_string(kMaxSlicePadding) + " elements past the array's end");
    }
    out.AppendElements(a, a.Begin(i) + static_cast<uint32_t>(start), a.Begin(i) + static_cast<uint32_t>(stop));
    for (int64_t pad = stop; pad < end; ++pad) out.AppendNullElement();
    out.EndRow();
  }
  return out.Finish();
}

// array_to_string(arr, delimiter): the elements' text joined ("null" for NULL elements, as Java's
// String.valueOf). NULL for a NULL array and for an array holding only NULL.
Result<ColumnPtr> ArrayToString(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  const Column& delimiter = *args[1];
  internal::StringResult out(n);
  std::string text;
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i) || (a.Length(i) == 1 && a.ElementNull(a.Begin(i)))) {
      out.SetNull(i);
      continue;
    }
    std::string_view delim = NullAt(delimiter, i) ? std::string_view() : delimiter.strings[i];
    text.clear();
    for (uint32_t e = a.Begin(i); e < a.End(i); ++e) {
      if (e != a.Begin(i)) text.append(delim);
      text += a.Text(e);
    }
    out.Set(i, text.empty() ? columnar::kEmptyString : std::string_view(text));
  }
  return out.Finish();
}

// Java's String.split(regex): pieces between matches; a zero-width match at the start makes no
// empty first piece; trailing empty pieces are dropped; no match at all gives the whole string.
void JavaSplit(std::string_view s, const RE2& re, std::vector<std::string_view>* pieces) {
  pieces->clear();
  re2::StringPiece input(s.data(), s.size());
  size_t index = 0;   // start of the current piece
  size_t search = 0;  // where the next match is looked for
  bool matched = false;
  re2::StringPiece m;
  while (search <= s.size() && re.Match(input, search, s.size(), RE2::UNANCHORED, &m, 1)) {
    size_t begin = static_cast<size_t>(m.data() - s.data());
    size_t end = begin + m.size();
    if (begin == end) {
      // After an empty match the next search starts one character later (Matcher.find).
      size_t step = 1;
      while (begin + step < s.size() && (static_cast<unsigned char>(s[begin + step]) & 0xC0) == 0x80) ++step;
      search = begin + step;
      if (begin == 0) continue;
    } else {
      search = end;
    }
    pieces->push_back(s.substr(index, begin - index));
    index = end;
    matched = true;
  }
  if (!matched) {
    pieces->push_back(s);
    return;
  }
  pieces->push_back(s.substr(index));
  while (!pieces->empty() && pieces->back().empty()) pieces->pop_back();
}

// The delimiter pattern of string_to_array, compiled once when it is a literal.
Result<std::shared_ptr<const void>> PrepareSplit(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) return std::shared_ptr<const void>();
  const std::string& pattern = args[1]->literal().string_value();
  auto re = std::make_shared<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) return Status::InvalidInput("Invalid regular expression [" + pattern + "]: " + re->error());
  return std::shared_ptr<const void>(re);
}

// string_to_array(s, regex) / STRING_TO_MV: s split on a regular expression (Java's
// String.split). A NULL delimiter splits between characters.
Result<ColumnPtr> StringToArray(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView s(*args[0]);
  const Column& delimiter = *args[1];
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  std::vector<std::string_view> pieces;
  for (int64_t i = 0; i < n; ++i) {
    if (s.IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    // A multi-value input is split by its first value.
    std::string text = s.is_string() ? std::string(s.String(s.Begin(i))) : s.Text(s.Begin(i));
    const RE2* re = call.state<RE2>();
    std::unique_ptr<RE2> holder;
    if (re == nullptr) {
      std::string pattern = NullAt(delimiter, i) ? std::string() : std::string(delimiter.strings[i]);
      holder = std::make_unique<RE2>(pattern, RE2::Quiet);
      if (!holder->ok()) return Status::InvalidInput("Invalid regular expression [" + pattern + "]: " + holder->error());
      re = holder.get();
    }
    JavaSplit(text, *re, &pieces);
    for (std::string_view p : pieces) out.AppendString(p);
    out.EndRow();
  }
  return out.Finish();
}

// Conversions between arrays and multi-value strings, and between element types: mv_to_array,
// array_to_mv and the binder's array casts all copy the elements into the call's type.
Result<ColumnPtr> ArrayConvert(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    out.AppendRow(a, i);
    out.EndRow();
  }
  return out.Finish();
}

// mv_filter_only(mv, values) / mv_filter_none(mv, values): keeps the elements that are (not) in
// `values`. A row left without elements is NULL, as Druid's filtered multi-value columns.
template <bool kKeepListed>
Result<ColumnPtr> MvFilter(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  ArrayView a(*args[0]);
  ArrayView values(*args[1]);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    if (a.IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    for (uint32_t e = a.Begin(i); e < a.End(i); ++e) {
      bool listed = !values.IsNull(i) && ContainsElement(values, i, a, e);
      if (listed == kKeepListed) out.AppendElement(a, e);
    }
    out.EndRow();
  }
  return out.Finish(/*empty_is_null=*/true);
}

// array_case_searched(cond1, value1, ..., [else]): CASE over array values.
Result<ColumnPtr> ArrayCaseSearched(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  size_t pairs = args.size() / 2;
  bool has_else = args.size() % 2 == 1;
  std::vector<ArrayView> views = Views(args);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    const ArrayView* chosen = has_else ? &views.back() : nullptr;
    for (size_t p = 0; p < pairs; ++p) {
      const Column& cond = *args[2 * p];
      if (!NullAt(cond, i) && internal::LongAt(cond, i) != 0) {
        chosen = &views[2 * p + 1];
        break;
      }
    }
    if (chosen == nullptr || chosen->IsNull(i)) {
      out.AppendNullRow();
      continue;
    }
    out.AppendRow(*chosen, i);
    out.EndRow();
  }
  return out.Finish();
}

// array_coalesce(a, b, ...): the first non-NULL array.
Result<ColumnPtr> ArrayCoalesce(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  std::vector<ArrayView> views = Views(args);
  ArrayBuilder out(call.type(), n);
  if (!out.valid()) return BadResultType(call);
  for (int64_t i = 0; i < n; ++i) {
    const ArrayView* chosen = nullptr;
    for (const ArrayView& v : views) {
      if (!v.IsNull(i)) {
        chosen = &v;
        break;
      }
    }
    if (chosen == nullptr) {
      out.AppendNullRow();
      continue;
    }
    out.AppendRow(*chosen, i);
    out.EndRow();
  }
  return out.Finish();
}

void Register(const char* name, Kernel kernel, bool handles_multi_value = true, Prepare prepare = nullptr) {
  RegisterFunction(FunctionDef{name, std::move(kernel), std::move(prepare), handles_multi_value});
}

}  // namespace

void RegisterArrayFunctions() {
  // All of these read multi-value strings as arrays themselves (handles_multi_value).
  Register("array", ArrayConstructor);
  Register("array_length", ArrayLength);
  Register("array_offset", ArrayElementAt<0>);
  Register("array_ordinal", ArrayElementAt<1>);
  Register("array_offset_of", ArrayPositionOf<0>);
  Register("array_ordinal_of", ArrayPositionOf<1>);
  Register("array_contains", ArrayMembership<true>);
  Register("array_overlap", ArrayMembership<false>);
  Register("array_equals", ArrayEquality<true>);
  Register("array_not_equals", ArrayEquality<false>);
  Register("array_append", ArrayAddElement<true>);
  Register("array_prepend", ArrayAddElement<false>);
  Register("array_concat", ArrayConcat);
  Register("array_slice", ArraySlice);
  Register("array_to_string", ArrayToString);
  Register("string_to_array", StringToArray, true, PrepareSplit);
  Register("mv_to_array", ArrayConvert);
  Register("array_to_mv", ArrayConvert);
  Register("array_cast", ArrayConvert);
  Register("mv_filter_only", MvFilter<true>);
  Register("mv_filter_none", MvFilter<false>);
  Register("array_case_searched", ArrayCaseSearched);
  Register("array_coalesce", ArrayCoalesce);
}

}  // namespace strata::engine
