// Router: maps (method, path pattern) to handlers. Patterns are literal segments and
// {placeholders}; a trailing slash in the request is ignored.
#pragma once

#include <string>
#include <vector>

#include "http/http_types.h"

namespace strata::http {

class Router {
 public:
  void Add(const std::string& method, const std::string& pattern, Handler handler);
  /// Finds the handler for `request` and fills request.params. Returns nullptr when nothing
  /// matches; `method_mismatch` tells whether the path matched with another method.
  const Handler* Match(HttpRequest* request, bool* method_mismatch) const;

 private:
  struct Route {
    std::string method;
    std::vector<std::string> segments;
    Handler handler;
  };
  std::vector<Route> routes_;
};

}  // namespace strata::http
