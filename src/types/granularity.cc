#include "types/granularity.h"

#include <algorithm>
#include <cmath>

#include "types/internal/ascii.h"
#include "types/internal/calendar.h"

namespace strata::types {
namespace {

// The calendar unit a single-field period of 1 floors to.
enum class CalendarUnit : uint8_t { kYear, kMonth, kWeek, kDay, kHour, kMinute, kSecond, kMillis };

// How a period granularity finds its buckets:
//  - kCalendar: single field of value 1 and no origin: floor to the calendar unit in the zone.
//  - kFixed: every field has a fixed length here (time fields always; weeks and days in a fixed
//    zone): whole periods counted from the origin with integer math.
//  - kCounted: whole periods counted from the origin with calendar arithmetic (months, or days
//    in a zone with DST, or compound periods mixing them).
enum class Mode : uint8_t { kCalendar, kFixed, kCounted };

struct StandardName {
  std::string_view name;
  Period period;
};

Period MakePeriod(int32_t years, int32_t months, int32_t weeks, int32_t days, int32_t hours, int32_t minutes,
                  int32_t seconds) {
  Period period;
  period.years = years;
  period.months = months;
  period.weeks = weeks;
  period.days = days;
  period.hours = hours;
  period.minutes = minutes;
  period.seconds = seconds;
  return period;
}

const StandardName* StandardNames(size_t* count) {
  static const StandardName kNames[] = {
      {"SECOND", MakePeriod(0, 0, 0, 0, 0, 0, 1)},
      {"MINUTE", MakePeriod(0, 0, 0, 0, 0, 1, 0)},
      {"FIVE_MINUTE", MakePeriod(0, 0, 0, 0, 0, 5, 0)},
      {"TEN_MINUTE", MakePeriod(0, 0, 0, 0, 0, 10, 0)},
      {"FIFTEEN_MINUTE", MakePeriod(0, 0, 0, 0, 0, 15, 0)},
      {"THIRTY_MINUTE", MakePeriod(0, 0, 0, 0, 0, 30, 0)},
      {"HOUR", MakePeriod(0, 0, 0, 0, 1, 0, 0)},
      {"SIX_HOUR", MakePeriod(0, 0, 0, 0, 6, 0, 0)},
      {"EIGHT_HOUR", MakePeriod(0, 0, 0, 0, 8, 0, 0)},
      {"DAY", MakePeriod(0, 0, 0, 1, 0, 0, 0)},
      {"WEEK", MakePeriod(0, 0, 1, 0, 0, 0, 0)},
      {"MONTH", MakePeriod(0, 1, 0, 0, 0, 0, 0)},
      {"QUARTER", MakePeriod(0, 3, 0, 0, 0, 0, 0)},
      {"YEAR", MakePeriod(1, 0, 0, 0, 0, 0, 0)},
  };
  *count = sizeof(kNames) / sizeof(kNames[0]);
  return kNames;
}

// A usable bucketing period: no negative field and at least one positive one.
bool IsPositive(const Period& p) {
  return p.years >= 0 && p.months >= 0 && p.weeks >= 0 && p.days >= 0 && p.hours >= 0 && p.minutes >= 0 &&
         p.seconds >= 0 && p.millis >= 0 && !p.is_zero();
}

// The unit of a single-field period whose value is 1; false otherwise.
bool SingleUnit(const Period& p, CalendarUnit* unit) {
  if (p.NumFields() != 1) return false;
  if (p.years == 1) *unit = CalendarUnit::kYear;
  else if (p.months == 1) *unit = CalendarUnit::kMonth;
  else if (p.weeks == 1) *unit = CalendarUnit::kWeek;
  else if (p.days == 1) *unit = CalendarUnit::kDay;
  else if (p.hours == 1) *unit = CalendarUnit::kHour;
  else if (p.minutes == 1) *unit = CalendarUnit::kMinute;
  else if (p.seconds == 1) *unit = CalendarUnit::kSecond;
  else if (p.millis == 1) *unit = CalendarUnit::kMillis;
  else return false;
  return true;
}

int64_t UnitMillis(CalendarUnit unit) {
  switch (unit) {
    case CalendarUnit::kHour: return kMillisPerHour;
    case CalendarUnit::kMinute: return kMillisPerMinute;
    case CalendarUnit::kSecond: return kMillisPerSecond;
    default: return 1;
  }
}

bool IsTimeUnit(CalendarUnit unit) {
  return unit == CalendarUnit::kHour || unit == CalendarUnit::kMinute || unit == CalendarUnit::kSecond ||
         unit == CalendarUnit::kMillis;
}

// Floors local wall millis to a date-based unit (year, month, week, day). With `step` = 1 returns
// the start of the following unit instead.
int64_t FloorLocalDate(int64_t local, CalendarUnit unit, int step) {
  int64_t days = FloorDiv(local, kMillisPerDay);
  switch (unit) {
    case CalendarUnit::kYear: {
      CivilTime civil;
      CivilFromDays(days, &civil);
      return DaysFromCivil(civil.year + step, 1, 1) * kMillisPerDay;
    }
    case CalendarUnit::kMonth: {
      CivilTime civil;
      CivilFromDays(days, &civil);
      civil.day = 1;
      internal::AddMonthsClamped(&civil, step);
      return DaysFromCivil(civil.year, civil.month, 1) * kMillisPerDay;
    }
    case CalendarUnit::kWeek: {
      int64_t monday = days - (internal::DayOfWeekOfDays(days) - 1);
      return (monday + 7 * step) * kMillisPerDay;
    }
    default:
      return (days + step) * kMillisPerDay;
  }
}

Mode ModeOf(const Period& period, const TimeZone& zone, bool has_origin, CalendarUnit* unit) {
  if (!has_origin && SingleUnit(period, unit)) return Mode::kCalendar;
  if (period.years == 0 && period.months == 0 &&
      (zone.is_fixed() || (period.weeks == 0 && period.days == 0))) {
    return Mode::kFixed;
  }
  return Mode::kCounted;
}

// The instant `count` periods after `origin`; saturates at the ETERNITY bounds.
int64_t BucketStart(int64_t origin, const Period& period, const TimeZone& zone, int64_t count) {
  return AddPeriod(origin, period, count, zone);
}

// Fast path of kCounted for a single month-based field (P3M, P2Y) in a fixed zone with the
// default origin: buckets start on the first of a month, counted in months from 1970-01.
// Returns the start of the bucket `step` buckets after the one containing `t`, saturated at
// the ETERNITY bounds like BucketStart.
bool FixedZoneMonthBucket(int64_t t, const Period& period, const TimeZone& zone, bool has_origin, int step,
                          int64_t* start) {
  if (has_origin || !zone.is_fixed() || period.NumFields() != 1 || (period.years == 0 && period.months == 0)) {
    return false;
  }
  int64_t offset = zone.OffsetAt(0);
  CivilTime local = ToCivilUtc(t + offset);
  int64_t unit = static_cast<int64_t>(period.years) * 12 + period.months;
  int64_t epoch_month = 1970 * 12;
  int64_t month = local.year * 12 + (local.month - 1);
  int64_t bucket_month = epoch_month + (FloorDiv(month - epoch_month, unit) + step) * unit;
  int64_t year = FloorDiv(bucket_month, 12);
  int64_t local_start = DaysFromCivil(year, static_cast<int>(bucket_month - year * 12) + 1, 1) * kMillisPerDay;
  *start = std::clamp(local_start - offset, kMinInstant, kMaxInstant);
  return true;
}

// Index (in periods from `origin`) of the bucket containing `t`, for kCounted.
int64_t CountedIndex(int64_t t, int64_t origin, const Period& period, const TimeZone& zone) {
  int64_t index;
  if (period.NumFields() == 1 && (period.years != 0 || period.months != 0)) {
    // Exact month difference of the wall times, then periods.
    CivilTime local_t = ToCivilUtc(zone.ToLocal(t));
    CivilTime local_origin = ToCivilUtc(zone.ToLocal(origin));
    int64_t months = (local_t.year * 12 + local_t.month) - (local_origin.year * 12 + local_origin.month);
    index = FloorDiv(months, static_cast<int64_t>(period.years) * 12 + period.months);
  } else {
    // Estimate with the average Gregorian month length; the loops below correct the estimate,
    // which is off by at most a couple of periods.
    double average_millis = static_cast<double>(period.years) * 365.2425 * kMillisPerDay +
                            static_cast<double>(period.months) * 30.436875 * kMillisPerDay +
                            static_cast<double>(period.FixedMillis());
    index = static_cast<int64_t>(std::floor((static_cast<double>(t) - static_cast<double>(origin)) / average_millis));
  }
  // A bounded number of corrections keeps pathological inputs from looping for long.
  for (int i = 0; i < 64 && BucketStart(origin, period, zone, index) > t; ++i) --index;
  for (int i = 0; i < 64 && BucketStart(origin, period, zone, index + 1) <= t; ++i) ++index;
  return index;
}

// The origin buckets count from: the given one (bounded to ETERNITY so differences cannot
// overflow), else 1970-01-01T00:00 wall time in the zone.
int64_t EffectiveOrigin(const std::optional<int64_t>& origin, const TimeZone& zone) {
  return origin ? std::clamp(*origin, kMinInstant, kMaxInstant) : zone.FromLocal(0);
}

std::string JsonQuote(std::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          static constexpr char kHex[] = "0123456789abcdef";
          out += "\\u00";
          out.push_back(kHex[(c >> 4) & 0xf]);
          out.push_back(kHex[c & 0xf]);
        } else {
          out.push_back(c);
        }
    }
  }
  out.push_back('"');
  return out;
}

}  // namespace

