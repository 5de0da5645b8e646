#include "input/input_format.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>
#include <limits>
#include <string>
#include <vector>

#include "io/compression.h"
#include "io/file_system.h"
#include "io/input_stream.h"
#include "types/number_format.h"

namespace strata::input {
namespace {

using columnar::Column;
using columnar::Frame;
using types::ColumnType;

// Renders one cell: NULL, numbers as text, strings in single quotes, multi-value strings and
// arrays as [...]. Multi-value rows with one element render like a single value, so the text
// does not depend on the layout the reader chose for the frame.
std::string CellText(const Column& c, int64_t row) {
  auto quote = [](std::string_view s) { return columnar::IsNullString(s) ? std::string("NULL") : "'" + std::string(s) + "'"; };
  switch (c.type) {
    case ColumnType::kLong:
      return c.IsNull(row) ? "NULL" : std::to_string(c.longs[row]);
    case ColumnType::kFloat:
    case ColumnType::kDouble:
      return c.IsNull(row) ? "NULL" : types::FormatDoubleJava(c.doubles[row]);
    case ColumnType::kString:
      if (c.multi_value) {
        uint32_t begin = c.offsets[row], end = c.offsets[row + 1];
        if (end == begin) return "NULL";
        if (end - begin == 1) return quote(c.strings[begin]);
        std::string out = "[";
        for (uint32_t i = begin; i < end; ++i) out += (i > begin ? "," : "") + quote(c.strings[i]);
        return out + "]";
      }
      return quote(c.strings[row]);
    case ColumnType::kComplex:
      return quote(c.strings[row]);
    default: {
      if (c.IsNull(row)) return "NULL";
      std::string out = "[";
      for (uint32_t i = c.offsets[row]; i < c.offsets[row + 1]; ++i) {
        if (i > c.offsets[row]) out += ",";
        bool element_null = !c.element_nulls.empty() && c.element_nulls[i];
        if (c.type == ColumnType::kStringArray) {
          out += quote(c.strings[i]);
        } else if (element_null) {
          out += "NULL";
        } else if (c.type == ColumnType::kLongArray) {
          out += std::to_string(c.longs[i]);
        } else {
          out += types::FormatDoubleJava(c.doubles[i]);
        }
      }
      return out + "]";
    }
  }
}

// Checks the layout promised by columnar/column.h.
void CheckFrameLayout(const Frame& frame, const std::vector<InputColumn>& signature) {
  ASSERT_EQ(frame.num_columns(), static_cast<int>(signature.size()));
  for (int i = 0; i < frame.num_columns(); ++i) {
    const Column& c = frame.column(i);
    SCOPED_TRACE("column " + signature[i].name);
    EXPECT_EQ(c.type, signature[i].type);
    EXPECT_EQ(c.num_rows, frame.num_rows);
    size_t rows = static_cast<size_t>(frame.num_rows);
    EXPECT_TRUE(c.nulls.empty() || c.nulls.size() == rows);
    switch (c.type) {
      case ColumnType::kLong:
        EXPECT_EQ(c.longs.size(), rows);
        break;
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        EXPECT_EQ(c.doubles.size(), rows);
        break;
      case ColumnType::kString:
        if (c.multi_value) {
          ASSERT_EQ(c.offsets.size(), rows + 1);
          EXPECT_EQ(c.offsets[0], 0u);
          EXPECT_EQ(c.strings.size(), c.offsets.back());
        } else {
          EXPECT_TRUE(c.offsets.empty());
          EXPECT_EQ(c.strings.size(), rows);
        }
        EXPECT_FALSE(c.owners.empty());
        break;
      default:
        break;
    }
  }
}

struct ReadResult {
  Status status;
  std::vector<Frame> frames;
  std::vector<std::string> rows;  // cells joined by '|'
  std::vector<ParseError> errors;
  int64_t rows_read = 0;
  uint64_t bytes_read = 0;
};

ReadResult ReadStream(const InputFormatSpec& format, const std::vector<InputColumn>& signature,
                      std::unique_ptr<io::InputStream> stream, int64_t max_rows = 1000,
                      std::string uri = "file:/data/x.json") {
  ReadResult result;
  auto reader = NewRowReader(format, signature, std::move(stream), std::move(uri), [&](const ParseError& e) {
    result.errors.push_back(e);
    return Status::OK();
  });
  if (!reader.ok()) {
    result.status = reader.status();
    return result;
  }
  while (true) {
    Frame frame;
    Result<bool> more = (*reader)->Next(max_rows, &frame);
    if (!more.ok()) {
      result.status = more.status();
      break;
    }
    if (!*more) {
      EXPECT_EQ(frame.num_rows, 0);
      EXPECT_TRUE(frame.columns.empty());
      break;
    }
    EXPECT_GT(frame.num_rows, 0);
    EXPECT_LE(frame.num_rows, max_rows);
    CheckFrameLayout(frame, signature);
    for (int64_t r = 0; r < frame.num_rows; ++r) {
      std::string row;
      for (int c = 0; c < frame.num_columns(); ++c) row += (c ? "|" : "") + CellText(frame.column(c), r);
      result.rows.push_back(row);
    }
    result.frames.push_back(std::move(frame));
  }
  result.rows_read = (*reader)->rows_read();
  result.bytes_read = (*reader)->bytes_read();
  return result;
}

ReadResult Read(const InputFormatSpec& format, const std::vector<InputColumn>& signature, std::string data,
                int64_t max_rows = 1000) {
  return ReadStream(format, signature, io::NewMemoryInputStream(std::move(data)), max_rows);
}

InputFormatSpec Json() {
  InputFormatSpec spec;
  spec.type = "json";
  return spec;
}

InputFormatSpec Csv(std::vector<std::string> columns) {
  InputFormatSpec spec;
  spec.type = "csv";
  spec.columns = std::move(columns);
  return spec;
}

InputFormatSpec Tsv(std::vector<std::string> columns) {
  InputFormatSpec spec;
  spec.type = "tsv";
  spec.columns = std::move(columns);
  return spec;
}

const InputColumn S(const char* name) { return InputColumn{name, ColumnType::kString}; }
const InputColumn L(const char* name) { return InputColumn{name, ColumnType::kLong}; }
const InputColumn D(const char* name) { return InputColumn{name, ColumnType::kDouble}; }
const InputColumn F(const char* name) { return InputColumn{name, ColumnType::kFloat}; }

// ---------------------------------------------------------------------------------------------
// InputFormatSpec

TEST(InputFormatSpecTest, JsonRoundTrip) {
  auto spec = InputFormatSpec::FromJson(R"({"type":"json","keepNullColumns":true})");
  ASSERT_TRUE(spec.ok()) << spec.status().ToString();
  EXPECT_EQ(spec->type, "json");
  EXPECT_TRUE(spec->keep_null_columns);
  EXPECT_EQ(spec->ToJson(), R"({"type":"json","flattenSpec":null,"featureSpec":{},"keepNullColumns":true})");
  EXPECT_EQ(Json().ToJson(), R"({"type":"json","flattenSpec":null,"featureSpec":{},"keepNullColumns":false})");
}

TEST(InputFormatSpecTest, CsvAndTsvRoundTrip) {
  auto csv = InputFormatSpec::FromJson(R"({"type":"csv","columns":["a","b"],"skipHeaderRows":2})");
  ASSERT_TRUE(csv.ok()) << csv.status().ToString();
  EXPECT_EQ(csv->columns, (std::vector<std::string>{"a", "b"}));
  EXPECT_EQ(csv->skip_header_rows, 2);
  EXPECT_EQ(csv->list_delimiter, "\x01");
  EXPECT_EQ(csv->ToJson(),
            R"({"type":"csv","columns":["a","b"],"listDelimiter":null,"findColumnsFromHeader":false,"skipHeaderRows":2})");

  auto tsv = InputFormatSpec::FromJson(
      R"({"type":"tsv","findColumnsFromHeader":true,"delimiter":"|","listDelimiter":";"})");
  ASSERT_TRUE(tsv.ok()) << tsv.status().ToString();
  EXPECT_TRUE(tsv->find_columns_from_header);
  EXPECT_EQ(tsv->delimiter, "|");
  EXPECT_EQ(tsv->list_delimiter, ";");
  EXPECT_EQ(tsv->ToJson(),
            R"({"type":"tsv","columns":[],"listDelimiter":";","delimiter":"|","findColumnsFromHeader":true,)"
            R"("skipHeaderRows":0})");
  auto default_tsv = InputFormatSpec::FromJson(R"({"type":"tsv","columns":["x"]})");
  ASSERT_TRUE(default_tsv.ok());
  EXPECT_EQ(default_tsv->delimiter, "\t");
}

TEST(InputFormatSpecTest, Errors) {
  auto unknown = InputFormatSpec::FromJson(R"({"type":"parquet"})");
  EXPECT_EQ(unknown.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(unknown.status().message(),
            "Invalid value for the field [inputFormat]. Reason: unknown input format type [parquet] "
            "(supported: json, csv, tsv)");

  auto no_columns = InputFormatSpec::FromJson(R"({"type":"csv"})");
  EXPECT_EQ(no_columns.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(no_columns.status().message(),
            "Invalid value for the field [inputFormat]. Reason: [columns] is required for the [csv] input format "
            "unless [findColumnsFromHeader] is true");
  auto no_tsv_columns = InputFormatSpec::FromJson(R"({"type":"tsv","findColumnsFromHeader":false})");
  EXPECT_NE(no_tsv_columns.status().message().find("[columns] is required for the [tsv] input format"),
            std::string::npos);

  auto bad_skip = InputFormatSpec::FromJson(R"({"type":"csv","columns":["a"],"skipHeaderRows":-1})");
  EXPECT_EQ(bad_skip.status().message(),
            "Invalid value for the field [inputFormat]. Reason: [skipHeaderRows] must be a non-negative integer, got -1");

  auto bad_columns = InputFormatSpec::FromJson(R"({"type":"csv","columns":"a,b"})");
  EXPECT_EQ(bad_columns.status().message(),
            "Invalid value for the field [inputFormat]. Reason: [columns] must be an array of strings, got \"a,b\"");

  auto syntax = InputFormatSpec::FromJson(R"({"type":)");
  EXPECT_EQ(syntax.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(syntax.status().message().rfind("Invalid value for the field [inputFormat]. Reason: ", 0), 0u);
  EXPECT_NE(syntax.status().message().find("parse error"), std::string::npos);

  auto flatten = InputFormatSpec::FromJson(
      R"({"type":"json","flattenSpec":{"fields":[{"type":"path","name":"x","expr":"$.a.b"}]}})");
  EXPECT_EQ(flatten.status().code(), StatusCode::kUnsupported);
  EXPECT_EQ(flatten.status().message(),
            "Invalid value for the field [inputFormat]. Reason: [flattenSpec] with [fields] is not supported");
  EXPECT_TRUE(InputFormatSpec::FromJson(R"({"type":"json","flattenSpec":{"useFieldDiscovery":true}})").ok());

  auto no_type = InputFormatSpec::FromJson(R"({"columns":["a"]})");
  EXPECT_EQ(no_type.status().message(),
            "Invalid value for the field [inputFormat]. Reason: missing the input format [type] (one of json, csv, tsv)");
}

TEST(InputFormatSpecTest, NewRowReaderRejectsDuplicateSignatureColumns) {
  auto reader = NewRowReader(Json(), {S("a"), L("a")}, io::NewMemoryInputStream(""), "inline", nullptr);
  EXPECT_EQ(reader.status().code(), StatusCode::kInvalidInput);
  EXPECT_EQ(reader.status().message(), "Invalid value for the field [signature]. Reason: duplicate column [a]");
}

// ---------------------------------------------------------------------------------------------
// JSON

TEST(JsonReaderTest, ScalarsIntoStringColumns) {
  std::string data =
      "{\"s\": 123}\n"
      "{\"s\": -0}\n"
      "{\"s\": 1.5}\n"
      "{\"s\": 1e3}\n"
      "{\"s\": 0.1}\n"
      "{\"s\": 1.0E-5}\n"
      "{\"s\": 12345678901234567890}\n"
      "{\"s\": -123456789012345678901234}\n"
      "{\"s\": 1e400}\n"
      "{\"s\": true}\n"
      "{\"s\": false}\n"
      "{\"s\": null}\n"
      "{\"s\": \"x\\\"y\\u00e9\\n\"}\n"
      "{\"other\": 1}\n"
      "{\"s\": {\"a\": [1, {\"b\":2}], \"c\":\"}\"} }\n"
      "{\"s\": \"\"}\n";
  ReadResult r = Read(Json(), {S("s")}, data);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'123'", "'0'", "'1.5'", "'1000.0'", "'0.1'", "'1.0E-5'",
                                              "'12345678901234567890'", "'-123456789012345678901234'",
                                              "'Infinity'", "'true'", "'false'", "NULL", "'x\"y\xC3\xA9\n'", "NULL",
                                              "'{\"a\": [1, {\"b\":2}], \"c\":\"}\"}'", "''"}));
  EXPECT_EQ(r.rows_read, 16);
  EXPECT_EQ(r.bytes_read, data.size());
  // Empty string is not NULL.
  const Column& c = r.frames[0].column(0);
  ASSERT_FALSE(c.multi_value);
  EXPECT_NE(c.strings[15].data(), nullptr);
  EXPECT_TRUE(c.strings[15].empty());
  EXPECT_EQ(c.strings[11].data(), nullptr);
}

TEST(JsonReaderTest, ArraysBecomeMultiValueStrings) {
  std::string data =
      "{\"m\": \"solo\"}\n"
      "{\"m\": null}\n"
      "{\"m\": [\"a\", \"b\"]}\n"
      "{\"m\": []}\n"
      "{\"m\": [\"\"]}\n"
      "{\"m\": [1, true, null, 2.5]}\n"
      "{\"m\": [[1, 2], {\"x\": 1}]}\n"
      "{}\n"
      "{\"m\": \"last\"}\n";
  ReadResult r = Read(Json(), {S("m")}, data);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  ASSERT_EQ(r.frames.size(), 1u);
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'solo'", "NULL", "['a','b']", "NULL", "''", "['1','true',NULL,'2.5']",
                                              "['[1, 2]','{\"x\": 1}']", "NULL", "'last'"}));
  const Column& c = r.frames[0].column(0);
  ASSERT_TRUE(c.multi_value);
  EXPECT_EQ(c.offsets, (std::vector<uint32_t>{0, 1, 1, 3, 3, 4, 8, 10, 10, 11}));
  // [""] is one empty (non-null) element; [] and null are rows without elements.
  EXPECT_NE(c.strings[3].data(), nullptr);
  EXPECT_EQ(c.strings[3], "");
  EXPECT_EQ(c.strings[6].data(), nullptr);
}

