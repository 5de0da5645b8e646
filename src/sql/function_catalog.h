// The SQL function catalog: for each SQL function and operator, how to type-check its arguments,
// which coercions to insert, which engine function evaluates it and what SQL type it returns
// (Druid/Calcite semantics). Also the coercion rules shared by the binder (CAST, comparisons,
// UNION, CASE branches).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/status.h"
#include "engine/expr.h"
#include "types/data_type.h"
#include "types/time.h"

namespace strata::sql {

/// A bound expression with its SQL type.
struct TypedExpr {
  engine::ExprPtr expr;
  types::SqlType type;
};

/// Session settings expressions depend on.
struct BindSettings {
  types::TimeZone time_zone;
  std::string time_zone_name = "UTC";
  int64_t now_millis = 0;
};

/// Binds a call of scalar function or operator `name` (upper case; operators by symbol: "+",
/// "=", "AND", "||", "NOT", "NEGATE", ...). Returns NotFound if no such scalar function exists,
/// InvalidInput for wrong argument counts or types (message names the function).
Result<TypedExpr> BindScalarCall(const std::string& name, std::vector<TypedExpr> args, const BindSettings& settings);

/// Binds the constructor ARRAY[e1, e2, ...]: the elements are converted to their common type
/// (integral numbers BIGINT, other numbers DOUBLE, strings and NULL VARCHAR) and the result is a
/// SQL ARRAY of it (folded to a literal when every element is constant). InvalidInput for no
/// elements, strings mixed with numbers, and nested arrays.
Result<TypedExpr> BindArrayConstructor(std::vector<TypedExpr> elements, const BindSettings& settings);

/// Whether `name` is an aggregate function known to Strata.
bool IsAggregateFunctionName(const std::string& name);
/// Names of the scalar functions (no operators) and of the aggregate functions, sorted.
std::vector<std::string> ScalarFunctionNames();
std::vector<std::string> AggregateFunctionNames();

/// Converts `e` to `target` (CAST semantics; string/number/timestamp/boolean conversions).
Result<TypedExpr> Coerce(TypedExpr e, const types::SqlType& target, const BindSettings& settings);
/// The type both `a` and `b` convert to for comparison / UNION / CASE, or InvalidInput.
Result<types::SqlType> CommonType(const types::SqlType& a, const types::SqlType& b);

/// A literal of the given SQL type (numbers, strings; TIMESTAMP/DATE as millis).
TypedExpr MakeLiteral(types::Value value, const types::SqlType& type);
/// A call of engine function `fn`; folded to a literal when every argument is constant.
Result<TypedExpr> MakeCall(const std::string& fn, std::vector<engine::ExprPtr> args, const types::SqlType& type,
                           const BindSettings& settings);
/// BOOLEAN/INTEGER/BIGINT/... keep LONG, etc.: the engine type of a SQL type.
types::ColumnType NativeOf(const types::SqlType& type);

}  // namespace strata::sql
