// String functions. Positions and lengths count UTF-16 code units, as Druid (Java) does; for text
// without characters outside the Basic Multilingual Plane that is the number of characters.
#include <re2/re2.h>

#include <locale.h>
#include <wctype.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>

#include "base/base64.h"
#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"

namespace strata::engine {
using columnar::IsNullString;

namespace {

using internal::LongAt;
using internal::NewColumn;
using internal::NullAt;
using internal::SetNull;
using internal::StringResult;

size_t Utf8CharLength(unsigned char c) {
  if (c < 0x80) return 1;
  if ((c >> 5) == 0x6) return 2;
  if ((c >> 4) == 0xE) return 3;
  if ((c >> 3) == 0x1E) return 4;
  return 1;
}

// Code units (UTF-16) of the character starting at byte `c`.
int Utf16Units(unsigned char c) { return (c >> 3) == 0x1E ? 2 : 1; }

int64_t Utf16Length(std::string_view s) {
  int64_t units = 0;
  for (size_t i = 0; i < s.size(); i += Utf8CharLength(static_cast<unsigned char>(s[i]))) {
    units += Utf16Units(static_cast<unsigned char>(s[i]));
  }
  return units;
}

// Byte offset of UTF-16 unit index `unit` (clamped to the end).
size_t ByteOffsetOfUnit(std::string_view s, int64_t unit) {
  size_t i = 0;
  int64_t u = 0;
  while (i < s.size() && u < unit) {
    u += Utf16Units(static_cast<unsigned char>(s[i]));
    i += Utf8CharLength(static_cast<unsigned char>(s[i]));
  }
  return std::min(i, s.size());
}

bool AllAscii(std::string_view s) {
  for (char c : s) {
    if (static_cast<unsigned char>(c) >= 0x80) return false;
  }
  return true;
}

// Maps each string row through `fn(std::string_view, int64_t row, StringResult*)`; NULL in -> NULL out.
template <typename Fn>
Result<ColumnPtr> MapStrings(const columnar::Column& a, int64_t n, Fn fn) {
  StringResult out(n);
  out.ShareOwners(a);
  if (a.dictionary && a.type == ColumnType::kString) {
    // Compute once per distinct value.
    const auto& values = a.dictionary->values;
    StringResult dict_out(static_cast<int64_t>(values.size()));
    for (size_t d = 0; d < values.size(); ++d) {
      if (IsNullString(values[d])) dict_out.SetNull(static_cast<int64_t>(d));
      else fn(values[d], static_cast<int64_t>(d), &dict_out);
    }
    ColumnPtr mapped = dict_out.Finish();
    for (int64_t i = 0; i < n; ++i) out.SetView(i, mapped->strings[a.ids[i]]);
    auto col = out.Finish();
    std::const_pointer_cast<columnar::Column>(col)->AddOwner(mapped);
    return col;
  }
  std::string tmp;
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) {
      out.SetNull(i);
      continue;
    }
    if (a.type == ColumnType::kString) {
      fn(a.strings[i], i, &out);
    } else {
      tmp = internal::TextAt(a, i);
      fn(std::string_view(tmp), i, &out);
    }
  }
  return out.Finish();
}

// Decodes the UTF-8 character at s[*i] (advancing *i); invalid bytes decode as themselves.
char32_t NextCodePoint(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t len = Utf8CharLength(b);
  if (len == 1 || *i + len > s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (0xFF >> (len + 1));
  for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(s[*i + k]) & 0x3F);
  *i += len;
  return cp;
}

