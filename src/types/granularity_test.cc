#include "types/granularity.h"

#include <gtest/gtest.h>

#include <random>

namespace strata::types {
namespace {

constexpr int64_t kSample = 1442018818771;  // 2015-09-12T00:46:58.771Z (Saturday)

int64_t T(std::string_view text) {
  Result<int64_t> t = ParseIso8601(text);
  EXPECT_TRUE(t.ok()) << text;
  return t.ok() ? *t : 0;
}

Granularity G(std::string_view name) {
  Result<Granularity> granularity = Granularity::FromName(name);
  EXPECT_TRUE(granularity.ok()) << name;
  return granularity.ok() ? *granularity : Granularity::None();
}

Granularity InZone(std::string_view period, std::string_view zone, std::optional<int64_t> origin = std::nullopt) {
  return Granularity::OfPeriod(*Period::Parse(period), *TimeZone::Find(zone), origin);
}

std::string FloorText(const Granularity& granularity, int64_t t) {
  return FormatIso8601(granularity.Floor(t), granularity.zone());
}

TEST(GranularityTest, StandardUtcGranularitiesFloorToCalendarUnits) {
  EXPECT_EQ(FormatIso8601(G("SECOND").Floor(kSample)), "2015-09-12T00:46:58.000Z");
  EXPECT_EQ(FormatIso8601(G("MINUTE").Floor(kSample)), "2015-09-12T00:46:00.000Z");
  EXPECT_EQ(FormatIso8601(G("FIVE_MINUTE").Floor(kSample)), "2015-09-12T00:45:00.000Z");
  EXPECT_EQ(FormatIso8601(G("TEN_MINUTE").Floor(kSample)), "2015-09-12T00:40:00.000Z");
  EXPECT_EQ(FormatIso8601(G("FIFTEEN_MINUTE").Floor(kSample)), "2015-09-12T00:45:00.000Z");
  EXPECT_EQ(FormatIso8601(G("THIRTY_MINUTE").Floor(kSample)), "2015-09-12T00:30:00.000Z");
  EXPECT_EQ(FormatIso8601(G("HOUR").Floor(kSample)), "2015-09-12T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("SIX_HOUR").Floor(T("2015-09-12T14:10Z"))), "2015-09-12T12:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("EIGHT_HOUR").Floor(T("2015-09-12T14:10Z"))), "2015-09-12T08:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("DAY").Floor(kSample)), "2015-09-12T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("WEEK").Floor(kSample)), "2015-09-07T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("MONTH").Floor(kSample)), "2015-09-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("QUARTER").Floor(kSample)), "2015-07-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("YEAR").Floor(kSample)), "2015-01-01T00:00:00.000Z");
  EXPECT_EQ(G("PT0.001S").Floor(kSample), kSample);
}

TEST(GranularityTest, NextAndCeil) {
  EXPECT_EQ(FormatIso8601(G("DAY").Next(T("2015-09-12"))), "2015-09-13T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("DAY").Ceil(kSample)), "2015-09-13T00:00:00.000Z");
  EXPECT_EQ(G("DAY").Ceil(T("2015-09-12")), T("2015-09-12"));
  EXPECT_EQ(FormatIso8601(G("MONTH").Next(T("2015-12-01"))), "2016-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("MONTH").Ceil(kSample)), "2015-10-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("WEEK").Next(T("2015-09-07"))), "2015-09-14T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("QUARTER").Next(T("2015-10-01"))), "2016-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("YEAR").Ceil(kSample)), "2016-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("PT6H").Next(T("2015-09-12T18:00Z"))), "2015-09-13T00:00:00.000Z");
  EXPECT_TRUE(G("HOUR").IsAligned(T("2015-09-12T05:00Z")));
  EXPECT_FALSE(G("HOUR").IsAligned(T("2015-09-12T05:00:00.001Z")));
}

