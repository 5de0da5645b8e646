// Comparison, logical, null-test, IN and LIKE functions. All return BOOLEAN (LONG 0/1, NULL for
// unknown).
#include <algorithm>
#include <cmath>
#include <unordered_set>

#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"
#include "engine/like_matcher.h"

namespace strata::engine {
using columnar::IsNullString;

namespace {

using internal::DoubleAt;
using internal::LongAt;
using internal::NewBoolColumn;
using internal::NullAt;
using internal::SetNull;

enum class Cmp { kEq, kNe, kLt, kLe, kGt, kGe };

template <typename T>
inline bool Compare(Cmp op, const T& a, const T& b) {
  switch (op) {
    case Cmp::kEq: return a == b;
    case Cmp::kNe: return a != b;
    case Cmp::kLt: return a < b;
    case Cmp::kLe: return a <= b;
    case Cmp::kGt: return a > b;
    case Cmp::kGe: return a >= b;
  }
  return false;
}

Kernel Comparison(Cmp op) {
  return [op](const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) -> Result<ColumnPtr> {
    const auto& a = *args[0];
    const auto& b = *args[1];
    auto out = NewBoolColumn(n);
    bool a_str = a.type == ColumnType::kString, b_str = b.type == ColumnType::kString;
    if (a_str && b_str) {
      // Dictionary-encoded column against a literal: compare each distinct value once.
      if (a.dictionary && call.args()[1]->is_literal() && n > 0 && !IsNullString(b.strings[0])) {
        std::string_view lit = b.strings[0];
        const auto& values = a.dictionary->values;
        std::vector<int8_t> verdict(values.size());
        for (size_t d = 0; d < values.size(); ++d) {
          verdict[d] = IsNullString(values[d]) ? -1 : (Compare(op, values[d], lit) ? 1 : 0);
        }
        for (int64_t i = 0; i < n; ++i) {
          int8_t v = verdict[a.ids[i]];
          if (v < 0) SetNull(out.get(), i);
          else out->longs[i] = v;
        }
        return ColumnPtr(out);
      }
      for (int64_t i = 0; i < n; ++i) {
        std::string_view x = a.strings[i], y = b.strings[i];
        if (IsNullString(x) || IsNullString(y)) SetNull(out.get(), i);
        else out->longs[i] = Compare(op, x, y);
      }
      return ColumnPtr(out);
    }
    if (a.type == ColumnType::kLong && b.type == ColumnType::kLong) {
      bool nulls = a.has_nulls() || b.has_nulls();
      for (int64_t i = 0; i < n; ++i) {
        if (nulls && (NullAt(a, i) || NullAt(b, i))) SetNull(out.get(), i);
        else out->longs[i] = Compare(op, a.longs[i], b.longs[i]);
      }
      return ColumnPtr(out);
    }
    for (int64_t i = 0; i < n; ++i) {
      if (NullAt(a, i) || NullAt(b, i)) {
        SetNull(out.get(), i);
        continue;
      }
      if ((a_str && !internal::IsNumeric(b)) || (b_str && !internal::IsNumeric(a))) {
        out->longs[i] = Compare(op, internal::TextAt(a, i), internal::TextAt(b, i));
        continue;
      }
      // Mixed numeric (and numeric vs numeric string): compare as doubles; a string that is not
      // a number never matches.
      double x, y;
      bool ok = true;
      if (a_str) ok = types::ParseDoubleStrict(a.strings[i], &x);
      else x = DoubleAt(a, i);
      if (b_str) ok = ok && types::ParseDoubleStrict(b.strings[i], &y);
      else y = DoubleAt(b, i);
      if (!ok) {
        SetNull(out.get(), i);
        continue;
      }
      out->longs[i] = Compare(op, x, y);
    }
    return ColumnPtr(out);
  };
}

// IS [NOT] DISTINCT FROM: equality where NULL equals NULL; never NULL itself.
template <bool kDistinct>
Result<ColumnPtr> DistinctFrom(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext& ctx) {
  static const Kernel eq = Comparison(Cmp::kEq);
  ASSIGN_OR_RETURN(ColumnPtr equal, eq(call, args, n, ctx));
  auto out = NewBoolColumn(n);
  for (int64_t i = 0; i < n; ++i) {
    bool a_null = NullAt(*args[0], i), b_null = NullAt(*args[1], i);
    bool same = a_null || b_null ? a_null == b_null : (!NullAt(*equal, i) && equal->longs[i] != 0);
    out->longs[i] = kDistinct ? !same : same;
  }
  return ColumnPtr(out);
}

// AND / OR with three-valued logic over any number of arguments.
template <bool kAnd>
Result<ColumnPtr> Logical(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewBoolColumn(n);
  for (int64_t i = 0; i < n; ++i) {
    bool any_null = false;
    bool decided = false;
    for (const auto& a : args) {
      if (NullAt(*a, i)) {
        any_null = true;
        continue;
      }
      bool v = LongAt(*a, i) != 0;
      if (kAnd ? !v : v) {
        decided = true;
        break;
      }
    }
    if (decided) out->longs[i] = kAnd ? 0 : 1;
    else if (any_null) SetNull(out.get(), i);
    else out->longs[i] = kAnd ? 1 : 0;
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> Not(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewBoolColumn(n);
  const auto& a = *args[0];
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) SetNull(out.get(), i);
    else out->longs[i] = LongAt(a, i) == 0;
  }
  return ColumnPtr(out);
}

// IS NULL / IS NOT NULL / IS TRUE ... never return NULL.
enum class Test { kNull, kNotNull, kTrue, kFalse, kNotTrue, kNotFalse };

Kernel NullTest(Test t) {
  return [t](const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) -> Result<ColumnPtr> {
    auto out = NewBoolColumn(n);
    const auto& a = *args[0];
    for (int64_t i = 0; i < n; ++i) {
      bool null = NullAt(a, i);
      bool truth = !null && a.type != ColumnType::kString && DoubleAt(a, i) != 0;
      bool falsity = !null && !truth;
      switch (t) {
        case Test::kNull: out->longs[i] = null; break;
        case Test::kNotNull: out->longs[i] = !null; break;
        case Test::kTrue: out->longs[i] = truth; break;
        case Test::kFalse: out->longs[i] = falsity; break;
        case Test::kNotTrue: out->longs[i] = !truth; break;
        case Test::kNotFalse: out->longs[i] = !falsity; break;
      }
    }
    return ColumnPtr(out);
  };
}

// IN (literal list): the set is prepared once.
struct InSet {
  std::unordered_set<std::string> strings;
  std::unordered_set<int64_t> longs;
  std::vector<double> doubles;
  bool has_null = false;
};

Result<std::shared_ptr<const void>> PrepareIn(const std::vector<ExprPtr>& args) {
  auto set = std::make_shared<InSet>();
  for (size_t i = 1; i < args.size(); ++i) {
    if (!args[i]->is_literal()) return Status::Internal("IN list must hold literals");
    const types::Value& v = args[i]->literal();
    if (v.is_null()) {
      set->has_null = true;
    } else if (v.is_string()) {
      set->strings.insert(v.string_value());
      double d;
      if (types::ParseDoubleStrict(v.string_value(), &d)) set->doubles.push_back(d);
    } else if (v.is_long()) {
      set->longs.insert(v.long_value());
      set->doubles.push_back(static_cast<double>(v.long_value()));
      set->strings.insert(std::to_string(v.long_value()));
    } else if (v.is_double()) {
      set->doubles.push_back(v.double_value());
      if (v.double_value() == std::floor(v.double_value())) set->longs.insert(static_cast<int64_t>(v.double_value()));
      set->strings.insert(types::FormatDoubleJava(v.double_value()));
    }
  }
  return std::shared_ptr<const void>(set);
}

Result<ColumnPtr> In(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const InSet& set = *call.state<InSet>();
  const auto& a = *args[0];
  auto out = NewBoolColumn(n);
  auto miss = [&](int64_t i) {
    if (set.has_null) SetNull(out.get(), i);
    else out->longs[i] = 0;
  };
  if (a.type == ColumnType::kString && a.dictionary) {
    std::vector<int8_t> verdict(a.dictionary->values.size());
    for (size_t d = 0; d < verdict.size(); ++d) {
      std::string_view v = a.dictionary->values[d];
      verdict[d] = IsNullString(v) ? -1 : (set.strings.count(std::string(v)) ? 1 : 0);
    }
    for (int64_t i = 0; i < n; ++i) {
      int8_t v = verdict[a.ids[i]];
      if (v < 0) SetNull(out.get(), i);
      else if (v == 1) out->longs[i] = 1;
      else miss(i);
    }
    return ColumnPtr(out);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) {
      SetNull(out.get(), i);
      continue;
    }
    bool hit = false;
    if (a.type == ColumnType::kString) {
      hit = set.strings.count(std::string(a.strings[i])) > 0;
    } else if (a.type == ColumnType::kLong) {
      hit = set.longs.count(a.longs[i]) > 0;
      if (!hit) {
        double d = static_cast<double>(a.longs[i]);
        hit = std::find(set.doubles.begin(), set.doubles.end(), d) != set.doubles.end();
      }
    } else {
      double d = a.doubles[i];
      hit = std::find(set.doubles.begin(), set.doubles.end(), d) != set.doubles.end();
    }
    if (hit) out->longs[i] = 1;
    else miss(i);
  }
  return ColumnPtr(out);
}

Result<std::shared_ptr<const void>> PrepareLike(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || (args.size() > 2 && !args[2]->is_literal())) {
    return std::shared_ptr<const void>();  // dynamic pattern: compiled per row
  }
  const types::Value& pattern = args[1]->literal();
  if (pattern.is_null()) return std::shared_ptr<const void>();
  std::string escape = args.size() > 2 && args[2]->literal().is_string() ? args[2]->literal().string_value() : "";
  ASSIGN_OR_RETURN(LikeMatcher m, LikeMatcher::Compile(pattern.string_value(), escape));
  return std::shared_ptr<const void>(std::make_shared<LikeMatcher>(std::move(m)));
}