void AppendUtf8(char32_t cp, std::string* out) {
  if (cp < 0x80) {
    out->push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Java's String.toUpperCase/toLowerCase (root locale): Unicode case mappings from the C.UTF-8
// locale, plus the mappings that change length (ß -> SS, İ -> i̇).
void MapCase(std::string_view s, bool upper, std::string* out) {
  out->clear();
  if (AllAscii(s)) {
    out->assign(s);
    for (char& c : *out) c = static_cast<char>(upper ? std::toupper(static_cast<unsigned char>(c)) : std::tolower(static_cast<unsigned char>(c)));
    return;
  }
  static const locale_t utf8 = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
  for (size_t i = 0; i < s.size();) {
    char32_t cp = NextCodePoint(s, &i);
    if (upper && cp == 0xDF) {
      out->append("SS");
      continue;
    }
    if (!upper && cp == 0x130) {
      out->append("i\xCC\x87");
      continue;
    }
    if (utf8 != static_cast<locale_t>(nullptr)) {
      auto w = static_cast<wint_t>(cp);
      cp = static_cast<char32_t>(upper ? towupper_l(w, utf8) : towlower_l(w, utf8));
    }
    AppendUtf8(cp, out);
  }
}

Kernel CaseMap(bool upper) {
  return [upper](const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) -> Result<ColumnPtr> {
    std::string buf;
    return MapStrings(*args[0], n, [&](std::string_view s, int64_t i, StringResult* out) {
      MapCase(s, upper, &buf);
      out->Set(i, buf);
    });
  };
}

Result<ColumnPtr> Concat(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  StringResult out(n);
  std::string buf;
  for (int64_t i = 0; i < n; ++i) {
    buf.clear();
    bool null = false;
    for (const auto& a : args) {
      if (NullAt(*a, i)) {
        null = true;
        break;
      }
      if (a->type == ColumnType::kString) buf.append(a->strings[i]);
      else buf.append(internal::TextAt(*a, i));
    }
    if (null) out.SetNull(i);
    else out.Set(i, buf);
  }
  return out.Finish();
}

Result<ColumnPtr> Length(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) SetNull(out.get(), i);
    else out->longs[i] = a.type == ColumnType::kString ? Utf16Length(a.strings[i]) : Utf16Length(internal::TextAt(a, i));
  }
  return ColumnPtr(out);
}

// substring(s, start0, [length]): `start0` is 0-based (the binder subtracts 1 from SQL's 1-based
// start). NULL when the start is at or past the end, as in Druid.
Result<ColumnPtr> Substring(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  StringResult out(n);
  out.ShareOwners(a);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i) || (args.size() > 2 && NullAt(*args[2], i))) {
      out.SetNull(i);
      continue;
    }
    std::string text = a.type == ColumnType::kString ? std::string() : internal::TextAt(a, i);
    std::string_view s = a.type == ColumnType::kString ? a.strings[i] : std::string_view(text);
    int64_t start = std::max<int64_t>(0, LongAt(*args[1], i));
    int64_t len = Utf16Length(s);
    if (start >= len) {
      out.SetNull(i);
      continue;
    }
    int64_t end = args.size() > 2 ? start + std::max<int64_t>(0, LongAt(*args[2], i)) : len;
    if (AllAscii(s)) {
      std::string_view r = s.substr(static_cast<size_t>(start), static_cast<size_t>(std::min(end, len) - start));
      if (a.type == ColumnType::kString) out.SetView(i, r);
      else out.Set(i, r);
      continue;
    }
    size_t b = ByteOffsetOfUnit(s, start), e = ByteOffsetOfUnit(s, end);
    out.Set(i, s.substr(b, e - b));
  }
  return out.Finish();
}

// left(s, n) / right(s, n)
template <bool kLeft>
Result<ColumnPtr> LeftRight(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i)) {
      out.SetNull(i);
      continue;
    }
    std::string text = a.type == ColumnType::kString ? std::string(a.strings[i]) : internal::TextAt(a, i);
    int64_t k = LongAt(*args[1], i);
    if (k < 0) {
      return Status::InvalidInput(std::string("Function[") + (kLeft ? "left" : "right") +
                                  "] needs a positive integer as the second argument");
    }
    int64_t len = Utf16Length(text);
    if (k >= len) {
      out.Set(i, text);
    } else if (kLeft) {
      out.Set(i, std::string_view(text).substr(0, ByteOffsetOfUnit(text, k)));
    } else {
      out.Set(i, std::string_view(text).substr(ByteOffsetOfUnit(text, len - k)));
    }
  }
  return out.Finish();
}

// Trims `chars` (default space) from the left and/or right.
template <bool kLeft, bool kRight>
Result<ColumnPtr> Trim(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  StringResult out(n);
  out.ShareOwners(a);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || (args.size() > 1 && NullAt(*args[1], i))) {
      out.SetNull(i);
      continue;
    }
    std::string text = a.type == ColumnType::kString ? std::string() : internal::TextAt(a, i);
    std::string_view s = a.type == ColumnType::kString ? a.strings[i] : std::string_view(text);
    std::string_view chars = args.size() > 1 ? args[1]->strings[i] : std::string_view(" ");
    size_t b = 0, e = s.size();
    if (kLeft) {
      while (b < e && chars.find(s[b]) != std::string_view::npos) ++b;
    }
    if (kRight) {
      while (e > b && chars.find(s[e - 1]) != std::string_view::npos) --e;
    }
    std::string_view r = s.substr(b, e - b);
    if (a.type == ColumnType::kString) out.SetView(i, r.empty() ? columnar::kEmptyString : r);
    else out.Set(i, r);
  }
  return out.Finish();
}