TEST(JsonReaderTest, MultiValueLayoutIsPerFrameAndPerColumn) {
  std::string data =
      "{\"a\": \"x\", \"b\": \"p\"}\n"
      "{\"a\": \"y\", \"b\": \"q\"}\n"
      "{\"a\": [\"1\", \"2\"], \"b\": \"r\"}\n"
      "{\"a\": \"z\", \"b\": \"s\"}\n";
  ReadResult r = Read(Json(), {S("a"), S("b")}, data, 2);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.frames.size(), 2u);
  EXPECT_FALSE(r.frames[0].column(0).multi_value);
  EXPECT_TRUE(r.frames[1].column(0).multi_value);
  EXPECT_FALSE(r.frames[1].column(1).multi_value);
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'x'|'p'", "'y'|'q'", "['1','2']|'r'", "'z'|'s'"}));
}

TEST(JsonReaderTest, NumericColumns) {
  std::string data =
      "{\"l\": 5, \"d\": 2.5, \"f\": 0.1}\n"
      "{\"l\": 2.9, \"d\": 3, \"f\": \"1.5\"}\n"
      "{\"l\": \"-7\", \"d\": \"abc\", \"f\": true}\n"
      "{\"l\": \"3.9\", \"d\": null, \"f\": [1]}\n"
      "{\"l\": true, \"d\": \"1e2\", \"f\": {\"x\": 1}}\n"
      "{\"l\": -2.5, \"d\": -0.0}\n"
      "{\"l\": 9.9e99, \"d\": 12345678901234567890}\n"
      "{\"l\": \"\", \"d\": \"\"}\n"
      "{\"l\": 9223372036854775807, \"d\": 1E400}\n";
  ReadResult r = Read(Json(), {L("l"), D("d"), F("f")}, data);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{
                        "5|2.5|0.10000000149011612",
                        "2|3.0|1.5",
                        "-7|NULL|NULL",
                        "3|NULL|NULL",
                        "NULL|100.0|NULL",
                        "-2|-0.0|NULL",
                        "9223372036854775807|1.2345678901234567E19|NULL",
                        "NULL|NULL|NULL",
                        "9223372036854775807|Infinity|NULL",
                    }));
  const Column& f = r.frames[0].column(2);
  EXPECT_EQ(f.doubles[0], static_cast<double>(0.1f));
}

