// RunServer: assembles the embedded single-process deployment (SQLite metadata and local deep
// storage under the data directory) and serves HTTP until SIGINT/SIGTERM.
#pragma once

#include <cstdint>
#include <string>

namespace strata::app {

struct ServerOptions {
  std::string host = "127.0.0.1";
  int port = 8888;
  std::string data_dir = "var";
  int64_t worker_memory_mb = 0;  // 0: a share of physical memory
  int max_concurrent_queries = 50;  // 0: no limit
  int64_t default_query_timeout_ms = 300000;
};

/// Runs the server; returns the process exit code.
int RunServer(const ServerOptions& options);

}  // namespace strata::app
