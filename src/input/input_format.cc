#include "input/input_format.h"

#include <nlohmann/json.hpp>

#include "input/internal/delimited_row_reader.h"
#include "input/internal/json_row_reader.h"
#include "input/internal/row_reader_base.h"

namespace strata::input {
namespace {

using nlohmann::json;

Status FormatError(const std::string& reason) {
  return Status::InvalidInput("Invalid value for the field [inputFormat]. Reason: " + reason);
}

// Reads an optional boolean field; null or absent leaves `out` as it is.
Status ReadBool(const json& object, const char* field, bool* out) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return Status::OK();
  if (!it->is_boolean()) return FormatError(std::string("[") + field + "] must be true or false, got " + it->dump());
  *out = it->get<bool>();
  return Status::OK();
}

Status ReadString(const json& object, const char* field, std::string* out) {
  auto it = object.find(field);
  if (it == object.end() || it->is_null()) return Status::OK();
  if (!it->is_string()) return FormatError(std::string("[") + field + "] must be a string, got " + it->dump());
  *out = it->get<std::string>();
  return Status::OK();
}

}  // namespace

Result<InputFormatSpec> InputFormatSpec::FromJson(std::string_view json_text) {
  json object;
  try {
    object = json::parse(json_text);
  } catch (const json::exception& e) {
    return FormatError(e.what());
  }
  if (!object.is_object()) return FormatError("expected a JSON object, got " + object.dump());
  auto type_it = object.find("type");
  if (type_it == object.end() || !type_it->is_string()) {
    return FormatError("missing the input format [type] (one of json, csv, tsv)");
  }
  InputFormatSpec spec;
  spec.type = type_it->get<std::string>();
  if (spec.type != "json" && spec.type != "csv" && spec.type != "tsv") {
    return FormatError("unknown input format type [" + spec.type + "] (supported: json, csv, tsv)");
  }
  if (spec.type == "json") {
    RETURN_IF_ERROR(ReadBool(object, "keepNullColumns", &spec.keep_null_columns));
    // Flattening is not implemented: refuse a spec that asks for it rather than ignore it.
    auto flatten_it = object.find("flattenSpec");
    if (flatten_it != object.end() && flatten_it->is_object()) {
      auto fields_it = flatten_it->find("fields");
      if (fields_it != flatten_it->end() && fields_it->is_array() && !fields_it->empty()) {
        return Status::Unsupported(
            "Invalid value for the field [inputFormat]. Reason: [flattenSpec] with [fields] is not supported");
      }
    }
    return spec;
  }

  auto columns_it = object.find("columns");
  if (columns_it != object.end() && !columns_it->is_null()) {
    if (!columns_it->is_array()) return FormatError("[columns] must be an array of strings, got " + columns_it->dump());
    for (const json& column : *columns_it) {
      if (!column.is_string()) return FormatError("[columns] must be an array of strings, got " + column.dump());
      spec.columns.push_back(column.get<std::string>());
    }
  }
  // "hasHeaderRow" is the older name of findColumnsFromHeader.
  RETURN_IF_ERROR(ReadBool(object, "hasHeaderRow", &spec.find_columns_from_header));
  RETURN_IF_ERROR(ReadBool(object, "findColumnsFromHeader", &spec.find_columns_from_header));
  auto skip_it = object.find("skipHeaderRows");
  if (skip_it != object.end() && !skip_it->is_null()) {
    if (!skip_it->is_number_integer() || skip_it->get<int64_t>() < 0) {
      return FormatError("[skipHeaderRows] must be a non-negative integer, got " + skip_it->dump());
    }
    spec.skip_header_rows = skip_it->get<int64_t>();
  }
  RETURN_IF_ERROR(ReadString(object, "listDelimiter", &spec.list_delimiter));
  if (spec.type == "tsv") {
    RETURN_IF_ERROR(ReadString(object, "delimiter", &spec.delimiter));
    if (spec.delimiter.empty()) return FormatError("[delimiter] of the [tsv] input format must not be empty");
  }
  std::string delimiter = spec.type == "csv" ? "," : spec.delimiter;
  if (spec.list_delimiter == delimiter) {
    return FormatError("[listDelimiter] [" + spec.list_delimiter + "] must differ from the delimiter of the [" +
                       spec.type + "] input format");
  }
  if (spec.columns.empty() && !spec.find_columns_from_header) {
    return FormatError("[columns] is required for the [" + spec.type +
                       "] input format unless [findColumnsFromHeader] is true");
  }
  for (const std::string& column : spec.columns) {
    if (column.find(delimiter) != std::string::npos) {
      return FormatError("column [" + column + "] of the [" + spec.type + "] input format contains the delimiter");
    }
  }
  return spec;
}

std::string InputFormatSpec::ToJson() const {
  nlohmann::ordered_json out;
  out["type"] = type;
  if (type == "json") {
    out["flattenSpec"] = nullptr;
    out["featureSpec"] = nlohmann::ordered_json::object();
    out["keepNullColumns"] = keep_null_columns;
    return out.dump();
  }
  out["columns"] = columns;
  out["listDelimiter"] = list_delimiter == "\x01" ? nlohmann::ordered_json(nullptr) : nlohmann::ordered_json(list_delimiter);
  if (type == "tsv") out["delimiter"] = delimiter;
  out["findColumnsFromHeader"] = find_columns_from_header;
  out["skipHeaderRows"] = skip_header_rows;
  return out.dump();
}

Result<std::unique_ptr<RowReader>> NewRowReader(const InputFormatSpec& format, const std::vector<InputColumn>& signature,
                                                std::unique_ptr<io::InputStream> stream, std::string uri,
                                                ParseErrorHandler on_error) {
  RETURN_IF_ERROR(internal::CheckSignature(signature));
  if (format.type == "json") {
    return internal::NewJsonRowReader(signature, std::move(stream), std::move(uri), std::move(on_error));
  }
  if (format.type == "csv" || format.type == "tsv") {
    return internal::NewDelimitedRowReader(format, signature, std::move(stream), std::move(uri), std::move(on_error));
  }
  return FormatError("unknown input format type [" + format.type + "] (supported: json, csv, tsv)");
}

}  // namespace strata::input
