#include "engine/hash_join.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "engine/internal/test_sink.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;

// (key, value) rows; key "" means NULL.
Frame KeyValues(const std::vector<std::pair<std::string, int64_t>>& rows) {
  ColumnBuilder k(ColumnType::kString), v(ColumnType::kLong);
  for (const auto& [key, value] : rows) {
    if (key.empty()) k.AppendNull();
    else k.AppendString(key);
    v.AppendLong(value);
  }
  Frame f;
  f.num_rows = static_cast<int64_t>(rows.size());
  f.columns = {k.Finish(), v.Finish()};
  return f;
}

std::vector<std::string> Join(JoinSpec::Type type, bool null_equal, ExprPtr condition = nullptr) {
  JoinSpec spec;
  spec.type = type;
  spec.probe_keys = {0};
  spec.build_keys = {0};
  spec.null_equal = {null_equal};
  spec.probe_signature = {{"k", ColumnType::kString, ""}, {"v", ColumnType::kLong, ""}};
  spec.build_signature = spec.probe_signature;
  spec.condition = std::move(condition);
  Frame build = KeyValues({{"a", 10}, {"a", 11}, {"b", 20}, {"", 30}, {"z", 40}});
  BuildLoader loader = [&](int input, int partition) -> Result<std::vector<Frame>> {
    EXPECT_EQ(input, 1);
    EXPECT_EQ(partition, -1);
    return std::vector<Frame>{build};
  };
  EvalContext ctx;
  test_util::TextRowSink sink;
  auto join = MakeHashJoinOperator(spec, &ctx, loader, &sink);
  EXPECT_TRUE(join->Push(KeyValues({{"a", 1}, {"b", 2}, {"c", 3}})).ok());
  EXPECT_TRUE(join->Push(KeyValues({{"", 4}, {"a", 5}})).ok());
  EXPECT_TRUE(join->Finish().ok());
  return sink.rows;
}

TEST(HashJoinTest, JoinTypesAndNullKeys) {
  using T = JoinSpec::Type;
  EXPECT_EQ(Join(T::kInner, false), (std::vector<std::string>{"'a'|1|'a'|10", "'a'|1|'a'|11", "'a'|5|'a'|10",
                                                               "'a'|5|'a'|11", "'b'|2|'b'|20"}));
  // NULL keys match nothing, except with IS NOT DISTINCT FROM.
  EXPECT_EQ(Join(T::kInner, true).size(), 6u);
  EXPECT_EQ(Join(T::kLeft, false), (std::vector<std::string>{"'a'|1|'a'|10", "'a'|1|'a'|11", "'a'|5|'a'|10",
                                                              "'a'|5|'a'|11", "'b'|2|'b'|20", "'c'|3|NULL|NULL",
                                                              "NULL|4|NULL|NULL"}));
  EXPECT_EQ(Join(T::kRight, false), (std::vector<std::string>{"'a'|1|'a'|10", "'a'|1|'a'|11", "'a'|5|'a'|10",
                                                               "'a'|5|'a'|11", "'b'|2|'b'|20", "NULL|NULL|'z'|40",
                                                               "NULL|NULL|NULL|30"}));
  EXPECT_EQ(Join(T::kFull, false).size(), 9u);
}

TEST(HashJoinTest, ConditionDecidesWhatMatches) {
  // ON p.k = b.k AND b.v > p.v * 10: "a"|1 matches 11 only; "a"|5 matches nothing (kept by LEFT).
  ExprPtr probe_v = Expr::Column(1, ColumnType::kLong, "v");
  ExprPtr build_v = Expr::Column(3, ColumnType::kLong, "v0");
  ExprPtr ten = Expr::Literal(types::Value::Long(10), ColumnType::kLong);
  auto times = Expr::Call("multiply", {probe_v, ten}, ColumnType::kLong);
  ASSERT_TRUE(times.ok());
  auto gt = Expr::Call("gt", {build_v, *times}, ColumnType::kLong);
  ASSERT_TRUE(gt.ok());
  EXPECT_EQ(Join(JoinSpec::Type::kLeft, false, *gt),
            (std::vector<std::string>{"'a'|1|'a'|11", "'a'|5|NULL|NULL", "'b'|2|NULL|NULL", "'c'|3|NULL|NULL",
                                      "NULL|4|NULL|NULL"}));
}

TEST(HashJoinTest, CopartitionedBuildSidesLoadPerPartition) {
  JoinSpec spec;
  spec.type = JoinSpec::Type::kFull;
  spec.probe_keys = {0};
  spec.build_keys = {0};
  spec.copartitioned = true;
  spec.probe_signature = {{"k", ColumnType::kString, ""}, {"v", ColumnType::kLong, ""}};
  spec.build_signature = spec.probe_signature;
  std::vector<int> loaded;
  BuildLoader loader = [&](int, int partition) -> Result<std::vector<Frame>> {
    loaded.push_back(partition);
    if (partition == 0) return std::vector<Frame>{KeyValues({{"a", 10}, {"x", 11}})};
    return std::vector<Frame>{KeyValues({{"b", 20}})};
  };
  EvalContext ctx;
  test_util::TextRowSink sink;
  auto join = MakeHashJoinOperator(spec, &ctx, loader, &sink);
  ASSERT_TRUE(join->StartPartition(0).ok());
  ASSERT_TRUE(join->Push(KeyValues({{"a", 1}})).ok());
  ASSERT_TRUE(join->EndOfPartition().ok());
  ASSERT_TRUE(join->StartPartition(1).ok());  // no probe rows: the build rows come out unmatched
  ASSERT_TRUE(join->EndOfPartition().ok());
  ASSERT_TRUE(join->Finish().ok());
  EXPECT_EQ(loaded, (std::vector<int>{0, 1}));
  EXPECT_EQ(sink.rows, (std::vector<std::string>{"'a'|1|'a'|10", "NULL|NULL|'b'|20", "NULL|NULL|'x'|11"}));
}

}  // namespace
}  // namespace strata::engine
