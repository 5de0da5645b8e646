// Status and Result<T>: how every recoverable error travels in Strata.
//
// A Status costs one null pointer when OK. A failed Status carries a StatusCode (which decides the
// HTTP status and the Druid error category, see http/error_mapping.cc), a human message that names
// the offending value, and optionally a Druid error code (e.g. "invalidInput", or an MSQ fault code
// such as "TooManyWarnings") with string context entries (e.g. line/column of a SQL syntax error).
//
// Result<T> holds either a value or a failed Status. Propagate with RETURN_IF_ERROR and
// ASSIGN_OR_RETURN, as in LevelDB and Abseil.
#pragma once

#include <cassert>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace strata {

/// The broad class of a failure. The one table that maps these to HTTP lives in http/.
enum class StatusCode : unsigned char {
  kOk = 0,
  kInvalidInput,       // bad SQL, bad JSON, bad parameter: the user's fault (400)
  kNotFound,           // unknown task, datasource, ... (404)
  kAlreadyExists,      // duplicate id (400/409)
  kConflict,           // lock conflict, concurrent modification (409)
  kUnsupported,        // valid but not implemented construct (501 / 400 for SQL)
  kCanceled,           // the user or a shutdown canceled the work
  kTimeout,            // a deadline passed (504)
  kCapacityExceeded,   // too many concurrent queries (429)
  kResourceExhausted,  // a configured limit was hit (memory, rows, buckets)
  kIoError,            // file system / network failure
  kCorruption,         // a stored file failed its checksum or format checks
  kUnauthorized,       // 401
  kForbidden,          // 403
  kRuntimeFailure,     // a query or task failed at run time (MSQ faults)
  kInternal,           // a bug: should never happen
};

/// Returns the name of `code`, e.g. "InvalidInput".
std::string_view StatusCodeName(StatusCode code);

class Status {
 public:
  /// A successful status.
  Status() noexcept = default;
  Status(StatusCode code, std::string message);
  Status(const Status& other);
  Status& operator=(const Status& other);
  Status(Status&&) noexcept = default;
  Status& operator=(Status&&) noexcept = default;
  ~Status() = default;

  static Status OK() { return Status(); }
  static Status InvalidInput(std::string msg) { return Status(StatusCode::kInvalidInput, std::move(msg)); }
  static Status NotFound(std::string msg) { return Status(StatusCode::kNotFound, std::move(msg)); }
  static Status AlreadyExists(std::string msg) { return Status(StatusCode::kAlreadyExists, std::move(msg)); }
  static Status Conflict(std::string msg) { return Status(StatusCode::kConflict, std::move(msg)); }
  static Status Unsupported(std::string msg) { return Status(StatusCode::kUnsupported, std::move(msg)); }
  static Status Canceled(std::string msg) { return Status(StatusCode::kCanceled, std::move(msg)); }
  static Status Timeout(std::string msg) { return Status(StatusCode::kTimeout, std::move(msg)); }
  static Status CapacityExceeded(std::string msg) { return Status(StatusCode::kCapacityExceeded, std::move(msg)); }
  static Status ResourceExhausted(std::string msg) { return Status(StatusCode::kResourceExhausted, std::move(msg)); }
  static Status IoError(std::string msg) { return Status(StatusCode::kIoError, std::move(msg)); }
  static Status Corruption(std::string msg) { return Status(StatusCode::kCorruption, std::move(msg)); }
  static Status RuntimeFailure(std::string msg) { return Status(StatusCode::kRuntimeFailure, std::move(msg)); }
  static Status Internal(std::string msg) { return Status(StatusCode::kInternal, std::move(msg)); }

  bool ok() const { return state_ == nullptr; }
  StatusCode code() const { return state_ ? state_->code : StatusCode::kOk; }
  /// The message; empty when OK.
  const std::string& message() const;
  /// The Druid error code ("invalidInput", an MSQ fault code, ...); empty if none was set.
  const std::string& error_code() const;
  /// Extra string context (e.g. {"line","3"}); empty if none.
  const std::vector<std::pair<std::string, std::string>>& context() const;

  /// Sets the Druid error code. No effect on an OK status.
  Status& WithErrorCode(std::string error_code);
  /// Adds a context entry. No effect on an OK status.
  Status& WithContext(std::string key, std::string value);
  /// Returns a copy whose message is "<prefix>: <message>".
  Status Annotate(std::string_view prefix) const;

  /// "InvalidInput: message" or "OK".
  std::string ToString() const;

 private:
  struct State {
    StatusCode code;
    std::string message;
    std::string error_code;
    std::vector<std::pair<std::string, std::string>> context;
  };
  std::unique_ptr<State> state_;
};

/// Either a value of type T or a failed Status.
template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}  // NOLINT: implicit by design
  Result(Status status) : value_(std::move(status)) {  // NOLINT: implicit by design
    assert(!std::get<Status>(value_).ok() && "Result constructed from an OK Status");
  }

  bool ok() const { return std::holds_alternative<T>(value_); }
  const Status& status() const {
    static const Status kOk;
    return ok() ? kOk : std::get<Status>(value_);
  }
  Status TakeStatus() { return ok() ? Status() : std::move(std::get<Status>(value_)); }

  T& value() & { return std::get<T>(value_); }
  const T& value() const& { return std::get<T>(value_); }
  T&& value() && { return std::get<T>(std::move(value_)); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }

 private:
  std::variant<T, Status> value_;
};

}  // namespace strata

#define STRATA_CONCAT_INNER(a, b) a##b
#define STRATA_CONCAT(a, b) STRATA_CONCAT_INNER(a, b)

/// Returns from the current function if `expr` yields a failed Status (or Result).
#define RETURN_IF_ERROR(expr)                                 \
  do {                                                        \
    ::strata::Status _strata_status = ::strata::ToStatus(expr); \
    if (!_strata_status.ok()) return _strata_status;          \
  } while (0)

/// Evaluates a Result<T> expression; on failure returns its Status, else assigns the value to lhs.
#define ASSIGN_OR_RETURN(lhs, expr) ASSIGN_OR_RETURN_IMPL(STRATA_CONCAT(_strata_result_, __LINE__), lhs, expr)
#define ASSIGN_OR_RETURN_IMPL(tmp, lhs, expr) \
  auto tmp = (expr);                          \
  if (!tmp.ok()) return tmp.TakeStatus();     \
  lhs = std::move(tmp).value()

namespace strata {
inline Status ToStatus(Status s) { return s; }
template <typename T>
Status ToStatus(Result<T>&& r) { return r.TakeStatus(); }
template <typename T>
Status ToStatus(const Result<T>& r) { return r.status(); }
}  // namespace strata
