#include "sql/planner.h"

#include <algorithm>
#include <limits>
#include <set>

#include <nlohmann/json.hpp>

#include "engine/segment_scan.h"

namespace strata::sql {

using engine::ExprPtr;
using engine::InputSpec;
using engine::OperatorSpec;
using engine::ShuffleSpec;
using engine::StageDefinition;
using types::ColumnType;

namespace {

const char* kEternity = "-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z";

// Hash partitions per worker of the stage that merges an aggregation.
constexpr int kPartitionsPerWorker = 8;

void PruneByClusterRanges(engine::TableInput* t);  // below

// A stage under construction: inputs and the operators applied so far.
struct Fragment {
  std::vector<InputSpec> inputs;
  std::vector<OperatorSpec> ops;
  std::vector<Field> fields;
  int max_workers = 1;
  std::string processor_type = "scan";
};

class Planner {
 public:
  explicit Planner(const PlannerOptions& options) : options_(options) {
    workers_ = std::max(1, options.max_num_tasks - 1);
  }

  Result<Fragment> Build(const LogicalNode& node) {
    switch (node.kind) {
      case LogicalNode::Kind::kTableScan: {
        Fragment f;
        f.fields = node.fields;
        InputSpec in;
        if (node.system_table) {
          in.kind = InputSpec::Kind::kInline;
          in.inline_rows.signature = SignatureOf(node.fields);
          in.inline_rows.frames = node.rows;
          f.max_workers = 1;
        } else {
          in.kind = InputSpec::Kind::kTable;
          in.table.datasource = node.datasource;
          in.table.intervals = {types::Interval::Eternity()};
          if (node.timeline) in.table.segments = node.timeline->entries();
          in.table.columns = SignatureOf(node.fields);
          f.max_workers = workers_;
        }
        f.inputs.push_back(std::move(in));
        return f;
      }
      case LogicalNode::Kind::kExternalScan: {
        Fragment f;
        f.fields = node.fields;
        InputSpec in;
        in.kind = InputSpec::Kind::kExternal;
        in.external = node.external;
        f.inputs.push_back(std::move(in));
        f.max_workers = workers_;
        return f;
      }
      case LogicalNode::Kind::kValues: {
        Fragment f;
        f.fields = node.fields;
        InputSpec in;
        in.kind = InputSpec::Kind::kInline;
        in.inline_rows.signature = SignatureOf(node.fields);
        in.inline_rows.frames = node.rows;
        f.inputs.push_back(std::move(in));
        return f;
      }
      case LogicalNode::Kind::kFilter: {
        ASSIGN_OR_RETURN(Fragment f, Build(node.input()));
        if (f.ops.empty() && f.inputs.size() == 1 && f.inputs[0].kind == InputSpec::Kind::kTable) {
          // Push the filter into the segment scan (bitmap indexes, time pruning).
          engine::TableInput& t = f.inputs[0].table;
          if (t.filter) {
            ASSIGN_OR_RETURN(t.filter, engine::Expr::Call("and", {t.filter, node.predicate}, ColumnType::kLong));
          } else {
            t.filter = node.predicate;
          }
          int time_col = -1;
          for (size_t i = 0; i < t.columns.size(); ++i) {
            if (t.columns[i].name == "__time") time_col = static_cast<int>(i);
          }
          if (time_col >= 0) {
            types::Interval bounds = TimeBoundsOf(t.filter, time_col);
            if (!bounds.is_eternity()) {
              t.intervals = {bounds};
              std::vector<catalog::TimelineEntry> kept;
              for (const auto& e : t.segments) {
                catalog::TimelineEntry clipped{e.segment, {}};
                for (const auto& v : e.visible) {
                  types::Interval x{std::max(v.start, bounds.start), std::min(v.end, bounds.end)};
                  if (!x.empty()) clipped.visible.push_back(x);
                }
                if (!clipped.visible.empty()) kept.push_back(std::move(clipped));
              }
              t.segments = std::move(kept);
            }
          }
          PruneByClusterRanges(&t);
          return f;
        }
        f.ops.push_back(OperatorSpec::Filter(node.predicate));
        return f;
      }
      case LogicalNode::Kind::kProject: {
        ASSIGN_OR_RETURN(Fragment f, Build(node.input()));
        f.ops.push_back(OperatorSpec::Project(node.exprs));
        f.fields = node.fields;
        return f;
      }
      case LogicalNode::Kind::kAggregate: {
        ASSIGN_OR_RETURN(Fragment f, Build(node.input()));
        MarkTimeExtremesOnly(node, &f);
        MarkIdsOnlyKeys(node, &f);
        engine::AggregateSpec partial;
        for (int k = 0; k < node.num_keys; ++k) partial.key_types.push_back(f.fields[k].native);
        partial.aggregators = node.aggregators;
        partial.merge = false;
        partial.final = false;
        f.ops.push_back(OperatorSpec::Aggregate(partial));
        f.processor_type = "groupByPreShuffle";
        // Intermediate signature: keys, then each aggregator's intermediate columns.
        std::vector<Field> intermediate(f.fields.begin(), f.fields.begin() + node.num_keys);
        for (const auto& a : node.aggregators) {
          for (int i = 0; i < a.num_intermediate(); ++i) {
            ColumnType t = a.IntermediateType(i);
            intermediate.push_back(Field{a.name + (i ? "_time" : ""), types::SqlTypeOfNative(t), t});
          }
        }
        f.fields = intermediate;
        ShuffleSpec shuffle;
        int consumers = 1;
        if (node.num_keys > 0) {
          shuffle.kind = ShuffleSpec::Kind::kHash;
          for (int k = 0; k < node.num_keys; ++k) shuffle.keys.push_back(engine::SortKey::Asc(k));
          // Several partitions per consumer: each is merged on its own, in a table a fraction of
          // the size (cache-resident for large group counts).
          shuffle.num_partitions = workers_ * kPartitionsPerWorker;
          consumers = workers_;
        }
        int stage = Seal(std::move(f), shuffle);
        Fragment next;
        next.inputs.push_back(StageInput(stage));
        engine::AggregateSpec final_spec = partial;
        final_spec.merge = true;
        final_spec.final = true;
        final_spec.emit_empty_group = node.global_aggregate;
        next.ops.push_back(OperatorSpec::Aggregate(final_spec));
        next.fields = node.fields;
        next.max_workers = consumers;
        next.processor_type = "groupByPostShuffle";
        return next;
      }
      case LogicalNode::Kind::kSort: {
        ASSIGN_OR_RETURN(Fragment f, Build(node.input()));
        return SortInto(std::move(f), node.sort_keys, -1);
      }
      case LogicalNode::Kind::kLimit: {
        const LogicalNode& input = node.input();
        int64_t keep = node.limit < 0 ? -1 : node.offset + node.limit;
        if (input.kind == LogicalNode::Kind::kSort) {
          ASSIGN_OR_RETURN(Fragment f, Build(input.input()));
          ASSIGN_OR_RETURN(Fragment sorted, SortInto(std::move(f), input.sort_keys, keep));
          sorted.ops.push_back(OperatorSpec::Limit(node.offset, node.limit));
          sorted.processor_type = "limit";
          return sorted;
        }
        ASSIGN_OR_RETURN(Fragment f, Build(input));
        if (f.max_workers == 1) {
          f.ops.push_back(OperatorSpec::Limit(node.offset, node.limit));
          return f;
        }
        // Each worker keeps at most offset + limit rows; one worker applies the limit.
        if (keep >= 0) f.ops.push_back(OperatorSpec::Limit(0, keep));
        std::vector<Field> fields = f.fields;
        int stage = Seal(std::move(f), ShuffleSpec{});
        Fragment next;
        next.inputs.push_back(StageInput(stage));
        next.ops.push_back(OperatorSpec::Limit(node.offset, node.limit));
        next.fields = fields;
        next.processor_type = "limit";
        return next;
      }
      case LogicalNode::Kind::kJoin: return BuildJoin(node);
      case LogicalNode::Kind::kExpand: {
        ASSIGN_OR_RETURN(Fragment f, Build(node.input()));
        f.ops.push_back(OperatorSpec::Expand(node.expand));
        f.fields = node.fields;
        return f;
      }
      case LogicalNode::Kind::kUnionAll: {
        Fragment next;
        next.fields = node.fields;
        for (const auto& in : node.inputs) {
          ASSIGN_OR_RETURN(Fragment f, Build(*in));
          int stage = Seal(std::move(f), ShuffleSpec{});
          next.inputs.push_back(StageInput(stage));
        }
        return next;
      }
    }
    return Status::Internal("unknown logical node");
  }

