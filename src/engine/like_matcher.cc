#include "engine/like_matcher.h"

namespace strata::engine {
namespace {

// Length of the UTF-8 character starting with byte `c`.
size_t Utf8Length(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

}  // namespace

Result<LikeMatcher> LikeMatcher::Compile(std::string_view pattern, std::string_view escape) {
  if (escape.size() > 1) return Status::InvalidInput("Invalid escape character [" + std::string(escape) + "]: must be one character");
  char esc = escape.empty() ? '\0' : escape[0];
  bool has_escape = !escape.empty();
  LikeMatcher m;
  std::string literal;
  auto flush = [&] {
    if (!literal.empty()) {
      m.pieces_.push_back(Piece{false, false, literal});
      literal.clear();
    }
  };
  for (size_t i = 0; i < pattern.size(); ++i) {
    char c = pattern[i];
    if (has_escape && c == esc) {
      if (i + 1 >= pattern.size()) {
        return Status::InvalidInput("Invalid LIKE pattern [" + std::string(pattern) + "]: escape character at the end");
      }
      literal.push_back(pattern[++i]);
    } else if (c == '%') {
      flush();
      if (m.pieces_.empty() || !m.pieces_.back().any_run) m.pieces_.push_back(Piece{true, false, {}});
    } else if (c == '_') {
      flush();
      m.pieces_.push_back(Piece{false, true, {}});
    } else {
      literal.push_back(c);
    }
  }
  flush();
  if (!m.pieces_.empty() && !m.pieces_[0].any_run && !m.pieces_[0].one_char) m.prefix_ = m.pieces_[0].literal;
  m.prefix_only_ = (m.pieces_.size() == 2 && !m.prefix_.empty() && m.pieces_[1].any_run) ||
                   (m.pieces_.size() == 1 && m.pieces_[0].any_run);
  return m;
}

bool LikeMatcher::MatchFrom(size_t piece, std::string_view s) const {
  while (piece < pieces_.size()) {
    const Piece& p = pieces_[piece];
    if (p.any_run) {
      if (piece + 1 == pieces_.size()) return true;
      // Try every suffix start; the next piece decides.
      const Piece& next = pieces_[piece + 1];
      if (!next.any_run && !next.one_char) {
        size_t pos = 0;
        while ((pos = s.find(next.literal, pos)) != std::string_view::npos) {
          if (MatchFrom(piece + 2, s.substr(pos + next.literal.size()))) return true;
          ++pos;
        }
        return false;
      }
      for (size_t i = 0; i <= s.size(); i += (i < s.size() ? Utf8Length(static_cast<unsigned char>(s[i])) : 1)) {
        if (MatchFrom(piece + 1, s.substr(i))) return true;
      }
      return false;
    }
    if (p.one_char) {
      if (s.empty()) return false;
      s.remove_prefix(std::min(s.size(), Utf8Length(static_cast<unsigned char>(s[0]))));
    } else {
      if (s.substr(0, p.literal.size()) != p.literal) return false;
      s.remove_prefix(p.literal.size());
    }
    ++piece;
  }
  return s.empty();
}

bool LikeMatcher::Matches(std::string_view s) const { return MatchFrom(0, s); }

}  // namespace strata::engine
