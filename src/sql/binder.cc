#include "sql/binder.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <functional>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "input/input_format.h"
#include "input/input_source.h"
#include "engine/segment_scan.h"
#include "types/number_format.h"

namespace strata::sql {

using engine::AggregatorKind;
using engine::AggregatorSpec;
using PhysicalExpr = engine::ExprPtr;
using types::ColumnType;
using types::SqlType;
using types::SqlTypeName;
using types::Value;

namespace {

SqlType T(SqlTypeName n) { return SqlType::Of(n); }

// A validation error as Druid words it: the message, then where in the SQL text it is.
Status Invalid(const std::string& message, const SourcePos& pos) {
  return Status::InvalidInput(message + " (line [" + std::to_string(pos.line) + "], column [" + std::to_string(pos.column) + "])")
      .WithErrorCode("invalidInput")
      .WithContext("sourceType", "sql")
      .WithContext("line", std::to_string(pos.line))
      .WithContext("column", std::to_string(pos.column));
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

// A whole decimal integer (optional sign); nullopt when `text` is not one or does not fit.
std::optional<int64_t> ParseInt64(std::string_view text) {
  if (!text.empty() && text[0] == '+') text.remove_prefix(1);
  int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return v;
}

// A 1-based ordinal literal (GROUP BY 2, ORDER BY 1) as a 0-based index; -1 when out of range.
int OrdinalIndex(const std::string& text, size_t count) {
  std::optional<int64_t> v = ParseInt64(text);
  if (!v || *v < 1 || *v > static_cast<int64_t>(count)) return -1;
  return static_cast<int>(*v - 1);
}

std::string JoinParts(const std::vector<std::string>& parts) {
  std::string out;
  for (size_t i = 0; i < parts.size(); ++i) {
    if (i) out += ".";
    out += parts[i];
  }
  return out;
}

bool ContainsAggregate(const Expr& e) {
  if (e.kind == ExprKind::kFunction && !e.over && IsAggregateFunctionName(e.name)) return true;
  if (e.kind == ExprKind::kInSubquery || e.kind == ExprKind::kExists || e.kind == ExprKind::kScalarSubquery) {
    for (const auto& a : e.args) {
      if (a && ContainsAggregate(*a)) return true;
    }
    return false;
  }
  for (const auto& a : e.args) {
    if (a && ContainsAggregate(*a)) return true;
  }
  return false;
}

void CollectAggregates(const Expr& e, std::vector<const Expr*>* out) {
  if (e.kind == ExprKind::kFunction && !e.over && IsAggregateFunctionName(e.name)) {
    out->push_back(&e);
    return;
  }
  if (e.kind == ExprKind::kScalarSubquery || e.kind == ExprKind::kExists) return;
  for (const auto& a : e.args) {
    if (a) CollectAggregates(*a, out);
  }
}

PhysicalExpr ColumnRef(int index, const Field& f) { return engine::Expr::Column(index, f.native, f.name); }

Field MakeField(std::string name, const SqlType& type) { return Field{std::move(name), type, type.Native()}; }

// Whether an integer literal text fits in INTEGER.
SqlType IntegerLiteralType(int64_t v) {
  return (v >= std::numeric_limits<int32_t>::min() && v <= std::numeric_limits<int32_t>::max()) ? T(SqlTypeName::kInteger)
                                                                                                 : T(SqlTypeName::kBigint);
}

}  // namespace

struct Binder::Scope {
  struct Column {
    std::string table;
    std::string name;
    int index;
    Field field;
  };
  std::vector<Column> columns;

  static Scope FromFields(const std::vector<Field>& fields, const std::string& table) {
    Scope s;
    for (size_t i = 0; i < fields.size(); ++i) s.columns.push_back(Column{table, fields[i].name, static_cast<int>(i), fields[i]});
    return s;
  }
};

// Binds AST expressions over a scope. A hook, when set, is consulted first at every node (used
// after aggregation to map grouped expressions and aggregate calls to aggregate outputs).
class ExprBinder {
 public:
  using Hook = std::function<std::optional<Result<TypedExpr>>(const Expr&)>;

  ExprBinder(Binder* binder, const Binder::Scope* scope, Hook hook = nullptr)
      : binder_(binder), scope_(scope), hook_(std::move(hook)) {}

  Result<TypedExpr> Bind(const Expr& e) {
    if (hook_) {
      std::optional<Result<TypedExpr>> hooked = hook_(e);
      if (hooked) return std::move(*hooked);
    }
    const BindSettings& s = binder_->options_.settings;
    switch (e.kind) {
      case ExprKind::kLiteral: return BindLiteral(e);
      case ExprKind::kIdentifier: return BindIdentifier(e);
      case ExprKind::kParameter: {
        const auto& params = binder_->options_.parameters;
        if (e.param_index < 0 || e.param_index >= static_cast<int>(params.size())) {
          // Druid 27+ wording (SqlParameterizerShuttle): positions count from 1.
          return Invalid("No value bound for parameter (position [" + std::to_string(e.param_index + 1) + "])", e.pos);
        }
        SqlType type = e.param_index < static_cast<int>(binder_->options_.parameter_types.size())
                           ? binder_->options_.parameter_types[e.param_index]
                           : T(SqlTypeName::kVarchar);
        const Value& v = params[e.param_index];
        if (v.is_null()) return MakeLiteral(Value::Null(), type);
        // TIMESTAMP and DATE values given as strings are parsed like the matching literals
        // (TIMESTAMP '...', DATE '...'): both are millis in the session time zone.
        if ((type.name == SqlTypeName::kTimestamp || type.name == SqlTypeName::kDate) && v.is_string()) {
          Result<int64_t> t = types::ParseSqlTimestamp(v.string_value(), s.time_zone);
          if (!t.ok()) {
            return Invalid("Cannot parse parameter value [" + v.string_value() + "] as " +
                               (type.name == SqlTypeName::kDate ? "DATE" : "TIMESTAMP"),
                           e.pos);
          }
          return MakeLiteral(Value::Long(*t), type);
        }
        return MakeLiteral(v, type);
      }
      case ExprKind::kStar:
        return Invalid("'*' is not allowed here", e.pos);
      case ExprKind::kUnary: {
        ASSIGN_OR_RETURN(TypedExpr a, Bind(*e.args[0]));
        if (e.op == "+") return a;
        if (e.op == "-") return Call("NEGATE", {a}, e.pos);
        return Call("NOT", {a}, e.pos);
      }
      case ExprKind::kBinary: return BindBinary(e);
      case ExprKind::kFunction: return BindFunction(e);
      case ExprKind::kCast: {
        ASSIGN_OR_RETURN(TypedExpr a, Bind(*e.args[0]));
        Result<SqlType> target = types::ParseSqlType(e.type_name);
        if (!target.ok()) return Invalid(target.status().message(), e.pos);
        Result<TypedExpr> r = Coerce(a, *target, s);
        if (!r.ok()) return Invalid(r.status().message(), e.pos);
        return r;
      }
      case ExprKind::kCase: return BindCase(e);
      case ExprKind::kIsNull: {
        ASSIGN_OR_RETURN(TypedExpr a, Bind(*e.args[0]));
        return Call(e.negated ? "IS_NOT_NULL" : "IS_NULL", {a}, e.pos);
      }
      case ExprKind::kIsBool: {
        ASSIGN_OR_RETURN(TypedExpr a, Bind(*e.args[0]));
        std::string v = Upper(e.bool_value);
        if (v == "UNKNOWN") return Call(e.negated ? "IS_NOT_NULL" : "IS_NULL", {a}, e.pos);
        std::string fn = std::string(e.negated ? "IS_NOT_" : "IS_") + v;
        return Call(fn, {a}, e.pos);
      }
      case ExprKind::kLike: {
        ASSIGN_OR_RETURN(TypedExpr a, Bind(*e.args[0]));
        ASSIGN_OR_RETURN(a, Coerce(a, T(SqlTypeName::kVarchar), s));
        ASSIGN_OR_RETURN(TypedExpr p, Bind(*e.args[1]));
        // The pattern and escape are character strings (Calcite's LIKE operand types).
        auto character = [&](const TypedExpr& t, const Expr& at) -> Status {
          if (t.type.is_string() || t.type.name == SqlTypeName::kNull || t.type.name == SqlTypeName::kAny) return Status::OK();
          return Invalid("Cannot apply 'LIKE' to a pattern of type '" + t.type.HeaderName() + "': LIKE patterns are strings",
                         at.pos);
        };
        RETURN_IF_ERROR(character(p, *e.args[1]));
        ASSIGN_OR_RETURN(p, Coerce(p, T(SqlTypeName::kVarchar), s));
        std::vector<PhysicalExpr> args{a.expr, p.expr};
        if (e.args.size() > 2) {
          ASSIGN_OR_RETURN(TypedExpr esc, Bind(*e.args[2]));
          RETURN_IF_ERROR(character(esc, *e.args[2]));
          ASSIGN_OR_RETURN(esc, Coerce(esc, T(SqlTypeName::kVarchar), s));
          args.push_back(esc.expr);
        }
        Result<TypedExpr> like = MakeCall("like", std::move(args), T(SqlTypeName::kBoolean), s);
        if (!like.ok()) return Invalid(like.status().message(), e.pos);
        if (e.negated) return Call("NOT", {*like}, e.pos);
        return like;
      }
      case ExprKind::kBetween: {
        ASSIGN_OR_RETURN(TypedExpr x, Bind(*e.args[0]));
        ASSIGN_OR_RETURN(TypedExpr lo, Bind(*e.args[1]));
        ASSIGN_OR_RETURN(TypedExpr hi, Bind(*e.args[2]));
        ASSIGN_OR_RETURN(TypedExpr ge, Call(">=", {x, lo}, e.pos));
        ASSIGN_OR_RETURN(TypedExpr le, Call("<=", {x, hi}, e.pos));
        ASSIGN_OR_RETURN(TypedExpr both, Call("AND", {ge, le}, e.pos));
        if (e.symmetric) {
          ASSIGN_OR_RETURN(TypedExpr ge2, Call(">=", {x, hi}, e.pos));
          ASSIGN_OR_RETURN(TypedExpr le2, Call("<=", {x, lo}, e.pos));
          ASSIGN_OR_RETURN(TypedExpr both2, Call("AND", {ge2, le2}, e.pos));
          ASSIGN_OR_RETURN(both, Call("OR", {both, both2}, e.pos));
        }
        if (e.negated) return Call("NOT", {both}, e.pos);
        return both;
      }
      case ExprKind::kInList: return BindInList(e);
      case ExprKind::kExtract: {
        ASSIGN_OR_RETURN(TypedExpr t, Bind(*e.args[0]));
        ASSIGN_OR_RETURN(t, Coerce(t, T(SqlTypeName::kTimestamp), s));
        std::string unit = Upper(e.name.empty() ? e.unit : e.name);
        TypedExpr u = MakeLiteral(Value::String(unit), T(SqlTypeName::kVarchar));
        TypedExpr tz = MakeLiteral(Value::String(s.time_zone_name), T(SqlTypeName::kVarchar));
        Result<TypedExpr> r = MakeCall("time_extract", {t.expr, u.expr, tz.expr}, T(SqlTypeName::kBigint), s);
        if (!r.ok()) return Invalid(r.status().message(), e.pos);
        return r;
      }
      case ExprKind::kFloorCeilTo: {
        ASSIGN_OR_RETURN(TypedExpr t, Bind(*e.args[0]));
        ASSIGN_OR_RETURN(t, Coerce(t, T(SqlTypeName::kTimestamp), s));
        TypedExpr u = MakeLiteral(Value::String(Upper(e.unit)), T(SqlTypeName::kVarchar));
        TypedExpr tz = MakeLiteral(Value::String(s.time_zone_name), T(SqlTypeName::kVarchar));
        Result<TypedExpr> r = MakeCall(Upper(e.name) == "CEIL" ? "ceil_unit" : "floor_unit", {t.expr, u.expr, tz.expr},
                                       T(SqlTypeName::kTimestamp), s);
        if (!r.ok()) return Invalid(r.status().message(), e.pos);
        return r;
      }
      case ExprKind::kRow:
        return Invalid("A row value (a, b, ...) is only supported on the left of IN", e.pos);
      case ExprKind::kInterval:
        return Invalid("INTERVAL literals are only supported in TIMESTAMP arithmetic", e.pos);
      case ExprKind::kInSubquery: return BindInSubquery(e);
      case ExprKind::kExists: {
        ASSIGN_OR_RETURN(SubqueryRows rows, RunSubquery(*e.subquery, e.pos));
        return MakeLiteral(Value::Long(rows.num_rows > 0 ? 1 : 0), T(SqlTypeName::kBoolean));
      }
      case ExprKind::kScalarSubquery: {
        ASSIGN_OR_RETURN(SubqueryRows rows, RunSubquery(*e.subquery, e.pos));
        if (rows.fields.size() != 1) return Invalid("A scalar subquery must return exactly one column", e.pos);
        SqlType type = rows.fields[0].type;
        if (type.name == SqlTypeName::kChar) type = T(SqlTypeName::kVarchar);
        if (rows.num_rows == 0) return MakeLiteral(Value::Null(), type);
        if (rows.num_rows > 1) return Invalid("Scalar subquery returned more than one row", e.pos);
        for (const auto& f : rows.frames) {
          if (f.num_rows > 0) return MakeLiteral(columnar::GetValue(f.column(0), 0), type);
        }
        return MakeLiteral(Value::Null(), type);
      }
      case ExprKind::kArray: {
        std::vector<TypedExpr> elements;
        for (const auto& a : e.args) {
          ASSIGN_OR_RETURN(TypedExpr t, Bind(*a));
          elements.push_back(std::move(t));
        }
        Result<TypedExpr> r = BindArrayConstructor(std::move(elements), s);
        if (!r.ok() && r.status().code() == StatusCode::kInvalidInput) return Invalid(r.status().message(), e.pos);
        return r;
      }
    }
    return Invalid("Unsupported expression", e.pos);
  }

