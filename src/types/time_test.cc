#include "types/time.h"

#include <gtest/gtest.h>

namespace strata::types {
namespace {

constexpr int64_t kSample = 1442018818771;  // 2015-09-12T00:46:58.771Z

TimeZone Zone(std::string_view name) {
  Result<TimeZone> zone = TimeZone::Find(name);
  EXPECT_TRUE(zone.ok()) << zone.status().ToString();
  return zone.ok() ? *zone : TimeZone();
}

TEST(CivilTest, DaysFromCivilKnownDates) {
  EXPECT_EQ(DaysFromCivil(1970, 1, 1), 0);
  EXPECT_EQ(DaysFromCivil(1969, 12, 31), -1);
  EXPECT_EQ(DaysFromCivil(2000, 3, 1), 11017);
  EXPECT_EQ(DaysFromCivil(2015, 9, 12), 16690);
  EXPECT_EQ(DaysFromCivil(0, 1, 1), -719528);
  EXPECT_EQ(DaysFromCivil(0, 3, 1), -719468);
  EXPECT_EQ(DaysFromCivil(-1, 12, 31), -719529);
}

TEST(CivilTest, CivilFromDaysRoundTripsOverWideRange) {
  for (int64_t days = -1000000; days <= 1000000; days += 7) {
    CivilTime civil;
    CivilFromDays(days, &civil);
    ASSERT_EQ(DaysFromCivil(civil.year, civil.month, civil.day), days) << days;
  }
  for (int64_t days : {int64_t{-53375995583}, int64_t{53375995583}, int64_t{-106751991167}}) {
    CivilTime civil;
    CivilFromDays(days, &civil);
    EXPECT_EQ(DaysFromCivil(civil.year, civil.month, civil.day), days);
  }
}

TEST(CivilTest, ToCivilUtcBeforeEpoch) {
  CivilTime civil = ToCivilUtc(-1);
  EXPECT_EQ(civil.year, 1969);
  EXPECT_EQ(civil.month, 12);
  EXPECT_EQ(civil.day, 31);
  EXPECT_EQ(civil.hour, 23);
  EXPECT_EQ(civil.minute, 59);
  EXPECT_EQ(civil.second, 59);
  EXPECT_EQ(civil.millis, 999);
  EXPECT_EQ(FromCivilUtc(civil), -1);
}

TEST(CivilTest, ToCivilUtcOfSample) {
  CivilTime civil = ToCivilUtc(kSample);
  EXPECT_EQ(civil.year, 2015);
  EXPECT_EQ(civil.month, 9);
  EXPECT_EQ(civil.day, 12);
  EXPECT_EQ(civil.hour, 0);
  EXPECT_EQ(civil.minute, 46);
  EXPECT_EQ(civil.second, 58);
  EXPECT_EQ(civil.millis, 771);
  EXPECT_EQ(FromCivilUtc(civil), kSample);
}

TEST(CivilTest, DayOfWeekAndFloorDivision) {
  EXPECT_EQ(DayOfWeekUtc(0), 4);                // Thursday
  EXPECT_EQ(DayOfWeekUtc(1442016000000), 6);    // Saturday 2015-09-12
  EXPECT_EQ(DayOfWeekUtc(-1), 3);               // Wednesday 1969-12-31
  EXPECT_EQ(FloorDiv(-1, 1000), -1);
  EXPECT_EQ(FloorDiv(-1000, 1000), -1);
  EXPECT_EQ(FloorDiv(-1001, 1000), -2);
  EXPECT_EQ(FloorDiv(999, 1000), 0);
  EXPECT_EQ(FloorMod(-1, 1000), 999);
  EXPECT_EQ(FloorMod(7, 3), 1);
}

TEST(TimeZoneTest, DefaultIsUtc) {
  TimeZone zone;
  EXPECT_TRUE(zone.is_utc());
  EXPECT_TRUE(zone.is_fixed());
  EXPECT_EQ(zone.name(), "UTC");
  EXPECT_EQ(zone.OffsetAt(kSample), 0);
  EXPECT_EQ(TimeZone::Utc().name(), "UTC");
}

TEST(TimeZoneTest, UtcAliasesUseTheFastPathAndKeepTheirName) {
  for (std::string_view name : {"UTC", "Z", "Etc/UTC", "GMT", "Etc/GMT", "utc"}) {
    TimeZone zone = Zone(name);
    EXPECT_TRUE(zone.is_utc()) << name;
    EXPECT_EQ(zone.name(), name);
    EXPECT_EQ(zone.OffsetAt(kSample), 0);
  }
}

TEST(TimeZoneTest, FixedOffsets) {
  EXPECT_EQ(Zone("+05:30").OffsetAt(0), 19800000);
  EXPECT_EQ(Zone("-08:00").OffsetAt(0), -28800000);
  EXPECT_EQ(Zone("+0530").OffsetAt(0), 19800000);
  EXPECT_EQ(Zone("-08").OffsetAt(0), -28800000);
  EXPECT_EQ(Zone("UTC+01:00").OffsetAt(0), 3600000);
  EXPECT_EQ(Zone("GMT-3").OffsetAt(0), -10800000);
  TimeZone zone = Zone("+05:30");
  EXPECT_TRUE(zone.is_fixed());
  EXPECT_FALSE(zone.is_utc());
  EXPECT_EQ(zone.name(), "+05:30");
  EXPECT_TRUE(Zone("+00:00").is_utc());
}

TEST(TimeZoneTest, FixedOffsetFactoryNamesTheOffset) {
  EXPECT_EQ(TimeZone::FixedOffset(19800000).name(), "+05:30");
  EXPECT_EQ(TimeZone::FixedOffset(-28800000).name(), "-08:00");
  EXPECT_TRUE(TimeZone::FixedOffset(0).is_utc());
  EXPECT_EQ(TimeZone::FixedOffset(0).name(), "UTC");
  EXPECT_EQ(TimeZone::FixedOffset(-28800000).FromLocal(0), 28800000);
}

TEST(TimeZoneTest, UnknownZonesFail) {
  for (std::string_view name : {"Mars/Base", "", "+25:00", "+05:3", "UTC+", "America/Nowhere"}) {
    Result<TimeZone> zone = TimeZone::Find(name);
    ASSERT_FALSE(zone.ok()) << name;
    EXPECT_EQ(zone.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(zone.status().message(), "Unknown time zone [" + std::string(name) + "]");
  }
}

TEST(TimeZoneTest, RegionOffsetsFollowDst) {
  TimeZone la = Zone("America/Los_Angeles");
  EXPECT_FALSE(la.is_fixed());
  EXPECT_EQ(la.name(), "America/Los_Angeles");
  EXPECT_EQ(la.OffsetAt(kSample), -7 * kMillisPerHour);
  EXPECT_EQ(la.OffsetAt(946684800000), -8 * kMillisPerHour);
  EXPECT_EQ(la.ToLocal(kSample), kSample - 7 * kMillisPerHour);
  // Copies share the name.
  TimeZone copy = la;
  EXPECT_EQ(&copy.name(), &la.name());
}

TEST(TimeZoneTest, FooterRulesApplyAfterTheLastTransition) {
  // Sao Paulo abolished DST in 2019.
  EXPECT_EQ(Zone("America/Sao_Paulo").OffsetAt(2210198400000), -3 * kMillisPerHour);    // 2040-01-15
  EXPECT_EQ(Zone("Australia/Sydney").OffsetAt(4103654400000), 11 * kMillisPerHour);    // 2100-01-15
  EXPECT_EQ(Zone("Australia/Sydney").OffsetAt(4119292800000), 10 * kMillisPerHour);    // 2100-07-15
  EXPECT_EQ(Zone("Europe/Dublin").OffsetAt(4103654400000), 0);
  EXPECT_EQ(Zone("Europe/Dublin").OffsetAt(4119292800000), kMillisPerHour);
  EXPECT_EQ(Zone("America/Santiago").OffsetAt(4103654400000), -3 * kMillisPerHour);
  EXPECT_EQ(Zone("Asia/Kolkata").OffsetAt(4103654400000), 19800000);
  TimeZone la = Zone("America/Los_Angeles");
  EXPECT_EQ(la.OffsetAt(2215072799999), -8 * kMillisPerHour);  // 2040-03-11T09:59:59.999Z
  EXPECT_EQ(la.OffsetAt(2215072800000), -7 * kMillisPerHour);
  EXPECT_EQ(FormatIso8601(2215072800000, la), "2040-03-11T03:00:00.000-07:00");
  // 2040-03-11T02:30 local is in the gap and moves forward.
  EXPECT_EQ(FormatIso8601(la.FromLocal(2215045800000), la), "2040-03-11T03:30:00.000-07:00");
}

TEST(TimeZoneTest, DstRulesContinueAfter2037) {
  TimeZone la = Zone("America/Los_Angeles");
  EXPECT_EQ(la.OffsetAt(4118112000000), -7 * kMillisPerHour);  // 2100-07-01T08:00Z
  EXPECT_EQ(la.OffsetAt(4102473600000), -8 * kMillisPerHour);  // 2100-01-01T08:00Z
  EXPECT_EQ(la.OffsetAt(2161814400000), -7 * kMillisPerHour);  // 2038-07-04T00:00Z
  // 2100-07-01T00:00 local.
  EXPECT_EQ(la.FromLocal(4118083200000), 4118083200000 + 7 * kMillisPerHour);
}

TEST(TimeZoneTest, FromLocalUniqueGapAndOverlap) {
  TimeZone la = Zone("America/Los_Angeles");
  // 2015-09-12T00:00 local is unique (PDT).
  EXPECT_EQ(la.FromLocal(1442016000000), 1442041200000);
  // 2015-03-08T02:30 does not exist: moves forward to 03:30 PDT.
  int64_t gap = la.FromLocal(1425781800000);
  EXPECT_EQ(gap, 1425810600000);
  EXPECT_EQ(FormatIso8601(gap, la), "2015-03-08T03:30:00.000-07:00");
  // 2015-11-01T01:30 happens twice: the earlier (PDT) instant wins.
  int64_t overlap = la.FromLocal(1446341400000);
  EXPECT_EQ(overlap, 1446366600000);
  EXPECT_EQ(FormatIso8601(overlap, la), "2015-11-01T01:30:00.000-07:00");
}

TEST(FormatIso8601Test, Utc) {
  EXPECT_EQ(FormatIso8601(kSample), "2015-09-12T00:46:58.771Z");
  EXPECT_EQ(FormatIso8601(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(-1), "1969-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(253402300799999), "9999-12-31T23:59:59.999Z");
  EXPECT_EQ(FormatIso8601(253402300800000), "10000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(-62167219200000), "0000-01-01T00:00:00.000Z");
  EXPECT_EQ(FormatIso8601(-62167219200001), "-0001-12-31T23:59:59.999Z");
}

TEST(FormatIso8601Test, EternityBounds) {
  EXPECT_EQ(FormatIso8601(kMinInstant), "-146136543-09-08T08:23:32.096Z");
  EXPECT_EQ(FormatIso8601(kMaxInstant), "146140482-04-24T15:36:27.903Z");
}

TEST(FormatIso8601Test, OtherZones) {
  EXPECT_EQ(FormatIso8601(kSample, Zone("America/Los_Angeles")), "2015-09-11T17:46:58.771-07:00");
  EXPECT_EQ(FormatIso8601(kSample, Zone("Asia/Kolkata")), "2015-09-12T06:16:58.771+05:30");
  EXPECT_EQ(FormatIso8601(kSample, Zone("-08:00")), "2015-09-11T16:46:58.771-08:00");
  EXPECT_EQ(FormatIso8601(kSample, Zone("Europe/London")), "2015-09-12T01:46:58.771+01:00");
  EXPECT_EQ(FormatIso8601(946684800000, Zone("Europe/London")), "2000-01-01T00:00:00.000Z");
}

TEST(ParseIso8601Test, AcceptedForms) {
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58.771Z"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12"), 1442016000000);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00"), 1442016000000);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46"), 1442018760000);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58"), 1442018818000);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58.7"), 1442018818700);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58.771"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58.771123"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58,771Z"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12 00:46:58.771"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12t00:46:58.771z"), kSample);
  EXPECT_EQ(*ParseIso8601("2015"), 1420070400000);
  EXPECT_EQ(*ParseIso8601("2015-09"), 1441065600000);
  EXPECT_EQ(*ParseIso8601("2015-9-1"), 1441065600000);
  EXPECT_EQ(*ParseIso8601("2016-02-29"), 1456704000000);
}

