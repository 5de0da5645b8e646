#include "types/internal/posix_tz.h"

#include <algorithm>
#include <fstream>
#include <iterator>
#include <limits>

#include "types/internal/calendar.h"
#include "types/time.h"

namespace strata::types::internal {
namespace {

constexpr int64_t kSecondsPerDay = 86400;

class RuleCursor {
 public:
  explicit RuleCursor(std::string_view text) : text_(text) {}

  bool AtEnd() const { return pos_ >= text_.size(); }
  char Peek() const { return pos_ < text_.size() ? text_[pos_] : '\0'; }
  bool Consume(char c) {
    if (Peek() != c) return false;
    ++pos_;
    return true;
  }

  // A zone abbreviation: three or more letters, or anything between '<' and '>'.
  bool ReadName() {
    if (Consume('<')) {
      size_t close = text_.find('>', pos_);
      if (close == std::string_view::npos || close == pos_) return false;
      pos_ = close + 1;
      return true;
    }
    size_t start = pos_;
    while (pos_ < text_.size() && ((text_[pos_] >= 'a' && text_[pos_] <= 'z') || (text_[pos_] >= 'A' && text_[pos_] <= 'Z'))) {
      ++pos_;
    }
    return pos_ - start >= 3;
  }

  bool ReadNumber(int max_digits, int64_t* value) {
    size_t start = pos_;
    int64_t result = 0;
    while (pos_ < text_.size() && pos_ - start < static_cast<size_t>(max_digits) && text_[pos_] >= '0' &&
           text_[pos_] <= '9') {
      result = result * 10 + (text_[pos_] - '0');
      ++pos_;
    }
    *value = result;
    return pos_ > start;
  }

  // [+-]hh[:mm[:ss]] as signed seconds; hours up to 167 (RFC 8536 allows that for times).
  bool ReadDuration(int64_t* seconds) {
    int64_t sign = 1;
    if (Peek() == '+' || Peek() == '-') {
      sign = Peek() == '-' ? -1 : 1;
      ++pos_;
    }
    int64_t hours = 0, minutes = 0, secs = 0;
    if (!ReadNumber(3, &hours) || hours > 167) return false;
    if (Consume(':')) {
      if (!ReadNumber(2, &minutes) || minutes > 59) return false;
      if (Consume(':') && (!ReadNumber(2, &secs) || secs > 59)) return false;
    }
    *seconds = sign * (hours * 3600 + minutes * 60 + secs);
    return true;
  }

  bool ReadRuleDate(PosixRuleDate* date) {
    int64_t value = 0;
    if (Consume('J')) {
      if (!ReadNumber(3, &value) || value < 1 || value > 365) return false;
      date->kind = PosixRuleDate::Kind::kJulianNoLeap;
      date->day = static_cast<int>(value);
    } else if (Consume('M')) {
      int64_t month = 0, week = 0, weekday = 0;
      if (!ReadNumber(2, &month) || month < 1 || month > 12 || !Consume('.') || !ReadNumber(1, &week) || week < 1 ||
          week > 5 || !Consume('.') || !ReadNumber(1, &weekday) || weekday > 6) {
        return false;
      }
      date->kind = PosixRuleDate::Kind::kMonthWeekDay;
      date->month = static_cast<int>(month);
      date->week = static_cast<int>(week);
      date->weekday = static_cast<int>(weekday);
    } else {
      if (!ReadNumber(3, &value) || value > 365) return false;
      date->kind = PosixRuleDate::Kind::kDayOfYear;
      date->day = static_cast<int>(value);
    }
    date->time_seconds = 2 * 3600;
    if (Consume('/')) return ReadDuration(&date->time_seconds);
    return true;
  }