TEST(JsonReaderTest, BadLinesAreReportedWithLineNumbersAndSkipped) {
  std::string data =
      "{\"a\": 1}\n"
      "\n"
      "{bad json\n"
      "{\"a\": 2}\n"
      "[1, 2]\n"
      "{\"a\": 3} x\n"
      "   \n"
      "{\"a\": 4, \"z\": tru}\n"
      "{\"a\": 5, \"z\": {\"y\": 1,}}\n"
      "{\"a\": \"6\", \"z\": [1 2]}\n"
      "{\"a\": 7}";  // no newline at the end
  ReadResult r = ReadStream(Json(), {L("a")}, io::NewMemoryInputStream(data));
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.rows, (std::vector<std::string>{"1", "2", "7"}));
  EXPECT_EQ(r.rows_read, 3);
  ASSERT_EQ(r.errors.size(), 6u);
  EXPECT_EQ(r.errors[0].message, "Unable to parse row [{bad json] (Path: file:/data/x.json, Record: 2, Line: 3)");
  EXPECT_EQ(r.errors[0].uri, "file:/data/x.json");
  EXPECT_EQ(r.errors[0].line, 3);
  EXPECT_EQ(r.errors[0].record, 2);
  EXPECT_EQ(r.errors[1].message, "Unable to parse row [[1, 2]] (Path: file:/data/x.json, Record: 4, Line: 5)");
  EXPECT_EQ(r.errors[2].message, "Unable to parse row [{\"a\": 3} x] (Path: file:/data/x.json, Record: 5, Line: 6)");
  EXPECT_EQ(r.errors[3].line, 8);
  EXPECT_EQ(r.errors[3].record, 6);
  EXPECT_EQ(r.errors[4].line, 9);
  EXPECT_EQ(r.errors[5].line, 10);
  EXPECT_EQ(r.errors[5].record, 8);
}

