// POSIX TZ rules ("PST8PDT,M3.2.0,M11.1.0") as stored in the footer of TZif files (RFC 8536,
// section 3.3). Private to types/.
//
// date/tz reads only the explicit transitions of a TZif file. After the last one (2037 in "fat"
// tzdata, earlier in "slim" tzdata) the footer rule governs; time.cc uses this to keep applying
// daylight saving time to far-future instants, as Joda-Time does.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace strata::types::internal {

/// One transition date of a POSIX rule: "Jn" (1..365, Feb 29 never counted), "n" (0..365,
/// Feb 29 counted) or "Mm.w.d" (weekday d, 0 = Sunday, of week w, 5 = last, of month m), with
/// the local time of day of the transition (may be negative or beyond 24h).
struct PosixRuleDate {
  enum class Kind : uint8_t { kJulianNoLeap, kDayOfYear, kMonthWeekDay };
  Kind kind = Kind::kMonthWeekDay;
  int day = 0;
  int month = 0;
  int week = 0;
  int weekday = 0;
  int64_t time_seconds = 2 * 3600;
};

/// The offset a rule gives at an instant and the span [begin, end) of instants (UTC seconds)
/// for which the same offset holds.
struct OffsetSpan {
  int64_t offset_seconds = 0;
  int64_t begin_seconds = 0;
  int64_t end_seconds = 0;
};

/// A parsed POSIX TZ string.
struct PosixTzRule {
  int64_t std_offset_seconds = 0;  // east of UTC is positive (POSIX writes the opposite sign)
  bool has_dst = false;
  int64_t dst_offset_seconds = 0;
  PosixRuleDate dst_start;  // local standard time
  PosixRuleDate dst_end;    // local daylight time

  /// Parses a TZ string; nullopt when malformed.
  static std::optional<PosixTzRule> Parse(std::string_view text);

  /// Offset in effect at `utc_seconds` (any year) and the span it holds for.
  OffsetSpan OffsetAt(int64_t utc_seconds) const;
};

/// The footer rule of the TZif file at `path`; nullopt when the file cannot be read or has no
/// valid footer.
std::optional<PosixTzRule> ReadTzifFooter(const std::string& path);

}  // namespace strata::types::internal
