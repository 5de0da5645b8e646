// Hashes of cells and rows for hash partitioning (shuffles, aggregation spill). Equal values hash
// equally whatever their encoding (dictionary or not); -0.0 hashes as 0.0; NULL has its own hash.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/frame.h"

namespace strata::engine {

/// A 64-bit finalizer (MurmurHash3's fmix64): every output bit depends on every input bit.
inline uint64_t Mix64(uint64_t x) {
  x ^= x >> 33;
  x *= 0xff51afd7ed558ccdULL;
  x ^= x >> 33;
  x *= 0xc4ceb9fe1a85ec53ULL;
  x ^= x >> 33;
  return x;
}

uint64_t HashCell(const columnar::Column& c, int64_t row);
/// Hash of the cells of `columns` in row `row` of `frame`, mixed so that every bit depends on
/// all of them (callers may take any bits for a partition number).
uint64_t HashRow(const columnar::Frame& frame, const std::vector<int>& columns, int64_t row, uint64_t seed = 0);
/// Partition in [0, n) of a row hash.
inline int PartitionOf(uint64_t hash, int n) { return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(n)) >> 32); }

}  // namespace strata::engine
