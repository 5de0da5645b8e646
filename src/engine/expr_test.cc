#include "engine/expr.h"

#include <gtest/gtest.h>

#include <cmath>

#include "engine/function_registry.h"
#include "engine/like_matcher.h"
#include "types/time.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;
using types::Value;

ExprPtr Lit(Value v, ColumnType t) { return Expr::Literal(std::move(v), t); }
ExprPtr Col(int i, ColumnType t) { return Expr::Column(i, t, "c" + std::to_string(i)); }
ExprPtr Call(const std::string& fn, std::vector<ExprPtr> args, ColumnType t) {
  Result<ExprPtr> e = Expr::Call(fn, std::move(args), t);
  EXPECT_TRUE(e.ok()) << e.status().ToString();
  return *e;
}

// Frame: c0 LONG [1, NULL, -3], c1 DOUBLE [0.5, 2, NULL], c2 STRING ['abc', '', NULL].
Frame Sample() {
  ColumnBuilder l(ColumnType::kLong), d(ColumnType::kDouble), s(ColumnType::kString);
  l.AppendLong(1);
  l.AppendNull();
  l.AppendLong(-3);
  d.AppendDouble(0.5);
  d.AppendDouble(2);
  d.AppendNull();
  s.AppendString("abc");
  s.AppendString("");
  s.AppendNull();
  Frame f;
  f.num_rows = 3;
  f.columns = {l.Finish(), d.Finish(), s.Finish()};
  return f;
}

std::vector<Value> Eval(const ExprPtr& e, const Frame& f, const EvalContext& ctx = EvalContext{}) {
  Result<columnar::ColumnPtr> c = e->Evaluate(f, ctx);
  EXPECT_TRUE(c.ok()) << c.status().ToString();
  std::vector<Value> out;
  for (int64_t i = 0; i < f.num_rows; ++i) out.push_back(columnar::GetValue(**c, i));
  return out;
}

TEST(ExprTest, ArithmeticPropagatesNulls) {
  Frame f = Sample();
  EXPECT_EQ(Eval(Call("add", {Col(0, ColumnType::kLong), Lit(Value::Long(10), ColumnType::kLong)}, ColumnType::kLong), f),
            (std::vector<Value>{Value::Long(11), Value::Null(), Value::Long(7)}));
  EXPECT_EQ(Eval(Call("multiply", {Col(1, ColumnType::kDouble), Lit(Value::Double(2), ColumnType::kDouble)}, ColumnType::kDouble), f),
            (std::vector<Value>{Value::Double(1), Value::Double(4), Value::Null()}));
  // Integer division by zero is NULL; double division follows IEEE.
  EXPECT_EQ(Eval(Call("divide", {Col(0, ColumnType::kLong), Lit(Value::Long(0), ColumnType::kLong)}, ColumnType::kLong), f)[0],
            Value::Null());
  EXPECT_EQ(Eval(Call("divide", {Col(0, ColumnType::kLong), Lit(Value::Long(2), ColumnType::kLong)}, ColumnType::kLong), f)[2],
            Value::Long(-1));
}

TEST(ExprTest, CastsFollowJava) {
  Frame one;
  one.num_rows = 1;
  EvalContext ctx;
  auto cast = [&](Value v, ColumnType from, ColumnType to) {
    return *Call(to == ColumnType::kLong ? "cast_long" : (to == ColumnType::kString ? "cast_string" : "cast_double"),
                 {Lit(v, from)}, to)
                ->EvaluateConstant(ctx);
  };
  EXPECT_EQ(cast(Value::Double(1.0 / 0.0), ColumnType::kDouble, ColumnType::kLong), Value::Long(INT64_MAX));
  EXPECT_EQ(cast(Value::Double(-1.0 / 0.0), ColumnType::kDouble, ColumnType::kLong), Value::Long(INT64_MIN));
  EXPECT_EQ(cast(Value::Double(std::nan("")), ColumnType::kDouble, ColumnType::kLong), Value::Long(0));
  EXPECT_EQ(cast(Value::String("12"), ColumnType::kString, ColumnType::kLong), Value::Long(12));
  EXPECT_EQ(cast(Value::String("1.9"), ColumnType::kString, ColumnType::kLong), Value::Long(1));
  EXPECT_EQ(cast(Value::String("x"), ColumnType::kString, ColumnType::kLong), Value::Null());
  EXPECT_EQ(cast(Value::Double(10.0), ColumnType::kDouble, ColumnType::kString), Value::String("10.0"));
  EXPECT_EQ(cast(Value::Double(1e20), ColumnType::kDouble, ColumnType::kString), Value::String("1.0E20"));
}