Result<ColumnPtr> Replace(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  StringResult out(n);
  std::string buf;
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[1], i) || NullAt(*args[2], i)) {
      out.SetNull(i);
      continue;
    }
    std::string s = internal::TextAt(*args[0], i);
    std::string_view from = args[1]->strings[i], to = args[2]->strings[i];
    if (from.empty()) {
      out.Set(i, s);
      continue;
    }
    buf.clear();
    size_t pos = 0, hit;
    while ((hit = s.find(from, pos)) != std::string::npos) {
      buf.append(s, pos, hit - pos);
      buf.append(to);
      pos = hit + from.size();
    }
    buf.append(s, pos, std::string::npos);
    out.Set(i, buf);
  }
  return out.Finish();
}

// strpos(haystack, needle[, from0]) -> 1-based UTF-16 position, 0 if absent.
Result<ColumnPtr> Strpos(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[1], i) || (args.size() > 2 && NullAt(*args[2], i))) {
      SetNull(out.get(), i);
      continue;
    }
    std::string hay = internal::TextAt(*args[0], i);
    std::string needle = internal::TextAt(*args[1], i);
    int64_t from = args.size() > 2 ? std::max<int64_t>(0, LongAt(*args[2], i)) : 0;
    size_t start = ByteOffsetOfUnit(hay, from);
    size_t hit = hay.find(needle, start);
    out->longs[i] = hit == std::string::npos ? 0 : Utf16Length(std::string_view(hay).substr(0, hit)) + 1;
  }
  return ColumnPtr(out);
}

// The longest string LPAD/RPAD/REPEAT build for one value (a runaway count is an error, not an
// allocation that stalls the server).
constexpr int64_t kMaxBuiltString = int64_t{1} << 24;

template <bool kLeft>
Result<ColumnPtr> Pad(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[1], i) || (args.size() > 2 && NullAt(*args[2], i))) {
      out.SetNull(i);
      continue;
    }
    std::string s = internal::TextAt(*args[0], i);
    int64_t target = LongAt(*args[1], i);
    std::string pad = args.size() > 2 ? std::string(args[2]->strings[i]) : " ";
    int64_t len = Utf16Length(s);
    if (target <= 0) {
      out.SetNull(i);  // Druid: no positive length, no string
    } else if (len >= target) {
      out.Set(i, std::string_view(s).substr(0, ByteOffsetOfUnit(s, target)));
    } else if (pad.empty()) {
      out.Set(i, s);
    } else {
      if (target > kMaxBuiltString) {
        return Status::InvalidInput(std::string(kLeft ? "LPAD" : "RPAD") + " to length [" + std::to_string(target) +
                                    "] is longer than the [" + std::to_string(kMaxBuiltString) + "] characters a value may have");
      }
      std::string fill;
      int64_t pad_units = Utf16Length(pad);
      for (int64_t units = 0; units < target - len; units += pad_units) fill += pad;
      fill = fill.substr(0, ByteOffsetOfUnit(fill, target - len));
      out.Set(i, kLeft ? fill + s : s + fill);
    }
  }
  return out.Finish();
}

Result<ColumnPtr> Reverse(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  std::string buf;
  return MapStrings(*args[0], n, [&](std::string_view s, int64_t i, StringResult* out) {
    buf.clear();
    size_t pos = s.size();
    while (pos > 0) {
      size_t start = pos - 1;
      while (start > 0 && (static_cast<unsigned char>(s[start]) & 0xC0) == 0x80) --start;
      buf.append(s.substr(start, pos - start));
      pos = start;
    }
    out->Set(i, buf);
  });
}

