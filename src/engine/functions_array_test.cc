// Kernels of engine/functions_array.cc, called as the binder emits them (no SQL): NULL rows, NULL
// elements, empty arrays, out-of-range positions, and multi-value strings read as arrays.
#include <gtest/gtest.h>

#include "engine/expr.h"
#include "engine/function_registry.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::ColumnPtr;
using columnar::Frame;
using types::ColumnType;
using types::Value;

Value L(int64_t v) { return Value::Long(v); }
Value D(double v) { return Value::Double(v); }
Value S(std::string v) { return Value::String(std::move(v)); }
Value A(std::vector<Value> v) { return Value::Array(std::move(v)); }
const Value kNull = Value::Null();

ExprPtr Col(int i, ColumnType t) { return Expr::Column(i, t, "c" + std::to_string(i)); }
ExprPtr Lit(Value v, ColumnType t) { return Expr::Literal(std::move(v), t); }
ExprPtr Call(const std::string& fn, std::vector<ExprPtr> args, ColumnType t) {
  Result<ExprPtr> e = Expr::Call(fn, std::move(args), t);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return *e;
}

// A column of `type` from values (Value::Null() for a NULL row).
ColumnPtr Column(ColumnType type, const std::vector<Value>& rows) {
  ColumnBuilder b(type);
  for (const Value& v : rows) b.AppendValue(v);
  return b.Finish();
}

// A multi-value string column; an empty row is NULL (as stored).
ColumnPtr MultiValue(const std::vector<std::vector<std::string>>& rows) {
  ColumnBuilder b(ColumnType::kString, /*multi_value=*/true);
  for (const auto& r : rows) {
    std::vector<std::string_view> views(r.begin(), r.end());
    if (r.empty()) b.AppendNull();
    else b.AppendStrings(views);
  }
  return b.Finish();
}

Frame FrameOf(std::vector<ColumnPtr> columns) {
  Frame f;
  f.num_rows = columns.empty() ? 0 : columns[0]->num_rows;
  f.columns = std::move(columns);
  return f;
}

std::vector<Value> Eval(const ExprPtr& e, const Frame& f) {
  Result<ColumnPtr> c = e->Evaluate(f, EvalContext{});
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  std::vector<Value> out;
  if (!c.ok()) return out;
  EXPECT_EQ((*c)->num_rows, f.num_rows);
  for (int64_t i = 0; i < f.num_rows; ++i) out.push_back(columnar::GetValue(**c, i));
  return out;
}

// c0: ARRAY<LONG> [1, NULL, 3], NULL, [], [7]
Frame LongArrays() {
  return FrameOf({Column(ColumnType::kLongArray, {A({L(1), kNull, L(3)}), kNull, A({}), A({L(7)})})});
}

TEST(ArrayFunctionsTest, ConstructorKeepsNullElements) {
  Frame f = FrameOf({Column(ColumnType::kLong, {L(1), kNull}), Column(ColumnType::kString, {S("a"), kNull})});
  EXPECT_EQ(Eval(Call("array", {Col(0, ColumnType::kLong), Lit(L(5), ColumnType::kLong)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(1), L(5)}), A({kNull, L(5)})}));
  EXPECT_EQ(Eval(Call("array", {Col(1, ColumnType::kString)}, ColumnType::kStringArray), f),
            (std::vector<Value>{A({S("a")}), A({kNull})}));
  // Elements are converted to the array's element type.
  EXPECT_EQ(Eval(Call("array", {Col(0, ColumnType::kLong)}, ColumnType::kDoubleArray), f),
            (std::vector<Value>{A({D(1)}), A({kNull})}));
}

TEST(ArrayFunctionsTest, LengthOfNullEmptyAndMultiValueRows) {
  EXPECT_EQ(Eval(Call("array_length", {Col(0, ColumnType::kLongArray)}, ColumnType::kLong), LongArrays()),
            (std::vector<Value>{L(3), kNull, L(0), L(1)}));
  // A multi-value string: NULL when it has no values; a single-valued string is one element.
  Frame mv = FrameOf({MultiValue({{"a", "b"}, {}, {""}}), Column(ColumnType::kString, {S("x"), kNull, S("")})});
  EXPECT_EQ(Eval(Call("array_length", {Col(0, ColumnType::kString)}, ColumnType::kLong), mv),
            (std::vector<Value>{L(2), kNull, L(1)}));
  EXPECT_EQ(Eval(Call("array_length", {Col(1, ColumnType::kString)}, ColumnType::kLong), mv),
            (std::vector<Value>{L(1), kNull, L(1)}));
}