TEST(JsonReaderTest, LongBadRowsAreCutInTheMessage) {
  std::string bad = "{\"a\": \"" + std::string(3000, 'x');
  ReadResult r = Read(Json(), {S("a")}, bad + "\r\n");
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].message,
            "Unable to parse row [" + bad.substr(0, 1000) + "...] (Path: file:/data/x.json, Record: 1, Line: 1)");
}

TEST(JsonReaderTest, HandlerErrorStopsTheReader) {
  auto reader = NewRowReader(Json(), {L("a")}, io::NewMemoryInputStream("{\"a\":1}\nnope\n{\"a\":2}\n"), "inline",
                             [](const ParseError& e) { return Status::RuntimeFailure("stop: " + e.message); });
  ASSERT_TRUE(reader.ok());
  Frame frame;
  Result<bool> more = (*reader)->Next(100, &frame);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().code(), StatusCode::kRuntimeFailure);
  EXPECT_EQ(more.status().message(), "stop: Unable to parse row [nope] (Path: inline, Record: 2, Line: 2)");
}

TEST(JsonReaderTest, WithoutHandlerAParseErrorIsCannotParseExternalData) {
  auto reader = NewRowReader(Json(), {L("a")}, io::NewMemoryInputStream("nope\n"), "inline", nullptr);
  ASSERT_TRUE(reader.ok());
  Frame frame;
  Result<bool> more = (*reader)->Next(100, &frame);
  ASSERT_FALSE(more.ok());
  EXPECT_EQ(more.status().error_code(), "CannotParseExternalData");
  EXPECT_EQ(more.status().message(), "Unable to parse row [nope] (Path: inline, Record: 1, Line: 1)");
}

