#include "catalog/catalog.h"

namespace strata::catalog {

Status Catalog::RefreshLocked() {
  int64_t generation = store_->segments_generation();
  if (generation == loaded_generation_) return Status::OK();
  ASSIGN_OR_RETURN(std::vector<metadata::SegmentRecord> records, store_->ListSegments("", false));
  std::map<std::string, std::vector<std::shared_ptr<const SegmentInfo>>> by_datasource;
  for (const auto& r : records) {
    ASSIGN_OR_RETURN(auto info, SegmentInfo::FromRecord(r));
    by_datasource[r.datasource].push_back(std::move(info));
  }
  std::map<std::string, std::shared_ptr<const Timeline>> timelines;
  for (auto& [ds, infos] : by_datasource) timelines[ds] = std::make_shared<Timeline>(std::move(infos));
  timelines_ = std::move(timelines);
  loaded_generation_ = generation;
  return Status::OK();
}

Result<std::shared_ptr<const Timeline>> Catalog::GetTimeline(const std::string& datasource) {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshLocked());
  auto it = timelines_.find(datasource);
  if (it == timelines_.end()) return std::make_shared<const Timeline>(std::vector<std::shared_ptr<const SegmentInfo>>{});
  return it->second;
}

Result<std::vector<std::string>> Catalog::ListDatasources() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshLocked());
  std::vector<std::string> names;
  for (const auto& [ds, timeline] : timelines_) {
    if (!timeline->empty()) names.push_back(ds);
  }
  return names;
}

Result<std::map<std::string, std::shared_ptr<const Timeline>>> Catalog::AllTimelines() {
  std::lock_guard<std::mutex> lock(mu_);
  RETURN_IF_ERROR(RefreshLocked());
  return timelines_;
}

}  // namespace strata::catalog
