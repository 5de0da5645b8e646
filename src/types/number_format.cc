#include "types/number_format.h"

#include <charconv>
#include <cmath>
#include <cstring>

namespace strata::types {
namespace {

// Re-lays shortest digits ("12345", exponent) the way Java's Double/Float.toString does.
std::string JavaLayout(bool negative, const std::string& digits, int exp10) {
  // The value is 0.d1d2d3... x 10^exp10, i.e. the decimal point sits after `exp10` digits.
  std::string out;
  if (negative) out.push_back('-');
  int point = exp10;  // position of the decimal point relative to the digit string
  int num_digits = static_cast<int>(digits.size());
  // Java uses plain notation for 1e-3 <= |v| < 1e7.
  if (point >= -2 && point <= 7) {
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else if (point >= num_digits) {
      out += digits;
      out.append(static_cast<size_t>(point - num_digits), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<size_t>(point));
      out.push_back('.');
      out.append(digits, static_cast<size_t>(point), std::string::npos);
    }
    return out;
  }
  out.push_back(digits[0]);
  out.push_back('.');
  if (num_digits > 1) out.append(digits, 1, std::string::npos);
  else out.push_back('0');
  out.push_back('E');
  out += std::to_string(point - 1);
  return out;
}

template <typename T>
std::string FormatJava(T v) {
  if (std::isnan(v)) return "NaN";
  if (std::isinf(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0) return std::signbit(v) ? "-0.0" : "0.0";
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string_view sci(buf, static_cast<size_t>(res.ptr - buf));
  bool negative = false;
  if (sci[0] == '-') {
    negative = true;
    sci.remove_prefix(1);
  }
  size_t e = sci.find('e');
  std::string mantissa(sci.substr(0, e));
  int exponent = std::atoi(std::string(sci.substr(e + 1)).c_str());
  std::string digits;
  for (char c : mantissa) {
    if (c != '.') digits.push_back(c);
  }
  while (digits.size() > 1 && digits.back() == '0') digits.pop_back();
  return JavaLayout(negative, digits, exponent + 1);
}

}  // namespace

std::string FormatDoubleJava(double v) { return FormatJava<double>(v); }
std::string FormatFloatJava(float v) { return FormatJava<float>(v); }

void AppendLong(std::string* out, int64_t v) {
  char buf[24];
  auto res = std::to_chars(buf, buf + sizeof(buf), v);
  out->append(buf, static_cast<size_t>(res.ptr - buf));
}

bool ParseLongStrict(std::string_view s, int64_t* out) {
  if (s.empty()) return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  if (begin == end) return false;
  auto res = std::from_chars(begin, end, *out);
  return res.ec == std::errc() && res.ptr == end;
}

bool ParseDoubleStrict(std::string_view s, double* out) {
  if (s.empty()) return false;
  const char* begin = s.data();
  const char* end = s.data() + s.size();
  if (*begin == '+') ++begin;
  if (begin == end) return false;
  std::string_view rest(begin, static_cast<size_t>(end - begin));
  if (rest == "NaN") {
    *out = std::nan("");
    return true;
  }
  if (rest == "Infinity" || rest == "-Infinity") {
    *out = rest[0] == '-' ? -INFINITY : INFINITY;
    return true;
  }
  auto res = std::from_chars(begin, end, *out);
  return res.ec == std::errc() && res.ptr == end;
}

}  // namespace strata::types