Granularity Granularity::None() { return Granularity(); }

Granularity Granularity::All() {
  Granularity granularity;
  granularity.kind_ = Kind::kAll;
  return granularity;
}

Granularity Granularity::OfPeriod(const Period& period, const TimeZone& zone, std::optional<int64_t> origin) {
  Granularity granularity;
  granularity.kind_ = Kind::kPeriod;
  granularity.period_ = period;
  granularity.zone_ = zone;
  granularity.origin_ = origin;
  return granularity;
}

Result<Granularity> Granularity::FromName(std::string_view name) {
  using internal::EqualsIgnoreCase;
  if (EqualsIgnoreCase(name, "NONE")) return None();
  if (EqualsIgnoreCase(name, "ALL") || EqualsIgnoreCase(name, "ALL TIME") || EqualsIgnoreCase(name, "ALL_TIME")) {
    return All();
  }
  size_t count = 0;
  const StandardName* names = StandardNames(&count);
  for (size_t i = 0; i < count; ++i) {
    if (EqualsIgnoreCase(name, names[i].name)) return OfPeriod(names[i].period);
  }
  if (!name.empty() && internal::ToUpperAscii(name[0]) == 'P') {
    Result<Period> period = Period::Parse(name);
    if (period.ok() && IsPositive(*period)) return OfPeriod(*period);
  }
  return Status::InvalidInput("Unknown granularity [" + std::string(name) + "]");
}