  Result<Fragment> BuildJoin(const LogicalNode& node) {
    ASSIGN_OR_RETURN(Fragment left, Build(node.input(0)));
    ASSIGN_OR_RETURN(Fragment right, Build(node.input(1)));
    engine::JoinSpec join;
    join.type = node.join_type;
    join.probe_keys = node.left_keys;
    join.build_keys = node.right_keys;
    join.null_equal = node.null_equal_keys;
    join.probe_signature = SignatureOf(left.fields);
    join.build_signature = SignatureOf(right.fields);
    join.condition = node.join_condition;
    bool partitioned = options_.join_algorithm == "sortMerge" && !join.probe_keys.empty();
    if (partitioned) {
      // Both inputs hash-partitioned on their keys into the same partitions.
      auto key_shuffle = [&](const std::vector<int>& keys) {
        ShuffleSpec shuffle;
        shuffle.kind = ShuffleSpec::Kind::kHash;
        for (int k : keys) shuffle.keys.push_back(engine::SortKey::Asc(k));
        shuffle.num_partitions = workers_ * kPartitionsPerWorker;
        return shuffle;
      };
      int left_stage = Seal(std::move(left), key_shuffle(join.probe_keys));
      int right_stage = Seal(std::move(right), key_shuffle(join.build_keys));
      Fragment next;
      next.inputs.push_back(StageInput(left_stage));
      InputSpec build = StageInput(right_stage);
      build.copartitioned = true;
      next.inputs.push_back(std::move(build));
      join.build_input = 1;
      join.copartitioned = true;
      next.ops.push_back(OperatorSpec::HashJoin(std::move(join)));
      next.fields = node.fields;
      next.max_workers = workers_;
      next.processor_type = "sortMergeJoin";
      return next;
    }
    int right_stage = Seal(std::move(right), ShuffleSpec{});
    InputSpec build = StageInput(right_stage);
    build.broadcast = true;
    if (join.type == engine::JoinSpec::Type::kFull) {
      // Unmatched build rows are only known once every probe row was seen: one worker.
      int left_stage = Seal(std::move(left), ShuffleSpec{});
      Fragment next;
      next.inputs.push_back(StageInput(left_stage));
      next.inputs.push_back(std::move(build));
      join.build_input = 1;
      next.ops.push_back(OperatorSpec::HashJoin(std::move(join)));
      next.fields = node.fields;
      next.max_workers = 1;
      next.processor_type = "broadcastJoin";
      return next;
    }
    join.build_input = static_cast<int>(left.inputs.size());
    left.inputs.push_back(std::move(build));
    left.ops.push_back(OperatorSpec::HashJoin(std::move(join)));
    left.fields = node.fields;
    return left;
  }

