// Hash aggregation: the shared core of GROUP BY in every stage (partial aggregation before a
// shuffle, final aggregation after it, rollup at ingestion).
//
// Input frames hold the group keys in columns [0, num_keys) followed by the aggregator inputs
// (the planner projects them there). In raw mode aggregators read raw inputs (AggregatorSpec.input,
// .time_input, .filter); in merge mode they read intermediate columns as produced by
// EmitIntermediate of an earlier aggregation. Output: key columns, then each aggregator's
// intermediate columns (EmitIntermediate) or final value (EmitFinal).
//
// Multi-value string keys explode: a row with values [a, b] counts in group a and in group b;
// a row without values groups under NULL (Druid's behaviour).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "engine/group_keys.h"
#include "types/data_type.h"

namespace strata::engine {

using types::ColumnType;

enum class AggregatorKind : uint8_t {
  kCount,           // COUNT(*) (input -1) or COUNT(x) (non-null x)
  kSum,
  kMin,
  kMax,
  kEarliest,        // value at the smallest time (time_input), ignoring NULL values
  kLatest,          // value at the largest time
  kAnyValue,
  kApproxDistinct,  // HLL sketch; final = estimate (LONG)
  kSketch,          // HLL sketch kept as a sketch (COMPLEX) for rollup with finalizeAggregations=false
  kArrayAgg,        // ARRAY_AGG: the values (NULL too) as an array; `distinct`: sorted, unique
  kStringAgg,       // STRING_AGG / LISTAGG: non-NULL values joined by `separator`; `distinct` as above
  kCountDistinct,   // exact COUNT(DISTINCT): the number of distinct non-NULL values
  kBitAnd,          // BIT_AND / BIT_OR / BIT_XOR over non-NULL longs
  kBitOr,
  kBitXor,
};

struct AggregatorSpec {
  AggregatorKind kind = AggregatorKind::kCount;
  std::string name;
  int input = -1;       // raw input column (-1: COUNT(*))
  int time_input = -1;  // raw time column for EARLIEST/LATEST
  int filter = -1;      // raw BOOLEAN column: only rows where it is true count (FILTER (WHERE ...))
  ColumnType input_type = ColumnType::kLong;
  ColumnType result_type = ColumnType::kLong;
  int64_t max_string_bytes = 1024;
  bool distinct = false;   // kArrayAgg, kStringAgg
  std::string separator;   // kStringAgg

  /// Number of intermediate columns (2 for EARLIEST/LATEST: value and time).
  int num_intermediate() const {
    return kind == AggregatorKind::kEarliest || kind == AggregatorKind::kLatest ? 2 : 1;
  }
  /// Type of intermediate column `i`.
  ColumnType IntermediateType(int i) const;
  /// Druid-style description for reports and EXPLAIN, e.g. {"type":"longSum","name":"a0","fieldName":"added"}.
  std::string ToJson(const std::vector<std::string>& input_names) const;
};

class Accumulator;

class HashAggregator {
 public:
  /// `key_types` are the types of the key columns [0, num_keys); `merge` selects merge mode.
  HashAggregator(std::vector<ColumnType> key_types, std::vector<AggregatorSpec> aggregators, bool merge);
  ~HashAggregator();

  /// Partial aggregation with one string key: group dictionary-encoded keys by dictionary id and
  /// move the groups of one dictionary to TakeFlushed() when rows of another arrive (segments
  /// have their own dictionaries; the final aggregation merges). Skips hashing each segment's
  /// distinct values; suits a pre-shuffle aggregation, whose output is merged anyway.
  void GroupByDictionary();
  /// Aggregates one frame.
  Status Add(const columnar::Frame& frame);
  /// Intermediate frames emitted early by GroupByDictionary (cleared by the call).
  std::vector<columnar::Frame> TakeFlushed() {
    std::vector<columnar::Frame> out;
    out.swap(flushed_);
    return out;
  }
  int64_t num_groups() const;
  /// Approximate memory held (for spilling decisions and counters).
  int64_t memory_bytes() const;
  /// When there are no keys, the single group exists even without input (SQL: aggregates over an
  /// empty table return one row).
  void EnsureGlobalGroup();

  /// Emits all groups in frames of at most `max_rows`; with `final` the aggregators' final values,
  /// else their intermediate columns. The aggregator is emptied.
  Result<std::vector<columnar::Frame>> Emit(bool final, int64_t max_rows);

 private:
  std::vector<ColumnType> key_types_;
  std::vector<AggregatorSpec> specs_;
  bool merge_;
  std::vector<std::unique_ptr<Accumulator>> accumulators_;
  std::unique_ptr<GroupKeyTable> keys_;
  std::vector<uint32_t> groups_;  // scratch: group of each row of the frame being added
  std::vector<columnar::Frame> flushed_;
  bool group_by_dictionary_ = false;
};

}  // namespace strata::engine
