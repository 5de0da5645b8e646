#include "types/data_type.h"

#include <gtest/gtest.h>

namespace strata::types {
namespace {

TEST(ColumnTypeTest, NamesAndParsing) {
  EXPECT_EQ(NativeTypeName(ColumnType::kLong), "LONG");
  EXPECT_EQ(NativeTypeName(ColumnType::kFloat), "FLOAT");
  EXPECT_EQ(NativeTypeName(ColumnType::kDouble), "DOUBLE");
  EXPECT_EQ(NativeTypeName(ColumnType::kString), "STRING");
  EXPECT_EQ(NativeTypeName(ColumnType::kLongArray), "ARRAY<LONG>");
  EXPECT_EQ(NativeTypeName(ColumnType::kDoubleArray), "ARRAY<DOUBLE>");
  EXPECT_EQ(NativeTypeName(ColumnType::kStringArray), "ARRAY<STRING>");
  EXPECT_EQ(NativeTypeName(ColumnType::kComplex), "COMPLEX");

  EXPECT_EQ(*ParseNativeType("string"), ColumnType::kString);
  EXPECT_EQ(*ParseNativeType("LONG"), ColumnType::kLong);
  EXPECT_EQ(*ParseNativeType("Double"), ColumnType::kDouble);
  EXPECT_EQ(*ParseNativeType("float"), ColumnType::kFloat);
  EXPECT_EQ(*ParseNativeType("ARRAY<STRING>"), ColumnType::kStringArray);
  EXPECT_EQ(*ParseNativeType("array<long>"), ColumnType::kLongArray);
  EXPECT_EQ(*ParseNativeType("ARRAY<DOUBLE>"), ColumnType::kDoubleArray);
  EXPECT_EQ(*ParseNativeType("COMPLEX<json>"), ColumnType::kComplex);
  EXPECT_EQ(*ParseNativeType("complex<hyperUnique>"), ColumnType::kComplex);
  for (std::string_view name : {"int", "", "ARRAY<>", "ARRAY<json>", "COMPLEX<>", "strings"}) {
    Result<ColumnType> type = ParseNativeType(name);
    ASSERT_FALSE(type.ok()) << name;
    EXPECT_EQ(type.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(type.status().message(), "Unknown native type [" + std::string(name) + "]");
  }
}

TEST(ColumnTypeTest, Classification) {
  EXPECT_TRUE(IsNumeric(ColumnType::kLong));
  EXPECT_TRUE(IsNumeric(ColumnType::kFloat));
  EXPECT_TRUE(IsNumeric(ColumnType::kDouble));
  EXPECT_FALSE(IsNumeric(ColumnType::kString));
  EXPECT_FALSE(IsNumeric(ColumnType::kLongArray));
  EXPECT_TRUE(IsArray(ColumnType::kStringArray));
  EXPECT_FALSE(IsArray(ColumnType::kComplex));
  EXPECT_EQ(ElementType(ColumnType::kLongArray), ColumnType::kLong);
  EXPECT_EQ(ElementType(ColumnType::kDoubleArray), ColumnType::kDouble);
  EXPECT_EQ(ElementType(ColumnType::kStringArray), ColumnType::kString);
  EXPECT_EQ(ElementType(ColumnType::kFloat), ColumnType::kFloat);
  EXPECT_EQ(ArrayOf(ColumnType::kLong), ColumnType::kLongArray);
  EXPECT_EQ(ArrayOf(ColumnType::kFloat), ColumnType::kDoubleArray);
  EXPECT_EQ(ArrayOf(ColumnType::kDouble), ColumnType::kDoubleArray);
  EXPECT_EQ(ArrayOf(ColumnType::kString), ColumnType::kStringArray);
  EXPECT_EQ(ArrayOf(ColumnType::kLongArray), ColumnType::kLongArray);
}

TEST(SqlTypeTest, HeaderAndInformationSchemaNames) {
  EXPECT_EQ(SqlType::Of(SqlTypeName::kVarchar).HeaderName(), "VARCHAR");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kChar).HeaderName(), "CHAR");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBigint).HeaderName(), "BIGINT");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kInteger).HeaderName(), "INTEGER");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kSmallint).HeaderName(), "SMALLINT");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTinyint).HeaderName(), "TINYINT");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kFloat).HeaderName(), "FLOAT");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kReal).HeaderName(), "REAL");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDouble).HeaderName(), "DOUBLE");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDecimal).HeaderName(), "DECIMAL");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBoolean).HeaderName(), "BOOLEAN");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTimestamp).HeaderName(), "TIMESTAMP");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDate).HeaderName(), "DATE");
  EXPECT_EQ(SqlType::Array(SqlTypeName::kVarchar).HeaderName(), "ARRAY");
  EXPECT_EQ(SqlType::Complex("json").HeaderName(), "OTHER");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kNull).HeaderName(), "NULL");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kAny).HeaderName(), "ANY");

  EXPECT_EQ(SqlType::Array(SqlTypeName::kVarchar).InformationSchemaName(), "VARCHAR ARRAY");
  EXPECT_EQ(SqlType::Array(SqlTypeName::kBigint).InformationSchemaName(), "BIGINT ARRAY");
  EXPECT_EQ(SqlType::Array(SqlTypeName::kDouble).InformationSchemaName(), "DOUBLE ARRAY");
  EXPECT_EQ(SqlType::Complex("hyperUnique").InformationSchemaName(), "COMPLEX<hyperUnique>");
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTimestamp).InformationSchemaName(), "TIMESTAMP");
}

