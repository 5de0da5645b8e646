// ISO-8601 periods ("P1D", "PT1H", "P1Y2M", "P1W", "PT0.5S") and calendar arithmetic with them.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/status.h"
#include "types/time.h"

namespace strata::types {

struct Period {
  int32_t years = 0;
  int32_t months = 0;
  int32_t weeks = 0;
  int32_t days = 0;
  int32_t hours = 0;
  int32_t minutes = 0;
  int32_t seconds = 0;
  int32_t millis = 0;

  /// Parses "P[nY][nM][nW][nD][T[nH][nM][n[.fff]S]]" (case-insensitive 'p','t'). Fails with
  /// InvalidInput quoting the text when malformed or when every field is zero.
  static Result<Period> Parse(std::string_view text);
  /// Canonical ISO form, e.g. "P1D", "PT1H", "P3M", "PT0.500S" -> "PT0.5S".
  std::string ToString() const;

  bool operator==(const Period& o) const = default;
  bool is_zero() const;
  /// True when the period has no years or months (its length in UTC is fixed).
  bool has_fixed_length() const { return years == 0 && months == 0; }
  /// Length in millis of a fixed-length period (weeks and days counted as 7*24h and 24h).
  int64_t FixedMillis() const;
  /// Number of non-zero fields (1 for "P1D", 2 for "P1DT1H").
  int NumFields() const;
};

/// Adds `amount` times `period` to the instant `millis`, with calendar arithmetic in `zone`
/// (months clamp the day of month, days keep the local wall time across DST changes).
int64_t AddPeriod(int64_t millis, const Period& period, int64_t amount, const TimeZone& zone);

}  // namespace strata::types