  // Seals `f` as a stage with `shuffle`; returns its number.
  int Seal(Fragment f, ShuffleSpec shuffle) {
    PruneTableColumns(&f);
    StageDefinition s;
    s.stage_number = static_cast<int>(stages_.size());
    s.id = options_.query_id + "_" + std::to_string(s.stage_number);
    s.inputs = std::move(f.inputs);
    s.operators = std::move(f.ops);
    s.signature = SignatureOf(f.fields);
    s.shuffle = std::move(shuffle);
    s.max_worker_count = f.max_workers;
    s.processor_type = f.processor_type;
    s.processor_json = ProcessorJson(s);
    stages_.push_back(std::move(s));
    return static_cast<int>(stages_.size() - 1);
  }

  std::vector<StageDefinition> TakeStages() { return std::move(stages_); }
  int workers() const { return workers_; }

  static engine::Signature SignatureOf(const std::vector<Field>& fields) {
    engine::Signature sig;
    for (const auto& f : fields) {
      engine::ColumnSignature c{f.name, f.native, f.type.complex_name};
      sig.push_back(c);
    }
    return sig;
  }

  InputSpec StageInput(int stage) {
    InputSpec in;
    in.kind = InputSpec::Kind::kStage;
    in.stage = stage;
    return in;
  }

 private:
  // ORDER BY: each worker sorts (and keeps the first `keep` rows when >= 0); one worker merges.
  Result<Fragment> SortInto(Fragment f, const std::vector<engine::SortKey>& keys, int64_t keep) {
    std::vector<Field> fields = f.fields;
    if (keep >= 0) f.ops.push_back(OperatorSpec::Sort(keys, keep));  // top-k before the shuffle
    ShuffleSpec shuffle;
    shuffle.kind = ShuffleSpec::Kind::kSort;
    shuffle.keys = keys;
    int stage = Seal(std::move(f), shuffle);
    Fragment next;
    next.inputs.push_back(StageInput(stage));
    next.fields = fields;
    next.max_workers = 1;
    next.processor_type = "scan";
    return next;
  }

