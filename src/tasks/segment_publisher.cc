#include "tasks/segment_publisher.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "base/clock.h"
#include "engine/fault.h"

namespace strata::tasks {

using types::Interval;

Result<std::unique_ptr<SegmentPublisher>> SegmentPublisher::Create(catalog::Catalog* catalog,
                                                                   metadata::MetadataStore* store, PublishSpec spec,
                                                                   int64_t now_millis) {
  std::unique_ptr<SegmentPublisher> p(new SegmentPublisher());
  p->catalog_ = catalog;
  p->store_ = store;
  p->spec_ = std::move(spec);
  ASSIGN_OR_RETURN(p->timeline_, catalog->GetTimeline(p->spec_.datasource));
  ASSIGN_OR_RETURN(p->existing_, store->ListSegments(p->spec_.datasource, false));
  // The new version must sort after every existing version (versions compare as strings).
  int64_t t = now_millis;
  std::string version = types::FormatIso8601(t);
  for (const auto& s : p->existing_) {
    while (version <= s.version) version = types::FormatIso8601(++t);
  }
  p->version_ = version;
  return p;
}

Result<catalog::SegmentId> SegmentPublisher::Allocate(const Interval& chunk) {
  std::lock_guard<std::mutex> lock(mu_);
  auto key = std::make_pair(chunk.start, chunk.end);
  auto it = next_partition_.find(key);
  if (it == next_partition_.end()) {
    std::string version = version_;
    int32_t next = 0;
    Interval interval = chunk;
    if (!spec_.replace) {
      // INSERT: append to the visible version of this chunk, if any.
      std::string existing_version;
      for (const auto& e : timeline_->entries()) {
        const Interval& si = e.segment->interval;
        if (!si.Overlaps(chunk)) continue;
        if (si == chunk || si.Contains(chunk)) {
          if (e.segment->record.version > existing_version) {
            existing_version = e.segment->record.version;
            interval = si;
          }
        } else {
          return engine::InsertCannotAllocateSegmentFault(spec_.datasource, chunk.ToString()).ToStatus();
        }
      }
      if (!existing_version.empty()) {
        version = existing_version;
        for (const auto& s : existing_) {
          if (s.version == version && s.start == interval.start && s.end == interval.end) next = std::max(next, s.partition_num + 1);
        }
      }
      key = std::make_pair(interval.start, interval.end);
      auto again = next_partition_.find(key);
      if (again != next_partition_.end()) {
        it = again;
      } else {
        it = next_partition_.emplace(key, std::make_pair(version, next)).first;
      }
    } else {
      it = next_partition_.emplace(key, std::make_pair(version, next)).first;
    }
  }
  catalog::SegmentId id;
  id.datasource = spec_.datasource;
  id.interval = Interval{it->first.first, it->first.second};
  id.version = it->second.first;
  id.partition_num = it->second.second++;
  return id;
}

std::string SegmentPayloadJson(const engine::GeneratedSegment& segment, const std::string& shard_spec_json) {
  nlohmann::ordered_json columns = nlohmann::ordered_json::array();
  for (const auto& c : segment.columns) {
    nlohmann::ordered_json col = {{"name", c.name}, {"type", std::string(types::NativeTypeName(c.type))}};
    if (!c.complex_type.empty()) col["complexType"] = c.complex_type;
    columns.push_back(col);
  }
  auto join = [](const std::vector<std::string>& v) {
    std::string out;
    for (size_t i = 0; i < v.size(); ++i) out += (i ? "," : "") + v[i];
    return out;
  };
  nlohmann::ordered_json j = {
      {"dataSource", segment.id.datasource},
      {"interval", segment.id.interval.ToString()},
      {"version", segment.id.version},
      {"loadSpec", nlohmann::ordered_json::parse(segment.load_spec_json.empty() ? "{\"type\":\"tombstone\"}" : segment.load_spec_json)},
      {"dimensions", join(segment.dimensions)},
      {"metrics", join(segment.metrics)},
      {"shardSpec", nlohmann::ordered_json::parse(shard_spec_json)},
      {"binaryVersion", 9},
      {"size", segment.size_bytes},
      {"identifier", segment.id.ToString()},
      {"numRows", segment.num_rows},
      {"columns", columns}};
  return j.dump();
}

SegmentReport SegmentPublisher::segment_report() const {
  if (spec_.range_shards && multi_valued_range_key_) {
    return {"NumberedShardSpec",
            "Cannot use RangeShardSpec, the fields in the CLUSTERED BY clause contains multivalued fields. Using "
            "NumberedShardSpec instead."};
  }
  return {spec_.range_shards ? "DimensionRangeShardSpec" : "NumberedShardSpec", spec_.shard_spec_reason};
}

Result<std::vector<metadata::SegmentRecord>> SegmentPublisher::Publish(const std::vector<engine::GeneratedSegment>& segments) {
  std::vector<metadata::SegmentRecord> records;
  int64_t now = base::NowMillis();
  // Partitions per (interval, version): the core partition count of numbered shard specs.
  std::map<std::string, int32_t> partitions;
  for (const auto& s : segments) {
    std::string k = s.id.interval.ToString() + s.id.version;
    partitions[k] = std::max(partitions[k], s.id.partition_num + 1);
  }
  auto record_of = [&](const engine::GeneratedSegment& s, const std::string& shard) {
    metadata::SegmentRecord r;
    r.id = s.id.ToString();
    r.datasource = s.id.datasource;
    r.start = s.id.interval.start;
    r.end = s.id.interval.end;
    r.version = s.id.version;
    r.partition_num = s.id.partition_num;
    r.num_rows = s.num_rows;
    r.size_bytes = s.size_bytes;
    r.payload = SegmentPayloadJson(s, shard);
    r.created_time = now;
    return r;
  };
  bool multi_valued = false;
  for (const auto& s : segments) multi_valued |= s.multi_valued_range_key;
  if (multi_valued) multi_valued_range_key_ = true;
  bool ranged = spec_.range_shards && !multi_valued;
  for (const auto& s : segments) ranged &= !s.range_dimensions.empty();
  if (ranged) {
    // Range shard specs: in each time chunk, segments ordered by their smallest key; each covers
    // from its smallest key (open below for the first) to the next one's (open above for the last).
    std::map<std::string, std::vector<const engine::GeneratedSegment*>> chunks;
    for (const auto& s : segments) chunks[s.id.interval.ToString() + s.id.version].push_back(&s);
    auto tuple_json = [](const std::vector<std::optional<std::string>>& t) {
      nlohmann::ordered_json j = nlohmann::ordered_json::array();
      for (const auto& v : t) j.push_back(v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr));
      return j;
    };
    for (auto& [key, members] : chunks) {
      std::stable_sort(members.begin(), members.end(), [](const engine::GeneratedSegment* a, const engine::GeneratedSegment* b) {
        return a->range_min < b->range_min;  // nullopt (NULL) sorts first
      });
      for (size_t i = 0; i < members.size(); ++i) {
        const engine::GeneratedSegment& s = *members[i];
        nlohmann::ordered_json shard = {{"type", "range"},
                                        {"dimensions", s.range_dimensions},
                                        {"start", i == 0 ? nlohmann::ordered_json(nullptr) : tuple_json(s.range_min)},
                                        {"end", i + 1 == members.size() ? nlohmann::ordered_json(nullptr)
                                                                        : tuple_json(members[i + 1]->range_min)},
                                        {"partitionNum", s.id.partition_num},
                                        {"numCorePartitions", partitions[key]}};
        records.push_back(record_of(s, shard.dump()));
      }
    }
  } else {
    for (const auto& s : segments) {
      nlohmann::ordered_json shard = {{"type", "numbered"}, {"partitionNum", s.id.partition_num},
                                      {"partitions", spec_.replace ? partitions[s.id.interval.ToString() + s.id.version] : 0}};
      records.push_back(record_of(s, shard.dump()));
    }
  }
  if (spec_.replace) {
    // Tombstones: REPLACE time chunks that held data and got none.
    std::vector<Interval> replaced = spec_.replace_intervals ? *spec_.replace_intervals
                                                             : std::vector<Interval>{Interval::Eternity()};
    std::vector<Interval> covered;
    for (const auto& s : segments) covered.push_back(s.id.interval);
    covered = types::CondenseIntervals(covered);
    std::vector<Interval> chunks;
    for (const auto& e : timeline_->entries()) {
      for (const Interval& v : e.visible) {
        for (const Interval& r : replaced) {
          Interval x{std::max(v.start, r.start), std::min(v.end, r.end)};
          if (x.empty()) continue;
          if (spec_.segment_granularity.is_all()) {
            chunks.push_back(Interval::Eternity());
            continue;
          }
          for (int64_t c = spec_.segment_granularity.Floor(x.start); c < x.end; c = spec_.segment_granularity.Next(c)) {
            chunks.push_back(Interval{c, spec_.segment_granularity.Next(c)});
            if (chunks.size() > 10000) break;
          }
        }
      }
    }
    std::sort(chunks.begin(), chunks.end());
    chunks.erase(std::unique(chunks.begin(), chunks.end()), chunks.end());
    for (const Interval& c : chunks) {
      bool has_data = false;
      for (const auto& cv : covered) has_data |= cv.Overlaps(c);
      if (has_data) continue;
      engine::GeneratedSegment t;
      t.id = catalog::SegmentId{spec_.datasource, c, version_, 0};
      records.push_back(record_of(t, R"({"type":"tombstone","partitionNum":0,"partitions":1})"));
    }
  }
  // Which existing segments the new ones overshadow completely.
  std::vector<std::shared_ptr<const catalog::SegmentInfo>> infos;
  for (const auto& r : existing_) {
    ASSIGN_OR_RETURN(auto info, catalog::SegmentInfo::FromRecord(r));
    infos.push_back(info);
  }
  for (const auto& r : records) {
    ASSIGN_OR_RETURN(auto info, catalog::SegmentInfo::FromRecord(r));
    infos.push_back(info);
  }
  catalog::Timeline after(std::move(infos));
  std::vector<std::string> unused;
  for (const auto& id : after.overshadowed_ids()) {
    bool is_new = false;
    for (const auto& r : records) is_new |= r.id == id;
    if (!is_new) unused.push_back(id);
  }
  if (records.empty()) return records;
  RETURN_IF_ERROR(store_->PublishSegments(records, unused));
  return records;
}

}  // namespace strata::tasks
