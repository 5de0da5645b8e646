#include "sql/function_catalog.h"

#include <cctype>
#include <cmath>
#include <functional>
#include <map>
#include <set>

namespace strata::sql {

using engine::Expr;
using engine::ExprPtr;
using types::ColumnType;
using types::SqlType;
using types::SqlTypeName;
using types::Value;

namespace {

SqlType T(SqlTypeName n) { return SqlType::Of(n); }

bool IsNumeric(const SqlType& t) { return t.is_numeric(); }
bool IsIntegral(const SqlType& t) { return t.is_integral() || t.name == SqlTypeName::kBoolean; }
bool IsStringy(const SqlType& t) { return t.is_string(); }
bool IsNullType(const SqlType& t) { return t.name == SqlTypeName::kNull || t.name == SqlTypeName::kAny; }

Status ArgCountError(const std::string& name, size_t got, const std::string& expected) {
  return Status::InvalidInput("Invalid number of arguments to function '" + name + "'. Was expecting " + expected +
                              " arguments, got " + std::to_string(got))
      .WithErrorCode("invalidInput");
}

Status CheckArgs(const std::string& name, const std::vector<TypedExpr>& args, size_t min, size_t max) {
  if (args.size() < min || args.size() > max) {
    std::string expected = min == max ? std::to_string(min) : std::to_string(min) + " to " + std::to_string(max);
    return ArgCountError(name, args.size(), expected);
  }
  return Status::OK();
}

TypedExpr TzLiteral(const BindSettings& s) { return MakeLiteral(Value::String(s.time_zone_name), T(SqlTypeName::kVarchar)); }

// The element type of an ARRAY holding values of type `t`, as Druid's arrays have them: integral
// numbers, BOOLEAN and times are BIGINT (LONG), other numbers DOUBLE, strings and NULL VARCHAR.
SqlTypeName ArrayElementName(const SqlType& t) {
  if (IsIntegral(t) || t.is_time()) return SqlTypeName::kBigint;
  if (IsNumeric(t)) return SqlTypeName::kDouble;
  return SqlTypeName::kVarchar;
}

}  // namespace

ColumnType NativeOf(const SqlType& type) { return type.Native(); }

TypedExpr MakeLiteral(Value value, const SqlType& type) {
  return TypedExpr{Expr::Literal(std::move(value), NativeOf(type)), type};
}

Result<TypedExpr> MakeCall(const std::string& fn, std::vector<ExprPtr> args, const SqlType& type, const BindSettings& settings) {
  bool constant = true;
  for (const auto& a : args) constant &= a->IsConstant();
  if (constant && fn == "divide" && args.size() == 2 && args[0]->type() == types::ColumnType::kLong &&
      args[1]->type() == types::ColumnType::kLong && args[1]->is_literal() && args[1]->literal().is_long() &&
      args[1]->literal().long_value() == 0) {
    // Calcite reduces constant integer division at planning time, where Java raises.
    return Status::InvalidInput("Cannot reduce constant expression: / by zero");
  }
  ASSIGN_OR_RETURN(ExprPtr call, Expr::Call(fn, std::move(args), NativeOf(type)));
  if (constant) {
    engine::EvalContext ctx{settings.time_zone, settings.now_millis};
    ASSIGN_OR_RETURN(Value v, call->EvaluateConstant(ctx));
    return MakeLiteral(std::move(v), type);
  }
  return TypedExpr{call, type};
}

Result<SqlType> CommonType(const SqlType& a, const SqlType& b) {
  if (IsNullType(a)) return b;
  if (IsNullType(b)) return a;
  if (a == b) return a;
  if (IsNumeric(a) && IsNumeric(b)) {
    if (IsIntegral(a) && IsIntegral(b)) return T(SqlTypeName::kBigint);
    if (a.name == SqlTypeName::kFloat && b.name == SqlTypeName::kFloat) return T(SqlTypeName::kFloat);
    return T(SqlTypeName::kDouble);
  }
  if (a.name == SqlTypeName::kBoolean && IsNumeric(b)) return b;
  if (b.name == SqlTypeName::kBoolean && IsNumeric(a)) return a;
  if (IsStringy(a) && IsStringy(b)) return T(SqlTypeName::kVarchar);
  if (a.is_time() && b.is_time()) return T(SqlTypeName::kTimestamp);
  // Druid compares strings with numbers/timestamps by converting the string.
  if (IsStringy(a) && (IsNumeric(b) || b.is_time() || b.name == SqlTypeName::kBoolean)) return b;
  if (IsStringy(b) && (IsNumeric(a) || a.is_time() || a.name == SqlTypeName::kBoolean)) return a;
  if (a.is_time() && IsNumeric(b)) return a;
  if (b.is_time() && IsNumeric(a)) return b;
  if (a.name == SqlTypeName::kArray && b.name == SqlTypeName::kArray) {
    ASSIGN_OR_RETURN(SqlType element, CommonType(SqlType::Of(a.element), SqlType::Of(b.element)));
    return SqlType::Array(ArrayElementName(element));
  }
  return Status::InvalidInput("Cannot apply operation to arguments of type [" + a.HeaderName() + "] and [" +
                              b.HeaderName() + "]")
      .WithErrorCode("invalidInput");
}

Result<TypedExpr> Coerce(TypedExpr e, const SqlType& target, const BindSettings& s) {
  const SqlType& from = e.type;
  if (from == target) return e;
  SqlTypeName t = target.name;
  if (IsNullType(from)) {
    return MakeLiteral(Value::Null(), target);
  }
  if (from.name == SqlTypeName::kArray && t != SqlTypeName::kArray && t != SqlTypeName::kOther) {
    // As Calcite: no cast from an array to a scalar (the kernels only ever see scalars).
    return Status::InvalidInput("Cannot cast " + from.HeaderName() + " to " + target.HeaderName()).WithErrorCode("invalidInput");
  }
  auto retype = [&](TypedExpr x) {
    // Same runtime representation; only the SQL type changes.
    if (x.expr->type() == NativeOf(target)) return TypedExpr{x.expr, target};
    return x;
  };
  switch (t) {
    case SqlTypeName::kBigint:
    case SqlTypeName::kInteger:
    case SqlTypeName::kSmallint:
    case SqlTypeName::kTinyint:
      if (IsIntegral(from) || from.is_time()) return retype(e);
      return MakeCall("cast_long", {e.expr}, target, s);
    case SqlTypeName::kBoolean:
      if (from.name == SqlTypeName::kBoolean) return e;
      return MakeCall("cast_boolean", {e.expr}, target, s);
    case SqlTypeName::kDouble:
    case SqlTypeName::kDecimal:
    case SqlTypeName::kReal:
      if (from.name == SqlTypeName::kDouble || from.name == SqlTypeName::kDecimal || from.name == SqlTypeName::kReal) {
        return TypedExpr{e.expr, target};
      }
      return MakeCall("cast_double", {e.expr}, target, s);
    case SqlTypeName::kFloat:
      return MakeCall("cast_double", {e.expr}, target, s);
    case SqlTypeName::kVarchar:
    case SqlTypeName::kChar:
      if (IsStringy(from)) return TypedExpr{e.expr, target};
      if (from.name == SqlTypeName::kTimestamp) return MakeCall("timestamp_to_string", {e.expr, TzLiteral(s).expr}, target, s);
      if (from.name == SqlTypeName::kDate) return MakeCall("date_to_string", {e.expr, TzLiteral(s).expr}, target, s);
      if (from.name == SqlTypeName::kBoolean) return MakeCall("bool_to_string", {e.expr}, target, s);
      if (from.name == SqlTypeName::kArray) return Status::Unsupported("Cannot cast ARRAY to VARCHAR").WithErrorCode("invalidInput");
      return MakeCall("cast_string", {e.expr}, target, s);
    case SqlTypeName::kTimestamp:
      if (from.name == SqlTypeName::kTimestamp) return e;
      if (from.name == SqlTypeName::kDate) return TypedExpr{e.expr, target};
      if (IsStringy(from)) return MakeCall("string_to_timestamp", {e.expr, TzLiteral(s).expr}, target, s);
      if (IsNumeric(from)) {
        if (IsIntegral(from)) return TypedExpr{e.expr, target};
        return MakeCall("cast_long", {e.expr}, target, s);
      }
      break;
    case SqlTypeName::kDate:
      if (IsStringy(from)) return MakeCall("string_to_date", {e.expr, TzLiteral(s).expr}, target, s);
      if (from.is_time() || IsIntegral(from)) {
        return MakeCall("floor_unit", {e.expr, MakeLiteral(Value::String("DAY"), T(SqlTypeName::kVarchar)).expr, TzLiteral(s).expr},
                        target, s);
      }
      break;
    case SqlTypeName::kArray:
      // Arrays of another element type are converted element by element; a VARCHAR (possibly
      // multi-value) becomes an array of its values.
      if (from.name == SqlTypeName::kArray && e.expr->type() == NativeOf(target)) return TypedExpr{e.expr, target};
      if (from.name == SqlTypeName::kArray || IsStringy(from)) return MakeCall("array_cast", {e.expr}, target, s);
      break;
    case SqlTypeName::kOther:
      if (from.name == SqlTypeName::kOther) return e;
      break;
    default:
      break;
  }
  return Status::InvalidInput("Cannot cast [" + from.HeaderName() + "] to [" + target.HeaderName() + "]")
      .WithErrorCode("invalidInput");
}

namespace {

using Binder = std::function<Result<TypedExpr>(const std::string&, std::vector<TypedExpr>&, const BindSettings&)>;

// Numeric result type of arithmetic over `args`.
SqlType ArithmeticType(const std::vector<TypedExpr>& args) {
  bool integral = true;
  bool all_float = true;
  for (const auto& a : args) {
    if (IsNullType(a.type)) continue;
    if (!IsIntegral(a.type) && !a.type.is_time()) integral = false;
    if (a.type.name != SqlTypeName::kFloat) all_float = false;
  }
  if (integral) return T(SqlTypeName::kBigint);
  if (all_float) return T(SqlTypeName::kFloat);
  return T(SqlTypeName::kDouble);
}

Status RequireNumeric(const std::string& name, const TypedExpr& a) {
  if (IsNumeric(a.type) || IsNullType(a.type) || a.type.name == SqlTypeName::kBoolean || a.type.is_time()) return Status::OK();
  if (IsStringy(a.type)) return Status::OK();  // Druid coerces numeric strings
  return Status::InvalidInput("Cannot apply '" + name + "' to arguments of type '" + a.type.HeaderName() + "'")
      .WithErrorCode("invalidInput");
}

// Binds arithmetic: coerces all args to the result type.
Binder Arithmetic(const std::string& engine_fn, bool double_only = false) {
  return [engine_fn, double_only](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));  // all binary (unary minus is NEGATE)
    for (const auto& a : args) RETURN_IF_ERROR(RequireNumeric(name, a));
    SqlType type = double_only ? T(SqlTypeName::kDouble) : ArithmeticType(args);
    for (auto& a : args) {
      if (IsStringy(a.type)) {
        ASSIGN_OR_RETURN(a, Coerce(a, T(SqlTypeName::kDouble), s));
      }
    }
    type = double_only ? T(SqlTypeName::kDouble) : ArithmeticType(args);
    std::vector<ExprPtr> exprs;
    for (auto& a : args) {
      ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, type, s));
      exprs.push_back(c.expr);
    }
    return MakeCall(engine_fn, std::move(exprs), type, s);
  };
}