TEST(ExprTest, ThreeValuedLogic) {
  Frame f = Sample();
  ExprPtr gt = Call("gt", {Col(0, ColumnType::kLong), Lit(Value::Long(0), ColumnType::kLong)}, ColumnType::kLong);
  EXPECT_EQ(Eval(gt, f), (std::vector<Value>{Value::Long(1), Value::Null(), Value::Long(0)}));
  ExprPtr f_and = Call("and", {gt, Lit(Value::Long(0), ColumnType::kLong)}, ColumnType::kLong);
  EXPECT_EQ(Eval(f_and, f), (std::vector<Value>{Value::Long(0), Value::Long(0), Value::Long(0)}));
  ExprPtr t_or = Call("or", {gt, Lit(Value::Long(1), ColumnType::kLong)}, ColumnType::kLong);
  EXPECT_EQ(Eval(t_or, f), (std::vector<Value>{Value::Long(1), Value::Long(1), Value::Long(1)}));
  ExprPtr not_gt = Call("not", {gt}, ColumnType::kLong);
  EXPECT_EQ(Eval(not_gt, f), (std::vector<Value>{Value::Long(0), Value::Null(), Value::Long(1)}));
  EXPECT_EQ(Eval(Call("is_null", {Col(2, ColumnType::kString)}, ColumnType::kLong), f),
            (std::vector<Value>{Value::Long(0), Value::Long(0), Value::Long(1)}));
}

TEST(ExprTest, StringFunctions) {
  Frame f = Sample();
  EXPECT_EQ(Eval(Call("upper", {Col(2, ColumnType::kString)}, ColumnType::kString), f),
            (std::vector<Value>{Value::String("ABC"), Value::String(""), Value::Null()}));
  // substring with a 0-based start; NULL when the start is past the end (Druid).
  EXPECT_EQ(Eval(Call("substring", {Col(2, ColumnType::kString), Lit(Value::Long(1), ColumnType::kLong)}, ColumnType::kString), f),
            (std::vector<Value>{Value::String("bc"), Value::Null(), Value::Null()}));
  EXPECT_EQ(Eval(Call("concat", {Col(2, ColumnType::kString), Lit(Value::String("!"), ColumnType::kString)}, ColumnType::kString), f),
            (std::vector<Value>{Value::String("abc!"), Value::String("!"), Value::Null()}));
  EXPECT_EQ(Eval(Call("regexp_extract", {Col(2, ColumnType::kString), Lit(Value::String("^(.)"), ColumnType::kString),
                                         Lit(Value::Long(1), ColumnType::kLong)},
                      ColumnType::kString),
                 f),
            (std::vector<Value>{Value::String("a"), Value::Null(), Value::Null()}));
  EXPECT_EQ(Eval(Call("length", {Col(2, ColumnType::kString)}, ColumnType::kLong), f),
            (std::vector<Value>{Value::Long(3), Value::Long(0), Value::Null()}));
  EXPECT_FALSE(Expr::Call("regexp_like", {Col(2, ColumnType::kString), Lit(Value::String("("), ColumnType::kString)},
                          ColumnType::kLong)
                   .ok());
}

TEST(ExprTest, LikeMatcher) {
  auto m = [](const char* pattern, const char* escape = "") { return *LikeMatcher::Compile(pattern, escape); };
  EXPECT_TRUE(m("a%").Matches("abc"));
  EXPECT_FALSE(m("a%").Matches("bac"));
  EXPECT_TRUE(m("%b%").Matches("abc"));
  EXPECT_TRUE(m("a_c").Matches("abc"));
  EXPECT_FALSE(m("a_c").Matches("abbc"));
  EXPECT_TRUE(m("%xb%", "x").Matches("ab"));  // escaped 'b' is literal: "%b%"
  EXPECT_TRUE(m("100x%", "x").Matches("100%"));
  EXPECT_FALSE(m("100x%", "x").Matches("1000"));
  EXPECT_TRUE(m("é_").Matches("éü"));
  EXPECT_TRUE(m("a%").is_prefix_only());
  EXPECT_EQ(m("ab%").prefix(), "ab");
}

