// Block compression for segment columns, shuffle and spill files (LZ4 for speed, ZSTD for size),
// and streaming gzip decompression for input files.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "io/input_stream.h"

namespace strata::io {

enum class Codec : uint8_t { kNone = 0, kLz4 = 1, kZstd = 2 };

/// Appends the compressed form of `data` to `out`. The caller records the codec and the
/// uncompressed size beside the block.
void Compress(Codec codec, std::string_view data, std::string* out);
/// Decompresses `data` into exactly `uncompressed_size` bytes at `out`. Corruption on mismatch.
Status Decompress(Codec codec, std::string_view data, char* out, size_t uncompressed_size);

/// A stream that inflates gzip data (including concatenated gzip members) read from `source`.
std::unique_ptr<InputStream> NewGzipInputStream(std::unique_ptr<InputStream> source);
/// Gzip-compresses `data` (level 6); used by tests and benchmarks to make .gz inputs.
std::string GzipCompress(std::string_view data);

}  // namespace strata::io