Result<ColumnPtr> Repeat(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[1], i)) {
      out.SetNull(i);
      continue;
    }
    std::string s = internal::TextAt(*args[0], i);
    int64_t times = LongAt(*args[1], i);
    if (times < 1) {
      out.SetNull(i);  // Druid: repeating fewer than once gives NULL
      continue;
    }
    if (!s.empty() && times > kMaxBuiltString / static_cast<int64_t>(s.size())) {
      return Status::InvalidInput("REPEAT of a [" + std::to_string(s.size()) + "]-byte value [" + std::to_string(times) +
                                  "] times is longer than the [" + std::to_string(kMaxBuiltString) + "] bytes a value may have");
    }
    std::string r;
    if (!s.empty()) {
      r.reserve(s.size() * static_cast<size_t>(times));
      for (int64_t k = 0; k < times; ++k) r += s;
    }
    out.Set(i, r);
  }
  return out.Finish();
}

template <bool kIgnoreCase>
Result<ColumnPtr> ContainsString(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewColumn(ColumnType::kLong, n);
  std::string lowered;
  auto lower = [&](const std::string& s) {
    MapCase(s, false, &lowered);
    return lowered;
  };
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[1], i)) {
      out->longs[i] = 0;  // Druid: a NULL string contains nothing (false, not NULL)
      continue;
    }
    std::string s = internal::TextAt(*args[0], i), sub = internal::TextAt(*args[1], i);
    if (kIgnoreCase) {
      s = lower(s);
      sub = lower(sub);
    }
    out->longs[i] = s.find(sub) != std::string::npos;
  }
  return ColumnPtr(out);
}

// Regular expressions (RE2) are compiled once when the pattern is a literal.
Result<std::shared_ptr<const void>> PrepareRegex(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) return std::shared_ptr<const void>();
  const std::string& pattern = args[1]->literal().string_value();
  auto re = std::make_shared<RE2>(pattern, RE2::Quiet);
  if (!re->ok()) return Status::InvalidInput("Invalid regular expression [" + pattern + "]: " + re->error());
  return std::shared_ptr<const void>(re);
}

const RE2* RegexFor(const Expr& call, const std::vector<ColumnPtr>& args, int64_t i, std::unique_ptr<RE2>* holder) {
  if (const RE2* fixed = call.state<RE2>()) return fixed;
  *holder = std::make_unique<RE2>(std::string(args[1]->strings[i]), RE2::Quiet);
  return (*holder)->ok() ? holder->get() : nullptr;
}

Result<ColumnPtr> RegexpExtract(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  StringResult out(n);
  out.ShareOwners(a);
  std::unique_ptr<RE2> holder;
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i)) {
      out.SetNull(i);
      continue;
    }
    const RE2* re = RegexFor(call, args, i, &holder);
    if (!re) return Status::InvalidInput("Invalid regular expression [" + std::string(args[1]->strings[i]) + "]");
    int group = args.size() > 2 ? static_cast<int>(LongAt(*args[2], i)) : 0;
    if (group < 0 || group > re->NumberOfCapturingGroups()) {
      return Status::InvalidInput("REGEXP_EXTRACT group [" + std::to_string(group) + "] does not exist in pattern [" +
                                  re->pattern() + "]");
    }
    std::string text = a.type == ColumnType::kString ? std::string() : internal::TextAt(a, i);
    std::string_view s = a.type == ColumnType::kString ? a.strings[i] : std::string_view(text);
    std::vector<re2::StringPiece> groups(group + 1);
    if (re->Match(re2::StringPiece(s.data(), s.size()), 0, s.size(), RE2::UNANCHORED, groups.data(), group + 1) &&
        groups[group].data() != nullptr) {
      out.Set(i, std::string_view(groups[group].data(), groups[group].size()));
    } else {
      out.SetNull(i);
    }
  }
  return out.Finish();
}

