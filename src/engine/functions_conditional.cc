// CASE, COALESCE, NULLIF and value selection helpers.
#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"

namespace strata::engine {
using columnar::IsNullString;

namespace {

using internal::DoubleAt;
using internal::LongAt;
using internal::NewColumn;
using internal::NullAt;
using internal::SetNull;

// Copies row `src_row` of `src` into row `i` of `out` (same type family as out), or NULL.
void CopyCell(const columnar::Column& src, int64_t src_row, columnar::Column* out, int64_t i) {
  if (NullAt(src, src_row)) {
    if (out->type == ColumnType::kString) out->strings[i] = columnar::kNullString;
    else SetNull(out, i);
    return;
  }
  switch (out->type) {
    case ColumnType::kLong: out->longs[i] = LongAt(src, src_row); break;
    case ColumnType::kFloat:
    case ColumnType::kDouble: out->doubles[i] = DoubleAt(src, src_row); break;
    default: out->strings[i] = src.strings[src_row]; break;
  }
}

std::shared_ptr<columnar::Column> NewResult(const Expr& call, const std::vector<ColumnPtr>& sources, int64_t n) {
  auto out = NewColumn(call.type() == ColumnType::kFloat ? ColumnType::kFloat : call.type(), n);
  for (const auto& s : sources) out->ShareOwners(*s);
  return out;
}

// case_searched(cond1, value1, cond2, value2, ..., [else])
Result<ColumnPtr> CaseSearched(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  size_t pairs = args.size() / 2;
  bool has_else = args.size() % 2 == 1;
  auto out = NewResult(call, args, n);
  if (out->type != ColumnType::kLong && out->type != ColumnType::kDouble && out->type != ColumnType::kFloat &&
      out->type != ColumnType::kString) {
    return Status::Unsupported("CASE producing " + std::string(types::NativeTypeName(out->type)));
  }
  for (int64_t i = 0; i < n; ++i) {
    bool done = false;
    for (size_t p = 0; p < pairs; ++p) {
      const auto& cond = *args[2 * p];
      if (!NullAt(cond, i) && LongAt(cond, i) != 0) {
        CopyCell(*args[2 * p + 1], i, out.get(), i);
        done = true;
        break;
      }
    }
    if (done) continue;
    if (has_else) {
      CopyCell(*args.back(), i, out.get(), i);
    } else if (out->type == ColumnType::kString) {
      out->strings[i] = columnar::kNullString;
    } else {
      SetNull(out.get(), i);
    }
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> Coalesce(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewResult(call, args, n);
  for (int64_t i = 0; i < n; ++i) {
    size_t k = 0;
    while (k + 1 < args.size() && NullAt(*args[k], i)) ++k;
    CopyCell(*args[k], i, out.get(), i);
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> NullIf(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  const auto& b = *args[1];
  auto out = NewResult(call, args, n);
  for (int64_t i = 0; i < n; ++i) {
    bool equal = false;
    if (!NullAt(a, i) && !NullAt(b, i)) {
      if (a.type == ColumnType::kString && b.type == ColumnType::kString) equal = a.strings[i] == b.strings[i];
      else if (a.type == ColumnType::kString || b.type == ColumnType::kString) equal = internal::TextAt(a, i) == internal::TextAt(b, i);
      else equal = DoubleAt(a, i) == DoubleAt(b, i);
    }
    if (equal) {
      if (out->type == ColumnType::kString) out->strings[i] = columnar::kNullString;
      else SetNull(out.get(), i);
    } else {
      CopyCell(a, i, out.get(), i);
    }
  }
  return ColumnPtr(out);
}

}  // namespace

void RegisterConditionalFunctions() {
  RegisterFunction(FunctionDef{"case_searched", CaseSearched, nullptr, false});
  // Multi-value arguments map over their elements, like other scalar functions in Druid.
  RegisterFunction(FunctionDef{"coalesce", Coalesce, nullptr, false});
  RegisterFunction(FunctionDef{"nullif", NullIf, nullptr, false});
}

}  // namespace strata::engine
