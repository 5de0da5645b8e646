#include "input/internal/line_reader.h"

#include <cstring>

namespace strata::input::internal {

LineReader::LineReader(io::InputStream* stream, size_t chunk_size, size_t padding)
    : stream_(stream), chunk_size_(chunk_size == 0 ? 1 : chunk_size), padding_(padding) {}

Status LineReader::Fill() {
  if (!buffer_) {
    capacity_ = chunk_size_;
    // Not zero-filled: only the pages that data reaches get touched (a small file stays cheap).
    buffer_.reset(new char[capacity_ + padding_]);
  }
  size_t pending = end_ - begin_;
  if (begin_ > 0) {
    if (pending > 0) std::memmove(buffer_.get(), buffer_.get() + begin_, pending);
    begin_ = 0;
    end_ = pending;
  }
  if (end_ == capacity_) {
    // One line fills the whole buffer: grow it.
    size_t new_capacity = capacity_ * 2;
    std::unique_ptr<char[]> bigger(new char[new_capacity + padding_]);
    std::memcpy(bigger.get(), buffer_.get(), end_);
    buffer_ = std::move(bigger);
    capacity_ = new_capacity;
  }
  ASSIGN_OR_RETURN(size_t got, stream_->Read(buffer_.get() + end_, capacity_ - end_));
  if (got == 0) eof_ = true;
  end_ += got;
  // Readers of the padding (simdjson) see defined bytes.
  std::memset(buffer_.get() + end_, 0, padding_);
  return Status::OK();
}

Result<bool> LineReader::Next(std::string_view* line) {
  while (true) {
    if (at_start_ && !eof_ && end_ - begin_ < 3) {
      // Make sure a byte order mark is seen whole before dropping it.
      RETURN_IF_ERROR(Fill());
      continue;
    }
    if (at_start_) {
      at_start_ = false;
      if (end_ - begin_ >= 3 && std::memcmp(buffer_.get() + begin_, "\xEF\xBB\xBF", 3) == 0) begin_ += 3;
    }
    const char* data = buffer_ ? buffer_.get() : nullptr;
    size_t available = end_ - begin_;
    if (available > scanned_) {
      const void* nl = std::memchr(data + begin_ + scanned_, '\n', available - scanned_);
      if (nl != nullptr) {
        size_t pos = static_cast<size_t>(static_cast<const char*>(nl) - data);
        *line = std::string_view(data + begin_, pos - begin_);
        begin_ = pos + 1;
        scanned_ = 0;
        ++line_number_;
        return true;
      }
      scanned_ = available;
    }
    if (eof_) {
      if (available == 0) return false;
      *line = std::string_view(data + begin_, available);
      begin_ = end_;
      scanned_ = 0;
      ++line_number_;
      return true;
    }
    RETURN_IF_ERROR(Fill());
  }
}

}  // namespace strata::input::internal
