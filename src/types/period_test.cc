#include "types/period.h"

#include <gtest/gtest.h>

#include <limits>

namespace strata::types {
namespace {

Period P(std::string_view text) {
  Result<Period> period = Period::Parse(text);
  EXPECT_TRUE(period.ok()) << text << ": " << period.status().ToString();
  return period.ok() ? *period : Period();
}

int64_t T(std::string_view text) {
  Result<int64_t> t = ParseIso8601(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : 0;
}

TEST(PeriodTest, ParsesSingleFields) {
  EXPECT_EQ(P("P1D").days, 1);
  EXPECT_EQ(P("PT1H").hours, 1);
  EXPECT_EQ(P("P1W").weeks, 1);
  EXPECT_EQ(P("P3M").months, 3);
  EXPECT_EQ(P("PT3M").minutes, 3);
  EXPECT_EQ(P("P2Y").years, 2);
  EXPECT_EQ(P("PT90M").minutes, 90);
  EXPECT_EQ(P("p1d").days, 1);
  EXPECT_EQ(P("pt1h").hours, 1);
}

TEST(PeriodTest, ParsesAllFieldsAndFractions) {
  Period period = P("P1Y2M3W4DT5H6M7.008S");
  EXPECT_EQ(period.years, 1);
  EXPECT_EQ(period.months, 2);
  EXPECT_EQ(period.weeks, 3);
  EXPECT_EQ(period.days, 4);
  EXPECT_EQ(period.hours, 5);
  EXPECT_EQ(period.minutes, 6);
  EXPECT_EQ(period.seconds, 7);
  EXPECT_EQ(period.millis, 8);
  EXPECT_EQ(period.NumFields(), 8);

  Period half = P("PT0.5S");
  EXPECT_EQ(half.seconds, 0);
  EXPECT_EQ(half.millis, 500);
  Period one_and_half = P("PT1.5S");
  EXPECT_EQ(one_and_half.seconds, 1);
  EXPECT_EQ(one_and_half.millis, 500);
  EXPECT_EQ(P("PT0.001S").millis, 1);
  EXPECT_EQ(P("PT0,25S").millis, 250);
  EXPECT_EQ(P("PT0.0019S").millis, 1);
  Period negative = P("PT-1.5S");
  EXPECT_EQ(negative.seconds, -1);
  EXPECT_EQ(negative.millis, -500);
  EXPECT_EQ(P("PT-1H").hours, -1);
}

TEST(PeriodTest, RejectsMalformedText) {
  for (std::string_view text : {"P", "PT", "", "1D", "P1.5D", "P1DT", "P0D", "PT0S", "P1M1Y", "P1D1D", "PT1D", "P1H",
                                "P1DX", "P1", "PT1.S", "P2147483648D", "PT1H1H", "P1DTT1H", "P-D", "P 1D"}) {
    Result<Period> period = Period::Parse(text);
    ASSERT_FALSE(period.ok()) << text;
    EXPECT_EQ(period.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(period.status().message(), "Cannot parse [" + std::string(text) + "] as an ISO-8601 period");
  }
}

TEST(PeriodTest, ToStringMatchesJoda) {
  EXPECT_EQ(P("P1D").ToString(), "P1D");
  EXPECT_EQ(P("pt1h").ToString(), "PT1H");
  EXPECT_EQ(P("P1Y2M").ToString(), "P1Y2M");
  EXPECT_EQ(P("P1W").ToString(), "P1W");
  EXPECT_EQ(P("P3M").ToString(), "P3M");
  EXPECT_EQ(P("PT90M").ToString(), "PT90M");
  EXPECT_EQ(P("PT0.5S").ToString(), "PT0.500S");
  EXPECT_EQ(P("PT1.5S").ToString(), "PT1.500S");
  EXPECT_EQ(P("PT-0.5S").ToString(), "PT-0.500S");
  EXPECT_EQ(P("PT-1.5S").ToString(), "PT-1.500S");
  EXPECT_EQ(P("PT1S").ToString(), "PT1S");
  EXPECT_EQ(P("P1Y2M3W4DT5H6M7.008S").ToString(), "P1Y2M3W4DT5H6M7.008S");
  EXPECT_EQ(P("P1DT12H").ToString(), "P1DT12H");
  EXPECT_EQ(Period().ToString(), "PT0S");
}

TEST(PeriodTest, LengthsAndFlags) {
  EXPECT_EQ(P("P1D").FixedMillis(), kMillisPerDay);
  EXPECT_EQ(P("P1W").FixedMillis(), 7 * kMillisPerDay);
  EXPECT_EQ(P("P1DT1H1M1.001S").FixedMillis(), kMillisPerDay + kMillisPerHour + kMillisPerMinute + 1001);
  EXPECT_TRUE(P("P1W").has_fixed_length());
  EXPECT_FALSE(P("P1M").has_fixed_length());
  EXPECT_FALSE(P("P1Y").has_fixed_length());
  EXPECT_EQ(P("P1D").NumFields(), 1);
  EXPECT_EQ(P("P1DT1H").NumFields(), 2);
  EXPECT_TRUE(Period().is_zero());
  EXPECT_FALSE(P("PT0.001S").is_zero());
  EXPECT_EQ(P("P1D"), P("p1d"));
  EXPECT_NE(P("P1D"), P("PT24H"));
}

TEST(AddPeriodTest, MonthsClampTheDayOfMonth) {
  TimeZone utc;
  EXPECT_EQ(AddPeriod(T("2015-01-31"), P("P1M"), 1, utc), T("2015-02-28"));
  EXPECT_EQ(AddPeriod(T("2016-01-31T10:00"), P("P1M"), 1, utc), T("2016-02-29T10:00"));
  EXPECT_EQ(AddPeriod(T("2015-01-31"), P("P1M"), 3, utc), T("2015-04-30"));
  EXPECT_EQ(AddPeriod(T("2015-03-31"), P("P1M"), -1, utc), T("2015-02-28"));
  EXPECT_EQ(AddPeriod(T("2016-02-29"), P("P1Y"), 1, utc), T("2017-02-28"));
  EXPECT_EQ(AddPeriod(T("2016-02-29"), P("P4Y"), 1, utc), T("2020-02-29"));
  // Years are added before months, each clamping (as Joda does).
  EXPECT_EQ(AddPeriod(T("2016-02-29"), P("P1Y1M"), 1, utc), T("2017-03-28"));
  EXPECT_EQ(AddPeriod(T("2015-11-15"), P("P3M"), 1, utc), T("2016-02-15"));
  EXPECT_EQ(AddPeriod(T("2015-01-15"), P("P3M"), -5, utc), T("2013-10-15"));
}

TEST(AddPeriodTest, ExactFieldsAndDays) {
  TimeZone utc;
  int64_t t = T("2015-09-12T00:46:58.771Z");
  EXPECT_EQ(AddPeriod(t, P("PT1H30M"), 1, utc), t + 90 * kMillisPerMinute);
  EXPECT_EQ(AddPeriod(t, P("PT0.5S"), -2, utc), t - 1000);
  EXPECT_EQ(AddPeriod(t, P("P1W"), 1, utc), t + 7 * kMillisPerDay);
  EXPECT_EQ(AddPeriod(t, P("P1DT1H"), 2, utc), t + 50 * kMillisPerHour);
  EXPECT_EQ(AddPeriod(t, P("P1D"), 0, utc), t);
}

TEST(AddPeriodTest, DaysKeepTheWallTimeAcrossDst) {
  TimeZone la = *TimeZone::Find("America/Los_Angeles");
  int64_t before = T("2015-03-07T12:00:00-08:00");
  EXPECT_EQ(FormatIso8601(AddPeriod(before, P("P1D"), 1, la), la), "2015-03-08T12:00:00.000-07:00");
  EXPECT_EQ(FormatIso8601(AddPeriod(before, P("PT24H"), 1, la), la), "2015-03-08T13:00:00.000-07:00");
  EXPECT_EQ(FormatIso8601(AddPeriod(before, P("P1M"), 1, la), la), "2015-04-07T12:00:00.000-07:00");
  int64_t after = T("2015-03-08T12:00:00-07:00");
  EXPECT_EQ(FormatIso8601(AddPeriod(after, P("P1D"), -1, la), la), "2015-03-07T12:00:00.000-08:00");
  // Into a gap: 2015-03-07T02:30 + 1 day has no 02:30 and moves forward.
  int64_t early = T("2015-03-07T02:30:00-08:00");
  EXPECT_EQ(FormatIso8601(AddPeriod(early, P("P1D"), 1, la), la), "2015-03-08T03:30:00.000-07:00");
}

TEST(AddPeriodTest, SaturatesAtEternity) {
  TimeZone utc;
  EXPECT_EQ(AddPeriod(kMaxInstant - 1, P("P1D"), 1, utc), kMaxInstant);
  EXPECT_EQ(AddPeriod(kMinInstant + 1, P("PT1H"), -1, utc), kMinInstant);
  EXPECT_EQ(AddPeriod(0, P("P1Y"), std::numeric_limits<int64_t>::max(), utc), kMaxInstant);
  EXPECT_EQ(AddPeriod(0, P("P1M"), std::numeric_limits<int64_t>::min(), utc), kMinInstant);
  EXPECT_EQ(AddPeriod(0, P("PT1S"), std::numeric_limits<int64_t>::max(), utc), kMaxInstant);
}

}  // namespace
}  // namespace strata::types
