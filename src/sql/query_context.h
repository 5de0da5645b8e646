// QueryContext: the "context" object of a SQL request plus SET statements, with typed, validated
// accessors for the parameters Strata understands (spec §1.2 and §3). Values keep the JSON types
// they were given; accessors accept the spellings Druid accepts ("true"/"false" strings for
// booleans, numeric strings for numbers) and fail with InvalidInput naming the parameter
// otherwise.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>

#include "base/status.h"
#include "types/value.h"

namespace strata::sql {

class QueryContext {
 public:
  /// Parses a JSON object ("{}" or empty text gives an empty context).
  static Result<QueryContext> FromJson(const std::string& json_text);

  void Set(const std::string& key, types::Value value) { values_[key] = std::move(value); }
  bool Has(const std::string& key) const { return values_.count(key) > 0; }
  const std::map<std::string, types::Value>& values() const { return values_; }

  Result<bool> GetBool(const std::string& key, bool default_value) const;
  Result<int64_t> GetLong(const std::string& key, int64_t default_value) const;
  Result<std::string> GetString(const std::string& key, const std::string& default_value) const;
  std::optional<types::Value> Get(const std::string& key) const;

  /// The context as a JSON object (for task payloads).
  std::string ToJson() const;

  /// Validates the parameters whose values Strata checks up front (maxNumTasks >= 2,
  /// rowsPerSegment > 0, sqlTimeZone known, ...).
  Status Validate() const;

 private:
  std::map<std::string, types::Value> values_;
};

}  // namespace strata::sql