Binder FixedArgs(const std::string& engine_fn, size_t min, size_t max, std::vector<SqlType> arg_types, SqlType result) {
  return [=](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, min, max));
    std::vector<ExprPtr> exprs;
    for (size_t i = 0; i < args.size(); ++i) {
      const SqlType& want = i < arg_types.size() ? arg_types[i] : arg_types.back();
      if (want.name == SqlTypeName::kAny) {
        exprs.push_back(args[i].expr);
        continue;
      }
      ASSIGN_OR_RETURN(TypedExpr c, Coerce(args[i], want, s));
      exprs.push_back(c.expr);
    }
    return MakeCall(engine_fn, std::move(exprs), result, s);
  };
}

// A function whose result has the type of its (first) numeric argument.
Binder SameNumeric(const std::string& engine_fn, size_t min, size_t max) {
  return [=](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, min, max));
    RETURN_IF_ERROR(RequireNumeric(name, args[0]));
    SqlType type = ArithmeticType({args[0]});
    if (IsIntegral(args[0].type)) type = args[0].type.name == SqlTypeName::kBoolean ? T(SqlTypeName::kBigint) : args[0].type;
    ASSIGN_OR_RETURN(TypedExpr first, Coerce(args[0], type, s));
    std::vector<ExprPtr> exprs{first.expr};
    for (size_t i = 1; i < args.size(); ++i) {
      ASSIGN_OR_RETURN(TypedExpr c, Coerce(args[i], T(SqlTypeName::kBigint), s));
      exprs.push_back(c.expr);
    }
    return MakeCall(engine_fn, std::move(exprs), type, s);
  };
}