 private:
  std::string_view text_;
  size_t pos_ = 0;
};

// Day number (days since 1970-01-01) of a rule date in `year`.
int64_t RuleDay(const PosixRuleDate& date, int64_t year) {
  int64_t jan1 = DaysFromCivil(year, 1, 1);
  switch (date.kind) {
    case PosixRuleDate::Kind::kJulianNoLeap:
      return jan1 + date.day - 1 + (IsLeapYear(year) && date.day >= 60 ? 1 : 0);
    case PosixRuleDate::Kind::kDayOfYear:
      return jan1 + date.day;
    case PosixRuleDate::Kind::kMonthWeekDay: {
      int64_t first = DaysFromCivil(year, date.month, 1);
      int first_weekday = DayOfWeekOfDays(first) % 7;  // 0 = Sunday
      int day = 1 + (date.weekday - first_weekday + 7) % 7 + (date.week - 1) * 7;
      while (day > DaysInMonth(year, date.month)) day -= 7;
      return first + day - 1;
    }
  }
  return jan1;
}

struct Transition {
  int64_t utc_seconds;
  int64_t offset_seconds;
  int order;  // at equal instants the start of DST sorts last, so DST wins (all-year DST rules)
};

}  // namespace

std::optional<PosixTzRule> PosixTzRule::Parse(std::string_view text) {
  RuleCursor cursor(text);
  PosixTzRule rule;
  int64_t std_west = 0;
  if (!cursor.ReadName() || !cursor.ReadDuration(&std_west)) return std::nullopt;
  rule.std_offset_seconds = -std_west;
  if (cursor.AtEnd()) return rule;
  if (!cursor.ReadName()) return std::nullopt;
  rule.dst_offset_seconds = rule.std_offset_seconds + 3600;
  if (!cursor.AtEnd() && cursor.Peek() != ',') {
    int64_t dst_west = 0;
    if (!cursor.ReadDuration(&dst_west)) return std::nullopt;
    rule.dst_offset_seconds = -dst_west;
  }
  if (!cursor.Consume(',') || !cursor.ReadRuleDate(&rule.dst_start) || !cursor.Consume(',') ||
      !cursor.ReadRuleDate(&rule.dst_end) || !cursor.AtEnd()) {
    return std::nullopt;
  }
  rule.has_dst = true;
  return rule;
}

OffsetSpan PosixTzRule::OffsetAt(int64_t utc_seconds) const {
  constexpr int64_t kForever = std::numeric_limits<int64_t>::max();
  if (!has_dst) return OffsetSpan{std_offset_seconds, std::numeric_limits<int64_t>::min(), kForever};
  CivilTime civil;
  CivilFromDays(FloorDiv(utc_seconds, kSecondsPerDay), &civil);
  int64_t year = civil.year;
  Transition transitions[6];
  int count = 0;
  for (int64_t y = year - 1; y <= year + 1; ++y) {
    transitions[count++] = {RuleDay(dst_start, y) * kSecondsPerDay + dst_start.time_seconds - std_offset_seconds,
                            dst_offset_seconds, 1};
    transitions[count++] = {RuleDay(dst_end, y) * kSecondsPerDay + dst_end.time_seconds - dst_offset_seconds,
                            std_offset_seconds, 0};
  }
  std::sort(std::begin(transitions), std::end(transitions), [](const Transition& a, const Transition& b) {
    return a.utc_seconds != b.utc_seconds ? a.utc_seconds < b.utc_seconds : a.order < b.order;
  });
  int last = -1;
  for (int i = 0; i < count; ++i) {
    if (transitions[i].utc_seconds <= utc_seconds) last = i;
  }
  if (last < 0) {
    // Before the first transition considered: the offset the first one switches away from.
    int64_t offset = transitions[0].offset_seconds == dst_offset_seconds ? std_offset_seconds : dst_offset_seconds;
    return OffsetSpan{offset, utc_seconds, transitions[0].utc_seconds};
  }
  int64_t end = last + 1 < count ? transitions[last + 1].utc_seconds : utc_seconds + 1;
  return OffsetSpan{transitions[last].offset_seconds, transitions[last].utc_seconds, end};
}

std::optional<PosixTzRule> ReadTzifFooter(const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return std::nullopt;
  std::string content((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
  // The footer is the last line: "\n<TZ string>\n".
  if (content.size() < 2 || content.back() != '\n') return std::nullopt;
  size_t start = content.rfind('\n', content.size() - 2);
  if (start == std::string::npos) return std::nullopt;
  std::string_view footer(content.data() + start + 1, content.size() - start - 2);
  if (footer.empty()) return std::nullopt;
  return PosixTzRule::Parse(footer);
}

}  // namespace strata::types::internal
