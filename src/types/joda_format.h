// Joda-Time style date patterns, as Druid's TIME_FORMAT and TIME_PARSE use them:
// 'yyyy-MM-dd HH:mm:ss', 'MMM d, yyyy', 'EEE', "yyyy-MM-dd'T'HH:mm:ss.SSSZZ", ...
//
// Supported letters: G (era), y/Y/u (year; "yy" = two digits), x (weekyear), w (week of weekyear),
// e (day of week number), E (day of week text: EEE short, EEEE long), D (day of year),
// M (month: M/MM number, MMM short, MMMM long), d (day of month), a (AM/PM), K, h, H, k (hours),
// m, s, S (fraction of second), z (zone name / "UTC"), Z (offset: Z = -0800, ZZ = -08:00, ZZZ = id).
// Text in single quotes is literal; '' is a quote. English names only.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "types/time.h"

namespace strata::types {

class JodaFormat {
 public:
  /// Compiles a pattern. Fails with InvalidInput naming the pattern on unknown letters or an
  /// unterminated quote.
  static Result<JodaFormat> Compile(std::string_view pattern);

  /// Formats `millis` in `zone`.
  std::string Format(int64_t millis, const TimeZone& zone) const;
  /// Parses `text` (the whole string must match) in `zone` unless the text carries an offset.
  /// Returns an error (callers turn it into NULL) when the text does not match.
  Result<int64_t> Parse(std::string_view text, const TimeZone& zone) const;

  const std::string& pattern() const { return pattern_; }

  struct Token {
    char letter = 0;     // 0 for literal text
    int count = 0;       // repetitions of the letter
    std::string literal;
  };

 private:
  std::string pattern_;
  std::vector<Token> tokens_;
};

}  // namespace strata::types
