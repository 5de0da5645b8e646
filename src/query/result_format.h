// Result formats of the SQL API (spec §6): object, array, objectLines, arrayLines, csv, with the
// optional header rows (names, Druid types, SQL types). Values are rendered as Druid renders them:
// TIMESTAMP/DATE as ISO-8601 in the session time zone, BOOLEAN as true/false, multi-value strings
// and arrays as JSON strings (sqlStringifyArrays), doubles as Java prints them.
//
// A ResultWriter is fed frames and writes bytes through a callback, so results stream to the
// client as they are produced.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "sql/logical_plan.h"
#include "types/time.h"

namespace strata::query {

enum class ResultFormat { kObject, kArray, kObjectLines, kArrayLines, kCsv };

/// Parses a resultFormat name (case-insensitive). InvalidInput for unknown names.
Result<ResultFormat> ParseResultFormat(const std::string& name);
/// Content-Type of a format.
std::string ContentType(ResultFormat format);

struct ResultOptions {
  ResultFormat format = ResultFormat::kObject;
  bool header = false;
  bool types_header = false;
  bool sql_types_header = false;
  bool stringify_arrays = true;
  types::TimeZone time_zone;
};

using ByteSink = std::function<Status(std::string_view)>;

class ResultWriter {
 public:
  ResultWriter(std::vector<sql::Field> fields, ResultOptions options, ByteSink sink);
  /// Writes the opening bracket and header rows. Called once, before rows.
  Status Begin();
  Status WriteFrame(const columnar::Frame& frame);
  /// Writes one row of values (EXPLAIN, constant results).
  Status WriteValues(const std::vector<types::Value>& values);
  /// Closes the document (and the trailing newline(s) of the format).
  Status End();
  int64_t rows_written() const { return rows_; }

 private:
  Status Flush(bool force);
  void AppendCell(const columnar::Column& column, int64_t row, size_t field, bool in_csv);
  void AppendValue(const types::Value& v, size_t field, bool in_csv);
  void StartRow();
  void EndRow();

  std::vector<sql::Field> fields_;
  ResultOptions options_;
  ByteSink sink_;
  std::string buffer_;
  int64_t rows_ = 0;
  bool first_row_ = true;
};

/// JSON string literal of `s` (with quotes), escaping as Jackson does.
void AppendJsonString(std::string* out, std::string_view s);

}  // namespace strata::query
