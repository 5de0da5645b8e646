// LineReader: splits an input stream into physical lines for the row readers of input_format.h.
//
// The stream is read in big chunks into one buffer that always keeps `padding` readable bytes
// after the data, so a line can be handed to simdjson without a copy (simdjson reads up to
// SIMDJSON_PADDING bytes past the end of a document). Lines are views into the buffer and stay
// valid until the next call to Next().
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>

#include "base/status.h"
#include "io/input_stream.h"

namespace strata::input::internal {

class LineReader {
 public:
  /// Reads `stream` (not owned; must outlive the reader) in chunks of `chunk_size` bytes.
  LineReader(io::InputStream* stream, size_t chunk_size, size_t padding);
  LineReader(const LineReader&) = delete;
  LineReader& operator=(const LineReader&) = delete;

  /// Sets `*line` to the next physical line without its '\n' (a trailing '\r' is kept) and
  /// returns true; returns false at the end of the stream. A UTF-8 byte order mark at the start
  /// of the stream is dropped. Read errors of the stream are returned as they are.
  Result<bool> Next(std::string_view* line);

  /// Number of bytes that may be read starting at `p` (a pointer into the last line returned):
  /// at least the rest of the line plus `padding`.
  size_t ReadableFrom(const char* p) const { return static_cast<size_t>(buffer_.get() + capacity_ + padding_ - p); }

  /// Physical lines returned so far; the number of the last line returned (1-based).
  int64_t line_number() const { return line_number_; }

 private:
  // Moves the unconsumed bytes to the front (growing the buffer when they fill it) and reads
  // more. Sets eof_ when the stream is exhausted.
  Status Fill();

  io::InputStream* stream_;
  size_t chunk_size_;
  size_t padding_;
  std::unique_ptr<char[]> buffer_;
  size_t capacity_ = 0;  // usable bytes, excluding the padding
  size_t begin_ = 0;     // first unconsumed byte
  size_t end_ = 0;       // end of the data read
  size_t scanned_ = 0;   // bytes in [begin_, end_) known to contain no '\n'
  bool eof_ = false;
  bool at_start_ = true;
  int64_t line_number_ = 0;
};

}  // namespace strata::input::internal