TEST(ParseIso8601Test, Offsets) {
  EXPECT_EQ(*ParseIso8601("2015-09-12T06:16:58.771+05:30"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-12T06:16:58.771+0530"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-11T16:46:58.771-08"), kSample);
  EXPECT_EQ(*ParseIso8601("2015-09-11T16:46:58.771-08:00"), kSample);
  EXPECT_EQ(*ParseIso8601("1850-01-01T00:00:00.000-07:52:58"), -3786825600000 + 28378000);
  // An explicit offset wins over the zone argument.
  EXPECT_EQ(*ParseIso8601("2015-09-12T00:46:58.771Z", Zone("Asia/Tokyo")), kSample);
}

TEST(ParseIso8601Test, TextWithoutOffsetIsReadInTheZone) {
  EXPECT_EQ(*ParseIso8601("2015-09-12", Zone("America/Los_Angeles")), 1442041200000);
  EXPECT_EQ(*ParseIso8601("2015-09-12T05:30", Zone("+05:30")), 1442016000000);
}

TEST(ParseIso8601Test, ExtremeYears) {
  EXPECT_EQ(*ParseIso8601("146140482-04-24T15:36:27.903Z"), kMaxInstant);
  EXPECT_EQ(*ParseIso8601("-146136543-09-08T08:23:32.096Z"), kMinInstant);
  EXPECT_EQ(*ParseIso8601("+10000-01-01"), 253402300800000);
  EXPECT_EQ(*ParseIso8601("0000-01-01"), -62167219200000);
  EXPECT_EQ(*ParseIso8601("-0001-12-31T23:59:59.999Z"), -62167219200001);
}

