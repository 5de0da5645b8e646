#include "types/interval.h"

#include <algorithm>

#include "types/internal/ascii.h"
#include "types/period.h"

namespace strata::types {
namespace {

Status MalformedInterval(std::string_view text, std::string_view why) {
  return Status::InvalidInput("Cannot parse [" + std::string(text) + "] as an interval: " + std::string(why));
}

bool LooksLikePeriod(std::string_view part) { return !part.empty() && internal::ToUpperAscii(part[0]) == 'P'; }

}  // namespace

Result<Interval> Interval::Parse(std::string_view text) {
  size_t separator = text.find('/');
  if (separator == std::string_view::npos) separator = text.find('_');
  if (separator == std::string_view::npos) return MalformedInterval(text, "expected start/end");
  std::string_view first = text.substr(0, separator);
  std::string_view second = text.substr(separator + 1);
  if (second.find('/') != std::string_view::npos || second.find('_') != std::string_view::npos) {
    return MalformedInterval(text, "more than one separator");
  }
  bool first_is_period = LooksLikePeriod(first);
  bool second_is_period = LooksLikePeriod(second);
  if (first_is_period && second_is_period) return MalformedInterval(text, "both ends are periods");
  Interval interval;
  const TimeZone utc;
  if (first_is_period) {
    Result<Period> period = Period::Parse(first);
    if (!period.ok()) return MalformedInterval(text, period.status().message());
    Result<int64_t> end = ParseIso8601(second, utc);
    if (!end.ok()) return MalformedInterval(text, end.status().message());
    interval.end = *end;
    interval.start = AddPeriod(*end, *period, -1, utc);
  } else {
    Result<int64_t> start = ParseIso8601(first, utc);
    if (!start.ok()) return MalformedInterval(text, start.status().message());
    interval.start = *start;
    if (second_is_period) {
      Result<Period> period = Period::Parse(second);
      if (!period.ok()) return MalformedInterval(text, period.status().message());
      interval.end = AddPeriod(*start, *period, 1, utc);
    } else {
      Result<int64_t> end = ParseIso8601(second, utc);
      if (!end.ok()) return MalformedInterval(text, end.status().message());
      interval.end = *end;
    }
  }
  if (interval.end < interval.start) return MalformedInterval(text, "the end is before the start");
  return interval;
}

std::string Interval::ToString() const { return FormatIso8601(start) + "/" + FormatIso8601(end); }

std::vector<Interval> CondenseIntervals(std::vector<Interval> intervals) {
  std::sort(intervals.begin(), intervals.end());
  std::vector<Interval> condensed;
  condensed.reserve(intervals.size());
  for (const Interval& interval : intervals) {
    if (!condensed.empty() && interval.start <= condensed.back().end) {
      condensed.back().end = std::max(condensed.back().end, interval.end);
    } else {
      condensed.push_back(interval);
    }
  }
  return condensed;
}

}  // namespace strata::types
