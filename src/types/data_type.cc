#include "types/data_type.h"

#include <string>

#include "types/internal/ascii.h"

namespace strata::types {
namespace {

using internal::EqualsIgnoreCase;

std::string_view TrimSpaces(std::string_view text) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t')) text.remove_suffix(1);
  return text;
}

bool StartsWithIgnoreCase(std::string_view text, std::string_view prefix) {
  return text.size() >= prefix.size() && EqualsIgnoreCase(text.substr(0, prefix.size()), prefix);
}

bool EndsWithIgnoreCase(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && EqualsIgnoreCase(text.substr(text.size() - suffix.size()), suffix);
}

// Upper-cases `text` and collapses runs of blanks to one space ("double   precision" ->
// "DOUBLE PRECISION").
std::string NormalizeSqlName(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (char c : text) {
    if (c == ' ' || c == '\t' || c == '\n') {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(internal::ToUpperAscii(c));
  }
  return out;
}

// A scalar SQL type name (no ARRAY, no COMPLEX), already normalized, parameters removed.
bool ScalarSqlTypeName(std::string_view name, SqlTypeName* out) {
  static constexpr struct {
    std::string_view name;
    SqlTypeName type;
  } kNames[] = {
      {"VARCHAR", SqlTypeName::kVarchar},
      {"CHARACTER VARYING", SqlTypeName::kVarchar},
      {"CHAR VARYING", SqlTypeName::kVarchar},
      {"CHAR", SqlTypeName::kChar},
      {"CHARACTER", SqlTypeName::kChar},
      {"BIGINT", SqlTypeName::kBigint},
      {"INTEGER", SqlTypeName::kInteger},
      {"INT", SqlTypeName::kInteger},
      {"SMALLINT", SqlTypeName::kSmallint},
      {"TINYINT", SqlTypeName::kTinyint},
      {"FLOAT", SqlTypeName::kFloat},
      {"REAL", SqlTypeName::kReal},
      {"DOUBLE", SqlTypeName::kDouble},
      {"DOUBLE PRECISION", SqlTypeName::kDouble},
      {"DECIMAL", SqlTypeName::kDecimal},
      {"DEC", SqlTypeName::kDecimal},
      {"NUMERIC", SqlTypeName::kDecimal},
      {"BOOLEAN", SqlTypeName::kBoolean},
      {"TIMESTAMP", SqlTypeName::kTimestamp},
      {"TIMESTAMP WITHOUT TIME ZONE", SqlTypeName::kTimestamp},
      {"TIMESTAMP WITH LOCAL TIME ZONE", SqlTypeName::kTimestamp},
      {"DATE", SqlTypeName::kDate},
  };
  for (const auto& entry : kNames) {
    if (name == entry.name) {
      *out = entry.type;
      return true;
    }
  }
  return false;
}

// Removes a "(10)" / "(10, 2)" parameter list from a normalized name; false if malformed.
bool StripTypeParameters(std::string* name) {
  size_t open = name->find('(');
  if (open == std::string::npos) return name->find(')') == std::string::npos;
  size_t close = name->find(')', open);
  if (close == std::string::npos) return false;
  for (size_t i = open + 1; i < close; ++i) {
    char c = (*name)[i];
    if (!(c >= '0' && c <= '9') && c != ',' && c != ' ') return false;
  }
  std::string before = name->substr(0, open);
  std::string after = name->substr(close + 1);
  while (!before.empty() && before.back() == ' ') before.pop_back();
  *name = before + after;
  return name->find('(') == std::string::npos && name->find(')') == std::string::npos;
}

Result<SqlTypeName> ParseScalarSqlType(std::string_view original, std::string_view text) {
  std::string name = NormalizeSqlName(text);
  SqlTypeName type;
  if (!StripTypeParameters(&name) || !ScalarSqlTypeName(name, &type)) {
    return Status::InvalidInput("Unknown SQL type [" + std::string(original) + "]");
  }
  return type;
}

ColumnType ArrayNativeOf(SqlTypeName element) {
  switch (element) {
    case SqlTypeName::kTinyint:
    case SqlTypeName::kSmallint:
    case SqlTypeName::kInteger:
    case SqlTypeName::kBigint:
    case SqlTypeName::kBoolean:
    case SqlTypeName::kTimestamp:
    case SqlTypeName::kDate:
      return ColumnType::kLongArray;
    case SqlTypeName::kFloat:
    case SqlTypeName::kReal:
    case SqlTypeName::kDouble:
    case SqlTypeName::kDecimal:
      return ColumnType::kDoubleArray;
    default:
      return ColumnType::kStringArray;
  }
}

}  // namespace

std::string_view NativeTypeName(ColumnType type) {
  switch (type) {
    case ColumnType::kLong: return "LONG";
    case ColumnType::kFloat: return "FLOAT";
    case ColumnType::kDouble: return "DOUBLE";
    case ColumnType::kString: return "STRING";
    case ColumnType::kLongArray: return "ARRAY<LONG>";
    case ColumnType::kDoubleArray: return "ARRAY<DOUBLE>";
    case ColumnType::kStringArray: return "ARRAY<STRING>";
    case ColumnType::kComplex: return "COMPLEX";
  }
  return "COMPLEX";
}

Result<ColumnType> ParseNativeType(std::string_view name) {
  std::string_view text = TrimSpaces(name);
  if (EqualsIgnoreCase(text, "STRING")) return ColumnType::kString;
  if (EqualsIgnoreCase(text, "LONG")) return ColumnType::kLong;
  if (EqualsIgnoreCase(text, "DOUBLE")) return ColumnType::kDouble;
  if (EqualsIgnoreCase(text, "FLOAT")) return ColumnType::kFloat;
  if (EqualsIgnoreCase(text, "COMPLEX")) return ColumnType::kComplex;
  if (StartsWithIgnoreCase(text, "COMPLEX<") && text.back() == '>' && text.size() > 9) return ColumnType::kComplex;
  if (StartsWithIgnoreCase(text, "ARRAY<") && text.back() == '>') {
    std::string_view element = TrimSpaces(text.substr(6, text.size() - 7));
    if (EqualsIgnoreCase(element, "STRING")) return ColumnType::kStringArray;
    if (EqualsIgnoreCase(element, "LONG")) return ColumnType::kLongArray;
    if (EqualsIgnoreCase(element, "DOUBLE") || EqualsIgnoreCase(element, "FLOAT")) return ColumnType::kDoubleArray;
  }
  return Status::InvalidInput("Unknown native type [" + std::string(name) + "]");
}

bool IsNumeric(ColumnType type) {
  return type == ColumnType::kLong || type == ColumnType::kFloat || type == ColumnType::kDouble;
}

bool IsArray(ColumnType type) {
  return type == ColumnType::kLongArray || type == ColumnType::kDoubleArray || type == ColumnType::kStringArray;
}

ColumnType ElementType(ColumnType type) {
  switch (type) {
    case ColumnType::kLongArray: return ColumnType::kLong;
    case ColumnType::kDoubleArray: return ColumnType::kDouble;
    case ColumnType::kStringArray: return ColumnType::kString;
    default: return type;
  }
}

ColumnType ArrayOf(ColumnType element) {
  switch (element) {
    case ColumnType::kLong: return ColumnType::kLongArray;
    case ColumnType::kFloat:
    case ColumnType::kDouble: return ColumnType::kDoubleArray;
    // Arrays of arrays and of complex values are not modelled; they travel as string arrays.
    case ColumnType::kString:
    case ColumnType::kComplex: return ColumnType::kStringArray;
    default: return element;
  }
}

bool SqlType::is_numeric() const {
  switch (name) {
    case SqlTypeName::kTinyint:
    case SqlTypeName::kSmallint:
    case SqlTypeName::kInteger:
    case SqlTypeName::kBigint:
    case SqlTypeName::kFloat:
    case SqlTypeName::kReal:
    case SqlTypeName::kDouble:
    case SqlTypeName::kDecimal:
      return true;
    default:
      return false;
  }
}

bool SqlType::is_integral() const {
  return name == SqlTypeName::kTinyint || name == SqlTypeName::kSmallint || name == SqlTypeName::kInteger ||
         name == SqlTypeName::kBigint;
}

std::string SqlType::HeaderName() const {
  switch (name) {
    case SqlTypeName::kNull: return "NULL";
    case SqlTypeName::kBoolean: return "BOOLEAN";
    case SqlTypeName::kTinyint: return "TINYINT";
    case SqlTypeName::kSmallint: return "SMALLINT";
    case SqlTypeName::kInteger: return "INTEGER";
    case SqlTypeName::kBigint: return "BIGINT";
    case SqlTypeName::kFloat: return "FLOAT";
    case SqlTypeName::kReal: return "REAL";
    case SqlTypeName::kDouble: return "DOUBLE";
    case SqlTypeName::kDecimal: return "DECIMAL";
    case SqlTypeName::kChar: return "CHAR";
    case SqlTypeName::kVarchar: return "VARCHAR";
    case SqlTypeName::kTimestamp: return "TIMESTAMP";
    case SqlTypeName::kDate: return "DATE";
    case SqlTypeName::kArray: return "ARRAY";
    case SqlTypeName::kOther: return "OTHER";
    case SqlTypeName::kAny: return "ANY";
  }
  return "ANY";
}

std::string SqlType::InformationSchemaName() const {
  if (name == SqlTypeName::kArray) return SqlType::Of(element).HeaderName() + " ARRAY";
  if (name == SqlTypeName::kOther) return "COMPLEX<" + complex_name + ">";
  return HeaderName();
}

int SqlType::JdbcType() const {
  // java.sql.Types constants.
  switch (name) {
    case SqlTypeName::kNull: return 0;
    case SqlTypeName::kBoolean: return 16;
    case SqlTypeName::kTinyint: return -6;
    case SqlTypeName::kSmallint: return 5;
    case SqlTypeName::kInteger: return 4;
    case SqlTypeName::kBigint: return -5;
    case SqlTypeName::kFloat: return 6;
    case SqlTypeName::kReal: return 7;
    case SqlTypeName::kDouble: return 8;
    case SqlTypeName::kDecimal: return 3;
    case SqlTypeName::kChar: return 1;
    case SqlTypeName::kVarchar: return 12;
    case SqlTypeName::kTimestamp: return 93;
    case SqlTypeName::kDate: return 91;
    case SqlTypeName::kArray: return 2003;
    case SqlTypeName::kOther: return 1111;
    case SqlTypeName::kAny: return 2000;  // JAVA_OBJECT, as Calcite reports ANY
  }
  return 1111;
}

ColumnType SqlType::Native() const {
  switch (name) {
    case SqlTypeName::kBoolean:
    case SqlTypeName::kTinyint:
    case SqlTypeName::kSmallint:
    case SqlTypeName::kInteger:
    case SqlTypeName::kBigint:
    case SqlTypeName::kTimestamp:
    case SqlTypeName::kDate:
      return ColumnType::kLong;
    case SqlTypeName::kFloat:
    case SqlTypeName::kReal:
      return ColumnType::kFloat;
    case SqlTypeName::kDouble:
    case SqlTypeName::kDecimal:
      return ColumnType::kDouble;
    case SqlTypeName::kArray:
      return ArrayNativeOf(element);
    case SqlTypeName::kOther:
      return ColumnType::kComplex;
    default:
      return ColumnType::kString;
  }
}

SqlType SqlTypeOfNative(ColumnType type) {
  switch (type) {
    case ColumnType::kLong: return SqlType::Of(SqlTypeName::kBigint);
    case ColumnType::kFloat: return SqlType::Of(SqlTypeName::kFloat);
    case ColumnType::kDouble: return SqlType::Of(SqlTypeName::kDouble);
    case ColumnType::kString: return SqlType::Of(SqlTypeName::kVarchar);
    case ColumnType::kLongArray: return SqlType::Array(SqlTypeName::kBigint);
    case ColumnType::kDoubleArray: return SqlType::Array(SqlTypeName::kDouble);
    case ColumnType::kStringArray: return SqlType::Array(SqlTypeName::kVarchar);
    case ColumnType::kComplex: return SqlType::Complex("");
  }
  return SqlType::Of(SqlTypeName::kAny);
}

Result<SqlType> ParseSqlType(std::string_view name) {
  std::string_view text = TrimSpaces(name);
  if (StartsWithIgnoreCase(text, "COMPLEX<") && text.size() > 9 && text.back() == '>') {
    // The complex type name keeps its case ("hyperUnique").
    return SqlType::Complex(std::string(TrimSpaces(text.substr(8, text.size() - 9))));
  }
  if (StartsWithIgnoreCase(text, "ARRAY<") && text.back() == '>') {
    ASSIGN_OR_RETURN(SqlTypeName element, ParseScalarSqlType(name, text.substr(6, text.size() - 7)));
    return SqlType::Array(element);
  }
  std::string normalized = NormalizeSqlName(text);
  if (EndsWithIgnoreCase(normalized, " ARRAY")) {
    ASSIGN_OR_RETURN(SqlTypeName element,
                     ParseScalarSqlType(name, std::string_view(normalized).substr(0, normalized.size() - 6)));
    return SqlType::Array(element);
  }
  ASSIGN_OR_RETURN(SqlTypeName scalar, ParseScalarSqlType(name, text));
  return SqlType::Of(scalar);
}

}  // namespace strata::types
