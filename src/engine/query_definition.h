// QueryDefinition: the stage graph every query and ingestion compiles to (the planner in sql/
// builds it; the controller runs it). Shaped like Druid MSQ's QueryDefinition/StageDefinition so
// the task report can show it (spec §5.3).
//
// A stage reads its inputs (external files, datasource segments, inline rows, or the output
// partitions of earlier stages), pushes the frames through a pipeline of operators, and writes its
// output through a shuffle: one unsorted partition, hash partitions, one globally sorted
// partition, or — for INSERT/REPLACE — partitions per time chunk and CLUSTERED BY range, sorted.
// The last stage of an ingestion is a segment generator, which writes segment files.
//
// Lifetimes: a QueryDefinition is immutable once built and shared (shared_ptr) by the controller
// and its workers. See docs/engine.md for the controller/worker/stage life cycle.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "catalog/timeline.h"
#include "columnar/frame.h"
#include "engine/aggregation.h"
#include "engine/expr.h"
#include "engine/sort.h"
#include "input/input_format.h"
#include "input/input_source.h"
#include "segment/segment_writer.h"
#include "types/granularity.h"

namespace strata::engine {

struct ColumnSignature {
  std::string name;
  ColumnType type = ColumnType::kString;
  std::string complex_type;
};
using Signature = std::vector<ColumnSignature>;

/// Druid's JSON form of a signature: [{"name":"x","type":"STRING"}, ...].
std::string SignatureToJson(const Signature& signature);

// --------------------------------------------------------------------------------------------
// Inputs

struct ExternalInput {
  std::shared_ptr<const input::InputSource> source;
  input::InputFormatSpec format;
  std::vector<input::InputColumn> signature;
};

struct TableInput {
  std::string datasource;
  /// Query intervals (from the __time filter); segments and rows outside them are skipped.
  std::vector<types::Interval> intervals;
  /// The visible segments (a timeline snapshot taken at planning), clipped to `intervals`.
  std::vector<catalog::TimelineEntry> segments;
  /// Columns read, in frame order; a column a segment lacks reads as NULL.
  Signature columns;
  /// Columns only `filter` reads (numbered after `columns` in it): read when a segment's indexes
  /// cannot answer the filter, never emitted.
  Signature filter_columns;
  /// Filter over `columns` and `filter_columns` that segments may answer with their indexes (may
  /// be null). Rows failing it are dropped by the scan; the pipeline need not filter again.
  ExprPtr filter;
  /// The consumer only takes MIN/MAX of __time: a scan may emit just the first and last matching
  /// row of each time range (rows are time-sorted within a segment).
  bool time_extremes_only = false;
  /// The pipeline reads no column (only the filter does): when the filter is answered by indexes,
  /// a scan may emit row counts (frames without columns) instead of rows.
  bool rows_only = false;
  /// String columns the pipeline uses only as group keys: a scan may leave them dictionary ids
  /// without materialized strings (columnar/column.h).
  std::vector<std::string> ids_only_columns;
};

struct InlineInput {
  Signature signature;
  std::vector<columnar::Frame> frames;
};

struct InputSpec {
  enum class Kind { kExternal, kTable, kStage, kInline };
  Kind kind = Kind::kInline;
  ExternalInput external;
  TableInput table;
  int stage = -1;
  /// A join's build side, read whole by every worker.
  bool broadcast = false;
  /// A join's build side partitioned like the probe input (input 0): a worker reads partition p of
  /// it while it reads partition p of the probe input.
  bool copartitioned = false;
  InlineInput inline_rows;
};

// --------------------------------------------------------------------------------------------
// Operators of a stage pipeline

struct AggregateSpec {
  /// Key columns are [0, key_types.size()) of the operator's input, aggregator inputs follow.
  std::vector<ColumnType> key_types;
  std::vector<AggregatorSpec> aggregators;
  /// Input holds intermediate results of an earlier aggregation (post-shuffle).
  bool merge = false;
  /// Emit final values (else intermediate columns for a later merge).
  bool final = true;
  /// With no keys, produce one row even without input (aggregate over an empty table).
  bool emit_empty_group = false;
};

/// A hash join of the rows flowing through the pipeline (the probe side) with the rows of another
/// stage input (the build side), loaded whole (a broadcast input) or one partition at a time
/// (co-partitioned inputs: both sides hash-shuffled on their keys into the same partitions).
/// Output rows: the probe columns, then the build columns.
struct JoinSpec {
  enum class Type { kInner, kLeft, kRight, kFull };
  Type type = Type::kInner;
  std::vector<int> probe_keys;   // key columns of the probe frames (none: every pair, a cross join)
  std::vector<int> build_keys;   // matching key columns of the build frames (same types)
  std::vector<bool> null_equal;  // per key: NULL matches NULL (IS NOT DISTINCT FROM)
  int build_input = 1;           // the stage input holding the build side
  bool copartitioned = false;    // the build side comes one partition at a time (else whole)
  Signature probe_signature;     // for NULL probe columns of unmatched build rows (RIGHT, FULL)
  Signature build_signature;     // for NULL build columns of unmatched probe rows (LEFT, FULL)
  /// Condition on the joined row (probe columns, then build columns) beyond the key equalities;
  /// a pair that fails it does not match. May be null.
  ExprPtr condition;
};

/// GROUPING SETS / ROLLUP / CUBE: every input row is repeated once per grouping set, with the
/// key columns outside the set NULL and the set's grouping id (bit k-1-j set when key j is not in
/// the set, Calcite's GROUPING_ID) inserted as a LONG column after the keys.
struct ExpandSpec {
  int num_keys = 0;                           // key columns [0, num_keys) of the input
  std::vector<std::vector<int>> sets;         // key indexes in each set
};

struct OperatorSpec {
  enum class Kind { kFilter, kProject, kAggregate, kSort, kLimit, kExplodeMultiValue, kHashJoin, kExpand };
  Kind kind = Kind::kFilter;
  ExprPtr predicate;               // kFilter
  std::vector<ExprPtr> exprs;      // kProject
  AggregateSpec aggregate;         // kAggregate
  std::vector<SortKey> sort_keys;  // kSort (a blocking sort of this worker's rows)
  int64_t offset = 0;              // kLimit
  int64_t limit = -1;              // kLimit, and kSort: keep only the first `limit` rows (-1: all)
  std::vector<int> columns;        // kExplodeMultiValue: columns to unnest
  JoinSpec join;                   // kHashJoin
  ExpandSpec expand;               // kExpand

