// Value: one scalar (or array) value outside of columns: literals, query parameters, rows of
// system tables, single cells of results. Hot paths use columns (columnar/), not Values.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace strata::types {

class Value {
 public:
  enum class Kind : uint8_t { kNull, kLong, kDouble, kString, kArray };

  Value() = default;  // NULL
  static Value Null() { return Value(); }
  static Value Long(int64_t v) { Value x; x.v_ = v; return x; }
  static Value Double(double v) { Value x; x.v_ = v; return x; }
  static Value String(std::string v) { Value x; x.v_ = std::move(v); return x; }
  static Value Array(std::vector<Value> v) { Value x; x.v_ = std::move(v); return x; }

  Kind kind() const { return static_cast<Kind>(v_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_long() const { return kind() == Kind::kLong; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_number() const { return is_long() || is_double(); }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_array() const { return kind() == Kind::kArray; }

  int64_t long_value() const { return std::get<int64_t>(v_); }
  double double_value() const { return std::get<double>(v_); }
  const std::string& string_value() const { return std::get<std::string>(v_); }
  const std::vector<Value>& array_value() const { return std::get<std::vector<Value>>(v_); }

  /// Numeric value as double (long converted); 0 for non-numbers.
  double AsDouble() const;
  /// Debug rendering: NULL, 12, 1.5, 'abc', [1, 2].
  std::string ToString() const;

  bool operator==(const Value& o) const { return v_ == o.v_; }

 private:
  std::variant<std::monostate, int64_t, double, std::string, std::vector<Value>> v_;
};

}  // namespace strata::types