TEST(ArrayFunctionsTest, OffsetAndOrdinalOutOfRangeAreNull) {
  Frame f = LongArrays();
  auto at = [&](const char* fn, Value index) {
    return Eval(Call(fn, {Col(0, ColumnType::kLongArray), Lit(index, ColumnType::kLong)}, ColumnType::kLong), f);
  };
  EXPECT_EQ(at("array_offset", L(0)), (std::vector<Value>{L(1), kNull, kNull, L(7)}));
  EXPECT_EQ(at("array_offset", L(1)), (std::vector<Value>{kNull, kNull, kNull, kNull}));  // a NULL element
  EXPECT_EQ(at("array_offset", L(2)), (std::vector<Value>{L(3), kNull, kNull, kNull}));
  EXPECT_EQ(at("array_offset", L(3)), (std::vector<Value>{kNull, kNull, kNull, kNull}));
  EXPECT_EQ(at("array_offset", L(-1)), (std::vector<Value>{kNull, kNull, kNull, kNull}));
  EXPECT_EQ(at("array_offset", kNull), (std::vector<Value>{kNull, kNull, kNull, kNull}));
  EXPECT_EQ(at("array_ordinal", L(1)), (std::vector<Value>{L(1), kNull, kNull, L(7)}));
  EXPECT_EQ(at("array_ordinal", L(0)), (std::vector<Value>{kNull, kNull, kNull, kNull}));
  // Strings out of a multi-value column.
  Frame mv = FrameOf({MultiValue({{"a", "b"}, {}})});
  EXPECT_EQ(Eval(Call("array_ordinal", {Col(0, ColumnType::kString), Lit(L(2), ColumnType::kLong)}, ColumnType::kString), mv),
            (std::vector<Value>{S("b"), kNull}));
}

TEST(ArrayFunctionsTest, OffsetOfFindsFirstMatchOrNull) {
  Frame f = LongArrays();
  auto of = [&](const char* fn, Value x) {
    return Eval(Call(fn, {Col(0, ColumnType::kLongArray), Lit(x, ColumnType::kLong)}, ColumnType::kLong), f);
  };
  EXPECT_EQ(of("array_offset_of", L(3)), (std::vector<Value>{L(2), kNull, kNull, kNull}));
  EXPECT_EQ(of("array_ordinal_of", L(7)), (std::vector<Value>{kNull, kNull, kNull, L(1)}));
  // Searching NULL finds a NULL element.
  EXPECT_EQ(of("array_offset_of", kNull), (std::vector<Value>{L(1), kNull, kNull, kNull}));
}

TEST(ArrayFunctionsTest, ContainsAndOverlap) {
  // c0: [a, b], NULL, [], [NULL]; c1: [b], [a], [], [NULL]
  Frame f = FrameOf({Column(ColumnType::kStringArray, {A({S("a"), S("b")}), kNull, A({}), A({kNull})}),
                     Column(ColumnType::kStringArray, {A({S("b")}), A({S("a")}), A({}), A({kNull})}),
                     Column(ColumnType::kString, {S("a"), S("a"), S("a"), kNull})});
  auto call = [&](const char* fn, int rhs, ColumnType rhs_type) {
    return Eval(Call(fn, {Col(0, ColumnType::kStringArray), Col(rhs, rhs_type)}, ColumnType::kLong), f);
  };
  // Every array contains the empty array; NULL elements match NULL elements.
  EXPECT_EQ(call("array_contains", 1, ColumnType::kStringArray), (std::vector<Value>{L(1), kNull, L(1), L(1)}));
  EXPECT_EQ(call("array_overlap", 1, ColumnType::kStringArray), (std::vector<Value>{L(1), kNull, L(0), L(1)}));
  // A scalar is an array of one element; a NULL scalar gives NULL.
  EXPECT_EQ(call("array_contains", 2, ColumnType::kString), (std::vector<Value>{L(1), kNull, L(0), kNull}));
}