  // MIN/MAX(__time) of a table (no GROUP BY, nothing else aggregated): the scan may emit only
  // the first and last row of each segment's matching range.
  static void MarkTimeExtremesOnly(const LogicalNode& agg, Fragment* f) {
    if (agg.num_keys != 0 || agg.aggregators.empty() || f->inputs.size() != 1 ||
        f->inputs[0].kind != InputSpec::Kind::kTable) {
      return;
    }
    engine::TableInput& t = f->inputs[0].table;
    // The aggregator inputs, as expressions over the table's columns.
    const std::vector<ExprPtr>* projected = nullptr;
    for (const auto& op : f->ops) {
      if (op.kind != OperatorSpec::Kind::kProject || projected != nullptr) return;
      projected = &op.exprs;
    }
    for (const auto& a : agg.aggregators) {
      if ((a.kind != engine::AggregatorKind::kMin && a.kind != engine::AggregatorKind::kMax) || a.filter >= 0) return;
      const ExprPtr* input = nullptr;
      ExprPtr direct;
      if (projected) {
        if (a.input < 0 || a.input >= static_cast<int>(projected->size())) return;
        input = &(*projected)[a.input];
      } else {
        direct = engine::Expr::Column(a.input, ColumnType::kLong, "");
        input = &direct;
      }
      if (!(*input)->is_column()) return;
      int c = (*input)->column_index();
      if (c < 0 || c >= static_cast<int>(t.columns.size()) || t.columns[c].name != "__time") return;
    }
    t.time_extremes_only = true;
  }

  // String columns of a table that the aggregation uses only as group keys (bare references
  // among the keys) or as the input of approximate distinct counts (which hash each dictionary
  // value once), nowhere else: the scan may hand over their dictionary ids alone.
  static void MarkIdsOnlyKeys(const LogicalNode& agg, Fragment* f) {
    if (f->inputs.size() != 1 || f->inputs[0].kind != InputSpec::Kind::kTable || f->ops.size() != 1 ||
        f->ops[0].kind != OperatorSpec::Kind::kProject) {
      return;
    }
    engine::TableInput& t = f->inputs[0].table;
    const std::vector<ExprPtr>& exprs = f->ops[0].exprs;
    std::vector<int> key_uses(t.columns.size(), 0), other_uses(t.columns.size(), 0);
    std::vector<bool> id_input(exprs.size(), false);  // project outputs read only by sketches
    std::vector<bool> other_input(exprs.size(), false);
    for (const auto& a : agg.aggregators) {
      bool sketch = a.kind == engine::AggregatorKind::kApproxDistinct || a.kind == engine::AggregatorKind::kSketch;
      for (int in : {a.input, a.time_input, a.filter}) {
        if (in < 0 || in >= static_cast<int>(exprs.size())) continue;
        if (sketch && in == a.input) id_input[in] = true;
        else other_input[in] = true;
      }
    }
    for (size_t i = 0; i < exprs.size(); ++i) {
      const ExprPtr& e = exprs[i];
      bool id_friendly = static_cast<int>(i) < agg.num_keys || (id_input[i] && !other_input[i]);
      if (e->is_column() && id_friendly) {
        ++key_uses[e->column_index()];
        continue;
      }
      std::vector<int> cols;
      e->CollectColumns(&cols);
      for (int c : cols) ++other_uses[c];
    }
    for (size_t c = 0; c < t.columns.size(); ++c) {
      if (key_uses[c] > 0 && other_uses[c] == 0 && t.columns[c].type == ColumnType::kString) {
        t.ids_only_columns.push_back(t.columns[c].name);
      }
    }
  }

  // Reads only the columns a table scan's pipeline uses.
  void PruneTableColumns(Fragment* f) {
    if (f->inputs.size() != 1 || f->inputs[0].kind != InputSpec::Kind::kTable) return;
    engine::TableInput& t = f->inputs[0].table;
    std::vector<int> used;
    size_t first_reshape = f->ops.size();
    for (size_t i = 0; i < f->ops.size(); ++i) {
      const OperatorSpec& op = f->ops[i];
      if (op.kind == OperatorSpec::Kind::kFilter) {
        op.predicate->CollectColumns(&used);
      } else if (op.kind == OperatorSpec::Kind::kProject) {
        for (const auto& e : op.exprs) e->CollectColumns(&used);
        first_reshape = i;
        break;
      } else {
        // Operators that pass columns through by position need them all.
        return;
      }
    }
    if (first_reshape == f->ops.size()) return;
    t.rows_only = used.empty();
    std::sort(used.begin(), used.end());
    used.erase(std::unique(used.begin(), used.end()), used.end());
    // Columns only the scan's filter reads go after the others: the scan reads them only when
    // the segment's indexes cannot answer the filter, and never passes them on.
    std::vector<int> filter_only;
    if (t.filter) t.filter->CollectColumns(&filter_only);
    std::sort(filter_only.begin(), filter_only.end());
    filter_only.erase(std::unique(filter_only.begin(), filter_only.end()), filter_only.end());
    filter_only.erase(std::remove_if(filter_only.begin(), filter_only.end(),
                                     [&](int c) { return std::binary_search(used.begin(), used.end(), c); }),
                      filter_only.end());
    if (used.size() == t.columns.size()) return;
    std::vector<int> mapping(t.columns.size(), -1);
    engine::Signature columns, filter_columns;
    for (size_t k = 0; k < used.size(); ++k) {
      mapping[used[k]] = static_cast<int>(k);
      columns.push_back(t.columns[used[k]]);
    }
    for (size_t k = 0; k < filter_only.size(); ++k) {
      mapping[filter_only[k]] = static_cast<int>(used.size() + k);
      filter_columns.push_back(t.columns[filter_only[k]]);
    }
    t.columns = std::move(columns);
    t.filter_columns = std::move(filter_columns);
    if (t.filter) t.filter = t.filter->Remap(mapping);
    for (size_t i = 0; i <= first_reshape; ++i) {
      OperatorSpec& op = f->ops[i];
      if (op.kind == OperatorSpec::Kind::kFilter) op.predicate = op.predicate->Remap(mapping);
      if (op.kind == OperatorSpec::Kind::kProject) {
        for (auto& e : op.exprs) e = e->Remap(mapping);
      }
    }
  }

