#include "query/system_catalog.h"

#include <algorithm>
#include <set>

#include "sql/function_catalog.h"
#include "types/time.h"

namespace strata::query {

using columnar::ColumnBuilder;
using sql::Field;
using types::ColumnType;
using types::SqlType;
using types::SqlTypeName;
using types::Value;

namespace {

Field V(const std::string& name) { return Field{name, SqlType::Of(SqlTypeName::kVarchar), ColumnType::kString}; }
Field B(const std::string& name) { return Field{name, SqlType::Of(SqlTypeName::kBigint), ColumnType::kLong}; }

// Builds the rows of a system table from Values.
class TableBuilder {
 public:
  explicit TableBuilder(std::vector<Field> fields) : fields_(std::move(fields)) {
    for (const auto& f : fields_) builders_.emplace_back(f.native);
  }
  void Add(const std::vector<Value>& row) {
    for (size_t i = 0; i < builders_.size(); ++i) builders_[i].AppendValue(i < row.size() ? row[i] : Value::Null());
    ++rows_;
  }
  sql::TableSource Finish(const std::string& schema, const std::string& name) {
    sql::TableSource t;
    t.schema = schema;
    t.name = name;
    t.system = true;
    t.fields = fields_;
    columnar::Frame f;
    f.num_rows = rows_;
    for (auto& b : builders_) f.columns.push_back(b.Finish());
    t.rows.push_back(std::move(f));
    return t;
  }