 private:
  Result<TypedExpr> Call(const std::string& name, std::vector<TypedExpr> args, const SourcePos& pos) {
    Result<TypedExpr> r = BindScalarCall(name, std::move(args), binder_->options_.settings);
    if (!r.ok()) {
      Status st = r.status();
      if (st.code() == StatusCode::kNotFound) return Invalid(st.message(), pos);
      if (st.code() == StatusCode::kInvalidInput) return Invalid(st.message(), pos);
      return st;
    }
    return r;
  }

  Result<TypedExpr> BindLiteral(const Expr& e) {
    const BindSettings& s = binder_->options_.settings;
    switch (e.literal_kind) {
      case LiteralKind::kNull: return MakeLiteral(Value::Null(), T(SqlTypeName::kNull));
      case LiteralKind::kBoolean:
        return MakeLiteral(Value::Long(Upper(e.text) == "TRUE" ? 1 : 0), T(SqlTypeName::kBoolean));
      case LiteralKind::kInteger: {
        int64_t v;
        if (types::ParseLongStrict(e.text, &v)) return MakeLiteral(Value::Long(v), IntegerLiteralType(v));
        double d = std::stod(e.text);
        return MakeLiteral(Value::Double(d), T(SqlTypeName::kDecimal));
      }
      case LiteralKind::kDecimal: {
        double d = 0;
        if (!types::ParseDoubleStrict(e.text, &d)) return Invalid("Invalid number [" + e.text + "]", e.pos);
        if (d == 0) d = 0;  // exact decimals have no negative zero: -0.0 is 0
        return MakeLiteral(Value::Double(d), T(SqlTypeName::kDecimal));
      }
      case LiteralKind::kApprox: {
        double d = 0;
        if (!types::ParseDoubleStrict(e.text, &d)) return Invalid("Invalid number [" + e.text + "]", e.pos);
        return MakeLiteral(Value::Double(d), T(SqlTypeName::kDouble));
      }
      case LiteralKind::kString: return MakeLiteral(Value::String(e.text), T(SqlTypeName::kChar));
      case LiteralKind::kTimestamp:
      case LiteralKind::kDate: {
        Result<int64_t> t = types::ParseSqlTimestamp(e.text, s.time_zone);
        if (!t.ok()) {
          return Invalid("Illegal " + std::string(e.literal_kind == LiteralKind::kDate ? "DATE" : "TIMESTAMP") +
                             " literal '" + e.text + "'",
                         e.pos);
        }
        return MakeLiteral(Value::Long(*t), T(e.literal_kind == LiteralKind::kDate ? SqlTypeName::kDate : SqlTypeName::kTimestamp));
      }
      case LiteralKind::kTime:
        return Invalid("TIME literals are not supported", e.pos);
    }
    return Invalid("Unsupported literal", e.pos);
  }

  Result<TypedExpr> BindIdentifier(const Expr& e) {
    if (scope_ == nullptr) return Invalid("Column '" + JoinParts(e.parts) + "' not found in any table", e.pos);
    const std::string& name = e.parts.back();
    std::string table = e.parts.size() >= 2 ? e.parts[e.parts.size() - 2] : "";
    const Binder::Scope::Column* found = nullptr;
    for (const auto& c : scope_->columns) {
      if (c.name != name) continue;
      if (!table.empty() && c.table != table) continue;
      if (found != nullptr) return Invalid("Column '" + name + "' is ambiguous", e.pos);
      found = &c;
    }
    if (found == nullptr && table.empty() && !(e.quoted.size() == 1 && e.quoted[0]) && Upper(name) == "PI") {
      return Call("PI", {}, e.pos);  // a function written without parentheses (Calcite's PI)
    }
    if (found == nullptr) {
      for (const Binder::Scope* outer : binder_->outer_scopes_) {
        if (outer == nullptr) continue;
        for (const auto& c : outer->columns) {
          if (c.name == name && (table.empty() || c.table == table)) {
            return Invalid("Correlated subqueries are not supported: '" + JoinParts(e.parts) +
                               "' refers to a column of the enclosing query",
                           e.pos);
          }
        }
      }
      if (!table.empty()) {
        bool table_known = false;
        for (const auto& c : scope_->columns) table_known |= c.table == table;
        if (!table_known) return Invalid("Table '" + table + "' not found", e.pos);
        return Invalid("Column '" + name + "' not found in table '" + table + "'", e.pos);
      }
      return Invalid("Column '" + name + "' not found in any table", e.pos);
    }
    return TypedExpr{ColumnRef(found->index, found->field), found->field.type};
  }

  Result<TypedExpr> BindBinary(const Expr& e) {
    const BindSettings& s = binder_->options_.settings;
    const Expr& l = *e.args[0];
    const Expr& r = *e.args[1];
    if ((e.op == "+" || e.op == "-") && (l.kind == ExprKind::kInterval || r.kind == ExprKind::kInterval)) {
      const Expr& iv = l.kind == ExprKind::kInterval ? l : r;
      const Expr& other = l.kind == ExprKind::kInterval ? r : l;
      ASSIGN_OR_RETURN(TypedExpr t, Bind(other));
      ASSIGN_OR_RETURN(t, Coerce(t, T(SqlTypeName::kTimestamp), s));
      // INTERVAL '<n>' <unit> [TO <unit>]: a count of the unit (years-months as 'y-m').
      std::string unit = Upper(iv.unit);
      std::string text = iv.text;
      int64_t amount = 0;
      std::string period_unit = unit;
      if (!iv.unit_to.empty() && unit == "YEAR") {
        size_t dash = text.find('-');
        std::optional<int64_t> years = ParseInt64(text.substr(0, dash));
        std::optional<int64_t> months = dash == std::string::npos ? 0 : ParseInt64(text.substr(dash + 1));
        if (!years || !months || *years > 1000000000 || *years < -1000000000 || *months < 0 || *months > 1000000000) {
          return Invalid("Illegal interval literal format '" + text + "' for INTERVAL YEAR TO MONTH", iv.pos);
        }
        amount = *years * 12 + (*years < 0 ? -*months : *months);
        period_unit = "MONTH";
      } else if (!iv.unit_to.empty()) {
        // Day-time intervals: 'D H:M:S.fff' with the fields from `unit` down to `unit_to`,
        // e.g. INTERVAL '2:30' HOUR TO MINUTE. Added as milliseconds.
        static const char* kFields[] = {"DAY", "HOUR", "MINUTE", "SECOND"};
        static const int64_t kMillis[] = {86400000, 3600000, 60000, 1000};
        int from = -1, to = -1;
        for (int k = 0; k < 4; ++k) {
          if (unit == kFields[k]) from = k;
          if (Upper(iv.unit_to) == kFields[k]) to = k;
        }
        bool negative = !text.empty() && text[0] == '-';
        std::string body = negative ? text.substr(1) : text;
        std::vector<std::string> parts;
        std::string current;
        for (char ch : body) {
          if (ch == ' ' || ch == ':') {
            parts.push_back(current);
            current.clear();
          } else {
            current.push_back(ch);
          }
        }
        parts.push_back(current);
        if (from < 0 || to < from || static_cast<int>(parts.size()) != to - from + 1) {
          return Invalid("Illegal interval literal format '" + text + "' for INTERVAL " + unit + " TO " + Upper(iv.unit_to), iv.pos);
        }
        double total = 0;
        for (int k = from; k <= to; ++k) {
          double v = 0;
          if (!types::ParseDoubleStrict(parts[k - from], &v)) return Invalid("Invalid INTERVAL literal '" + text + "'", iv.pos);
          total += v * static_cast<double>(kMillis[k]);
        }
        amount = static_cast<int64_t>(negative ? -total : total);
        period_unit = "MILLISECOND";
      } else {
        double d = 0;
        if (!types::ParseDoubleStrict(text, &d)) return Invalid("Invalid INTERVAL literal '" + text + "'", iv.pos);
        amount = static_cast<int64_t>(d);
      }
      if (e.op == "-") amount = -amount;
      TypedExpr u = MakeLiteral(Value::String(period_unit), T(SqlTypeName::kVarchar));
      TypedExpr n = MakeLiteral(Value::Long(amount), T(SqlTypeName::kBigint));
      TypedExpr tz = MakeLiteral(Value::String(s.time_zone_name), T(SqlTypeName::kVarchar));
      Result<TypedExpr> res = MakeCall("timestampadd", {u.expr, n.expr, t.expr, tz.expr}, T(SqlTypeName::kTimestamp), s);
      if (!res.ok()) return Invalid(res.status().message(), e.pos);
      return res;
    }
    ASSIGN_OR_RETURN(TypedExpr a, Bind(l));
    ASSIGN_OR_RETURN(TypedExpr b, Bind(r));
    // TIMESTAMP - TIMESTAMP is not a number in SQL; Druid users write TIMESTAMPDIFF.
    return Call(e.op, {a, b}, e.pos);
  }

  Result<TypedExpr> BindFunction(const Expr& e) {
    if (IsAggregateFunctionName(e.name) && !e.over) {
      return Invalid("Aggregate function [" + e.name + "] is not allowed here", e.pos);
    }
    if (e.over) return Invalid("Window functions are not supported yet", e.pos);
    std::vector<TypedExpr> args;
    bool unit_first = e.name == "TIMESTAMPADD" || e.name == "TIMESTAMPDIFF";
    for (size_t i = 0; i < e.args.size(); ++i) {
      const Expr& a = *e.args[i];
      if (unit_first && i == 0 && a.kind == ExprKind::kIdentifier && a.parts.size() == 1) {
        // TIMESTAMPADD(HOUR, ...): the unit is a keyword, not a column.
        args.push_back(MakeLiteral(Value::String(Upper(a.parts[0])), T(SqlTypeName::kVarchar)));
        continue;
      }
      ASSIGN_OR_RETURN(TypedExpr t, Bind(a));
      args.push_back(std::move(t));
    }
    return Call(e.name, std::move(args), e.pos);
  }

  Result<TypedExpr> BindCase(const Expr& e) {
    const BindSettings& s = binder_->options_.settings;
    size_t i = 0;
    std::optional<TypedExpr> operand;
    if (e.case_has_operand) {
      ASSIGN_OR_RETURN(TypedExpr op, Bind(*e.args[0]));
      operand = op;
      i = 1;
    }
    size_t end = e.args.size() - (e.case_has_else ? 1 : 0);
    std::vector<TypedExpr> conds, values;
    for (; i + 1 < end + 1 && i < end; i += 2) {
      ASSIGN_OR_RETURN(TypedExpr w, Bind(*e.args[i]));
      if (operand) {
        ASSIGN_OR_RETURN(w, Call("=", {*operand, w}, e.pos));
      }
      ASSIGN_OR_RETURN(TypedExpr v, Bind(*e.args[i + 1]));
      conds.push_back(w);
      values.push_back(v);
    }
    std::optional<TypedExpr> else_value;
    if (e.case_has_else) {
      ASSIGN_OR_RETURN(TypedExpr v, Bind(*e.args.back()));
      else_value = v;
    }
    SqlType type = T(SqlTypeName::kNull);
    for (const auto& v : values) {
      Result<SqlType> c = CommonType(type, v.type);
      if (!c.ok()) return Invalid(c.status().message(), e.pos);
      type = *c;
    }
    if (else_value) {
      Result<SqlType> c = CommonType(type, else_value->type);
      if (!c.ok()) return Invalid(c.status().message(), e.pos);
      type = *c;
    }
    if (type.name == SqlTypeName::kNull) type = T(SqlTypeName::kVarchar);
    if (type.name == SqlTypeName::kChar) type = T(SqlTypeName::kVarchar);
    // Constant conditions prune branches (CASE 'foo' WHEN 'bar' ...).
    std::vector<PhysicalExpr> args;
    for (size_t k = 0; k < conds.size(); ++k) {
      ASSIGN_OR_RETURN(TypedExpr cond, Coerce(conds[k], T(SqlTypeName::kBoolean), s));
      ASSIGN_OR_RETURN(TypedExpr v, Coerce(values[k], type, s));
      if (cond.expr->is_literal()) {
        const Value& cv = cond.expr->literal();
        if (cv.is_null() || (cv.is_long() && cv.long_value() == 0)) continue;
        if (args.empty()) return v;  // first reachable branch is always taken
      }
      args.push_back(cond.expr);
      args.push_back(v.expr);
    }
    if (else_value) {
      ASSIGN_OR_RETURN(TypedExpr v, Coerce(*else_value, type, s));
      if (args.empty()) return v;
      args.push_back(v.expr);
    } else if (args.empty()) {
      return MakeLiteral(Value::Null(), type);
    }
    // Arrays have their own kernel (the scalar one copies single cells).
    Result<TypedExpr> r =
        MakeCall(type.name == SqlTypeName::kArray ? "array_case_searched" : "case_searched", std::move(args), type, s);
    if (!r.ok()) return Invalid(r.status().message(), e.pos);
    return r;
  }

