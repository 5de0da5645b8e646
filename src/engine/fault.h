// Faults: the MSQ error codes a stage, worker or controller reports (spec §4), and how they
// travel inside Status: a failed Status with code kRuntimeFailure (or kCanceled), the fault code as
// its error_code, and each extra fault field as a context entry whose value is a JSON literal.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/status.h"

namespace strata::engine {

struct Fault {
  std::string code;     // "Canceled", "TooManyWarnings", "CannotParseExternalData", ...
  std::string message;  // errorMessage
  /// Extra fields as (name, JSON literal), e.g. {"maxWarnings", "0"}, {"rootErrorCode", "\"X\""}.
  std::vector<std::pair<std::string, std::string>> fields;

  /// {"errorCode": ..., "errorMessage": ..., <fields>}.
  std::string ToJson() const;
  /// "<code>: <message>" (just the code without a message) — the task's errorMsg.
  std::string ErrorMsg() const;
  Status ToStatus() const;
  /// Recovers the fault carried by `status`: its error code if it names a fault, Canceled for
  /// canceled work, otherwise UnknownError with the status message.
  static Fault FromStatus(const Status& status);
};

/// Where and by whom a fault (or warning) was reported.
struct ErrorReport {
  std::string task_id;
  std::string host;
  std::optional<int> stage_number;
  Fault fault;
  /// {"taskId":..., "host":..., "stageNumber":..., "error":{fault}}
  std::string ToJson() const;
};

// Constructors of the faults Strata raises.
Fault CanceledFault();
Fault TooManyWarningsFault(int64_t max_warnings, const std::string& root_error_code);
Fault CannotParseExternalDataFault(const std::string& message);
Fault InsertTimeNullFault();
Fault InsertTimeOutOfBoundsFault(const std::string& interval);
Fault InsertCannotBeEmptyFault(const std::string& datasource);
Fault TooManyBucketsFault(int64_t max_buckets);
Fault InsertCannotAllocateSegmentFault(const std::string& datasource, const std::string& interval);
Fault ColumnNameRestrictedFault(const std::string& column);
Fault UnknownFault(const std::string& message);

}  // namespace strata::engine
