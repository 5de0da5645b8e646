// Hashes of cells and rows for hash partitioning (shuffles, aggregation spill). Equal values hash
// equally whatever their encoding (dictionary or not); -0.0 hashes as 0.0; NULL has its own hash.
#pragma once

#include <cstdint>
#include <vector>

#include "columnar/frame.h"

namespace strata::engine {

uint64_t HashCell(const columnar::Column& c, int64_t row);
/// Hash of the cells of `columns` in row `row` of `frame`, mixed so that every bit depends on
/// all of them (callers may take any bits for a partition number).
uint64_t HashRow(const columnar::Frame& frame, const std::vector<int>& columns, int64_t row, uint64_t seed = 0);
/// Partition in [0, n) of a row hash.
inline int PartitionOf(uint64_t hash, int n) { return static_cast<int>(((hash >> 32) * static_cast<uint64_t>(n)) >> 32); }

}  // namespace strata::engine