TEST(JsonReaderTest, EscapedAndRepeatedKeys) {
  std::string data =
      "{\"a\\u0062\": 1, \"c\\\"d\": \"q\", \"ab\": 3}\n"
      "{\"m\": [\"x\", \"y\"], \"m\": \"z\", \"ab\": 4, \"ab\": null}\n"
      "{\"m\": \"z\", \"m\": [\"x\", \"y\"]}\n";
  ReadResult r = Read(Json(), {L("ab"), S("c\"d"), S("m")}, data);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"3|'q'|NULL", "NULL|NULL|'z'", "NULL|NULL|['x','y']"}));
}

TEST(JsonReaderTest, FieldNamesOfEverySize) {
  // Names of 8, 16 and 17 bytes, two 17-byte names that differ only in the middle, the empty
  // name, and near misses that must not match.
  std::vector<InputColumn> signature = {L("abcdefgh"), L("abcdefghijklmnop"), L("abcdefghijklmnopq"),
                                        L("abcdefghXjklmnopq"), L(""), L("a"), L("a-very-long-field-name-indeed")};
  std::string data =
      "{\"abcdefgh\":1,\"abcdefghijklmnop\":2,\"abcdefghijklmnopq\":3,\"abcdefghXjklmnopq\":4,\"\":5,\"a\":6,"
      "\"a-very-long-field-name-indeed\":7,\"abcdefg\":8,\"abcdefghi\":9,\"abcdefghYjklmnopq\":10,\"b\":11}\n"
      "{\"abcdefgh\\u0069\":1,\"\\u0061\":2,\"a-very-long-field-name-indeeD\":3,\"x\\\"y\":4}\n";
  ReadResult r = Read(Json(), signature, data);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"1|2|3|4|5|6|7", "NULL|NULL|NULL|NULL|NULL|2|NULL"}));
}

