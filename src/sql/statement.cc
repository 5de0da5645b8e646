#include "sql/statement.h"

#include <algorithm>
#include <thread>
#include <set>

#include <nlohmann/json.hpp>

#include "sql/parser.h"
#include "sql/planner.h"

namespace strata::sql {

using types::Interval;
using types::SqlType;
using types::SqlTypeName;
using types::Value;

namespace {

Status Invalid(const std::string& message) {
  return Status::InvalidInput(message).WithErrorCode("invalidInput").WithContext("sourceType", "sql");
}

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

const char* kGranularityError =
    "Invalid granularity[%s] specified after PARTITIONED BY clause. Expected 'SECOND', 'MINUTE', 'FIVE_MINUTE', "
    "'TEN_MINUTE', 'FIFTEEN_MINUTE', 'THIRTY_MINUTE', 'HOUR', 'SIX_HOUR', 'EIGHT_HOUR', 'DAY', 'MONTH', 'QUARTER', "
    "'YEAR', 'ALL', ALL TIME, FLOOR() or TIME_FLOOR()";

Status GranularityError(const std::string& text) {
  std::string msg = kGranularityError;
  msg.replace(msg.find("%s"), 2, text);
  return Invalid(msg);
}

// PARTITIONED BY -> granularity. Only Druid's supported periods are accepted.
Result<types::Granularity> ResolvePartitionedBy(const PartitionedBy& p) {
  static const std::vector<std::string> kSupported = {"PT1S", "PT1M", "PT5M", "PT10M", "PT15M", "PT30M", "PT1H",
                                                      "PT6H", "PT8H", "P1D", "P1W", "P1M", "P3M", "P1Y"};
  std::string text;
  if (p.expr) {
    const Expr& e = *p.expr;
    bool time_arg = !e.args.empty() && e.args[0]->kind == ExprKind::kIdentifier && e.args[0]->parts.back() == "__time";
    if (e.kind == ExprKind::kFloorCeilTo && Upper(e.name) == "FLOOR") {
      if (!time_arg) return Invalid("Invalid argument of FLOOR in PARTITIONED BY: the first argument must be __time");
      text = Upper(e.unit);
    } else if (e.kind == ExprKind::kFunction && Upper(e.name) == "TIME_FLOOR") {
      if (!time_arg) return Invalid("Invalid argument of TIME_FLOOR in PARTITIONED BY: the first argument must be __time");
      if (e.args.size() != 2 || e.args[1]->kind != ExprKind::kLiteral || e.args[1]->literal_kind != LiteralKind::kString) {
        return Invalid("TIME_FLOOR in PARTITIONED BY must be TIME_FLOOR(__time, '<period>')");
      }
      text = e.args[1]->text;
    } else {
      return GranularityError("unsupported expression");
    }
  } else {
    text = p.text;
  }
  std::string upper = Upper(text);
  if (upper == "ALL" || upper == "ALL TIME" || upper == "ALL_TIME") return types::Granularity::All();
  Result<types::Granularity> g = types::Granularity::FromName(upper == "WEEK" ? "P1W" : upper);
  if (!g.ok() || g->is_none()) return GranularityError(text);
  std::string period = g->period().ToString();
  if (std::find(kSupported.begin(), kSupported.end(), period) == kSupported.end()) return GranularityError(text);
  return *g;
}

// Interval sets for OVERWRITE WHERE.
using IntervalSet = std::vector<Interval>;

IntervalSet Intersect(const IntervalSet& a, const IntervalSet& b) {
  IntervalSet out;
  for (const auto& x : a) {
    for (const auto& y : b) {
      Interval z{std::max(x.start, y.start), std::min(x.end, y.end)};
      if (!z.empty()) out.push_back(z);
    }
  }
  return types::CondenseIntervals(out);
}

IntervalSet Complement(const IntervalSet& a) {
  IntervalSet out;
  int64_t cursor = types::kMinInstant;
  for (const auto& x : types::CondenseIntervals(a)) {
    if (x.start > cursor) out.push_back(Interval{cursor, x.start});
    cursor = std::max(cursor, x.end);
  }
  if (cursor < types::kMaxInstant) out.push_back(Interval{cursor, types::kMaxInstant});
  return out;
}

std::string RenderCondition(const Expr& e);

std::string RenderCondition(const Expr& e) {
  switch (e.kind) {
    case ExprKind::kIdentifier: return "`" + e.parts.back() + "`";
    case ExprKind::kLiteral:
      if (e.literal_kind == LiteralKind::kTimestamp) return "TIMESTAMP '" + e.text + "'";
      if (e.literal_kind == LiteralKind::kString) return "'" + e.text + "'";
      return e.text;
    case ExprKind::kBinary: return RenderCondition(*e.args[0]) + " " + e.op + " " + RenderCondition(*e.args[1]);
    default: return "...";
  }
}

Result<IntervalSet> OverwriteIntervals(const Expr& e, Binder* binder, const std::string& whole) {
  switch (e.kind) {
    case ExprKind::kBinary: {
      std::string op = Upper(e.op);
      if (op == "AND" || op == "OR") {
        ASSIGN_OR_RETURN(IntervalSet a, OverwriteIntervals(*e.args[0], binder, whole));
        ASSIGN_OR_RETURN(IntervalSet b, OverwriteIntervals(*e.args[1], binder, whole));
        if (op == "AND") return Intersect(a, b);
        a.insert(a.end(), b.begin(), b.end());
        return types::CondenseIntervals(a);
      }
      if (op == "=" || op == "<" || op == "<=" || op == ">" || op == ">=") {
        const Expr* col = e.args[0].get();
        const Expr* lit = e.args[1].get();
        bool flipped = false;
        if (col->kind != ExprKind::kIdentifier) {
          std::swap(col, lit);
          flipped = true;
        }
        if (col->kind != ExprKind::kIdentifier || col->parts.back() != "__time") {
          return Invalid("OVERWRITE WHERE clause only supports filtering on the __time column, got [" + whole + "]");
        }
        ASSIGN_OR_RETURN(TypedExpr v, binder->BindConstant(*lit));
        BindSettings settings = binder->options().settings;
        ASSIGN_OR_RETURN(v, Coerce(v, SqlType::Of(SqlTypeName::kTimestamp), settings));
        if (!v.expr->is_literal() || v.expr->literal().is_null()) {
          return Invalid("Invalid OVERWRITE WHERE clause [" + whole + "]: expected a TIMESTAMP literal");
        }
        int64_t t = v.expr->literal().long_value();
        if (flipped) {
          if (op == "<") op = ">";
          else if (op == "<=") op = ">=";
          else if (op == ">") op = "<";
          else if (op == ">=") op = "<=";
        }
        if (op == "=") return IntervalSet{Interval{t, t + 1}};
        if (op == "<") return IntervalSet{Interval{types::kMinInstant, t}};
        if (op == "<=") return IntervalSet{Interval{types::kMinInstant, t + 1}};
        if (op == ">") return IntervalSet{Interval{t + 1, types::kMaxInstant}};
        return IntervalSet{Interval{t, types::kMaxInstant}};
      }
      return Invalid("Invalid OVERWRITE WHERE clause [" + whole + "]: Unsupported operation [" + e.op +
                     "] in OVERWRITE WHERE clause.");
    }
    case ExprKind::kUnary:
      if (Upper(e.op) == "NOT") {
        ASSIGN_OR_RETURN(IntervalSet a, OverwriteIntervals(*e.args[0], binder, whole));
        return Complement(a);
      }
      break;
    case ExprKind::kBetween: {
      if (e.args[0]->kind != ExprKind::kIdentifier || e.args[0]->parts.back() != "__time") {
        return Invalid("OVERWRITE WHERE clause only supports filtering on the __time column, got [" + whole + "]");
      }
      ASSIGN_OR_RETURN(TypedExpr lo, binder->BindConstant(*e.args[1]));
      ASSIGN_OR_RETURN(TypedExpr hi, binder->BindConstant(*e.args[2]));
      BindSettings settings = binder->options().settings;
      ASSIGN_OR_RETURN(lo, Coerce(lo, SqlType::Of(SqlTypeName::kTimestamp), settings));
      ASSIGN_OR_RETURN(hi, Coerce(hi, SqlType::Of(SqlTypeName::kTimestamp), settings));
      IntervalSet r{Interval{lo.expr->literal().long_value(), hi.expr->literal().long_value() + 1}};
      return e.negated ? Complement(r) : r;
    }
    case ExprKind::kLike:
      return Invalid("Invalid OVERWRITE WHERE clause [" + whole + "]: Unsupported operation [LIKE] in OVERWRITE WHERE clause.");
    default:
      break;
  }
  return Invalid("Invalid OVERWRITE WHERE clause [" + whole +
                 "]: expected clause including AND, OR, NOT, >, <, >=, <= OR BETWEEN operators");
}

const char* OperationName(StatementKind k) { return k == StatementKind::kInsert ? "INSERT" : "REPLACE"; }

// Whether `e` contains an ORDER BY at the top level of the query.
bool HasTopLevelOrderBy(const SelectStmt& q) { return !q.order_by.empty(); }

// Marks the root fields that come straight from aggregator outputs (rollup metrics).
std::vector<bool> MetricColumns(const LogicalNode& root) {
  std::vector<bool> metric(root.fields.size(), false);
  const LogicalNode* node = &root;
  std::vector<int> mapping(root.fields.size());
  for (size_t i = 0; i < mapping.size(); ++i) mapping[i] = static_cast<int>(i);
  while (node->kind == LogicalNode::Kind::kProject || node->kind == LogicalNode::Kind::kFilter ||
         node->kind == LogicalNode::Kind::kLimit) {
    if (node->kind == LogicalNode::Kind::kProject) {
      for (int& m : mapping) {
        if (m < 0) continue;
        const auto& e = node->exprs[m];
        m = e->is_column() ? e->column_index() : -1;
      }
    }
    node = &node->input();
  }
  if (node->kind != LogicalNode::Kind::kAggregate) return metric;
  for (size_t i = 0; i < mapping.size(); ++i) metric[i] = mapping[i] >= node->num_keys;
  return metric;
}

}  // namespace

Result<PlannedStatement> PlanStatement(const StatementRequest& request, SqlCatalog* catalog) {
  ASSIGN_OR_RETURN(Statement stmt, ParseStatement(request.sql));
  PlannedStatement out;
  out.context = request.context;
  BindOptions bind_options;
  for (const auto& p : request.parameters) {
    bind_options.parameters.push_back(p.value);
    bind_options.parameter_types.push_back(p.type);
  }
  // SET statements override the context.
  for (const auto& [key, value_expr] : stmt.set_statements) {
    Binder constants(nullptr, bind_options);
    ASSIGN_OR_RETURN(TypedExpr v, constants.BindConstant(*value_expr));
    Value value = v.expr->literal();
    if (v.type.name == SqlTypeName::kBoolean) value = Value::String(value.long_value() ? "true" : "false");
    out.context.Set(key, value);
  }
  RETURN_IF_ERROR(out.context.Validate());
  ASSIGN_OR_RETURN(std::string tz_name, out.context.GetString("sqlTimeZone", "UTC"));
  ASSIGN_OR_RETURN(types::TimeZone tz, types::TimeZone::Find(tz_name));
  out.settings = BindSettings{tz, tz_name, request.now_millis};
  bind_options.settings = out.settings;
  ASSIGN_OR_RETURN(bind_options.use_approximate_count_distinct, out.context.GetBool("useApproximateCountDistinct", true));
  {
    // Ingestion with finalizeAggregations=false stores sketches (rollup metrics) rather than estimates.
    const Statement* bound = stmt.kind == StatementKind::kExplain ? stmt.explained.get() : &stmt;
    ASSIGN_OR_RETURN(bool finalize, out.context.GetBool("finalizeAggregations", true));
    bind_options.ingestion = bound != nullptr && (bound->kind == StatementKind::kInsert || bound->kind == StatementKind::kReplace);
    bind_options.keep_sketches = !finalize && bind_options.ingestion;
  }
  // Tasks default to Druid's maxNumTasks of 2 (one controller, one worker). An interactive query
  // has no task slots to share: by default it runs one worker per core.
  int64_t default_tasks = request.as_task ? 2 : static_cast<int64_t>(std::max(1u, std::thread::hardware_concurrency())) + 1;
  ASSIGN_OR_RETURN(int64_t max_num_tasks, out.context.GetLong("maxNumTasks", default_tasks));
  PlannerOptions planner_options;
  planner_options.query_id = request.query_id;
  planner_options.max_num_tasks = static_cast<int>(std::max<int64_t>(2, max_num_tasks));
  planner_options.eval_context = engine::EvalContext{tz, request.now_millis};
  ASSIGN_OR_RETURN(planner_options.join_algorithm, out.context.GetString("sqlJoinAlgorithm", "broadcast"));
  ASSIGN_OR_RETURN(bind_options.max_subquery_rows, out.context.GetLong("maxSubqueryRows", 100000));
  if (request.run_query) {
    auto subquery_number = std::make_shared<int>(0);
    bind_options.run_subquery = [&request, planner_options, subquery_number](const LogicalNode& node)
        -> Result<std::vector<columnar::Frame>> {
      PlannerOptions sub = planner_options;
      sub.query_id = request.query_id + "_subquery" + std::to_string((*subquery_number)++);
      ASSIGN_OR_RETURN(engine::QueryDefinition query, PlanQuery(node, sub));
      return request.run_query(query);
    };
  }
  if (planner_options.join_algorithm != "broadcast" && planner_options.join_algorithm != "sortMerge") {
    return Status::InvalidInput("sqlJoinAlgorithm must be 'broadcast' or 'sortMerge', got [" +
                                planner_options.join_algorithm + "]")
        .WithErrorCode("invalidInput");
  }

  const Statement* target = &stmt;
  bool explain = stmt.kind == StatementKind::kExplain;
  if (explain) target = stmt.explained.get();
  Binder binder(catalog, bind_options);
  nlohmann::ordered_json native_context = {{"sqlQueryId", request.query_id}};

  if (target->kind == StatementKind::kSelect) {
    ASSIGN_OR_RETURN(NodePtr root, binder.BindQuery(*target->query));
    ASSIGN_OR_RETURN(int64_t outer_limit, out.context.GetLong("sqlOuterLimit", -1));
    if (outer_limit >= 0) {
      auto lim = std::make_unique<LogicalNode>(LogicalNode::Kind::kLimit);
      lim->fields = root->fields;
      lim->limit = outer_limit;
      lim->inputs.push_back(std::move(root));
      root = std::move(lim);
    }
    planner_options.native_context_json = native_context.dump();
    ASSIGN_OR_RETURN(engine::QueryDefinition q, PlanQuery(*root, planner_options));
    out.type = StatementType::kSelect;
    out.result_fields = root->fields;
    out.query = std::make_shared<engine::QueryDefinition>(std::move(q));
  } else {
    // INSERT / REPLACE validation, in Druid's order.
    const char* op = OperationName(target->kind);
    std::string name = target->target.empty() ? "" : target->target.back();
    if (target->target.size() >= 2) {
      const std::string& schema = target->target[target->target.size() - 2];
      if (schema != "druid") {
        return Invalid("Table [" + schema + "." + name + "] does not support operation [" + op +
                       "] because it is not a Druid datasource");
      }
    }
    if (name.find('/') != std::string::npos) {
      return Invalid("Invalid value for field [table]: Value [" + name + "] cannot contain '/'.");
    }
    if (name.empty()) return Invalid("Operation [" + std::string(op) + "] requires a target datasource");
    if (!target->target_columns.empty()) {
      std::string cols;
      for (size_t i = 0; i < target->target_columns.size(); ++i) cols += (i ? ", `" : "`") + target->target_columns[i] + "`";
      return Invalid("Operation [" + std::string(op) + "] cannot be run with a target column list, given [" + name + " (" + cols + ")]");
    }
    if (target->kind == StatementKind::kInsert && target->overwrite_present) {
      return Invalid(
          "An OVERWRITE clause is not allowed with INSERT statements. Use REPLACE statements if overwriting existing "
          "segments is required or remove the OVERWRITE clause.");
    }
    if (target->kind == StatementKind::kReplace && !target->overwrite_all && !target->overwrite_where) {
      return Invalid(
          "Missing time chunk information in OVERWRITE clause for REPLACE. Use OVERWRITE WHERE <__time based condition> "
          "or OVERWRITE ALL to overwrite the entire table.");
    }
    if (target->clustered_before_partitioned || (!target->partitioned_by && !target->clustered_by.empty())) {
      return Invalid("CLUSTERED BY found before PARTITIONED BY, CLUSTERED BY must come after the PARTITIONED BY clause");
    }
    if (!target->partitioned_by) {
      return Invalid("Operation [" + std::string(op) + "] requires a PARTITIONED BY to be explicitly defined, but none was found.");
    }
    ASSIGN_OR_RETURN(types::Granularity granularity, ResolvePartitionedBy(*target->partitioned_by));
    const SelectStmt& query = *target->query;
    if (HasTopLevelOrderBy(query)) {
      return Invalid("Cannot use an ORDER BY clause on a Query of type [" + std::string(op) + "], use CLUSTERED BY instead");
    }
    if (query.limit && !granularity.is_all()) {
      return Invalid("INSERT and REPLACE queries cannot have a LIMIT unless PARTITIONED BY is \"ALL\"");
    }
    if (query.offset) return Invalid("INSERT and REPLACE queries cannot have an OFFSET");
    for (size_t i = 0; i < target->clustered_by_desc.size(); ++i) {
      if (target->clustered_by_desc[i]) {
        std::string what = target->clustered_by[i]->kind == ExprKind::kIdentifier ? "`" + target->clustered_by[i]->parts.back() + "`" : "expression";
        return Invalid("Invalid CLUSTERED BY clause [" + what + " DESC]: cannot sort in descending order.");
      }
    }
    ASSIGN_OR_RETURN(NodePtr root, binder.BindQuery(query));
    // Output columns: named, unique, __time a timestamp.
    std::set<std::string> seen;
    int time_column = -1;
    for (size_t i = 0; i < root->fields.size(); ++i) {
      const Field& f = root->fields[i];
      if (f.name.rfind("EXPR$", 0) == 0) {
        return Invalid(
            "Insertion requires columns to be named, but at least one of the columns was unnamed.  This is usually the "
            "result of applying a function without having an AS clause, please ensure that all function callsare named "
            "with an AS clause as in \"func(X) as myColumn\".");
      }
      if (!seen.insert(f.name).second) return Invalid("Duplicate field in SELECT: [" + f.name + "]");
      if (f.name == "__bucket" || f.name == "__boost") {
        return Invalid("[" + f.name + "] column name is reserved for MSQ's internal purpose. Please retry the query after renaming the column.")
            .WithErrorCode("ColumnNameRestricted");
      }
      if (f.name == "__time") {
        if (f.type.name != SqlTypeName::kTimestamp && !f.type.is_integral()) {
          return Invalid("Field [__time] was the wrong type [" + f.type.HeaderName() + "], expected TIMESTAMP");
        }
        time_column = static_cast<int>(i);
      }
    }
    if (time_column < 0 && !granularity.is_all()) {
      return Invalid("Cannot use PARTITIONED BY " + granularity.Name() +
                     " without a __time column; add \"... AS __time\" to the SELECT or use PARTITIONED BY ALL");
    }
    IngestTarget ingest;
    ingest.datasource = name;
    ingest.segment_granularity = granularity;
    ingest.time_column = time_column;
    ingest.replace = target->kind == StatementKind::kReplace;
    ASSIGN_OR_RETURN(ingest.rows_per_segment, out.context.GetLong("rowsPerSegment", 3000000));
    ASSIGN_OR_RETURN(std::string array_mode, out.context.GetString("arrayIngestMode", "array"));
    if (Upper(array_mode) != "ARRAY" && Upper(array_mode) != "MVD" && Upper(array_mode) != "NONE") {
      return Invalid("arrayIngestMode must be one of [none, mvd, array], not [" + array_mode + "]");
    }
    ingest.array_ingest_mode = Upper(array_mode) == "ARRAY" ? "array" : (Upper(array_mode) == "MVD" ? "mvd" : "none");
    ingest.metric_columns = MetricColumns(*root);
    for (bool m : ingest.metric_columns) ingest.rollup |= m;
    // CLUSTERED BY: output columns by name or ordinal.
    for (const auto& c : target->clustered_by) {
      int index = -1;
      if (c->kind == ExprKind::kLiteral && c->literal_kind == LiteralKind::kInteger) {
        index = c->text.size() > 9 ? -1 : std::stoi(c->text) - 1;  // (digits only: the lexer's integer)
      } else if (c->kind == ExprKind::kIdentifier) {
        for (size_t i = 0; i < root->fields.size(); ++i) {
          if (root->fields[i].name == c->parts.back()) index = static_cast<int>(i);
        }
      }
      if (index < 0 || index >= static_cast<int>(root->fields.size())) {
        return Invalid("CLUSTERED BY expression must name an output column of the SELECT (by name or ordinal)");
      }
      ingest.cluster_columns.push_back(index);
      out.clustered_by.push_back(root->fields[index].name);
    }
    if (target->kind == StatementKind::kReplace && target->overwrite_where) {
      std::string whole = RenderCondition(*target->overwrite_where);
      ASSIGN_OR_RETURN(IntervalSet intervals, OverwriteIntervals(*target->overwrite_where, &binder, whole));
      if (intervals.empty()) {
        return Invalid("The OVERWRITE WHERE clause [" + whole + "] produced no time intervals, are the bounds overly restrictive?");
      }
      for (const auto& iv : intervals) {
        bool aligned = (iv.start == types::kMinInstant || granularity.IsAligned(iv.start)) &&
                       (iv.end == types::kMaxInstant || granularity.IsAligned(iv.end));
        if (granularity.is_all()) aligned = iv.is_eternity();
        if (!aligned) {
          return Invalid("OVERWRITE WHERE clause identified interval [" + iv.ToString() +
                         "] which is not aligned with PARTITIONED BY granularity [" + granularity.Name() + "]");
        }
      }
      ingest.replace_intervals = intervals;
      out.replace_intervals = intervals;
    } else if (target->kind == StatementKind::kReplace) {
      out.replace_all = true;
    }
    out.type = target->kind == StatementKind::kInsert ? StatementType::kInsert : StatementType::kReplace;
    out.datasource = name;
    out.segment_granularity = granularity;
    out.segment_granularity_json = granularity.ToJson();
    native_context["sqlInsertSegmentGranularity"] = out.segment_granularity_json;
    if (out.type == StatementType::kReplace) {
      std::string chunks = "all";
      if (out.replace_intervals) {
        chunks.clear();
        for (size_t i = 0; i < out.replace_intervals->size(); ++i) chunks += (i ? "," : "") + (*out.replace_intervals)[i].ToString();
      }
      native_context["sqlReplaceTimeChunks"] = chunks;
    }
    native_context["finalize"] = false;
    native_context["finalizeAggregations"] = false;
    native_context["groupByEnableMultiValueUnnesting"] = false;
    planner_options.native_context_json = native_context.dump();
    ASSIGN_OR_RETURN(engine::QueryDefinition q, PlanIngest(*root, ingest, planner_options));
    out.query = std::make_shared<engine::QueryDefinition>(std::move(q));
    out.result_fields = root->fields;
  }

  if (explain) {
    nlohmann::ordered_json plan = nlohmann::ordered_json::array();
    for (const auto& s : out.query->stages) {
      plan.push_back(nlohmann::ordered_json::parse(engine::StageDefinitionToJson(s)));
    }
    nlohmann::ordered_json resources = nlohmann::ordered_json::array();
    std::set<std::string> tables;
    for (const auto& s : out.query->stages) {
      for (const auto& in : s.inputs) {
        if (in.kind == engine::InputSpec::Kind::kExternal) tables.insert("EXTERNAL");
        if (in.kind == engine::InputSpec::Kind::kTable) tables.insert(in.table.datasource);
      }
    }
    if (tables.count("EXTERNAL")) resources.push_back(nlohmann::ordered_json{{"name", "EXTERNAL"}, {"type", "EXTERNAL"}});
    for (const auto& t : tables) {
      if (t != "EXTERNAL") resources.push_back(nlohmann::ordered_json{{"name", t}, {"type", "DATASOURCE"}});
    }
    nlohmann::ordered_json attributes;
    if (out.type == StatementType::kSelect) {
      attributes["statementType"] = "SELECT";
    } else {
      attributes["statementType"] = out.type == StatementType::kInsert ? "INSERT" : "REPLACE";
      attributes["targetDataSource"] = {{"type", "table"}, {"tableName", out.datasource}};
      resources.push_back(nlohmann::ordered_json{{"name", out.datasource}, {"type", "DATASOURCE"}});
      attributes["partitionedBy"] = nlohmann::ordered_json::parse(out.segment_granularity_json);
      if (!out.clustered_by.empty()) attributes["clusteredBy"] = out.clustered_by;
      if (out.type == StatementType::kReplace) {
        std::string chunks = "all";
        if (out.replace_intervals) {
          chunks.clear();
          for (size_t i = 0; i < out.replace_intervals->size(); ++i) chunks += (i ? "," : "") + (*out.replace_intervals)[i].ToString();
        }
        attributes["replaceTimeChunks"] = chunks;
      }
    }
    out.type = StatementType::kExplain;
    SqlType v = SqlType::Of(SqlTypeName::kVarchar);
    out.result_fields = {Field{"PLAN", v, types::ColumnType::kString}, Field{"RESOURCES", v, types::ColumnType::kString},
                         Field{"ATTRIBUTES", v, types::ColumnType::kString}};
    out.explain_row = {Value::String(plan.dump()), Value::String(resources.dump()), Value::String(attributes.dump())};
  }
  return out;
}

}  // namespace strata::sql