Binder Comparison(const std::string& engine_fn) {
  return [engine_fn](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    bool left_array = args[0].type.name == SqlTypeName::kArray, right_array = args[1].type.name == SqlTypeName::kArray;
    if (left_array || right_array) {
      // Arrays compare for equality only, with arrays (a NULL literal gives NULL).
      if (IsNullType(args[0].type) || IsNullType(args[1].type)) return MakeLiteral(Value::Null(), T(SqlTypeName::kBoolean));
      if (!left_array || !right_array || (engine_fn != "eq" && engine_fn != "ne")) {
        return Status::InvalidInput("Cannot apply '" + name + "' to arguments of type '<" + args[0].type.HeaderName() + "> " +
                                    name + " <" + args[1].type.HeaderName() + ">'")
            .WithErrorCode("invalidInput");
      }
      return MakeCall(engine_fn == "eq" ? "array_equals" : "array_not_equals", {args[0].expr, args[1].expr},
                      T(SqlTypeName::kBoolean), s);
    }
    for (int k = 0; k < 2; ++k) {
      TypedExpr& lit = args[k];
      const TypedExpr& other = args[1 - k];
      if (!lit.expr->is_literal() || lit.expr->literal().is_null()) continue;
      // A time compared with a string constant: the string must be a timestamp (Calcite).
      if (other.type.is_time() && IsStringy(lit.type) && lit.expr->literal().is_string()) {
        const std::string& text = lit.expr->literal().string_value();
        if (!types::ParseSqlTimestamp(text, s.time_zone).ok()) {
          return Status::InvalidInput("Illegal TIMESTAMP constant: '" + text + "'");
        }
      }
      // A FLOAT compared with a number constant: the constant is taken at FLOAT precision, as
      // Druid converts a filter's value to the column's type (f1 = 0.1 matches 0.1f).
      if (other.type.name == SqlTypeName::kFloat && IsNumeric(lit.type) && !IsIntegral(lit.type) &&
          lit.expr->literal().is_double()) {
        double rounded = static_cast<double>(static_cast<float>(lit.expr->literal().double_value()));
        lit = MakeLiteral(Value::Double(rounded), T(SqlTypeName::kDouble));
      }
    }
    // String vs number: Druid compares numerically (the string is converted); keep strings
    // as strings when both are strings.
    ASSIGN_OR_RETURN(SqlType common, CommonType(args[0].type, args[1].type));
    if (IsStringy(args[0].type) != IsStringy(args[1].type) && IsNumeric(common)) common = T(SqlTypeName::kDouble);
    if (IsIntegral(common)) common = T(SqlTypeName::kBigint);
    ASSIGN_OR_RETURN(TypedExpr a, Coerce(args[0], common, s));
    ASSIGN_OR_RETURN(TypedExpr b, Coerce(args[1], common, s));
    // Comparing an integral column with a non-integral literal: compare as doubles.
    return MakeCall(engine_fn, {a.expr, b.expr}, T(SqlTypeName::kBoolean), s);
  };
}

Binder Logical(const std::string& engine_fn) {
  return [engine_fn](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    std::vector<ExprPtr> exprs;
    for (auto& a : args) {
      ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, T(SqlTypeName::kBoolean), s));
      exprs.push_back(c.expr);
    }
    (void)name;
    return MakeCall(engine_fn, std::move(exprs), T(SqlTypeName::kBoolean), s);
  };
}

Binder StringFn(const std::string& engine_fn, size_t min, size_t max, std::vector<SqlType> arg_types, SqlType result) {
  return FixedArgs(engine_fn, min, max, std::move(arg_types), result);
}

// Time functions get the session zone (or an explicit zone argument) as a trailing literal.
Binder TimeFloor(const std::string& engine_fn) {
  return [engine_fn](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 4));
    ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[0], T(SqlTypeName::kTimestamp), s));
    if (!args[1].expr->is_literal()) return Status::InvalidInput(name + " period must be a literal").WithErrorCode("invalidInput");
    TypedExpr origin = MakeLiteral(Value::Null(), T(SqlTypeName::kTimestamp));
    if (args.size() > 2) {
      ASSIGN_OR_RETURN(origin, Coerce(args[2], T(SqlTypeName::kTimestamp), s));
    }
    TypedExpr tz = args.size() > 3 && !args[3].expr->literal().is_null() ? args[3] : TzLiteral(s);
    return MakeCall(engine_fn, {t.expr, args[1].expr, origin.expr, tz.expr}, T(SqlTypeName::kTimestamp), s);
  };
}

Result<TypedExpr> TimeParse(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 3));
  ASSIGN_OR_RETURN(TypedExpr str, Coerce(args[0], T(SqlTypeName::kVarchar), s));
  TypedExpr pattern = args.size() > 1 ? args[1] : MakeLiteral(Value::Null(), T(SqlTypeName::kVarchar));
  TypedExpr tz = args.size() > 2 && !args[2].expr->literal().is_null() ? args[2] : TzLiteral(s);
  return MakeCall("time_parse", {str.expr, pattern.expr, tz.expr}, T(SqlTypeName::kTimestamp), s);
}

Result<TypedExpr> TimeFormat(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 3));
  ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[0], T(SqlTypeName::kTimestamp), s));
  TypedExpr pattern = args.size() > 1 ? args[1] : MakeLiteral(Value::Null(), T(SqlTypeName::kVarchar));
  TypedExpr tz = args.size() > 2 && !args[2].expr->literal().is_null() ? args[2] : TzLiteral(s);
  return MakeCall("time_format", {t.expr, pattern.expr, tz.expr}, T(SqlTypeName::kVarchar), s);
}

Result<TypedExpr> TimeShift(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 3, 4));
  ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[0], T(SqlTypeName::kTimestamp), s));
  ASSIGN_OR_RETURN(TypedExpr step, Coerce(args[2], T(SqlTypeName::kBigint), s));
  TypedExpr tz = args.size() > 3 ? args[3] : TzLiteral(s);
  return MakeCall("time_shift", {t.expr, args[1].expr, step.expr, tz.expr}, T(SqlTypeName::kTimestamp), s);
}

Result<TypedExpr> TimeExtract(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 3));
  ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[0], T(SqlTypeName::kTimestamp), s));
  TypedExpr unit = args.size() > 1 ? args[1] : MakeLiteral(Value::String("MILLISECOND"), T(SqlTypeName::kVarchar));
  TypedExpr tz = args.size() > 2 ? args[2] : TzLiteral(s);
  return MakeCall("time_extract", {t.expr, unit.expr, tz.expr}, T(SqlTypeName::kBigint), s);
}

Result<TypedExpr> DateTrunc(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
  ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[1], T(SqlTypeName::kTimestamp), s));
  const ExprPtr& unit = args[0].expr;
  if (!unit->is_literal() || !unit->literal().is_string()) {
    return Status::InvalidInput("Operator[DATE_TRUNC] truncType must be a literal");
  }
  // Druid's units (PostgreSQL's names; plural for the sub-second ones).
  std::string lower = unit->literal().string_value();
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  static const std::map<std::string, std::string> kUnits = {
      {"microseconds", "MILLISECOND"}, {"milliseconds", "MILLISECOND"}, {"second", "SECOND"}, {"minute", "MINUTE"},
      {"hour", "HOUR"}, {"day", "DAY"}, {"week", "WEEK"}, {"month", "MONTH"}, {"quarter", "QUARTER"},
      {"year", "YEAR"}, {"decade", "DECADE"}, {"century", "CENTURY"}, {"millennium", "MILLENNIUM"}};
  auto it = kUnits.find(lower);
  if (it == kUnits.end()) {
    return Status::InvalidInput("Operator[DATE_TRUNC] cannot truncate to[" + unit->literal().string_value() + "]");
  }
  TypedExpr u = MakeLiteral(Value::String(it->second), T(SqlTypeName::kVarchar));
  return MakeCall("floor_unit", {t.expr, u.expr, TzLiteral(s).expr}, T(SqlTypeName::kTimestamp), s);
}

