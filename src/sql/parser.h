// SQL parser: text -> AST (ast.h). Hand-written recursive descent over the tokens of lexer.h,
// covering Druid SQL as users write it: SET prefixes, EXPLAIN PLAN FOR, INSERT/REPLACE with
// OVERWRITE/PARTITIONED BY/CLUSTERED BY, WITH, SELECT with joins, subqueries, set operations,
// VALUES, window functions, and the expression grammar (CAST, CASE, EXTRACT, FLOOR(x TO unit),
// LIKE ... ESCAPE, IN, BETWEEN, IS ..., ARRAY[...], INTERVAL, TIMESTAMP literals, `?`).
//
// Errors are InvalidInput with error code "invalidInput" and context entries "line"/"column"
// (1-based, where the offending token starts), with messages in Druid's style, e.g.
// "Incorrect syntax near the keyword 'FROM' at line 1, column 8" or
// "Received an unexpected token [FROM] (line [1], column [8]), acceptable options: ...".
#pragma once

#include <string_view>

#include "base/status.h"
#include "sql/ast.h"

namespace strata::sql {

/// Parses one statement (optionally preceded by `SET k = v;` statements and followed by one `;`).
Result<Statement> ParseStatement(std::string_view sql);
/// Parses a standalone expression (used by tests and by EXTEND type parsing).
Result<ExprPtr> ParseExpression(std::string_view sql);

}  // namespace strata::sql