  // The rows of an uncorrelated subquery, run now (Druid inlines subquery results too).
  struct SubqueryRows {
    std::vector<Field> fields;
    std::vector<columnar::Frame> frames;
    int64_t num_rows = 0;
  };

  Result<SubqueryRows> RunSubquery(const SelectStmt& query, const SourcePos& pos) {
    const BindOptions& options = binder_->options_;
    if (!options.run_subquery) return Invalid("Subqueries in expressions are not supported here", pos);
    binder_->outer_scopes_.push_back(binder_->from_scope_ ? binder_->from_scope_ : scope_);
    Result<NodePtr> bound = binder_->BindSelect(query);
    binder_->outer_scopes_.pop_back();
    ASSIGN_OR_RETURN(NodePtr node, std::move(bound));
    SubqueryRows rows;
    rows.fields = node->fields;
    ASSIGN_OR_RETURN(rows.frames, options.run_subquery(*node));
    for (const auto& f : rows.frames) rows.num_rows += f.num_rows;
    if (rows.num_rows > options.max_subquery_rows) {
      return Status::ResourceExhausted("Subquery generated results beyond maximum[" + std::to_string(options.max_subquery_rows) +
                                       "] rows (maxSubqueryRows)")
          .WithErrorCode("resourceLimitExceeded");
    }
    return rows;
  }

  // x [NOT] IN (SELECT y ...): the subquery's values become an IN list. A NULL among them makes
  // a miss unknown (so NOT IN is never true); an empty list makes IN false and NOT IN true.
  Result<TypedExpr> BindInSubquery(const Expr& e) {
    const BindSettings& s = binder_->options_.settings;
    if (e.args[0]->kind == ExprKind::kRow) return BindRowInSubquery(e);
    ASSIGN_OR_RETURN(TypedExpr x, Bind(*e.args[0]));
    ASSIGN_OR_RETURN(SubqueryRows rows, RunSubquery(*e.subquery, e.pos));
    if (rows.fields.size() != 1) return Invalid("The subquery of IN must return exactly one column", e.pos);
    if (rows.num_rows == 0) return MakeLiteral(Value::Long(e.negated ? 1 : 0), T(SqlTypeName::kBoolean));
    Result<SqlType> common = CommonType(x.type, rows.fields[0].type);
    if (!common.ok()) return Invalid("Values passed to IN operator must have compatible types", e.pos);
    SqlType target = x.type.is_string() ? T(SqlTypeName::kVarchar) : *common;
    if (target.name == SqlTypeName::kChar) target = T(SqlTypeName::kVarchar);
    ASSIGN_OR_RETURN(TypedExpr lhs, Coerce(x, target, s));
    std::vector<PhysicalExpr> args{lhs.expr};
    bool has_null = false;
    std::set<std::string> seen;
    for (const auto& f : rows.frames) {
      for (int64_t r = 0; r < f.num_rows; ++r) {
        Value v = columnar::GetValue(f.column(0), r);
        if (v.is_null()) {
          has_null = true;
          continue;
        }
        if (!seen.insert(v.ToString()).second) continue;
        Result<TypedExpr> lit = Coerce(MakeLiteral(v, rows.fields[0].type), target, s);
        if (!lit.ok()) return Invalid(lit.status().message(), e.pos);
        args.push_back(lit->expr);
      }
    }
    TypedExpr found;
    if (args.size() == 1) {
      found = MakeLiteral(Value::Long(0), T(SqlTypeName::kBoolean));  // only NULLs
    } else {
      Result<TypedExpr> in = MakeCall("in", std::move(args), T(SqlTypeName::kBoolean), s);
      if (!in.ok()) return Invalid(in.status().message(), e.pos);
      found = *in;
    }
    if (has_null) {
      // TRUE when found, else unknown.
      TypedExpr t = MakeLiteral(Value::Long(1), T(SqlTypeName::kBoolean));
      TypedExpr unknown = MakeLiteral(Value::Null(), T(SqlTypeName::kBoolean));
      Result<TypedExpr> c = MakeCall("case_searched", {found.expr, t.expr, unknown.expr}, T(SqlTypeName::kBoolean), s);
      if (!c.ok()) return Invalid(c.status().message(), e.pos);
      found = *c;
    }
    if (e.negated) return Call("NOT", {found}, e.pos);
    return found;
  }

  // (a, b) [NOT] IN (SELECT x, y ...): one conjunction of equalities per distinct subquery row,
  // ORed; SQL's three-valued logic of = / AND / OR gives the NULL rules of a row comparison.
  Result<TypedExpr> BindRowInSubquery(const Expr& e) {
    const Expr& row = *e.args[0];
    std::vector<TypedExpr> lhs;
    for (const auto& a : row.args) {
      ASSIGN_OR_RETURN(TypedExpr x, Bind(*a));
      lhs.push_back(x);
    }
    ASSIGN_OR_RETURN(SubqueryRows rows, RunSubquery(*e.subquery, e.pos));
    if (rows.fields.size() != lhs.size()) {
      return Invalid("The subquery of a row IN must return " + std::to_string(lhs.size()) + " columns, not " +
                         std::to_string(rows.fields.size()),
                     e.pos);
    }
    std::vector<TypedExpr> alternatives;
    std::set<std::string> seen;
    for (const auto& f : rows.frames) {
      for (int64_t r = 0; r < f.num_rows; ++r) {
        std::vector<TypedExpr> eqs;
        std::string key;
        for (size_t c = 0; c < lhs.size(); ++c) {
          Value v = columnar::GetValue(f.column(static_cast<int>(c)), r);
          key += v.is_null() ? std::string("\x01N") : "\x01V" + v.ToString();
          SqlType type = rows.fields[c].type;
          if (type.name == SqlTypeName::kChar) type = T(SqlTypeName::kVarchar);
          ASSIGN_OR_RETURN(TypedExpr eq, Call("=", {lhs[c], MakeLiteral(v, type)}, e.pos));
          eqs.push_back(eq);
        }
        if (!seen.insert(key).second) continue;
        ASSIGN_OR_RETURN(TypedExpr all, Call("AND", eqs, e.pos));
        alternatives.push_back(all);
      }
    }
    TypedExpr found;
    if (alternatives.empty()) {
      found = MakeLiteral(Value::Long(0), T(SqlTypeName::kBoolean));
    } else if (alternatives.size() == 1) {
      found = alternatives[0];
    } else {
      ASSIGN_OR_RETURN(found, Call("OR", alternatives, e.pos));
    }
    if (e.negated) return Call("NOT", {found}, e.pos);
    return found;
  }

  // (a, b) [NOT] IN ((1, 'x'), (2, 'y')): the same expansion over literal rows.
  Result<TypedExpr> BindRowInList(const Expr& e) {
    const Expr& row = *e.args[0];
    std::vector<TypedExpr> alternatives;
    for (size_t i = 1; i < e.args.size(); ++i) {
      const Expr& item = *e.args[i];
      if (item.kind != ExprKind::kRow || item.args.size() != row.args.size()) {
        return Invalid("Each value of a row IN list must be a row of " + std::to_string(row.args.size()) + " values",
                       item.pos);
      }
      std::vector<TypedExpr> eqs;
      for (size_t c = 0; c < row.args.size(); ++c) {
        ASSIGN_OR_RETURN(TypedExpr l, Bind(*row.args[c]));
        ASSIGN_OR_RETURN(TypedExpr r, Bind(*item.args[c]));
        ASSIGN_OR_RETURN(TypedExpr eq, Call("=", {l, r}, e.pos));
        eqs.push_back(eq);
      }
      ASSIGN_OR_RETURN(TypedExpr all, Call("AND", eqs, e.pos));
      alternatives.push_back(all);
    }
    TypedExpr found = alternatives[0];
    if (alternatives.size() > 1) {
      ASSIGN_OR_RETURN(found, Call("OR", alternatives, e.pos));
    }
    if (e.negated) return Call("NOT", {found}, e.pos);
    return found;
  }

  Result<TypedExpr> BindInList(const Expr& e) {
    const BindSettings& s = binder_->options_.settings;
    if (e.args[0]->kind == ExprKind::kRow) return BindRowInList(e);
    ASSIGN_OR_RETURN(TypedExpr x, Bind(*e.args[0]));
    std::vector<TypedExpr> items;
    bool all_literals = true;
    SqlType common = x.type;
    for (size_t i = 1; i < e.args.size(); ++i) {
      ASSIGN_OR_RETURN(TypedExpr v, Bind(*e.args[i]));
      all_literals &= v.expr->is_literal();
      Result<SqlType> c = CommonType(common, v.type);
      if (!c.ok()) return Invalid(c.status().message(), e.pos);
      items.push_back(v);
    }
    TypedExpr result;
    if (all_literals && !items.empty()) {
      // Literals are converted to the column's type family once.
      SqlType target = x.type;
      if (x.type.is_string()) target = T(SqlTypeName::kVarchar);
      std::vector<PhysicalExpr> args{x.expr};
      for (auto& v : items) {
        Result<TypedExpr> cv = Coerce(v, target.is_numeric() && !v.type.is_numeric() ? T(SqlTypeName::kDouble) : target, s);
        if (!cv.ok()) return Invalid(cv.status().message(), e.pos);
        args.push_back(cv->expr);
      }
      Result<TypedExpr> r = MakeCall("in", std::move(args), T(SqlTypeName::kBoolean), s);
      if (!r.ok()) return Invalid(r.status().message(), e.pos);
      result = *r;
    } else {
      std::vector<TypedExpr> eqs;
      for (auto& v : items) {
        ASSIGN_OR_RETURN(TypedExpr eq, Call("=", {x, v}, e.pos));
        eqs.push_back(eq);
      }
      if (eqs.size() == 1) {
        result = eqs[0];
      } else {
        ASSIGN_OR_RETURN(result, Call("OR", eqs, e.pos));
      }
    }
    if (e.negated) return Call("NOT", {result}, e.pos);
    return result;
  }

