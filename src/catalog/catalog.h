// Catalog: the datasources that exist and their timelines, read from the metadata store and
// cached until the store's segment generation changes. Thread-safe.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/thread_annotations.h"
#include "catalog/timeline.h"
#include "metadata/metadata_store.h"

namespace strata::catalog {

class Catalog {
 public:
  explicit Catalog(metadata::MetadataStore* store) : store_(store) {}

  /// The timeline of `datasource` (empty timeline if it has no used segments).
  Result<std::shared_ptr<const Timeline>> GetTimeline(const std::string& datasource);
  /// Names of datasources with at least one visible (non-tombstone) segment, sorted.
  Result<std::vector<std::string>> ListDatasources();
  /// All used segments with their infos (for sys.segments), by datasource.
  Result<std::map<std::string, std::shared_ptr<const Timeline>>> AllTimelines();

 private:
  Status RefreshLocked() REQUIRES(mu_);

  metadata::MetadataStore* store_;
  std::mutex mu_;
  int64_t loaded_generation_ GUARDED_BY(mu_) = -1;
  std::map<std::string, std::shared_ptr<const Timeline>> timelines_ GUARDED_BY(mu_);
};

}  // namespace strata::catalog