TEST(GranularityTest, NoneAndAll) {
  Granularity none = Granularity::None();
  EXPECT_TRUE(none.is_none());
  EXPECT_EQ(none.Floor(kSample), kSample);
  EXPECT_EQ(none.Next(kSample), kSample + 1);
  EXPECT_EQ(none.Ceil(kSample), kSample);
  Granularity all = Granularity::All();
  EXPECT_TRUE(all.is_all());
  EXPECT_EQ(all.Floor(kSample), kMinInstant);
  EXPECT_EQ(all.Next(kMinInstant), kMaxInstant);
  EXPECT_EQ(all.Ceil(kSample), kMaxInstant);
}

TEST(GranularityTest, MultiplesCountFromTheEpochAndFloorBeforeIt) {
  EXPECT_EQ(FormatIso8601(G("PT6H").Floor(T("1969-12-31T23:00Z"))), "1969-12-31T18:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("PT5M").Floor(T("1969-12-31T23:59:59.999Z"))), "1969-12-31T23:55:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P3M").Floor(T("1969-12-15"))), "1969-10-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P3M").Floor(T("2015-03-31T23:59Z"))), "2015-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P2Y").Floor(kSample)), "2014-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P2Y").Floor(T("1969-06-01"))), "1968-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P2Y").Next(T("2014-01-01"))), "2016-01-01T00:00:00.000Z");
  // 1970-01-01 is a Thursday: P7D counts weeks from it, unlike P1W which starts on Monday.
  EXPECT_EQ(FormatIso8601(G("P7D").Floor(kSample)), "2015-09-10T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P2W").Floor(kSample)), "2015-09-10T00:00:00.000Z");
}

