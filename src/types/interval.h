// Interval: a half-open time range [start, end) in millis, printed as Druid prints it
// ("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/time.h"

namespace strata::types {

struct Interval {
  int64_t start = kMinInstant;
  int64_t end = kMaxInstant;

  static Interval Eternity() { return Interval{kMinInstant, kMaxInstant}; }
  /// Parses "start/end", "start/period" or "period/end" (ISO-8601 parts, read in UTC unless they
  /// carry an offset). Druid's task-list filter form with '_' instead of '/' is accepted too.
  static Result<Interval> Parse(std::string_view text);

  bool is_eternity() const { return start == kMinInstant && end == kMaxInstant; }
  bool empty() const { return end <= start; }
  bool Contains(int64_t t) const { return t >= start && t < end; }
  bool Contains(const Interval& o) const { return o.start >= start && o.end <= end; }
  bool Overlaps(const Interval& o) const { return start < o.end && o.start < end; }
  int64_t duration() const { return end - start; }

  /// "start/end" with both ends in ISO-8601 UTC millis.
  std::string ToString() const;
  bool operator==(const Interval& o) const = default;
  bool operator<(const Interval& o) const { return start != o.start ? start < o.start : end < o.end; }
};

/// Sorts and merges overlapping or touching intervals.
std::vector<Interval> CondenseIntervals(std::vector<Interval> intervals);

}  // namespace strata::types
