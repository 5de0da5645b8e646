// AST of Druid SQL statements, as produced by the parser (parser.h) and consumed by the binder.
// Nodes are owned by unique_ptr; every node records where it starts in the SQL text (1-based line
// and column) so errors can point at it.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace strata::sql {

/// A position in the SQL text (1-based).
struct SourcePos {
  int line = 1;
  int column = 1;
};

struct SelectStmt;  // a query expression (SELECT / UNION ALL / VALUES)

// ---------------------------------------------------------------------------------------------
// Expressions

enum class ExprKind {
  kLiteral,     // literal value
  kIdentifier,  // possibly qualified column reference: parts = {"t", "col"} or {"col"}
  kStar,        // `*` or `t.*` (in select lists and COUNT(*))
  kParameter,   // `?` (index = 0-based position in the statement)
  kUnary,       // op: "-", "+", "NOT"
  kBinary,      // op: "+", "-", "*", "/", "%", "||", "=", "<>", "<", "<=", ">", ">=", "AND", "OR"
  kFunction,    // name(args) [FILTER (WHERE filter)] [OVER (...)]; DISTINCT in `distinct`
  kCast,        // CAST(arg AS type_name)
  kCase,        // CASE [operand] WHEN ... THEN ... [ELSE ...] END
  kIsNull,      // arg IS [NOT] NULL   (negated)
  kIsBool,      // arg IS [NOT] TRUE|FALSE|UNKNOWN  (bool_value: "TRUE"/"FALSE"/"UNKNOWN", negated)
  kLike,        // arg [NOT] LIKE pattern [ESCAPE escape]   (args: arg, pattern[, escape]; negated)
  kBetween,     // arg [NOT] BETWEEN low AND high          (args: arg, low, high; negated; symmetric)
  kInList,      // arg [NOT] IN (e1, e2, ...)               (args: arg, e1, e2...; negated)
  kInSubquery,  // arg [NOT] IN (SELECT ...)                (args: arg; subquery; negated)
  kExists,      // EXISTS (SELECT ...)
  kScalarSubquery,  // (SELECT ...) used as a value
  kExtract,     // EXTRACT(unit FROM arg)   (unit in `name`)
  kFloorCeilTo, // FLOOR(arg TO unit) / CEIL(arg TO unit)  (name = "FLOOR"/"CEIL", unit in `unit`)
  kArray,       // ARRAY[e1, e2, ...]
  kRow,         // (e1, e2, ...): a row value, on either side of IN
  kInterval,    // INTERVAL '<text>' <unit> [TO <unit>]   (literal text in `text`, units in `unit`, `unit_to`)
};

enum class LiteralKind {
  kNull,
  kBoolean,    // text "TRUE"/"FALSE"
  kInteger,    // exact integer text, e.g. "42"
  kDecimal,    // exact decimal text, e.g. "1.5"
  kApprox,     // approximate numeric text with exponent, e.g. "1e3"
  kString,     // unescaped string value ('it''s' -> it's; U&'..' decoded)
  kTimestamp,  // TIMESTAMP '2000-01-01 00:00:00' (text is the quoted part)
  kDate,       // DATE '2000-01-01'
  kTime,       // TIME '00:00:00'
};

struct WindowSpec;

struct Expr {
  ExprKind kind;
  SourcePos pos;

  // kLiteral
  LiteralKind literal_kind = LiteralKind::kNull;
  std::string text;  // literal text (see LiteralKind), interval text

  // kIdentifier: name parts (already unquoted; `quoted` per part tells whether it was "quoted").
  // kStar: qualifier parts (empty for bare *).
  std::vector<std::string> parts;
  /// kIdentifier: for each entry of `parts`, whether it was written "double quoted".
  std::vector<bool> quoted;

  // kUnary/kBinary: operator text (upper case for word operators).
  std::string op;

