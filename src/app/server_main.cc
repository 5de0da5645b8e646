#include "app/server_main.h"

#include <malloc.h>
#include <unistd.h>

#include <csignal>
#include <filesystem>
#include <algorithm>
#include <semaphore>

#include "base/clock.h"
#include "base/logging.h"
#include "catalog/catalog.h"
#include "http/api.h"
#include "http/server.h"
#include "io/file_system.h"
#include "metadata/metadata_store.h"
#include "query/sql_service.h"
#include "storage/deep_storage.h"
#include "storage/segment_cache.h"
#include "tasks/task_manager.h"

namespace strata::app {

namespace {
std::binary_semaphore g_stop{0};
void OnSignal(int) { g_stop.release(); }
}  // namespace

int RunServer(const ServerOptions& options) {
  // Frames are large, short-lived allocations: keep freed memory in the process instead of
  // returning it to the kernel (and paying for zeroed pages) on every frame.
  mallopt(M_MMAP_THRESHOLD, 256 << 20);
  mallopt(M_TRIM_THRESHOLD, 512 << 20);
  std::error_code ec;
  std::filesystem::create_directories(options.data_dir, ec);
  std::string data_dir = std::filesystem::absolute(options.data_dir, ec).string();
  if (Status s = base::InitLogging(io::JoinPath(data_dir, "log")); !s.ok()) {
    LOG_ERROR("{}", s.ToString());
    return 1;
  }
  io::FileSystem* fs = io::FileSystem::Local();
  std::string temp_dir = io::JoinPath(data_dir, "tmp");
  fs->DeleteRecursively(temp_dir);  // scratch of a previous process
  fs->CreateDirs(temp_dir);

  Result<std::unique_ptr<metadata::MetadataStore>> store = metadata::MetadataStore::OpenSqlite(io::JoinPath(data_dir, "metadata.db"));
  if (!store.ok()) {
    LOG_ERROR("{}", store.status().ToString());
    return 1;
  }
  catalog::Catalog catalog(store->get());
  std::unique_ptr<storage::DeepStorage> deep_storage = storage::NewLocalDeepStorage(fs, io::JoinPath(data_dir, "deep-storage"));
  storage::SegmentCache segment_cache(fs);

  tasks::TaskServices task_services;
  task_services.metadata = store->get();
  task_services.catalog = &catalog;
  task_services.deep_storage = deep_storage.get();
  task_services.segment_cache = &segment_cache;
  task_services.fs = fs;
  task_services.temp_dir = io::JoinPath(temp_dir, "tasks");
  task_services.host = options.host == "0.0.0.0" ? "localhost" : options.host;
  task_services.port = options.port;
  int64_t worker_memory = options.worker_memory_mb << 20;
  if (options.worker_memory_mb <= 0) {
    // Default: a fifth of physical memory per worker, between 256 MiB and 4 GiB.
    int64_t physical = static_cast<int64_t>(sysconf(_SC_PHYS_PAGES)) * sysconf(_SC_PAGE_SIZE);
    worker_memory = std::clamp<int64_t>(physical / 5, 256LL << 20, 4LL << 30);
  }
  task_services.worker_memory_bytes = worker_memory;
  tasks::TaskManager task_manager(task_services);
  if (Status s = task_manager.Recover(); !s.ok()) {
    LOG_ERROR("recovering tasks failed: {}", s.ToString());
    return 1;
  }

  query::SqlServiceOptions sql_options;
  sql_options.catalog = &catalog;
  sql_options.metadata = store->get();
  sql_options.segment_cache = &segment_cache;
  sql_options.fs = fs;
  sql_options.temp_dir = io::JoinPath(temp_dir, "queries");
  sql_options.server = query::ServerInfo{task_services.host, options.port, base::NowMillis()};
  sql_options.worker_memory_bytes = worker_memory;
  sql_options.max_concurrent_queries = options.max_concurrent_queries;
  sql_options.default_timeout_millis = options.default_query_timeout_ms;
  query::SqlService sql_service(sql_options);

  http::Router router;
  http::ApiServices api;
  api.sql = &sql_service;
  api.tasks = &task_manager;
  api.catalog = &catalog;
  api.version = STRATA_VERSION;
  api.host = task_services.host;
  api.port = options.port;
  http::RegisterApi(&router, api);
  http::HttpServer server(options.host, options.port, &router);
  if (Status s = server.Start(); !s.ok()) {
    LOG_ERROR("{}", s.ToString());
    return 1;
  }
  std::signal(SIGINT, OnSignal);
  std::signal(SIGTERM, OnSignal);
  std::signal(SIGPIPE, SIG_IGN);
  LOG_INFO("Strata {} listening on http://{}:{} (data in {})", STRATA_VERSION, options.host, server.port(), data_dir);
  g_stop.acquire();
  LOG_INFO("shutting down");
  server.Stop();
  task_manager.StopAll();
  return 0;
}

}  // namespace strata::app
