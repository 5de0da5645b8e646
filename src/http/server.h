// HttpServer: an HTTP/1.1 server (Boost.Beast) with one thread per connection, keep-alive, and
// chunked streaming responses. Only this file's .cc includes Beast.
#pragma once

#include <atomic>
#include <memory>
#include <string>
#include <thread>

#include "base/status.h"
#include "http/router.h"

namespace strata::http {

class HttpServer {
 public:
  HttpServer(std::string host, int port, const Router* router);
  ~HttpServer();

  /// Binds and starts accepting. With port 0 an ephemeral port is chosen (see port()).
  Status Start();
  int port() const { return port_; }
  /// Stops accepting and waits for open connections to finish their current request.
  void Stop();

 private:
  struct Impl;
  std::string host_;
  int port_;
  const Router* router_;
  std::unique_ptr<Impl> impl_;
};

}  // namespace strata::http