  static OperatorSpec Filter(ExprPtr p) {
    OperatorSpec o;
    o.kind = Kind::kFilter;
    o.predicate = std::move(p);
    return o;
  }
  static OperatorSpec Project(std::vector<ExprPtr> exprs) {
    OperatorSpec o;
    o.kind = Kind::kProject;
    o.exprs = std::move(exprs);
    return o;
  }
  static OperatorSpec Aggregate(AggregateSpec spec) {
    OperatorSpec o;
    o.kind = Kind::kAggregate;
    o.aggregate = std::move(spec);
    return o;
  }
  static OperatorSpec Sort(std::vector<SortKey> keys, int64_t limit = -1) {
    OperatorSpec o;
    o.kind = Kind::kSort;
    o.sort_keys = std::move(keys);
    o.limit = limit;
    return o;
  }
  static OperatorSpec Expand(ExpandSpec expand) {
    OperatorSpec o;
    o.kind = Kind::kExpand;
    o.expand = std::move(expand);
    return o;
  }
  static OperatorSpec HashJoin(JoinSpec join) {
    OperatorSpec o;
    o.kind = Kind::kHashJoin;
    o.join = std::move(join);
    return o;
  }
  static OperatorSpec Limit(int64_t offset, int64_t limit) {
    OperatorSpec o;
    o.kind = Kind::kLimit;
    o.offset = offset;
    o.limit = limit;
    return o;
  }
};

// --------------------------------------------------------------------------------------------
// Shuffle

struct ShuffleSpec {
  enum class Kind {
    kNone,       // one partition, unsorted (results, or input to a single consumer)
    kHash,       // `num_partitions` partitions by hash of `keys` columns, unsorted
    kSort,       // one partition sorted by `keys`
    kTimeChunk,  // ingestion: partitions per time chunk (and cluster-key range), rows in arrival order
  };
  Kind kind = Kind::kNone;
  std::vector<SortKey> keys;
  int num_partitions = 1;

  // kTimeChunk
  int time_column = 0;
  types::Granularity segment_granularity = types::Granularity::All();
  std::vector<SortKey> cluster_keys;
  int64_t rows_per_segment = 3000000;
  /// REPLACE OVERWRITE WHERE: rows must fall inside these (else InsertTimeOutOfBounds).
  std::optional<std::vector<types::Interval>> allowed_intervals;

  /// Partitions are sorted by `keys` (consumers of several workers' parts merge them).
  bool sorted() const { return kind == Kind::kSort; }
};

// --------------------------------------------------------------------------------------------
// Segment generation

struct SegmentGeneratorSpec {
  std::string datasource;
  /// Output columns in stage input order: __time first, then dimensions, then metrics.
  std::vector<segment::SegmentColumnSchema> columns;
  std::vector<std::string> dimensions;
  std::vector<std::string> metrics;
  types::Granularity segment_granularity = types::Granularity::All();
  int64_t rows_per_segment = 3000000;
  std::vector<std::string> cluster_columns;
  /// Range shard columns (indexes into `columns`): the CLUSTERED BY string columns of a REPLACE,
  /// whose segments get Druid's range shard specs (a key range per segment of a time chunk, used
  /// to prune segments by filters). Empty: numbered shard specs, for `shard_spec_reason`.
  std::vector<int> range_shard_columns;
  std::string shard_spec_reason;
  /// Sort order inside each segment (column indexes): __time then the CLUSTERED BY columns.
  std::vector<SortKey> segment_sort;
  bool rollup = false;
  std::string query_granularity = "none";
  /// JSON echoed in the report's processor.dataSchema etc.
  std::string description_json;
};

// --------------------------------------------------------------------------------------------
// Stages

struct StageDefinition {
  int stage_number = 0;
  std::string id;  // "<queryId>_<stageNumber>"
  std::vector<InputSpec> inputs;
  std::vector<OperatorSpec> operators;
  std::optional<SegmentGeneratorSpec> segment_generator;
  Signature signature;  // output columns
  ShuffleSpec shuffle;
  int max_worker_count = 1;
  /// Processor type shown in reports: "scan", "groupByPreShuffle", "groupByPostShuffle",
  /// "limit", "segmentGenerator", ... and a JSON description of it.
  std::string processor_type = "scan";
  std::string processor_json;
};

struct QueryDefinition {
  std::string query_id;
  std::vector<StageDefinition> stages;
  EvalContext eval_context;
  /// Final stage whose output is the query result (or the segment generator).
  int final_stage() const { return static_cast<int>(stages.size()) - 1; }
};

/// The JSON of one stage definition as the MSQ report shows it ("definition" of a stage).
std::string StageDefinitionToJson(const StageDefinition& stage);

}  // namespace strata::engine
