#include "types/joda_format.h"

#include <gtest/gtest.h>

namespace strata::types {
namespace {

constexpr int64_t kSample = 1442018818771;  // 2015-09-12T00:46:58.771Z, a Saturday
constexpr int64_t kDayStart = 1442016000000;

TimeZone Zone(std::string_view name) { return *TimeZone::Find(name); }

std::string Format(std::string_view pattern, int64_t millis, const TimeZone& zone = TimeZone()) {
  Result<JodaFormat> format = JodaFormat::Compile(pattern);
  EXPECT_TRUE(format.ok()) << pattern << ": " << format.status().ToString();
  return format.ok() ? format->Format(millis, zone) : "";
}

Result<int64_t> Parse(std::string_view pattern, std::string_view text, const TimeZone& zone = TimeZone()) {
  Result<JodaFormat> format = JodaFormat::Compile(pattern);
  EXPECT_TRUE(format.ok()) << pattern << ": " << format.status().ToString();
  if (!format.ok()) return format.status();
  return format->Parse(text, zone);
}

int64_t ParseOk(std::string_view pattern, std::string_view text, const TimeZone& zone = TimeZone()) {
  Result<int64_t> parsed = Parse(pattern, text, zone);
  EXPECT_TRUE(parsed.ok()) << pattern << " / " << text << ": " << parsed.status().ToString();
  return parsed.ok() ? *parsed : 0;
}

TEST(JodaFormatTest, FormatsNumericFields) {
  EXPECT_EQ(Format("yyyy-MM-dd HH:mm:ss", kSample), "2015-09-12 00:46:58");
  EXPECT_EQ(Format("yyyy-MM-dd'T'HH:mm:ss.SSS", kSample), "2015-09-12T00:46:58.771");
  EXPECT_EQ(Format("y/M/d H:m:s", kSample + 5 * kMillisPerDay), "2015/9/17 0:46:58");
  EXPECT_EQ(Format("yy", kSample), "15");
  EXPECT_EQ(Format("Y G", kSample), "2015 AD");
  EXPECT_EQ(Format("D", kSample), "255");
  EXPECT_EQ(Format("DDDD", kSample), "0255");
  EXPECT_EQ(Format("xxxx-'W'ww-e", kSample), "2015-W37-6");
  EXPECT_EQ(Format("xxxx-'W'ww", 1420070400000), "2015-W01");  // 2015-01-01 is in week 1 of 2015
  EXPECT_EQ(Format("xxxx-'W'ww", 1451606400000), "2015-W53");  // 2016-01-01 is in week 53 of 2015
  EXPECT_EQ(Format("S|SS|SSS|SSSSSS", kSample), "7|77|771|771000");
}

TEST(JodaFormatTest, FormatsHours) {
  EXPECT_EQ(Format("h:mm a", kSample), "12:46 AM");
  EXPECT_EQ(Format("K k H", kSample), "0 24 0");
  int64_t afternoon = kSample + 13 * kMillisPerHour;  // 13:46
  EXPECT_EQ(Format("h:mm a", afternoon), "1:46 PM");
  EXPECT_EQ(Format("hh KK kk HH", afternoon), "01 01 13 13");
  EXPECT_EQ(Format("h a", kDayStart + 12 * kMillisPerHour), "12 PM");
}

TEST(JodaFormatTest, FormatsText) {
  EXPECT_EQ(Format("EEE", kSample), "Sat");
  EXPECT_EQ(Format("EEEE", kSample), "Saturday");
  EXPECT_EQ(Format("E", kSample), "Sat");
  EXPECT_EQ(Format("MMM", kSample), "Sep");
  EXPECT_EQ(Format("MMMM", kSample), "September");
  EXPECT_EQ(Format("MMM d, yyyy", kSample), "Sep 12, 2015");
  EXPECT_EQ(Format("EEEE, MMMM dd", 1420070400000), "Thursday, January 01");
  EXPECT_EQ(Format("G yyyy", -62198755200000), "BC -0001");  // 0002 BC is proleptic year -1
  EXPECT_EQ(Format("YYYY G", -62198755200000), "0002 BC");
}

TEST(JodaFormatTest, FormatsZones) {
  TimeZone la = Zone("America/Los_Angeles");
  EXPECT_EQ(Format("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", kSample), "2015-09-12T00:46:58.771+00:00");
  EXPECT_EQ(Format("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", kSample, la), "2015-09-11T17:46:58.771-07:00");
  EXPECT_EQ(Format("Z", kSample), "+0000");
  EXPECT_EQ(Format("Z", kSample, la), "-0700");
  EXPECT_EQ(Format("Z", kSample, Zone("Asia/Kolkata")), "+0530");
  EXPECT_EQ(Format("ZZZ", kSample, la), "America/Los_Angeles");
  EXPECT_EQ(Format("ZZZ", kSample), "UTC");
  EXPECT_EQ(Format("z", kSample), "UTC");
  EXPECT_EQ(Format("z", kSample, la), "PDT");
  EXPECT_EQ(Format("z", 946684800000, la), "PST");
  EXPECT_EQ(Format("z", kSample, Zone("+05:30")), "+05:30");
  EXPECT_EQ(Format("zzzz", kSample, la), "Pacific Daylight Time");
  EXPECT_EQ(Format("zzzz", kSample), "Coordinated Universal Time");
}

TEST(JodaFormatTest, QuotesAndLiterals) {
  EXPECT_EQ(Format("''yyyy''", kSample), "'2015'");
  EXPECT_EQ(Format("h 'o''clock' a", kSample), "12 o'clock AM");
  EXPECT_EQ(Format("[yyyy/MM/dd]", kSample), "[2015/09/12]");
  EXPECT_EQ(Format("'T'", kSample), "T");
}

TEST(JodaFormatTest, CompileRejectsUnknownLettersAndOpenQuotes) {
  for (std::string_view pattern : {"yyyy-MM-dd bb", "q", "yyyy-MM-dd 'T", "QQ", "yyyy'"}) {
    Result<JodaFormat> format = JodaFormat::Compile(pattern);
    ASSERT_FALSE(format.ok()) << pattern;
    EXPECT_EQ(format.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(format.status().message().rfind("Invalid format pattern [" + std::string(pattern) + "]", 0), 0u);
  }
  EXPECT_EQ(JodaFormat::Compile("yyyy bb").status().message(), "Invalid format pattern [yyyy bb]: unsupported letter 'b'");
  EXPECT_EQ(JodaFormat::Compile("'open").status().message(), "Invalid format pattern ['open]: unterminated quote");
  EXPECT_EQ(JodaFormat::Compile("yyyy-MM-dd")->pattern(), "yyyy-MM-dd");
}

TEST(JodaFormatTest, ParsesNumericPatterns) {
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm:ss", "2015-09-12 00:46:58"), kSample - 771);
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm:ss.SSS", "2015-09-12 00:46:58.771"), kSample);
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm:ss.SSS", "2015-09-12 00:46:58.7"), kSample - 71);
  EXPECT_EQ(ParseOk("yyyy-MM-dd", "2015-09-12"), kDayStart);
  EXPECT_EQ(ParseOk("yyyy-M-d", "2015-9-12"), kDayStart);
  EXPECT_EQ(ParseOk("yyyy-MM-dd", "2015-9-12"), kDayStart);
  EXPECT_EQ(ParseOk("yyyyMMdd", "20150912"), kDayStart);
  EXPECT_EQ(ParseOk("yyyyMMddHHmm", "201509120046"), kSample - 58771);
  EXPECT_EQ(ParseOk("dd/MM/yy", "12/09/15"), kDayStart);
  EXPECT_EQ(ParseOk("MM/dd/yy", "09/12/2015"), kDayStart);  // lenient: a 4-digit year is read whole
  EXPECT_EQ(ParseOk("yyyy D", "2015 255"), kDayStart);
  EXPECT_EQ(ParseOk("xxxx-'W'ww-e", "2015-W37-6"), kDayStart);
  EXPECT_EQ(ParseOk("HH:mm", "00:46"), 2760000);
}

TEST(JodaFormatTest, ParsesTextFieldsCaseInsensitively) {
  EXPECT_EQ(ParseOk("MMM d, yyyy", "Sep 12, 2015"), kDayStart);
  EXPECT_EQ(ParseOk("MMM d, yyyy", "sep 12, 2015"), kDayStart);
  EXPECT_EQ(ParseOk("MMM d, yyyy", "September 12, 2015"), kDayStart);
  EXPECT_EQ(ParseOk("MMMM d, yyyy", "SEPTEMBER 12, 2015"), kDayStart);
  EXPECT_EQ(ParseOk("EEE, d MMM yyyy HH:mm:ss Z", "Sat, 12 Sep 2015 00:46:58 +0000"), kSample - 771);
  EXPECT_EQ(ParseOk("EEEE yyyy-MM-dd", "saturday 2015-09-12"), kDayStart);
  EXPECT_EQ(ParseOk("h:mm a", "12:46 AM"), 2760000);
  EXPECT_EQ(ParseOk("h:mm a", "1:05 pm"), 47100000);
  EXPECT_EQ(ParseOk("yyyy-MM-dd'T'HH", "2015-09-12t00"), kDayStart);
}

TEST(JodaFormatTest, ParsesOffsetsAndZones) {
  TimeZone la = Zone("America/Los_Angeles");
  EXPECT_EQ(ParseOk("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "2015-09-11T17:46:58.771-07:00"), kSample);
  EXPECT_EQ(ParseOk("yyyy-MM-dd'T'HH:mm:ss.SSSZ", "2015-09-11T17:46:58.771-0700"), kSample);
  EXPECT_EQ(ParseOk("yyyy-MM-dd'T'HH:mm:ss.SSSZZ", "2015-09-12T00:46:58.771Z", la), kSample);
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm:ss ZZZ", "2015-09-11 17:46:58 America/Los_Angeles"), kSample - 771);
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm z", "2015-09-11 17:46 PDT"), 1442018760000);
  EXPECT_EQ(ParseOk("yyyy-MM-dd HH:mm z", "2015-09-12 00:46 UTC", la), 1442018760000);
  EXPECT_EQ(ParseOk("yyyy-MM-dd", "2015-09-12", la), 1442041200000);
}

TEST(JodaFormatTest, ParseFailuresAreErrors) {
  struct Case {
    std::string_view pattern;
    std::string_view text;
  };
  for (const Case& c : {Case{"yyyy-MM-dd", "2015-02-30"}, Case{"yyyy-MM-dd", "2015-09-12 junk"},
                        Case{"yyyy-MM-dd", "abc"}, Case{"yyyy-MM-dd", "2015-13-01"}, Case{"HH:mm", "25:00"},
                        Case{"HH:mm", "12:60"}, Case{"yyyy-MM-dd", ""}, Case{"MMM d, yyyy", "Sepx 12, 2015"},
                        Case{"yyyyMMdd", "2015912"}, Case{"h a", "13 PM"}, Case{"EEE", "Funday"},
                        Case{"Z", "+2500"}, Case{"ZZZ", "Mars/Base"}, Case{"xxxx-'W'ww", "2015-W54"}}) {
    Result<int64_t> parsed = Parse(c.pattern, c.text);
    ASSERT_FALSE(parsed.ok()) << c.pattern << " / " << c.text;
    EXPECT_EQ(parsed.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(parsed.status().message(),
              "Cannot parse [" + std::string(c.text) + "] with format [" + std::string(c.pattern) + "]");
  }
}

TEST(JodaFormatTest, FormatThenParseRoundTrips) {
  Result<JodaFormat> format = JodaFormat::Compile("yyyy-MM-dd'T'HH:mm:ss.SSSZZ");
  ASSERT_TRUE(format.ok());
  for (std::string_view zone_name : {"UTC", "America/Los_Angeles", "Asia/Kolkata", "-03:00"}) {
    TimeZone zone = Zone(zone_name);
    // From 1901 on: Joda-style offsets print whole minutes, so older local mean times do not round-trip.
    for (int64_t t = -2000000000000; t < 5000000000000; t += 123456789012) {
      EXPECT_EQ(*format->Parse(format->Format(t, zone), zone), t) << zone_name << " " << t;
    }
  }
}

}  // namespace
}  // namespace strata::types
