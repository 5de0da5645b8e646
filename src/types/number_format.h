// Number text as Druid (Java) prints it: results of the SQL API, numbers converted to strings
// (CAST(x AS VARCHAR), numbers read into string columns).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace strata::types {

/// Java's Double.toString: shortest round-trip digits; "1.0", "0.001", "1.0E7", "1.234E-5",
/// "NaN", "Infinity", "-Infinity", "-0.0".
std::string FormatDoubleJava(double v);
/// Java's Float.toString of `(float)v`: "0.1" for 0.1f (not 0.10000000149011612).
std::string FormatFloatJava(float v);
/// Appends the decimal text of `v`.
void AppendLong(std::string* out, int64_t v);

/// Parses a whole string as a long ("12", "-3", "+4"); false if it is not one.
bool ParseLongStrict(std::string_view s, int64_t* out);
/// Parses a whole string as a double ("1.5", "1e3", "-0", "NaN", "Infinity"); false otherwise.
bool ParseDoubleStrict(std::string_view s, double* out);

}  // namespace strata::types
