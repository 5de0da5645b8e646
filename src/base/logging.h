// Logging: one process-wide logger writing to stderr and, once InitLogging is given a directory,
// to <dir>/strata.log. Call sites format with fmt; spdlog stays inside logging.cc.
#pragma once

#include <string>
#include <string_view>

#include <fmt/core.h>

#include "base/status.h"

namespace strata::base {

enum class LogLevel { kDebug, kInfo, kWarn, kError };

/// Configures the logger. `log_dir` empty means stderr only. Safe to call more than once.
/// IoError naming the file when the log file cannot be opened (the logger then stays as it was).
Status InitLogging(const std::string& log_dir, LogLevel level = LogLevel::kInfo);
/// Writes one line. Thread-safe.
void LogMessage(LogLevel level, std::string_view message);

}  // namespace strata::base

#define LOG_DEBUG(...) ::strata::base::LogMessage(::strata::base::LogLevel::kDebug, ::fmt::format(__VA_ARGS__))
#define LOG_INFO(...) ::strata::base::LogMessage(::strata::base::LogLevel::kInfo, ::fmt::format(__VA_ARGS__))
#define LOG_WARN(...) ::strata::base::LogMessage(::strata::base::LogLevel::kWarn, ::fmt::format(__VA_ARGS__))
#define LOG_ERROR(...) ::strata::base::LogMessage(::strata::base::LogLevel::kError, ::fmt::format(__VA_ARGS__))