Result<ColumnPtr> Like(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewBoolColumn(n);
  const LikeMatcher* fixed = call.state<LikeMatcher>();
  if (fixed && a.dictionary) {
    std::vector<int8_t> verdict(a.dictionary->values.size());
    for (size_t d = 0; d < verdict.size(); ++d) {
      std::string_view v = a.dictionary->values[d];
      verdict[d] = IsNullString(v) ? -1 : fixed->Matches(v);
    }
    for (int64_t i = 0; i < n; ++i) {
      int8_t v = verdict[a.ids[i]];
      if (v < 0) SetNull(out.get(), i);
      else out->longs[i] = v;
    }
    return ColumnPtr(out);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || NullAt(*args[1], i)) {
      SetNull(out.get(), i);
      continue;
    }
    std::string text = a.type == ColumnType::kString ? std::string() : internal::TextAt(a, i);
    std::string_view s = a.type == ColumnType::kString ? a.strings[i] : std::string_view(text);
    if (fixed) {
      out->longs[i] = fixed->Matches(s);
      continue;
    }
    std::string escape = args.size() > 2 && !NullAt(*args[2], i) ? std::string(args[2]->strings[i]) : "";
    ASSIGN_OR_RETURN(LikeMatcher m, LikeMatcher::Compile(args[1]->strings[i], escape));
    out->longs[i] = m.Matches(s);
  }
  return ColumnPtr(out);
}

