// Column: one typed vector of values, the unit operators work on. A Frame (frame.h) is a batch of
// columns with the same row count.
//
// Layout by type (fields not listed stay empty):
//   kLong                 longs[num_rows]; nulls optional
//   kFloat, kDouble       doubles[num_rows] (FLOAT values are held as the exactly converted double
//                         and printed as float); nulls optional
//   kString               strings[num_rows]. A string whose data() is nullptr is SQL NULL; an empty
//                         string always has a non-null data pointer. Optionally dictionary-encoded:
//                         `dictionary` + ids[num_rows], with strings[i] == dictionary->values[ids[i]].
//                         A scan told that its consumer reads ids only (TableInput::ids_only_columns:
//                         group keys) leaves `strings` empty; such a column only travels from the scan
//                         (Gather/Slice keep it ids-only) to an aggregation, which reads the ids.
//   kString multi-value   multi_value = true, offsets[num_rows + 1], strings[offsets.back()] hold
//                         the elements; a row with no elements is NULL (Druid treats [] as null),
//                         unless `nulls` is present: then `nulls` alone says which rows are NULL
//                         and a non-NULL row without elements is an empty array (expression
//                         results such as MV_SLICE, shown as []). Stored columns never have `nulls`.
//   kStringArray          offsets[num_rows + 1], strings[elements] (null elements use the null
//                         marker); nulls marks NULL rows (distinct from the empty array).
//   kLongArray            offsets, longs[elements], element_nulls optional; nulls for NULL rows.
//   kDoubleArray          offsets, doubles[elements], element_nulls optional; nulls for NULL rows.
//   kComplex              strings[num_rows] hold serialized values (e.g. an HLL sketch);
//                         complex_type names the kind ("hyperUnique").
//
// `nulls` is either empty (no nulls) or num_rows bytes, 1 = NULL. Strings point into memory kept
// alive by `owners` (arenas, memory-mapped segments, dictionaries).
//
// Columns are immutable once shared: operators pass ColumnPtr (shared_ptr<const Column>) so that a
// projection of an input column costs a pointer copy.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "types/data_type.h"
#include "types/value.h"

namespace strata::columnar {

using types::ColumnType;

/// The SQL NULL marker for strings.
inline constexpr std::string_view kNullString{};
inline bool IsNullString(std::string_view s) { return s.data() == nullptr; }
/// A non-null empty string.
inline constexpr std::string_view kEmptyString{"", 0};

/// Distinct string values referenced by id. Ids are dense from 0. Immutable once built.
struct Dictionary {
  std::vector<std::string_view> values;
  /// True when values are in ascending byte order (segment dictionaries), which lets range
  /// filters and ORDER BY work on ids.
  bool sorted = false;
  /// Keeps the bytes of `values` alive.
  std::vector<std::shared_ptr<const void>> owners;

  int32_t size() const { return static_cast<int32_t>(values.size()); }
};

struct Column {
  ColumnType type = ColumnType::kLong;
  int64_t num_rows = 0;
  std::vector<uint8_t> nulls;
  std::vector<int64_t> longs;
  std::vector<double> doubles;
  std::vector<std::string_view> strings;
  std::vector<uint32_t> offsets;
  std::vector<uint8_t> element_nulls;
  bool multi_value = false;
  std::shared_ptr<const Dictionary> dictionary;
  std::vector<int32_t> ids;
  std::string complex_type;
  std::vector<std::shared_ptr<const void>> owners;

  bool has_nulls() const { return !nulls.empty(); }
  bool has_offsets() const { return !offsets.empty(); }
  /// Is row `row` SQL NULL?
  bool IsNull(int64_t row) const {
    switch (type) {
      case ColumnType::kString:
        if (multi_value) return nulls.empty() ? offsets[row + 1] == offsets[row] : nulls[row] != 0;
        return strings[row].data() == nullptr;
      case ColumnType::kComplex:
        return strings[row].data() == nullptr;
      default:
        return !nulls.empty() && nulls[row] != 0;
    }
  }
  /// Number of elements of row `row` for multi-value/array columns (1 otherwise).
  uint32_t NumElements(int64_t row) const {
    return has_offsets() ? offsets[row + 1] - offsets[row] : 1;
  }
  /// Keeps `owner` alive as long as this column.
  void AddOwner(std::shared_ptr<const void> owner);
  /// Copies the owners of `other` into this column.
  void ShareOwners(const Column& other);
  /// Approximate bytes held (for memory accounting and counters).
  int64_t ByteSize() const;
};

using ColumnPtr = std::shared_ptr<const Column>;

/// Reads one cell as a Value (slow path: results, system tables, tests). Multi-value strings
/// become arrays of strings (a single element becomes a plain string).
types::Value GetValue(const Column& column, int64_t row);

/// A column of `num_rows` copies of `value` with the given type.
ColumnPtr MakeConstantColumn(const types::Value& value, ColumnType type, int64_t num_rows);
/// A column of `num_rows` NULLs.
ColumnPtr MakeNullColumn(ColumnType type, int64_t num_rows);

/// Rows `indices` of `column`, in order (indices may repeat).
ColumnPtr Gather(const Column& column, const std::vector<uint32_t>& indices);
/// A copy of `column` that owns its string bytes (one new arena) and shares nothing: for values
/// kept long after their source (key samples, partition boundaries), which must not keep the
/// source's buffers alive. The dictionary encoding is dropped.
ColumnPtr CompactCopy(const Column& column);
/// Rows [offset, offset + length) of `column`.
ColumnPtr Slice(const Column& column, int64_t offset, int64_t length);
/// Concatenation of columns of the same type (dictionary encoding is dropped unless all parts
/// share one dictionary).
ColumnPtr Concat(const std::vector<ColumnPtr>& parts);

/// Appends values one at a time; used at the edges (input parsing, system tables, tests).
class ColumnBuilder {
 public:
  explicit ColumnBuilder(ColumnType type, bool multi_value = false);

  ColumnType type() const { return column_->type; }
  int64_t num_rows() const { return column_->num_rows; }

  void AppendNull();
  void AppendLong(int64_t v);
  void AppendDouble(double v);
  /// Copies `s` into the builder's arena; IsNullString(s) appends NULL.
  void AppendString(std::string_view s);
  /// Appends `s` without copying: the caller guarantees its bytes outlive the column (add an
  /// owner with AddOwner).
  void AppendStringNoCopy(std::string_view s);
  /// Multi-value string / string array row from elements (copied).
  void AppendStrings(const std::vector<std::string_view>& elements);
  /// Appends a Value, converting numbers/strings to the column type (strings that are not numbers
  /// become NULL in numeric columns; arrays append elements).
  void AppendValue(const types::Value& v);
  void AddOwner(std::shared_ptr<const void> owner) { column_->AddOwner(std::move(owner)); }
  void Reserve(int64_t rows);

  /// Finishes the column; the builder is empty afterwards.
  ColumnPtr Finish();

 private:
  void MarkNull(bool is_null);
  void EndRow();

  std::shared_ptr<Column> column_;
  std::shared_ptr<base::Arena> arena_;
};

}  // namespace strata::columnar
