#include "engine/expr.h"

#include <algorithm>

#include "engine/function_registry.h"
#include "types/number_format.h"

namespace strata::engine {

using columnar::Column;
using columnar::Frame;
using columnar::IsNullString;

ExprPtr Expr::Column(int index, ColumnType type, std::string name) {
  auto e = std::make_shared<Expr>();
  e->kind_ = Kind::kColumn;
  e->column_index_ = index;
  e->type_ = type;
  e->name_ = std::move(name);
  return e;
}

ExprPtr Expr::Literal(types::Value value, ColumnType type) {
  auto e = std::make_shared<Expr>();
  e->kind_ = Kind::kLiteral;
  e->literal_ = std::move(value);
  e->type_ = type;
  return e;
}

Result<ExprPtr> Expr::Call(const std::string& function, std::vector<ExprPtr> args, ColumnType type) {
  const FunctionDef* def = FindFunction(function);
  if (def == nullptr) return Status::Internal("unknown engine function [" + function + "]");
  auto e = std::make_shared<Expr>();
  e->kind_ = Kind::kCall;
  e->name_ = function;
  e->type_ = type;
  e->def_ = def;
  if (def->prepare) {
    ASSIGN_OR_RETURN(e->state_, def->prepare(args));
  }
  e->args_ = std::move(args);
  return ExprPtr(std::move(e));
}

bool Expr::IsConstant() const {
  if (kind_ == Kind::kColumn) return false;
  for (const auto& a : args_) {
    if (!a->IsConstant()) return false;
  }
  return true;
}

void Expr::CollectColumns(std::vector<int>* out) const {
  if (kind_ == Kind::kColumn) {
    if (std::find(out->begin(), out->end(), column_index_) == out->end()) out->push_back(column_index_);
    return;
  }
  for (const auto& a : args_) a->CollectColumns(out);
}

ExprPtr Expr::Remap(const std::vector<int>& mapping) const {
  auto e = std::make_shared<Expr>(*this);
  if (kind_ == Kind::kColumn) {
    e->column_index_ = mapping[column_index_];
    return e;
  }
  for (auto& a : e->args_) a = a->Remap(mapping);
  return e;
}

namespace {

// Evaluates `call` whose argument `mv_arg` is a multi-value string column by applying the kernel
// to each element (a row without elements contributes one NULL element).
Result<ColumnPtr> EvaluateOverElements(const Expr& call, std::vector<ColumnPtr> args, size_t mv_arg, int64_t num_rows,
                                       const EvalContext& ctx) {
  const Column& mv = *args[mv_arg];
  std::vector<uint32_t> row_of_element;
  auto flat = std::make_shared<Column>();
  flat->type = ColumnType::kString;
  flat->ShareOwners(mv);
  for (int64_t r = 0; r < num_rows; ++r) {
    uint32_t begin = mv.offsets[r], end = mv.offsets[r + 1];
    if (begin == end) {
      flat->strings.push_back(columnar::kNullString);
      row_of_element.push_back(static_cast<uint32_t>(r));
    }
    for (uint32_t e = begin; e < end; ++e) {
      flat->strings.push_back(mv.strings[e]);
      row_of_element.push_back(static_cast<uint32_t>(r));
    }
  }
  int64_t num_elements = static_cast<int64_t>(row_of_element.size());
  flat->num_rows = num_elements;
  for (size_t i = 0; i < args.size(); ++i) {
    args[i] = i == mv_arg ? ColumnPtr(flat) : columnar::Gather(*args[i], row_of_element);
  }
  ASSIGN_OR_RETURN(ColumnPtr result, call.function_def()->kernel(call, args, num_elements, ctx));
  const Column& res = *result;
  if (res.type == ColumnType::kString && !res.multi_value) {
    auto out = std::make_shared<Column>();
    out->type = ColumnType::kString;
    out->multi_value = true;
    out->num_rows = num_rows;
    out->ShareOwners(res);
    out->offsets.assign(num_rows + 1, 0);
    for (int64_t e = 0; e < num_elements; ++e) {
      if (!IsNullString(res.strings[e]) || mv.offsets[row_of_element[e] + 1] > mv.offsets[row_of_element[e]]) {
        out->strings.push_back(res.strings[e]);
        ++out->offsets[row_of_element[e] + 1];
      }
    }
    for (int64_t r = 0; r < num_rows; ++r) out->offsets[r + 1] += out->offsets[r];
    return ColumnPtr(out);
  }
  if (res.type == ColumnType::kLong) {
    // Predicates over multi-value inputs match when any element matches.
    auto out = std::make_shared<Column>();
    out->type = ColumnType::kLong;
    out->num_rows = num_rows;
    out->longs.assign(num_rows, 0);
    std::vector<uint8_t> seen_non_null(num_rows, 0);
    for (int64_t e = 0; e < num_elements; ++e) {
      uint32_t r = row_of_element[e];
      if (res.IsNull(e)) continue;
      seen_non_null[r] = 1;
      if (res.longs[e] != 0) out->longs[r] = res.longs[e];
    }
    bool any_null = false;
    for (int64_t r = 0; r < num_rows; ++r) any_null |= !seen_non_null[r];
    if (any_null) {
      out->nulls.assign(num_rows, 0);
      for (int64_t r = 0; r < num_rows; ++r) out->nulls[r] = (!seen_non_null[r] && out->longs[r] == 0) ? 1 : 0;
    }
    return ColumnPtr(out);
  }
  // Other result types: keep the first element's result per row.
  std::vector<uint32_t> first(num_rows, 0);
  for (int64_t e = num_elements - 1; e >= 0; --e) first[row_of_element[e]] = static_cast<uint32_t>(e);
  return columnar::Gather(res, first);
}

}  // namespace

Result<ColumnPtr> Expr::Evaluate(const Frame& frame, const EvalContext& ctx) const {
  switch (kind_) {
    case Kind::kColumn:
      if (column_index_ < 0 || column_index_ >= frame.num_columns()) {
        return Status::Internal("expression references missing column " + std::to_string(column_index_));
      }
      return frame.columns[column_index_];
    case Kind::kLiteral:
      return columnar::MakeConstantColumn(literal_, type_, frame.num_rows);
    case Kind::kCall: {
      std::vector<ColumnPtr> args;
      args.reserve(args_.size());
      for (const auto& a : args_) {
        ASSIGN_OR_RETURN(ColumnPtr c, a->Evaluate(frame, ctx));
        args.push_back(std::move(c));
      }
      if (!def_->handles_multi_value) {
        for (size_t i = 0; i < args.size(); ++i) {
          if (args[i]->multi_value) return EvaluateOverElements(*this, std::move(args), i, frame.num_rows, ctx);
        }
      }
      return def_->kernel(*this, args, frame.num_rows, ctx);
    }
  }
  return Status::Internal("bad expression kind");
}

Result<types::Value> Expr::EvaluateConstant(const EvalContext& ctx) const {
  Frame one;
  one.num_rows = 1;
  ASSIGN_OR_RETURN(ColumnPtr c, Evaluate(one, ctx));
  return columnar::GetValue(*c, 0);
}

std::string Expr::ToString() const {
  switch (kind_) {
    case Kind::kColumn:
      return "\"" + (name_.empty() ? "$" + std::to_string(column_index_) : name_) + "\"";
    case Kind::kLiteral:
      if (literal_.is_null()) return "null";
      if (literal_.is_string()) return "'" + literal_.string_value() + "'";
      if (literal_.is_double()) return types::FormatDoubleJava(literal_.double_value());
      return literal_.ToString();
    case Kind::kCall: {
      std::string out = name_ + "(";
      for (size_t i = 0; i < args_.size(); ++i) {
        if (i) out += ",";
        out += args_[i]->ToString();
      }
      return out + ")";
    }
  }
  return "?";
}

}  // namespace strata::engine