Result<TypedExpr> Coalesce(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  if (args.empty()) return ArgCountError(name, 0, "at least 1");
  SqlType type = args[0].type;
  for (size_t i = 1; i < args.size(); ++i) {
    ASSIGN_OR_RETURN(type, CommonType(type, args[i].type));
  }
  std::vector<ExprPtr> exprs;
  for (auto& a : args) {
    ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, type, s));
    exprs.push_back(c.expr);
  }
  if (exprs.size() == 1) return TypedExpr{exprs[0], type};
  return MakeCall(type.name == SqlTypeName::kArray ? "array_coalesce" : "coalesce", std::move(exprs), type, s);
}

Result<TypedExpr> NullIf(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
  ASSIGN_OR_RETURN(SqlType common, CommonType(args[0].type, args[1].type));
  ASSIGN_OR_RETURN(TypedExpr b, Coerce(args[1], common, s));
  ASSIGN_OR_RETURN(TypedExpr a, Coerce(args[0], common, s));
  if (a.expr->type() == args[0].expr->type()) return MakeCall("nullif", {a.expr, b.expr}, args[0].type, s);
  // Compared in the common type, returned as the first argument was: CASE WHEN a = b THEN NULL ELSE a.
  ASSIGN_OR_RETURN(TypedExpr equal, MakeCall("eq", {a.expr, b.expr}, T(SqlTypeName::kBoolean), s));
  TypedExpr null_value = MakeLiteral(Value::Null(), args[0].type);
  return MakeCall("case_searched", {equal.expr, null_value.expr, args[0].expr}, args[0].type, s);
}

Result<TypedExpr> Extreme(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  if (args.empty()) return ArgCountError(name, 0, "at least 1");
  SqlType type = args[0].type;
  for (size_t i = 1; i < args.size(); ++i) {
    ASSIGN_OR_RETURN(type, CommonType(type, args[i].type));
  }
  if (IsIntegral(type)) type = T(SqlTypeName::kBigint);
  std::vector<ExprPtr> exprs;
  for (auto& a : args) {
    ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, type, s));
    exprs.push_back(c.expr);
  }
  return MakeCall(name == "GREATEST" ? "greatest" : "least", std::move(exprs), type, s);
}

Result<TypedExpr> Concat(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  if (args.empty()) return ArgCountError(name, 0, "at least 1");
  std::vector<ExprPtr> exprs;
  for (auto& a : args) {
    ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, T(SqlTypeName::kVarchar), s));
    exprs.push_back(c.expr);
  }
  return MakeCall("concat", std::move(exprs), T(SqlTypeName::kVarchar), s);
}

// SUBSTRING(s, start[, length]): SQL start is 1-based; the engine takes 0-based.
Result<TypedExpr> Substring(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 3));
  ASSIGN_OR_RETURN(TypedExpr str, Coerce(args[0], T(SqlTypeName::kVarchar), s));
  ASSIGN_OR_RETURN(TypedExpr start, Coerce(args[1], T(SqlTypeName::kBigint), s));
  ASSIGN_OR_RETURN(TypedExpr start0, MakeCall("subtract", {start.expr, MakeLiteral(Value::Long(1), T(SqlTypeName::kBigint)).expr},
                                              T(SqlTypeName::kBigint), s));
  std::vector<ExprPtr> exprs{str.expr, start0.expr};
  if (args.size() > 2) {
    ASSIGN_OR_RETURN(TypedExpr len, Coerce(args[2], T(SqlTypeName::kBigint), s));
    exprs.push_back(len.expr);
  }
  return MakeCall("substring", std::move(exprs), T(SqlTypeName::kVarchar), s);
}

// TRIM(mode, s[, chars]) as produced by the parser; BTRIM/LTRIM/RTRIM(s[, chars]).
Result<TypedExpr> Trim(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  std::string fn = "btrim";
  size_t first = 0;
  if (name == "TRIM") {
    if (args.size() >= 2 && args[0].expr->is_literal() && args[0].expr->literal().is_string()) {
      const std::string& mode = args[0].expr->literal().string_value();
      if (mode == "LEADING") fn = "ltrim";
      else if (mode == "TRAILING") fn = "rtrim";
      first = 1;
    }
  } else if (name == "LTRIM") {
    fn = "ltrim";
  } else if (name == "RTRIM") {
    fn = "rtrim";
  }
  std::vector<TypedExpr> rest(args.begin() + first, args.end());
  RETURN_IF_ERROR(CheckArgs(name, rest, 1, 2));
  std::vector<ExprPtr> exprs;
  for (auto& a : rest) {
    ASSIGN_OR_RETURN(TypedExpr c, Coerce(a, T(SqlTypeName::kVarchar), s));
    exprs.push_back(c.expr);
  }
  return MakeCall(fn, std::move(exprs), T(SqlTypeName::kVarchar), s);
}

// POSITION(needle IN haystack [FROM start]) -> strpos(haystack, needle, start0)
Result<TypedExpr> Position(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 3));
  ASSIGN_OR_RETURN(TypedExpr needle, Coerce(args[0], T(SqlTypeName::kVarchar), s));
  ASSIGN_OR_RETURN(TypedExpr hay, Coerce(args[1], T(SqlTypeName::kVarchar), s));
  std::vector<ExprPtr> exprs{hay.expr, needle.expr};
  if (args.size() > 2) {
    ASSIGN_OR_RETURN(TypedExpr from, Coerce(args[2], T(SqlTypeName::kBigint), s));
    ASSIGN_OR_RETURN(TypedExpr from0, MakeCall("subtract", {from.expr, MakeLiteral(Value::Long(1), T(SqlTypeName::kBigint)).expr},
                                               T(SqlTypeName::kBigint), s));
    exprs.push_back(from0.expr);
  }
  return MakeCall("strpos", std::move(exprs), T(SqlTypeName::kBigint), s);
}

Result<TypedExpr> Strpos(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
  std::vector<TypedExpr> swapped{args[1], args[0]};
  return Position("POSITION", swapped, s);
}

Result<TypedExpr> Identity(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s, const SqlType& type) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
  SqlType from = args[0].type;
  if (type.name == SqlTypeName::kTimestamp) {
    ASSIGN_OR_RETURN(TypedExpr l, Coerce(args[0], T(SqlTypeName::kBigint), s));
    return TypedExpr{l.expr, type};
  }
  (void)from;
  return TypedExpr{args[0].expr, type};
}

Result<TypedExpr> TimestampAdd(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 3, 3));
  ASSIGN_OR_RETURN(TypedExpr count, Coerce(args[1], T(SqlTypeName::kBigint), s));
  ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[2], T(SqlTypeName::kTimestamp), s));
  return MakeCall("timestampadd", {args[0].expr, count.expr, t.expr, TzLiteral(s).expr}, T(SqlTypeName::kTimestamp), s);
}

Result<TypedExpr> TimestampDiff(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 3, 3));
  ASSIGN_OR_RETURN(TypedExpr a, Coerce(args[1], T(SqlTypeName::kTimestamp), s));
  ASSIGN_OR_RETURN(TypedExpr b, Coerce(args[2], T(SqlTypeName::kTimestamp), s));
  return MakeCall("timestampdiff", {args[0].expr, a.expr, b.expr, TzLiteral(s).expr}, T(SqlTypeName::kBigint), s);
}