TEST(JsonReaderTest, InvalidValuesInStoredColumnsAreParseErrors) {
  std::string data =
      "{\"s\": nul}\n"
      "{\"s\": tru}\n"
      "{\"s\": 01}\n"
      "{\"s\": \"\\q\"}\n"
      "{\"s\": [1,]}\n"
      "{\"s\": {\"a\" 1}}\n"
      "{\"s\": -}\n"
      "{\"s\": \"ok\"}\n";
  ReadResult r = Read(Json(), {S("s")}, data);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'ok'"}));
  ASSERT_EQ(r.errors.size(), 7u);
  for (int i = 0; i < 7; ++i) EXPECT_EQ(r.errors[i].line, i + 1);
}

TEST(JsonReaderTest, FramesRespectMaxRows) {
  std::string data;
  for (int i = 0; i < 10; ++i) data += "{\"i\": " + std::to_string(i) + "}\n";
  ReadResult r = Read(Json(), {L("i")}, data, 4);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[0].num_rows, 4);
  EXPECT_EQ(r.frames[1].num_rows, 4);
  EXPECT_EQ(r.frames[2].num_rows, 2);
  EXPECT_EQ(r.rows[9], "9");

  auto reader = NewRowReader(Json(), {L("i")}, io::NewMemoryInputStream(data), "inline", nullptr);
  Frame frame;
  EXPECT_EQ((*reader)->Next(0, &frame).status().code(), StatusCode::kInvalidInput);
}