bool Granularity::FixedBuckets(int64_t* length, int64_t* phase) const {
  if (kind_ != Kind::kPeriod || !IsPositive(period_)) return false;
  CalendarUnit unit = CalendarUnit::kMillis;
  switch (ModeOf(period_, zone_, origin_.has_value(), &unit)) {
    case Mode::kCalendar: {
      if (!zone_.is_fixed()) return false;
      int64_t offset = zone_.OffsetAt(0);
      if (IsTimeUnit(unit)) {
        *length = UnitMillis(unit);
        *phase = -offset;
        return true;
      }
      if (unit == CalendarUnit::kDay || unit == CalendarUnit::kWeek) {
        // Weeks start on Mondays; 1970-01-05, four days after the epoch, was one.
        *length = unit == CalendarUnit::kDay ? kMillisPerDay : 7 * kMillisPerDay;
        *phase = (unit == CalendarUnit::kDay ? 0 : 4 * kMillisPerDay) - offset;
        return true;
      }
      return false;
    }
    case Mode::kFixed:
      *length = period_.FixedMillis();
      *phase = EffectiveOrigin(origin_, zone_);
      return *length > 0;
    case Mode::kCounted:
      return false;
  }
  return false;
}

int64_t Granularity::Floor(int64_t t) const {
  if (kind_ == Kind::kNone) return t;
  if (kind_ == Kind::kAll) return kMinInstant;
  // Instants beyond ETERNITY are not real timestamps; bounding them keeps the math in range.
  t = std::clamp(t, kMinInstant, kMaxInstant);
  // Periods that cannot bucket (zero or negative fields) behave as NONE rather than loop.
  if (!IsPositive(period_)) return t;
  CalendarUnit unit = CalendarUnit::kMillis;
  switch (ModeOf(period_, zone_, origin_.has_value(), &unit)) {
    case Mode::kCalendar: {
      if (unit == CalendarUnit::kMillis) return t;
      int64_t offset = zone_.OffsetAt(t);
      if (IsTimeUnit(unit)) {
        // Time fields follow the instant's own offset (Joda's zoned time fields).
        int64_t unit_millis = UnitMillis(unit);
        return FloorDiv(t + offset, unit_millis) * unit_millis - offset;
      }
      int64_t local_start = FloorLocalDate(t + offset, unit, 0);
      if (zone_.is_fixed()) return local_start - offset;
      int64_t start = zone_.FromLocal(local_start);
      // Only a start inside a DST gap can land after `t`; fall back to the unit before.
      return start <= t ? start : zone_.FromLocal(FloorLocalDate(local_start - 1, unit, 0));
    }
    case Mode::kFixed: {
      int64_t length = period_.FixedMillis();
      int64_t origin = EffectiveOrigin(origin_, zone_);
      // In 128 bits: with an origin at one end of ETERNITY and `t` at the other, the rounded
      // difference can leave the int64 range before the origin is added back.
      __int128 periods = FloorDiv(t - origin, length);
      return static_cast<int64_t>(origin + periods * length);
    }
    case Mode::kCounted: {
      int64_t start = 0;
      if (FixedZoneMonthBucket(t, period_, zone_, origin_.has_value(), 0, &start)) return start;
      int64_t origin = EffectiveOrigin(origin_, zone_);
      return BucketStart(origin, period_, zone_, CountedIndex(t, origin, period_, zone_));
    }
  }
  return t;
}