TEST(ExprTest, TimeFunctions) {
  Frame one;
  one.num_rows = 1;
  EvalContext ctx;
  int64_t t = *types::ParseIso8601("2015-09-12T13:46:58.771Z");
  auto floor = Call("time_floor", {Lit(Value::Long(t), ColumnType::kLong), Lit(Value::String("PT1H"), ColumnType::kString),
                                   Lit(Value::Null(), ColumnType::kLong), Lit(Value::String("UTC"), ColumnType::kString)},
                    ColumnType::kLong);
  EXPECT_EQ(types::FormatIso8601(floor->EvaluateConstant(ctx)->long_value()), "2015-09-12T13:00:00.000Z");
  auto la = Call("floor_unit", {Lit(Value::Long(t), ColumnType::kLong), Lit(Value::String("DAY"), ColumnType::kString),
                                Lit(Value::String("America/Los_Angeles"), ColumnType::kString)},
                 ColumnType::kLong);
  EXPECT_EQ(types::FormatIso8601(la->EvaluateConstant(ctx)->long_value()), "2015-09-12T07:00:00.000Z");
  auto parse = Call("time_parse", {Lit(Value::String("2015-09-12T00:46:58.771Z"), ColumnType::kString),
                                   Lit(Value::Null(), ColumnType::kString), Lit(Value::String("UTC"), ColumnType::kString)},
                    ColumnType::kLong);
  EXPECT_EQ(*parse->EvaluateConstant(ctx), Value::Long(*types::ParseIso8601("2015-09-12T00:46:58.771Z")));
  auto bad = Call("time_parse", {Lit(Value::String("not a time"), ColumnType::kString), Lit(Value::Null(), ColumnType::kString),
                                 Lit(Value::String("UTC"), ColumnType::kString)},
                  ColumnType::kLong);
  EXPECT_EQ(*bad->EvaluateConstant(ctx), Value::Null());
  auto fmt = Call("time_format", {Lit(Value::Long(t), ColumnType::kLong), Lit(Value::String("yyyy-MM-dd HH"), ColumnType::kString),
                                  Lit(Value::String("UTC"), ColumnType::kString)},
                  ColumnType::kString);
  EXPECT_EQ(*fmt->EvaluateConstant(ctx), Value::String("2015-09-12 13"));
  auto extract = Call("time_extract", {Lit(Value::Long(t), ColumnType::kLong), Lit(Value::String("HOUR"), ColumnType::kString),
                                       Lit(Value::String("UTC"), ColumnType::kString)},
                      ColumnType::kLong);
  EXPECT_EQ(*extract->EvaluateConstant(ctx), Value::Long(13));
}

TEST(ExprTest, CaseAndCoalesce) {
  Frame f = Sample();
  ExprPtr c = Call("case_searched",
                   {Call("is_null", {Col(0, ColumnType::kLong)}, ColumnType::kLong), Lit(Value::String("none"), ColumnType::kString),
                    Call("gt", {Col(0, ColumnType::kLong), Lit(Value::Long(0), ColumnType::kLong)}, ColumnType::kLong),
                    Lit(Value::String("pos"), ColumnType::kString), Lit(Value::String("neg"), ColumnType::kString)},
                   ColumnType::kString);
  EXPECT_EQ(Eval(c, f), (std::vector<Value>{Value::String("pos"), Value::String("none"), Value::String("neg")}));
  ExprPtr co = Call("coalesce", {Col(2, ColumnType::kString), Lit(Value::String("x"), ColumnType::kString)}, ColumnType::kString);
  EXPECT_EQ(Eval(co, f), (std::vector<Value>{Value::String("abc"), Value::String(""), Value::String("x")}));
}

TEST(ExprTest, MultiValueInputsMapOverElements) {
  ColumnBuilder mv(ColumnType::kString, true);
  mv.AppendStrings({"a", "b"});
  mv.AppendStrings({});
  Frame f;
  f.num_rows = 2;
  f.columns = {mv.Finish()};
  ExprPtr up = Call("upper", {Col(0, ColumnType::kString)}, ColumnType::kString);
  EXPECT_EQ(Eval(up, f), (std::vector<Value>{Value::Array({Value::String("A"), Value::String("B")}), Value::Null()}));
  ExprPtr eq = Call("eq", {Col(0, ColumnType::kString), Lit(Value::String("b"), ColumnType::kString)}, ColumnType::kLong);
  EXPECT_EQ(Eval(eq, f), (std::vector<Value>{Value::Long(1), Value::Null()}));
}

}  // namespace
}  // namespace strata::engine
