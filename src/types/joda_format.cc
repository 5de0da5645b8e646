#include "types/joda_format.h"

#include <date/tz.h>

#include <algorithm>
#include <charconv>
#include <exception>
#include <iterator>
#include <optional>

#include "base/clock.h"
#include "types/internal/ascii.h"
#include "types/internal/calendar.h"

namespace strata::types {
namespace {

using internal::DaysInMonth;
using internal::DayOfWeekOfDays;
using internal::ToUpperAscii;

constexpr std::string_view kSupportedLetters = "GyYuxweEDMdaKhHkmsSzZ";

constexpr std::string_view kMonthNames[12] = {"January", "February", "March",     "April",   "May",      "June",
                                              "July",    "August",   "September", "October", "November", "December"};
constexpr std::string_view kMonthShortNames[12] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                   "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
constexpr std::string_view kDayNames[7] = {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};
constexpr std::string_view kDayShortNames[7] = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};

// Zone abbreviations Joda parses for 'z' (DateTimeUtils.getDefaultTimeZoneNames) and their zones.
struct ZoneAbbreviation {
  std::string_view abbreviation;
  std::string_view zone;
  std::string_view long_name;
};
constexpr ZoneAbbreviation kZoneAbbreviations[] = {
    {"UT", "UTC", "Coordinated Universal Time"},
    {"UTC", "UTC", "Coordinated Universal Time"},
    {"GMT", "UTC", "Greenwich Mean Time"},
    {"EST", "America/New_York", "Eastern Standard Time"},
    {"EDT", "America/New_York", "Eastern Daylight Time"},
    {"CST", "America/Chicago", "Central Standard Time"},
    {"CDT", "America/Chicago", "Central Daylight Time"},
    {"MST", "America/Denver", "Mountain Standard Time"},
    {"MDT", "America/Denver", "Mountain Daylight Time"},
    {"PST", "America/Los_Angeles", "Pacific Standard Time"},
    {"PDT", "America/Los_Angeles", "Pacific Daylight Time"},
};

bool IsAsciiLetter(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Joda's DateTimeFormat.isNumericToken: a field printed as a number, which makes the year before
// it read a fixed number of digits.
bool IsNumericToken(const JodaFormat::Token& token) {
  switch (token.letter) {
    case 'x': case 'y': case 'Y': case 'u': case 'd': case 'h': case 'H': case 'm': case 's': case 'S': case 'e':
    case 'D': case 'k': case 'K':
      return true;
    case 'M':
      return token.count <= 2;
    default:
      return false;
  }
}

void AppendPadded(std::string* out, int64_t value, int min_digits) {
  uint64_t magnitude = value < 0 ? static_cast<uint64_t>(-(value + 1)) + 1 : static_cast<uint64_t>(value);
  if (value < 0) out->push_back('-');
  char buffer[24];
  std::to_chars_result result = std::to_chars(buffer, buffer + sizeof(buffer), magnitude);
  int digits = static_cast<int>(result.ptr - buffer);
  for (int i = digits; i < min_digits; ++i) out->push_back('0');
  out->append(buffer, result.ptr);
}

void AppendOffset(std::string* out, int64_t offset_millis, bool with_colon) {
  out->push_back(offset_millis < 0 ? '-' : '+');
  int64_t magnitude = offset_millis < 0 ? -offset_millis : offset_millis;
  AppendPadded(out, magnitude / kMillisPerHour, 2);
  if (with_colon) out->push_back(':');
  AppendPadded(out, magnitude / kMillisPerMinute % 60, 2);
}

// ISO week-date helpers (weeks start on Monday; week 1 holds January 4th).
int64_t IsoWeekOneMonday(int64_t weekyear) {
  int64_t jan4 = DaysFromCivil(weekyear, 1, 4);
  return jan4 - (DayOfWeekOfDays(jan4) - 1);
}

void IsoWeekOf(int64_t days, int64_t* weekyear, int* week) {
  int64_t thursday = days + (4 - DayOfWeekOfDays(days));
  CivilTime civil;
  CivilFromDays(thursday, &civil);
  *weekyear = civil.year;
  *week = static_cast<int>((thursday - DaysFromCivil(civil.year, 1, 1)) / 7 + 1);
}

int WeeksInWeekyear(int64_t weekyear) {
  return static_cast<int>((IsoWeekOneMonday(weekyear + 1) - IsoWeekOneMonday(weekyear)) / 7);
}

// The tz abbreviation ("PST") in effect at `utc_millis`, or empty for zones without one.
std::string ZoneAbbreviationAt(const TimeZone& zone, int64_t utc_millis) {
  if (zone.is_utc()) return "UTC";
  std::string offset_text;
  if (zone.is_fixed()) {
    AppendOffset(&offset_text, zone.OffsetAt(utc_millis), true);
    return offset_text;
  }
  // Zones are looked up again by name: TimeZone keeps its tz pointer private. A per-thread
  // one-entry cache keeps repeated formatting in one zone cheap.
  thread_local std::string cached_name;
  thread_local const date::time_zone* cached_zone = nullptr;
  if (cached_zone == nullptr || cached_name != zone.name()) {
    try {
      cached_zone = date::locate_zone(zone.name());
      cached_name = zone.name();
    } catch (const std::exception&) {
      cached_zone = nullptr;
    }
  }
  if (cached_zone != nullptr) {
    date::sys_info info =
        cached_zone->get_info(date::sys_seconds{std::chrono::seconds{FloorDiv(utc_millis, kMillisPerSecond)}});
    if (!info.abbrev.empty() && info.abbrev[0] != '+' && info.abbrev[0] != '-') return info.abbrev;
  }
  AppendOffset(&offset_text, zone.OffsetAt(utc_millis), true);
  return offset_text;
}

std::string ZoneLongNameAt(const TimeZone& zone, int64_t utc_millis) {
  std::string abbreviation = ZoneAbbreviationAt(zone, utc_millis);
  for (const ZoneAbbreviation& entry : kZoneAbbreviations) {
    if (entry.abbreviation == abbreviation) return std::string(entry.long_name);
  }
  return abbreviation;
}

// Everything a parse read from the text; fields are applied in Joda's order in Resolve.
struct ParsedFields {
  std::optional<int> era;  // 0 = BC, 1 = AD
  std::optional<int64_t> year;
  std::optional<int64_t> year_of_era;
  std::optional<int64_t> weekyear;
  std::optional<int64_t> week;
  std::optional<int64_t> month;
  std::optional<int64_t> day_of_year;
  std::optional<int64_t> day_of_month;
  std::optional<int64_t> day_of_week;
  std::optional<int> halfday;  // 0 = AM, 1 = PM
  std::optional<int64_t> hour_of_day;
  std::optional<int64_t> hour_of_halfday;
  std::optional<int64_t> minute;
  std::optional<int64_t> second;
  std::optional<int64_t> millis;
  std::optional<int64_t> offset_millis;
  std::optional<TimeZone> zone;
};

class TextCursor {
 public:
  explicit TextCursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  size_t pos() const { return pos_; }
  std::string_view rest() const { return text_.substr(pos_); }
  void Advance(size_t count) { pos_ += count; }

  // Reads 1..max_digits digits, with an optional leading sign when `is_signed`; returns the
  // number of digits read (0 and nothing consumed when there is no digit).
  int ReadNumber(int max_digits, bool is_signed, int64_t* value) {
    size_t start = pos_;
    int64_t sign = 1;
    if (is_signed && pos_ < text_.size() && (text_[pos_] == '-' || text_[pos_] == '+')) {
      sign = text_[pos_] == '-' ? -1 : 1;
      ++pos_;
    }
    int digits = 0;
    int64_t result = 0;
    while (pos_ < text_.size() && digits < max_digits && text_[pos_] >= '0' && text_[pos_] <= '9') {
      result = result * 10 + (text_[pos_] - '0');
      ++pos_;
      ++digits;
    }
    if (digits == 0) {
      pos_ = start;
      return 0;
    }
    *value = sign * result;
    return digits;
  }

  // Matches the longest of `names` (case-insensitive); returns its index or -1.
  template <size_t N>
  int ReadLongestName(const std::string_view (&names)[N]) {
    int best = -1;
    size_t best_length = 0;
    std::string_view rest = text_.substr(pos_);
    for (size_t i = 0; i < N; ++i) {
      std::string_view name = names[i];
      if (name.size() > best_length && rest.size() >= name.size() &&
          internal::EqualsIgnoreCase(rest.substr(0, name.size()), name)) {
        best = static_cast<int>(i);
        best_length = name.size();
      }
    }
    pos_ += best_length;
    return best;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Two-digit year with Joda's pivot (SimpleDateFormat-compatible): the century is chosen so the
// year falls in [now - 80, now + 20).
int64_t ExpandTwoDigitYear(int64_t two_digits) {
  int64_t pivot = ToCivilUtc(base::NowMillis()).year - 30;
  int64_t low = pivot - 50;
  int64_t low_in_century = low >= 0 ? low % 100 : 99 + ((low + 1) % 100);
  return two_digits + low + (two_digits < low_in_century ? 100 : 0) - low_in_century;
}

// Parses one field token at the cursor into `fields`; false when the text does not match.
bool ParseField(const JodaFormat::Token& token, bool next_is_numeric, TextCursor* cursor, ParsedFields* fields) {
  int64_t value = 0;
  switch (token.letter) {
    case 'G': {
      static constexpr std::string_view kEras[] = {"BC", "AD"};
      int era = cursor->ReadLongestName(kEras);
      if (era < 0) return false;
      fields->era = era;
      return true;
    }
    case 'y':
    case 'u':
    case 'Y':
    case 'x': {
      bool is_signed = token.letter != 'Y';
      std::optional<int64_t>* target = token.letter == 'Y'   ? &fields->year_of_era
                                       : token.letter == 'x' ? &fields->weekyear
                                                             : &fields->year;
      if (token.count == 2) {
        // Lenient unless a numeric field follows: other digit counts or a sign mean a full year.
        bool has_sign = !cursor->AtEnd() && (cursor->rest()[0] == '-' || cursor->rest()[0] == '+');
        int digits = cursor->ReadNumber(next_is_numeric ? 2 : 9, !next_is_numeric, &value);
        if (digits == 0 || (next_is_numeric && digits != 2)) return false;
        *target = (digits == 2 && !has_sign) ? ExpandTwoDigitYear(value) : value;
        return true;
      }
      if (cursor->ReadNumber(next_is_numeric ? token.count : 9, is_signed, &value) == 0) return false;
      *target = value;
      return true;
    }
    case 'w':
    case 'd':
    case 'K':
    case 'h':
    case 'H':
    case 'k':
    case 'm':
    case 's':
    case 'e':
    case 'D':
    case 'M': {
      if (token.letter == 'M' && token.count >= 3) {
        int month = cursor->ReadLongestName(kMonthNames);
        if (month < 0) month = cursor->ReadLongestName(kMonthShortNames);
        if (month < 0) return false;
        fields->month = month + 1;
        return true;
      }
      int max_digits = token.letter == 'D' ? 3 : token.letter == 'e' ? 1 : 2;
      if (cursor->ReadNumber(max_digits, false, &value) == 0) return false;
      switch (token.letter) {
        case 'w': fields->week = value; break;
        case 'd': fields->day_of_month = value; break;
        case 'e': fields->day_of_week = value; break;
        case 'D': fields->day_of_year = value; break;
        case 'M': fields->month = value; break;
        case 'm': fields->minute = value; break;
        case 's': fields->second = value; break;
        case 'H':
          if (value > 23) return false;
          fields->hour_of_day = value;
          break;
        case 'k':
          if (value < 1 || value > 24) return false;
          fields->hour_of_day = value == 24 ? 0 : value;
          break;
        case 'K':
          if (value > 11) return false;
          fields->hour_of_halfday = value;
          break;
        default:  // 'h'
          if (value < 1 || value > 12) return false;
          fields->hour_of_halfday = value == 12 ? 0 : value;
          break;
      }
      return true;
    }
    case 'E': {
      int day = cursor->ReadLongestName(kDayNames);
      if (day < 0) day = cursor->ReadLongestName(kDayShortNames);
      if (day < 0) return false;
      fields->day_of_week = day + 1;
      return true;
    }
    case 'a': {
      static constexpr std::string_view kHalfdays[] = {"AM", "PM"};
      int halfday = cursor->ReadLongestName(kHalfdays);
      if (halfday < 0) return false;
      fields->halfday = halfday;
      return true;
    }
    case 'S': {
      // Digits are a decimal fraction of a second: "7" is 700 ms, "771123" is 771 ms.
      std::string_view rest = cursor->rest();
      size_t digits = 0;
      int64_t millis = 0;
      while (digits < rest.size() && digits < static_cast<size_t>(token.count) && rest[digits] >= '0' &&
             rest[digits] <= '9') {
        if (digits < 3) millis = millis * 10 + (rest[digits] - '0');
        ++digits;
      }
      if (digits == 0) return false;
      for (size_t i = digits; i < 3; ++i) millis *= 10;
      cursor->Advance(digits);
      fields->millis = millis;
      return true;
    }
    case 'z': {
      static constexpr std::string_view kAbbreviations[] = {"UT",  "UTC", "GMT", "EST", "EDT", "CST",
                                                            "CDT", "MST", "MDT", "PST", "PDT"};
      static_assert(std::size(kAbbreviations) == std::size(kZoneAbbreviations));
      int index = cursor->ReadLongestName(kAbbreviations);
      if (index < 0) return false;
      Result<TimeZone> zone = TimeZone::Find(kZoneAbbreviations[index].zone);
      if (!zone.ok()) return false;
      fields->zone = *zone;
      return true;
    }
    case 'Z': {
      std::string_view rest = cursor->rest();
      if (token.count >= 3) {
        // A zone id: the longest prefix that names a zone.
        size_t length = 0;
        while (length < rest.size() && (IsAsciiLetter(rest[length]) || (rest[length] >= '0' && rest[length] <= '9') ||
                                        rest[length] == '/' || rest[length] == '_' || rest[length] == '+' ||
                                        rest[length] == '-')) {
          ++length;
        }
        for (; length > 0; --length) {
          Result<TimeZone> zone = TimeZone::Find(rest.substr(0, length));
          if (zone.ok()) {
            fields->zone = *zone;
            cursor->Advance(length);
            return true;
          }
        }
        return false;
      }
      if (!rest.empty() && ToUpperAscii(rest[0]) == 'Z') {
        fields->offset_millis = 0;
        cursor->Advance(1);
        return true;
      }
      if (rest.empty() || (rest[0] != '+' && rest[0] != '-')) return false;
      int64_t sign = rest[0] == '-' ? -1 : 1;
      cursor->Advance(1);
      int64_t hours = 0, minutes = 0;
      if (cursor->ReadNumber(2, false, &hours) != 2 || hours > 23) return false;
      std::string_view after_hours = cursor->rest();
      if (!after_hours.empty() && after_hours[0] == ':') {
        cursor->Advance(1);
        if (cursor->ReadNumber(2, false, &minutes) != 2) return false;
      } else if (after_hours.size() >= 2 && after_hours[0] >= '0' && after_hours[0] <= '9') {
        if (cursor->ReadNumber(2, false, &minutes) != 2) return false;
      }
      if (minutes > 59) return false;
      fields->offset_millis = sign * (hours * kMillisPerHour + minutes * kMillisPerMinute);
      return true;
    }
    default:
      return false;
  }
}

// Applies the parsed fields to 1970-01-01T00:00 in Joda's order (largest unit first) and
// returns the local wall millis; false when a value is out of range.
bool Resolve(const ParsedFields& fields, int64_t* local_millis) {
  CivilTime civil;
  if (fields.year_of_era) {
    if (*fields.year_of_era < 1) return false;
    civil.year = fields.era.value_or(1) == 0 ? 1 - *fields.year_of_era : *fields.year_of_era;
  } else if (fields.year) {
    civil.year = *fields.year;
  } else if (fields.era.value_or(1) == 0) {
    civil.year = 1 - civil.year;
  }
  if (fields.weekyear) {
    if (*fields.weekyear > internal::kMaxCivilYear || *fields.weekyear < -internal::kMaxCivilYear) return false;
    int64_t days = DaysFromCivil(civil.year, civil.month, civil.day);
    int64_t weekyear = 0;
    int week = 0;
    IsoWeekOf(days, &weekyear, &week);
    week = std::min(week, WeeksInWeekyear(*fields.weekyear));
    days = IsoWeekOneMonday(*fields.weekyear) + (week - 1) * 7 + (DayOfWeekOfDays(days) - 1);
    CivilFromDays(days, &civil);
  }
  if (civil.year > internal::kMaxCivilYear || civil.year < -internal::kMaxCivilYear) return false;
  if (fields.month) {
    if (*fields.month < 1 || *fields.month > 12) return false;
    civil.month = static_cast<int>(*fields.month);
    civil.day = std::min(civil.day, DaysInMonth(civil.year, civil.month));
  }
  if (fields.week) {
    int64_t days = DaysFromCivil(civil.year, civil.month, civil.day);
    int64_t weekyear = 0;
    int week = 0;
    IsoWeekOf(days, &weekyear, &week);
    if (*fields.week < 1 || *fields.week > WeeksInWeekyear(weekyear)) return false;
    days = IsoWeekOneMonday(weekyear) + (*fields.week - 1) * 7 + (DayOfWeekOfDays(days) - 1);
    CivilFromDays(days, &civil);
  }
  if (fields.day_of_year) {
    if (*fields.day_of_year < 1 || *fields.day_of_year > internal::DaysInYear(civil.year)) return false;
    CivilFromDays(DaysFromCivil(civil.year, 1, 1) + *fields.day_of_year - 1, &civil);
  }
  if (fields.day_of_month) {
    if (*fields.day_of_month < 1 || *fields.day_of_month > DaysInMonth(civil.year, civil.month)) return false;
    civil.day = static_cast<int>(*fields.day_of_month);
  }
  if (fields.day_of_week) {
    if (*fields.day_of_week < 1 || *fields.day_of_week > 7) return false;
    int64_t days = DaysFromCivil(civil.year, civil.month, civil.day);
    CivilFromDays(days + *fields.day_of_week - DayOfWeekOfDays(days), &civil);
  }
  int64_t hour = 0;
  if (fields.halfday) hour = *fields.halfday * 12;
  if (fields.hour_of_day) hour = *fields.hour_of_day;
  if (fields.hour_of_halfday) hour = (hour >= 12 ? 12 : 0) + *fields.hour_of_halfday;
  if (fields.minute && *fields.minute > 59) return false;
  if (fields.second && *fields.second > 59) return false;
  civil.hour = static_cast<int>(hour);
  civil.minute = static_cast<int>(fields.minute.value_or(0));
  civil.second = static_cast<int>(fields.second.value_or(0));
  civil.millis = static_cast<int>(fields.millis.value_or(0));
  *local_millis = FromCivilUtc(civil);
  return true;
}

}  // namespace

Result<JodaFormat> JodaFormat::Compile(std::string_view pattern) {
  JodaFormat format;
  format.pattern_ = std::string(pattern);
  auto invalid = [&](std::string_view why) {
    return Status::InvalidInput("Invalid format pattern [" + std::string(pattern) + "]: " + std::string(why));
  };
  auto append_literal = [&](std::string_view text) {
    if (!format.tokens_.empty() && format.tokens_.back().letter == 0) {
      format.tokens_.back().literal.append(text);
    } else {
      format.tokens_.push_back(Token{0, 0, std::string(text)});
    }
  };
  size_t i = 0;
  while (i < pattern.size()) {
    char c = pattern[i];
    if (IsAsciiLetter(c)) {
      size_t end = i;
      while (end < pattern.size() && pattern[end] == c) ++end;
      if (kSupportedLetters.find(c) == std::string_view::npos) {
        return invalid("unsupported letter '" + std::string(1, c) + "'");
      }
      format.tokens_.push_back(Token{c, static_cast<int>(end - i), {}});
      i = end;
    } else if (c == '\'') {
      if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
        append_literal("'");
        i += 2;
        continue;
      }
      std::string literal;
      bool closed = false;
      for (++i; i < pattern.size();) {
        if (pattern[i] == '\'') {
          if (i + 1 < pattern.size() && pattern[i + 1] == '\'') {
            literal.push_back('\'');
            i += 2;
            continue;
          }
          closed = true;
          ++i;
          break;
        }
        literal.push_back(pattern[i++]);
      }
      if (!closed) return invalid("unterminated quote");
      append_literal(literal);
    } else {
      append_literal(std::string_view(&pattern[i], 1));
      ++i;
    }
  }
  return format;
}

std::string JodaFormat::Format(int64_t millis, const TimeZone& zone) const {
  int64_t offset = zone.OffsetAt(millis);
  int64_t local = internal::SaturatingAdd(millis, offset);
  int64_t days = FloorDiv(local, kMillisPerDay);
  CivilTime civil = ToCivilUtc(local);
  std::string out;
  out.reserve(pattern_.size() + 16);
  for (const Token& token : tokens_) {
    switch (token.letter) {
      case 0:
        out.append(token.literal);
        break;
      case 'G':
        out.append(civil.year > 0 ? "AD" : "BC");
        break;
      case 'y':
      case 'u':
        if (token.count == 2) AppendPadded(&out, (civil.year < 0 ? -civil.year : civil.year) % 100, 2);
        else AppendPadded(&out, civil.year, token.count);
        break;
      case 'Y': {
        int64_t year_of_era = civil.year > 0 ? civil.year : 1 - civil.year;
        AppendPadded(&out, token.count == 2 ? year_of_era % 100 : year_of_era, token.count);
        break;
      }
      case 'x':
      case 'w': {
        int64_t weekyear = 0;
        int week = 0;
        IsoWeekOf(days, &weekyear, &week);
        if (token.letter == 'w') AppendPadded(&out, week, token.count);
        else if (token.count == 2) AppendPadded(&out, (weekyear < 0 ? -weekyear : weekyear) % 100, 2);
        else AppendPadded(&out, weekyear, token.count);
        break;
      }
      case 'e':
        AppendPadded(&out, DayOfWeekOfDays(days), token.count);
        break;
      case 'E':
        out.append(token.count >= 4 ? kDayNames[DayOfWeekOfDays(days) - 1] : kDayShortNames[DayOfWeekOfDays(days) - 1]);
        break;
      case 'D':
        AppendPadded(&out, days - DaysFromCivil(civil.year, 1, 1) + 1, token.count);
        break;
      case 'M':
        if (token.count >= 4) out.append(kMonthNames[civil.month - 1]);
        else if (token.count == 3) out.append(kMonthShortNames[civil.month - 1]);
        else AppendPadded(&out, civil.month, token.count);
        break;
      case 'd':
        AppendPadded(&out, civil.day, token.count);
        break;
      case 'a':
        out.append(civil.hour < 12 ? "AM" : "PM");
        break;
      case 'K':
        AppendPadded(&out, civil.hour % 12, token.count);
        break;
      case 'h':
        AppendPadded(&out, civil.hour % 12 == 0 ? 12 : civil.hour % 12, token.count);
        break;
      case 'H':
        AppendPadded(&out, civil.hour, token.count);
        break;
      case 'k':
        AppendPadded(&out, civil.hour == 0 ? 24 : civil.hour, token.count);
        break;
      case 'm':
        AppendPadded(&out, civil.minute, token.count);
        break;
      case 's':
        AppendPadded(&out, civil.second, token.count);
        break;
      case 'S': {
        char digits[3] = {static_cast<char>('0' + civil.millis / 100), static_cast<char>('0' + civil.millis / 10 % 10),
                          static_cast<char>('0' + civil.millis % 10)};
        for (int i = 0; i < token.count; ++i) out.push_back(i < 3 ? digits[i] : '0');
        break;
      }
      case 'z':
        out.append(token.count >= 4 ? ZoneLongNameAt(zone, millis) : ZoneAbbreviationAt(zone, millis));
        break;
      case 'Z':
        if (token.count >= 3) out.append(zone.name());
        else AppendOffset(&out, offset, token.count == 2);
        break;
      default:
        break;
    }
  }
  return out;
}

Result<int64_t> JodaFormat::Parse(std::string_view text, const TimeZone& zone) const {
  auto unparseable = [&]() {
    return Status::InvalidInput("Cannot parse [" + std::string(text) + "] with format [" + pattern_ + "]");
  };
  TextCursor cursor(text);
  ParsedFields fields;
  for (size_t i = 0; i < tokens_.size(); ++i) {
    const Token& token = tokens_[i];
    if (token.letter == 0) {
      std::string_view rest = cursor.rest();
      if (rest.size() < token.literal.size() ||
          !internal::EqualsIgnoreCase(rest.substr(0, token.literal.size()), token.literal)) {
        return unparseable();
      }
      cursor.Advance(token.literal.size());
      continue;
    }
    bool next_is_numeric = i + 1 < tokens_.size() && IsNumericToken(tokens_[i + 1]);
    if (!ParseField(token, next_is_numeric, &cursor, &fields)) return unparseable();
  }
  int64_t local = 0;
  if (!cursor.AtEnd() || !Resolve(fields, &local)) return unparseable();
  if (fields.offset_millis) return local - *fields.offset_millis;
  if (fields.zone) return fields.zone->FromLocal(local);
  return zone.FromLocal(local);
}

}  // namespace strata::types
