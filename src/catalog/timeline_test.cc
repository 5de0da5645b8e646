#include "catalog/timeline.h"

#include <gtest/gtest.h>

#include "catalog/segment_id.h"
#include "types/time.h"

namespace strata::catalog {
namespace {

using types::Interval;

constexpr int64_t kDay = types::kMillisPerDay;

std::shared_ptr<const SegmentInfo> Seg(int64_t start, int64_t end, const std::string& version, int partition,
                                       bool tombstone = false) {
  metadata::SegmentRecord r;
  r.datasource = "wiki";
  r.start = start;
  r.end = end;
  r.version = version;
  r.partition_num = partition;
  r.id = SegmentId{"wiki", Interval{start, end}, version, partition}.ToString();
  r.num_rows = tombstone ? 0 : 10;
  r.payload = std::string(R"({"loadSpec":{"type":"local","path":"/x"},"shardSpec":{"type":")") +
              (tombstone ? "tombstone" : "numbered") + R"("},"columns":[{"name":"__time","type":"LONG"},{"name":"page","type":"STRING"}]})";
  auto info = SegmentInfo::FromRecord(r);
  EXPECT_TRUE(info.ok()) << info.status().ToString();
  return *info;
}

TEST(SegmentIdTest, Format) {
  SegmentId id{"wiki", Interval{0, kDay}, "2024-01-01T10:00:00.000Z", 0};
  EXPECT_EQ(id.ToString(), "wiki_1970-01-01T00:00:00.000Z_1970-01-02T00:00:00.000Z_2024-01-01T10:00:00.000Z");
  id.partition_num = 3;
  EXPECT_EQ(id.ToString(), "wiki_1970-01-01T00:00:00.000Z_1970-01-02T00:00:00.000Z_2024-01-01T10:00:00.000Z_3");
}

TEST(TimelineTest, HigherVersionOvershadows) {
  Timeline t({Seg(0, kDay, "v1", 0), Seg(0, kDay, "v1", 1), Seg(kDay, 2 * kDay, "v1", 0), Seg(0, kDay, "v2", 0)});
  ASSERT_EQ(t.entries().size(), 2u);
  EXPECT_EQ(t.entries()[0].segment->record.version, "v2");
  EXPECT_EQ(t.entries()[1].segment->interval.start, kDay);
  EXPECT_EQ(t.overshadowed_ids().size(), 2u);
  EXPECT_EQ(t.columns().size(), 2u);
  EXPECT_EQ(t.columns()[0].name, "__time");
}

TEST(TimelineTest, PartialOvershadowAndTombstones) {
  // A newer HOUR segment inside an older DAY segment; a tombstone empties day 2.
  Timeline t({Seg(0, kDay, "v1", 0), Seg(kDay, 2 * kDay, "v1", 0),
              Seg(3600000, 7200000, "v2", 0), Seg(kDay, 2 * kDay, "v3", 0, /*tombstone=*/true)});
  ASSERT_EQ(t.entries().size(), 2u);
  const TimelineEntry& day1 = t.entries()[0];
  EXPECT_EQ(day1.segment->record.version, "v1");
  ASSERT_EQ(day1.visible.size(), 2u);
  EXPECT_EQ(day1.visible[0], (Interval{0, 3600000}));
  EXPECT_EQ(day1.visible[1], (Interval{7200000, kDay}));
  EXPECT_FALSE(day1.fully_visible());
  EXPECT_EQ(t.entries()[1].segment->record.version, "v2");
  EXPECT_TRUE(t.entries()[1].fully_visible());
  EXPECT_EQ(t.overshadowed_ids(), std::vector<std::string>{Seg(kDay, 2 * kDay, "v1", 0)->record.id});
  auto hits = t.Lookup({Interval{0, 1800000}});
  ASSERT_EQ(hits.size(), 1u);
  EXPECT_EQ(hits[0].visible[0], (Interval{0, 1800000}));
}

}  // namespace
}  // namespace strata::catalog