TEST(JsonReaderTest, CrlfByteOrderMarkAndEmptyInput) {
  ReadResult r = Read(Json(), {S("a")}, "\xEF\xBB\xBF{\"a\": \"x\"}\r\n{\"a\": \"y\"}\r\n");
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'x'", "'y'"}));

  ReadResult empty = Read(Json(), {S("a")}, "");
  EXPECT_TRUE(empty.status.ok());
  EXPECT_TRUE(empty.frames.empty());
}

TEST(JsonReaderTest, LineLongerThanTheReadBuffer) {
  std::string big(6 << 20, 'v');
  ReadResult r = Read(Json(), {S("a"), L("b")}, "{\"b\": 1}\n{\"a\": \"" + big + "\", \"b\": 2}\n{\"b\": 3}\n");
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.rows.size(), 3u);
  EXPECT_EQ(r.rows[1], "'" + big + "'|2");
  EXPECT_EQ(r.rows[2], "NULL|3");
}

TEST(JsonReaderTest, ArrayAndComplexColumns) {
  std::string data =
      "{\"sa\": [\"a\", null, 1], \"la\": [1, \"2\", 2.7, \"x\"], \"da\": 1.5, \"j\": {\"k\": [1]}}\n"
      "{\"sa\": [], \"la\": null, \"da\": [], \"j\": \"s\"}\n";
  std::vector<InputColumn> signature = {{"sa", ColumnType::kStringArray},
                                        {"la", ColumnType::kLongArray},
                                        {"da", ColumnType::kDoubleArray},
                                        {"j", ColumnType::kComplex}};
  ReadResult r = Read(Json(), signature, data);
  ASSERT_TRUE(r.status.ok());
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"['a',NULL,'1']|[1,2,2,NULL]|[1.5]|'{\"k\": [1]}'",
                                              "[]|NULL|[]|'\"s\"'"}));
}

TEST(JsonReaderTest, GzipInput) {
  std::string data = "{\"a\": \"x\"}\n{\"a\": \"y\"}\n";
  std::string gz = io::GzipCompress(data);
  ReadResult r = ReadStream(Json(), {S("a")}, io::NewGzipInputStream(io::NewMemoryInputStream(gz)));
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'x'", "'y'"}));
  EXPECT_EQ(r.bytes_read, gz.size());
}

TEST(JsonReaderTest, WikitickerSample) {
  const std::string path = "/work/shared/data/wikiticker-2015-09-12-sampled.json";
  auto stream = io::OpenFileMaybeCompressed(io::FileSystem::Local(), path);
  ASSERT_TRUE(stream.ok()) << stream.status().ToString();
  std::vector<InputColumn> signature = {S("time"), S("channel"), S("page"), S("cityName"), S("isRobot"),
                                        L("added"), L("delta"), D("deleted")};
  ReadResult r = ReadStream(Json(), signature, std::move(*stream), columnar::kDefaultFrameRows, "file:" + path);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_EQ(r.errors.size(), 0u);
  EXPECT_EQ(r.rows.size(), 39244u);
  EXPECT_EQ(r.rows_read, 39244);
  EXPECT_EQ(r.frames.size(), 5u);  // 4 * 8192 + 6476
  EXPECT_EQ(r.rows[0], "'2015-09-12T00:46:58.771Z'|'#en.wikipedia'|'Talk:Oswald Tilghman'|NULL|'false'|36|36|0.0");
}

// ---------------------------------------------------------------------------------------------
// CSV / TSV

TEST(CsvReaderTest, QuotingAndHeader) {
  InputFormatSpec format = Csv({});
  format.find_columns_from_header = true;
  std::string data =
      "a,b,c\r\n"
      "1,\"x,y\",\"he said \"\"hi\"\"\"\r\n"
      "2,\"multi\nline\",\r\n"
      "\r\n"
      "3,,\"\"\n"
      "4,plain\"quote,z\n";
  ReadResult r = Read(format, {L("a"), S("b"), S("c"), S("missing")}, data);
  ASSERT_TRUE(r.status.ok()) << r.status.ToString();
  EXPECT_TRUE(r.errors.empty());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"1|'x,y'|'he said \"hi\"'|NULL", "2|'multi\nline'|NULL|NULL",
                                              "3|NULL|NULL|NULL", "4|'plain\"quote'|'z'|NULL"}));
}

