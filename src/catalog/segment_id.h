// Segment identity in Druid's terms: datasource, interval, version, partition number, and the id
// string `dataSource_start_end_version[_partitionNum]` (the suffix only when partitionNum > 0).
#pragma once

#include <cstdint>
#include <string>

#include "types/interval.h"

namespace strata::catalog {

struct SegmentId {
  std::string datasource;
  types::Interval interval;
  std::string version;
  int32_t partition_num = 0;

  /// e.g. "wiki_2015-09-12T00:00:00.000Z_2015-09-13T00:00:00.000Z_2024-01-01T10:00:00.000Z_1".
  std::string ToString() const;
};

}  // namespace strata::catalog
