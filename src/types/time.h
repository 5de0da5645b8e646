// Instants, civil time, time zones and ISO-8601 text.
//
// Strata keeps every timestamp as int64 milliseconds since 1970-01-01T00:00:00Z (like Druid's
// `__time`). This file converts between that and civil (calendar) time in a zone, and parses and
// formats ISO-8601 and SQL timestamp text. Zones come from the IANA database (Howard Hinnant's
// date/tz on the OS tzdata) or are fixed offsets such as "-08:00".
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"

namespace date {
class time_zone;
}

namespace strata::types {

constexpr int64_t kMillisPerSecond = 1000;
constexpr int64_t kMillisPerMinute = 60 * kMillisPerSecond;
constexpr int64_t kMillisPerHour = 60 * kMillisPerMinute;
constexpr int64_t kMillisPerDay = 24 * kMillisPerHour;

/// Druid's ETERNITY bounds (JodaUtils.MIN_INSTANT / MAX_INSTANT):
/// -146136543-09-08T08:23:32.096Z and 146140482-04-24T15:36:27.903Z.
constexpr int64_t kMinInstant = -4611686018427387904LL;
constexpr int64_t kMaxInstant = 4611686018427387903LL;

/// Calendar fields (proleptic Gregorian). month 1-12, day 1-31, day_of_week 1=Monday..7=Sunday.
struct CivilTime {
  int64_t year = 1970;
  int month = 1;
  int day = 1;
  int hour = 0;
  int minute = 0;
  int second = 0;
  int millis = 0;
};

/// Days since 1970-01-01 of the given date (any year, including negative).
int64_t DaysFromCivil(int64_t year, int month, int day);
/// Inverse of DaysFromCivil; fills year, month, day of `out`.
void CivilFromDays(int64_t days, CivilTime* out);
/// UTC civil time of an instant.
CivilTime ToCivilUtc(int64_t millis);
/// Instant of a UTC civil time.
int64_t FromCivilUtc(const CivilTime& civil);
/// ISO day of week of an instant in UTC: 1=Monday .. 7=Sunday.
int DayOfWeekUtc(int64_t millis);
/// Floor division that rounds toward negative infinity.
inline int64_t FloorDiv(int64_t a, int64_t b) {
  int64_t q = a / b;
  return (a % b != 0 && ((a < 0) != (b < 0))) ? q - 1 : q;
}
inline int64_t FloorMod(int64_t a, int64_t b) { return a - FloorDiv(a, b) * b; }

/// A time zone: UTC, a fixed offset, or an IANA region. Cheap to copy.
class TimeZone {
 public:
  TimeZone() = default;  // UTC
  static TimeZone Utc() { return TimeZone(); }
  /// Finds a zone by name: "UTC", "Z", "Etc/UTC", "GMT", "America/Los_Angeles", "+05:30",
  /// "-08:00", "UTC+01:00". Unknown names fail with InvalidInput naming the zone.
  static Result<TimeZone> Find(std::string_view name);
  static TimeZone FixedOffset(int64_t offset_millis);

  bool is_utc() const { return zone_ == nullptr && offset_millis_ == 0; }
  bool is_fixed() const { return zone_ == nullptr; }
  /// The name given to Find ("UTC" for the default).
  const std::string& name() const;
  /// Offset from UTC, in millis, in effect at `utc_millis`.
  int64_t OffsetAt(int64_t utc_millis) const;
  /// Local wall-clock millis (as if UTC) of an instant.
  int64_t ToLocal(int64_t utc_millis) const { return utc_millis + OffsetAt(utc_millis); }
  /// The instant of a local wall-clock time. In a gap the later offset wins (time moves forward,
  /// like Joda); in an overlap the earlier instant is chosen.
  int64_t FromLocal(int64_t local_millis) const;

 private:
  const date::time_zone* zone_ = nullptr;
  int64_t offset_millis_ = 0;
  std::shared_ptr<const std::string> name_;
};

/// ISO-8601 with milliseconds, as Druid prints timestamps: "2015-09-12T00:46:58.771Z" in UTC,
/// "2015-09-11T17:46:58.771-07:00" elsewhere. Years outside 0000-9999 are printed with a sign
/// and at least 4 digits (e.g. "-146136543-09-08T08:23:32.096Z").
std::string FormatIso8601(int64_t millis, const TimeZone& zone = TimeZone());

/// Parses ISO-8601 date-time text: "2015-09-12", "2015-09-12T00", "2015-09-12T00:46",
/// "2015-09-12T00:46:58", with optional fraction ".7"/".771"/".771123" (extra digits
/// truncated), with "Z", "+05:30", "+0530" or "-08" offsets; a space may replace 'T'. Text
/// without an offset is read in `zone`. Also "2015" and "2015-09". Leading/trailing whitespace is
/// not allowed. Fails with InvalidInput quoting the text.
Result<int64_t> ParseIso8601(std::string_view text, const TimeZone& zone = TimeZone());

/// Parses a SQL TIMESTAMP/DATE literal body: "yyyy-MM-dd HH:mm:ss[.fff]" or "yyyy-MM-dd" (also
/// accepts the ISO 'T' form), read in `zone`.
Result<int64_t> ParseSqlTimestamp(std::string_view text, const TimeZone& zone);
/// "yyyy-MM-dd HH:mm:ss" (plus ".SSS" when millis are non-zero), in `zone`: CAST(ts AS VARCHAR).
std::string FormatSqlTimestamp(int64_t millis, const TimeZone& zone);
/// "yyyy-MM-dd" in `zone`: CAST(date AS VARCHAR).
std::string FormatSqlDate(int64_t millis, const TimeZone& zone);

}  // namespace strata::types