TEST(ArrayFunctionsTest, AppendPrependConcat) {
  Frame f = FrameOf({Column(ColumnType::kLongArray, {A({L(1)}), kNull, A({})}), Column(ColumnType::kLong, {L(2), L(2), kNull})});
  EXPECT_EQ(Eval(Call("array_append", {Col(0, ColumnType::kLongArray), Col(1, ColumnType::kLong)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(1), L(2)}), kNull, A({kNull})}));
  EXPECT_EQ(Eval(Call("array_prepend", {Col(1, ColumnType::kLong), Col(0, ColumnType::kLongArray)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(2), L(1)}), kNull, A({kNull})}));
  // NULL when either side is NULL.
  EXPECT_EQ(Eval(Call("array_concat", {Col(0, ColumnType::kLongArray), Col(0, ColumnType::kLongArray)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(1), L(1)}), kNull, A({})}));
  EXPECT_EQ(Eval(Call("array_concat", {Col(0, ColumnType::kLongArray), Lit(kNull, ColumnType::kLongArray)}, ColumnType::kLongArray), f),
            (std::vector<Value>{kNull, kNull, kNull}));
  // As a multi-value string (MV_APPEND): elements become text.
  EXPECT_EQ(Eval(Call("array_append", {Col(0, ColumnType::kLongArray), Col(1, ColumnType::kLong)}, ColumnType::kString), f),
            (std::vector<Value>{A({S("1"), S("2")}), kNull, kNull}));
}

TEST(ArrayFunctionsTest, SliceBounds) {
  // c0: [1, 2, 3], NULL
  Frame f = FrameOf({Column(ColumnType::kLongArray, {A({L(1), L(2), L(3)}), kNull})});
  auto slice = [&](std::vector<Value> bounds, ColumnType type = ColumnType::kLongArray) {
    std::vector<ExprPtr> args{Col(0, ColumnType::kLongArray)};
    for (const Value& b : bounds) args.push_back(Lit(b, ColumnType::kLong));
    return Eval(Call("array_slice", std::move(args), type), f);
  };
  EXPECT_EQ(slice({L(1)}), (std::vector<Value>{A({L(2), L(3)}), kNull}));
  EXPECT_EQ(slice({L(1), L(2)}), (std::vector<Value>{A({L(2)}), kNull}));
  EXPECT_EQ(slice({L(3)}), (std::vector<Value>{A({}), kNull}));  // start at the length: empty
  EXPECT_EQ(slice({L(4)}), (std::vector<Value>{kNull, kNull}));  // past the length: NULL
  EXPECT_EQ(slice({L(-1)}), (std::vector<Value>{kNull, kNull}));
  EXPECT_EQ(slice({L(2), L(1)}), (std::vector<Value>{kNull, kNull}));
  EXPECT_EQ(slice({L(2), L(5)}), (std::vector<Value>{A({L(3), kNull, kNull}), kNull}));  // padded, as Java's copyOfRange
  // MV_SLICE: an empty result stays an empty array, apart from NULL.
  Result<ColumnPtr> mv = Call("array_slice", {Col(0, ColumnType::kLongArray), Lit(L(3), ColumnType::kLong)}, ColumnType::kString)
                             ->Evaluate(f, EvalContext{});
  ASSERT_TRUE(mv.ok());
  EXPECT_TRUE((*mv)->multi_value);
  EXPECT_FALSE((*mv)->IsNull(0));
  EXPECT_TRUE((*mv)->IsNull(1));
  EXPECT_EQ(columnar::GetValue(**mv, 0), A({}));
}

TEST(ArrayFunctionsTest, ToStringAndStringToArray) {
  Frame f = FrameOf({Column(ColumnType::kDoubleArray, {A({D(1.5), kNull}), A({kNull}), A({}), kNull})});
  EXPECT_EQ(Eval(Call("array_to_string", {Col(0, ColumnType::kDoubleArray), Lit(S("|"), ColumnType::kString)}, ColumnType::kString), f),
            (std::vector<Value>{S("1.5|null"), kNull, S(""), kNull}));
  // Java's String.split: leading empty pieces stay, trailing ones go, no match gives the input.
  Frame s = FrameOf({Column(ColumnType::kString, {S(",a,,b,,"), S(""), S("abc"), S(","), kNull})});
  EXPECT_EQ(Eval(Call("string_to_array", {Col(0, ColumnType::kString), Lit(S(","), ColumnType::kString)}, ColumnType::kStringArray), s),
            (std::vector<Value>{A({S(""), S("a"), S(""), S("b")}), A({S("")}), A({S("abc")}), A({}), kNull}));
  EXPECT_EQ(Eval(Call("string_to_array", {Col(0, ColumnType::kString), Lit(S(""), ColumnType::kString)}, ColumnType::kStringArray), s)[2],
            A({S("a"), S("b"), S("c")}));
  EXPECT_EQ(Eval(Call("string_to_array", {Col(0, ColumnType::kString), Lit(S("[,b]+"), ColumnType::kString)}, ColumnType::kStringArray), s)[0],
            A({S(""), S("a")}));
}

