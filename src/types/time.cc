#include "types/time.h"

#include <date/tz.h>

#include <algorithm>
#include <chrono>
#include <exception>
#include <cstdlib>
#include <limits>
#include <mutex>
#include <optional>
#include <unordered_map>

#include "base/thread_annotations.h"
#include "types/internal/ascii.h"
#include "types/internal/calendar.h"
#include "types/internal/posix_tz.h"

namespace strata::types {
namespace {

using internal::DaysInMonth;
using internal::EqualsIgnoreCase;
using internal::SaturatingAdd;

// date/tz reports the period after a zone's last explicit transition as lasting until about
// year 32767; any period ending after this (year 10000) is that open-ended last one, where the
// TZif footer rule governs instead (see internal/posix_tz.h).
constexpr int64_t kOpenEndedPeriodSeconds = 253402300800;

int64_t SecondsToMillisSaturated(int64_t seconds) {
  constexpr int64_t kLimit = std::numeric_limits<int64_t>::max() / kMillisPerSecond;
  if (seconds >= kLimit) return std::numeric_limits<int64_t>::max();
  if (seconds <= -kLimit) return std::numeric_limits<int64_t>::min();
  return seconds * kMillisPerSecond;
}

// One-entry per-thread cache of the last offset period looked up, so that scanning many
// timestamps of one zone costs a comparison instead of a tzdata search.
struct OffsetCache {
  const date::time_zone* zone = nullptr;
  int64_t begin_millis = 0;
  int64_t end_millis = 0;
  int64_t offset_millis = 0;
};
thread_local OffsetCache offset_cache;

// The footer rules of the zones used so far, read once per zone. Entries are never removed, so
// pointers to them stay valid.
class FooterRules {
 public:
  /// The footer rule of `zone` when it has daylight saving time, else nullptr.
  const internal::PosixTzRule* Find(const date::time_zone* zone) {
    std::lock_guard<std::mutex> lock(mu_);
    auto [it, inserted] = rules_.try_emplace(zone);
    if (inserted) {
      const char* tz_dir = std::getenv("TZDIR");
      std::string path = std::string(tz_dir != nullptr && *tz_dir != '\0' ? tz_dir : "/usr/share/zoneinfo") + "/" +
                         std::string(zone->name());
      it->second = internal::ReadTzifFooter(path);
    }
    return it->second && it->second->has_dst ? &*it->second : nullptr;
  }

