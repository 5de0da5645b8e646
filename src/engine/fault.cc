#include "engine/fault.h"

#include <nlohmann/json.hpp>

namespace strata::engine {

namespace {
// Fault codes that Strata raises or recognises (spec §4).
const char* kKnownFaults[] = {
    "BroadcastTablesTooLarge", "Canceled", "CannotParseExternalData", "ColumnNameRestricted", "ColumnTypeNotSupported",
    "InsertCannotAllocateSegment", "InsertCannotBeEmpty", "InsertLockPreempted", "InsertTimeNull",
    "InsertTimeOutOfBounds", "InvalidField", "InvalidNullByte", "NotEnoughMemory", "NotEnoughTemporaryStorage",
    "QueryNotSupported", "QueryRuntimeError", "RowTooLarge", "TaskStartTimeout", "TooManyBuckets",
    "TooManyClusteredByColumns", "TooManyColumns", "TooManyInputFiles", "TooManyPartitions", "TooManyRowsWithSameKey",
    "TooManySegments", "TooManyWarnings", "TooManyWorkers", "UnknownError", "WorkerFailed", "WorkerRpcFailed"};

bool IsFaultCode(const std::string& code) {
  for (const char* f : kKnownFaults) {
    if (code == f) return true;
  }
  return false;
}
}  // namespace

std::string Fault::ToJson() const {
  nlohmann::ordered_json j;
  j["errorCode"] = code;
  for (const auto& [name, literal] : fields) j[name] = nlohmann::ordered_json::parse(literal, nullptr, false);
  if (!message.empty()) j["errorMessage"] = message;
  return j.dump();
}

std::string Fault::ErrorMsg() const { return message.empty() ? code : code + ": " + message; }

Status Fault::ToStatus() const {
  Status s(code == "Canceled" ? StatusCode::kCanceled : StatusCode::kRuntimeFailure, message);
  s.WithErrorCode(code);
  for (const auto& [name, literal] : fields) s.WithContext(name, literal);
  return s;
}

Fault Fault::FromStatus(const Status& status) {
  Fault f;
  if (IsFaultCode(status.error_code())) {
    f.code = status.error_code();
    f.message = status.message();
    f.fields = status.context();
    return f;
  }
  if (status.code() == StatusCode::kCanceled) return CanceledFault();
  return UnknownFault(status.message());
}

std::string ErrorReport::ToJson() const {
  nlohmann::ordered_json j;
  j["taskId"] = task_id;
  if (!host.empty()) j["host"] = host;
  if (stage_number) j["stageNumber"] = *stage_number;
  j["error"] = nlohmann::ordered_json::parse(fault.ToJson());
  return j.dump();
}

Fault CanceledFault() { return Fault{"Canceled", "Query canceled by user or by task shutdown.", {}}; }

Fault TooManyWarningsFault(int64_t max_warnings, const std::string& root_error_code) {
  return Fault{"TooManyWarnings",
               "Too many warnings of type " + root_error_code + " generated (max = " + std::to_string(max_warnings) + ")",
               {{"maxWarnings", std::to_string(max_warnings)}, {"rootErrorCode", nlohmann::json(root_error_code).dump()}}};
}

Fault CannotParseExternalDataFault(const std::string& message) { return Fault{"CannotParseExternalData", message, {}}; }

Fault InsertTimeNullFault() {
  return Fault{"InsertTimeNull", "Null timestamp (__time) encountered during INSERT or REPLACE.", {}};
}

Fault InsertTimeOutOfBoundsFault(const std::string& interval) {
  return Fault{"InsertTimeOutOfBounds",
               "Query generated time chunk [" + interval + "] out of bounds specified by replaceExistingTimeChunks",
               {{"interval", nlohmann::json(interval).dump()}}};
}

Fault InsertCannotBeEmptyFault(const std::string& datasource) {
  return Fault{"InsertCannotBeEmpty",
               "No rows to insert for dataSource[" + datasource +
                   "]. Set failOnEmptyInsert : false in the query context to allow empty inserts.",
               {{"dataSource", nlohmann::json(datasource).dump()}}};
}

Fault TooManyBucketsFault(int64_t max_buckets) {
  return Fault{"TooManyBuckets",
               "Too many partition buckets (max = " + std::to_string(max_buckets) +
                   "); try breaking your query up into smaller queries or using a wider segmentGranularity",
               {{"maxBuckets", std::to_string(max_buckets)}}};
}

Fault InsertCannotAllocateSegmentFault(const std::string& datasource, const std::string& interval) {
  return Fault{"InsertCannotAllocateSegment",
               "Cannot allocate segment for dataSource [" + datasource + "], interval [" + interval +
                   "]: it overlaps existing segments of a different granularity",
               {{"dataSource", nlohmann::json(datasource).dump()}, {"interval", nlohmann::json(interval).dump()}}};
}

Fault ColumnNameRestrictedFault(const std::string& column) {
  return Fault{"ColumnNameRestricted",
               "[" + column + "] column name is reserved for MSQ's internal purpose. Please retry the query after renaming the column.",
               {{"columnName", nlohmann::json(column).dump()}}};
}

Fault UnknownFault(const std::string& message) { return Fault{"UnknownError", message, {}}; }

}  // namespace strata::engine
