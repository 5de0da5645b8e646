// Helpers shared by the function kernels (functions_*.cc). Internal to engine/.
#pragma once

#include <cmath>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "columnar/column.h"
#include "engine/expr.h"
#include "types/number_format.h"

namespace strata::engine::internal {

using columnar::Column;
using columnar::IsNullString;

inline std::shared_ptr<Column> NewColumn(ColumnType type, int64_t num_rows) {
  auto c = std::make_shared<Column>();
  c->type = type;
  c->num_rows = num_rows;
  switch (type) {
    case ColumnType::kLong: c->longs.resize(num_rows); break;
    case ColumnType::kFloat:
    case ColumnType::kDouble: c->doubles.resize(num_rows); break;
    default: c->strings.resize(num_rows); break;
  }
  return c;
}

/// Marks row `i` NULL (numeric columns), allocating the null vector on first use.
inline void SetNull(Column* c, int64_t i) {
  if (c->nulls.empty()) c->nulls.assign(c->num_rows, 0);
  c->nulls[i] = 1;
}

/// Null flag of row `i` of any single-valued column.
inline bool NullAt(const Column& c, int64_t i) {
  if (c.type == ColumnType::kString || c.type == ColumnType::kComplex) {
    if (c.multi_value) return c.nulls.empty() ? c.offsets[i] == c.offsets[i + 1] : c.nulls[i] != 0;
    return IsNullString(c.strings[i]);
  }
  return !c.nulls.empty() && c.nulls[i];
}

inline bool IsNumeric(const Column& c) {
  return c.type == ColumnType::kLong || c.type == ColumnType::kDouble || c.type == ColumnType::kFloat;
}

/// Numeric value of row `i` as double (LONG converted). Strings are parsed (NaN flag if not numeric).
inline double DoubleAt(const Column& c, int64_t i) {
  switch (c.type) {
    case ColumnType::kLong: return static_cast<double>(c.longs[i]);
    case ColumnType::kFloat:
    case ColumnType::kDouble: return c.doubles[i];
    default: {
      double d = 0;
      if (!types::ParseDoubleStrict(c.strings[i], &d)) return 0;
      return d;
    }
  }
}

inline int64_t LongAt(const Column& c, int64_t i) {
  switch (c.type) {
    case ColumnType::kLong: return c.longs[i];
    case ColumnType::kFloat:
    case ColumnType::kDouble: {
      double d = c.doubles[i];
      if (std::isnan(d)) return 0;
      if (d >= 9.2233720368547758e18) return INT64_MAX;
      if (d <= -9.2233720368547758e18) return INT64_MIN;
      return static_cast<int64_t>(d);
    }
    default: {
      int64_t v = 0;
      if (types::ParseLongStrict(c.strings[i], &v)) return v;
      double d = 0;
      if (types::ParseDoubleStrict(c.strings[i], &d)) return static_cast<int64_t>(d);
      return 0;
    }
  }
}

/// Builds a string result column; strings are copied into the column's own arena.
class StringResult {
 public:
  explicit StringResult(int64_t num_rows) : column_(NewColumn(ColumnType::kString, num_rows)) {
    arena_ = std::make_shared<base::Arena>();
    column_->AddOwner(arena_);
  }
  void Set(int64_t i, std::string_view s) { column_->strings[i] = IsNullString(s) ? s : arena_->Copy(s); }
  /// Stores a view whose bytes are already owned by an input column (shared via ShareOwners).
  void SetView(int64_t i, std::string_view s) { column_->strings[i] = s; }
  void SetNull(int64_t i) { column_->strings[i] = columnar::kNullString; }
  void ShareOwners(const Column& c) { column_->ShareOwners(c); }
  base::Arena* arena() { return arena_.get(); }
  ColumnPtr Finish() { return column_; }

 private:
  std::shared_ptr<Column> column_;
  std::shared_ptr<base::Arena> arena_;
};

/// The text of row `i` of a column as SQL CAST(x AS VARCHAR) gives it ("" for NULL: check first).
inline std::string TextAt(const Column& c, int64_t i) {
  switch (c.type) {
    case ColumnType::kLong: return std::to_string(c.longs[i]);
    // Druid's expressions have no FLOAT type: a FLOAT value becomes text as the double it widens to.
    case ColumnType::kFloat: return types::FormatDoubleJava(c.doubles[i]);
    case ColumnType::kDouble: return types::FormatDoubleJava(c.doubles[i]);
    default: return std::string(c.strings[i]);
  }
}

/// Boolean (LONG 0/1) result with three-valued logic.
inline std::shared_ptr<Column> NewBoolColumn(int64_t num_rows) { return NewColumn(ColumnType::kLong, num_rows); }

}  // namespace strata::engine::internal
