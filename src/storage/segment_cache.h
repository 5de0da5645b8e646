// SegmentCache: opened segments by id, shared between concurrent queries. The first open of a
// segment verifies its checksum; later lookups are a map hit. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>

#include "base/thread_annotations.h"
#include "catalog/timeline.h"
#include "io/file_system.h"
#include "segment/segment.h"

namespace strata::storage {

class SegmentCache {
 public:
  explicit SegmentCache(io::FileSystem* fs) : fs_(fs) {}
  /// The opened segment for a published segment. Corruption/IoError if the file is missing or
  /// damaged (the error names the segment id).
  Result<std::shared_ptr<const segment::Segment>> Get(const catalog::SegmentInfo& info);
  /// Drops segments no longer in use from the cache.
  void Evict(const std::string& segment_id);

 private:
  io::FileSystem* fs_;
  std::mutex mu_;
  std::map<std::string, std::shared_ptr<const segment::Segment>> segments_ GUARDED_BY(mu_);
};

}  // namespace strata::storage