 private:
  std::mutex mu_;
  std::unordered_map<const date::time_zone*, std::optional<internal::PosixTzRule>> rules_ GUARDED_BY(mu_);
};

FooterRules& GlobalFooterRules() {
  static FooterRules* rules = new FooterRules();  // never destroyed: used from any thread until exit
  return *rules;
}

// Offset of `zone` at `seconds` and the span it holds for: from the explicit transitions, or
// from the footer rule after the last one.
internal::OffsetSpan ZoneOffsetAt(const date::time_zone* zone, int64_t seconds) {
  date::sys_info info = zone->get_info(date::sys_seconds{std::chrono::seconds{seconds}});
  int64_t begin = info.begin.time_since_epoch().count();
  int64_t end = info.end.time_since_epoch().count();
  if (end >= kOpenEndedPeriodSeconds) {
    if (const internal::PosixTzRule* rule = GlobalFooterRules().Find(zone)) {
      internal::OffsetSpan span = rule->OffsetAt(seconds);
      span.begin_seconds = std::max(span.begin_seconds, begin);
      return span;
    }
  }
  return internal::OffsetSpan{info.offset.count(), begin, end};
}

const std::string& UtcName() {
  static const std::string kUtc = "UTC";
  return kUtc;
}

bool IsUtcAlias(std::string_view name) {
  static constexpr std::string_view kAliases[] = {
      "UTC", "Z", "Etc/UTC", "GMT", "Etc/GMT", "UT", "UCT", "Etc/UCT", "Zulu", "Etc/Zulu",
      "Universal", "Etc/Universal", "Greenwich", "Etc/Greenwich", "GMT0", "Etc/GMT0",
      "Etc/GMT+0", "Etc/GMT-0", "GMT+0", "GMT-0"};
  for (std::string_view alias : kAliases) {
    if (EqualsIgnoreCase(alias, name)) return true;
  }
  return false;
}

// Parses "+hh", "+hh:mm", "+hhmm", "+h", "+hh:mm:ss" (sign required) into millis.
bool ParseOffsetText(std::string_view text, int64_t* offset_millis) {
  if (text.size() < 2 || (text[0] != '+' && text[0] != '-')) return false;
  int64_t sign = text[0] == '-' ? -1 : 1;
  size_t pos = 1;
  auto read_number = [&](int max_digits, int* value) {
    int digits = 0;
    *value = 0;
    while (pos < text.size() && digits < max_digits && text[pos] >= '0' && text[pos] <= '9') {
      *value = *value * 10 + (text[pos] - '0');
      ++pos;
      ++digits;
    }
    return digits;
  };
  int hours = 0, minutes = 0, seconds = 0;
  if (read_number(2, &hours) == 0) return false;
  if (pos < text.size()) {
    bool colon = text[pos] == ':';
    if (colon) ++pos;
    if (read_number(2, &minutes) != 2) return false;
    if (pos < text.size()) {
      if (colon) {
        if (text[pos] != ':') return false;
        ++pos;
      }
      if (read_number(2, &seconds) != 2) return false;
    }
  }
  if (pos != text.size() || hours > 23 || minutes > 59 || seconds > 59) return false;
  *offset_millis = sign * (hours * kMillisPerHour + minutes * kMillisPerMinute + seconds * kMillisPerSecond);
  return true;
}

// Writes `value` (>= 0) as exactly `width` digits at `out`.
inline void WriteDigits(char* out, int64_t value, int width) {
  for (int i = width - 1; i >= 0; --i) {
    out[i] = static_cast<char>('0' + value % 10);
    value /= 10;
  }
}

// Writes a year as Joda does: 4 digits in 0..9999, else a '-' for negative years and at least
// 4 digits (no '+' for large positive years). Returns the end of the written text.
char* WriteYear(char* out, int64_t year) {
  if (year >= 0 && year <= 9999) {
    WriteDigits(out, year, 4);
    return out + 4;
  }
  uint64_t magnitude;
  if (year < 0) {
    *out++ = '-';
    magnitude = static_cast<uint64_t>(-(year + 1)) + 1;
  } else {
    magnitude = static_cast<uint64_t>(year);
  }
  char reversed[24];
  int count = 0;
  while (magnitude > 0) {
    reversed[count++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  }
  while (count < 4) reversed[count++] = '0';
  while (count > 0) *out++ = reversed[--count];
  return out;
}

// Writes "yyyy-MM-dd" and returns the end.
char* WriteDate(char* out, const CivilTime& civil) {
  out = WriteYear(out, civil.year);
  out[0] = '-';
  WriteDigits(out + 1, civil.month, 2);
  out[3] = '-';
  WriteDigits(out + 4, civil.day, 2);
  return out + 6;
}

// Writes "HH:mm:ss" and returns the end.
char* WriteTime(char* out, const CivilTime& civil) {
  WriteDigits(out, civil.hour, 2);
  out[2] = ':';
  WriteDigits(out + 3, civil.minute, 2);
  out[5] = ':';
  WriteDigits(out + 6, civil.second, 2);
  return out + 8;
}

// Writes "Z" for a zero offset, else "+hh:mm" (with ":ss" and ".SSS" when not whole minutes).
char* WriteOffset(char* out, int64_t offset_millis) {
  if (offset_millis == 0) {
    *out++ = 'Z';
    return out;
  }
  *out++ = offset_millis < 0 ? '-' : '+';
  int64_t magnitude = offset_millis < 0 ? -offset_millis : offset_millis;
  WriteDigits(out, magnitude / kMillisPerHour, 2);
  out[2] = ':';
  WriteDigits(out + 3, magnitude / kMillisPerMinute % 60, 2);
  out += 5;
  int64_t rest = magnitude % kMillisPerMinute;
  if (rest != 0) {
    *out++ = ':';
    WriteDigits(out, rest / kMillisPerSecond, 2);
    out += 2;
    if (rest % kMillisPerSecond != 0) {
      *out++ = '.';
      WriteDigits(out, rest % kMillisPerSecond, 3);
      out += 3;
    }
  }
  return out;
}

// Cursor over ISO-8601 text. Every Read* returns false without consuming on a mismatch.
struct IsoCursor {
  std::string_view text;
  size_t pos = 0;

  bool AtEnd() const { return pos >= text.size(); }
  char Peek() const { return pos < text.size() ? text[pos] : '\0'; }
  static bool IsDigit(char c) { return c >= '0' && c <= '9'; }

  // Reads min_digits..max_digits digits.
  bool ReadNumber(int min_digits, int max_digits, int64_t* value) {
    size_t start = pos;
    int64_t result = 0;
    while (pos < text.size() && pos - start < static_cast<size_t>(max_digits) && IsDigit(text[pos])) {
      result = result * 10 + (text[pos] - '0');
      ++pos;
    }
    if (pos - start < static_cast<size_t>(min_digits)) {
      pos = start;
      return false;
    }
    *value = result;
    return true;
  }
};

struct ParsedDateTime {
  CivilTime civil;
  bool has_offset = false;
  int64_t offset_millis = 0;
};

// Parses the grammar documented at ParseIso8601 (' ' may stand for 'T').
bool ParseIsoDateTime(std::string_view text, ParsedDateTime* out) {
  IsoCursor cursor{text};
  CivilTime& civil = out->civil;
  civil = CivilTime{};
  // Year: optional sign and 1..9 digits (Joda reads up to 9).
  int64_t sign = 1;
  if (cursor.Peek() == '-' || cursor.Peek() == '+') {
    sign = cursor.Peek() == '-' ? -1 : 1;
    ++cursor.pos;
  }
  int64_t year = 0;
  if (!cursor.ReadNumber(1, 9, &year)) return false;
  civil.year = sign * year;
  int64_t value = 0;
  if (cursor.Peek() == '-') {
    ++cursor.pos;
    if (!cursor.ReadNumber(1, 2, &value) || value < 1 || value > 12) return false;
    civil.month = static_cast<int>(value);
    if (cursor.Peek() == '-') {
      ++cursor.pos;
      if (!cursor.ReadNumber(1, 2, &value) || value < 1 || value > DaysInMonth(civil.year, civil.month)) {
        return false;
      }
      civil.day = static_cast<int>(value);
    }
  }
  if (cursor.AtEnd()) return true;
  char separator = cursor.Peek();
  if (separator != 'T' && separator != 't' && separator != ' ') return false;
  ++cursor.pos;
  if (!cursor.ReadNumber(1, 2, &value) || value > 23) return false;
  civil.hour = static_cast<int>(value);
  if (cursor.Peek() == ':') {
    ++cursor.pos;
    if (!cursor.ReadNumber(1, 2, &value) || value > 59) return false;
    civil.minute = static_cast<int>(value);
    if (cursor.Peek() == ':') {
      ++cursor.pos;
      if (!cursor.ReadNumber(1, 2, &value) || value > 59) return false;
      civil.second = static_cast<int>(value);
      if (cursor.Peek() == '.' || cursor.Peek() == ',') {
        ++cursor.pos;
        size_t start = cursor.pos;
        int millis = 0;
        while (!cursor.AtEnd() && IsoCursor::IsDigit(cursor.Peek()) && cursor.pos - start < 9) {
          if (cursor.pos - start < 3) millis = millis * 10 + (cursor.Peek() - '0');
          ++cursor.pos;
        }
        size_t digits = cursor.pos - start;
        if (digits == 0) return false;
        for (size_t i = digits; i < 3; ++i) millis *= 10;
        civil.millis = millis;
      }
    }
  }
  if (cursor.AtEnd()) return true;
  char zone = cursor.Peek();
  if (zone == 'Z' || zone == 'z') {
    ++cursor.pos;
    out->has_offset = true;
    out->offset_millis = 0;
    return cursor.AtEnd();
  }
  if (zone != '+' && zone != '-') return false;
  int64_t offset_sign = zone == '-' ? -1 : 1;
  ++cursor.pos;
  // "+hh", "+hh:mm", "+hhmm", and with seconds and millis as FormatIso8601 prints LMT offsets
  // ("-07:52:58").
  int64_t hours = 0, minutes = 0, seconds = 0, millis = 0;
  if (!cursor.ReadNumber(2, 2, &hours) || hours > 23) return false;
  if (!cursor.AtEnd()) {
    bool colon = cursor.Peek() == ':';
    if (colon) ++cursor.pos;
    if (!cursor.ReadNumber(2, 2, &minutes) || minutes > 59) return false;
    if (!cursor.AtEnd()) {
      if (colon && cursor.Peek() != ':') return false;
      if (colon) ++cursor.pos;
      if (!cursor.ReadNumber(2, 2, &seconds) || seconds > 59) return false;
      if (cursor.Peek() == '.') {
        ++cursor.pos;
        if (!cursor.ReadNumber(3, 3, &millis)) return false;
      }
    }
  }
  if (!cursor.AtEnd()) return false;
  out->has_offset = true;
  out->offset_millis =
      offset_sign * (hours * kMillisPerHour + minutes * kMillisPerMinute + seconds * kMillisPerSecond + millis);
  return true;
}

// Local wall millis of a civil time, failing on int64 overflow (years beyond ~292 million).
bool LocalMillisOf(const CivilTime& civil, int64_t* local_millis) {
  int64_t days = DaysFromCivil(civil.year, civil.month, civil.day);
  int64_t day_millis = civil.hour * kMillisPerHour + civil.minute * kMillisPerMinute +
                       civil.second * kMillisPerSecond + civil.millis;
  int64_t result = 0;
  if (__builtin_mul_overflow(days, kMillisPerDay, &result)) return false;
  if (__builtin_add_overflow(result, day_millis, &result)) return false;
  // Keep room for subtracting an offset of up to a day without overflow.
  if (result < std::numeric_limits<int64_t>::min() + 2 * kMillisPerDay ||
      result > std::numeric_limits<int64_t>::max() - 2 * kMillisPerDay) {
    return false;
  }
  *local_millis = result;
  return true;
}

// Shared by ParseIso8601 and ParseSqlTimestamp; `what` names the expected form in errors.
Result<int64_t> ParseDateTimeText(std::string_view text, const TimeZone& zone, std::string_view what) {
  ParsedDateTime parsed;
  int64_t local = 0;
  if (!ParseIsoDateTime(text, &parsed) || !LocalMillisOf(parsed.civil, &local)) {
    return Status::InvalidInput("Cannot parse [" + std::string(text) + "] as " + std::string(what));
  }
  if (parsed.has_offset) return local - parsed.offset_millis;
  return zone.FromLocal(local);
}

}  // namespace

int64_t DaysFromCivil(int64_t year, int month, int day) {
  // Counts in 400-year eras starting on March 1st so that the leap day ends each era's year.
  int64_t shifted_year = month <= 2 ? year - 1 : year;
  int64_t era = FloorDiv(shifted_year, 400);
  int64_t year_of_era = shifted_year - era * 400;                      // [0, 399]
  int64_t month_from_march = month > 2 ? month - 3 : month + 9;        // [0, 11]
  int64_t day_of_year = (153 * month_from_march + 2) / 5 + day - 1;    // [0, 365]
  int64_t day_of_era = year_of_era * 365 + year_of_era / 4 - year_of_era / 100 + day_of_year;
  // 719468 = days from 0000-03-01 to 1970-01-01.
  return era * 146097 + day_of_era - 719468;
}

void CivilFromDays(int64_t days, CivilTime* out) {
  int64_t since_march_zero = days + 719468;
  int64_t era = FloorDiv(since_march_zero, 146097);
  int64_t day_of_era = since_march_zero - era * 146097;  // [0, 146096]
  int64_t year_of_era =
      (day_of_era - day_of_era / 1460 + day_of_era / 36524 - day_of_era / 146096) / 365;  // [0, 399]
  int64_t day_of_year = day_of_era - (365 * year_of_era + year_of_era / 4 - year_of_era / 100);
  int64_t month_from_march = (5 * day_of_year + 2) / 153;  // [0, 11]
  out->day = static_cast<int>(day_of_year - (153 * month_from_march + 2) / 5 + 1);
  out->month = static_cast<int>(month_from_march < 10 ? month_from_march + 3 : month_from_march - 9);
  out->year = year_of_era + era * 400 + (out->month <= 2 ? 1 : 0);
}

CivilTime ToCivilUtc(int64_t millis) {
  CivilTime civil;
  // Division and remainder separately: days * kMillisPerDay can overflow near the int64 limits.
  int64_t days = millis / kMillisPerDay;
  int64_t in_day = millis % kMillisPerDay;
  if (in_day < 0) {
    in_day += kMillisPerDay;
    --days;
  }
  CivilFromDays(days, &civil);
  civil.hour = static_cast<int>(in_day / kMillisPerHour);
  civil.minute = static_cast<int>(in_day / kMillisPerMinute % 60);
  civil.second = static_cast<int>(in_day / kMillisPerSecond % 60);
  civil.millis = static_cast<int>(in_day % kMillisPerSecond);
  return civil;
}

int64_t FromCivilUtc(const CivilTime& civil) {
  return DaysFromCivil(civil.year, civil.month, civil.day) * kMillisPerDay + civil.hour * kMillisPerHour +
         civil.minute * kMillisPerMinute + civil.second * kMillisPerSecond + civil.millis;
}

int DayOfWeekUtc(int64_t millis) {
  // 1970-01-01 was a Thursday (4).
  return static_cast<int>(FloorMod(FloorDiv(millis, kMillisPerDay) + 3, 7)) + 1;
}

Result<TimeZone> TimeZone::Find(std::string_view name) {
  TimeZone zone;
  zone.name_ = std::make_shared<const std::string>(name);
  if (IsUtcAlias(name)) return zone;
  std::string_view offset_text = name;
  for (std::string_view prefix : {std::string_view("UTC"), std::string_view("GMT"), std::string_view("UT")}) {
    if (offset_text.size() > prefix.size() && EqualsIgnoreCase(offset_text.substr(0, prefix.size()), prefix) &&
        (offset_text[prefix.size()] == '+' || offset_text[prefix.size()] == '-')) {
      offset_text.remove_prefix(prefix.size());
      break;
    }
  }
  int64_t offset = 0;
  if (ParseOffsetText(offset_text, &offset)) {
    zone.offset_millis_ = offset;
    return zone;
  }
  if (name.empty() || name[0] == '+' || name[0] == '-') {
    return Status::InvalidInput("Unknown time zone [" + std::string(name) + "]");
  }
  try {
    zone.zone_ = date::locate_zone(std::string(name));
  } catch (const std::exception&) {
    return Status::InvalidInput("Unknown time zone [" + std::string(name) + "]");
  }
  return zone;
}

TimeZone TimeZone::FixedOffset(int64_t offset_millis) {
  TimeZone zone;
  if (offset_millis == 0) return zone;
  zone.offset_millis_ = offset_millis;
  char buffer[24];
  char* end = WriteOffset(buffer, offset_millis);
  zone.name_ = std::make_shared<const std::string>(buffer, end);
  return zone;
}

const std::string& TimeZone::name() const { return name_ ? *name_ : UtcName(); }

int64_t TimeZone::OffsetAt(int64_t utc_millis) const {
  if (zone_ == nullptr) return offset_millis_;
  OffsetCache& cache = offset_cache;
  if (cache.zone == zone_ && utc_millis >= cache.begin_millis && utc_millis < cache.end_millis) {
    return cache.offset_millis;
  }
  internal::OffsetSpan span = ZoneOffsetAt(zone_, FloorDiv(utc_millis, kMillisPerSecond));
  cache.zone = zone_;
  cache.begin_millis = SecondsToMillisSaturated(span.begin_seconds);
  cache.end_millis = SecondsToMillisSaturated(span.end_seconds);
  cache.offset_millis = span.offset_seconds * kMillisPerSecond;
  return cache.offset_millis;
}

int64_t TimeZone::FromLocal(int64_t local_millis) const {
  if (zone_ == nullptr) return SaturatingAdd(local_millis, -offset_millis_);
  // Fast path: the offset of a nearby instant is valid and no other offset period is within a
  // day, so the local time is neither in a gap nor in an overlap.
  int64_t guess_offset = OffsetAt(local_millis);
  int64_t candidate = SaturatingAdd(local_millis, -guess_offset);
  const OffsetCache& cache = offset_cache;
  if (cache.zone == zone_ && candidate >= SaturatingAdd(cache.begin_millis, kMillisPerDay) &&
      candidate < SaturatingAdd(cache.end_millis, -kMillisPerDay) && cache.offset_millis == guess_offset) {
    return candidate;
  }
  // Every offset that can apply is in effect within a day of the local time (read as UTC).
  // A valid one maps back to the local time; the earliest resulting instant wins an overlap,
  // and in a gap the smaller offset (the one before the gap) moves the wall time forward.
  int64_t offsets[3] = {OffsetAt(SaturatingAdd(local_millis, -kMillisPerDay)), guess_offset,
                        OffsetAt(SaturatingAdd(local_millis, kMillisPerDay))};
  std::optional<int64_t> earliest;
  int64_t smallest_offset = offsets[0];
  for (int64_t offset : offsets) {
    smallest_offset = std::min(smallest_offset, offset);
    int64_t instant = SaturatingAdd(local_millis, -offset);
    if (OffsetAt(instant) == offset && (!earliest || instant < *earliest)) earliest = instant;
  }
  return earliest ? *earliest : SaturatingAdd(local_millis, -smallest_offset);
}

std::string FormatIso8601(int64_t millis, const TimeZone& zone) {
  int64_t offset = zone.OffsetAt(millis);
  CivilTime civil = ToCivilUtc(SaturatingAdd(millis, offset));
  char buffer[64];
  char* out = WriteDate(buffer, civil);
  *out++ = 'T';
  out = WriteTime(out, civil);
  *out++ = '.';
  WriteDigits(out, civil.millis, 3);
  out += 3;
  out = WriteOffset(out, offset);
  return std::string(buffer, out);
}

Result<int64_t> ParseIso8601(std::string_view text, const TimeZone& zone) {
  return ParseDateTimeText(text, zone, "an ISO-8601 timestamp");
}

Result<int64_t> ParseSqlTimestamp(std::string_view text, const TimeZone& zone) {
  return ParseDateTimeText(text, zone, "a SQL timestamp");
}

std::string FormatSqlTimestamp(int64_t millis, const TimeZone& zone) {
  CivilTime civil = ToCivilUtc(SaturatingAdd(millis, zone.OffsetAt(millis)));
  char buffer[48];
  char* out = WriteDate(buffer, civil);
  *out++ = ' ';
  out = WriteTime(out, civil);
  if (civil.millis != 0) {
    *out++ = '.';
    WriteDigits(out, civil.millis, 3);
    out += 3;
  }
  return std::string(buffer, out);
}

std::string FormatSqlDate(int64_t millis, const TimeZone& zone) {
  CivilTime civil = ToCivilUtc(SaturatingAdd(millis, zone.OffsetAt(millis)));
  char buffer[32];
  char* out = WriteDate(buffer, civil);
  return std::string(buffer, out);
}

}  // namespace strata::types
