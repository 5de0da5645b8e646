// LikeMatcher: SQL LIKE pattern matching ('%' any run, '_' one character, optional escape
// character), case-sensitive as in Druid. Characters are UTF-8 aware for '_'.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata::engine {

class LikeMatcher {
 public:
  /// Compiles `pattern`; `escape` is empty or one character. InvalidInput for a dangling escape.
  static Result<LikeMatcher> Compile(std::string_view pattern, std::string_view escape);
  bool Matches(std::string_view s) const;
  /// The literal prefix before the first wildcard (for range pruning), and whether the pattern
  /// is exactly that prefix followed by a single trailing '%'.
  const std::string& prefix() const { return prefix_; }
  bool is_prefix_only() const { return prefix_only_; }

 private:
  struct Piece {
    bool any_run = false;  // '%'
    bool one_char = false; // '_'
    std::string literal;
  };
  bool MatchFrom(size_t piece, std::string_view s) const;

  std::vector<Piece> pieces_;
  std::string prefix_;
  bool prefix_only_ = false;
};

}  // namespace strata::engine
