// Wall-clock and monotonic time helpers.
#pragma once

#include <cstdint>

namespace strata::base {

/// Milliseconds since the Unix epoch (wall clock, UTC).
int64_t NowMillis();
/// Monotonic nanoseconds, for measuring durations.
int64_t MonotonicNanos();
/// Monotonic milliseconds.
inline int64_t MonotonicMillis() { return MonotonicNanos() / 1000000; }

}  // namespace strata::base
