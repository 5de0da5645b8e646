// Granularity: how time is bucketed. Used for segment granularity (PARTITIONED BY), query
// granularity, TIME_FLOOR/TIME_CEIL/FLOOR(... TO unit) and DATE_TRUNC.
//
// Semantics follow Druid's PeriodGranularity: buckets are aligned in the granularity's time zone
// (UTC by default); a single-field period of 1 (P1D, PT1H, P1M, P1Y) floors to the calendar unit,
// weeks start on Monday; multiples (PT6H, P3M) and explicit origins count whole periods from the
// origin (default 1970-01-01T00:00:00 in the zone's wall time).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "base/status.h"
#include "types/period.h"
#include "types/time.h"

namespace strata::types {

class Granularity {
 public:
  enum class Kind : uint8_t { kNone, kAll, kPeriod };

  /// Millisecond buckets (no truncation).
  static Granularity None();
  /// One bucket for all of time.
  static Granularity All();
  static Granularity OfPeriod(const Period& period, const TimeZone& zone = TimeZone(),
                              std::optional<int64_t> origin = std::nullopt);
  /// Parses a Druid granularity name or period, case-insensitive: NONE, ALL, "ALL TIME", SECOND,
  /// MINUTE, FIVE_MINUTE, TEN_MINUTE, FIFTEEN_MINUTE, THIRTY_MINUTE, HOUR, SIX_HOUR, EIGHT_HOUR,
  /// DAY, WEEK, MONTH, QUARTER, YEAR, or an ISO period ("PT1H", "P1D"). Fails with InvalidInput.
  static Result<Granularity> FromName(std::string_view name);

  Kind kind() const { return kind_; }
  bool is_all() const { return kind_ == Kind::kAll; }
  bool is_none() const { return kind_ == Kind::kNone; }
  const Period& period() const { return period_; }
  const TimeZone& zone() const { return zone_; }

  /// Start of the bucket containing `t` (kMinInstant for ALL, `t` for NONE).
  int64_t Floor(int64_t t) const;
  /// True when buckets all have the same length and sit on a fixed grid (periods of days or less
  /// in a fixed-offset zone, fixed-length periods): then for instants within ETERNITY
  /// Floor(t) == t - FloorMod(t - *phase, *length), which callers can compute in bulk.
  bool FixedBuckets(int64_t* length, int64_t* phase) const;
  /// Smallest bucket start >= t.
  int64_t Ceil(int64_t t) const;
  /// Start of the bucket that follows the bucket starting at `bucket_start` (kMaxInstant for ALL).
  int64_t Next(int64_t bucket_start) const;
  /// `t` is a bucket boundary.
  bool IsAligned(int64_t t) const { return Floor(t) == t; }

  /// Druid's standard name when it has one ("DAY", "HOUR", "ALL", "NONE", "FIVE_MINUTE", ...),
  /// else the ISO period ("PT2H").
  std::string Name() const;
  /// JSON as Druid serializes it: "\"DAY\"" for standard UTC granularities, {"type":"all"},
  /// {"type":"none"}, or {"type":"period","period":"PT2H","timeZone":"UTC","origin":null}.
  std::string ToJson() const;

  bool operator==(const Granularity& o) const;

 private:
  Kind kind_ = Kind::kNone;
  Period period_;
  TimeZone zone_;
  std::optional<int64_t> origin_;
};

}  // namespace strata::types
