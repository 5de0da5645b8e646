#include "catalog/timeline.h"

#include <algorithm>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

namespace strata::catalog {

using types::Interval;

namespace {

// `intervals` minus the union of `covered` (both ascending, non-overlapping after condensing).
std::vector<Interval> Subtract(const Interval& interval, const std::vector<Interval>& covered) {
  std::vector<Interval> out;
  int64_t cursor = interval.start;
  for (const Interval& c : covered) {
    if (c.end <= cursor) continue;
    if (c.start >= interval.end) break;
    if (c.start > cursor) out.push_back(Interval{cursor, std::min(c.start, interval.end)});
    cursor = std::max(cursor, c.end);
    if (cursor >= interval.end) break;
  }
  if (cursor < interval.end) out.push_back(Interval{cursor, interval.end});
  return out;
}

}  // namespace

Result<std::shared_ptr<const SegmentInfo>> SegmentInfo::FromRecord(const metadata::SegmentRecord& record) {
  auto info = std::make_shared<SegmentInfo>();
  info->record = record;
  info->interval = Interval{record.start, record.end};
  try {
    nlohmann::ordered_json p = nlohmann::ordered_json::parse(record.payload);  // ordered: shardSpec is shown as written
    if (p.contains("loadSpec") && p["loadSpec"].contains("path")) info->load_path = p["loadSpec"]["path"].get<std::string>();
    if (p.contains("shardSpec")) {
      const auto& shard = p["shardSpec"];
      info->shard_spec_json = shard.dump();
      info->tombstone = shard.value("type", "") == "tombstone";
      if (shard.value("type", "") == "range" || shard.value("type", "") == "single") {
        if (shard.contains("dimensions") && shard["dimensions"].is_array() && !shard["dimensions"].empty()) {
          info->cluster_column = shard["dimensions"][0].get<std::string>();
        } else if (shard.contains("dimension") && shard["dimension"].is_string()) {
          info->cluster_column = shard["dimension"].get<std::string>();
        }
        auto first_value = [](const nlohmann::ordered_json& v, std::string* out) {
          if (v.is_array() && !v.empty() && v[0].is_string()) {
            *out = v[0].get<std::string>();
            return true;
          }
          if (v.is_string()) {
            *out = v.get<std::string>();
            return true;
          }
          return false;
        };
        if (shard.contains("start")) info->has_range_start = first_value(shard["start"], &info->range_start);
        if (shard.contains("end")) info->has_range_end = first_value(shard["end"], &info->range_end);
      }
    }
    if (p.contains("columns")) {
      for (const auto& c : p["columns"]) {
        ColumnSchema col;
        col.name = c.at("name").get<std::string>();
        Result<types::ColumnType> type = types::ParseNativeType(c.at("type").get<std::string>());
        if (!type.ok()) return type.status();
        col.type = *type;
        col.complex_type = c.value("complexType", "");
        info->columns.push_back(std::move(col));
      }
    }
    auto split = [](const std::string& s) {
      std::vector<std::string> out;
      size_t start = 0;
      while (start < s.size()) {
        size_t comma = s.find(',', start);
        if (comma == std::string::npos) comma = s.size();
        if (comma > start) out.push_back(s.substr(start, comma - start));
        start = comma + 1;
      }
      return out;
    };
    info->dimensions = split(p.value("dimensions", ""));
    info->metrics = split(p.value("metrics", ""));
  } catch (const std::exception& e) {
    return Status::Corruption("malformed payload of segment [" + record.id + "]: " + e.what());
  }
  return std::shared_ptr<const SegmentInfo>(std::move(info));
}

Timeline::Timeline(std::vector<std::shared_ptr<const SegmentInfo>> segments) {
  // Newest version first; within a version, by interval.
  std::sort(segments.begin(), segments.end(), [](const auto& a, const auto& b) {
    if (a->record.version != b->record.version) return a->record.version > b->record.version;
    if (a->interval.start != b->interval.start) return a->interval.start < b->interval.start;
    return a->record.partition_num < b->record.partition_num;
  });
  std::vector<Interval> covered;
  size_t i = 0;
  std::set<std::string> seen_columns;
  while (i < segments.size()) {
    size_t j = i;
    std::vector<Interval> group_intervals;
    while (j < segments.size() && segments[j]->record.version == segments[i]->record.version) {
      const auto& seg = segments[j];
      std::vector<Interval> visible = Subtract(seg->interval, covered);
      if (visible.empty()) {
        overshadowed_.push_back(seg->record.id);
      } else {
        entries_.push_back(TimelineEntry{seg, std::move(visible)});
        if (!seg->tombstone) {
          for (const auto& c : seg->columns) {
            if (seen_columns.insert(c.name).second) columns_.push_back(c);
          }
        }
      }
      group_intervals.push_back(seg->interval);
      ++j;
    }
    covered.insert(covered.end(), group_intervals.begin(), group_intervals.end());
    covered = types::CondenseIntervals(std::move(covered));
    i = j;
  }
  // Tombstones hold no rows: they shadow older data but are not part of the visible entries.
  entries_.erase(std::remove_if(entries_.begin(), entries_.end(), [](const TimelineEntry& e) { return e.segment->tombstone; }),
                 entries_.end());
  std::sort(entries_.begin(), entries_.end(), [](const TimelineEntry& a, const TimelineEntry& b) {
    if (a.segment->interval.start != b.segment->interval.start) return a.segment->interval.start < b.segment->interval.start;
    if (a.segment->record.version != b.segment->record.version) return a.segment->record.version < b.segment->record.version;
    return a.segment->record.partition_num < b.segment->record.partition_num;
  });
  // __time always comes first.
  auto it = std::find_if(columns_.begin(), columns_.end(), [](const ColumnSchema& c) { return c.name == "__time"; });
  if (it != columns_.end() && it != columns_.begin()) std::rotate(columns_.begin(), it, it + 1);
}

std::vector<TimelineEntry> Timeline::Lookup(const std::vector<Interval>& intervals) const {
  std::vector<TimelineEntry> out;
  for (const TimelineEntry& e : entries_) {
    TimelineEntry clipped{e.segment, {}};
    for (const Interval& v : e.visible) {
      for (const Interval& q : intervals) {
        Interval x{std::max(v.start, q.start), std::min(v.end, q.end)};
        if (!x.empty()) clipped.visible.push_back(x);
      }
    }
    if (!clipped.visible.empty()) {
      clipped.visible = types::CondenseIntervals(std::move(clipped.visible));
      out.push_back(std::move(clipped));
    }
  }
  return out;
}

int64_t Timeline::num_rows() const {
  int64_t total = 0;
  for (const auto& e : entries_) total += e.segment->record.num_rows;
  return total;
}

}  // namespace strata::catalog
