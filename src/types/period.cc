#include "types/period.h"

#include <limits>

#include "types/internal/ascii.h"
#include "types/internal/calendar.h"

namespace strata::types {
namespace {

// Field positions in the order ISO-8601 requires them: Y M W D, then after 'T': H M S.
enum FieldIndex { kYears, kMonths, kWeeks, kDays, kHours, kMinutes, kSeconds };

Status MalformedPeriod(std::string_view text) {
  return Status::InvalidInput("Cannot parse [" + std::string(text) + "] as an ISO-8601 period");
}

void AppendField(std::string* out, int64_t value, char designator) {
  if (value == 0) return;
  out->append(std::to_string(value));
  out->push_back(designator);
}

int64_t ClampToInstantRange(__int128 value) {
  if (value < kMinInstant) return kMinInstant;
  if (value > kMaxInstant) return kMaxInstant;
  return static_cast<int64_t>(value);
}

}  // namespace

Result<Period> Period::Parse(std::string_view text) {
  Period period;
  size_t pos = 0;
  if (text.empty() || internal::ToUpperAscii(text[0]) != 'P') return MalformedPeriod(text);
  ++pos;
  bool in_time = false;
  bool any_field = false;
  bool any_time_field = false;
  int last_index = -1;
  while (pos < text.size()) {
    if (internal::ToUpperAscii(text[pos]) == 'T') {
      if (in_time) return MalformedPeriod(text);
      in_time = true;
      ++pos;
      continue;
    }
    int64_t sign = 1;
    if (text[pos] == '-' || text[pos] == '+') {
      sign = text[pos] == '-' ? -1 : 1;
      ++pos;
    }
    size_t digits_start = pos;
    int64_t magnitude = 0;
    while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
      magnitude = magnitude * 10 + (text[pos] - '0');
      if (magnitude > std::numeric_limits<int32_t>::max()) return MalformedPeriod(text);
      ++pos;
    }
    if (pos == digits_start) return MalformedPeriod(text);
    bool has_fraction = false;
    int64_t fraction_millis = 0;
    if (pos < text.size() && (text[pos] == '.' || text[pos] == ',')) {
      has_fraction = true;
      ++pos;
      size_t fraction_start = pos;
      while (pos < text.size() && text[pos] >= '0' && text[pos] <= '9') {
        if (pos - fraction_start < 3) fraction_millis = fraction_millis * 10 + (text[pos] - '0');
        ++pos;
      }
      size_t fraction_digits = pos - fraction_start;
      if (fraction_digits == 0) return MalformedPeriod(text);
      for (size_t i = fraction_digits; i < 3; ++i) fraction_millis *= 10;
    }
    if (pos >= text.size()) return MalformedPeriod(text);
    char designator = internal::ToUpperAscii(text[pos]);
    ++pos;
    int index;
    if (!in_time) {
      switch (designator) {
        case 'Y': index = kYears; break;
        case 'M': index = kMonths; break;
        case 'W': index = kWeeks; break;
        case 'D': index = kDays; break;
        default: return MalformedPeriod(text);
      }
    } else {
      switch (designator) {
        case 'H': index = kHours; break;
        case 'M': index = kMinutes; break;
        case 'S': index = kSeconds; break;
        default: return MalformedPeriod(text);
      }
    }
    if (index <= last_index || (has_fraction && index != kSeconds)) return MalformedPeriod(text);
    last_index = index;
    any_field = true;
    if (in_time) any_time_field = true;
    int32_t value = static_cast<int32_t>(sign * magnitude);
    switch (index) {
      case kYears: period.years = value; break;
      case kMonths: period.months = value; break;
      case kWeeks: period.weeks = value; break;
      case kDays: period.days = value; break;
      case kHours: period.hours = value; break;
      case kMinutes: period.minutes = value; break;
      default:
        period.seconds = value;
        period.millis = static_cast<int32_t>(sign * fraction_millis);
        break;
    }
  }
  if (!any_field || (in_time && !any_time_field) || period.is_zero()) return MalformedPeriod(text);
  return period;
}

