// InputStream: a sequential byte source (a local file, a gzip decoder over another stream, a
// memory buffer, an HTTP download). Input formats read lines from it.
#pragma once

#include <cstddef>
#include <memory>
#include <string>

#include "base/status.h"
#include "io/file_system.h"

namespace strata::io {

class InputStream {
 public:
  virtual ~InputStream() = default;
  /// Reads up to `n` bytes; returns 0 only at end of stream.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
  /// Bytes consumed from the underlying source so far (compressed bytes for gzip).
  virtual uint64_t bytes_read() const = 0;
  /// Lines of the source that precede this stream's first byte (non-zero for a byte range of a
  /// file), so parse errors can name the line of the whole file. May read the file's prefix.
  virtual int64_t lines_before() { return 0; }
  /// Makes a Read() blocked in another thread (waiting on the network) return Canceled soon.
  /// Thread-safe; a no-op for sources that never block for long.
  virtual void Cancel() {}
};

/// Reads a file through `fs`.
Result<std::unique_ptr<InputStream>> OpenFileStream(FileSystem* fs, const std::string& path);
/// Reads from an owned string.
std::unique_ptr<InputStream> NewMemoryInputStream(std::string data);
/// Reads the lines of `path` that start in [offset, offset + length): from the first line start
/// at or after `offset` through the end of the line holding byte offset + length - 1.
Result<std::unique_ptr<InputStream>> OpenFileLineRange(FileSystem* fs, const std::string& path, int64_t offset, int64_t length);
/// Opens `path`, decompressing gzip when the name ends in ".gz".
Result<std::unique_ptr<InputStream>> OpenFileMaybeCompressed(FileSystem* fs, const std::string& path);

}  // namespace strata::io
