// HttpInputStream: the body of an HTTP(S) GET as an io::InputStream, for the "http" input source.
//
// libcurl runs the transfer on a background thread that pushes the body into a bounded queue
// (kMaxBufferedBytes); Read() takes from it, so a slow reader slows the download instead of
// buffering the whole body. Destroying the stream before the end aborts the transfer.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <string>

#include "io/input_stream.h"

namespace strata::input::internal {

/// Bytes of body buffered ahead of the reader at most (plus one network chunk).
inline constexpr size_t kMaxBufferedBytes = 8 << 20;

/// Basic-authentication credentials; no authentication when `username` is empty.
struct HttpCredentials {
  std::optional<std::string> username;
  std::optional<std::string> password;
};

/// Starts downloading `url` (http or https only; redirects are followed). Errors of the transfer
/// (connection refused, HTTP status >= 400, ...) are returned by Read() as IoError naming the URL
/// and, for HTTP errors, the status.
std::unique_ptr<io::InputStream> OpenHttpStream(const std::string& url, const HttpCredentials& credentials);

}  // namespace strata::input::internal
