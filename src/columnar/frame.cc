#include "columnar/frame.h"

#include <sstream>

namespace strata::columnar {

int64_t Frame::ByteSize() const {
  int64_t bytes = 0;
  for (const auto& c : columns) bytes += c->ByteSize();
  return bytes;
}

Frame GatherFrame(const Frame& frame, const std::vector<uint32_t>& indices) {
  Frame out;
  out.num_rows = static_cast<int64_t>(indices.size());
  out.columns.reserve(frame.columns.size());
  for (const auto& c : frame.columns) out.columns.push_back(Gather(*c, indices));
  return out;
}

Frame SliceFrame(const Frame& frame, int64_t offset, int64_t length) {
  if (offset == 0 && length == frame.num_rows) return frame;
  Frame out;
  out.num_rows = length;
  out.columns.reserve(frame.columns.size());
  for (const auto& c : frame.columns) out.columns.push_back(Slice(*c, offset, length));
  return out;
}

Frame ConcatFrames(const std::vector<Frame>& frames) {
  if (frames.size() == 1) return frames[0];
  Frame out;
  if (frames.empty()) return out;
  for (const auto& f : frames) out.num_rows += f.num_rows;
  for (int i = 0; i < frames[0].num_columns(); ++i) {
    std::vector<ColumnPtr> parts;
    parts.reserve(frames.size());
    for (const auto& f : frames) parts.push_back(f.columns[i]);
    out.columns.push_back(Concat(parts));
  }
  return out;
}

std::string FrameToString(const Frame& frame) {
  std::ostringstream os;
  for (int64_t r = 0; r < frame.num_rows; ++r) {
    for (int c = 0; c < frame.num_columns(); ++c) {
      if (c > 0) os << '|';
      os << GetValue(frame.column(c), r).ToString();
    }
    os << '\n';
  }
  return os.str();
}

}  // namespace strata::columnar
