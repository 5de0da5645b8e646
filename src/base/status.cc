#include "base/status.h"

namespace strata {

std::string_view StatusCodeName(StatusCode code) {
  switch (code) {
    case StatusCode::kOk: return "OK";
    case StatusCode::kInvalidInput: return "InvalidInput";
    case StatusCode::kNotFound: return "NotFound";
    case StatusCode::kAlreadyExists: return "AlreadyExists";
    case StatusCode::kConflict: return "Conflict";
    case StatusCode::kUnsupported: return "Unsupported";
    case StatusCode::kCanceled: return "Canceled";
    case StatusCode::kTimeout: return "Timeout";
    case StatusCode::kCapacityExceeded: return "CapacityExceeded";
    case StatusCode::kResourceExhausted: return "ResourceExhausted";
    case StatusCode::kIoError: return "IoError";
    case StatusCode::kCorruption: return "Corruption";
    case StatusCode::kUnauthorized: return "Unauthorized";
    case StatusCode::kForbidden: return "Forbidden";
    case StatusCode::kRuntimeFailure: return "RuntimeFailure";
    case StatusCode::kInternal: return "Internal";
  }
  return "Unknown";
}

Status::Status(StatusCode code, std::string message) {
  if (code != StatusCode::kOk) {
    state_ = std::make_unique<State>(State{code, std::move(message), {}, {}});
  }
}

Status::Status(const Status& other)
    : state_(other.state_ ? std::make_unique<State>(*other.state_) : nullptr) {}

Status& Status::operator=(const Status& other) {
  if (this != &other) state_ = other.state_ ? std::make_unique<State>(*other.state_) : nullptr;
  return *this;
}

const std::string& Status::message() const {
  static const std::string kEmpty;
  return state_ ? state_->message : kEmpty;
}

const std::string& Status::error_code() const {
  static const std::string kEmpty;
  return state_ ? state_->error_code : kEmpty;
}

const std::vector<std::pair<std::string, std::string>>& Status::context() const {
  static const std::vector<std::pair<std::string, std::string>> kEmpty;
  return state_ ? state_->context : kEmpty;
}

Status& Status::WithErrorCode(std::string error_code) {
  if (state_) state_->error_code = std::move(error_code);
  return *this;
}

Status& Status::WithContext(std::string key, std::string value) {
  if (state_) state_->context.emplace_back(std::move(key), std::move(value));
  return *this;
}

Status Status::Annotate(std::string_view prefix) const {
  if (ok()) return *this;
  Status copy(*this);
  copy.state_->message = std::string(prefix) + ": " + state_->message;
  return copy;
}

std::string Status::ToString() const {
  if (ok()) return "OK";
  return std::string(StatusCodeName(state_->code)) + ": " + state_->message;
}

}  // namespace strata
