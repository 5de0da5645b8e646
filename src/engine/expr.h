// Expr: a typed, vectorized expression tree over the columns of a Frame — the physical form of SQL
// expressions (the SQL binder builds them; engine never sees SQL). Evaluating an expression on a
// frame yields one column with a value per row.
//
// Kinds: a reference to an input column, a literal, or a call of a registered function
// (function_registry.h). Calls carry optional prepared state built once at plan time from literal
// arguments (a compiled regex, a Joda pattern, a granularity).
//
// Types: the result ColumnType is fixed at plan time. Booleans are LONG 0/1 with NULL for unknown
// (three-valued logic). Timestamps are LONG millis.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "types/time.h"
#include "types/value.h"

namespace strata::engine {

using columnar::ColumnPtr;
using types::ColumnType;

/// What expression evaluation needs from the query: the session time zone and the query's "now".
struct EvalContext {
  types::TimeZone time_zone;
  int64_t now_millis = 0;
};

class Expr;
using ExprPtr = std::shared_ptr<const Expr>;
struct FunctionDef;

class Expr {
 public:
  enum class Kind : uint8_t { kColumn, kLiteral, kCall };

  /// Reference to column `index` of the input frame.
  static ExprPtr Column(int index, ColumnType type, std::string name = {});
  /// A constant. NULL literals still have a type.
  static ExprPtr Literal(types::Value value, ColumnType type);
  /// A call of registered function `function`. Runs the function's prepare step (which may fail
  /// with InvalidInput, e.g. on a bad regex or an unknown time zone). Unknown functions are an
  /// Internal error: the binder only emits registered names.
  static Result<ExprPtr> Call(const std::string& function, std::vector<ExprPtr> args, ColumnType type);

  Kind kind() const { return kind_; }
  ColumnType type() const { return type_; }
  int column_index() const { return column_index_; }
  const std::string& column_name() const { return name_; }
  const types::Value& literal() const { return literal_; }
  const std::string& function() const { return name_; }
  const std::vector<ExprPtr>& args() const { return args_; }
  const FunctionDef* function_def() const { return def_; }
  template <typename T>
  const T* state() const { return static_cast<const T*>(state_.get()); }

  bool is_column() const { return kind_ == Kind::kColumn; }
  bool is_literal() const { return kind_ == Kind::kLiteral; }
  bool is_call(const char* name) const { return kind_ == Kind::kCall && name_ == name; }
  /// True when no column is referenced (the value is the same on every row).
  bool IsConstant() const;
  /// Adds the indexes of referenced input columns to `out` (no duplicates).
  void CollectColumns(std::vector<int>* out) const;
  /// A copy with column references renumbered through `mapping` (old index -> new index).
  ExprPtr Remap(const std::vector<int>& mapping) const;

  /// Evaluates on every row of `frame`.
  Result<ColumnPtr> Evaluate(const columnar::Frame& frame, const EvalContext& ctx) const;
  /// Evaluates a constant expression to a single value.
  Result<types::Value> EvaluateConstant(const EvalContext& ctx) const;

  /// Druid-style rendering for EXPLAIN and reports: "concat(\"page\",'x')", "\"added\"", "1".
  std::string ToString() const;

 private:
  Kind kind_ = Kind::kLiteral;
  ColumnType type_ = ColumnType::kLong;
  int column_index_ = -1;
  std::string name_;  // column name or function name
  types::Value literal_;
  std::vector<ExprPtr> args_;
  const FunctionDef* def_ = nullptr;
  std::shared_ptr<const void> state_;
};

}  // namespace strata::engine