TEST(SqlTypeTest, JdbcTypes) {
  EXPECT_EQ(SqlType::Of(SqlTypeName::kVarchar).JdbcType(), 12);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kChar).JdbcType(), 1);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBigint).JdbcType(), -5);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kInteger).JdbcType(), 4);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kSmallint).JdbcType(), 5);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTinyint).JdbcType(), -6);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kFloat).JdbcType(), 6);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kReal).JdbcType(), 7);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDouble).JdbcType(), 8);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDecimal).JdbcType(), 3);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBoolean).JdbcType(), 16);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTimestamp).JdbcType(), 93);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDate).JdbcType(), 91);
  EXPECT_EQ(SqlType::Array(SqlTypeName::kBigint).JdbcType(), 2003);
  EXPECT_EQ(SqlType::Complex("json").JdbcType(), 1111);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kNull).JdbcType(), 0);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kAny).JdbcType(), 2000);
}

TEST(SqlTypeTest, NativeTypes) {
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBigint).Native(), ColumnType::kLong);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTinyint).Native(), ColumnType::kLong);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kBoolean).Native(), ColumnType::kLong);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kTimestamp).Native(), ColumnType::kLong);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDate).Native(), ColumnType::kLong);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kFloat).Native(), ColumnType::kFloat);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kReal).Native(), ColumnType::kFloat);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDouble).Native(), ColumnType::kDouble);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kDecimal).Native(), ColumnType::kDouble);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kVarchar).Native(), ColumnType::kString);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kChar).Native(), ColumnType::kString);
  EXPECT_EQ(SqlType::Array(SqlTypeName::kVarchar).Native(), ColumnType::kStringArray);
  EXPECT_EQ(SqlType::Array(SqlTypeName::kInteger).Native(), ColumnType::kLongArray);
  EXPECT_EQ(SqlType::Array(SqlTypeName::kFloat).Native(), ColumnType::kDoubleArray);
  EXPECT_EQ(SqlType::Array(SqlTypeName::kDouble).Native(), ColumnType::kDoubleArray);
  EXPECT_EQ(SqlType::Complex("json").Native(), ColumnType::kComplex);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kNull).Native(), ColumnType::kString);
  EXPECT_EQ(SqlType::Of(SqlTypeName::kAny).Native(), ColumnType::kString);
}

TEST(SqlTypeTest, Predicates) {
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kTinyint).is_numeric());
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kDecimal).is_numeric());
  EXPECT_FALSE(SqlType::Of(SqlTypeName::kBoolean).is_numeric());
  EXPECT_FALSE(SqlType::Of(SqlTypeName::kTimestamp).is_numeric());
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kBigint).is_integral());
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kSmallint).is_integral());
  EXPECT_FALSE(SqlType::Of(SqlTypeName::kBoolean).is_integral());
  EXPECT_FALSE(SqlType::Of(SqlTypeName::kDouble).is_integral());
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kChar).is_string());
  EXPECT_TRUE(SqlType::Of(SqlTypeName::kDate).is_time());
}

