#include "types/value.h"

#include <charconv>
#include <cmath>

namespace strata::types {
namespace {

// Shortest text that reads back as the same double, with ".0" on integral values and Java's
// names for the special values, as Druid prints doubles.
void AppendDouble(std::string* out, double value) {
  if (std::isnan(value)) {
    out->append("NaN");
    return;
  }
  if (std::isinf(value)) {
    out->append(value < 0 ? "-Infinity" : "Infinity");
    return;
  }
  char buffer[64];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), value);
  std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  out->append(text);
  if (text.find_first_of(".e") == std::string_view::npos) out->append(".0");
}

void AppendValue(std::string* out, const Value& value) {
  switch (value.kind()) {
    case Value::Kind::kNull:
      out->append("NULL");
      break;
    case Value::Kind::kLong:
      out->append(std::to_string(value.long_value()));
      break;
    case Value::Kind::kDouble:
      AppendDouble(out, value.double_value());
      break;
    case Value::Kind::kString:
      out->push_back('\'');
      out->append(value.string_value());
      out->push_back('\'');
      break;
    case Value::Kind::kArray: {
      out->push_back('[');
      bool first = true;
      for (const Value& element : value.array_value()) {
        if (!first) out->append(", ");
        first = false;
        AppendValue(out, element);
      }
      out->push_back(']');
      break;
    }
  }
}

}  // namespace

double Value::AsDouble() const {
  if (is_long()) return static_cast<double>(long_value());
  if (is_double()) return double_value();
  return 0;
}

std::string Value::ToString() const {
  std::string out;
  AppendValue(&out, *this);
  return out;
}

}  // namespace strata::types