TEST(ArrayFunctionsTest, MultiValueFiltersAndConversions) {
  Frame f = FrameOf({MultiValue({{"a", "b"}, {"b"}, {}, {"c"}}), Column(ColumnType::kStringArray, {A({S("b")}), A({S("b")}), A({S("b")}), A({S("b")})})});
  // A row left without values is NULL.
  EXPECT_EQ(Eval(Call("mv_filter_only", {Col(0, ColumnType::kString), Col(1, ColumnType::kStringArray)}, ColumnType::kString), f),
            (std::vector<Value>{S("b"), S("b"), kNull, kNull}));
  EXPECT_EQ(Eval(Call("mv_filter_none", {Col(0, ColumnType::kString), Col(1, ColumnType::kStringArray)}, ColumnType::kString), f),
            (std::vector<Value>{S("a"), kNull, kNull, S("c")}));
  // MV_TO_ARRAY keeps a single value an array.
  EXPECT_EQ(Eval(Call("mv_to_array", {Col(0, ColumnType::kString)}, ColumnType::kStringArray), f),
            (std::vector<Value>{A({S("a"), S("b")}), A({S("b")}), kNull, A({S("c")})}));
  // Element conversions: text that is not a number is a NULL element.
  Frame g = FrameOf({Column(ColumnType::kStringArray, {A({S("1"), S("x"), kNull})})});
  EXPECT_EQ(Eval(Call("array_cast", {Col(0, ColumnType::kStringArray)}, ColumnType::kLongArray), g),
            (std::vector<Value>{A({L(1), kNull, kNull})}));
}

TEST(ArrayFunctionsTest, CaseAndCoalesce) {
  Frame f = FrameOf({Column(ColumnType::kLong, {L(1), L(0), kNull}), Column(ColumnType::kLongArray, {A({L(1)}), A({L(2)}), kNull}),
                     Column(ColumnType::kLongArray, {A({}), A({L(9)}), A({L(8)})})});
  EXPECT_EQ(Eval(Call("array_case_searched", {Col(0, ColumnType::kLong), Col(1, ColumnType::kLongArray)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(1)}), kNull, kNull}));
  EXPECT_EQ(Eval(Call("array_case_searched", {Col(0, ColumnType::kLong), Col(1, ColumnType::kLongArray), Col(2, ColumnType::kLongArray)},
                      ColumnType::kLongArray),
                 f),
            (std::vector<Value>{A({L(1)}), A({L(9)}), A({L(8)})}));
  EXPECT_EQ(Eval(Call("array_coalesce", {Col(1, ColumnType::kLongArray), Col(2, ColumnType::kLongArray)}, ColumnType::kLongArray), f),
            (std::vector<Value>{A({L(1)}), A({L(2)}), A({L(8)})}));
}

TEST(ArrayFunctionsTest, ConstantArraysFold) {
  // A call over literals evaluates to a single value, the form the SQL binder folds into a literal.
  EvalContext ctx;
  Result<Value> v = Call("array_append", {Lit(A({S("a"), kNull}), ColumnType::kStringArray), Lit(S("b"), ColumnType::kString)},
                         ColumnType::kStringArray)
                        ->EvaluateConstant(ctx);
  ASSERT_TRUE(v.ok());
  EXPECT_EQ(*v, A({S("a"), kNull, S("b")}));
  // A multi-value string literal evaluates as multi-value (two values), not as text.
  Result<Value> mv = Call("array_length", {Lit(A({S("a"), S("b")}), ColumnType::kString)}, ColumnType::kLong)->EvaluateConstant(ctx);
  ASSERT_TRUE(mv.ok());
  EXPECT_EQ(*mv, L(2));
}

}  // namespace
}  // namespace strata::engine
