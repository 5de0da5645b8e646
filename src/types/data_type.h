// Column and SQL types.
//
// Two type systems meet here, as in Druid:
//  - ColumnType: the native (storage/runtime) type of a column or value: LONG, FLOAT, DOUBLE,
//    STRING (possibly multi-value), ARRAY<LONG|DOUBLE|STRING> and COMPLEX<name> (sketches).
//  - SqlType: the type the SQL layer reasons with (Calcite's): BIGINT, VARCHAR, TIMESTAMP, ...
//    TIMESTAMP, DATE and BOOLEAN are LONG at runtime; DECIMAL is DOUBLE.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"

namespace strata::types {

enum class ColumnType : uint8_t {
  kLong = 0,
  kFloat = 1,
  kDouble = 2,
  kString = 3,
  kLongArray = 4,
  kDoubleArray = 5,
  kStringArray = 6,
  kComplex = 7,
};

/// Druid's native type name: "LONG", "FLOAT", "DOUBLE", "STRING", "ARRAY<LONG>", "ARRAY<DOUBLE>",
/// "ARRAY<STRING>", "COMPLEX" (callers append <name> for complex types when they know it).
std::string_view NativeTypeName(ColumnType type);
/// Parses a native type as written in EXTERN signatures and native specs: "string", "long",
/// "double", "float" (any case), "ARRAY<STRING>", "COMPLEX<json>", ... Unknown names fail with
/// InvalidInput naming the type.
Result<ColumnType> ParseNativeType(std::string_view name);
bool IsNumeric(ColumnType type);
bool IsArray(ColumnType type);
/// Element type of an array type (kLong for kLongArray, ...); the type itself otherwise.
ColumnType ElementType(ColumnType type);
/// Array type with the given element type.
ColumnType ArrayOf(ColumnType element);

enum class SqlTypeName : uint8_t {
  kNull,  // the type of a bare NULL literal
  kBoolean,
  kTinyint,
  kSmallint,
  kInteger,
  kBigint,
  kFloat,
  kReal,
  kDouble,
  kDecimal,
  kChar,
  kVarchar,
  kTimestamp,
  kDate,
  kArray,
  kOther,  // COMPLEX<...>
  kAny,    // unknown (e.g. an unbound ? parameter)
};

/// A SQL type: a name, the element type name for arrays, and the complex type name for OTHER.
struct SqlType {
  SqlTypeName name = SqlTypeName::kAny;
  SqlTypeName element = SqlTypeName::kNull;  // for kArray
  std::string complex_name;                  // for kOther, e.g. "hyperUnique", "json"

  static SqlType Of(SqlTypeName n) { return SqlType{n, SqlTypeName::kNull, {}}; }
  static SqlType Array(SqlTypeName element) { return SqlType{SqlTypeName::kArray, element, {}}; }
  static SqlType Complex(std::string complex_name) {
    return SqlType{SqlTypeName::kOther, SqlTypeName::kNull, std::move(complex_name)};
  }

  bool operator==(const SqlType& o) const {
    return name == o.name && element == o.element && complex_name == o.complex_name;
  }
  bool is_numeric() const;
  bool is_integral() const;   // BOOLEAN? no: TINYINT..BIGINT
  bool is_string() const { return name == SqlTypeName::kVarchar || name == SqlTypeName::kChar; }
  bool is_time() const { return name == SqlTypeName::kTimestamp || name == SqlTypeName::kDate; }

  /// Name as Druid reports it in sqlTypesHeader / sqlTypeNames: "VARCHAR", "BIGINT", "TIMESTAMP",
  /// "DOUBLE", "FLOAT", "BOOLEAN", "INTEGER", "DATE", "ARRAY", "OTHER", "NULL", ...
  std::string HeaderName() const;
  /// Name as INFORMATION_SCHEMA.COLUMNS.DATA_TYPE shows it: like HeaderName, but arrays are
  /// "VARCHAR ARRAY"/"BIGINT ARRAY" and complex types "COMPLEX<name>".
  std::string InformationSchemaName() const;
  /// JDBC type code (java.sql.Types) for INFORMATION_SCHEMA.COLUMNS.JDBC_TYPE.
  int JdbcType() const;
  /// The native runtime type of values of this SQL type.
  ColumnType Native() const;
};

/// SQL type of a native column type, as Druid exposes stored columns: STRING -> VARCHAR,
/// LONG -> BIGINT, FLOAT -> FLOAT, DOUBLE -> DOUBLE, arrays -> ARRAY, complex -> OTHER.
SqlType SqlTypeOfNative(ColumnType type);
/// Parses a SQL type name as written in CAST and EXTEND: VARCHAR, BIGINT, INTEGER, DOUBLE,
/// FLOAT, REAL, BOOLEAN, TIMESTAMP, DATE, DECIMAL(p,s) (precision ignored), VARCHAR ARRAY,
/// BIGINT ARRAY, ARRAY<VARCHAR>, ... Fails with InvalidInput naming the type.
Result<SqlType> ParseSqlType(std::string_view name);

}  // namespace strata::types
