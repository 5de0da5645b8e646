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
};

/// Reads a file through `fs`.
Result<std::unique_ptr<InputStream>> OpenFileStream(FileSystem* fs, const std::string& path);
/// Reads from an owned string.
std::unique_ptr<InputStream> NewMemoryInputStream(std::string data);
/// Opens `path`, decompressing gzip when the name ends in ".gz".
Result<std::unique_ptr<InputStream>> OpenFileMaybeCompressed(FileSystem* fs, const std::string& path);

}  // namespace strata::io
