// Private calendar helpers shared by the .cc files of types/ (not part of its public API).
#pragma once

#include <cstdint>

#include "types/time.h"

namespace strata::types::internal {

/// Largest year magnitude calendar arithmetic accepts; beyond it millis would overflow int64.
constexpr int64_t kMaxCivilYear = 290000000;

/// a + b, saturating at the int64 limits instead of overflowing (for instants far outside ETERNITY).
inline int64_t SaturatingAdd(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b > 0 ? INT64_MAX : INT64_MIN;
  return sum;
}

inline bool IsLeapYear(int64_t year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

inline int DaysInMonth(int64_t year, int month) {
  static constexpr int kDays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return month == 2 && IsLeapYear(year) ? 29 : kDays[month - 1];
}

inline int DaysInYear(int64_t year) { return IsLeapYear(year) ? 366 : 365; }

/// ISO day of week of a day number (days since 1970-01-01): 1=Monday .. 7=Sunday.
inline int DayOfWeekOfDays(int64_t days) { return static_cast<int>(FloorMod(days + 3, 7)) + 1; }

/// Adds `months` to the year and month of `civil`, clamping the day to the new month's length
/// (Jan 31 + 1 month = Feb 28/29). Returns false, leaving `civil` unchanged, when the year would
/// leave +-kMaxCivilYear.
inline bool AddMonthsClamped(CivilTime* civil, int64_t months) {
  // Bound `months` first so that the sum below cannot overflow.
  if (months > 12 * 2 * kMaxCivilYear || months < -12 * 2 * kMaxCivilYear) return false;
  int64_t total = civil->year * 12 + (civil->month - 1) + months;
  int64_t year = FloorDiv(total, 12);
  if (year > kMaxCivilYear || year < -kMaxCivilYear) return false;
  civil->year = year;
  civil->month = static_cast<int>(total - year * 12) + 1;
  int max_day = DaysInMonth(year, civil->month);
  if (civil->day > max_day) civil->day = max_day;
  return true;
}

}  // namespace strata::types::internal
