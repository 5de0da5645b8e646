#include "base/logging.h"

#include <filesystem>
#include <memory>
#include <mutex>
#include <vector>

#include <spdlog/sinks/basic_file_sink.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

namespace strata::base {
namespace {

std::mutex g_mu;
std::shared_ptr<spdlog::logger> g_logger;

spdlog::level::level_enum ToSpd(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return spdlog::level::debug;
    case LogLevel::kInfo: return spdlog::level::info;
    case LogLevel::kWarn: return spdlog::level::warn;
    case LogLevel::kError: return spdlog::level::err;
  }
  return spdlog::level::info;
}

std::shared_ptr<spdlog::logger> Logger() {
  std::lock_guard<std::mutex> lock(g_mu);
  if (!g_logger) {
    g_logger = std::make_shared<spdlog::logger>("strata", std::make_shared<spdlog::sinks::stderr_sink_mt>());
    g_logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%t] %v", spdlog::pattern_time_type::utc);
    g_logger->set_level(spdlog::level::info);
  }
  return g_logger;
}

}  // namespace

Status InitLogging(const std::string& log_dir, LogLevel level) {
  std::vector<spdlog::sink_ptr> sinks;
  sinks.push_back(std::make_shared<spdlog::sinks::stderr_sink_mt>());
  if (!log_dir.empty()) {
    std::error_code ec;
    std::filesystem::create_directories(log_dir, ec);
    try {
      sinks.push_back(std::make_shared<spdlog::sinks::basic_file_sink_mt>(log_dir + "/strata.log", false));
    } catch (const spdlog::spdlog_ex& e) {
      return Status::IoError("cannot open the log file " + log_dir + "/strata.log: " + e.what());
    }
  }
  auto logger = std::make_shared<spdlog::logger>("strata", sinks.begin(), sinks.end());
  logger->set_pattern("%Y-%m-%dT%H:%M:%S.%eZ %^%l%$ [%t] %v", spdlog::pattern_time_type::utc);
  logger->set_level(ToSpd(level));
  logger->flush_on(spdlog::level::info);
  std::lock_guard<std::mutex> lock(g_mu);
  g_logger = logger;
  return Status::OK();
}

void LogMessage(LogLevel level, std::string_view message) {
  Logger()->log(ToSpd(level), "{}", message);
}

}  // namespace strata::base