std::string Period::ToString() const {
  std::string out = "P";
  AppendField(&out, years, 'Y');
  AppendField(&out, months, 'M');
  AppendField(&out, weeks, 'W');
  AppendField(&out, days, 'D');
  int64_t second_millis = static_cast<int64_t>(seconds) * kMillisPerSecond + millis;
  if (hours != 0 || minutes != 0 || second_millis != 0) {
    out.push_back('T');
    AppendField(&out, hours, 'H');
    AppendField(&out, minutes, 'M');
    if (second_millis != 0) {
      // Joda prints seconds and millis as one field: "PT1.500S", "PT-0.500S".
      if (second_millis < 0 && second_millis > -kMillisPerSecond) out.push_back('-');
      out.append(std::to_string(second_millis / kMillisPerSecond));
      int64_t fraction = (second_millis < 0 ? -second_millis : second_millis) % kMillisPerSecond;
      if (fraction != 0) {
        out.push_back('.');
        out.push_back(static_cast<char>('0' + fraction / 100));
        out.push_back(static_cast<char>('0' + fraction / 10 % 10));
        out.push_back(static_cast<char>('0' + fraction % 10));
      }
      out.push_back('S');
    }
  }
  if (out.size() == 1) out = "PT0S";
  return out;
}

bool Period::is_zero() const {
  return years == 0 && months == 0 && weeks == 0 && days == 0 && hours == 0 && minutes == 0 &&
         seconds == 0 && millis == 0;
}

int64_t Period::FixedMillis() const {
  return static_cast<int64_t>(weeks) * 7 * kMillisPerDay + static_cast<int64_t>(days) * kMillisPerDay +
         static_cast<int64_t>(hours) * kMillisPerHour + static_cast<int64_t>(minutes) * kMillisPerMinute +
         static_cast<int64_t>(seconds) * kMillisPerSecond + millis;
}

int Period::NumFields() const {
  return (years != 0) + (months != 0) + (weeks != 0) + (days != 0) + (hours != 0) + (minutes != 0) +
         (seconds != 0) + (millis != 0);
}

int64_t AddPeriod(int64_t millis, const Period& period, int64_t amount, const TimeZone& zone) {
  if (amount == 0 || period.is_zero()) return millis;
  // Results saturate at the ETERNITY bounds instead of overflowing.
  int64_t t = ClampToInstantRange(millis);
  if (period.years != 0 || period.months != 0 || period.weeks != 0 || period.days != 0) {
    // Calendar fields move the local wall time, like Joda's zoned chronology.
    int64_t local = zone.ToLocal(t);
    int64_t days = FloorDiv(local, kMillisPerDay);
    int64_t time_of_day = local - days * kMillisPerDay;
    if (period.years != 0 || period.months != 0) {
      CivilTime civil;
      CivilFromDays(days, &civil);
      // Years first, then months, each clamping the day (as Joda adds field by field).
      __int128 year_months = static_cast<__int128>(period.years) * 12 * amount;
      __int128 months = static_cast<__int128>(period.months) * amount;
      bool forward = (year_months != 0 ? year_months : months) > 0;
      if (year_months > std::numeric_limits<int64_t>::max() || year_months < std::numeric_limits<int64_t>::min() ||
          months > std::numeric_limits<int64_t>::max() || months < std::numeric_limits<int64_t>::min() ||
          !internal::AddMonthsClamped(&civil, static_cast<int64_t>(year_months)) ||
          !internal::AddMonthsClamped(&civil, static_cast<int64_t>(months))) {
        return forward ? kMaxInstant : kMinInstant;
      }
      days = DaysFromCivil(civil.year, civil.month, civil.day);
    }
    __int128 new_days =
        static_cast<__int128>(days) + (static_cast<__int128>(period.weeks) * 7 + period.days) * amount;
    __int128 new_local = new_days * kMillisPerDay + time_of_day;
    if (new_local <= kMinInstant) return kMinInstant;
    if (new_local >= kMaxInstant) return kMaxInstant;
    t = zone.FromLocal(static_cast<int64_t>(new_local));
  }
  int64_t exact = static_cast<int64_t>(period.hours) * kMillisPerHour +
                  static_cast<int64_t>(period.minutes) * kMillisPerMinute +
                  static_cast<int64_t>(period.seconds) * kMillisPerSecond + period.millis;
  if (exact == 0) return ClampToInstantRange(t);
  return ClampToInstantRange(static_cast<__int128>(t) + static_cast<__int128>(exact) * amount);
}

}  // namespace strata::types
