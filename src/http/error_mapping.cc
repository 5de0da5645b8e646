#include "http/error_mapping.h"

#include <nlohmann/json.hpp>

namespace strata::http {

namespace {

struct Mapping {
  int http_status;
  const char* category;
  const char* persona;
  const char* error_code;
};

Mapping MappingFor(StatusCode code) {
  switch (code) {
    case StatusCode::kInvalidInput: return {400, "INVALID_INPUT", "USER", "invalidInput"};
    case StatusCode::kAlreadyExists: return {400, "INVALID_INPUT", "USER", "invalidInput"};
    case StatusCode::kResourceExhausted: return {400, "CAPACITY_EXCEEDED", "USER", "resourceLimitExceeded"};
    case StatusCode::kUnauthorized: return {401, "UNAUTHORIZED", "USER", "unauthorized"};
    case StatusCode::kForbidden: return {403, "FORBIDDEN", "USER", "forbidden"};
    case StatusCode::kNotFound: return {404, "NOT_FOUND", "USER", "notFound"};
    case StatusCode::kConflict: return {409, "CONFLICT", "USER", "conflict"};
    case StatusCode::kCapacityExceeded: return {429, "CAPACITY_EXCEEDED", "ADMIN", "capacityExceeded"};
    case StatusCode::kUnsupported: return {501, "UNSUPPORTED", "USER", "unsupported"};
    case StatusCode::kTimeout: return {504, "TIMEOUT", "USER", "timeout"};
    case StatusCode::kCanceled: return {500, "CANCELED", "USER", "canceled"};
    case StatusCode::kRuntimeFailure: return {500, "RUNTIME_FAILURE", "USER", "runtimeFailure"};
    case StatusCode::kIoError: return {500, "RUNTIME_FAILURE", "OPERATOR", "runtimeFailure"};
    case StatusCode::kCorruption: return {500, "RUNTIME_FAILURE", "OPERATOR", "runtimeFailure"};
    case StatusCode::kInternal:
    case StatusCode::kOk: return {500, "DEFENSIVE", "DEVELOPER", "defensive"};
  }
  return {500, "UNCATEGORIZED", "DEVELOPER", "general"};
}

}  // namespace

ErrorResponse MapError(const Status& status) {
  Mapping m = MappingFor(status.code());
  nlohmann::ordered_json j;
  j["error"] = "druidException";
  std::string code = status.error_code().empty() ? m.error_code : status.error_code();
  j["errorCode"] = code;
  j["persona"] = m.persona;
  j["category"] = m.category;
  std::string message = status.message();
  if (status.code() == StatusCode::kRuntimeFailure && !status.error_code().empty()) message = status.error_code() + ": " + message;
  j["errorMessage"] = message;
  nlohmann::ordered_json context = nlohmann::ordered_json::object();
  for (const auto& [k, v] : status.context()) context[k] = v;
  j["context"] = context;
  j["errorClass"] = "org.apache.druid.error.DruidException";
  j["host"] = nullptr;
  return ErrorResponse{m.http_status, j.dump()};
}

}  // namespace strata::http