Result<TypedExpr> Round(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 2));
  RETURN_IF_ERROR(RequireNumeric(name, args[0]));
  SqlType type = IsIntegral(args[0].type) ? T(SqlTypeName::kBigint) : T(SqlTypeName::kDouble);
  if (args[0].type.name == SqlTypeName::kFloat) type = T(SqlTypeName::kFloat);
  ASSIGN_OR_RETURN(TypedExpr x, Coerce(args[0], type, s));
  std::vector<ExprPtr> exprs{x.expr};
  if (args.size() > 1) {
    ASSIGN_OR_RETURN(TypedExpr d, Coerce(args[1], T(SqlTypeName::kBigint), s));
    exprs.push_back(d.expr);
  }
  return MakeCall(name == "ROUND" ? "round" : "truncate", std::move(exprs), type, s);
}

Result<TypedExpr> FloorCeil(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
  if (args[0].type.is_time()) {
    // FLOOR(timestamp) without a unit: floor to the millisecond is the identity.
    return args[0];
  }
  RETURN_IF_ERROR(RequireNumeric(name, args[0]));
  SqlType type = IsIntegral(args[0].type) ? T(SqlTypeName::kBigint) : T(SqlTypeName::kDouble);
  if (args[0].type.name == SqlTypeName::kFloat) type = T(SqlTypeName::kFloat);
  ASSIGN_OR_RETURN(TypedExpr x, Coerce(args[0], type, s));
  return MakeCall(name == "FLOOR" ? "floor" : "ceil", {x.expr}, type, s);
}

Result<TypedExpr> Pi(const std::string& name, std::vector<TypedExpr>& args, const BindSettings&) {
  RETURN_IF_ERROR(CheckArgs(name, args, 0, 0));
  return MakeLiteral(Value::Double(M_PI), T(SqlTypeName::kDouble));
}

Result<TypedExpr> CurrentTimestamp(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  if (name == "CURRENT_TIMESTAMP" && args.size() == 1) {
    // CURRENT_TIMESTAMP(p): a precision of 0 to 3 digits of seconds (milliseconds at most).
    const auto& p = args[0].expr;
    bool valid = p->is_literal() && p->literal().is_long() && p->literal().long_value() >= 0 && p->literal().long_value() <= 3;
    if (!valid) {
      return Status::InvalidInput("Argument to function 'CURRENT_TIMESTAMP' must be a valid precision between '0' and '3'");
    }
    int64_t unit = p->literal().long_value() == 0 ? 1000 : (p->literal().long_value() == 1 ? 100 : (p->literal().long_value() == 2 ? 10 : 1));
    return MakeLiteral(Value::Long(s.now_millis / unit * unit), T(SqlTypeName::kTimestamp));
  }
  RETURN_IF_ERROR(CheckArgs(name, args, 0, 0));
  if (name == "CURRENT_DATE") {
    return Coerce(MakeLiteral(Value::Long(s.now_millis), T(SqlTypeName::kTimestamp)), T(SqlTypeName::kDate), s);
  }
  return MakeLiteral(Value::Long(s.now_millis), T(SqlTypeName::kTimestamp));
}

// ---- ARRAY and multi-value string functions ----
//
// Their array arguments may be ARRAY values or VARCHAR, which is a multi-value string in some
// rows or segments and a single value in others; the engine kernels (engine/functions_array.cc)
// read both. ARRAY_* functions that build arrays return ARRAY types; the MV_* twins return
// multi-value VARCHAR.

// The array type argument `a` of `name` is read as: ARRAY as it is, VARCHAR (and NULL) as VARCHAR
// ARRAY. Other types fail, as Calcite's operand checks do.
Result<SqlType> ArrayTypeOf(const std::string& name, const TypedExpr& a) {
  if (a.type.name == SqlTypeName::kArray) {
    return a.type.element == SqlTypeName::kNull ? SqlType::Array(SqlTypeName::kVarchar) : a.type;
  }
  if (IsStringy(a.type) || IsNullType(a.type)) return SqlType::Array(SqlTypeName::kVarchar);
  return Status::InvalidInput("Cannot apply '" + name + "' to arguments of type '" + name + "(<" + a.type.HeaderName() +
                              ">)'. Supported form(s): '" + name + "(<ARRAY>)' or '" + name + "(<VARCHAR>)'")
      .WithErrorCode("invalidInput");
}

// Argument `a` of `name` as an array operand of the kernels; `*array_type` is what it is read as.
Result<TypedExpr> ArrayOperand(const std::string& name, const TypedExpr& a, SqlType* array_type) {
  ASSIGN_OR_RETURN(*array_type, ArrayTypeOf(name, a));
  if (IsNullType(a.type)) return MakeLiteral(Value::Null(), *array_type);
  return a;
}

// A scalar operand converted to the element type of `array_type`.
Result<TypedExpr> ElementOperand(const std::string& name, const TypedExpr& x, const SqlType& array_type, const BindSettings& s) {
  if (x.type.name == SqlTypeName::kArray) {
    return Status::InvalidInput("Function '" + name + "' expects a scalar value, got [" + x.type.InformationSchemaName() + "]")
        .WithErrorCode("invalidInput");
  }
  return Coerce(x, SqlType::Of(array_type.element), s);
}

// A second array operand (ARRAY_CONCAT, ARRAY_CONTAINS, ...) read like `array_type`. A VARCHAR
// stays as it is for VARCHAR arrays (it may be multi-value); a scalar is an array of one element.
Result<TypedExpr> SecondArrayOperand(const std::string& name, const TypedExpr& x, const SqlType& array_type, const BindSettings& s) {
  if (IsNullType(x.type)) return MakeLiteral(Value::Null(), array_type);
  if (x.type.name == SqlTypeName::kArray) return Coerce(x, array_type, s);
  if (IsStringy(x.type) && array_type.element == SqlTypeName::kVarchar) return x;
  return ElementOperand(name, x, array_type, s);
}

// The type of an array built from `array_type`: VARCHAR (a multi-value string) for MV_ functions.
SqlType ArrayResult(const SqlType& array_type, bool mv) { return mv ? T(SqlTypeName::kVarchar) : array_type; }

// ARRAY_LENGTH / MV_LENGTH.
Result<TypedExpr> ArrayLengthCall(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
  SqlType array_type;
  ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
  return MakeCall("array_length", {a.expr}, T(SqlTypeName::kInteger), s);
}

// ARRAY_OFFSET / ARRAY_ORDINAL and the MV_ twins: an element by position.
Binder ArrayElementCall(const std::string& engine_fn, bool mv) {
  return [engine_fn, mv](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    ASSIGN_OR_RETURN(TypedExpr index, Coerce(args[1], T(SqlTypeName::kBigint), s));
    SqlType type = mv ? T(SqlTypeName::kVarchar) : SqlType::Of(array_type.element);
    return MakeCall(engine_fn, {a.expr, index.expr}, type, s);
  };
}

// ARRAY_OFFSET_OF / ARRAY_ORDINAL_OF and the MV_ twins: the position of a value.
Binder ArrayPositionCall(const std::string& engine_fn) {
  return [engine_fn](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    ASSIGN_OR_RETURN(TypedExpr x, ElementOperand(name, args[1], array_type, s));
    return MakeCall(engine_fn, {a.expr, x.expr}, T(SqlTypeName::kInteger), s);
  };
}