int64_t Granularity::Ceil(int64_t t) const {
  int64_t floor = Floor(t);
  return floor == t ? t : Next(floor);
}

int64_t Granularity::Next(int64_t bucket_start) const {
  if (kind_ == Kind::kNone) return internal::SaturatingAdd(bucket_start, 1);
  if (kind_ == Kind::kAll) return kMaxInstant;
  if (!IsPositive(period_)) return internal::SaturatingAdd(bucket_start, 1);
  CalendarUnit unit = CalendarUnit::kMillis;
  int64_t start = Floor(bucket_start);
  switch (ModeOf(period_, zone_, origin_.has_value(), &unit)) {
    case Mode::kCalendar: {
      if (IsTimeUnit(unit)) return start + UnitMillis(unit);
      int64_t offset = zone_.OffsetAt(start);
      int64_t local_next = FloorLocalDate(start + offset, unit, 1);
      return zone_.is_fixed() ? local_next - offset : zone_.FromLocal(local_next);
    }
    case Mode::kFixed:
      return start + period_.FixedMillis();
    case Mode::kCounted: {
      int64_t next = 0;
      if (FixedZoneMonthBucket(start, period_, zone_, origin_.has_value(), 1, &next)) return next;
      int64_t origin = EffectiveOrigin(origin_, zone_);
      return BucketStart(origin, period_, zone_, CountedIndex(start, origin, period_, zone_) + 1);
    }
  }
  return start;
}

std::string Granularity::Name() const {
  if (kind_ == Kind::kAll) return "ALL";
  if (kind_ == Kind::kNone) return "NONE";
  if (zone_.is_utc() && !origin_) {
    size_t count = 0;
    const StandardName* names = StandardNames(&count);
    for (size_t i = 0; i < count; ++i) {
      if (names[i].period == period_) return std::string(names[i].name);
    }
  }
  return period_.ToString();
}

std::string Granularity::ToJson() const {
  if (kind_ == Kind::kAll) return "{\"type\":\"all\"}";
  if (kind_ == Kind::kNone) return "{\"type\":\"none\"}";
  std::string name = Name();
  if (name[0] != 'P') return JsonQuote(name);
  std::string json = "{\"type\":\"period\",\"period\":";
  json += JsonQuote(name);
  json += ",\"timeZone\":";
  json += JsonQuote(zone_.name());
  json += ",\"origin\":";
  json += origin_ ? JsonQuote(FormatIso8601(*origin_)) : std::string("null");
  json += "}";
  return json;
}

bool Granularity::operator==(const Granularity& o) const {
  if (kind_ != o.kind_) return false;
  if (kind_ != Kind::kPeriod) return true;
  if (period_ != o.period_ || origin_ != o.origin_) return false;
  if (zone_.is_fixed() != o.zone_.is_fixed()) return false;
  return zone_.is_fixed() ? zone_.OffsetAt(0) == o.zone_.OffsetAt(0) : zone_.name() == o.zone_.name();
}

}  // namespace strata::types
