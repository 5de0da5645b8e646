#include "engine/aggregation.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/hll.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;
using types::Value;

std::vector<std::vector<Value>> Rows(const std::vector<Frame>& frames) {
  std::vector<std::vector<Value>> rows;
  for (const auto& f : frames) {
    for (int64_t r = 0; r < f.num_rows; ++r) {
      std::vector<Value> row;
      for (int c = 0; c < f.num_columns(); ++c) row.push_back(columnar::GetValue(f.column(c), r));
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a[0].ToString() < b[0].ToString(); });
  return rows;
}

AggregatorSpec Spec(AggregatorKind kind, int input, ColumnType input_type, ColumnType result) {
  AggregatorSpec s;
  s.kind = kind;
  s.input = input;
  s.input_type = input_type;
  s.result_type = result;
  return s;
}

// key STRING, value LONG (with a NULL), time LONG
Frame Input() {
  ColumnBuilder k(ColumnType::kString), v(ColumnType::kLong), t(ColumnType::kLong);
  const char* keys[] = {"a", "b", "a", "a", "b"};
  for (int i = 0; i < 5; ++i) {
    k.AppendString(keys[i]);
    if (i == 3) v.AppendNull();
    else v.AppendLong(i * 10);
    t.AppendLong(100 - i);
  }
  Frame f;
  f.num_rows = 5;
  f.columns = {k.Finish(), v.Finish(), t.Finish()};
  return f;
}

TEST(AggregationTest, GroupsAndNulls) {
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kCount, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kMax, 1, ColumnType::kLong, ColumnType::kLong)};
  AggregatorSpec latest = Spec(AggregatorKind::kLatest, 1, ColumnType::kLong, ColumnType::kLong);
  latest.time_input = 2;
  specs.push_back(latest);
  HashAggregator agg({ColumnType::kString}, specs, false);
  ASSERT_TRUE(agg.Add(Input()).ok());
  auto out = agg.Emit(true, 100);
  ASSERT_TRUE(out.ok());
  auto rows = Rows(*out);
  ASSERT_EQ(rows.size(), 2u);
  // a: rows 0 (0, t=100), 2 (20, t=98), 3 (NULL, t=97) -> latest by time is row 0.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("a"), Value::Long(3), Value::Long(2), Value::Long(20), Value::Long(20),
                                         Value::Long(0)}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("b"), Value::Long(2), Value::Long(2), Value::Long(50), Value::Long(40),
                                         Value::Long(10)}));
}

TEST(AggregationTest, PartialThenMergeEqualsSinglePass) {
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kMin, 1, ColumnType::kLong, ColumnType::kLong)};
  AggregatorSpec earliest = Spec(AggregatorKind::kEarliest, 1, ColumnType::kLong, ColumnType::kLong);
  earliest.time_input = 2;
  specs.push_back(earliest);
  HashAggregator part1({ColumnType::kString}, specs, false), part2({ColumnType::kString}, specs, false);
  Frame in = Input();
  ASSERT_TRUE(part1.Add(columnar::SliceFrame(in, 0, 2)).ok());
  ASSERT_TRUE(part2.Add(columnar::SliceFrame(in, 2, 3)).ok());
  HashAggregator merged({ColumnType::kString}, specs, true);
  for (auto* p : {&part1, &part2}) {
    auto frames = p->Emit(false, 100);
    ASSERT_TRUE(frames.ok());
    for (const auto& f : *frames) ASSERT_TRUE(merged.Add(f).ok());
  }
  auto rows = Rows(*merged.Emit(true, 100));
  ASSERT_EQ(rows.size(), 2u);
  // a: values 0, 20, NULL; earliest time is row 3 (t=97) whose value is NULL.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("a"), Value::Long(20), Value::Long(0), Value::Null()}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("b"), Value::Long(50), Value::Long(10), Value::Long(40)}));
}

TEST(AggregationTest, GlobalAggregateOverNothing) {
  HashAggregator agg({}, {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                          Spec(AggregatorKind::kSum, 0, ColumnType::kLong, ColumnType::kLong)},
                     false);
  agg.EnsureGlobalGroup();
  auto rows = Rows(*agg.Emit(true, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::Long(0), Value::Null()}));
}

TEST(AggregationTest, MultiValueKeysExplode) {
  ColumnBuilder k(ColumnType::kString, true);
  k.AppendStrings({"x", "y"});
  k.AppendStrings({});
  k.AppendStrings({"y"});
  Frame f;
  f.num_rows = 3;
  f.columns = {k.Finish()};
  HashAggregator agg({ColumnType::kString}, {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong)}, false);
  ASSERT_TRUE(agg.Add(f).ok());
  auto rows = Rows(*agg.Emit(true, 10));
  ASSERT_EQ(rows.size(), 3u);
  // Rows sort by their rendering: 'x', 'y', NULL.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("x"), Value::Long(1)}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("y"), Value::Long(2)}));
  EXPECT_EQ(rows[2], (std::vector<Value>{Value::Null(), Value::Long(1)}));
}

TEST(AggregationTest, ApproxDistinctIsExactWhenSmallAndCloseWhenLarge) {
  HllSketch small;
  for (int i = 0; i < 100; ++i) small.AddHash(HashForSketch(static_cast<int64_t>(i % 37)));
  EXPECT_EQ(small.EstimateRounded(), 37);
  HllSketch big, other;
  for (int64_t i = 0; i < 100000; ++i) (i % 2 ? big : other).AddHash(HashForSketch(i));
  big.Merge(other);
  EXPECT_NEAR(big.Estimate(), 100000, 100000 * 0.05);
  std::string bytes;
  big.Serialize(&bytes);
  HllSketch back;
  ASSERT_TRUE(back.Deserialize(bytes));
  EXPECT_EQ(back.EstimateRounded(), big.EstimateRounded());
}

}  // namespace
}  // namespace strata::engine
