// Base64 (RFC 4648, standard alphabet, '=' padding): complex values in results, HTTP basic auth.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace strata::base {

/// Appends the base64 text of `bytes` to `out`.
void Base64Encode(std::string_view bytes, std::string* out);
inline std::string Base64Encode(std::string_view bytes) {
  std::string out;
  Base64Encode(bytes, &out);
  return out;
}

/// Decodes `text`; ASCII whitespace is skipped, padding is optional. nullopt when `text` holds a
/// character outside the alphabet or data after padding.
std::optional<std::string> Base64Decode(std::string_view text);

}  // namespace strata::base