  std::string ProcessorJson(const StageDefinition& s) {
    nlohmann::ordered_json q;
    bool group_by = s.processor_type.rfind("groupBy", 0) == 0;
    q["queryType"] = group_by ? "groupBy" : "scan";
    if (!s.inputs.empty() && s.inputs[0].kind == InputSpec::Kind::kTable) {
      q["dataSource"] = {{"type", "table"}, {"name", s.inputs[0].table.datasource}};
      nlohmann::ordered_json ivs = nlohmann::ordered_json::array();
      for (const auto& iv : s.inputs[0].table.intervals) ivs.push_back(iv.ToString());
      q["intervals"] = {{"type", "intervals"}, {"intervals", ivs}};
      if (s.inputs[0].table.filter) q["filter"] = {{"type", "expression"}, {"expression", s.inputs[0].table.filter->ToString()}};
    } else {
      q["dataSource"] = {{"type", "inputNumber"}, {"inputNumber", 0}};
      q["intervals"] = {{"type", "intervals"}, {"intervals", {kEternity}}};
    }
    nlohmann::ordered_json virtual_columns = nlohmann::ordered_json::array();
    for (const auto& op : s.operators) {
      if (op.kind == OperatorSpec::Kind::kFilter && !q.contains("filter")) {
        q["filter"] = {{"type", "expression"}, {"expression", op.predicate->ToString()}};
      }
      if (op.kind == OperatorSpec::Kind::kProject) {
        for (size_t i = 0; i < op.exprs.size(); ++i) {
          if (!op.exprs[i]->is_column()) {
            virtual_columns.push_back({{"type", "expression"}, {"name", "v" + std::to_string(virtual_columns.size())},
                                       {"expression", op.exprs[i]->ToString()},
                                       {"outputType", std::string(types::NativeTypeName(op.exprs[i]->type()))}});
          }
        }
      }
      if (op.kind == OperatorSpec::Kind::kAggregate) {
        nlohmann::ordered_json aggs = nlohmann::ordered_json::array();
        std::vector<std::string> names;
        for (const auto& a : op.aggregate.aggregators) aggs.push_back(nlohmann::ordered_json::parse(a.ToJson(names)));
        q["aggregations"] = aggs;
      }
      if (op.kind == OperatorSpec::Kind::kLimit && op.limit >= 0) q["limit"] = op.limit;
    }
    if (!virtual_columns.empty()) q["virtualColumns"] = virtual_columns;
    if (!group_by) q["resultFormat"] = "compactedList";
    nlohmann::ordered_json cols = nlohmann::ordered_json::array();
    for (const auto& c : s.signature) cols.push_back(c.name);
    q[group_by ? "dimensions" : "columns"] = cols;
    q["context"] = nlohmann::ordered_json::parse(options_.native_context_json, nullptr, false);
    q["granularity"] = {{"type", "all"}};
    return nlohmann::ordered_json{{"query", q}}.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  }

