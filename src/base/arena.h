// Arena: owns many small byte strings with one lifetime (dictionary values, parsed input strings,
// hash-table keys). Strings handed out stay valid until the arena is destroyed; the arena never
// moves them.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace strata::base {

class Arena {
 public:
  explicit Arena(size_t block_size = 64 * 1024) : block_size_(block_size) {}
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  /// Copies `s` into the arena and returns a view of the copy. The view of an empty input still
  /// has a non-null data pointer (null data marks SQL NULL in string columns).
  std::string_view Copy(std::string_view s) {
    char* p = Allocate(s.size());
    if (!s.empty()) std::memcpy(p, s.data(), s.size());
    return std::string_view(p, s.size());
  }

  /// Returns `size` bytes of uninitialised storage (never null).
  char* Allocate(size_t size) {
    if (size > remaining_ || cursor_ == nullptr) {
      size_t block = size > block_size_ / 4 ? size + 1 : block_size_;
      blocks_.push_back(std::make_unique<char[]>(block));
      cursor_ = blocks_.back().get();
      remaining_ = block;
      allocated_bytes_ += block;
    }
    char* p = cursor_;
    cursor_ += size;
    remaining_ -= size;
    return p;
  }

  /// Bytes reserved from the system so far.
  size_t allocated_bytes() const { return allocated_bytes_; }

 private:
  size_t block_size_;
  std::vector<std::unique_ptr<char[]>> blocks_;
  char* cursor_ = nullptr;
  size_t remaining_ = 0;
  size_t allocated_bytes_ = 0;
};

}  // namespace strata::base
