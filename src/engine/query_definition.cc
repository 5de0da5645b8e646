#include "engine/query_definition.h"

#include <nlohmann/json.hpp>

namespace strata::engine {

namespace {

nlohmann::ordered_json SignatureJson(const Signature& signature) {
  nlohmann::ordered_json arr = nlohmann::ordered_json::array();
  for (const auto& c : signature) {
    std::string type(types::NativeTypeName(c.type));
    if (c.type == ColumnType::kComplex && !c.complex_type.empty()) type = "COMPLEX<" + c.complex_type + ">";
    arr.push_back({{"name", c.name}, {"type", type}});
  }
  return arr;
}

nlohmann::ordered_json ParseOrString(const std::string& text) {
  auto j = nlohmann::ordered_json::parse(text, nullptr, false);
  if (j.is_discarded()) return text;
  return j;
}

}  // namespace

std::string SignatureToJson(const Signature& signature) { return SignatureJson(signature).dump(); }

std::string StageDefinitionToJson(const StageDefinition& stage) {
  nlohmann::ordered_json j;
  j["id"] = stage.id;
  nlohmann::ordered_json inputs = nlohmann::ordered_json::array();
  std::vector<int> broadcast;
  for (size_t i = 0; i < stage.inputs.size(); ++i) {
    const InputSpec& in = stage.inputs[i];
    if (in.broadcast) broadcast.push_back(static_cast<int>(i));
    switch (in.kind) {
      case InputSpec::Kind::kExternal: {
        Signature sig;
        for (const auto& c : in.external.signature) sig.push_back(ColumnSignature{c.name, c.type, {}});
        inputs.push_back({{"type", "external"},
                          {"inputSource", ParseOrString(in.external.source->ToJson())},
                          {"inputFormat", ParseOrString(in.external.format.ToJson())},
                          {"signature", SignatureJson(sig)}});
        break;
      }
      case InputSpec::Kind::kTable: {
        nlohmann::ordered_json intervals = nlohmann::ordered_json::array();
        for (const auto& iv : in.table.intervals) intervals.push_back(iv.ToString());
        nlohmann::ordered_json t = {{"type", "table"}, {"dataSource", in.table.datasource}, {"intervals", intervals}};
        if (in.table.filter) t["filter"] = in.table.filter->ToString();
        inputs.push_back(t);
        break;
      }
      case InputSpec::Kind::kStage:
        inputs.push_back({{"type", "stage"}, {"stage", in.stage}});
        break;
      case InputSpec::Kind::kInline:
        inputs.push_back({{"type", "inline"}, {"signature", SignatureJson(in.inline_rows.signature)}});
        break;
    }
  }
  j["input"] = inputs;
  if (!broadcast.empty()) j["broadcast"] = broadcast;
  nlohmann::ordered_json processor = ParseOrString(stage.processor_json.empty() ? "{}" : stage.processor_json);
  if (!processor.is_object()) processor = nlohmann::ordered_json::object();
  processor["type"] = stage.processor_type;
  // Keep "type" first, as Druid prints it.
  nlohmann::ordered_json ordered;
  ordered["type"] = stage.processor_type;
  for (auto it = processor.begin(); it != processor.end(); ++it) {
    if (it.key() != "type") ordered[it.key()] = it.value();
  }
  j["processor"] = ordered;
  j["signature"] = SignatureJson(stage.signature);
  const ShuffleSpec& sh = stage.shuffle;
  auto cluster_columns = [&](const std::vector<SortKey>& keys) {
    nlohmann::ordered_json cols = nlohmann::ordered_json::array();
    for (const auto& k : keys) {
      nlohmann::ordered_json c = {{"columnName", k.column < static_cast<int>(stage.signature.size()) ? stage.signature[k.column].name : "__bucket"}};
      if (!k.ascending) c["order"] = "DESCENDING";
      cols.push_back(c);
    }
    return cols;
  };
  switch (sh.kind) {
    case ShuffleSpec::Kind::kNone:
      if (!stage.segment_generator) j["shuffleSpec"] = {{"type", "mix"}};
      break;
    case ShuffleSpec::Kind::kHash:
      j["shuffleSpec"] = {{"type", "hash"}, {"clusterBy", {{"columns", cluster_columns(sh.keys)}}}, {"partitions", sh.num_partitions}};
      break;
    case ShuffleSpec::Kind::kSort:
      j["shuffleSpec"] = {{"type", "maxCount"}, {"clusterBy", {{"columns", cluster_columns(sh.keys)}}}, {"partitions", 1}};
      break;
    case ShuffleSpec::Kind::kTimeChunk: {
      nlohmann::ordered_json cols = nlohmann::ordered_json::array();
      cols.push_back({{"columnName", "__bucket"}});
      for (const auto& c : cluster_columns(sh.cluster_keys)) cols.push_back(c);
      j["shuffleSpec"] = {{"type", "targetSize"}, {"clusterBy", {{"columns", cols}, {"bucketByCount", 1}}}, {"targetSize", sh.rows_per_segment}};
      break;
    }
  }
  j["maxWorkerCount"] = stage.max_worker_count;
  if (sh.kind == ShuffleSpec::Kind::kTimeChunk) j["shuffleCheckHasMultipleValues"] = true;
  return j.dump(-1, ' ', false, decltype(j)::error_handler_t::replace);  // literals may hold any bytes
}

}  // namespace strata::engine