// ARRAY_CONTAINS / ARRAY_OVERLAP and the MV_ twins. With a VARCHAR first argument and constant
// values they become what Druid plans them as, filters on the values: CONTAINS(x, [a, b]) is
// x = 'a' AND x = 'b', OVERLAP(x, [a, b]) is x = 'a' OR x = 'b', and a NULL value is x IS NULL.
// Equality on a multi-value string matches any of its values, and the string filters can use the
// segments' bitmap indexes.
Binder ArrayMembershipCall(bool contains) {
  return [contains](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    ASSIGN_OR_RETURN(TypedExpr b, SecondArrayOperand(name, args[1], array_type, s));
    if (IsStringy(a.type) && b.expr->is_literal() && !b.expr->literal().is_null()) {
      const Value& v = b.expr->literal();
      std::vector<Value> values = v.is_array() ? v.array_value() : std::vector<Value>{v};
      if (!values.empty()) {
        std::vector<TypedExpr> tests;
        for (const Value& e : values) {
          if (e.is_null()) {
            ASSIGN_OR_RETURN(TypedExpr t, BindScalarCall("IS_NULL", {a}, s));
            tests.push_back(t);
          } else {
            TypedExpr literal = MakeLiteral(Value::String(e.is_string() ? e.string_value() : e.ToString()), T(SqlTypeName::kVarchar));
            ASSIGN_OR_RETURN(TypedExpr t, BindScalarCall("=", {a, literal}, s));
            tests.push_back(t);
          }
        }
        if (tests.size() == 1) return tests[0];
        return BindScalarCall(contains ? "AND" : "OR", std::move(tests), s);
      }
    }
    return MakeCall(contains ? "array_contains" : "array_overlap", {a.expr, b.expr}, T(SqlTypeName::kBoolean), s);
  };
}

// ARRAY_APPEND(arr, x) / ARRAY_PREPEND(x, arr) and the MV_ twins.
Binder ArrayAddCall(bool append, bool mv) {
  return [append, mv](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[append ? 0 : 1], &array_type));
    ASSIGN_OR_RETURN(TypedExpr x, ElementOperand(name, args[append ? 1 : 0], array_type, s));
    std::vector<ExprPtr> exprs = append ? std::vector<ExprPtr>{a.expr, x.expr} : std::vector<ExprPtr>{x.expr, a.expr};
    return MakeCall(append ? "array_append" : "array_prepend", std::move(exprs), ArrayResult(array_type, mv), s);
  };
}

// ARRAY_CONCAT / MV_CONCAT: the result has the first array's type.
Binder ArrayConcatCall(bool mv) {
  return [mv](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    RETURN_IF_ERROR(ArrayTypeOf(name, args[1]).status());
    ASSIGN_OR_RETURN(TypedExpr b, SecondArrayOperand(name, args[1], array_type, s));
    return MakeCall("array_concat", {a.expr, b.expr}, ArrayResult(array_type, mv), s);
  };
}

// ARRAY_SLICE / MV_SLICE(arr, start[, end]).
Binder ArraySliceCall(bool mv) {
  return [mv](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 3));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    std::vector<ExprPtr> exprs{a.expr};
    for (size_t i = 1; i < args.size(); ++i) {
      ASSIGN_OR_RETURN(TypedExpr bound, Coerce(args[i], T(SqlTypeName::kBigint), s));
      exprs.push_back(bound.expr);
    }
    return MakeCall("array_slice", std::move(exprs), ArrayResult(array_type, mv), s);
  };
}

// ARRAY_TO_STRING / MV_TO_STRING(arr, delimiter).
Result<TypedExpr> ArrayToStringCall(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
  SqlType array_type;
  ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
  ASSIGN_OR_RETURN(TypedExpr delimiter, Coerce(args[1], T(SqlTypeName::kVarchar), s));
  return MakeCall("array_to_string", {a.expr, delimiter.expr}, T(SqlTypeName::kVarchar), s);
}

// STRING_TO_ARRAY / STRING_TO_MV(s, regex).
Binder StringToArrayCall(bool mv) {
  return [mv](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    ASSIGN_OR_RETURN(TypedExpr str, Coerce(args[0], T(SqlTypeName::kVarchar), s));
    ASSIGN_OR_RETURN(TypedExpr delimiter, Coerce(args[1], T(SqlTypeName::kVarchar), s));
    return MakeCall("string_to_array", {str.expr, delimiter.expr}, ArrayResult(SqlType::Array(SqlTypeName::kVarchar), mv), s);
  };
}

// MV_TO_ARRAY(column): Druid only takes a column (an identifier) here.
Result<TypedExpr> MvToArrayCall(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
  if (!args[0].expr->is_column()) {
    return Status::InvalidInput("Function[mv_to_array] argument " + args[0].expr->ToString() +
                                " should be an identifier expression. Use array() instead")
        .WithErrorCode("invalidInput");
  }
  SqlType array_type;
  ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
  return MakeCall("mv_to_array", {a.expr}, SqlType::Array(SqlTypeName::kVarchar), s);
}

// ARRAY_TO_MV(arr): the elements as a multi-value string.
Result<TypedExpr> ArrayToMvCall(const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) {
  RETURN_IF_ERROR(CheckArgs(name, args, 1, 1));
  SqlType array_type;
  ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
  return MakeCall("array_to_mv", {a.expr}, T(SqlTypeName::kVarchar), s);
}

// MV_FILTER_ONLY / MV_FILTER_NONE(mv, values).
Binder MvFilterCall(const std::string& engine_fn) {
  return [engine_fn](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
    RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
    SqlType array_type;
    ASSIGN_OR_RETURN(TypedExpr a, ArrayOperand(name, args[0], &array_type));
    ASSIGN_OR_RETURN(TypedExpr values, SecondArrayOperand(name, args[1], array_type, s));
    return MakeCall(engine_fn, {a.expr, values.expr}, T(SqlTypeName::kVarchar), s);
  };
}

