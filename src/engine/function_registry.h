// The registry of scalar functions the engine can evaluate, by engine name (lower case, e.g.
// "add", "time_floor", "regexp_extract"). Kernels are vectorized: they receive the evaluated
// argument columns and return the result column.
//
// Contract of a kernel: every argument column has `num_rows` rows; the result must have
// `num_rows` rows and the call's type. Argument types are what the SQL binder coerced them to
// (see sql/function_catalog.cc); a kernel that receives a type it does not handle returns
// Internal rather than crashing. Multi-value string arguments: unless the function declares
// `handles_multi_value`, the registry maps it over the elements of a multi-value first argument.
//
// Adding a function: write the kernel in functions_<family>.cc, register it in that file's
// Register<Family>Functions, and add its SQL signature in sql/function_catalog.cc.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/expr.h"

namespace strata::engine {

using Kernel = std::function<Result<ColumnPtr>(const Expr& call, const std::vector<ColumnPtr>& args, int64_t num_rows,
                                               const EvalContext& ctx)>;
using Prepare = std::function<Result<std::shared_ptr<const void>>(const std::vector<ExprPtr>& args)>;

struct FunctionDef {
  std::string name;
  Kernel kernel;
  Prepare prepare;  // optional
  /// The kernel deals with multi-value inputs itself (e.g. mv_ functions, COUNT, IS NULL).
  bool handles_multi_value = false;
};

/// The function called `name`, or nullptr.
const FunctionDef* FindFunction(std::string_view name);

/// Registration hooks of the function families (called once, by FindFunction).
void RegisterFunction(FunctionDef def);
void RegisterArithmeticFunctions();
void RegisterComparisonFunctions();
void RegisterStringFunctions();
void RegisterTimeFunctions();
void RegisterConditionalFunctions();
void RegisterArrayFunctions();

}  // namespace strata::engine