TEST(ParseIso8601Test, RejectsMalformedText) {
  for (std::string_view text :
       {"abc", "", " 2015-09-12", "2015-09-12 ", "2015-13-01", "2015-00-01", "2015-02-30", "2015-02-29",
        "2015-09-12T24:00", "2015-09-12T00:60", "2015-09-12T00:00:60", "2015-09-12T", "2015-09-12Tjunk",
        "2015-09-12T00:46:58.771Zjunk", "2015-09-12T00:46:58.Z", "2015-09-12T00:00+5", "2015-09-12Z",
        "1442016000000", "2015-09-12T00:00:00+25:00", "2015--09"}) {
    Result<int64_t> parsed = ParseIso8601(text);
    ASSERT_FALSE(parsed.ok()) << text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(parsed.status().message(), "Cannot parse [" + std::string(text) + "] as an ISO-8601 timestamp");
  }
}

TEST(ParseIso8601Test, RoundTripsFormattedText) {
  TimeZone la = Zone("America/Los_Angeles");
  for (int64_t t : {kSample, int64_t{0}, int64_t{-1}, int64_t{-62167219200001}, kMinInstant, kMaxInstant}) {
    EXPECT_EQ(*ParseIso8601(FormatIso8601(t)), t);
    EXPECT_EQ(*ParseIso8601(FormatIso8601(t, la)), t);
  }
}