const std::map<std::string, Binder>& Registry() {
  static const std::map<std::string, Binder> registry = [] {
    std::map<std::string, Binder> r;
    SqlType V = T(SqlTypeName::kVarchar), B = T(SqlTypeName::kBigint), D = T(SqlTypeName::kDouble),
            BOOL = T(SqlTypeName::kBoolean), TS = T(SqlTypeName::kTimestamp), ANY = T(SqlTypeName::kAny);
    r["+"] = Arithmetic("add");
    r["-"] = Arithmetic("subtract");
    r["*"] = Arithmetic("multiply");
    r["/"] = Arithmetic("divide");
    r["%"] = Arithmetic("modulo");
    r["MOD"] = Arithmetic("modulo");
    r["DIV"] = [](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
      RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
      ASSIGN_OR_RETURN(TypedExpr a, Coerce(args[0], T(SqlTypeName::kBigint), s));
      ASSIGN_OR_RETURN(TypedExpr b, Coerce(args[1], T(SqlTypeName::kBigint), s));
      return MakeCall("div", {a.expr, b.expr}, T(SqlTypeName::kBigint), s);
    };
    r["SAFE_DIVIDE"] = [](const std::string& name, std::vector<TypedExpr>& args, const BindSettings& s) -> Result<TypedExpr> {
      RETURN_IF_ERROR(CheckArgs(name, args, 2, 2));
      SqlType type = ArithmeticType(args);
      if (type.name == SqlTypeName::kFloat) type = T(SqlTypeName::kDouble);
      ASSIGN_OR_RETURN(TypedExpr a, Coerce(args[0], type, s));
      ASSIGN_OR_RETURN(TypedExpr b, Coerce(args[1], type, s));
      return MakeCall("safe_divide", {a.expr, b.expr}, type, s);
    };
    r["NEGATE"] = SameNumeric("negate", 1, 1);
    r["ABS"] = SameNumeric("abs", 1, 1);
    r["FLOOR"] = FloorCeil;
    r["CEIL"] = FloorCeil;
    r["CEILING"] = FloorCeil;
    r["ROUND"] = Round;
    r["TRUNCATE"] = Round;
    r["TRUNC"] = Round;
    r["POWER"] = Arithmetic("power", true);
    r["POW"] = Arithmetic("power", true);
    for (const char* f : {"SQRT", "EXP", "LN", "LOG10", "SIN", "COS", "TAN", "COT", "ASIN", "ACOS", "ATAN", "DEGREES", "RADIANS"}) {
      std::string lower = f;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r[f] = FixedArgs(lower, 1, 1, {D}, D);
    }
    r["ATAN2"] = FixedArgs("atan2", 2, 2, {D}, D);
    r["PI"] = Pi;
    r["GREATEST"] = Extreme;
    r["LEAST"] = Extreme;
    for (const char* f : {"BITWISE_AND", "BITWISE_OR", "BITWISE_XOR", "BITWISE_SHIFT_LEFT", "BITWISE_SHIFT_RIGHT"}) {
      std::string lower = f;
      for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      r[f] = FixedArgs(lower, 2, 2, {B}, B);
    }
    r["BITWISE_COMPLEMENT"] = FixedArgs("bitwise_complement", 1, 1, {B}, B);
    r["BITWISE_CONVERT_DOUBLE_TO_LONG_BITS"] = FixedArgs("bitwise_convert_double_to_long_bits", 1, 1, {D}, B);
    r["BITWISE_CONVERT_LONG_BITS_TO_DOUBLE"] = FixedArgs("bitwise_convert_long_bits_to_double", 1, 1, {B}, D);
    r["="] = Comparison("eq");
    r["IS DISTINCT FROM"] = Comparison("is_distinct_from");
    r["IS NOT DISTINCT FROM"] = Comparison("is_not_distinct_from");
    r["<>"] = Comparison("ne");
    r["!="] = Comparison("ne");
    r["<"] = Comparison("lt");
    r["<="] = Comparison("le");
    r[">"] = Comparison("gt");
    r[">="] = Comparison("ge");
    r["AND"] = Logical("and");
    r["OR"] = Logical("or");
    r["NOT"] = Logical("not");
    r["IS_NULL"] = FixedArgs("is_null", 1, 1, {ANY}, BOOL);
    r["IS_NOT_NULL"] = FixedArgs("is_not_null", 1, 1, {ANY}, BOOL);
    r["IS_TRUE"] = FixedArgs("is_true", 1, 1, {BOOL}, BOOL);
    r["IS_FALSE"] = FixedArgs("is_false", 1, 1, {BOOL}, BOOL);
    r["IS_NOT_TRUE"] = FixedArgs("is_not_true", 1, 1, {BOOL}, BOOL);
    r["IS_NOT_FALSE"] = FixedArgs("is_not_false", 1, 1, {BOOL}, BOOL);
    r["||"] = Concat;
    r["CONCAT"] = Concat;
    r["TEXTCAT"] = Concat;
    r["LOWER"] = StringFn("lower", 1, 1, {V}, V);
    r["UPPER"] = StringFn("upper", 1, 1, {V}, V);
    for (const char* f : {"LENGTH", "CHAR_LENGTH", "CHARACTER_LENGTH", "STRLEN"}) r[f] = StringFn("length", 1, 1, {V}, B);
    r["SUBSTRING"] = Substring;
    r["SUBSTR"] = Substring;
    r["LEFT"] = StringFn("left", 2, 2, {V, B}, V);
    r["RIGHT"] = StringFn("right", 2, 2, {V, B}, V);
    r["TRIM"] = Trim;
    r["BTRIM"] = Trim;
    r["LTRIM"] = Trim;
    r["RTRIM"] = Trim;
    r["REPLACE"] = StringFn("replace", 3, 3, {V, V, V}, V);
    r["POSITION"] = Position;
    r["STRPOS"] = Strpos;
    r["LPAD"] = StringFn("lpad", 2, 3, {V, B, V}, V);
    r["STRING_FORMAT"] = FixedArgs("string_format", 1, 64, {V, ANY}, V);
    r["HUMAN_READABLE_BINARY_BYTE_FORMAT"] = FixedArgs("human_readable_binary_byte_format", 1, 2, {B, B}, V);
    r["HUMAN_READABLE_DECIMAL_BYTE_FORMAT"] = FixedArgs("human_readable_decimal_byte_format", 1, 2, {B, B}, V);
    r["HUMAN_READABLE_DECIMAL_FORMAT"] = FixedArgs("human_readable_decimal_format", 1, 2, {B, B}, V);
    r["RPAD"] = StringFn("rpad", 2, 3, {V, B, V}, V);
    r["REVERSE"] = StringFn("reverse", 1, 1, {V}, V);
    r["REPEAT"] = StringFn("repeat", 2, 2, {V, B}, V);
    r["CONTAINS_STRING"] = StringFn("contains_string", 2, 2, {V, V}, BOOL);
    r["ICONTAINS_STRING"] = StringFn("icontains_string", 2, 2, {V, V}, BOOL);
    r["REGEXP_EXTRACT"] = StringFn("regexp_extract", 2, 3, {V, V, B}, V);
    r["REGEXP_LIKE"] = StringFn("regexp_like", 2, 2, {V, V}, BOOL);
    r["REGEXP_REPLACE"] = StringFn("regexp_replace", 3, 3, {V, V, V}, V);
    r["DECODE_BASE64_UTF8"] = StringFn("decode_base64_utf8", 1, 1, {V}, V);
    r["PARSE_LONG"] = StringFn("parse_long", 1, 2, {V, B}, B);
    r["TIME_PARSE"] = TimeParse;
    r["TIME_FORMAT"] = TimeFormat;
    r["TIME_FLOOR"] = TimeFloor("time_floor");
    r["TIME_CEIL"] = TimeFloor("time_ceil");
    r["TIME_SHIFT"] = TimeShift;
    r["TIME_EXTRACT"] = TimeExtract;
    r["TIME_IN_INTERVAL"] = StringFn("time_in_interval", 2, 2, {TS, V}, BOOL);
    r["DATE_TRUNC"] = DateTrunc;
    r["TIMESTAMPADD"] = TimestampAdd;
    r["TIMESTAMPDIFF"] = TimestampDiff;
    r["MILLIS_TO_TIMESTAMP"] = [](const std::string& n, std::vector<TypedExpr>& a, const BindSettings& s) {
      return Identity(n, a, s, T(SqlTypeName::kTimestamp));
    };
    r["TIMESTAMP_TO_MILLIS"] = [](const std::string& n, std::vector<TypedExpr>& a, const BindSettings& s) -> Result<TypedExpr> {
      RETURN_IF_ERROR(CheckArgs(n, a, 1, 1));
      ASSIGN_OR_RETURN(TypedExpr t, Coerce(a[0], T(SqlTypeName::kTimestamp), s));
      return TypedExpr{t.expr, T(SqlTypeName::kBigint)};
    };
    r["CURRENT_TIMESTAMP"] = CurrentTimestamp;
    r["LOCALTIMESTAMP"] = CurrentTimestamp;
    r["CURRENT_DATE"] = CurrentTimestamp;
    r["NOW"] = CurrentTimestamp;
    r["COALESCE"] = Coalesce;
    r["NVL"] = Coalesce;
    r["IFNULL"] = Coalesce;
    r["NULLIF"] = NullIf;
    r["ARRAY_LENGTH"] = ArrayLengthCall;
    r["MV_LENGTH"] = ArrayLengthCall;
    r["ARRAY_OFFSET"] = ArrayElementCall("array_offset", false);
    r["ARRAY_ORDINAL"] = ArrayElementCall("array_ordinal", false);
    r["MV_OFFSET"] = ArrayElementCall("array_offset", true);
    r["MV_ORDINAL"] = ArrayElementCall("array_ordinal", true);
    r["ARRAY_OFFSET_OF"] = ArrayPositionCall("array_offset_of");
    r["ARRAY_ORDINAL_OF"] = ArrayPositionCall("array_ordinal_of");
    r["MV_OFFSET_OF"] = ArrayPositionCall("array_offset_of");
    r["MV_ORDINAL_OF"] = ArrayPositionCall("array_ordinal_of");
    r["ARRAY_CONTAINS"] = ArrayMembershipCall(true);
    r["MV_CONTAINS"] = ArrayMembershipCall(true);
    r["ARRAY_OVERLAP"] = ArrayMembershipCall(false);
    r["MV_OVERLAP"] = ArrayMembershipCall(false);
    r["ARRAY_APPEND"] = ArrayAddCall(true, false);
    r["ARRAY_PREPEND"] = ArrayAddCall(false, false);
    r["MV_APPEND"] = ArrayAddCall(true, true);
    r["MV_PREPEND"] = ArrayAddCall(false, true);
    r["ARRAY_CONCAT"] = ArrayConcatCall(false);
    r["MV_CONCAT"] = ArrayConcatCall(true);
    r["ARRAY_SLICE"] = ArraySliceCall(false);
    r["MV_SLICE"] = ArraySliceCall(true);
    r["ARRAY_TO_STRING"] = ArrayToStringCall;
    r["MV_TO_STRING"] = ArrayToStringCall;
    r["STRING_TO_ARRAY"] = StringToArrayCall(false);
    r["STRING_TO_MV"] = StringToArrayCall(true);
    r["MV_TO_ARRAY"] = MvToArrayCall;
    r["ARRAY_TO_MV"] = ArrayToMvCall;
    r["MV_FILTER_ONLY"] = MvFilterCall("mv_filter_only");
    r["MV_FILTER_NONE"] = MvFilterCall("mv_filter_none");
    return r;
  }();
  return registry;
}

}  // namespace