Result<ColumnPtr> RegexpLike(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  std::unique_ptr<RE2> holder;
  if (a.dictionary && call.state<RE2>()) {
    const RE2* re = call.state<RE2>();
    std::vector<int8_t> verdict(a.dictionary->values.size());
    for (size_t d = 0; d < verdict.size(); ++d) {
      std::string_view v = a.dictionary->values[d];
      // Druid: REGEXP_LIKE of NULL is false, not NULL.
      verdict[d] = IsNullString(v) ? 0 : RE2::PartialMatch(re2::StringPiece(v.data(), v.size()), *re);
    }
    for (int64_t i = 0; i < n; ++i) out->longs[i] = verdict[a.ids[i]];
    return ColumnPtr(out);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i)) {
      out->longs[i] = 0;
      continue;
    }
    const RE2* re = RegexFor(call, args, i, &holder);
    if (!re) return Status::InvalidInput("Invalid regular expression [" + std::string(args[1]->strings[i]) + "]");
    std::string s = internal::TextAt(a, i);
    out->longs[i] = RE2::PartialMatch(s, *re);
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> RegexpReplace(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  StringResult out(n);
  std::unique_ptr<RE2> holder;
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i) || NullAt(*args[2], i)) {
      out.SetNull(i);
      continue;
    }
    const RE2* re = RegexFor(call, args, i, &holder);
    if (!re) return Status::InvalidInput("Invalid regular expression [" + std::string(args[1]->strings[i]) + "]");
    std::string s = internal::TextAt(a, i);
    // Java's replacement syntax: $n is group n, a backslash quotes the next character. RE2's:
    // \n is group n, \\ a backslash.
    std::string repl;
    std::string_view r = args[2]->strings[i];
    for (size_t k = 0; k < r.size(); ++k) {
      if (r[k] == '$' && k + 1 < r.size() && std::isdigit(static_cast<unsigned char>(r[k + 1]))) {
        repl.push_back('\\');
        repl.push_back(r[++k]);
      } else if (r[k] == '\\' && k + 1 < r.size()) {
        char quoted = r[++k];
        if (quoted == '\\') repl.push_back('\\');
        repl.push_back(quoted);
      } else if (r[k] == '\\') {
        repl.append("\\\\");
      } else {
        repl.push_back(r[k]);
      }
    }
    RE2::GlobalReplace(&s, *re, repl);
    out.Set(i, s);
  }
  return out.Finish();
}