void Register(const char* name, Kernel kernel, bool handles_mv = false, Prepare prepare = nullptr) {
  RegisterFunction(FunctionDef{name, std::move(kernel), std::move(prepare), handles_mv});
}

}  // namespace

void RegisterComparisonFunctions() {
  Register("eq", Comparison(Cmp::kEq));
  Register("is_distinct_from", DistinctFrom<true>);
  Register("is_not_distinct_from", DistinctFrom<false>);
  Register("ne", Comparison(Cmp::kNe));
  Register("lt", Comparison(Cmp::kLt));
  Register("le", Comparison(Cmp::kLe));
  Register("gt", Comparison(Cmp::kGt));
  Register("ge", Comparison(Cmp::kGe));
  Register("and", Logical<true>);
  Register("or", Logical<false>);
  Register("not", Not);
  // Null tests see a multi-value row as one value (NULL when it has no elements).
  Register("is_null", NullTest(Test::kNull), true);
  Register("is_not_null", NullTest(Test::kNotNull), true);
  Register("is_true", NullTest(Test::kTrue));
  Register("is_false", NullTest(Test::kFalse));
  Register("is_not_true", NullTest(Test::kNotTrue));
  Register("is_not_false", NullTest(Test::kNotFalse));
  Register("in", In, false, PrepareIn);
  Register("like", Like, false, PrepareLike);
}

}  // namespace strata::engine