TEST(CsvReaderTest, SkipHeaderRowsThenHeader) {
  InputFormatSpec format = Csv({});
  format.find_columns_from_header = true;
  format.skip_header_rows = 2;
  std::string data = "junk line one\n\"junk, two\ny,x\n10,20\n";
  ReadResult r = Read(format, {L("x"), L("y")}, data);
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"20|10"}));

  InputFormatSpec columns = Csv({"x", "y"});
  columns.skip_header_rows = 1;
  ReadResult r2 = Read(columns, {L("x"), L("y")}, "x,y\n1,2\n");
  EXPECT_EQ(r2.rows, (std::vector<std::string>{"1|2"}));
}

TEST(CsvReaderTest, ColumnsMapByNameAndExtraFieldsAreIgnored) {
  ReadResult r = Read(Csv({"a", "unused", "b"}), {S("b"), S("a"), D("zzz")}, "1,2,3,4,5\n6\n7,8,9\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'3'|'1'|NULL", "NULL|'6'|NULL", "'9'|'7'|NULL"}));
}

TEST(CsvReaderTest, ListDelimiterMakesMultiValueStrings) {
  InputFormatSpec format = Csv({"tags", "n"});
  format.list_delimiter = "|";
  ReadResult r = Read(format, {S("tags"), L("n")}, "a|b,1\nsolo,2\na||c,3|4\n|,5\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"['a','b']|1", "'solo'|2", "['a',NULL,'c']|NULL", "[NULL,NULL]|5"}));
  EXPECT_TRUE(r.frames[0].column(0).multi_value);

  // The default list delimiter is \u0001.
  ReadResult defaults = Read(Csv({"tags"}), {S("tags")}, "a\x01" "b\n");
  EXPECT_EQ(defaults.rows, (std::vector<std::string>{"['a','b']"}));
}

TEST(CsvReaderTest, UnterminatedQuoteAtEndIsAParseError) {
  ReadResult r = Read(Csv({"a", "b"}), {S("a"), S("b")}, "1,x\n2,\"open\nstill open\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'1'|'x'"}));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_EQ(r.errors[0].line, 2);
  EXPECT_EQ(r.errors[0].record, 2);
  EXPECT_EQ(r.errors[0].message,
            "Unable to parse row [2,\"open\nstill open] (Path: file:/data/x.json, Record: 2, Line: 2)");
}

TEST(CsvReaderTest, NumbersAndFramesAndGzip) {
  std::string data;
  for (int i = 0; i < 7; ++i) data += std::to_string(i) + "," + std::to_string(i) + ".5,x" + std::to_string(i) + "\n";
  ReadResult r = ReadStream(Csv({"l", "d", "s"}), {L("l"), D("d"), L("s")},
                            io::NewGzipInputStream(io::NewMemoryInputStream(io::GzipCompress(data))), 3);
  ASSERT_TRUE(r.status.ok());
  ASSERT_EQ(r.frames.size(), 3u);
  EXPECT_EQ(r.frames[2].num_rows, 1);
  EXPECT_EQ(r.rows[6], "6|6.5|NULL");
}

TEST(TsvReaderTest, SplitsOnDelimiterWithoutQuotes) {
  ReadResult r = Read(Tsv({"a", "b", "c"}), {S("a"), S("b"), L("c")}, "\"x\"\ty,z\t7\r\n\t\t\nq\n");
  ASSERT_TRUE(r.status.ok());
  EXPECT_EQ(r.rows, (std::vector<std::string>{"'\"x\"'|'y,z'|7", "NULL|NULL|NULL", "'q'|NULL|NULL"}));

  InputFormatSpec pipes = Tsv({});
  pipes.delimiter = "||";
  pipes.find_columns_from_header = true;
  pipes.list_delimiter = ";";
  ReadResult r2 = Read(pipes, {S("b"), S("a")}, "a||b\n1;2||3\n");
  EXPECT_EQ(r2.rows, (std::vector<std::string>{"'3'|['1','2']"}));
}

}  // namespace
}  // namespace strata::input
