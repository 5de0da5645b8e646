// HllSketch: HyperLogLog cardinality estimation for APPROX_COUNT_DISTINCT (and COUNT(DISTINCT)
// by default, as in Druid). 2^11 registers (error ~2.3%), with an exact sparse form for small
// sets so tiny inputs count exactly. Serialized form (for intermediate results and rollup
// metrics) is written up in docs/formats/frame.md ("HLL sketches").
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace strata::engine {

class HllSketch {
 public:
  static constexpr int kLog2Registers = 11;
  static constexpr int kNumRegisters = 1 << kLog2Registers;

  /// Adds a value by its 64-bit hash.
  void AddHash(uint64_t hash);
  void Merge(const HllSketch& other);
  /// Estimated number of distinct values (exact while sparse).
  double Estimate() const;
  int64_t EstimateRounded() const;

  void Serialize(std::string* out) const;
  /// False if `data` is not a serialized sketch.
  bool Deserialize(std::string_view data);
  /// Bytes held.
  size_t memory_bytes() const { return sparse_.capacity() * 8 + registers_.capacity(); }

 private:
  void ToDense();

  static constexpr size_t kSparseLimit = 256;
  std::vector<uint64_t> sparse_;    // distinct hashes while small (sorted lazily)
  std::vector<uint8_t> registers_;  // dense registers once large
};

/// 64-bit hashes of values as HLL inputs.
uint64_t HashForSketch(std::string_view s);
uint64_t HashForSketch(int64_t v);
uint64_t HashForSketch(double v);

}  // namespace strata::engine
