// Frame serialization: the byte form of a Frame in shuffle partitions and spill files.
// Format: docs/formats/frame.md. Deserialized string columns point into the serialized buffer,
// which the returned columns keep alive (zero copy).
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include "base/status.h"
#include "columnar/frame.h"

namespace strata::columnar {

/// Appends the serialized form of `frame` to `out`.
void SerializeFrame(const Frame& frame, std::string* out);

/// Parses one frame from `buffer` (which must start with a frame written by SerializeFrame).
/// The frame's columns reference `buffer`'s bytes and hold `buffer` alive. Returns Corruption
/// on malformed input.
Result<Frame> DeserializeFrame(std::shared_ptr<const std::string> buffer);

}  // namespace strata::columnar