TEST(SqlTimestampTest, Parse) {
  TimeZone utc;
  EXPECT_EQ(*ParseSqlTimestamp("2000-01-01 00:00:00", utc), 946684800000);
  EXPECT_EQ(*ParseSqlTimestamp("2000-01-01 00:00:00.123", utc), 946684800123);
  EXPECT_EQ(*ParseSqlTimestamp("2000-01-01", utc), 946684800000);
  EXPECT_EQ(*ParseSqlTimestamp("2000-01-01T00:00:00Z", utc), 946684800000);
  EXPECT_EQ(*ParseSqlTimestamp("2000-01-01 00:00:00", Zone("America/Los_Angeles")), 946713600000);
  Result<int64_t> bad = ParseSqlTimestamp("2000-01-01 25:00:00", utc);
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "Cannot parse [2000-01-01 25:00:00] as a SQL timestamp");
}

TEST(SqlTimestampTest, Format) {
  TimeZone utc;
  EXPECT_EQ(FormatSqlTimestamp(946684800000, utc), "2000-01-01 00:00:00");
  EXPECT_EQ(FormatSqlTimestamp(946684800123, utc), "2000-01-01 00:00:00.123");
  EXPECT_EQ(FormatSqlTimestamp(946684800000, Zone("America/Los_Angeles")), "1999-12-31 16:00:00");
  EXPECT_EQ(FormatSqlDate(946684800000, utc), "2000-01-01");
  EXPECT_EQ(FormatSqlDate(946684800000, Zone("America/Los_Angeles")), "1999-12-31");
  EXPECT_EQ(FormatSqlDate(kMinInstant, utc), "-146136543-09-08");
}

}  // namespace
}  // namespace strata::types
