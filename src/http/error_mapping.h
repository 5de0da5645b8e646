// The one table that maps internal errors (Status) to HTTP status codes and Druid's error JSON
// (spec §1.3): {"error":"druidException","errorCode":...,"persona":...,"category":...,
// "errorMessage":...,"context":{...}} plus the legacy "errorClass" and "host" fields that older
// clients (the seeds' 4-field shape, pydruid) read.
#pragma once

#include <string>

#include "base/status.h"

namespace strata::http {

struct ErrorResponse {
  int http_status = 500;
  std::string json;
};

ErrorResponse MapError(const Status& status);

}  // namespace strata::http
