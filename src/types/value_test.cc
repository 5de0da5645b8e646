#include "types/value.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

namespace strata::types {
namespace {

TEST(ValueTest, KindsAndAccessors) {
  EXPECT_TRUE(Value().is_null());
  EXPECT_EQ(Value::Long(12).long_value(), 12);
  EXPECT_TRUE(Value::Long(12).is_number());
  EXPECT_TRUE(Value::Double(1.5).is_double());
  EXPECT_EQ(Value::String("abc").string_value(), "abc");
  Value one = Value::Long(1);
  std::vector<Value> elements;
  elements.push_back(one);
  Value array = Value::Array(std::move(elements));
  ASSERT_EQ(array.array_value().size(), 1u);
  EXPECT_EQ(array.array_value()[0], one);
  EXPECT_TRUE(array.is_array());
  EXPECT_FALSE(one == Value::Double(1));
}

TEST(ValueTest, AsDouble) {
  EXPECT_EQ(Value::Long(12).AsDouble(), 12.0);
  EXPECT_EQ(Value::Double(1.5).AsDouble(), 1.5);
  EXPECT_EQ(Value::String("3").AsDouble(), 0.0);
  EXPECT_EQ(Value().AsDouble(), 0.0);
}

TEST(ValueTest, ToString) {
  EXPECT_EQ(Value().ToString(), "NULL");
  EXPECT_EQ(Value::Long(12).ToString(), "12");
  EXPECT_EQ(Value::Long(-9223372036854775807LL - 1).ToString(), "-9223372036854775808");
  EXPECT_EQ(Value::Double(1.5).ToString(), "1.5");
  EXPECT_EQ(Value::Double(0.1).ToString(), "0.1");
  EXPECT_EQ(Value::Double(1.0).ToString(), "1.0");
  EXPECT_EQ(Value::Double(1e300).ToString(), "1e+300");
  EXPECT_EQ(Value::Double(std::nan("")).ToString(), "NaN");
  EXPECT_EQ(Value::Double(-std::numeric_limits<double>::infinity()).ToString(), "-Infinity");
  EXPECT_EQ(Value::String("abc").ToString(), "'abc'");
  EXPECT_EQ(Value::Array({Value::Long(1), Value::Long(2)}).ToString(), "[1, 2]");
  EXPECT_EQ(Value::Array({Value::String("a"), Value(), Value::Array({})}).ToString(), "['a', NULL, []]");
}

}  // namespace
}  // namespace strata::types
