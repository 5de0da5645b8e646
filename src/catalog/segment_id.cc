#include "catalog/segment_id.h"

namespace strata::catalog {

std::string SegmentId::ToString() const {
  std::string out = datasource;
  out += '_';
  out += types::FormatIso8601(interval.start);
  out += '_';
  out += types::FormatIso8601(interval.end);
  out += '_';
  out += version;
  if (partition_num > 0) {
    out += '_';
    out += std::to_string(partition_num);
  }
  return out;
}

}  // namespace strata::catalog