Result<TypedExpr> BindScalarCall(const std::string& name, std::vector<TypedExpr> args, const BindSettings& settings) {
  const auto& registry = Registry();
  auto it = registry.find(name);
  if (it == registry.end()) return Status::NotFound("No match found for function signature " + name + "(...)");
  // Only the array and multi-value functions, and the NULL-handling ones, take ARRAY arguments;
  // the kernels of the others only ever see scalars.
  bool array_aware = name.rfind("ARRAY_", 0) == 0 || name.rfind("MV_", 0) == 0 || name == "COALESCE" || name == "NVL" ||
                     name == "IFNULL" || name == "IS_NULL" || name == "IS_NOT_NULL" || name == "=" || name == "<>" ||
                     name == "!=" || name == "<" || name == "<=" || name == ">" || name == ">=";
  if (!array_aware) {
    for (const auto& a : args) {
      if (a.type.name != SqlTypeName::kArray) continue;
      return Status::InvalidInput("Cannot apply '" + name + "' to arguments of type ARRAY").WithErrorCode("invalidInput");
    }
  }
  return it->second(name, args, settings);
}

Result<TypedExpr> BindArrayConstructor(std::vector<TypedExpr> elements, const BindSettings& settings) {
  if (elements.empty()) return Status::InvalidInput("Require at least 1 argument").WithErrorCode("invalidInput");
  bool any_string = false, any_other = false;
  SqlType common = T(SqlTypeName::kNull);
  for (const auto& e : elements) {
    if (e.type.name == SqlTypeName::kArray || e.type.name == SqlTypeName::kOther) {
      return Status::InvalidInput("ARRAY elements of type [" + e.type.InformationSchemaName() + "] are not supported")
          .WithErrorCode("invalidInput");
    }
    if (IsNullType(e.type)) continue;
    (IsStringy(e.type) ? any_string : any_other) = true;
    if (any_string && any_other) return Status::InvalidInput("Parameters must be of the same type").WithErrorCode("invalidInput");
    ASSIGN_OR_RETURN(common, CommonType(common, e.type));
  }
  SqlType element = T(ArrayElementName(common));
  std::vector<ExprPtr> exprs;
  for (auto& e : elements) {
    ASSIGN_OR_RETURN(TypedExpr c, Coerce(e, element, settings));
    exprs.push_back(c.expr);
  }
  return MakeCall("array", std::move(exprs), SqlType::Array(element.name), settings);
}

namespace {
const std::set<std::string>& AggregateNames() {
  static const std::set<std::string> kAggregates = {
      "COUNT", "SUM", "MIN", "MAX", "AVG", "APPROX_COUNT_DISTINCT", "APPROX_COUNT_DISTINCT_BUILTIN",
      "APPROX_COUNT_DISTINCT_DS_HLL", "APPROX_COUNT_DISTINCT_DS_THETA", "EARLIEST", "LATEST", "EARLIEST_BY", "LATEST_BY",
      "ANY_VALUE", "ARRAY_AGG", "STRING_AGG", "LISTAGG", "BIT_AND", "BIT_OR", "BIT_XOR"};
  return kAggregates;
}
}  // namespace

bool IsAggregateFunctionName(const std::string& name) { return AggregateNames().count(name) > 0; }

std::vector<std::string> ScalarFunctionNames() {
  std::vector<std::string> names;
  for (const auto& [name, binder] : Registry()) {
    bool is_operator = !std::isalpha(static_cast<unsigned char>(name[0])) || name == "AND" || name == "OR" || name == "NOT" ||
                       name == "NEGATE" || name.rfind("IS_", 0) == 0;
    if (!is_operator) names.push_back(name);
  }
  return names;
}

std::vector<std::string> AggregateFunctionNames() { return std::vector<std::string>(AggregateNames().begin(), AggregateNames().end()); }

}  // namespace strata::sql
