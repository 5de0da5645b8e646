#include "types/interval.h"

#include <gtest/gtest.h>

namespace strata::types {
namespace {

constexpr int64_t kDayStart = 1442016000000;  // 2015-09-12T00:00:00.000Z
constexpr int64_t kNextDay = kDayStart + kMillisPerDay;

TEST(IntervalTest, ParsesStartAndEnd) {
  Result<Interval> interval = Interval::Parse("2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z");
  ASSERT_TRUE(interval.ok());
  EXPECT_EQ(interval->start, kDayStart);
  EXPECT_EQ(interval->end, kNextDay);
  EXPECT_EQ(*Interval::Parse("2015-09-12/2015-09-13"), (Interval{kDayStart, kNextDay}));
  EXPECT_EQ(*Interval::Parse("2015-09-12T05:30+05:30/2015-09-13"), (Interval{kDayStart, kNextDay}));
}

TEST(IntervalTest, ParsesPeriods) {
  EXPECT_EQ(*Interval::Parse("2015-09-12/P1D"), (Interval{kDayStart, kNextDay}));
  EXPECT_EQ(*Interval::Parse("P1D/2015-09-13"), (Interval{kDayStart, kNextDay}));
  EXPECT_EQ(*Interval::Parse("2015-01-31/P1M"), (Interval{1422662400000, 1425081600000}));  // to 2015-02-28
}

TEST(IntervalTest, ParsesTaskFilterForm) {
  EXPECT_EQ(*Interval::Parse("2015-09-12T00:00:00.000Z_2015-09-13T00:00:00.000Z"), (Interval{kDayStart, kNextDay}));
}

TEST(IntervalTest, RejectsMalformedText) {
  for (std::string_view text : {"", "2015-09-12", "2015-09-13/2015-09-12", "P1D/P1D", "abc/2015-09-12",
                                "2015-09-12/xyz", "2015-09-12/2015-09-13/2015-09-14", "2015-09-12/P0D"}) {
    Result<Interval> interval = Interval::Parse(text);
    ASSERT_FALSE(interval.ok()) << text;
    EXPECT_EQ(interval.status().code(), StatusCode::kInvalidInput);
    EXPECT_EQ(interval.status().message().rfind("Cannot parse [" + std::string(text) + "] as an interval: ", 0), 0u)
        << interval.status().message();
  }
  EXPECT_EQ(Interval::Parse("2015-09-13/2015-09-12").status().message(),
            "Cannot parse [2015-09-13/2015-09-12] as an interval: the end is before the start");
}

TEST(IntervalTest, ToString) {
  EXPECT_EQ((Interval{kDayStart, kNextDay}).ToString(), "2015-09-12T00:00:00.000Z/2015-09-13T00:00:00.000Z");
  EXPECT_EQ(Interval::Eternity().ToString(), "-146136543-09-08T08:23:32.096Z/146140482-04-24T15:36:27.903Z");
  Result<Interval> eternity = Interval::Parse(Interval::Eternity().ToString());
  ASSERT_TRUE(eternity.ok());
  EXPECT_TRUE(eternity->is_eternity());
}

TEST(IntervalTest, Predicates) {
  Interval day{kDayStart, kNextDay};
  EXPECT_TRUE(day.Contains(kDayStart));
  EXPECT_FALSE(day.Contains(kNextDay));
  EXPECT_TRUE(day.Contains(Interval{kDayStart + 1, kNextDay}));
  EXPECT_FALSE(day.Contains(Interval{kDayStart, kNextDay + 1}));
  EXPECT_TRUE(day.Overlaps(Interval{kNextDay - 1, kNextDay + 5}));
  EXPECT_FALSE(day.Overlaps(Interval{kNextDay, kNextDay + 5}));
  EXPECT_EQ(day.duration(), kMillisPerDay);
  EXPECT_FALSE(day.empty());
  EXPECT_TRUE((Interval{5, 5}).empty());
  EXPECT_TRUE(Interval().is_eternity());
}

TEST(IntervalTest, CondenseMergesOverlappingAndTouching) {
  std::vector<Interval> condensed = CondenseIntervals({{30, 40}, {0, 10}, {10, 20}, {35, 50}, {60, 70}, {5, 8}});
  ASSERT_EQ(condensed.size(), 3u);
  EXPECT_EQ(condensed[0], (Interval{0, 20}));
  EXPECT_EQ(condensed[1], (Interval{30, 50}));
  EXPECT_EQ(condensed[2], (Interval{60, 70}));
  EXPECT_TRUE(CondenseIntervals({}).empty());
  EXPECT_EQ(CondenseIntervals({Interval::Eternity(), {0, 10}}), std::vector<Interval>{Interval::Eternity()});
}

}  // namespace
}  // namespace strata::types