// STRING_FORMAT(pattern, args...): Java's String.format for the conversions %s %d %f %e %x %X
// %c %b %% %n with flags (-, 0, +, space, ',') width and precision. Unknown conversions fail.
Status JavaFormat(std::string_view pattern, const std::vector<ColumnPtr>& args, int64_t row, std::string* out) {
  out->clear();
  size_t next_arg = 1;
  for (size_t i = 0; i < pattern.size(); ++i) {
    if (pattern[i] != '%') {
      out->push_back(pattern[i]);
      continue;
    }
    size_t start = i++;
    std::string flags;
    while (i < pattern.size() && std::string_view("-0+ ,#").find(pattern[i]) != std::string_view::npos) flags.push_back(pattern[i++]);
    int width = 0, precision = -1;
    while (i < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[i]))) width = width * 10 + (pattern[i++] - '0');
    if (i < pattern.size() && pattern[i] == '.') {
      precision = 0;
      ++i;
      while (i < pattern.size() && std::isdigit(static_cast<unsigned char>(pattern[i]))) precision = precision * 10 + (pattern[i++] - '0');
    }
    if (i >= pattern.size()) return Status::InvalidInput("STRING_FORMAT: incomplete format specifier at the end of [" + std::string(pattern) + "]");
    char conv = pattern[i];
    if (conv == '%') {
      out->push_back('%');
      continue;
    }
    if (conv == 'n') {
      out->push_back('\n');
      continue;
    }
    if (next_arg >= args.size()) {
      return Status::InvalidInput("STRING_FORMAT: format specifier [" + std::string(pattern.substr(start, i - start + 1)) + "] has no argument");
    }
    const columnar::Column& a = *args[next_arg++];
    bool null = NullAt(a, row);
    std::string body;
    bool left = flags.find('-') != std::string::npos, zero = flags.find('0') != std::string::npos;
    switch (conv) {
      case 's':
      case 'S':
        body = null ? "null" : internal::TextAt(a, row);
        if (precision >= 0) body = body.substr(0, ByteOffsetOfUnit(body, precision));
        if (conv == 'S') MapCase(std::string(body), true, &body);
        break;
      case 'b':
        body = null ? "false" : (a.type == ColumnType::kString ? "true" : (internal::DoubleAt(a, row) != 0 ? "true" : "false"));
        break;
      case 'c':
        if (null) body = "null";
        else AppendUtf8(static_cast<char32_t>(LongAt(a, row)), &body);
        break;
      case 'd':
      case 'x':
      case 'X': {
        if (null) {
          body = "null";
          break;
        }
        if (a.type != ColumnType::kLong) return Status::InvalidInput(std::string("STRING_FORMAT: %") + conv + " needs an integer argument");
        int64_t v = a.longs[row];
        if (conv == 'd') {
          uint64_t mag = v < 0 ? static_cast<uint64_t>(-(v + 1)) + 1 : static_cast<uint64_t>(v);
          std::string digits = std::to_string(mag);
          if (flags.find(',') != std::string::npos) {
            std::string grouped;
            for (size_t k = 0; k < digits.size(); ++k) {
              if (k > 0 && (digits.size() - k) % 3 == 0) grouped.push_back(',');
              grouped.push_back(digits[k]);
            }
            digits = grouped;
          }
          std::string sign = v < 0 ? "-" : (flags.find('+') != std::string::npos ? "+" : (flags.find(' ') != std::string::npos ? " " : ""));
          if (zero && !left) while (static_cast<int>(sign.size() + digits.size()) < width) digits.insert(digits.begin(), '0');
          body = sign + digits;
        } else {
          char buf[32];
          std::snprintf(buf, sizeof(buf), conv == 'x' ? "%llx" : "%llX", static_cast<unsigned long long>(v));
          body = buf;
          if (zero && !left) while (static_cast<int>(body.size()) < width) body.insert(body.begin(), '0');
        }
        break;
      }
      case 'f':
      case 'e':
      case 'E': {
        if (null) {
          body = "null";
          break;
        }
        double v = internal::DoubleAt(a, row);
        std::string spec = "%";
        for (char f : flags) {
          if (f != ',' && f != '#') spec.push_back(f);
        }
        if (width > 0) spec += std::to_string(width);
        spec += "." + std::to_string(precision < 0 ? 6 : precision);
        spec.push_back(conv);
        char buf[512];
        std::snprintf(buf, sizeof(buf), spec.c_str(), v);
        body = buf;
        if (flags.find(',') != std::string::npos && conv == 'f') {
          size_t digits_start = body.find_first_of("0123456789");
          size_t dot = body.find('.');
          if (dot == std::string::npos) dot = body.size();
          for (size_t k = dot; k > digits_start + 3; k -= 3) body.insert(k - 3, ",");
        }
        break;
      }
      default:
        return Status::InvalidInput(std::string("STRING_FORMAT: unsupported conversion %") + conv);
    }
    int64_t pad = width - Utf16Length(body);
    if (pad > 0) {
      if (left) body.append(static_cast<size_t>(pad), ' ');
      else body.insert(0, static_cast<size_t>(pad), ' ');
    }
    out->append(body);
  }
  return Status::OK();
}

Result<ColumnPtr> StringFormat(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  StringResult out(n);
  std::string buf;
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) {
      out.SetNull(i);
      continue;
    }
    RETURN_IF_ERROR(JavaFormat(internal::TextAt(*args[0], i), args, i, &buf));
    out.Set(i, buf);
  }
  return out.Finish();
}

// HUMAN_READABLE_*_FORMAT(value[, precision]): Druid's HumanReadableBytes — "1000 B" below one
// unit, else the value in the largest unit it reaches with `precision` (0..3, default 2) decimals.
template <int kBase, bool kBytes>
Result<ColumnPtr> HumanReadable(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  static const char* kBinary[] = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
  static const char* kDecimalBytes[] = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};
  static const char* kDecimal[] = {"", "K", "M", "G", "T", "P", "E"};
  const char** units = kBase == 1024 ? kBinary : (kBytes ? kDecimalBytes : kDecimal);
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || (args.size() > 1 && NullAt(*args[1], i))) {
      out.SetNull(i);
      continue;
    }
    int64_t v = LongAt(*args[0], i);
    int64_t precision = args.size() > 1 ? LongAt(*args[1], i) : 2;
    if (precision < 0 || precision > 3) {
      return Status::InvalidInput("Given precision[" + std::to_string(precision) + "] of function[human_readable] must be in the range of [0,3]");
    }
    double magnitude = std::fabs(static_cast<double>(v));
    std::string text;
    if (magnitude < kBase) {
      text = std::to_string(v) + " " + units[0];
    } else {
      int unit = 0;
      double scaled = magnitude;
      while (scaled >= kBase && unit < 6) {
        scaled /= kBase;
        ++unit;
      }
      char buf[64];
      std::snprintf(buf, sizeof(buf), "%s%.*f %s", v < 0 ? "-" : "", static_cast<int>(precision), scaled, units[unit]);
      text = buf;
    }
    if (!kBytes && !text.empty() && text.back() == ' ') text.pop_back();
    out.Set(i, text);
  }
  return out.Finish();
}

