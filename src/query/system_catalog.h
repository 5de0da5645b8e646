// SystemCatalog: what SQL can read. Datasources (schema "druid") come from the catalog's
// timelines; system tables (sys.segments, sys.tasks, sys.servers, INFORMATION_SCHEMA.SCHEMATA /
// TABLES / COLUMNS / ROUTINES) are materialized from the metadata store when a query names them
// (spec §10).
#pragma once

#include <optional>
#include <string>

#include "catalog/catalog.h"
#include "metadata/metadata_store.h"
#include "sql/binder.h"

namespace strata::query {

struct ServerInfo {
  std::string host = "localhost";
  int port = 8888;
  int64_t start_time = 0;
};

class SystemCatalog : public sql::SqlCatalog {
 public:
  /// `allow_system_tables` is false for MSQ tasks, which cannot read system tables.
  SystemCatalog(catalog::Catalog* catalog, metadata::MetadataStore* metadata, ServerInfo server, bool allow_system_tables);

  Result<std::optional<sql::TableSource>> FindTable(const std::string& schema, const std::string& name) override;

  /// SQL fields of a datasource (as INFORMATION_SCHEMA.COLUMNS and SELECT * show them).
  static std::vector<sql::Field> DatasourceFields(const catalog::Timeline& timeline);

 private:
  Result<std::optional<sql::TableSource>> SystemTable(const std::string& schema, const std::string& name);

  catalog::Catalog* catalog_;
  metadata::MetadataStore* metadata_;
  ServerInfo server_;
  bool allow_system_tables_;
};

}  // namespace strata::query
