#include "types/internal/posix_tz.h"

#include <gtest/gtest.h>

namespace strata::types::internal {
namespace {

PosixTzRule Rule(std::string_view text) {
  std::optional<PosixTzRule> rule = PosixTzRule::Parse(text);
  EXPECT_TRUE(rule.has_value()) << text;
  return rule.value_or(PosixTzRule());
}

TEST(PosixTzRuleTest, ParsesStandardOnly) {
  PosixTzRule kolkata = Rule("IST-5:30");
  EXPECT_EQ(kolkata.std_offset_seconds, 19800);
  EXPECT_FALSE(kolkata.has_dst);
  PosixTzRule sao_paulo = Rule("<-03>3");
  EXPECT_EQ(sao_paulo.std_offset_seconds, -10800);
  EXPECT_FALSE(sao_paulo.has_dst);
  OffsetSpan span = sao_paulo.OffsetAt(2210198400);
  EXPECT_EQ(span.offset_seconds, -10800);
}

TEST(PosixTzRuleTest, ParsesDstRules) {
  PosixTzRule la = Rule("PST8PDT,M3.2.0,M11.1.0");
  EXPECT_EQ(la.std_offset_seconds, -28800);
  EXPECT_EQ(la.dst_offset_seconds, -25200);
  EXPECT_TRUE(la.has_dst);
  EXPECT_EQ(la.dst_start.month, 3);
  EXPECT_EQ(la.dst_start.week, 2);
  EXPECT_EQ(la.dst_start.weekday, 0);
  EXPECT_EQ(la.dst_start.time_seconds, 7200);
  PosixTzRule godthab = Rule("<-02>2<-01>,M3.5.0/-1,M10.5.0/0");
  EXPECT_EQ(godthab.dst_offset_seconds, -3600);
  EXPECT_EQ(godthab.dst_start.time_seconds, -3600);
  PosixTzRule jerusalem = Rule("IST-2IDT,M3.4.4/26,M10.5.0");
  EXPECT_EQ(jerusalem.dst_start.time_seconds, 26 * 3600);
  PosixTzRule julian = Rule("EST5EDT,J60/2,300");
  EXPECT_EQ(julian.dst_start.kind, PosixRuleDate::Kind::kJulianNoLeap);
  EXPECT_EQ(julian.dst_end.kind, PosixRuleDate::Kind::kDayOfYear);
}

TEST(PosixTzRuleTest, RejectsMalformedRules) {
  for (std::string_view text : {"", "P8", "PST", "PST8PDT,M3.2.0", "PST8PDT,M13.2.0,M11.1.0", "PST8PDT,M3.6.0,M11.1.0",
                                "PST8PDT,M3.2.7,M11.1.0", "<PST8", "PST8PDT,J0,J10", "PST8PDT,M3.2.0,M11.1.0x"}) {
    EXPECT_FALSE(PosixTzRule::Parse(text).has_value()) << text;
  }
}

TEST(PosixTzRuleTest, OffsetsAroundTransitions) {
  PosixTzRule la = Rule("PST8PDT,M3.2.0,M11.1.0");
  // 2040-03-11T10:00Z is 02:00 PST on the second Sunday of March 2040.
  OffsetSpan before = la.OffsetAt(2215072799);
  EXPECT_EQ(before.offset_seconds, -28800);
  EXPECT_EQ(before.end_seconds, 2215072800);
  OffsetSpan after = la.OffsetAt(2215072800);
  EXPECT_EQ(after.offset_seconds, -25200);
  EXPECT_EQ(after.begin_seconds, 2215072800);
  // Southern hemisphere: DST spans the new year.
  PosixTzRule sydney = Rule("AEST-10AEDT,M10.1.0,M4.1.0/3");
  EXPECT_EQ(sydney.OffsetAt(4103654400).offset_seconds, 39600);  // 2100-01-15
  EXPECT_EQ(sydney.OffsetAt(4119292800).offset_seconds, 36000);  // 2100-07-15
  // Negative DST: Irish "standard" time is summer time.
  PosixTzRule dublin = Rule("IST-1GMT0,M10.5.0,M3.5.0/1");
  EXPECT_EQ(dublin.OffsetAt(4103654400).offset_seconds, 0);
  EXPECT_EQ(dublin.OffsetAt(4119292800).offset_seconds, 3600);
  // Transition times beyond 24h: 26:00 on the fourth Thursday of March 2100 is 2100-03-26T00:00Z.
  PosixTzRule jerusalem = Rule("IST-2IDT,M3.4.4/26,M10.5.0");
  EXPECT_EQ(jerusalem.OffsetAt(4109702399).offset_seconds, 7200);
  EXPECT_EQ(jerusalem.OffsetAt(4109702400).offset_seconds, 10800);
}

TEST(PosixTzRuleTest, AllYearDst) {
  PosixTzRule rule = Rule("EST5EDT,0/0,J365/25");
  EXPECT_EQ(rule.OffsetAt(4103654400).offset_seconds, -14400);
  EXPECT_EQ(rule.OffsetAt(4119292800).offset_seconds, -14400);
  EXPECT_EQ(rule.OffsetAt(4102444800).offset_seconds, -14400);  // 2100-01-01T00:00Z
}

TEST(PosixTzRuleTest, ReadsTheFooterOfTzifFiles) {
  std::optional<PosixTzRule> la = ReadTzifFooter("/usr/share/zoneinfo/America/Los_Angeles");
  ASSERT_TRUE(la.has_value());
  EXPECT_EQ(la->std_offset_seconds, -28800);
  EXPECT_TRUE(la->has_dst);
  EXPECT_FALSE(ReadTzifFooter("/nonexistent/zone").has_value());
}

}  // namespace
}  // namespace strata::types::internal
