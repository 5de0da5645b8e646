#include "engine/hll.h"

// Inlined: sketch hashing runs once per value read, and the library call (with its dispatch)
// costs more than the hash of a short string. Same function, same values.
#define XXH_INLINE_ALL
#include <xxhash.h>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace strata::engine {

uint64_t HashForSketch(std::string_view s) { return XXH3_64bits(s.data(), s.size()); }
uint64_t HashForSketch(int64_t v) { return XXH3_64bits(&v, sizeof(v)); }
uint64_t HashForSketch(double v) {
  if (v == 0) v = 0;  // -0.0 and 0.0 are the same value
  return XXH3_64bits(&v, sizeof(v));
}

void HllSketch::AddHash(uint64_t hash) {
  if (registers_.empty()) {
    if (std::find(sparse_.begin(), sparse_.end(), hash) == sparse_.end()) {
      sparse_.push_back(hash);
      if (sparse_.size() > kSparseLimit) ToDense();
    }
    return;
  }
  uint32_t index = static_cast<uint32_t>(hash >> (64 - kLog2Registers));
  uint64_t rest = (hash << kLog2Registers) | (1ULL << (kLog2Registers - 1));
  uint8_t rank = static_cast<uint8_t>(__builtin_clzll(rest) + 1);
  if (rank > registers_[index]) registers_[index] = rank;
}

void HllSketch::ToDense() {
  registers_.assign(kNumRegisters, 0);
  std::vector<uint64_t> hashes;
  hashes.swap(sparse_);
  for (uint64_t h : hashes) AddHash(h);
}

void HllSketch::Merge(const HllSketch& other) {
  if (other.registers_.empty()) {
    for (uint64_t h : other.sparse_) AddHash(h);
    return;
  }
  if (registers_.empty()) ToDense();
  for (int i = 0; i < kNumRegisters; ++i) registers_[i] = std::max(registers_[i], other.registers_[i]);
}

double HllSketch::Estimate() const {
  if (registers_.empty()) return static_cast<double>(sparse_.size());
  double m = kNumRegisters;
  double sum = 0;
  int zeros = 0;
  for (uint8_t r : registers_) {
    sum += std::ldexp(1.0, -r);
    if (r == 0) ++zeros;
  }
  double alpha = 0.7213 / (1 + 1.079 / m);
  double estimate = alpha * m * m / sum;
  if (estimate <= 2.5 * m && zeros > 0) estimate = m * std::log(m / zeros);
  return estimate;
}

int64_t HllSketch::EstimateRounded() const { return static_cast<int64_t>(std::llround(Estimate())); }

void HllSketch::Serialize(std::string* out) const {
  // 'H' | u8 kind (0 sparse, 1 dense) | u16 count | payload
  out->push_back('H');
  if (registers_.empty()) {
    out->push_back(0);
    uint16_t n = static_cast<uint16_t>(sparse_.size());
    out->append(reinterpret_cast<const char*>(&n), 2);
    out->append(reinterpret_cast<const char*>(sparse_.data()), sparse_.size() * 8);
  } else {
    out->push_back(1);
    uint16_t n = kNumRegisters;
    out->append(reinterpret_cast<const char*>(&n), 2);
    out->append(reinterpret_cast<const char*>(registers_.data()), registers_.size());
  }
}

bool HllSketch::Deserialize(std::string_view data) {
  if (data.size() < 4 || data[0] != 'H') return false;
  uint16_t n;
  std::memcpy(&n, data.data() + 2, 2);
  if (data[1] == 0) {
    if (data.size() != 4 + static_cast<size_t>(n) * 8) return false;
    sparse_.resize(n);
    if (n > 0) std::memcpy(sparse_.data(), data.data() + 4, static_cast<size_t>(n) * 8);
    registers_.clear();
    return true;
  }
  if (n != kNumRegisters || data.size() != 4 + static_cast<size_t>(n)) return false;
  sparse_.clear();
  registers_.assign(data.begin() + 4, data.end());
  return true;
}

}  // namespace strata::engine
