// FrameBuilder: collects converted input values row by row into the columns of a Frame whose
// layout follows columnar/column.h. The row readers (JSON, CSV, TSV) parse their text and call
// the typed setters here; the builder keeps every column at the same row count.
//
// Row protocol: for the current row, call at most one setter per column (a second call replaces
// the first, as a repeated JSON key does); FinishRow() makes the columns the row did not set NULL;
// AbortRow() forgets everything the row set (used when a row turns out to be unparseable).
//
// String columns of the signature start single-valued in every frame. The first time a row sets
// several elements (BeginElements), the column switches to the multi-value layout (offsets; null
// rows become rows with no elements). Strings are copied into one arena per frame, which every
// string column of the frame owns.
#pragma once

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "base/arena.h"
#include "columnar/column.h"
#include "columnar/frame.h"
#include "types/data_type.h"

namespace strata::input::internal {

class FrameBuilder {
 public:
  /// One column per entry of `types`, in order.
  explicit FrameBuilder(std::vector<types::ColumnType> types);

  /// Starts an empty frame that will hold at most `max_rows` rows.
  void StartFrame(int64_t max_rows);
  /// Rows finished in the current frame.
  int64_t num_rows() const { return num_rows_; }
  int num_columns() const { return static_cast<int>(columns_.size()); }
  types::ColumnType type(int c) const { return columns_[c].type; }

  /// Ends the current row; columns it did not set get NULL.
  void FinishRow();
  /// Drops whatever the current row set.
  void AbortRow();
  /// Moves the finished rows into `out` (replacing its contents) and leaves the builder empty.
  void FinishFrame(columnar::Frame* out);

  // Setters for the current row. Each sets one whole cell of column `c`.

  void SetNull(int c);
  /// For kLong columns (other numeric columns convert).
  void SetLong(int c, int64_t v);
  /// For kDouble/kFloat columns (kFloat rounds to float precision; kLong truncates as Java).
  void SetDouble(int c, double v);
  /// Copies `s` into the frame's arena; a null view sets NULL. For string and complex columns.
  void SetString(int c, std::string_view s) { SetStringNoCopy(c, CopyString(s)); }
  /// Like SetString, but `s` must outlive the frame (static text or arena bytes).
  void SetStringNoCopy(int c, std::string_view s);
  /// Text converted to the column type as Druid does: numbers parsed for numeric columns (text
  /// that is not a number is NULL), a one-element array for array columns.
  void SetText(int c, std::string_view text);

  /// Starts a cell of several elements: a multi-value string row or an array row. Ends with
  /// EndElements(c); until then only the element adders may be called for `c`.
  void BeginElements(int c);
  /// Adds a string element (not copied; use CopyString first); a null view adds a null element.
  /// For string and string-array columns; numeric array columns parse the text.
  void AddStringElement(int c, std::string_view s);
  void AddLongElement(int c, int64_t v);
  void AddDoubleElement(int c, double v);
  void AddNullElement(int c);
  void EndElements(int c);

  /// Copies `s` into the frame's arena (null stays null; empty gets a non-null pointer).
  std::string_view CopyString(std::string_view s) {
    if (s.data() == nullptr) return columnar::kNullString;
    if (s.empty()) return columnar::kEmptyString;
    return arena_->Copy(s);
  }

 private:
  struct ColumnState {
    types::ColumnType type;
    std::shared_ptr<columnar::Column> column;
    bool has_offsets = false;  // multi-value string or array layout
    int64_t filled = 0;        // rows set so far: num_rows_ or num_rows_ + 1
  };

  // Returns the column ready for a new value of the current row (undoing an earlier value).
  ColumnState& Prepare(int c) {
    ColumnState& s = columns_[c];
    if (s.filled != num_rows_) Truncate(s);
    return s;
  }
  // Cuts the column back to num_rows_ rows.
  void Truncate(ColumnState& s);
  void ConvertToMultiValue(ColumnState& s);
  static void PushNullFlag(ColumnState& s, bool is_null);
  void AppendNull(ColumnState& s);

  std::vector<ColumnState> columns_;
  std::shared_ptr<base::Arena> arena_;
  int64_t num_rows_ = 0;
};

/// Java's (long) cast of a double: NaN is 0, out-of-range values saturate.
int64_t JavaDoubleToLong(double v);

}  // namespace strata::input::internal