// Bytes as UTF-8 text the way Java decodes them: each malformed sequence becomes U+FFFD.
std::string ValidUtf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size());
  size_t i = 0;
  while (i < bytes.size()) {
    auto b = static_cast<unsigned char>(bytes[i]);
    size_t len = b < 0x80 ? 1 : (b >> 5) == 0x6 ? 2 : (b >> 4) == 0xE ? 3 : (b >> 3) == 0x1E ? 4 : 0;
    bool ok = len > 0 && i + len <= bytes.size();
    for (size_t k = 1; ok && k < len; ++k) ok = (static_cast<unsigned char>(bytes[i + k]) & 0xC0) == 0x80;
    if (ok && len > 1) {
      // No overlong forms, surrogates or code points past U+10FFFF.
      uint32_t cp = b & (0xFF >> (len + 1));
      for (size_t k = 1; k < len; ++k) cp = (cp << 6) | (static_cast<unsigned char>(bytes[i + k]) & 0x3F);
      static const uint32_t kMin[] = {0, 0, 0x80, 0x800, 0x10000};
      ok = cp >= kMin[len] && cp <= 0x10FFFF && (cp < 0xD800 || cp > 0xDFFF);
    }
    if (ok) {
      out.append(bytes.substr(i, len));
      i += len;
    } else {
      out.append("\xEF\xBF\xBD");
      ++i;
    }
  }
  return out;
}

Result<ColumnPtr> DecodeBase64Utf8(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const columnar::Column& a = *args[0];
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) continue;
    std::string text = internal::TextAt(a, i);
    std::optional<std::string> decoded = base::Base64Decode(text);
    if (!decoded) return Status::InvalidInput("decode_base64_utf8: [" + text + "] is not valid base64");
    out.Set(i, ValidUtf8(*decoded));
  }
  return out.Finish();
}

Result<ColumnPtr> ParseLong(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || (args.size() > 1 && NullAt(*args[1], i))) {
      SetNull(out.get(), i);
      continue;
    }
    std::string s = internal::TextAt(*args[0], i);
    int radix = args.size() > 1 ? static_cast<int>(LongAt(*args[1], i)) : 10;
    if (radix == 16 && s.size() > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) s = s.substr(2);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(s.c_str(), &end, radix);
    if (s.empty() || errno != 0 || *end != '\0') SetNull(out.get(), i);
    else out->longs[i] = v;
  }
  return ColumnPtr(out);
}

void Register(const char* name, Kernel kernel, Prepare prepare = nullptr) {
  RegisterFunction(FunctionDef{name, std::move(kernel), std::move(prepare), false});
}

}  // namespace

void RegisterStringFunctions() {
  Register("lower", CaseMap(false));
  Register("upper", CaseMap(true));
  Register("concat", Concat);
  Register("length", Length);
  Register("substring", Substring);
  Register("left", LeftRight<true>);
  Register("right", LeftRight<false>);
  Register("btrim", Trim<true, true>);
  Register("ltrim", Trim<true, false>);
  Register("rtrim", Trim<false, true>);
  Register("replace", Replace);
  Register("strpos", Strpos);
  Register("lpad", Pad<true>);
  Register("rpad", Pad<false>);
  Register("reverse", Reverse);
  Register("repeat", Repeat);
  Register("contains_string", ContainsString<false>);
  Register("icontains_string", ContainsString<true>);
  Register("regexp_extract", RegexpExtract, PrepareRegex);
  Register("regexp_like", RegexpLike, PrepareRegex);
  Register("regexp_replace", RegexpReplace, PrepareRegex);
  Register("decode_base64_utf8", DecodeBase64Utf8);
  Register("string_format", StringFormat);
  Register("human_readable_binary_byte_format", HumanReadable<1024, true>);
  Register("human_readable_decimal_byte_format", HumanReadable<1000, true>);
  Register("human_readable_decimal_format", HumanReadable<1000, false>);
  Register("parse_long", ParseLong);
}

}  // namespace strata::engine
