// Logical plan: the relational form of a bound query (binder.h output, planner.h input). Every
// node lists its output fields; expressions are engine expressions over the fields of the node's
// (first) input, numbered by position.
//
// Shapes the binder guarantees (the planner relies on them):
//  - kAggregate's input produces its group keys in columns [0, num_keys) and the aggregator
//    inputs after them; aggregator specs refer to those columns. Output: keys, then aggregators.
//  - kSort only sorts; a following kLimit applies OFFSET/LIMIT.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "catalog/timeline.h"
#include "columnar/frame.h"
#include "engine/aggregation.h"
#include "engine/expr.h"
#include "engine/query_definition.h"
#include "engine/sort.h"
#include "types/data_type.h"

namespace strata::sql {

struct Field {
  std::string name;
  types::SqlType type;
  types::ColumnType native = types::ColumnType::kString;
};

struct LogicalNode;
using NodePtr = std::unique_ptr<LogicalNode>;

struct LogicalNode {
  enum class Kind { kTableScan, kExternalScan, kValues, kFilter, kProject, kAggregate, kSort, kLimit, kUnionAll, kJoin, kExpand };
  Kind kind;
  std::vector<Field> fields;
  std::vector<NodePtr> inputs;

  // kTableScan: a datasource (timeline snapshot) or a system table (rows materialized).
  std::string datasource;
  std::shared_ptr<const catalog::Timeline> timeline;
  bool system_table = false;
  // kValues and system tables: the rows.
  std::vector<columnar::Frame> rows;
  // kExternalScan
  engine::ExternalInput external;
  // kFilter
  engine::ExprPtr predicate;
  // kProject
  std::vector<engine::ExprPtr> exprs;
  // kAggregate
  int num_keys = 0;
  std::vector<engine::AggregatorSpec> aggregators;
  bool global_aggregate = false;  // no GROUP BY (or GROUP BY ()): one row even for empty input
  // kSort
  std::vector<engine::SortKey> sort_keys;
  // kLimit
  int64_t offset = 0;
  int64_t limit = -1;
  // kJoin: inputs[0] (probe) joined with inputs[1] (build); fields are the left fields, then the
  // right ones. Key columns pair up by position; `join_condition` is over the joined fields.
  engine::JoinSpec::Type join_type = engine::JoinSpec::Type::kInner;
  std::vector<int> left_keys;
  std::vector<int> right_keys;
  std::vector<bool> null_equal_keys;
  engine::ExprPtr join_condition;
  // kExpand: GROUPING SETS expansion (engine::ExpandSpec); fields: keys, the grouping id, the rest.
  engine::ExpandSpec expand;

  explicit LogicalNode(Kind k) : kind(k) {}
  const LogicalNode& input(int i = 0) const { return *inputs[i]; }
  /// Indented one-node-per-line rendering for EXPLAIN and tests.
  std::string ToString(int indent = 0) const;
};

}  // namespace strata::sql
