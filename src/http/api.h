// The HTTP API of Strata: Druid's SQL, SQL-task and Overlord task endpoints (spec §1.1) wired to
// the services that implement them.
#pragma once

#include <string>

#include "catalog/catalog.h"
#include "http/router.h"
#include "query/sql_service.h"
#include "tasks/task_manager.h"

namespace strata::http {

struct ApiServices {
  query::SqlService* sql = nullptr;
  tasks::TaskManager* tasks = nullptr;
  catalog::Catalog* catalog = nullptr;
  std::string version;
  std::string host = "localhost";
  int port = 8888;
};

/// Registers every route on `router`. `services` must outlive the router.
void RegisterApi(Router* router, const ApiServices& services);

}  // namespace strata::http