  const PlannerOptions& options_;
  int workers_;
  std::vector<StageDefinition> stages_;
};

}  // namespace

namespace {

// Whether `e` is false or NULL for every row of a segment whose values of column `col` lie in
// [lo, hi] (std::nullopt bound: open; a segment with a lower bound holds no NULLs). Conservative:
// false unless it can prove it.
bool RefutedByRange(const ExprPtr& e, int col, const std::optional<std::string>& lo,
                    const std::optional<std::string>& hi) {
  if (!e || e->kind() != engine::Expr::Kind::kCall) return false;
  const std::string& fn = e->function();
  const auto& args = e->args();
  if (fn == "and") {
    for (const auto& a : args) {
      if (RefutedByRange(a, col, lo, hi)) return true;
    }
    return false;
  }
  if (fn == "or") {
    for (const auto& a : args) {
      if (!RefutedByRange(a, col, lo, hi)) return false;
    }
    return !args.empty();
  }
  auto is_col = [&](const ExprPtr& x) { return x->is_column() && x->column_index() == col; };
  auto is_str = [](const ExprPtr& x) { return x->is_literal() && x->literal().is_string(); };
  // Outside the segment's range (NULL literals match nothing).
  auto outside = [&](const ExprPtr& x) {
    if (x->is_literal() && x->literal().is_null()) return true;
    if (!is_str(x)) return false;
    const std::string& v = x->literal().string_value();
    return (lo && v < *lo) || (hi && v > *hi);
  };
  if (fn == "is_null" && args.size() == 1 && is_col(args[0])) return lo.has_value();
  if (fn == "in" && !args.empty() && is_col(args[0])) {
    for (size_t i = 1; i < args.size(); ++i) {
      if (!outside(args[i])) return false;
    }
    return true;
  }
  if (args.size() != 2) return false;
  std::string op = fn;
  ExprPtr value;
  if (is_col(args[0]) && is_str(args[1])) {
    value = args[1];
  } else if (is_col(args[1]) && is_str(args[0])) {
    value = args[0];
    if (op == "lt") op = "gt";
    else if (op == "le") op = "ge";
    else if (op == "gt") op = "lt";
    else if (op == "ge") op = "le";
  } else {
    return false;
  }
  const std::string& v = value->literal().string_value();
  if (op == "eq") return outside(value);
  if (op == "lt") return lo && *lo >= v;  // every value >= lo >= v
  if (op == "le") return lo && *lo > v;
  if (op == "gt") return hi && *hi <= v;  // every value <= hi <= v
  if (op == "ge") return hi && *hi < v;
  return false;
}

// Drops the segments of `t` whose range shard spec (the key range of their first CLUSTERED BY
// column) proves `t->filter` false for all their rows.
void PruneByClusterRanges(engine::TableInput* t) {
  if (!t->filter) return;
  std::vector<catalog::TimelineEntry> kept;
  for (auto& e : t->segments) {
    const catalog::SegmentInfo& seg = *e.segment;
    int col = -1;
    if (!seg.cluster_column.empty() && (seg.has_range_start || seg.has_range_end)) {
      for (size_t i = 0; i < t->columns.size(); ++i) {
        if (t->columns[i].name == seg.cluster_column && t->columns[i].type == ColumnType::kString) col = static_cast<int>(i);
      }
    }
    std::optional<std::string> lo, hi;
    if (seg.has_range_start) lo = seg.range_start;
    if (seg.has_range_end) hi = seg.range_end;
    if (col >= 0 && RefutedByRange(t->filter, col, lo, hi)) continue;
    kept.push_back(std::move(e));
  }
  t->segments = std::move(kept);
}

}  // namespace

types::Interval TimeBoundsOf(const ExprPtr& predicate, int time_column) {
  std::vector<ExprPtr> conjuncts;
  engine::SplitConjuncts(predicate, &conjuncts);
  int64_t lo = types::kMinInstant, hi = types::kMaxInstant;
  for (const auto& c : conjuncts) {
    if (c->kind() != engine::Expr::Kind::kCall || c->args().size() != 2) continue;
    const ExprPtr& a = c->args()[0];
    const ExprPtr& b = c->args()[1];
    bool left = a->is_column() && a->column_index() == time_column && b->is_literal() && b->literal().is_long();
    bool right = b->is_column() && b->column_index() == time_column && a->is_literal() && a->literal().is_long();
    if (!left && !right) continue;
    int64_t v = left ? b->literal().long_value() : a->literal().long_value();
    std::string op = c->function();
    if (right) {
      if (op == "lt") op = "gt";
      else if (op == "le") op = "ge";
      else if (op == "gt") op = "lt";
      else if (op == "ge") op = "le";
    }
    if (op == "ge") lo = std::max(lo, v);
    else if (op == "gt") lo = std::max(lo, v + 1);
    else if (op == "lt") hi = std::min(hi, v);
    else if (op == "le") hi = std::min(hi, v + 1);
    else if (op == "eq") {
      lo = std::max(lo, v);
      hi = std::min(hi, v + 1);
    }
  }
  if (hi < lo) hi = lo;
  return types::Interval{lo, hi};
}

Result<engine::QueryDefinition> PlanQuery(const LogicalNode& root, const PlannerOptions& options) {
  Planner planner(options);
  ASSIGN_OR_RETURN(Fragment f, planner.Build(root));
  // The result stage: one worker when order matters or only one can run; otherwise the
  // controller concatenates worker outputs in worker order (time order for table scans).
  planner.Seal(std::move(f), ShuffleSpec{});
  engine::QueryDefinition q;
  q.query_id = options.query_id;
  q.stages = planner.TakeStages();
  q.eval_context = options.eval_context;
  return q;
}

Result<engine::QueryDefinition> PlanIngest(const LogicalNode& root, const IngestTarget& target,
                                           const PlannerOptions& options) {
  Planner planner(options);
  ASSIGN_OR_RETURN(Fragment f, planner.Build(root));
  // Reorder to __time first, then the other columns in SELECT order.
  std::vector<ExprPtr> exprs;
  std::vector<Field> fields;
  std::vector<bool> metric;
  if (target.time_column >= 0) {
    exprs.push_back(engine::Expr::Column(target.time_column, ColumnType::kLong, "__time"));
    fields.push_back(Field{"__time", types::SqlType::Of(types::SqlTypeName::kTimestamp), ColumnType::kLong});
  } else {
    exprs.push_back(engine::Expr::Literal(types::Value::Long(0), ColumnType::kLong));
    fields.push_back(Field{"__time", types::SqlType::Of(types::SqlTypeName::kTimestamp), ColumnType::kLong});
  }
  metric.push_back(false);
  std::vector<bool> keep_order(root.fields.size() + 1, false);  // string arrays stored as MVDs
  std::vector<int> new_index(root.fields.size(), -1);
  for (size_t i = 0; i < root.fields.size(); ++i) {
    if (static_cast<int>(i) == target.time_column) {
      new_index[i] = 0;
      continue;
    }
    Field field = root.fields[i];
    new_index[i] = static_cast<int>(fields.size());
    ExprPtr e = engine::Expr::Column(static_cast<int>(i), field.native, field.name);
    if (types::IsArray(field.native) && target.array_ingest_mode != "array") {
      // Druid's rules (DimensionSchemaUtils): only string arrays have another form, as MVDs.
      if (field.native != ColumnType::kStringArray) {
        return Status::InvalidInput("Numeric arrays can only be ingested when 'arrayIngestMode' is set to 'array'. "
                                    "Current value of the parameter is[" + target.array_ingest_mode + "] (column [" +
                                    field.name + "])")
            .WithErrorCode("invalidInput");
      }
      if (target.array_ingest_mode == "none") {
        return Status::InvalidInput("String arrays can not be ingested when 'arrayIngestMode' is set to 'none'. Set "
                                    "'arrayIngestMode' in query context to 'array' to ingest the string array as an "
                                    "array, or ingest it as an MVD by explicitly casting the array to an MVD with the "
                                    "ARRAY_TO_MV function. (column [" + field.name + "])")
            .WithErrorCode("invalidInput");
      }
      ASSIGN_OR_RETURN(e, engine::Expr::Call("array_to_mv", {e}, ColumnType::kString));
      field.native = ColumnType::kString;
      field.type = types::SqlType::Of(types::SqlTypeName::kVarchar);
      keep_order[fields.size()] = true;
    }
    exprs.push_back(std::move(e));
    fields.push_back(field);
    metric.push_back(i < target.metric_columns.size() && target.metric_columns[i]);
  }
  f.ops.push_back(OperatorSpec::Project(exprs));
  f.fields = fields;
  ShuffleSpec shuffle;
  shuffle.kind = ShuffleSpec::Kind::kTimeChunk;
  shuffle.time_column = 0;
  shuffle.segment_granularity = target.segment_granularity;
  shuffle.rows_per_segment = target.rows_per_segment;
  shuffle.allowed_intervals = target.replace_intervals;
  std::vector<engine::SortKey> segment_sort{engine::SortKey::Asc(0)};
  std::vector<std::string> cluster_names;
  for (int c : target.cluster_columns) {
    int idx = new_index[c];
    if (idx == 0) continue;  // __time is always first anyway
    shuffle.cluster_keys.push_back(engine::SortKey::Asc(idx));
    segment_sort.push_back(engine::SortKey::Asc(idx));
    cluster_names.push_back(fields[idx].name);
  }
  std::vector<Field> stage_fields = f.fields;
  int shuffle_stage = planner.Seal(std::move(f), shuffle);

  // Segment generator.
  StageDefinition gen;
  gen.stage_number = shuffle_stage + 1;
  gen.id = options.query_id + "_" + std::to_string(gen.stage_number);
  gen.inputs.push_back(planner.StageInput(shuffle_stage));
  gen.max_worker_count = planner.workers();
  gen.processor_type = "segmentGenerator";
  engine::SegmentGeneratorSpec spec;
  spec.datasource = target.datasource;
  spec.segment_granularity = target.segment_granularity;
  spec.rows_per_segment = target.rows_per_segment;
  spec.cluster_columns = cluster_names;
  spec.segment_sort = segment_sort;
  // Druid's choice of shard spec (ControllerImpl): appends are numbered; a REPLACE clustered by
  // string columns gets range shard specs.
  if (!target.replace) {
    spec.shard_spec_reason = "Using NumberedShardSpec to generate segments since the query is inserting rows.";
  } else if (shuffle.cluster_keys.empty()) {
    spec.shard_spec_reason = "Using NumberedShardSpec as no columns are supplied in the 'CLUSTERED BY' clause.";
  } else {
    bool all_strings = true;
    for (const auto& k : shuffle.cluster_keys) all_strings &= stage_fields[k.column].native == ColumnType::kString;
    if (!all_strings) {
      spec.shard_spec_reason =
          "Cannot use RangeShardSpec, RangedShardSpec only supports string CLUSTER BY keys. Using NumberedShardSpec instead.";
    } else {
      for (const auto& k : shuffle.cluster_keys) spec.range_shard_columns.push_back(k.column);
      spec.shard_spec_reason = "Using RangeShardSpec to generate segments.";
    }
  }
  spec.rollup = target.rollup;
  nlohmann::ordered_json dims = nlohmann::ordered_json::array();
  nlohmann::ordered_json metrics = nlohmann::ordered_json::array();
  nlohmann::ordered_json mappings = nlohmann::ordered_json::array();
  for (size_t i = 0; i < stage_fields.size(); ++i) {
    const Field& fd = stage_fields[i];
    segment::SegmentColumnSchema col{fd.name, fd.native, fd.type.complex_name, metric[i]};
    col.sort_elements = !keep_order[i];
    if (fd.native != ColumnType::kLong && fd.native != ColumnType::kDouble && fd.native != ColumnType::kFloat &&
        fd.native != ColumnType::kString && fd.native != ColumnType::kComplex && !types::IsArray(fd.native)) {
      return Status::InvalidInput("Cannot store column [" + fd.name + "] of type [" + std::string(types::NativeTypeName(fd.native)) +
                                  "] yet")
          .WithErrorCode("invalidInput");
    }
    spec.columns.push_back(col);
    mappings.push_back({{"queryColumn", fd.name}, {"outputColumn", fd.name}});
    if (i == 0) continue;
    if (metric[i]) {
      spec.metrics.push_back(fd.name);
      std::string t = fd.native == ColumnType::kLong ? "longSum" : (fd.native == ColumnType::kComplex ? "hyperUnique" : "doubleSum");
      metrics.push_back({{"type", t}, {"name", fd.name}, {"fieldName", fd.name}});
    } else {
      spec.dimensions.push_back(fd.name);
      std::string t = fd.native == ColumnType::kString ? "string" : (fd.native == ColumnType::kLong ? "long" : (fd.native == ColumnType::kFloat ? "float" : "double"));
      if (types::IsArray(fd.native)) t = "auto";
      nlohmann::ordered_json d = {{"type", t}, {"name", fd.name}};
      if (t == "string") {
        d["multiValueHandling"] = keep_order[i] ? "ARRAY" : "SORTED_ARRAY";
        d["createBitmapIndex"] = true;
      } else if (t == "auto") {
        d["castToType"] = std::string(types::NativeTypeName(fd.native));
      }
      dims.push_back(d);
    }
  }
  nlohmann::ordered_json intervals = nlohmann::ordered_json::array();
  if (target.replace_intervals) {
    for (const auto& iv : *target.replace_intervals) intervals.push_back(iv.ToString());
  } else {
    intervals.push_back(kEternity);
  }
  nlohmann::ordered_json data_schema = {
      {"dataSource", target.datasource},
      {"timestampSpec", {{"column", "__time"}, {"format", "millis"}, {"missingValue", nullptr}}},
      {"dimensionsSpec", {{"dimensions", dims}, {"dimensionExclusions", {"__time"}}, {"includeAllDimensions", false}}},
      {"metricsSpec", metrics},
      {"granularitySpec", {{"type", "arbitrary"}, {"queryGranularity", {{"type", "none"}}}, {"rollup", target.rollup}, {"intervals", intervals}}},
      {"transformSpec", {{"filter", nullptr}, {"transforms", nlohmann::ordered_json::array()}}}};
  nlohmann::ordered_json processor = {
      {"dataSchema", data_schema},
      {"columnMappings", mappings},
      {"tuningConfig", {{"maxNumWorkers", planner.workers()}, {"maxRowsInMemory", 100000}, {"rowsPerSegment", target.rows_per_segment}}}};
  gen.processor_json = processor.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
  gen.segment_generator = std::move(spec);
  engine::QueryDefinition q;
  q.query_id = options.query_id;
  q.stages = planner.TakeStages();
  q.stages.push_back(std::move(gen));
  q.eval_context = options.eval_context;
  return q;
}

}  // namespace strata::sql