  Binder* binder_;
  const Binder::Scope* scope_;
  Hook hook_;
};

Binder::Binder(SqlCatalog* catalog, BindOptions options) : options_(std::move(options)), catalog_(catalog) {}
Binder::~Binder() = default;

Result<TypedExpr> Binder::BindConstant(const Expr& expr) {
  ExprBinder b(this, nullptr);
  return b.Bind(expr);
}

Result<TypedExpr> Binder::BindOverTime(const Expr& expr) {
  Scope scope;
  scope.columns.push_back(Scope::Column{"", "__time", 0, MakeField("__time", T(SqlTypeName::kTimestamp))});
  ExprBinder b(this, &scope);
  return b.Bind(expr);
}

Result<NodePtr> Binder::BindQuery(const SelectStmt& query) { return BindSelect(query); }

namespace {

NodePtr MakeProject(NodePtr input, std::vector<TypedExpr> exprs, std::vector<std::string> names) {
  auto p = std::make_unique<LogicalNode>(LogicalNode::Kind::kProject);
  for (size_t i = 0; i < exprs.size(); ++i) {
    p->exprs.push_back(exprs[i].expr);
    p->fields.push_back(MakeField(names[i], exprs[i].type));
  }
  p->inputs.push_back(std::move(input));
  return p;
}

Result<int64_t> LimitValue(const Expr* e, Binder* binder, const char* what) {
  if (e == nullptr) return int64_t{-1};
  ASSIGN_OR_RETURN(TypedExpr v, binder->BindConstant(*e));
  if (!v.expr->is_literal() || !v.expr->literal().is_long() || v.expr->literal().long_value() < 0) {
    return Invalid(std::string(what) + " must be a non-negative integer", e->pos);
  }
  return v.expr->literal().long_value();
}

// Derived output names must be unique: a repeated one gets the first free suffix 0, 1, ...
// appended (Calcite's rule: SELECT f1.dim1, f2.dim1 names its columns dim1 and dim10). Names given
// with AS stay as written, repeated or not (Druid returns them so).
void UniquifyNames(std::vector<std::string>* names, const std::vector<bool>& aliased) {
  std::set<std::string> used;
  for (size_t i = 0; i < names->size(); ++i) {
    if (aliased[i]) used.insert((*names)[i]);
  }
  for (size_t i = 0; i < names->size(); ++i) {
    std::string& name = (*names)[i];
    if (aliased[i] || used.insert(name).second) continue;
    for (int attempt = 0;; ++attempt) {
      std::string candidate = name + std::to_string(attempt);
      if (used.insert(candidate).second) {
        name = candidate;
        break;
      }
    }
  }
}

// Names Druid gives select items: the alias, a column's own name, else EXPR$<position>.
std::string ItemName(const SelectItem& item, size_t position) {
  if (!item.alias.empty()) return item.alias;
  if (item.expr->kind == ExprKind::kIdentifier) return item.expr->parts.back();
  return "EXPR$" + std::to_string(position);
}

}  // namespace

Result<NodePtr> Binder::BindSelect(const SelectStmt& query) {
  // WITH: register the CTEs for the duration of this query.
  ctes_.emplace_back();
  for (const auto& cte : query.with) ctes_.back()[cte.name] = &cte;
  ++select_depth_;
  struct Pop {
    std::vector<std::map<std::string, const CommonTableExpr*>>* v;
    int* depth;
    ~Pop() {
      v->pop_back();
      --*depth;
    }
  } pop{&ctes_, &select_depth_};

  if (query.set_op == SetOp::kNone && query.values.empty()) return BindSimpleSelect(query);

  NodePtr node;
  if (!query.values.empty()) {
    ASSIGN_OR_RETURN(node, BindValues(query));
  } else {
    if (query.set_op == SetOp::kUnion) {
      return Invalid("SQL requires 'UNION' but only 'UNION ALL' is supported.", query.pos);
    }
    if (query.set_op != SetOp::kUnionAll) {
      return Invalid(std::string("SQL requires '") + (query.set_op == SetOp::kIntersect ? "INTERSECT" : "EXCEPT") +
                         "' but only 'UNION ALL' is supported.",
                     query.pos);
    }
    ASSIGN_OR_RETURN(NodePtr left, BindSelect(*query.left));
    ASSIGN_OR_RETURN(NodePtr right, BindSelect(*query.right));
    if (left->fields.size() != right->fields.size()) {
      return Invalid("Column count mismatch in UNION ALL", query.pos);
    }
    // Unify column types.
    std::vector<SqlType> types;
    bool needs_cast = false;
    for (size_t i = 0; i < left->fields.size(); ++i) {
      Result<SqlType> c = CommonType(left->fields[i].type, right->fields[i].type);
      if (!c.ok()) return Invalid("Type mismatch in column " + std::to_string(i + 1) + " of UNION ALL", query.pos);
      SqlType t = *c;
      if (t.name == SqlTypeName::kChar) t = T(SqlTypeName::kVarchar);
      if (t.name == SqlTypeName::kInteger) t = T(SqlTypeName::kBigint);
      types.push_back(t);
      needs_cast |= !(left->fields[i].type == t) || !(right->fields[i].type == t);
    }
    auto cast_side = [&](NodePtr side) -> Result<NodePtr> {
      if (!needs_cast) return side;
      std::vector<TypedExpr> exprs;
      std::vector<std::string> names;
      for (size_t i = 0; i < side->fields.size(); ++i) {
        TypedExpr col{ColumnRef(static_cast<int>(i), side->fields[i]), side->fields[i].type};
        ASSIGN_OR_RETURN(TypedExpr c, Coerce(col, types[i], options_.settings));
        exprs.push_back(c);
        names.push_back(side->fields[i].name);
      }
      return MakeProject(std::move(side), std::move(exprs), std::move(names));
    };
    ASSIGN_OR_RETURN(left, cast_side(std::move(left)));
    ASSIGN_OR_RETURN(right, cast_side(std::move(right)));
    node = std::make_unique<LogicalNode>(LogicalNode::Kind::kUnionAll);
    node->fields = left->fields;
    // Flatten nested unions.
    for (NodePtr* side : {&left, &right}) {
      if ((*side)->kind == LogicalNode::Kind::kUnionAll) {
        for (auto& in : (*side)->inputs) node->inputs.push_back(std::move(in));
      } else {
        node->inputs.push_back(std::move(*side));
      }
    }
  }
  // ORDER BY / LIMIT over the set operation or VALUES: by output name or ordinal.
  if (!query.order_by.empty()) {
    auto sort = std::make_unique<LogicalNode>(LogicalNode::Kind::kSort);
    sort->fields = node->fields;
    for (const auto& item : query.order_by) {
      int index = -1;
      if (item.expr->kind == ExprKind::kLiteral && item.expr->literal_kind == LiteralKind::kInteger) {
        index = OrdinalIndex(item.expr->text, node->fields.size());
      } else if (item.expr->kind == ExprKind::kIdentifier && item.expr->parts.size() == 1) {
        for (size_t i = 0; i < node->fields.size(); ++i) {
          if (node->fields[i].name == item.expr->parts[0]) index = static_cast<int>(i);
        }
      }
      if (index < 0 || index >= static_cast<int>(node->fields.size())) {
        return Invalid("ORDER BY on a UNION ALL must name an output column", item.expr->pos);
      }
      engine::SortKey key{index, item.ascending, item.nulls_first.value_or(item.ascending)};
      sort->sort_keys.push_back(key);
    }
    sort->inputs.push_back(std::move(node));
    node = std::move(sort);
  }
  ASSIGN_OR_RETURN(int64_t limit, LimitValue(query.limit.get(), this, "LIMIT"));
  ASSIGN_OR_RETURN(int64_t offset, LimitValue(query.offset.get(), this, "OFFSET"));
  if (limit >= 0 || offset > 0) {
    auto lim = std::make_unique<LogicalNode>(LogicalNode::Kind::kLimit);
    lim->fields = node->fields;
    lim->limit = limit;
    lim->offset = std::max<int64_t>(0, offset);
    lim->inputs.push_back(std::move(node));
    node = std::move(lim);
  }
  return node;
}

Result<NodePtr> Binder::BindValues(const SelectStmt& query) {
  size_t width = query.values[0].size();
  std::vector<std::vector<TypedExpr>> rows;
  for (const auto& row : query.values) {
    if (row.size() != width) return Invalid("All rows of VALUES must have the same number of columns", query.pos);
    std::vector<TypedExpr> bound;
    for (const auto& e : row) {
      ASSIGN_OR_RETURN(TypedExpr v, BindConstant(*e));
      if (!v.expr->is_literal()) return Invalid("VALUES accepts only constant expressions", e->pos);
      bound.push_back(v);
    }
    rows.push_back(std::move(bound));
  }
  std::vector<SqlType> types(width, T(SqlTypeName::kNull));
  for (const auto& row : rows) {
    for (size_t c = 0; c < width; ++c) {
      Result<SqlType> t = CommonType(types[c], row[c].type);
      if (!t.ok()) return Invalid("Incompatible types in column " + std::to_string(c + 1) + " of VALUES", query.pos);
      types[c] = *t;
    }
  }
  auto node = std::make_unique<LogicalNode>(LogicalNode::Kind::kValues);
  std::vector<columnar::ColumnBuilder> builders;
  for (size_t c = 0; c < width; ++c) {
    if (types[c].name == SqlTypeName::kNull) types[c] = T(SqlTypeName::kVarchar);
    if (types[c].name == SqlTypeName::kChar) types[c] = T(SqlTypeName::kVarchar);
    node->fields.push_back(MakeField("EXPR$" + std::to_string(c), types[c]));
    builders.emplace_back(types[c].Native());
  }
  for (auto& row : rows) {
    for (size_t c = 0; c < width; ++c) {
      ASSIGN_OR_RETURN(TypedExpr v, Coerce(row[c], types[c], options_.settings));
      builders[c].AppendValue(v.expr->literal());
    }
  }
  columnar::Frame frame;
  frame.num_rows = static_cast<int64_t>(rows.size());
  for (auto& b : builders) frame.columns.push_back(b.Finish());
  node->rows.push_back(std::move(frame));
  return node;
}

Result<NodePtr> Binder::BindExternTable(const TableRef& ref, Scope* scope) {
  const Expr& fn = *ref.function;
  std::string name = Upper(fn.name);
  if (name != "EXTERN") {
    return Invalid("Table function [" + fn.name + "] is not supported; use EXTERN(inputSource, inputFormat, signature)", fn.pos);
  }
  std::map<std::string, const Expr*> named;
  std::vector<const Expr*> positional;
  for (size_t i = 0; i < fn.args.size(); ++i) {
    std::string arg_name = i < fn.arg_names.size() ? fn.arg_names[i] : "";
    if (arg_name.empty()) positional.push_back(fn.args[i].get());
    else named[arg_name] = fn.args[i].get();
  }
  auto arg = [&](const std::string& key, size_t pos) -> Result<std::optional<std::string>> {
    const Expr* e = named.count(key) ? named[key] : (pos < positional.size() ? positional[pos] : nullptr);
    if (e == nullptr) return std::optional<std::string>();
    ASSIGN_OR_RETURN(TypedExpr v, BindConstant(*e));
    if (v.expr->literal().is_null()) return std::optional<std::string>();
    if (!v.expr->is_literal() || !v.expr->literal().is_string()) {
      return Invalid("EXTERN argument [" + key + "] must be a string literal", e->pos);
    }
    return std::optional<std::string>(v.expr->literal().string_value());
  };
  ASSIGN_OR_RETURN(std::optional<std::string> source_json, arg("inputSource", 0));
  ASSIGN_OR_RETURN(std::optional<std::string> format_json, arg("inputFormat", 1));
  ASSIGN_OR_RETURN(std::optional<std::string> signature_json, arg("signature", 2));
  if (!source_json) return Invalid("EXTERN requires an [inputSource] value", fn.pos);
  if (!format_json) return Invalid("EXTERN requires an [inputFormat] value", fn.pos);
  if (signature_json && !ref.extend.empty()) {
    return Invalid("EXTERN requires either a [signature] value or an EXTEND clause, but not both", fn.pos);
  }
  if (!signature_json && ref.extend.empty()) {
    return Invalid("EXTERN requires either a [signature] value or an EXTEND clause", fn.pos);
  }
  Result<std::unique_ptr<input::InputSource>> source = input::InputSource::FromJson(*source_json);
  if (!source.ok()) return Invalid(source.status().message(), fn.pos);
  Result<input::InputFormatSpec> format = input::InputFormatSpec::FromJson(*format_json);
  if (!format.ok()) return Invalid("Invalid value for the field [inputFormat]. Reason: " + format.status().message(), fn.pos);
  auto node = std::make_unique<LogicalNode>(LogicalNode::Kind::kExternalScan);
  node->external.source = std::shared_ptr<const input::InputSource>(std::move(*source));
  node->external.format = std::move(*format);
  if (signature_json) {
    nlohmann::json sig = nlohmann::json::parse(*signature_json, nullptr, false);
    if (sig.is_discarded() || !sig.is_array()) {
      return Invalid("Invalid value for the field [signature]. Reason: expected a JSON array of {\"name\", \"type\"}", fn.pos);
    }
    for (const auto& c : sig) {
      if (!c.is_object() || !c.contains("name") || !c["name"].is_string()) {
        return Invalid("Invalid value for the field [signature]. Reason: every column needs a \"name\"", fn.pos);
      }
      std::string col = c["name"].get<std::string>();
      std::string type_name = c.value("type", "string");
      Result<ColumnType> type = types::ParseNativeType(type_name);
      if (!type.ok()) return Invalid("Invalid value for the field [signature]. Reason: " + type.status().message(), fn.pos);
      if (col == "__time" && *type != ColumnType::kLong) {
        return Invalid("EXTERN function with __time column can be used when __time column is of type long", fn.pos);
      }
      SqlType sql_type = types::SqlTypeOfNative(*type);
      node->external.signature.push_back(input::InputColumn{col, *type});
      node->fields.push_back(MakeField(col, sql_type));
    }
  } else {
    for (const auto& decl : ref.extend) {
      Result<SqlType> type = types::ParseSqlType(decl.type_name);
      if (!type.ok()) return Invalid(type.status().message(), decl.pos);
      ColumnType native = type->Native();
      if (decl.name == "__time" && native != ColumnType::kLong) {
        return Invalid("EXTERN function with __time column can be used when __time column is of type long", decl.pos);
      }
      node->external.signature.push_back(input::InputColumn{decl.name, native});
      node->fields.push_back(Field{decl.name, *type, native});
    }
  }
  std::string alias = ref.alias.empty() ? "EXTERN" : ref.alias;
  *scope = Scope::FromFields(node->fields, alias);
  return node;
}

namespace {

// A key of an equi-join: an expression over the left input and one over the right input.
struct JoinKey {
  PhysicalExpr left;
  PhysicalExpr right;
  bool null_equal = false;
};

// Whether every column `e` reads is in [lo, hi) (and it reads at least one).
bool ColumnsWithin(const PhysicalExpr& e, int lo, int hi) {
  std::vector<int> cols;
  e->CollectColumns(&cols);
  if (cols.empty()) return false;
  for (int c : cols) {
    if (c < lo || c >= hi) return false;
  }
  return true;
}

// Appends `extra` expressions as columns of `node` (a Project keeping its columns); returns the
// index of each.
std::vector<int> AppendColumns(NodePtr* node, const std::vector<PhysicalExpr>& extra) {
  std::vector<int> indexes;
  std::vector<PhysicalExpr> to_add;
  int width = static_cast<int>((*node)->fields.size());
  for (const auto& e : extra) {
    if (e->is_column()) {
      indexes.push_back(e->column_index());
      continue;
    }
    indexes.push_back(width + static_cast<int>(to_add.size()));
    to_add.push_back(e);
  }
  if (to_add.empty()) return indexes;
  auto p = std::make_unique<LogicalNode>(LogicalNode::Kind::kProject);
  for (int i = 0; i < width; ++i) {
    p->exprs.push_back(ColumnRef(i, (*node)->fields[i]));
    p->fields.push_back((*node)->fields[i]);
  }
  for (size_t k = 0; k < to_add.size(); ++k) {
    p->exprs.push_back(to_add[k]);
    p->fields.push_back(Field{"__key" + std::to_string(k), types::SqlTypeOfNative(to_add[k]->type()), to_add[k]->type()});
  }
  p->inputs.push_back(std::move(*node));
  *node = std::move(p);
  return indexes;
}

}  // namespace

Result<NodePtr> Binder::BindJoin(const TableRef& ref, Scope* scope) {
  using JoinType = engine::JoinSpec::Type;
  Scope left_scope, right_scope;
  ASSIGN_OR_RETURN(NodePtr left, BindTableRef(*ref.left, &left_scope));
  ASSIGN_OR_RETURN(NodePtr right, BindTableRef(*ref.right, &right_scope));
  int left_width = static_cast<int>(left->fields.size());
  int right_width = static_cast<int>(right->fields.size());
  Scope combined = left_scope;
  for (auto c : right_scope.columns) {
    c.index += left_width;
    combined.columns.push_back(c);
  }
  JoinType type = JoinType::kInner;
  if (ref.join_type == "LEFT") type = JoinType::kLeft;
  else if (ref.join_type == "RIGHT") type = JoinType::kRight;
  else if (ref.join_type == "FULL") type = JoinType::kFull;
  bool cross = ref.join_type == "CROSS" || ref.join_type == "COMMA";

  // The condition, split into key equalities (one side per input) and the rest.
  std::vector<JoinKey> keys;
  std::vector<PhysicalExpr> rest;
  auto add_conjuncts = [&](const TypedExpr& condition) -> Status {
    std::vector<PhysicalExpr> conjuncts;
    engine::SplitConjuncts(condition.expr, &conjuncts);
    for (const auto& c : conjuncts) {
      bool eq = c->is_call("eq") || c->is_call("is_not_distinct_from");
      if (eq && c->args().size() == 2) {
        const PhysicalExpr& a = c->args()[0];
        const PhysicalExpr& b = c->args()[1];
        bool a_left = ColumnsWithin(a, 0, left_width), b_right = ColumnsWithin(b, left_width, left_width + right_width);
        bool a_right = ColumnsWithin(a, left_width, left_width + right_width), b_left = ColumnsWithin(b, 0, left_width);
        if (a->type() == b->type() && ((a_left && b_right) || (a_right && b_left))) {
          const PhysicalExpr& l = a_left ? a : b;
          const PhysicalExpr& r = a_left ? b : a;
          std::vector<int> shift(left_width + right_width, -1);
          for (int i = 0; i < right_width; ++i) shift[left_width + i] = i;
          keys.push_back(JoinKey{l, r->Remap(shift), c->is_call("is_not_distinct_from")});
          continue;
        }
      }
      rest.push_back(c);
    }
    return Status::OK();
  };
  if (ref.join_condition) {
    if (cross) return Invalid("A CROSS JOIN cannot have an ON condition", ref.pos);
    if (ContainsAggregate(*ref.join_condition)) return Invalid("Aggregate functions are not allowed in ON", ref.join_condition->pos);
    ExprBinder eb(this, &combined);
    ASSIGN_OR_RETURN(TypedExpr condition, eb.Bind(*ref.join_condition));
    ASSIGN_OR_RETURN(condition, Coerce(condition, T(SqlTypeName::kBoolean), options_.settings));
    if (condition.expr->is_literal()) {
      const Value& v = condition.expr->literal();
      if (v.is_null() || (v.is_long() && v.long_value() == 0)) rest.push_back(condition.expr);  // matches nothing
    } else {
      RETURN_IF_ERROR(add_conjuncts(condition));
    }
  } else if (!ref.using_columns.empty()) {
    for (const auto& name : ref.using_columns) {
      const Scope::Column* l = nullptr;
      const Scope::Column* r = nullptr;
      for (const auto& c : left_scope.columns) {
        if (c.name == name) l = &c;
      }
      for (const auto& c : right_scope.columns) {
        if (c.name == name) r = &c;
      }
      if (l == nullptr || r == nullptr) {
        return Invalid("Column '" + name + "' not found in " + std::string(l == nullptr ? "left" : "right") + " table", ref.pos);
      }
      TypedExpr a{ColumnRef(l->index, l->field), l->field.type};
      TypedExpr b{ColumnRef(r->index + left_width, r->field), r->field.type};
      Result<TypedExpr> eq = BindScalarCall("=", {a, b}, options_.settings);
      if (!eq.ok()) return Invalid(eq.status().message(), ref.pos);
      RETURN_IF_ERROR(add_conjuncts(*eq));
    }
  } else if (!cross) {
    return Invalid("INNER, LEFT, RIGHT and FULL JOIN need an ON or USING condition", ref.pos);
  }

  // Key expressions that are not plain columns become extra columns of their input.
  std::vector<PhysicalExpr> left_exprs, right_exprs;
  for (const auto& k : keys) {
    left_exprs.push_back(k.left);
    right_exprs.push_back(k.right);
  }
  std::vector<int> left_keys = AppendColumns(&left, left_exprs);
  std::vector<int> right_keys = AppendColumns(&right, right_exprs);
  int left_full = static_cast<int>(left->fields.size());
  int right_full = static_cast<int>(right->fields.size());
  // The rest of the condition, over the joined row of the (widened) inputs.
  PhysicalExpr condition;
  if (!rest.empty()) {
    std::vector<int> mapping(left_width + right_width);
    for (int i = 0; i < left_width; ++i) mapping[i] = i;
    for (int i = 0; i < right_width; ++i) mapping[left_width + i] = left_full + i;
    for (auto& c : rest) c = c->Remap(mapping);
    if (rest.size() == 1) {
      condition = rest[0];
    } else {
      ASSIGN_OR_RETURN(condition, engine::Expr::Call("and", rest, ColumnType::kLong));
    }
  }

  auto join = std::make_unique<LogicalNode>(LogicalNode::Kind::kJoin);
  bool swap = type == JoinType::kRight;  // a RIGHT JOIN runs as the LEFT JOIN of the swapped inputs
  join->join_type = swap ? JoinType::kLeft : type;
  for (const auto& k : keys) join->null_equal_keys.push_back(k.null_equal);
  if (!swap) {
    join->left_keys = left_keys;
    join->right_keys = right_keys;
    join->join_condition = condition;
    join->fields = left->fields;
    join->fields.insert(join->fields.end(), right->fields.begin(), right->fields.end());
    join->inputs.push_back(std::move(left));
    join->inputs.push_back(std::move(right));
  } else {
    join->left_keys = right_keys;
    join->right_keys = left_keys;
    if (condition) {
      std::vector<int> mapping(left_full + right_full);
      for (int i = 0; i < left_full; ++i) mapping[i] = right_full + i;
      for (int i = 0; i < right_full; ++i) mapping[left_full + i] = i;
      join->join_condition = condition->Remap(mapping);
    }
    join->fields = right->fields;
    join->fields.insert(join->fields.end(), left->fields.begin(), left->fields.end());
    join->inputs.push_back(std::move(right));
    join->inputs.push_back(std::move(left));
  }
  // Back to the left columns then the right ones, without the key columns added above.
  int probe_width = swap ? right_full : left_full;
  std::vector<TypedExpr> outputs;
  std::vector<std::string> names;
  for (int i = 0; i < left_width + right_width; ++i) {
    bool is_left = i < left_width;
    int source = is_left ? (swap ? probe_width + i : i) : (swap ? i - left_width : left_full + i - left_width);
    const Field& f = join->fields[source];
    outputs.push_back(TypedExpr{ColumnRef(source, f), f.type});
    names.push_back(f.name);
  }
  *scope = combined;
  return MakeProject(std::move(join), std::move(outputs), std::move(names));
}

Result<NodePtr> Binder::BindTableRef(const TableRef& ref, Scope* scope) {
  switch (ref.kind) {
    case TableRefKind::kTable: {
      // A CTE?
      if (ref.name.size() == 1) {
        for (auto it = ctes_.rbegin(); it != ctes_.rend(); ++it) {
          auto found = it->find(ref.name[0]);
          if (found == it->end()) continue;
          const CommonTableExpr* cte = found->second;
          ASSIGN_OR_RETURN(NodePtr node, BindSelect(*cte->query));
          if (!cte->columns.empty()) {
            if (cte->columns.size() != node->fields.size()) {
              return Invalid("Number of columns must match number of query columns for WITH [" + cte->name + "]", cte->pos);
            }
            for (size_t i = 0; i < cte->columns.size(); ++i) node->fields[i].name = cte->columns[i];
          }
          *scope = Scope::FromFields(node->fields, ref.alias.empty() ? cte->name : ref.alias);
          return node;
        }
      }
      std::string schema = ref.name.size() >= 2 ? ref.name[ref.name.size() - 2] : "";
      const std::string& name = ref.name.back();
      ASSIGN_OR_RETURN(std::optional<TableSource> table, catalog_->FindTable(schema, name));
      if (!table) {
        if (!schema.empty() && schema != "druid" && schema != "sys" && schema != "INFORMATION_SCHEMA" && schema != "lookup") {
          return Invalid("Object '" + schema + "' not found", ref.pos);
        }
        return Invalid("Object '" + name + "' not found" + (schema.empty() ? std::string() : " within '" + schema + "'"), ref.pos);
      }
      auto node = std::make_unique<LogicalNode>(LogicalNode::Kind::kTableScan);
      node->fields = table->fields;
      node->datasource = table->name;
      node->timeline = table->timeline;
      node->system_table = table->system;
      node->rows = std::move(table->rows);
      *scope = Scope::FromFields(node->fields, ref.alias.empty() ? name : ref.alias);
      return node;
    }
    case TableRefKind::kSubquery:
    case TableRefKind::kValues: {
      ASSIGN_OR_RETURN(NodePtr node, BindSelect(*ref.subquery));
      if (!ref.column_aliases.empty()) {
        if (ref.column_aliases.size() != node->fields.size()) {
          return Invalid("List of column aliases must have same degree as table", ref.pos);
        }
        for (size_t i = 0; i < ref.column_aliases.size(); ++i) node->fields[i].name = ref.column_aliases[i];
      }
      *scope = Scope::FromFields(node->fields, ref.alias);
      return node;
    }
    case TableRefKind::kFunction:
      return BindExternTable(ref, scope);
    case TableRefKind::kJoin:
      return BindJoin(ref, scope);
    case TableRefKind::kUnnest:
      return Invalid("UNNEST is not supported yet", ref.pos);
  }
  return Invalid("Unsupported FROM item", ref.pos);
}

namespace {

// One aggregate call of a query, bound over the FROM scope.
struct AggregateCall {
  std::string key;               // identity for deduplication
  std::vector<int> spec_indexes; // indexes into the Aggregate node's aggregators
  bool is_avg = false;
  SqlType type;
};

}  // namespace

Result<NodePtr> Binder::BindSimpleSelect(const SelectStmt& query) {
  const BindSettings& settings = options_.settings;
  // FROM
  Scope scope;
  NodePtr node;
  if (query.from) {
    ASSIGN_OR_RETURN(node, BindTableRef(*query.from, &scope));
  } else {
    node = std::make_unique<LogicalNode>(LogicalNode::Kind::kValues);
    columnar::Frame one;
    one.num_rows = 1;
    node->rows.push_back(std::move(one));
  }
  // Subqueries bound from here on are inside this query: its FROM scope is their outer scope.
  struct FromScopeGuard {
    const Scope** slot;
    const Scope* saved;
    ~FromScopeGuard() { *slot = saved; }
  } from_guard{&from_scope_, from_scope_};
  from_scope_ = &scope;
  // WHERE
  if (query.where) {
    if (ContainsAggregate(*query.where)) return Invalid("Aggregate expression is illegal in WHERE clause", query.where->pos);
    ExprBinder eb(this, &scope);
    ASSIGN_OR_RETURN(TypedExpr pred, eb.Bind(*query.where));
    ASSIGN_OR_RETURN(pred, Coerce(pred, T(SqlTypeName::kBoolean), settings));
    auto filter = std::make_unique<LogicalNode>(LogicalNode::Kind::kFilter);
    filter->fields = node->fields;
    filter->predicate = pred.expr;
    filter->inputs.push_back(std::move(node));
    node = std::move(filter);
  }

  // Expand select items (*, t.*).
  struct Item {
    const Expr* expr = nullptr;  // null for expanded star columns
    int star_column = -1;
    std::string name;
    bool aliased = false;  // named with AS
  };
  std::vector<Item> items;
  for (size_t i = 0; i < query.items.size(); ++i) {
    const SelectItem& si = query.items[i];
    if (si.expr->kind == ExprKind::kStar) {
      std::string table = si.expr->parts.empty() ? "" : si.expr->parts.back();
      bool any = false;
      for (const auto& c : scope.columns) {
        if (!table.empty() && c.table != table) continue;
        items.push_back(Item{nullptr, c.index, c.name});
        any = true;
      }
      if (!any && !table.empty()) return Invalid("Unknown table '" + table + "'", si.expr->pos);
      continue;
    }
    items.push_back(Item{si.expr.get(), -1, ItemName(si, items.size()), !si.alias.empty()});
  }
  if (items.empty()) return Invalid("SELECT list is empty", query.pos);

  bool aggregate = query.group_by_present || !query.grouping_sets.empty();
  for (const auto& it : items) aggregate |= it.expr && ContainsAggregate(*it.expr);
  if (query.having) aggregate = true;
  for (const auto& o : query.order_by) aggregate |= ContainsAggregate(*o.expr);

  int group_key_count = 0;              // GROUP BY keys (columns [0, n) of the aggregate output)
  std::vector<TypedExpr> select_exprs;  // bound output expressions (over `node` after aggregation)
  std::unique_ptr<ExprBinder> post;     // binds HAVING / ORDER BY after aggregation
  Scope agg_scope;                      // fields of the aggregate output (for error-free refs)
  // What the post-aggregation binder's hook refers to: it binds ORDER BY after the aggregate
  // branch below has ended, so these live as long as `post`.
  ExprBinder input_binder(this, &scope);
  std::map<std::string, const Expr*> having_aliases;
  ExprBinder* post_binder = nullptr;

  if (!aggregate) {
    ExprBinder eb(this, &scope);
    for (const auto& it : items) {
      if (it.expr == nullptr) {
        const auto& c = scope.columns[it.star_column];
        select_exprs.push_back(TypedExpr{ColumnRef(c.index, c.field), c.field.type});
      } else {
        ASSIGN_OR_RETURN(TypedExpr t, eb.Bind(*it.expr));
        select_exprs.push_back(t);
      }
    }
    post = std::make_unique<ExprBinder>(this, &scope);
  } else {
    bool grouping = !query.grouping_kind.empty();
    // Group keys.
    std::vector<TypedExpr> keys;
    std::vector<std::string> key_names;
    std::vector<int> group_to_key;  // GROUP BY item -> key index
    for (const auto& g : query.group_by) {
      const Expr* target = g.get();
      if (g->kind == ExprKind::kLiteral && g->literal_kind == LiteralKind::kInteger) {
        int index = OrdinalIndex(g->text, items.size());
        if (index < 0) return Invalid("Ordinal out of range: " + g->text, g->pos);
        const Item& it = items[index];
        if (it.expr == nullptr) {
          const auto& c = scope.columns[it.star_column];
          group_to_key.push_back(static_cast<int>(keys.size()));
          keys.push_back(TypedExpr{ColumnRef(c.index, c.field), c.field.type});
          key_names.push_back(c.name);
          continue;
        }
        target = it.expr;
      } else if (g->kind == ExprKind::kIdentifier && g->parts.size() == 1) {
        bool is_column = false;
        for (const auto& c : scope.columns) is_column |= c.name == g->parts[0];
        if (!is_column) {
          for (const auto& it : items) {
            if (it.expr && it.name == g->parts[0]) target = it.expr;
          }
        }
      }
      if (ContainsAggregate(*target)) return Invalid("Aggregate expression is illegal in GROUP BY clause", g->pos);
      ASSIGN_OR_RETURN(TypedExpr k, input_binder.Bind(*target));
      int existing_key = -1;
      for (size_t e = 0; e < keys.size(); ++e) {
        if (keys[e].expr->ToString() == k.expr->ToString()) existing_key = static_cast<int>(e);
      }
      if (existing_key >= 0) {
        group_to_key.push_back(existing_key);
      } else {
        group_to_key.push_back(static_cast<int>(keys.size()));
        keys.push_back(k);
        key_names.push_back("d" + std::to_string(keys.size() - 1));
      }
    }
    // GROUPING SETS: the sets as key indexes; the grouping id becomes one more key after them.
    engine::ExpandSpec expand;
    if (grouping) {
      expand.num_keys = static_cast<int>(keys.size());
      for (const auto& set : query.grouping_sets) {
        std::vector<int> mapped;
        for (int g : set) {
          int k = group_to_key[g];
          if (std::find(mapped.begin(), mapped.end(), k) == mapped.end()) mapped.push_back(k);
        }
        expand.sets.push_back(std::move(mapped));
      }
    }
    int agg_offset = static_cast<int>(keys.size()) + (grouping ? 1 : 0);  // first aggregate output column
    // Aggregate calls.
    std::vector<const Expr*> calls;
    for (const auto& it : items) {
      if (it.expr) CollectAggregates(*it.expr, &calls);
    }
    if (query.having) CollectAggregates(*query.having, &calls);
    for (const auto& o : query.order_by) CollectAggregates(*o.expr, &calls);

    std::vector<TypedExpr> pre_columns = keys;  // keys, then aggregator inputs
    auto input_column = [&](const TypedExpr& e) {
      std::string s = e.expr->ToString();
      for (size_t i = keys.size(); i < pre_columns.size(); ++i) {
        if (pre_columns[i].expr->ToString() == s) return static_cast<int>(i);
      }
      pre_columns.push_back(e);
      return static_cast<int>(pre_columns.size() - 1);
    };
    std::vector<AggregatorSpec> specs;
    std::vector<AggregateCall> agg_calls;
    std::map<std::string, size_t> call_index;
    std::optional<std::pair<std::string, TypedExpr>> exact_distinct;  // exact COUNT(DISTINCT x), nested
    std::map<std::string, TypedExpr> distinct_inputs;                  // inputs of exact COUNT(DISTINCT)

    auto call_key = [&](const Expr& call) -> Result<std::string> {
      std::string key = Upper(call.name) + (call.distinct ? "(DISTINCT " : "(");
      for (const auto& a : call.args) {
        if (a->kind == ExprKind::kStar) {
          key += "*,";
          continue;
        }
        ASSIGN_OR_RETURN(TypedExpr t, input_binder.Bind(*a));
        key += t.expr->ToString() + ",";
      }
      key += ")";
      if (call.filter) {
        ASSIGN_OR_RETURN(TypedExpr f, input_binder.Bind(*call.filter));
        key += " FILTER " + f.expr->ToString();
      }
      return key;
    };

    for (const Expr* call : calls) {
      for (const auto& a : call->args) {
        if (a && ContainsAggregate(*a)) return Invalid("Aggregate expressions cannot be nested", a->pos);
      }
      ASSIGN_OR_RETURN(std::string key, call_key(*call));
      if (call_index.count(key)) continue;
      std::string fn = Upper(call->name);
      std::vector<TypedExpr> args;
      for (const auto& a : call->args) {
        if (a->kind == ExprKind::kStar) continue;
        if (ContainsAggregate(*a)) return Invalid("Aggregate expressions cannot be nested", a->pos);
        ASSIGN_OR_RETURN(TypedExpr t, input_binder.Bind(*a));
        args.push_back(t);
      }
      int filter_column = -1;
      if (call->filter) {
        ASSIGN_OR_RETURN(TypedExpr f, input_binder.Bind(*call->filter));
        ASSIGN_OR_RETURN(f, Coerce(f, T(SqlTypeName::kBoolean), settings));
        filter_column = input_column(f);
      }
      AggregateCall ac;
      ac.key = key;
      auto add_spec = [&](AggregatorSpec spec) {
        spec.filter = filter_column;
        spec.name = "a" + std::to_string(specs.size());
        ac.spec_indexes.push_back(static_cast<int>(specs.size()));
        specs.push_back(std::move(spec));
      };
      // These aggregators keep scalars: an ARRAY argument is refused (ARRAY_AGG collects arrays).
      auto no_array_input = [&]() -> Status {
        if (args.empty() || args[0].type.name != SqlTypeName::kArray) return Status::OK();
        return Invalid("Cannot apply '" + fn + "' to arguments of type '" + fn + "(<" + args[0].type.HeaderName() + ">)'",
                       call->pos);
      };
      auto arg_count = [&](size_t min, size_t max) -> Status {
        if (args.size() < min || args.size() > max) {
          return Invalid("Invalid number of arguments to function '" + fn + "'", call->pos);
        }
        return Status::OK();
      };
      auto time_column = [&]() -> Result<int> {
        for (const auto& c : scope.columns) {
          if (c.name == "__time") return input_column(TypedExpr{ColumnRef(c.index, c.field), c.field.type});
        }
        return Invalid(fn + " needs a __time column in its input; use " + fn + "_BY", call->pos);
      };
      if (fn == "COUNT") {
        AggregatorSpec spec;
        spec.kind = AggregatorKind::kCount;
        if (call->distinct) {
          RETURN_IF_ERROR(arg_count(1, 1));
          if (options_.use_approximate_count_distinct) {
            spec.kind = AggregatorKind::kApproxDistinct;
            spec.input = input_column(args[0]);
            spec.input_type = args[0].expr->type();
          } else {
            // Exact: a set of values per group, unless this is the query's only aggregate form
            // (then the cheaper nested aggregation below takes over).
            spec.kind = AggregatorKind::kCountDistinct;
            distinct_inputs[args[0].expr->ToString()] = args[0];
            spec.input = input_column(args[0]);
            spec.input_type = args[0].expr->type();
          }
        } else if (!args.empty()) {
          RETURN_IF_ERROR(arg_count(1, 1));
          spec.input = input_column(args[0]);
          spec.input_type = args[0].expr->type();
        }
        spec.result_type = ColumnType::kLong;
        ac.type = T(SqlTypeName::kBigint);
        if (spec.kind == AggregatorKind::kCountDistinct && spec.input_type == ColumnType::kFloat) {
          spec.input_type = ColumnType::kDouble;
        }
        if (spec.kind == AggregatorKind::kApproxDistinct && options_.keep_sketches) {
          spec.kind = AggregatorKind::kSketch;
          spec.result_type = ColumnType::kComplex;
          ac.type = types::SqlType::Complex("hyperUnique");
        }
        add_spec(spec);
      } else if (fn == "SUM" || fn == "MIN" || fn == "MAX" || fn == "AVG" || fn == "ANY_VALUE") {
        RETURN_IF_ERROR(arg_count(1, fn == "ANY_VALUE" ? 2 : 1));
        RETURN_IF_ERROR(no_array_input());
        TypedExpr x = args[0];
        bool numeric = x.type.is_numeric() || x.type.name == SqlTypeName::kBoolean;
        if ((fn == "SUM" || fn == "AVG") && !numeric) {
          if (x.type.is_string()) {
            ASSIGN_OR_RETURN(x, Coerce(x, T(SqlTypeName::kDouble), settings));
          } else {
            return Invalid("Cannot apply '" + fn + "' to arguments of type '" + fn + "(<" + x.type.HeaderName() + ">)'",
                           call->pos);
          }
        }
        AggregatorSpec spec;
        spec.input = input_column(x);
        spec.input_type = x.expr->type();
        if (fn == "AVG") {
          ac.is_avg = true;
          AggregatorSpec sum = spec;
          sum.kind = AggregatorKind::kSum;
          sum.result_type = (x.type.is_integral() || x.type.name == SqlTypeName::kBoolean) ? ColumnType::kLong : ColumnType::kDouble;
          add_spec(sum);
          AggregatorSpec count = spec;
          count.kind = AggregatorKind::kCount;
          count.result_type = ColumnType::kLong;
          add_spec(count);
          ac.type = T(SqlTypeName::kDouble);
        } else {
          spec.kind = fn == "SUM" ? AggregatorKind::kSum
                                  : (fn == "MIN" ? AggregatorKind::kMin : (fn == "MAX" ? AggregatorKind::kMax : AggregatorKind::kAnyValue));
          if (fn == "SUM") {
            bool integral = x.type.is_integral() || x.type.name == SqlTypeName::kBoolean;
            spec.result_type = integral ? ColumnType::kLong : ColumnType::kDouble;
            ac.type = integral ? T(SqlTypeName::kBigint) : T(SqlTypeName::kDouble);
          } else {
            spec.result_type = x.expr->type();
            ac.type = x.type;
            if (ac.type.name == SqlTypeName::kChar) ac.type = T(SqlTypeName::kVarchar);
            if (ac.type.name == SqlTypeName::kInteger) ac.type = T(SqlTypeName::kBigint);
          }
          add_spec(spec);
        }
      } else if (fn == "APPROX_COUNT_DISTINCT" || fn == "APPROX_COUNT_DISTINCT_BUILTIN" || fn == "APPROX_COUNT_DISTINCT_DS_HLL" ||
                 fn == "APPROX_COUNT_DISTINCT_DS_THETA") {
        if (args.empty()) return Invalid("Invalid number of arguments to function '" + fn + "'", call->pos);
        RETURN_IF_ERROR(no_array_input());
        AggregatorSpec spec;
        spec.kind = options_.keep_sketches ? AggregatorKind::kSketch : AggregatorKind::kApproxDistinct;
        spec.input = input_column(args[0]);
        spec.input_type = args[0].expr->type();
        spec.result_type = options_.keep_sketches ? ColumnType::kComplex : ColumnType::kLong;
        ac.type = options_.keep_sketches ? types::SqlType::Complex("hyperUnique") : T(SqlTypeName::kBigint);
        add_spec(spec);
      } else if (fn == "EARLIEST" || fn == "LATEST" || fn == "EARLIEST_BY" || fn == "LATEST_BY") {
        bool by = fn.size() > 3 && fn.substr(fn.size() - 3) == "_BY";
        RETURN_IF_ERROR(arg_count(by ? 2 : 1, by ? 3 : 2));
        RETURN_IF_ERROR(no_array_input());
        if (by && !args[1].type.is_time()) {
          std::string types;
          for (size_t k = 0; k < args.size(); ++k) types += (k ? ", <" : "<") + args[k].type.HeaderName() + ">";
          return Invalid("Cannot apply '" + fn + "' to arguments of type '" + fn + "(" + types +
                             ")'. Supported form(s): '" + fn + "(<ANY>, <TIMESTAMP>)', '" + fn + "(<ANY>, <TIMESTAMP>, <NUMERIC>)'",
                         call->pos);
        }
        AggregatorSpec spec;
        spec.kind = fn.rfind("EARLIEST", 0) == 0 ? AggregatorKind::kEarliest : AggregatorKind::kLatest;
        TypedExpr x = args[0];
        spec.input = input_column(x);
        spec.input_type = x.expr->type();
        spec.result_type = x.expr->type();
        ac.type = x.type.name == SqlTypeName::kChar ? T(SqlTypeName::kVarchar) : x.type;
        if (by) {
          ASSIGN_OR_RETURN(TypedExpr t, Coerce(args[1], T(SqlTypeName::kTimestamp), settings));
          spec.time_input = input_column(t);
        } else {
          ASSIGN_OR_RETURN(spec.time_input, time_column());
        }
        size_t bytes_arg = by ? 2 : 1;
        if (args.size() > bytes_arg) {
          if (!args[bytes_arg].expr->is_literal() || !args[bytes_arg].expr->literal().is_long() ||
              args[bytes_arg].expr->literal().long_value() <= 0) {
            return Invalid(fn + " maxBytesPerString must be a positive integer literal", call->pos);
          }
          spec.max_string_bytes = args[bytes_arg].expr->literal().long_value();
        }
        add_spec(spec);
      } else if (fn == "ARRAY_AGG" || fn == "STRING_AGG" || fn == "LISTAGG") {
        bool is_array = fn == "ARRAY_AGG";
        RETURN_IF_ERROR(arg_count(1, is_array ? 2 : 3));
        AggregatorSpec spec;
        spec.kind = is_array ? AggregatorKind::kArrayAgg : AggregatorKind::kStringAgg;
        spec.distinct = call->distinct;
        TypedExpr x = args[0];
        if (!is_array) {
          ASSIGN_OR_RETURN(x, Coerce(x, T(SqlTypeName::kVarchar), settings));
        }
        spec.input = input_column(x);
        spec.input_type = x.expr->type() == ColumnType::kFloat ? ColumnType::kDouble : x.expr->type();
        spec.max_string_bytes = 1024;
        size_t next = 1;
        if (!is_array) {
          spec.separator = ",";
          if (args.size() > 1) {
            if (!args[1].expr->is_literal() || !args[1].expr->literal().is_string()) {
              return Invalid(fn + " separator must be a string literal", call->pos);
            }
            spec.separator = args[1].expr->literal().string_value();
          } else if (fn == "STRING_AGG") {
            return Invalid("Invalid number of arguments to function 'STRING_AGG'", call->pos);
          }
          next = 2;
        }
        if (args.size() > next) {
          if (!args[next].expr->is_literal() || !args[next].expr->literal().is_long() ||
              args[next].expr->literal().long_value() <= 0) {
            return Invalid(fn + " maxBytes must be a positive integer literal", call->pos);
          }
          spec.max_string_bytes = args[next].expr->literal().long_value();
        }
        if (is_array) {
          types::SqlTypeName element = x.type.name == SqlTypeName::kChar ? SqlTypeName::kVarchar : x.type.name;
          if (x.type.is_integral()) element = SqlTypeName::kBigint;
          if (element == SqlTypeName::kFloat || element == SqlTypeName::kDecimal) element = SqlTypeName::kDouble;
          spec.result_type = types::ArrayOf(spec.input_type);
          ac.type = types::SqlType::Array(element);
        } else {
          spec.result_type = ColumnType::kString;
          ac.type = T(SqlTypeName::kVarchar);
        }
        add_spec(spec);
      } else if (fn == "BIT_AND" || fn == "BIT_OR" || fn == "BIT_XOR") {
        RETURN_IF_ERROR(arg_count(1, 1));
        if (!args[0].type.is_integral() && args[0].type.name != SqlTypeName::kNull) {
          return Invalid("Cannot apply '" + fn + "' to arguments of type '" + fn + "(<" + args[0].type.HeaderName() + ">)'", call->pos);
        }
        ASSIGN_OR_RETURN(TypedExpr x, Coerce(args[0], T(SqlTypeName::kBigint), settings));
        AggregatorSpec spec;
        spec.kind = fn == "BIT_AND" ? AggregatorKind::kBitAnd : (fn == "BIT_OR" ? AggregatorKind::kBitOr : AggregatorKind::kBitXor);
        spec.input = input_column(x);
        spec.input_type = ColumnType::kLong;
        spec.result_type = ColumnType::kLong;
        ac.type = T(SqlTypeName::kBigint);
        add_spec(spec);
      } else {
        return Invalid("Aggregate function [" + fn + "] is not supported yet", call->pos);
      }
      call_index[key] = agg_calls.size();
      agg_calls.push_back(std::move(ac));
    }

    // Exact COUNT(DISTINCT x) as the only aggregate (over one expression): first group by
    // (keys, x), then count x per key group — the values spread over the workers. Any other mix
    // keeps per-group sets (kCountDistinct).
    if (distinct_inputs.size() == 1 && !grouping &&
        std::all_of(specs.begin(), specs.end(), [](const AggregatorSpec& sp) {
          return sp.kind == AggregatorKind::kCountDistinct && sp.filter < 0;
        })) {
      exact_distinct = *distinct_inputs.begin();
      for (auto& sp : specs) sp.kind = AggregatorKind::kCount;
    }
    if (exact_distinct) {
      for (const auto& s : specs) {
        if (s.kind != AggregatorKind::kCount || s.input < 0) {
          return Invalid("Exact COUNT(DISTINCT) cannot be combined with other aggregates yet; set "
                         "useApproximateCountDistinct to true",
                         query.pos);
        }
      }
      std::vector<TypedExpr> inner_cols = keys;
      inner_cols.push_back(exact_distinct->second);
      std::vector<std::string> inner_names;
      for (size_t i = 0; i < inner_cols.size(); ++i) inner_names.push_back("d" + std::to_string(i));
      NodePtr inner_project = MakeProject(std::move(node), inner_cols, inner_names);
      auto inner = std::make_unique<LogicalNode>(LogicalNode::Kind::kAggregate);
      inner->num_keys = static_cast<int>(inner_cols.size());
      inner->fields = inner_project->fields;
      inner->inputs.push_back(std::move(inner_project));
      node = std::move(inner);
      // Outer aggregation over (keys..., x): keys are columns 0..k-1, x is column k.
      pre_columns.clear();
      for (size_t i = 0; i < keys.size(); ++i) {
        pre_columns.push_back(TypedExpr{ColumnRef(static_cast<int>(i), node->fields[i]), keys[i].type});
      }
      int x_col = static_cast<int>(keys.size());
      pre_columns.push_back(TypedExpr{ColumnRef(x_col, node->fields[x_col]), exact_distinct->second.type});
      for (auto& s : specs) s.input = x_col;
    }

    group_key_count = static_cast<int>(keys.size());
    std::vector<std::string> pre_names;
    for (size_t i = 0; i < pre_columns.size(); ++i) pre_names.push_back("p" + std::to_string(i));
    NodePtr pre = MakeProject(std::move(node), pre_columns, pre_names);
    Field grouping_field = MakeField("__grouping", T(SqlTypeName::kBigint));
    if (grouping) {
      // Rows repeated per grouping set; the aggregator inputs move one column right.
      auto ex = std::make_unique<LogicalNode>(LogicalNode::Kind::kExpand);
      ex->expand = expand;
      ex->fields.assign(pre->fields.begin(), pre->fields.begin() + static_cast<int64_t>(keys.size()));
      ex->fields.push_back(grouping_field);
      ex->fields.insert(ex->fields.end(), pre->fields.begin() + static_cast<int64_t>(keys.size()), pre->fields.end());
      ex->inputs.push_back(std::move(pre));
      pre = std::move(ex);
      int k = static_cast<int>(keys.size());
      for (auto& spec : specs) {
        if (spec.input >= k) ++spec.input;
        if (spec.time_input >= k) ++spec.time_input;
        if (spec.filter >= k) ++spec.filter;
      }
    }
    auto agg = std::make_unique<LogicalNode>(LogicalNode::Kind::kAggregate);
    agg->num_keys = agg_offset;
    agg->global_aggregate = keys.empty() && (query.group_by.empty()) && !grouping;
    agg->aggregators = specs;
    for (size_t i = 0; i < keys.size(); ++i) agg->fields.push_back(MakeField(key_names[i], keys[i].type));
    if (grouping) agg->fields.push_back(grouping_field);
    for (const auto& s : specs) agg->fields.push_back(Field{s.name, types::SqlTypeOfNative(s.result_type), s.result_type});
    agg->inputs.push_back(std::move(pre));
    node = std::move(agg);
    agg_scope = Scope::FromFields(node->fields, "");

    // Binds post-aggregation expressions: grouped expressions and aggregate calls become
    // references to the aggregate's output. In HAVING, select aliases may be used (Druid).
    auto hook = [this, keys, agg_calls, call_index, &input_binder, call_key, specs, &having_aliases, &post_binder,
                 agg_offset, grouping, fields = node->fields](const Expr& e) -> std::optional<Result<TypedExpr>> {
      if (e.kind == ExprKind::kIdentifier && e.parts.size() == 1 && !having_aliases.empty()) {
        auto alias = having_aliases.find(e.parts[0]);
        if (alias != having_aliases.end() && !input_binder.Bind(e).ok()) {
          const Expr* target = alias->second;
          having_aliases.clear();  // no recursion through aliases
          Result<TypedExpr> r = post_binder->Bind(*target);
          return r;
        }
      }
      if (e.kind == ExprKind::kFunction && (Upper(e.name) == "GROUPING" || Upper(e.name) == "GROUPING_ID")) {
        // GROUPING(a, b, ...): per argument 1 when the row's grouping set leaves it out, as bits
        // (first argument highest), from the grouping id.
        if (e.args.empty()) return Result<TypedExpr>(Invalid("Invalid number of arguments to function 'GROUPING'", e.pos));
        int k = static_cast<int>(keys.size());
        PhysicalExpr result = engine::Expr::Literal(Value::Long(0), ColumnType::kLong);
        for (size_t a = 0; a < e.args.size(); ++a) {
          Result<TypedExpr> bound = input_binder.Bind(*e.args[a]);
          if (!bound.ok()) return Result<TypedExpr>(bound.status());
          int j = -1;
          for (int q = 0; q < k; ++q) {
            if (keys[q].expr->ToString() == bound->expr->ToString()) j = q;
          }
          if (j < 0) return Result<TypedExpr>(Invalid("Argument to GROUPING operator must be a grouped expression", e.args[a]->pos));
          if (grouping) {
            PhysicalExpr gid = ColumnRef(k, fields[k]);
            auto shifted = engine::Expr::Call("bitwise_shift_right", {gid, engine::Expr::Literal(Value::Long(k - 1 - j), ColumnType::kLong)}, ColumnType::kLong);
            if (!shifted.ok()) return Result<TypedExpr>(shifted.status());
            auto masked = engine::Expr::Call("bitwise_and", {*shifted, engine::Expr::Literal(Value::Long(1), ColumnType::kLong)}, ColumnType::kLong);
            if (!masked.ok()) return Result<TypedExpr>(masked.status());
            auto placed = engine::Expr::Call("bitwise_shift_left", {*masked, engine::Expr::Literal(Value::Long(static_cast<int64_t>(e.args.size() - 1 - a)), ColumnType::kLong)}, ColumnType::kLong);
            if (!placed.ok()) return Result<TypedExpr>(placed.status());
            auto sum = engine::Expr::Call("add", {result, *placed}, ColumnType::kLong);
            if (!sum.ok()) return Result<TypedExpr>(sum.status());
            result = *sum;
          }
        }
        return Result<TypedExpr>(TypedExpr{result, T(SqlTypeName::kBigint)});
      }
      if (e.kind == ExprKind::kFunction && !e.over && IsAggregateFunctionName(e.name)) {
        Result<std::string> key = call_key(e);
        if (!key.ok()) return Result<TypedExpr>(key.status());
        auto it = call_index.find(*key);
        if (it == call_index.end()) return Result<TypedExpr>(Status::Internal("aggregate not collected: " + *key));
        const AggregateCall& ac = agg_calls[it->second];
        int num_keys = agg_offset;
        if (ac.is_avg) {
          int sum_col = num_keys + ac.spec_indexes[0];
          int count_col = num_keys + ac.spec_indexes[1];
          PhysicalExpr sum = ColumnRef(sum_col, fields[sum_col]);
          PhysicalExpr count = ColumnRef(count_col, fields[count_col]);
          Result<TypedExpr> sum_d = Coerce(TypedExpr{sum, fields[sum_col].type}, T(SqlTypeName::kDouble), options_.settings);
          if (!sum_d.ok()) return Result<TypedExpr>(sum_d.status());
          Result<TypedExpr> count_d = Coerce(TypedExpr{count, fields[count_col].type}, T(SqlTypeName::kDouble), options_.settings);
          if (!count_d.ok()) return Result<TypedExpr>(count_d.status());
          return MakeCall("divide", {sum_d->expr, count_d->expr}, T(SqlTypeName::kDouble), options_.settings);
        }
        int col = num_keys + ac.spec_indexes[0];
        return Result<TypedExpr>(TypedExpr{ColumnRef(col, fields[col]), ac.type});
      }
      if (e.kind == ExprKind::kLiteral || e.kind == ExprKind::kParameter) return std::nullopt;
      if (!ContainsAggregate(e)) {
        Result<TypedExpr> bound = input_binder.Bind(e);
        if (bound.ok()) {
          std::string s = bound->expr->ToString();
          for (size_t k = 0; k < keys.size(); ++k) {
            if (keys[k].expr->ToString() == s) {
              return Result<TypedExpr>(TypedExpr{ColumnRef(static_cast<int>(k), fields[k]), keys[k].type});
            }
          }
          if (bound->expr->IsConstant()) return Result<TypedExpr>(*bound);
        }
        if (e.kind == ExprKind::kIdentifier) {
          if (!bound.ok()) return Result<TypedExpr>(bound.status());
          return Result<TypedExpr>(Invalid("Expression '" + JoinParts(e.parts) + "' is not being grouped", e.pos));
        }
      }
      return std::nullopt;  // bind the children
    };
    post = std::make_unique<ExprBinder>(this, &agg_scope, hook);
    post_binder = post.get();
    for (const auto& it : items) {
      if (it.expr == nullptr) {
        const auto& c = scope.columns[it.star_column];
        return Invalid("Expression '" + c.name + "' is not being grouped", query.pos);
      }
      ASSIGN_OR_RETURN(TypedExpr t, post->Bind(*it.expr));
      select_exprs.push_back(t);
    }
    if (query.having) {
      for (const auto& it : items) {
        if (it.expr) having_aliases[it.name] = it.expr;
      }
      Result<TypedExpr> bound_having = post->Bind(*query.having);
      having_aliases.clear();
      ASSIGN_OR_RETURN(TypedExpr h, std::move(bound_having));
      ASSIGN_OR_RETURN(h, Coerce(h, T(SqlTypeName::kBoolean), settings));
      auto filter = std::make_unique<LogicalNode>(LogicalNode::Kind::kFilter);
      filter->fields = node->fields;
      filter->predicate = h.expr;
      filter->inputs.push_back(std::move(node));
      node = std::move(filter);
    }
  }

  // ORDER BY: output columns by ordinal or name, else expressions (hidden columns if needed).
  std::vector<std::string> names;
  std::vector<bool> aliased;
  for (const auto& it : items) {
    names.push_back(it.name);
    aliased.push_back(it.aliased);
  }
  if (!options_.ingestion || select_depth_ > 1) UniquifyNames(&names, aliased);
  std::vector<TypedExpr> outputs = select_exprs;
  std::vector<engine::SortKey> sort_keys;
  for (const auto& o : query.order_by) {
    int index = -1;
    if (o.expr->kind == ExprKind::kLiteral && o.expr->literal_kind == LiteralKind::kInteger) {
      index = OrdinalIndex(o.expr->text, items.size());
      if (index < 0) return Invalid("Ordinal out of range: " + o.expr->text, o.expr->pos);
    } else if (o.expr->kind == ExprKind::kIdentifier && o.expr->parts.size() == 1) {
      for (size_t i = 0; i < names.size(); ++i) {
        if (names[i] == o.expr->parts[0] && (query.items.size() > i || true)) {
          // Prefer an alias; a bare input column of the same name resolves to the same output.
          index = static_cast<int>(i);
          break;
        }
      }
    }
    if (index < 0) {
      ASSIGN_OR_RETURN(TypedExpr t, post->Bind(*o.expr));
      std::string s = t.expr->ToString();
      for (size_t i = 0; i < outputs.size(); ++i) {
        if (outputs[i].expr->ToString() == s) {
          index = static_cast<int>(i);
          break;
        }
      }
      if (index < 0) {
        if (query.distinct) return Invalid("ORDER BY expression must appear in the SELECT DISTINCT list", o.expr->pos);
        outputs.push_back(t);
        index = static_cast<int>(outputs.size() - 1);
      }
    }
    // Druid: NULLs sort first ascending and last descending unless NULLS FIRST/LAST is given.
    sort_keys.push_back(engine::SortKey{index, o.ascending, o.nulls_first.value_or(o.ascending)});
  }
  if (sort_keys.empty() && group_key_count > 0 && (query.limit || query.offset)) {
    // Druid returns groups in the order of their keys when no ORDER BY is given, and LIMIT and
    // OFFSET apply to that order.
    for (int k = 0; k < group_key_count; ++k) {
      int index = -1;
      for (size_t i = 0; i < outputs.size() && index < 0; ++i) {
        if (outputs[i].expr->is_column() && outputs[i].expr->column_index() == k) index = static_cast<int>(i);
      }
      if (index < 0) {
        outputs.push_back(TypedExpr{ColumnRef(k, node->fields[k]), node->fields[k].type});
        index = static_cast<int>(outputs.size() - 1);
      }
      sort_keys.push_back(engine::SortKey{index, true, true});
    }
  }
  // A constant output that is not a number a DOUBLE can carry is rejected, as Druid's planner
  // does when it reduces constants (log10(0), 1.0 / 0, SQRT(-1)).
  for (size_t i = 0; i < outputs.size(); ++i) {
    const PhysicalExpr& e = outputs[i].expr;
    if (!e->is_literal() || !e->literal().is_double() || std::isfinite(e->literal().double_value())) continue;
    double d = e->literal().double_value();
    std::string text = std::isnan(d) ? "NaN" : (d > 0 ? "Infinity" : "-Infinity");
    const Expr* where = i < items.size() && items[i].expr ? items[i].expr : nullptr;
    return Invalid("Expression evaluates to an unsupported value [" + text +
                       "], expected something that can be a Double.  Consider casting with 'CAST(<col> AS BIGINT)'",
                   where ? where->pos : query.pos);
  }
  std::vector<std::string> output_names = names;
  for (size_t i = names.size(); i < outputs.size(); ++i) output_names.push_back("__order" + std::to_string(i));
  node = MakeProject(std::move(node), outputs, output_names);

  if (query.distinct) {
    // DISTINCT: group by every output column.
    auto agg = std::make_unique<LogicalNode>(LogicalNode::Kind::kAggregate);
    agg->num_keys = static_cast<int>(node->fields.size());
    agg->fields = node->fields;
    agg->inputs.push_back(std::move(node));
    node = std::move(agg);
  }
  if (!sort_keys.empty()) {
    auto sort = std::make_unique<LogicalNode>(LogicalNode::Kind::kSort);
    sort->fields = node->fields;
    sort->sort_keys = sort_keys;
    sort->inputs.push_back(std::move(node));
    node = std::move(sort);
  }
  ASSIGN_OR_RETURN(int64_t limit, LimitValue(query.limit.get(), this, "LIMIT"));
  ASSIGN_OR_RETURN(int64_t offset, LimitValue(query.offset.get(), this, "OFFSET"));
  if (limit >= 0 || offset > 0) {
    auto lim = std::make_unique<LogicalNode>(LogicalNode::Kind::kLimit);
    lim->fields = node->fields;
    lim->limit = limit;
    lim->offset = std::max<int64_t>(0, offset);
    lim->inputs.push_back(std::move(node));
    node = std::move(lim);
  }
  if (outputs.size() > names.size()) {
    // Drop the hidden ORDER BY columns.
    std::vector<TypedExpr> keep;
    for (size_t i = 0; i < names.size(); ++i) keep.push_back(TypedExpr{ColumnRef(static_cast<int>(i), node->fields[i]), node->fields[i].type});
    node = MakeProject(std::move(node), keep, names);
  }
  return node;
}

std::string LogicalNode::ToString(int indent) const {
  static const char* kNames[] = {"TableScan", "ExternalScan", "Values", "Filter", "Project", "Aggregate", "Sort", "Limit", "UnionAll", "Join", "Expand"};
  std::string out(indent * 2, ' ');
  out += kNames[static_cast<int>(kind)];
  switch (kind) {
    case Kind::kTableScan: out += "(" + datasource + ")"; break;
    case Kind::kFilter: out += "(" + predicate->ToString() + ")"; break;
    case Kind::kProject: {
      out += "(";
      for (size_t i = 0; i < exprs.size(); ++i) out += (i ? ", " : "") + fields[i].name + "=" + exprs[i]->ToString();
      out += ")";
      break;
    }
    case Kind::kAggregate: out += "(keys=" + std::to_string(num_keys) + ", aggs=" + std::to_string(aggregators.size()) + ")"; break;
    case Kind::kLimit: out += "(offset=" + std::to_string(offset) + ", limit=" + std::to_string(limit) + ")"; break;
    default: break;
  }
  out += "\n";
  for (const auto& in : inputs) out += in->ToString(indent + 1);
  return out;
}

}  // namespace strata::sql
