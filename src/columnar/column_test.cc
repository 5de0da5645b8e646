#include "columnar/column.h"

#include <gtest/gtest.h>

#include "columnar/frame.h"
#include "columnar/frame_serde.h"

namespace strata::columnar {
namespace {

using types::Value;

Frame SampleFrame() {
  ColumnBuilder longs(ColumnType::kLong);
  longs.AppendLong(1);
  longs.AppendNull();
  longs.AppendLong(-7);
  ColumnBuilder doubles(ColumnType::kDouble);
  doubles.AppendDouble(1.5);
  doubles.AppendDouble(-2.25);
  doubles.AppendNull();
  ColumnBuilder strings(ColumnType::kString);
  strings.AppendString("a");
  strings.AppendString("");
  strings.AppendNull();
  ColumnBuilder mv(ColumnType::kString, /*multi_value=*/true);
  mv.AppendStrings({"x", "y"});
  mv.AppendStrings({});
  mv.AppendStrings({"z"});
  Frame f;
  f.num_rows = 3;
  f.columns = {longs.Finish(), doubles.Finish(), strings.Finish(), mv.Finish()};
  return f;
}

TEST(ColumnTest, BuilderAndValues) {
  Frame f = SampleFrame();
  EXPECT_EQ(GetValue(f.column(0), 0), Value::Long(1));
  EXPECT_TRUE(f.column(0).IsNull(1));
  EXPECT_EQ(GetValue(f.column(1), 1), Value::Double(-2.25));
  EXPECT_TRUE(f.column(1).IsNull(2));
  EXPECT_EQ(GetValue(f.column(2), 1), Value::String(""));
  EXPECT_FALSE(f.column(2).IsNull(1));
  EXPECT_TRUE(f.column(2).IsNull(2));
  EXPECT_EQ(GetValue(f.column(3), 0), Value::Array({Value::String("x"), Value::String("y")}));
  EXPECT_TRUE(f.column(3).IsNull(1));
  EXPECT_EQ(GetValue(f.column(3), 2), Value::String("z"));
}

TEST(ColumnTest, GatherSliceConcat) {
  Frame f = SampleFrame();
  Frame g = GatherFrame(f, {2, 0, 0});
  EXPECT_EQ(FrameToString(g), "-7|NULL|NULL|'z'\n1|1.5|'a'|['x', 'y']\n1|1.5|'a'|['x', 'y']\n");
  Frame s = SliceFrame(f, 1, 2);
  EXPECT_EQ(s.num_rows, 2);
  EXPECT_EQ(FrameToString(s), "NULL|-2.25|''|NULL\n-7|NULL|NULL|'z'\n");
  Frame c = ConcatFrames({s, g});
  EXPECT_EQ(c.num_rows, 5);
  EXPECT_EQ(FrameToString(c), FrameToString(s) + FrameToString(g));
}

TEST(ColumnTest, CompactCopyOwnsItsStrings) {
  Frame f = SampleFrame();
  ASSERT_FALSE(f.column(2).owners.empty());
  std::weak_ptr<const void> source_bytes = f.column(2).owners[0];
  ColumnPtr copy = CompactCopy(*Gather(f.column(2), {0, 2, 1}));
  ColumnPtr mv_copy = CompactCopy(f.column(3));
  f = Frame();  // the source strings are gone
  EXPECT_TRUE(source_bytes.expired());  // the copies hold none of the source's buffers
  EXPECT_EQ(GetValue(*copy, 0), Value::String("a"));
  EXPECT_TRUE(copy->IsNull(1));
  EXPECT_EQ(GetValue(*copy, 2), Value::String(""));
  EXPECT_FALSE(copy->IsNull(2));
  EXPECT_EQ(GetValue(*mv_copy, 0), Value::Array({Value::String("x"), Value::String("y")}));
  EXPECT_TRUE(mv_copy->IsNull(1));
  EXPECT_EQ(copy->owners.size(), 1u);
}

TEST(ColumnTest, ArrayElementNullsFromTheFirstElement) {
  // A NULL as the very first element must be remembered (element_nulls starts empty).
  for (ColumnType type : {ColumnType::kLongArray, ColumnType::kDoubleArray, ColumnType::kStringArray}) {
    ColumnBuilder b(type);
    Value one = type == ColumnType::kStringArray ? Value::String("x") : Value::Long(1);
    b.AppendValue(Value::Array({Value::Null(), one}));
    b.AppendValue(Value::Array({one, Value::Null()}));
    b.AppendNull();
    ColumnPtr c = b.Finish();
    Value first = GetValue(*c, 0);
    ASSERT_TRUE(first.is_array());
    EXPECT_TRUE(first.array_value()[0].is_null()) << static_cast<int>(type);
    EXPECT_FALSE(first.array_value()[1].is_null());
    EXPECT_TRUE(GetValue(*c, 1).array_value()[1].is_null());
    EXPECT_TRUE(c->IsNull(2));
  }
}

TEST(ColumnTest, ConcatSingleIntoMultiValue) {
  ColumnBuilder single(ColumnType::kString);
  single.AppendString("p");
  single.AppendNull();
  ColumnBuilder mv(ColumnType::kString, true);
  mv.AppendStrings({"q", "r"});
  ColumnPtr c = Concat({single.Finish(), mv.Finish()});
  ASSERT_EQ(c->num_rows, 3);
  EXPECT_EQ(GetValue(*c, 0), Value::String("p"));
  EXPECT_TRUE(c->IsNull(1));
  EXPECT_EQ(GetValue(*c, 2), Value::Array({Value::String("q"), Value::String("r")}));
}

// A multi-value column with a null vector (expression results such as MV_SLICE): rows without
// elements are empty arrays unless marked NULL, and that survives Concat and Gather.
TEST(ColumnTest, MultiValueEmptyArrayApartFromNull) {
  ColumnBuilder b(ColumnType::kString, true);
  b.AppendStrings({});
  b.AppendStrings({});
  b.AppendStrings({"x"});
  auto with_nulls = std::make_shared<Column>(*b.Finish());
  with_nulls->nulls = {0, 1, 0};
  EXPECT_FALSE(with_nulls->IsNull(0));
  EXPECT_TRUE(with_nulls->IsNull(1));
  EXPECT_EQ(GetValue(*with_nulls, 0), Value::Array({}));
  ColumnBuilder stored(ColumnType::kString, true);  // no null vector: no elements is NULL
  stored.AppendStrings({});
  stored.AppendStrings({"y", "z"});
  ColumnPtr c = Concat({with_nulls, stored.Finish()});
  ASSERT_EQ(c->num_rows, 5);
  EXPECT_FALSE(c->IsNull(0));
  EXPECT_TRUE(c->IsNull(1));
  EXPECT_TRUE(c->IsNull(3));
  EXPECT_EQ(GetValue(*c, 4), Value::Array({Value::String("y"), Value::String("z")}));
  ColumnPtr g = Gather(*c, {3, 0});
  EXPECT_TRUE(g->IsNull(0));
  EXPECT_FALSE(g->IsNull(1));
}

// A multi-value constant (a folded STRING_TO_MV) is a multi-value column, not the array's text.
TEST(ColumnTest, MultiValueConstant) {
  ColumnPtr c = MakeConstantColumn(Value::Array({Value::String("a"), Value::String("b")}), ColumnType::kString, 2);
  EXPECT_TRUE(c->multi_value);
  EXPECT_EQ(GetValue(*c, 1), Value::Array({Value::String("a"), Value::String("b")}));
  ColumnPtr empty = MakeConstantColumn(Value::Array({}), ColumnType::kString, 1);
  EXPECT_FALSE(empty->IsNull(0));
  EXPECT_EQ(GetValue(*empty, 0), Value::Array({}));
}

TEST(FrameSerdeTest, RoundTrip) {
  Frame f = SampleFrame();
  auto buf = std::make_shared<std::string>();
  SerializeFrame(f, buf.get());
  Result<Frame> back = DeserializeFrame(buf);
  ASSERT_TRUE(back.ok()) << back.status().ToString();
  EXPECT_EQ(FrameToString(*back), FrameToString(f));
  EXPECT_FALSE(back->column(2).IsNull(1));  // empty string survives as non-null
  EXPECT_TRUE(back->column(2).IsNull(2));
}

TEST(FrameSerdeTest, RejectsTruncated) {
  Frame f = SampleFrame();
  auto buf = std::make_shared<std::string>();
  SerializeFrame(f, buf.get());
  auto cut = std::make_shared<std::string>(buf->substr(0, buf->size() - 3));
  EXPECT_EQ(DeserializeFrame(cut).status().code(), StatusCode::kCorruption);
}

}  // namespace
}  // namespace strata::columnar

namespace strata::columnar {
namespace {
TEST(ColumnTest, FirstRowNull) {
  for (ColumnType type : {ColumnType::kLong, ColumnType::kDouble}) {
    ColumnBuilder b(type);
    b.AppendNull();
    b.AppendLong(3);
    ColumnPtr c = b.Finish();
    EXPECT_TRUE(c->IsNull(0));
    EXPECT_FALSE(c->IsNull(1));
    ASSERT_EQ(c->nulls.size(), 2u);
  }
}
}  // namespace
}  // namespace strata::columnar