  // kFunction: name (upper-cased unless it was quoted), kExtract unit, kFloorCeilTo FLOOR/CEIL.
  std::string name;
  std::string unit;     // kFloorCeilTo / kInterval unit (upper case), e.g. "DAY"
  std::string unit_to;  // kInterval "YEAR TO MONTH" -> unit_to = "MONTH"
  std::string type_name;  // kCast target type text, e.g. "VARCHAR", "DECIMAL(10, 2)", "VARCHAR ARRAY";
                          // kFunction: the RETURNING type of JSON_VALUE(x, '$.a' RETURNING BIGINT)

  bool distinct = false;  // kFunction: name(DISTINCT ...)
  bool negated = false;   // NOT LIKE / NOT IN / NOT BETWEEN / IS NOT NULL ...
  bool symmetric = false; // BETWEEN SYMMETRIC
  std::string bool_value; // kIsBool
  int param_index = -1;   // kParameter

  // Children. kFunction: arguments; kCase: [operand?] then when/then pairs then [else] — see
  // case_has_operand / case_has_else; others as documented in ExprKind.
  std::vector<std::unique_ptr<Expr>> args;
  /// kFunction named arguments (`name => value`, as in EXTERN(inputSource => '...')): the name of
  /// each entry of `args`, or empty for positional ones.
  std::vector<std::string> arg_names;
  bool case_has_operand = false;
  bool case_has_else = false;

  std::unique_ptr<Expr> filter;            // kFunction: FILTER (WHERE filter)
  std::unique_ptr<WindowSpec> over;        // kFunction: OVER (...)
  std::unique_ptr<SelectStmt> subquery;    // kInSubquery / kExists / kScalarSubquery

  // kFunction: aggregate call ordering, e.g. ARRAY_AGG(x ORDER BY y) (rare; kept for errors).
  std::vector<std::pair<std::unique_ptr<Expr>, bool>> within_order;

  explicit Expr(ExprKind k) : kind(k) {}
};

using ExprPtr = std::unique_ptr<Expr>;

struct OrderItem {
  ExprPtr expr;
  bool ascending = true;
  std::optional<bool> nulls_first;  // NULLS FIRST / NULLS LAST when given
};

struct WindowFrameBound {
  std::string kind;  // "UNBOUNDED PRECEDING", "PRECEDING", "CURRENT ROW", "FOLLOWING", "UNBOUNDED FOLLOWING"
  ExprPtr offset;    // for n PRECEDING / n FOLLOWING
};

struct WindowSpec {
  std::vector<ExprPtr> partition_by;
  std::vector<OrderItem> order_by;
  std::string frame_unit;  // "", "ROWS", "RANGE"
  std::optional<WindowFrameBound> frame_start;
  std::optional<WindowFrameBound> frame_end;
};

// ---------------------------------------------------------------------------------------------
// FROM clause

enum class TableRefKind {
  kTable,     // [schema.]name
  kSubquery,  // (SELECT ...) [AS alias [(cols)]]
  kFunction,  // TABLE(fn(args)) [EXTEND (cols)] — e.g. EXTERN(...), also bare EXTERN(...) (Druid allows)
  kJoin,      // left JOIN right ON cond / USING (...)
  kUnnest,    // UNNEST(expr) AS alias(col)
  kValues,    // (VALUES (...), (...)) — inline rows
};

/// A column declared in EXTEND (...) or after a table function: `name TYPE`.
struct ColumnDecl {
  std::string name;
  std::string type_name;  // e.g. "VARCHAR", "BIGINT", "TYPE('COMPLEX<json>')" is given as COMPLEX<json>
  SourcePos pos;
};

struct TableRef {
  TableRefKind kind;
  SourcePos pos;
  std::vector<std::string> name;  // kTable: {"druid","foo"} or {"foo"}
  std::string alias;              // may be empty
  std::vector<std::string> column_aliases;  // AS t(a, b)

  std::unique_ptr<SelectStmt> subquery;  // kSubquery / kValues (a VALUES select)
  ExprPtr function;                      // kFunction: the function call expression; kUnnest: argument
  std::vector<ColumnDecl> extend;        // kFunction: EXTEND (...) columns

