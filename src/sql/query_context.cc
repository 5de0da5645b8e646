#include "sql/query_context.h"

#include <nlohmann/json.hpp>

#include "types/number_format.h"
#include "types/time.h"

namespace strata::sql {

using types::Value;

namespace {

Value FromJsonValue(const nlohmann::json& j) {
  if (j.is_null()) return Value::Null();
  if (j.is_boolean()) return Value::String(j.get<bool>() ? "true" : "false");
  if (j.is_number_integer()) return Value::Long(j.get<int64_t>());
  if (j.is_number()) return Value::Double(j.get<double>());
  if (j.is_string()) return Value::String(j.get<std::string>());
  return Value::String(j.dump());
}

Status BadValue(const std::string& key, const std::string& expected, const Value& v) {
  return Status::InvalidInput("Query context parameter [" + key + "] must be " + expected + ", got [" + v.ToString() + "]")
      .WithErrorCode("invalidInput");
}

}  // namespace

Result<QueryContext> QueryContext::FromJson(const std::string& json_text) {
  QueryContext ctx;
  if (json_text.empty()) return ctx;
  nlohmann::json j = nlohmann::json::parse(json_text, nullptr, false);
  if (j.is_discarded() || !(j.is_object() || j.is_null())) {
    return Status::InvalidInput("Query context must be a JSON object").WithErrorCode("invalidInput");
  }
  if (j.is_null()) return ctx;
  for (auto it = j.begin(); it != j.end(); ++it) ctx.values_[it.key()] = FromJsonValue(it.value());
  return ctx;
}

std::optional<Value> QueryContext::Get(const std::string& key) const {
  auto it = values_.find(key);
  if (it == values_.end()) return std::nullopt;
  return it->second;
}

Result<bool> QueryContext::GetBool(const std::string& key, bool default_value) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.is_null()) return default_value;
  const Value& v = it->second;
  if (v.is_string()) {
    std::string s = v.string_value();
    for (char& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    if (s == "true") return true;
    if (s == "false") return false;
  }
  if (v.is_long()) return v.long_value() != 0;
  return BadValue(key, "a boolean", v);
}

Result<int64_t> QueryContext::GetLong(const std::string& key, int64_t default_value) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.is_null()) return default_value;
  const Value& v = it->second;
  if (v.is_long()) return v.long_value();
  if (v.is_double() && v.double_value() == static_cast<double>(static_cast<int64_t>(v.double_value()))) {
    return static_cast<int64_t>(v.double_value());
  }
  int64_t parsed;
  if (v.is_string() && types::ParseLongStrict(v.string_value(), &parsed)) return parsed;
  return BadValue(key, "a number", v);
}

Result<std::string> QueryContext::GetString(const std::string& key, const std::string& default_value) const {
  auto it = values_.find(key);
  if (it == values_.end() || it->second.is_null()) return default_value;
  const Value& v = it->second;
  if (v.is_string()) return v.string_value();
  return v.ToString();
}

std::string QueryContext::ToJson() const {
  nlohmann::ordered_json j = nlohmann::ordered_json::object();
  for (const auto& [k, v] : values_) {
    if (v.is_null()) j[k] = nullptr;
    else if (v.is_long()) j[k] = v.long_value();
    else if (v.is_double()) j[k] = v.double_value();
    else if (v.is_string() && (v.string_value() == "true" || v.string_value() == "false")) j[k] = v.string_value() == "true";
    else j[k] = v.is_string() ? v.string_value() : v.ToString();
  }
  return j.dump();
}

Status QueryContext::Validate() const {
  ASSIGN_OR_RETURN(int64_t num_tasks, GetLong("numTasks", 2));
  ASSIGN_OR_RETURN(int64_t max_num_tasks, GetLong("maxNumTasks", num_tasks));
  if (max_num_tasks < 2) {
    return Status::InvalidInput("MSQ context maxNumTasks [" + std::to_string(max_num_tasks) +
                                "] cannot be less than 2, since at least 1 controller and 1 worker is necessary")
        .WithErrorCode("invalidInput");
  }
  ASSIGN_OR_RETURN(int64_t rows_per_segment, GetLong("rowsPerSegment", 3000000));
  if (rows_per_segment <= 0) return BadValue("rowsPerSegment", "a positive number", Value::Long(rows_per_segment));
  ASSIGN_OR_RETURN(int64_t max_parse, GetLong("maxParseExceptions", 0));
  if (max_parse < -1) return BadValue("maxParseExceptions", "-1 or a non-negative number", Value::Long(max_parse));
  ASSIGN_OR_RETURN(std::string tz, GetString("sqlTimeZone", "UTC"));
  RETURN_IF_ERROR(types::TimeZone::Find(tz).status());
  for (const char* key : {"finalizeAggregations", "failOnEmptyInsert", "useApproximateCountDistinct", "sqlStringifyArrays",
                          "useApproximateTopN", "waitUntilSegmentsLoad"}) {
    RETURN_IF_ERROR(GetBool(key, true).status());
  }
  for (const char* key : {"timeout", "priority", "sqlOuterLimit", "rowsInMemory", "maxRowsInMemory"}) {
    RETURN_IF_ERROR(GetLong(key, 0).status());
  }
  return Status::OK();
}

}  // namespace strata::sql