TEST(SqlTypeTest, SqlTypeOfNative) {
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kString), SqlType::Of(SqlTypeName::kVarchar));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kLong), SqlType::Of(SqlTypeName::kBigint));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kFloat), SqlType::Of(SqlTypeName::kFloat));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kDouble), SqlType::Of(SqlTypeName::kDouble));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kLongArray), SqlType::Array(SqlTypeName::kBigint));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kDoubleArray), SqlType::Array(SqlTypeName::kDouble));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kStringArray), SqlType::Array(SqlTypeName::kVarchar));
  EXPECT_EQ(SqlTypeOfNative(ColumnType::kComplex).name, SqlTypeName::kOther);
}

TEST(SqlTypeTest, ParseSqlType) {
  EXPECT_EQ(*ParseSqlType("VARCHAR"), SqlType::Of(SqlTypeName::kVarchar));
  EXPECT_EQ(*ParseSqlType("varchar(10)"), SqlType::Of(SqlTypeName::kVarchar));
  EXPECT_EQ(*ParseSqlType("BIGINT"), SqlType::Of(SqlTypeName::kBigint));
  EXPECT_EQ(*ParseSqlType("Integer"), SqlType::Of(SqlTypeName::kInteger));
  EXPECT_EQ(*ParseSqlType("INT"), SqlType::Of(SqlTypeName::kInteger));
  EXPECT_EQ(*ParseSqlType("double"), SqlType::Of(SqlTypeName::kDouble));
  EXPECT_EQ(*ParseSqlType("DOUBLE  PRECISION"), SqlType::Of(SqlTypeName::kDouble));
  EXPECT_EQ(*ParseSqlType("FLOAT"), SqlType::Of(SqlTypeName::kFloat));
  EXPECT_EQ(*ParseSqlType("REAL"), SqlType::Of(SqlTypeName::kReal));
  EXPECT_EQ(*ParseSqlType("BOOLEAN"), SqlType::Of(SqlTypeName::kBoolean));
  EXPECT_EQ(*ParseSqlType("TIMESTAMP"), SqlType::Of(SqlTypeName::kTimestamp));
  EXPECT_EQ(*ParseSqlType("TIMESTAMP(3)"), SqlType::Of(SqlTypeName::kTimestamp));
  EXPECT_EQ(*ParseSqlType("DATE"), SqlType::Of(SqlTypeName::kDate));
  EXPECT_EQ(*ParseSqlType("DECIMAL(10,2)"), SqlType::Of(SqlTypeName::kDecimal));
  EXPECT_EQ(*ParseSqlType("decimal(10, 2)"), SqlType::Of(SqlTypeName::kDecimal));
  EXPECT_EQ(*ParseSqlType("CHAR(5)"), SqlType::Of(SqlTypeName::kChar));
  EXPECT_EQ(*ParseSqlType("TINYINT"), SqlType::Of(SqlTypeName::kTinyint));
  EXPECT_EQ(*ParseSqlType("SMALLINT"), SqlType::Of(SqlTypeName::kSmallint));
  EXPECT_EQ(*ParseSqlType("VARCHAR ARRAY"), SqlType::Array(SqlTypeName::kVarchar));
  EXPECT_EQ(*ParseSqlType("bigint array"), SqlType::Array(SqlTypeName::kBigint));
  EXPECT_EQ(*ParseSqlType("ARRAY<VARCHAR>"), SqlType::Array(SqlTypeName::kVarchar));
  EXPECT_EQ(*ParseSqlType("ARRAY<DOUBLE>"), SqlType::Array(SqlTypeName::kDouble));
  EXPECT_EQ(*ParseSqlType("COMPLEX<hyperUnique>"), SqlType::Complex("hyperUnique"));
  for (std::string_view name : {"", "VARCHARR", "ARRAY", "ARRAY<>", "VARCHAR(", "VARCHAR(abc)", "DOUBLE PRECISION ARRAY ARRAY",
                                "ARRAY<ARRAY<BIGINT>>"}) {
    Result<SqlType> type = ParseSqlType(name);
    ASSERT_FALSE(type.ok()) << name;
    EXPECT_EQ(type.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(type.status().message(), "Unknown SQL type [" + std::string(name) + "]");
  }
}

}  // namespace
}  // namespace strata::types
