// The `strata` executable.
//
//   strata start [--host 127.0.0.1] [--port 8888] [--data-dir var/]   run the server
//   strata sql "<SQL>" [--url http://127.0.0.1:8888]                  run a query on a server
//   strata version
#include <curl/curl.h>

#include <csignal>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <memory>
#include <string>
#include <thread>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include "app/server_main.h"
#include "base/logging.h"

namespace {

size_t WriteToString(char* ptr, size_t size, size_t nmemb, void* userdata) {
  static_cast<std::string*>(userdata)->append(ptr, size * nmemb);
  return size * nmemb;
}

int RunSql(const std::string& url, const std::string& sql, const std::string& format) {
  CURL* curl = curl_easy_init();
  if (!curl) {
    std::cerr << "cannot initialise libcurl\n";
    return 1;
  }
  nlohmann::json body = {{"query", sql}, {"resultFormat", format}, {"header", true}};
  std::string payload = body.dump();
  std::string response;
  std::string endpoint = url + "/druid/v2/sql";
  struct curl_slist* headers = curl_slist_append(nullptr, "Content-Type: application/json");
  curl_easy_setopt(curl, CURLOPT_URL, endpoint.c_str());
  curl_easy_setopt(curl, CURLOPT_HTTPHEADER, headers);
  curl_easy_setopt(curl, CURLOPT_POSTFIELDS, payload.c_str());
  curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, WriteToString);
  curl_easy_setopt(curl, CURLOPT_WRITEDATA, &response);
  CURLcode rc = curl_easy_perform(curl);
  long status = 0;
  curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
  curl_slist_free_all(headers);
  curl_easy_cleanup(curl);
  if (rc != CURLE_OK) {
    std::cerr << "request to " << endpoint << " failed: " << curl_easy_strerror(rc) << "\n";
    return 1;
  }
  if (status != 200) {
    nlohmann::json err = nlohmann::json::parse(response, nullptr, false);
    if (!err.is_discarded() && err.contains("errorMessage")) {
      std::cerr << "error (" << status << "): " << err["errorMessage"].get<std::string>() << "\n";
    } else {
      std::cerr << "error (" << status << "): " << response << "\n";
    }
    return 1;
  }
  std::cout << response;
  return 0;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Strata: a Druid-compatible analytics database"};
  app.require_subcommand(1);
  strata::app::ServerOptions server_options;
  CLI::App* start = app.add_subcommand("start", "Run the server");
  start->add_option("--host", server_options.host, "Address to listen on")->capture_default_str();
  start->add_option("--port", server_options.port, "Port to listen on")->capture_default_str();
  start->add_option("--data-dir", server_options.data_dir, "Metadata, deep storage, scratch and logs")->capture_default_str();
  start->add_option("--worker-memory-mb", server_options.worker_memory_mb, "Memory per worker before spilling to disk (0: a fifth of RAM, at most 4096)")
      ->capture_default_str();
  start->add_option("--max-concurrent-queries", server_options.max_concurrent_queries,
                    "SQL queries running at once; more get HTTP 429 (0: no limit)")
      ->capture_default_str();
  start->add_option("--default-query-timeout-ms", server_options.default_query_timeout_ms,
                    "Timeout of a query whose context sets none (0: none)")
      ->capture_default_str();

  std::string url = "http://127.0.0.1:8888";
  std::string sql;
  std::string format = "csv";
  CLI::App* sql_cmd = app.add_subcommand("sql", "Run a SQL query on a running server");
  sql_cmd->add_option("query", sql, "The SQL text")->required();
  sql_cmd->add_option("--url", url, "Server URL")->capture_default_str();
  sql_cmd->add_option("--format", format, "Result format: csv, object, array, objectLines, arrayLines")->capture_default_str();

  app.add_subcommand("version", "Print the version");
  CLI11_PARSE(app, argc, argv);

  if (app.got_subcommand("version")) {
    std::cout << "strata " << STRATA_VERSION << "\n";
    return 0;
  }
  if (app.got_subcommand("sql")) return RunSql(url, sql, format);
  return strata::app::RunServer(server_options);
}
