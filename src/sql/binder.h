// Binder: resolves a parsed query (ast.h) against the catalog and turns it into a logical plan
// (logical_plan.h): names to columns, functions to engine calls with coercions, aggregates to
// Aggregate nodes, ORDER BY/LIMIT to Sort/Limit. Errors are InvalidInput with Druid/Calcite
// messages ("Column 'x' not found in any table", "Expression 'x' is not being grouped", ...).
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "base/status.h"
#include "sql/ast.h"
#include "sql/function_catalog.h"
#include "sql/logical_plan.h"

namespace strata::sql {

/// A table the binder can read: a datasource (with its timeline) or a system table (rows given).
struct TableSource {
  std::string schema;  // "druid", "sys", "INFORMATION_SCHEMA"
  std::string name;
  bool system = false;
  std::vector<Field> fields;
  std::shared_ptr<const catalog::Timeline> timeline;
  std::vector<columnar::Frame> rows;
};

/// How the binder finds tables; implemented by the query layer (which knows datasources and
/// system tables).
class SqlCatalog {
 public:
  virtual ~SqlCatalog() = default;
  /// `schema` is empty when the query did not name one ("druid" is the default). Returns nullopt
  /// for unknown tables.
  virtual Result<std::optional<TableSource>> FindTable(const std::string& schema, const std::string& name) = 0;
};

struct BindOptions {
  BindSettings settings;
  bool use_approximate_count_distinct = true;
  /// Approximate distinct counts yield their HLL sketch (COMPLEX<hyperUnique>) instead of an
  /// estimate: ingestion with finalizeAggregations=false stores sketches as rollup metrics.
  bool keep_sketches = false;
  /// Binding the query of an INSERT/REPLACE: its top-level column names are kept as written
  /// (duplicates are an ingestion error), not made unique as a query's are.
  bool ingestion = false;
  /// Plans and runs a bound subquery, returning its rows (see StatementRequest::run_query).
  std::function<Result<std::vector<columnar::Frame>>(const LogicalNode&)> run_subquery;
  /// Rows a subquery may produce (Druid's maxSubqueryRows).
  int64_t max_subquery_rows = 100000;
  std::vector<types::Value> parameters;  // positional `?` values (typed by the request)
  std::vector<types::SqlType> parameter_types;
};

class Binder {
 public:
  Binder(SqlCatalog* catalog, BindOptions options);
  ~Binder();

  /// Binds a query expression (SELECT / UNION ALL / VALUES with WITH, ORDER BY, LIMIT).
  Result<NodePtr> BindQuery(const SelectStmt& query);
  /// Binds an expression that references no columns (SET values, OVERWRITE WHERE operands).
  Result<TypedExpr> BindConstant(const Expr& expr);
  /// Binds `expr` over the single column `__time` (OVERWRITE WHERE).
  Result<TypedExpr> BindOverTime(const Expr& expr);

  /// True when the last bound query's top level had ORDER BY / LIMIT / OFFSET.
  const BindOptions& options() const { return options_; }

  struct Scope;
  struct CteScope;

 private:
  Result<NodePtr> BindSelect(const SelectStmt& query);
  Result<NodePtr> BindSimpleSelect(const SelectStmt& query);
  Result<NodePtr> BindValues(const SelectStmt& query);
  Result<NodePtr> BindTableRef(const TableRef& ref, Scope* scope);
  Result<NodePtr> BindExternTable(const TableRef& ref, Scope* scope);
  Result<NodePtr> BindJoin(const TableRef& ref, Scope* scope);

  BindOptions options_;
  SqlCatalog* catalog_;
  std::vector<std::map<std::string, const CommonTableExpr*>> ctes_;
  int select_depth_ = 0;  // nesting of the query expression being bound (1: the statement's)
  // Scopes of the queries whose expressions hold the subquery being bound (innermost last): only
  // to say that a name referring to them makes a correlated subquery.
  std::vector<const Scope*> outer_scopes_;
  const Scope* from_scope_ = nullptr;  // FROM scope of the SELECT being bound
  friend class ExprBinder;
};

}  // namespace strata::sql