TEST(GranularityTest, Origins) {
  Granularity half_past = Granularity::OfPeriod(*Period::Parse("PT1H"), TimeZone(), T("1970-01-01T00:30Z"));
  EXPECT_EQ(FormatIso8601(half_past.Floor(kSample)), "2015-09-12T00:30:00.000Z");
  EXPECT_EQ(FormatIso8601(half_past.Floor(T("2015-09-12T00:10Z"))), "2015-09-11T23:30:00.000Z");
  Granularity mid_month = Granularity::OfPeriod(*Period::Parse("P1M"), TimeZone(), T("2015-01-15"));
  EXPECT_EQ(FormatIso8601(mid_month.Floor(kSample)), "2015-08-15T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(mid_month.Floor(T("2014-12-20"))), "2014-12-15T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(mid_month.Floor(T("2014-12-10"))), "2014-11-15T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(mid_month.Next(T("2015-08-15"))), "2015-09-15T00:00:00.000Z");
  Granularity day_from_noon = Granularity::OfPeriod(*Period::Parse("P1D"), TimeZone(), T("2000-01-01T12:00Z"));
  EXPECT_EQ(FormatIso8601(day_from_noon.Floor(kSample)), "2015-09-11T12:00:00.000Z");
}

TEST(GranularityTest, CompoundPeriods) {
  // Fixed-length: 25-hour buckets from the epoch.
  EXPECT_EQ(G("P1DT1H").Floor(kSample), 1441980000000);
  EXPECT_EQ(G("P1DT1H").Next(1441980000000), 1441980000000 + 25 * kMillisPerHour);
  // With months: bucket k starts k months and k days after the origin.
  Granularity month_and_day = G("P1M1D");
  EXPECT_EQ(FormatIso8601(month_and_day.Floor(T("1970-03-10"))), "1970-03-03T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(month_and_day.Next(T("1970-03-03"))), "1970-04-04T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(month_and_day.Floor(T("1970-01-31"))), "1970-01-01T00:00:00.000Z");
}

TEST(GranularityTest, DayInZoneWithDst) {
  Granularity day = InZone("P1D", "America/Los_Angeles");
  EXPECT_EQ(FloorText(day, kSample), "2015-09-11T00:00:00.000-07:00");
  int64_t dst_day = T("2015-03-08T12:00:00-07:00");
  EXPECT_EQ(FloorText(day, dst_day), "2015-03-08T00:00:00.000-08:00");
  int64_t start = day.Floor(dst_day);
  EXPECT_EQ(FormatIso8601(day.Next(start), day.zone()), "2015-03-09T00:00:00.000-07:00");
  EXPECT_EQ(day.Next(start) - start, 23 * kMillisPerHour);
  EXPECT_EQ(FloorText(InZone("P1M", "America/Los_Angeles"), kSample), "2015-09-01T00:00:00.000-07:00");
  EXPECT_EQ(FloorText(InZone("P1Y", "America/Los_Angeles"), kSample), "2015-01-01T00:00:00.000-08:00");
  EXPECT_EQ(FloorText(InZone("P1W", "America/Los_Angeles"), kSample), "2015-09-07T00:00:00.000-07:00");
  EXPECT_EQ(FloorText(InZone("P2D", "America/Los_Angeles"), kSample), "2015-09-10T00:00:00.000-07:00");
  EXPECT_EQ(FloorText(InZone("P3M", "America/Los_Angeles"), kSample), "2015-07-01T00:00:00.000-07:00");
}

TEST(GranularityTest, HoursInZones) {
  Granularity hour = InZone("PT1H", "America/Los_Angeles");
  // Second 01:30 of the fall-back night.
  EXPECT_EQ(FloorText(hour, T("2015-11-01T01:30:00-08:00")), "2015-11-01T01:00:00.000-08:00");
  EXPECT_EQ(FloorText(hour, T("2015-11-01T01:30:00-07:00")), "2015-11-01T01:00:00.000-07:00");
  EXPECT_EQ(FloorText(InZone("PT1H", "Asia/Kolkata"), kSample), "2015-09-12T06:00:00.000+05:30");
  // Multiples count exact hours from 1970-01-01T00:00 local (08:00Z for Los Angeles).
  EXPECT_EQ(FloorText(InZone("PT6H", "America/Los_Angeles"), kSample), "2015-09-11T13:00:00.000-07:00");
  EXPECT_EQ(FloorText(InZone("PT6H", "+05:30"), kSample), "2015-09-12T06:00:00.000+05:30");
}

TEST(GranularityTest, FixedOffsetZones) {
  EXPECT_EQ(FloorText(InZone("P1D", "+05:30"), kSample), "2015-09-12T00:00:00.000+05:30");
  EXPECT_EQ(FloorText(InZone("P1D", "-08:00"), kSample), "2015-09-11T00:00:00.000-08:00");
  EXPECT_EQ(FloorText(InZone("P1M", "-08:00"), T("2015-09-01T03:00Z")), "2015-08-01T00:00:00.000-08:00");
  EXPECT_EQ(FloorText(InZone("P1W", "+05:30"), kSample), "2015-09-07T00:00:00.000+05:30");
}

TEST(GranularityTest, BucketsAreConsistent) {
  std::vector<Granularity> granularities = {
      G("DAY"), G("HOUR"), G("WEEK"), G("MONTH"), G("QUARTER"), G("YEAR"), G("PT6H"), G("P2D"), G("P1M1D"),
      G("P1DT1H"), InZone("P1D", "America/Los_Angeles"), InZone("PT1H", "America/Los_Angeles"),
      InZone("P2D", "America/Los_Angeles"), InZone("P1M", "Europe/Berlin"), InZone("P1W", "Asia/Kolkata"),
      InZone("PT30M", "Australia/Lord_Howe"), InZone("P1D", "America/Sao_Paulo"), InZone("P1DT1H", "Europe/Berlin"), InZone("P3M", "-08:00"),
      InZone("P2M", "America/Los_Angeles"), Granularity::OfPeriod(*Period::Parse("P1M"), TimeZone(), 1421020800000)};
  int64_t start = T("2015-01-01");
  for (const Granularity& granularity : granularities) {
    for (int64_t t = start; t < start + 400 * kMillisPerDay; t += 7 * kMillisPerHour + 12345) {
      int64_t floor = granularity.Floor(t);
      int64_t next = granularity.Next(floor);
      ASSERT_LE(floor, t) << granularity.Name() << " " << granularity.zone().name() << " " << FormatIso8601(t);
      ASSERT_GT(next, t) << granularity.Name() << " " << granularity.zone().name() << " " << FormatIso8601(t);
      ASSERT_EQ(granularity.Floor(floor), floor) << granularity.Name() << " " << FormatIso8601(t);
      ASSERT_EQ(granularity.Floor(next), next) << granularity.Name() << " " << FormatIso8601(t);
      ASSERT_EQ(granularity.Ceil(t), floor == t ? t : next);
    }
  }
}

TEST(GranularityTest, FixedBucketsAgreeWithFloor) {
  std::mt19937_64 gen(42);
  std::vector<Granularity> grids;
  for (const char* name : {"SECOND", "MINUTE", "FIFTEEN_MINUTE", "HOUR", "SIX_HOUR", "DAY", "WEEK", "PT7M", "P3D", "PT90M"}) {
    grids.push_back(*Granularity::FromName(name));
  }
  grids.push_back(Granularity::OfPeriod(*Period::Parse("PT1H"), TimeZone::FixedOffset(5 * 3600000 + 1800000)));
  grids.push_back(Granularity::OfPeriod(*Period::Parse("P1D"), TimeZone::FixedOffset(-8 * 3600000)));
  grids.push_back(Granularity::OfPeriod(*Period::Parse("P1W"), TimeZone::FixedOffset(-3 * 3600000)));
  grids.push_back(Granularity::OfPeriod(*Period::Parse("PT2H"), *TimeZone::Find("America/Los_Angeles")));
  grids.push_back(Granularity::OfPeriod(*Period::Parse("PT6H"), TimeZone(), int64_t{1234567}));
  for (const Granularity& g : grids) {
    int64_t length = 0, phase = 0;
    ASSERT_TRUE(g.FixedBuckets(&length, &phase)) << g.Name();
    for (int i = 0; i < 2000; ++i) {
      int64_t t = static_cast<int64_t>(gen() % 4000000000000ULL) - 1000000000000LL;  // 1938 .. 2096
      int64_t m = ((t - phase) % length + length) % length;
      EXPECT_EQ(t - m, g.Floor(t)) << g.Name() << " t=" << t;
    }
  }
  // Calendar units of varying length, and days in a zone with DST, have no fixed grid.
  int64_t length = 0, phase = 0;
  EXPECT_FALSE(Granularity::FromName("MONTH")->FixedBuckets(&length, &phase));
  EXPECT_FALSE(Granularity::FromName("YEAR")->FixedBuckets(&length, &phase));
  EXPECT_FALSE(Granularity::OfPeriod(*Period::Parse("P1D"), *TimeZone::Find("America/Los_Angeles")).FixedBuckets(&length, &phase));
  EXPECT_FALSE(Granularity::All().FixedBuckets(&length, &phase));
  EXPECT_FALSE(Granularity::None().FixedBuckets(&length, &phase));
}

TEST(GranularityTest, EternityBoundsDoNotOverflow) {
  EXPECT_EQ(FormatIso8601(G("DAY").Floor(kMaxInstant)), "146140482-04-24T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("MONTH").Floor(kMaxInstant)), "146140482-04-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("YEAR").Floor(kMinInstant)), "-146136543-01-01T00:00:00.000Z");
  // Counted buckets saturate at the ETERNITY bounds (the quarter would start before kMinInstant).
  EXPECT_EQ(G("QUARTER").Floor(kMinInstant), kMinInstant);
  EXPECT_EQ(FormatIso8601(G("QUARTER").Floor(kMinInstant + 30 * kMillisPerDay)), "-146136543-10-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(G("P1M1D").Floor(kSample)), "2015-08-13T00:00:00.000Z");
  EXPECT_LE(G("P1M1D").Floor(kMaxInstant), kMaxInstant);
  EXPECT_LE(InZone("P1D", "America/Los_Angeles").Floor(kMinInstant + kMillisPerDay), kMinInstant + kMillisPerDay);
}

TEST(GranularityTest, FromNameAcceptsDruidNames) {
  EXPECT_EQ(G("day"), Granularity::OfPeriod(*Period::Parse("P1D")));
  EXPECT_EQ(G("Week").period(), *Period::Parse("P1W"));
  EXPECT_EQ(G("quarter").period(), *Period::Parse("P3M"));
  EXPECT_TRUE(G("ALL TIME").is_all());
  EXPECT_TRUE(G("all_time").is_all());
  EXPECT_TRUE(G("all").is_all());
  EXPECT_TRUE(G("none").is_none());
  EXPECT_EQ(G("pt1h").Name(), "HOUR");
  EXPECT_EQ(G("PT2H").period().hours, 2);
  for (std::string_view name : {"nope", "", "P0D", "P-1D", "DAYS", "PT1H-"}) {
    Result<Granularity> granularity = Granularity::FromName(name);
    ASSERT_FALSE(granularity.ok()) << name;
    EXPECT_EQ(granularity.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(granularity.status().message(), "Unknown granularity [" + std::string(name) + "]");
  }
}

TEST(GranularityTest, Names) {
  EXPECT_EQ(G("DAY").Name(), "DAY");
  EXPECT_EQ(G("PT5M").Name(), "FIVE_MINUTE");
  EXPECT_EQ(G("PT15M").Name(), "FIFTEEN_MINUTE");
  EXPECT_EQ(G("P3M").Name(), "QUARTER");
  EXPECT_EQ(G("P1W").Name(), "WEEK");
  EXPECT_EQ(G("PT2H").Name(), "PT2H");
  EXPECT_EQ(G("P7D").Name(), "P7D");
  EXPECT_EQ(Granularity::All().Name(), "ALL");
  EXPECT_EQ(Granularity::None().Name(), "NONE");
  EXPECT_EQ(InZone("P1D", "America/Los_Angeles").Name(), "P1D");
  EXPECT_EQ(InZone("P1D", "Etc/UTC").Name(), "DAY");
  EXPECT_EQ(Granularity::OfPeriod(*Period::Parse("P1D"), TimeZone(), 0).Name(), "P1D");
}

TEST(GranularityTest, Json) {
  EXPECT_EQ(G("DAY").ToJson(), "\"DAY\"");
  EXPECT_EQ(G("THIRTY_MINUTE").ToJson(), "\"THIRTY_MINUTE\"");
  EXPECT_EQ(Granularity::All().ToJson(), "{\"type\":\"all\"}");
  EXPECT_EQ(Granularity::None().ToJson(), "{\"type\":\"none\"}");
  EXPECT_EQ(G("PT2H").ToJson(), "{\"type\":\"period\",\"period\":\"PT2H\",\"timeZone\":\"UTC\",\"origin\":null}");
  EXPECT_EQ(InZone("P1D", "America/Los_Angeles").ToJson(),
            "{\"type\":\"period\",\"period\":\"P1D\",\"timeZone\":\"America/Los_Angeles\",\"origin\":null}");
  EXPECT_EQ(Granularity::OfPeriod(*Period::Parse("PT1H"), TimeZone(), T("1970-01-01T00:30Z")).ToJson(),
            "{\"type\":\"period\",\"period\":\"PT1H\",\"timeZone\":\"UTC\","
            "\"origin\":\"1970-01-01T00:30:00.000Z\"}");
}

TEST(GranularityTest, Equality) {
  EXPECT_EQ(G("DAY"), InZone("P1D", "Etc/UTC"));
  EXPECT_FALSE(G("DAY") == InZone("P1D", "America/Los_Angeles"));
  EXPECT_FALSE(G("DAY") == G("PT24H"));
  EXPECT_FALSE(G("DAY") == Granularity::OfPeriod(*Period::Parse("P1D"), TimeZone(), 0));
  EXPECT_EQ(Granularity::All(), G("ALL"));
  EXPECT_FALSE(Granularity::All() == Granularity::None());
  EXPECT_EQ(InZone("P1D", "America/Los_Angeles"), InZone("P1D", "America/Los_Angeles"));
}

}  // namespace
}  // namespace strata::types
