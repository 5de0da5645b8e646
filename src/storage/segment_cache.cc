#include "storage/segment_cache.h"

namespace strata::storage {

Result<std::shared_ptr<const segment::Segment>> SegmentCache::Get(const catalog::SegmentInfo& info) {
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = segments_.find(info.record.id);
    if (it != segments_.end()) return it->second;
  }
  Result<std::shared_ptr<segment::Segment>> opened = segment::Segment::OpenFile(fs_, info.load_path, true);
  if (!opened.ok()) return opened.status().Annotate("cannot load segment [" + info.record.id + "]");
  std::lock_guard<std::mutex> lock(mu_);
  auto [it, inserted] = segments_.emplace(info.record.id, std::move(*opened));
  return it->second;
}

void SegmentCache::Evict(const std::string& segment_id) {
  std::lock_guard<std::mutex> lock(mu_);
  segments_.erase(segment_id);
}

}  // namespace strata::storage
