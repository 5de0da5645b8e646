// The HTTP request/response abstraction handlers are written against (Boost.Beast stays inside
// server.cc). A handler either answers with one complete response or streams a chunked body.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/status.h"

namespace strata::http {

using Headers = std::vector<std::pair<std::string, std::string>>;

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string path;    // percent-decoded, without the query string
  std::map<std::string, std::string> query;    // decoded query parameters
  std::map<std::string, std::string> headers;  // lower-case names
  std::string body;
  /// Values of {placeholders} of the matched route.
  std::map<std::string, std::string> params;

  std::string Header(const std::string& lower_name) const {
    auto it = headers.find(lower_name);
    return it == headers.end() ? std::string() : it->second;
  }
  bool HasQuery(const std::string& key) const { return query.count(key) > 0; }
};

/// How a handler answers. Exactly one of Respond() or BeginStream()/Write()/EndStream() is used.
class HttpResponder {
 public:
  virtual ~HttpResponder() = default;
  virtual void Respond(int status, Headers headers, std::string body) = 0;
  /// Starts a chunked response; fails if the client went away.
  virtual Status BeginStream(int status, Headers headers) = 0;
  virtual Status Write(std::string_view data) = 0;
  virtual Status EndStream() = 0;
  /// Ends the response abnormally (the client sees a truncated body).
  virtual void Abort() = 0;
  virtual bool started() const = 0;
};

using Handler = std::function<void(HttpRequest&, HttpResponder*)>;

}  // namespace strata::http