  // kJoin
  std::string join_type;  // "INNER", "LEFT", "RIGHT", "FULL", "CROSS", "COMMA" (FROM a, b)
  std::unique_ptr<TableRef> left;
  std::unique_ptr<TableRef> right;
  ExprPtr join_condition;                // ON
  std::vector<std::string> using_columns;  // USING (...)

  explicit TableRef(TableRefKind k) : kind(k) {}
};

// ---------------------------------------------------------------------------------------------
// Queries

struct SelectItem {
  ExprPtr expr;       // kStar for * / t.*
  std::string alias;  // AS alias (empty if none)
  bool alias_quoted = false;
};

struct CommonTableExpr {
  std::string name;
  std::vector<std::string> columns;  // WITH t (a, b) AS (...)
  std::unique_ptr<SelectStmt> query;
  SourcePos pos;
};

enum class SetOp { kNone, kUnionAll, kUnion, kIntersect, kExcept };

/// One query expression. Either a simple SELECT (set_op == kNone, values empty), a VALUES list
/// (values non-empty), or a set operation of `left` and `right`. ORDER BY / LIMIT / OFFSET apply
/// to the whole expression.
struct SelectStmt {
  SourcePos pos;
  std::vector<CommonTableExpr> with;

  // Simple SELECT
  bool distinct = false;
  std::vector<SelectItem> items;
  std::unique_ptr<TableRef> from;  // null: SELECT without FROM
  ExprPtr where;
  /// GROUP BY expressions; `group_by_present` distinguishes `GROUP BY ()` from no GROUP BY.
  bool group_by_present = false;
  std::vector<ExprPtr> group_by;
  /// GROUPING SETS / ROLLUP / CUBE: each set is a list of indexes into `group_by`.
  std::vector<std::vector<int>> grouping_sets;
  std::string grouping_kind;  // "", "GROUPING SETS", "ROLLUP", "CUBE" (sets already expanded)
  ExprPtr having;

  // VALUES
  std::vector<std::vector<ExprPtr>> values;

  // Set operation
  SetOp set_op = SetOp::kNone;
  std::unique_ptr<SelectStmt> left;
  std::unique_ptr<SelectStmt> right;

  std::vector<OrderItem> order_by;
  ExprPtr limit;   // LIMIT n / FETCH FIRST n ROWS ONLY
  ExprPtr offset;  // OFFSET n [ROWS]
};

// ---------------------------------------------------------------------------------------------
// Statements

enum class StatementKind { kSelect, kInsert, kReplace, kExplain };

struct PartitionedBy {
  SourcePos pos;
  /// Keyword or string form: "HOUR", "DAY", "ALL", "ALL TIME", "'P1D'" content (quotes removed,
  /// `is_string` set), a bare period token like "P1D".
  std::string text;
  bool is_string = false;
  /// Function form: TIME_FLOOR(__time, 'PT1H') or FLOOR(__time TO DAY).
  ExprPtr expr;
};

struct Statement {
  StatementKind kind = StatementKind::kSelect;
  SourcePos pos;

  /// SET key = value; statements that preceded this one, in order.
  std::vector<std::pair<std::string, ExprPtr>> set_statements;

  /// EXPLAIN PLAN FOR <explained>.
  std::unique_ptr<Statement> explained;

  // INSERT / REPLACE
  std::vector<std::string> target;  // {"druid", "wiki"} or {"wiki"}; EXTERN target not supported
  SourcePos target_pos;
  std::vector<std::string> target_columns;  // INSERT INTO t (a, b) — rejected by the binder
  bool overwrite_present = false;  // OVERWRITE keyword seen
  bool overwrite_all = false;      // OVERWRITE ALL
  ExprPtr overwrite_where;         // OVERWRITE WHERE cond
  SourcePos overwrite_pos;
  std::optional<PartitionedBy> partitioned_by;
  std::vector<ExprPtr> clustered_by;
  /// CLUSTERED BY items marked DESC (for the "cannot sort in descending order" error).
  std::vector<bool> clustered_by_desc;
  /// Set when CLUSTERED BY appeared before PARTITIONED BY.
  bool clustered_before_partitioned = false;

  std::unique_ptr<SelectStmt> query;
};

}  // namespace strata::sql