 private:
  std::vector<Field> fields_;
  std::vector<ColumnBuilder> builders_;
  int64_t rows_ = 0;
};

Value Str(const std::string& s) { return Value::String(s); }
Value Num(int64_t v) { return Value::Long(v); }

const std::vector<std::pair<std::string, std::vector<std::string>>>& SystemTables() {
  static const std::vector<std::pair<std::string, std::vector<std::string>>> kTables = {
      {"INFORMATION_SCHEMA", {"COLUMNS", "ROUTINES", "SCHEMATA", "TABLES"}},
      {"sys", {"segments", "server_segments", "servers", "supervisors", "tasks"}},
  };
  return kTables;
}

}  // namespace

SystemCatalog::SystemCatalog(catalog::Catalog* catalog, metadata::MetadataStore* metadata, ServerInfo server,
                             bool allow_system_tables)
    : catalog_(catalog), metadata_(metadata), server_(std::move(server)), allow_system_tables_(allow_system_tables) {}

std::vector<Field> SystemCatalog::DatasourceFields(const catalog::Timeline& timeline) {
  std::vector<Field> fields;
  for (const auto& c : timeline.columns()) {
    SqlType type = c.name == "__time" ? SqlType::Of(SqlTypeName::kTimestamp) : types::SqlTypeOfNative(c.type);
    if (c.type == ColumnType::kComplex) type = SqlType::Complex(c.complex_type);
    fields.push_back(Field{c.name, type, c.type});
  }
  return fields;
}

Result<std::optional<sql::TableSource>> SystemCatalog::FindTable(const std::string& schema, const std::string& name) {
  if (schema.empty() || schema == "druid") {
    ASSIGN_OR_RETURN(auto timeline, catalog_->GetTimeline(name));
    if (timeline->empty()) return std::optional<sql::TableSource>();
    sql::TableSource t;
    t.schema = "druid";
    t.name = name;
    t.timeline = timeline;
    t.fields = DatasourceFields(*timeline);
    return std::optional<sql::TableSource>(std::move(t));
  }
  if (schema == "sys" || schema == "INFORMATION_SCHEMA") {
    if (!allow_system_tables_) {
      return Status::InvalidInput("Cannot query table(s) [" + schema + "." + name + "] with SQL engine [msq-task]")
          .WithErrorCode("invalidInput");
    }
    return SystemTable(schema, name);
  }
  return std::optional<sql::TableSource>();
}

Result<std::optional<sql::TableSource>> SystemCatalog::SystemTable(const std::string& schema, const std::string& name) {
  ASSIGN_OR_RETURN(std::vector<std::string> datasources, catalog_->ListDatasources());
  if (schema == "INFORMATION_SCHEMA" && name == "SCHEMATA") {
    TableBuilder b({V("CATALOG_NAME"), V("SCHEMA_NAME"), V("SCHEMA_OWNER"), V("DEFAULT_CHARACTER_SET_CATALOG"),
                    V("DEFAULT_CHARACTER_SET_SCHEMA"), V("DEFAULT_CHARACTER_SET_NAME"), V("SQL_PATH")});
    for (const char* s : {"druid", "INFORMATION_SCHEMA", "lookup", "sys", "view"}) {
      b.Add({Str("druid"), Str(s), Value::Null(), Value::Null(), Value::Null(), Value::Null(), Value::Null()});
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "INFORMATION_SCHEMA" && name == "TABLES") {
    TableBuilder b({V("TABLE_CATALOG"), V("TABLE_SCHEMA"), V("TABLE_NAME"), V("TABLE_TYPE"), V("IS_JOINABLE"), V("IS_BROADCAST")});
    for (const auto& ds : datasources) b.Add({Str("druid"), Str("druid"), Str(ds), Str("TABLE"), Str("NO"), Str("NO")});
    for (const auto& [s, tables] : SystemTables()) {
      for (const auto& t : tables) b.Add({Str("druid"), Str(s), Str(t), Str("SYSTEM_TABLE"), Str("NO"), Str("NO")});
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "INFORMATION_SCHEMA" && name == "COLUMNS") {
    TableBuilder b({V("TABLE_CATALOG"), V("TABLE_SCHEMA"), V("TABLE_NAME"), V("COLUMN_NAME"), B("ORDINAL_POSITION"),
                    V("COLUMN_DEFAULT"), V("IS_NULLABLE"), V("DATA_TYPE"), B("CHARACTER_MAXIMUM_LENGTH"),
                    B("CHARACTER_OCTET_LENGTH"), B("NUMERIC_PRECISION"), B("NUMERIC_PRECISION_RADIX"), B("NUMERIC_SCALE"),
                    B("DATETIME_PRECISION"), V("CHARACTER_SET_NAME"), V("COLLATION_NAME"), B("JDBC_TYPE")});
    auto add_columns = [&](const std::string& s, const std::string& table, const std::vector<Field>& fields) {
      for (size_t i = 0; i < fields.size(); ++i) {
        const Field& f = fields[i];
        bool is_string = f.type.is_string();
        bool numeric = f.type.is_numeric();
        b.Add({Str("druid"), Str(s), Str(table), Str(f.name), Num(static_cast<int64_t>(i + 1)), Value::Null(),
               Str(f.name == "__time" && s == "druid" ? "NO" : "YES"), Str(f.type.InformationSchemaName()),
               is_string ? Num(1073741824) : Value::Null(), is_string ? Num(1073741824) : Value::Null(),
               numeric ? Num(f.type.is_integral() ? 19 : 15) : Value::Null(), numeric ? Num(10) : Value::Null(),
               numeric ? Num(0) : Value::Null(), f.type.is_time() ? Num(3) : Value::Null(),
               is_string ? Str("UTF-16LE") : Value::Null(), is_string ? Str("UTF-16LE$en_US$primary") : Value::Null(),
               Num(f.type.JdbcType())});
      }
    };
    for (const auto& ds : datasources) {
      ASSIGN_OR_RETURN(auto timeline, catalog_->GetTimeline(ds));
      add_columns("druid", ds, DatasourceFields(*timeline));
    }
    for (const auto& [s, tables] : SystemTables()) {
      for (const auto& t : tables) {
        if (s == "INFORMATION_SCHEMA" && t == "COLUMNS") continue;  // avoid recursion; listed below
        ASSIGN_OR_RETURN(auto sys, SystemTable(s, t));
        if (sys) add_columns(s, t, sys->fields);
      }
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "INFORMATION_SCHEMA" && name == "ROUTINES") {
    TableBuilder b({V("ROUTINE_CATALOG"), V("ROUTINE_SCHEMA"), V("ROUTINE_NAME"), V("ROUTINE_TYPE"), V("IS_AGGREGATOR"), V("SIGNATURES")});
    for (const auto& f : sql::AggregateFunctionNames()) {
      b.Add({Str("druid"), Str("INFORMATION_SCHEMA"), Str(f), Str("FUNCTION"), Str("YES"), Str("'" + f + "(<ANY>)'")});
    }
    for (const auto& f : sql::ScalarFunctionNames()) {
      b.Add({Str("druid"), Str("INFORMATION_SCHEMA"), Str(f), Str("FUNCTION"), Str("NO"), Str("'" + f + "(<ANY>)'")});
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "sys" && name == "segments") {
    TableBuilder b({V("segment_id"), V("datasource"), V("start"), V("end"), B("size"), V("version"), B("partition_num"),
                    B("num_replicas"), B("num_rows"), B("is_active"), B("is_published"), B("is_available"), B("is_realtime"),
                    B("is_overshadowed"), V("shard_spec"), V("dimensions"), V("metrics"), V("last_compaction_state"),
                    B("replication_factor")});
    ASSIGN_OR_RETURN(auto timelines, catalog_->AllTimelines());
    for (const auto& [ds, timeline] : timelines) {
      std::set<std::string> overshadowed(timeline->overshadowed_ids().begin(), timeline->overshadowed_ids().end());
      ASSIGN_OR_RETURN(auto records, metadata_->ListSegments(ds, false));
      for (const auto& r : records) {
        ASSIGN_OR_RETURN(auto info, catalog::SegmentInfo::FromRecord(r));
        bool shadowed = overshadowed.count(r.id) > 0;
        std::string dims = "[", mets = "[";
        for (size_t i = 0; i < info->dimensions.size(); ++i) dims += (i ? ",\"" : "\"") + info->dimensions[i] + "\"";
        for (size_t i = 0; i < info->metrics.size(); ++i) mets += (i ? ",\"" : "\"") + info->metrics[i] + "\"";
        dims += "]";
        mets += "]";
        b.Add({Str(r.id), Str(r.datasource), Str(types::FormatIso8601(r.start)), Str(types::FormatIso8601(r.end)), Num(r.size_bytes),
               Str(r.version), Num(r.partition_num), Num(info->tombstone ? 0 : 1), Num(r.num_rows), Num(shadowed ? 0 : 1), Num(1),
               Num(info->tombstone ? 0 : 1), Num(0), Num(shadowed ? 1 : 0), Str(info->shard_spec_json), Str(dims), Str(mets),
               Value::Null(), Num(info->tombstone ? 0 : 1)});
      }
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "sys" && name == "tasks") {
    TableBuilder b({V("task_id"), V("group_id"), V("type"), V("datasource"), V("created_time"), V("queue_insertion_time"),
                    V("status"), V("runner_status"), B("duration"), V("location"), V("host"), B("plaintext_port"),
                    B("tls_port"), V("error_msg")});
    ASSIGN_OR_RETURN(auto tasks, metadata_->ListTasks(metadata::TaskFilter{}));
    for (const auto& t : tasks) {
      bool running = t.status == "RUNNING";
      std::string location = running ? t.location_host + ":" + std::to_string(t.location_port) : "";
      b.Add({Str(t.id), Str(t.group_id), Str(t.type), Str(t.datasource), Str(types::FormatIso8601(t.created_time)),
             Str(types::FormatIso8601(0)), Str(t.status), Str(running ? "RUNNING" : "NONE"),
             running ? Value::Null() : Num(t.duration), running ? Str(location) : Value::Null(),
             running ? Str(t.location_host) : Value::Null(), running ? Num(t.location_port) : Num(-1), Num(-1),
             t.error_msg ? Str(*t.error_msg) : Value::Null()});
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "sys" && name == "servers") {
    TableBuilder b({V("server"), V("host"), B("plaintext_port"), B("tls_port"), V("server_type"), V("tier"), B("curr_size"),
                    B("max_size"), B("is_leader"), V("start_time")});
    std::string server = server_.host + ":" + std::to_string(server_.port);
    int64_t size = 0;
    ASSIGN_OR_RETURN(auto records, metadata_->ListSegments("", false));
    for (const auto& r : records) size += r.size_bytes;
    for (const char* type : {"coordinator", "overlord", "broker", "router", "historical", "indexer"}) {
      bool historical = std::string(type) == "historical";
      bool leader_type = std::string(type) == "coordinator" || std::string(type) == "overlord";
      b.Add({Str(server), Str(server_.host), Num(server_.port), Num(-1), Str(type), historical ? Str("_default_tier") : Value::Null(),
             Num(historical ? size : 0), Num(historical ? (int64_t{1} << 40) : 0), leader_type ? Num(1) : Value::Null(),
             Str(types::FormatIso8601(server_.start_time))});
    }
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "sys" && name == "server_segments") {
    TableBuilder b({V("server"), V("segment_id")});
    std::string server = server_.host + ":" + std::to_string(server_.port);
    ASSIGN_OR_RETURN(auto records, metadata_->ListSegments("", false));
    for (const auto& r : records) b.Add({Str(server), Str(r.id)});
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  if (schema == "sys" && name == "supervisors") {
    TableBuilder b({V("supervisor_id"), V("state"), V("detailed_state"), B("healthy"), V("type"), V("source"), B("suspended"), V("spec")});
    return std::optional<sql::TableSource>(b.Finish(schema, name));
  }
  return std::optional<sql::TableSource>();
}

}  // namespace strata::query
