// Arithmetic, math, bitwise and cast functions.
#include <cctype>
#include <cmath>
#include <cstring>
#include <limits>

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

// Binary numeric kernel: LONG result -> long_op on longs; DOUBLE/FLOAT result -> double_op.
// `long_op` may return false to produce NULL (e.g. division by zero).
template <typename LongOp, typename DoubleOp>
Kernel BinaryNumeric(LongOp long_op, DoubleOp double_op) {
  return [long_op, double_op](const Expr& call, const std::vector<ColumnPtr>& args, int64_t n,
                              const EvalContext&) -> Result<ColumnPtr> {
    const auto& a = *args[0];
    const auto& b = *args[1];
    auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
    if (call.type() == ColumnType::kFloat) out->type = ColumnType::kFloat;
    bool may_null = a.has_nulls() || b.has_nulls() || !internal::IsNumeric(a) || !internal::IsNumeric(b);
    if (out->type == ColumnType::kLong) {
      if (a.type == ColumnType::kLong && b.type == ColumnType::kLong && !may_null) {
        for (int64_t i = 0; i < n; ++i) {
          if (!long_op(a.longs[i], b.longs[i], &out->longs[i])) SetNull(out.get(), i);
        }
        return ColumnPtr(out);
      }
      for (int64_t i = 0; i < n; ++i) {
        if (NullAt(a, i) || NullAt(b, i) || !long_op(LongAt(a, i), LongAt(b, i), &out->longs[i])) SetNull(out.get(), i);
      }
      return ColumnPtr(out);
    }
    if (!may_null && a.type != ColumnType::kLong && b.type != ColumnType::kLong) {
      for (int64_t i = 0; i < n; ++i) out->doubles[i] = double_op(a.doubles[i], b.doubles[i]);
    } else {
      for (int64_t i = 0; i < n; ++i) {
        if (NullAt(a, i) || NullAt(b, i)) {
          SetNull(out.get(), i);
        } else {
          out->doubles[i] = double_op(DoubleAt(a, i), DoubleAt(b, i));
        }
      }
    }
    if (out->type == ColumnType::kFloat) {
      for (double& d : out->doubles) d = static_cast<float>(d);
    }
    return ColumnPtr(out);
  };
}


template <typename LongOp, typename DoubleOp>
Kernel UnaryNumeric(LongOp long_op, DoubleOp double_op) {
  return [long_op, double_op](const Expr& call, const std::vector<ColumnPtr>& args, int64_t n,
                              const EvalContext&) -> Result<ColumnPtr> {
    const auto& a = *args[0];
    auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
    if (call.type() == ColumnType::kFloat) out->type = ColumnType::kFloat;
    for (int64_t i = 0; i < n; ++i) {
      if (NullAt(a, i)) {
        SetNull(out.get(), i);
        continue;
      }
      if (out->type == ColumnType::kLong) {
        out->longs[i] = long_op(LongAt(a, i));
      } else {
        double v = double_op(DoubleAt(a, i));
        out->doubles[i] = out->type == ColumnType::kFloat ? static_cast<float>(v) : v;
      }
    }
    return ColumnPtr(out);
  };
}

// Double-only unary math (result DOUBLE).
template <typename Op>
Kernel UnaryDouble(Op op) {
  return [op](const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) -> Result<ColumnPtr> {
    const auto& a = *args[0];
    auto out = NewColumn(ColumnType::kDouble, n);
    for (int64_t i = 0; i < n; ++i) {
      if (NullAt(a, i)) SetNull(out.get(), i);
      else out->doubles[i] = op(DoubleAt(a, i));
    }
    return ColumnPtr(out);
  };
}

int64_t JavaLongFromDouble(double d) {
  if (std::isnan(d)) return 0;
  if (d >= 9.2233720368547758e18) return std::numeric_limits<int64_t>::max();
  if (d <= -9.2233720368547758e18) return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(d);
}

Result<ColumnPtr> CastLong(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  if (a.type == ColumnType::kLong) return args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) {
      SetNull(out.get(), i);
      continue;
    }
    if (a.type == ColumnType::kDouble || a.type == ColumnType::kFloat) {
      out->longs[i] = JavaLongFromDouble(a.doubles[i]);
      continue;
    }
    std::string_view s = a.strings[i];
    int64_t v = 0;
    double d = 0;
    if (types::ParseLongStrict(s, &v)) out->longs[i] = v;
    else if (types::ParseDoubleStrict(s, &d)) out->longs[i] = JavaLongFromDouble(d);
    else SetNull(out.get(), i);
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> CastDouble(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  ColumnType target = call.type() == ColumnType::kFloat ? ColumnType::kFloat : ColumnType::kDouble;
  if (a.type == target) return args[0];
  auto out = NewColumn(target, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) {
      SetNull(out.get(), i);
      continue;
    }
    double v = 0;
    if (a.type == ColumnType::kLong) v = static_cast<double>(a.longs[i]);
    else if (a.type == ColumnType::kDouble || a.type == ColumnType::kFloat) v = a.doubles[i];
    else if (!types::ParseDoubleStrict(a.strings[i], &v)) {
      SetNull(out.get(), i);
      continue;
    }
    out->doubles[i] = target == ColumnType::kFloat ? static_cast<float>(v) : v;
  }
  if (a.has_nulls() && out->nulls.empty()) out->nulls = a.nulls;
  return ColumnPtr(out);
}

Result<ColumnPtr> CastString(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  if (a.type == ColumnType::kString) return args[0];
  internal::StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) out.SetNull(i);
    else out.Set(i, internal::TextAt(a, i));
  }
  return out.Finish();
}

// BOOLEAN (LONG 0/1) to 'true'/'false'.
Result<ColumnPtr> BoolToString(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  internal::StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) out.SetNull(i);
    else out.SetView(i, LongAt(a, i) != 0 ? std::string_view("true") : std::string_view("false"));
  }
  return out.Finish();
}

// Numeric/string to BOOLEAN: non-zero numbers and 'true' (any case) are true.
Result<ColumnPtr> CastBoolean(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i)) {
      SetNull(out.get(), i);
    } else if (a.type == ColumnType::kString) {
      // 'true'/'false' (any case) and numbers; anything else (like '') is NULL.
      std::string lower(a.strings[i]);
      for (char& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
      double d = 0;
      if (lower == "true") out->longs[i] = 1;
      else if (lower == "false") out->longs[i] = 0;
      else if (types::ParseDoubleStrict(lower, &d)) out->longs[i] = d != 0;
      else SetNull(out.get(), i);
    } else {
      out->longs[i] = DoubleAt(a, i) != 0;
    }
  }
  return ColumnPtr(out);
}

// ROUND(x[, digits]) with HALF_UP like Java's BigDecimal rounding Druid uses.
Result<ColumnPtr> Round(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || (args.size() > 1 && NullAt(*args[1], i))) {
      SetNull(out.get(), i);
      continue;
    }
    int64_t digits = args.size() > 1 ? LongAt(*args[1], i) : 0;
    if (out->type == ColumnType::kLong) {
      int64_t v = LongAt(a, i);
      if (digits >= 0) {
        out->longs[i] = v;
      } else {
        double scale = std::pow(10.0, static_cast<double>(-digits));
        out->longs[i] = static_cast<int64_t>(std::round(static_cast<double>(v) / scale) * scale);
      }
    } else {
      double v = DoubleAt(a, i);
      if (!std::isfinite(v)) {
        out->doubles[i] = v;
        continue;
      }
      double scale = std::pow(10.0, static_cast<double>(digits));
      double r = std::round(v * scale) / scale;
      out->doubles[i] = r;
    }
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> Truncate(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const auto& a = *args[0];
  auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(a, i) || (args.size() > 1 && NullAt(*args[1], i))) {
      SetNull(out.get(), i);
      continue;
    }
    int64_t digits = args.size() > 1 ? LongAt(*args[1], i) : 0;
    if (out->type == ColumnType::kLong) {
      int64_t v = LongAt(a, i);
      if (digits < 0) {
        int64_t scale = 1;
        for (int64_t d = 0; d < -digits && scale < INT64_MAX / 10; ++d) scale *= 10;
        v = (v / scale) * scale;
      }
      out->longs[i] = v;
    } else {
      double scale = std::pow(10.0, static_cast<double>(digits));
      out->doubles[i] = std::trunc(DoubleAt(a, i) * scale) / scale;
    }
  }
  return ColumnPtr(out);
}

// GREATEST / LEAST over any number of arguments of the call's type; NULLs are skipped (Druid).
template <bool kGreatest>
Result<ColumnPtr> Extreme(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  if (call.type() == ColumnType::kString) {
    internal::StringResult out(n);
    for (const auto& a : args) out.ShareOwners(*a);
    for (int64_t i = 0; i < n; ++i) {
      std::string_view best = columnar::kNullString;
      for (const auto& a : args) {
        if (NullAt(*a, i)) continue;
        std::string_view s = a->strings[i];
        if (IsNullString(best) || (kGreatest ? s > best : s < best)) best = s;
      }
      out.SetView(i, best);
    }
    return out.Finish();
  }
  auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
  for (int64_t i = 0; i < n; ++i) {
    bool found = false;
    for (const auto& a : args) {
      if (NullAt(*a, i)) continue;
      if (out->type == ColumnType::kLong) {
        int64_t v = LongAt(*a, i);
        if (!found || (kGreatest ? v > out->longs[i] : v < out->longs[i])) out->longs[i] = v;
      } else {
        double v = DoubleAt(*a, i);
        if (!found || (kGreatest ? v > out->doubles[i] : v < out->doubles[i])) out->doubles[i] = v;
      }
      found = true;
    }
    if (!found) SetNull(out.get(), i);
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> DoubleToLongBits(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) {
      SetNull(out.get(), i);
      continue;
    }
    double d = DoubleAt(*args[0], i);
    std::memcpy(&out->longs[i], &d, 8);
  }
  return ColumnPtr(out);
}

Result<ColumnPtr> LongBitsToDouble(const Expr&, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  auto out = NewColumn(ColumnType::kDouble, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) {
      SetNull(out.get(), i);
      continue;
    }
    int64_t v = LongAt(*args[0], i);
    std::memcpy(&out->doubles[i], &v, 8);
  }
  return ColumnPtr(out);
}

void Register(const char* name, Kernel kernel) { RegisterFunction(FunctionDef{name, std::move(kernel), nullptr, false}); }

}  // namespace

void RegisterArithmeticFunctions() {
  Register("add", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = static_cast<int64_t>(static_cast<uint64_t>(a) + static_cast<uint64_t>(b)); return true; },
                                [](double a, double b) { return a + b; }));
  Register("subtract", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = static_cast<int64_t>(static_cast<uint64_t>(a) - static_cast<uint64_t>(b)); return true; },
                                     [](double a, double b) { return a - b; }));
  Register("multiply", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = static_cast<int64_t>(static_cast<uint64_t>(a) * static_cast<uint64_t>(b)); return true; },
                                     [](double a, double b) { return a * b; }));
  // Integer division by zero is NULL (Java would throw); double division follows IEEE.
  Register("divide", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) {
                                     if (b == 0) return false;
                                     *r = (a == INT64_MIN && b == -1) ? a : a / b;
                                     return true;
                                   },
                                   [](double a, double b) { return a / b; }));
  Register("div", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) {
                                  if (b == 0) return false;
                                  *r = (a == INT64_MIN && b == -1) ? a : a / b;
                                  return true;
                                },
                                [](double a, double b) { return std::trunc(a / b); }));
  Register("modulo", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) {
                                     if (b == 0) return false;
                                     *r = (b == -1) ? 0 : a % b;
                                     return true;
                                   },
                                   [](double a, double b) { return std::fmod(a, b); }));
  Register("safe_divide", [](const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext& ctx) -> Result<ColumnPtr> {
    // SAFE_DIVIDE: x / 0 is NULL, except 0 / 0 which is 0 (Druid).
    auto out = NewColumn(call.type() == ColumnType::kLong ? ColumnType::kLong : ColumnType::kDouble, n);
    const auto& a = *args[0];
    const auto& b = *args[1];
    (void)ctx;
    for (int64_t i = 0; i < n; ++i) {
      if (NullAt(a, i) || NullAt(b, i)) {
        SetNull(out.get(), i);
        continue;
      }
      if (DoubleAt(b, i) == 0) {
        if (DoubleAt(a, i) != 0) {
          SetNull(out.get(), i);
        } else if (out->type == ColumnType::kLong) {
          out->longs[i] = 0;
        } else {
          out->doubles[i] = 0;
        }
        continue;
      }
      if (out->type == ColumnType::kLong) out->longs[i] = LongAt(a, i) / LongAt(b, i);
      else out->doubles[i] = DoubleAt(a, i) / DoubleAt(b, i);
    }
    return ColumnPtr(out);
  });
  Register("power", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) {
                                    int64_t result = 1;
                                    for (int64_t k = 0; k < b && k < 64; ++k) result *= a;
                                    *r = b < 0 ? 0 : result;
                                    return true;
                                  },
                                  [](double a, double b) { return std::pow(a, b); }));
  Register("negate", UnaryNumeric([](int64_t a) { return static_cast<int64_t>(0 - static_cast<uint64_t>(a)); },
                                  [](double a) { return -a; }));
  Register("abs", UnaryNumeric([](int64_t a) { return a < 0 ? static_cast<int64_t>(0 - static_cast<uint64_t>(a)) : a; }, [](double a) { return std::fabs(a); }));
  Register("ceil", UnaryNumeric([](int64_t a) { return a; }, [](double a) { return std::ceil(a); }));
  Register("floor", UnaryNumeric([](int64_t a) { return a; }, [](double a) { return std::floor(a); }));
  Register("sqrt", UnaryDouble([](double a) { return std::sqrt(a); }));
  Register("exp", UnaryDouble([](double a) { return std::exp(a); }));
  Register("ln", UnaryDouble([](double a) { return std::log(a); }));
  Register("log10", UnaryDouble([](double a) { return std::log10(a); }));
  Register("sin", UnaryDouble([](double a) { return std::sin(a); }));
  Register("cos", UnaryDouble([](double a) { return std::cos(a); }));
  Register("tan", UnaryDouble([](double a) { return std::tan(a); }));
  Register("cot", UnaryDouble([](double a) { return 1.0 / std::tan(a); }));
  Register("asin", UnaryDouble([](double a) { return std::asin(a); }));
  Register("acos", UnaryDouble([](double a) { return std::acos(a); }));
  Register("atan", UnaryDouble([](double a) { return std::atan(a); }));
  Register("degrees", UnaryDouble([](double a) { return a * 180.0 / M_PI; }));
  Register("radians", UnaryDouble([](double a) { return a * M_PI / 180.0; }));
  Register("atan2", BinaryNumeric([](int64_t, int64_t, int64_t*) { return false; },
                                  [](double a, double b) { return std::atan2(a, b); }));
  Register("round", Round);
  Register("truncate", Truncate);
  Register("greatest", Extreme<true>);
  Register("least", Extreme<false>);
  Register("bitwise_and", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = a & b; return true; },
                                        [](double, double) { return 0.0; }));
  Register("bitwise_or", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = a | b; return true; },
                                       [](double, double) { return 0.0; }));
  Register("bitwise_xor", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = a ^ b; return true; },
                                        [](double, double) { return 0.0; }));
  Register("bitwise_shift_left", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = static_cast<int64_t>(static_cast<uint64_t>(a) << (b & 63)); return true; },
                                               [](double, double) { return 0.0; }));
  Register("bitwise_shift_right", BinaryNumeric([](int64_t a, int64_t b, int64_t* r) { *r = a >> (b & 63); return true; },
                                                [](double, double) { return 0.0; }));
  Register("bitwise_complement", UnaryNumeric([](int64_t a) { return ~a; }, [](double) { return 0.0; }));
  Register("bitwise_convert_double_to_long_bits", DoubleToLongBits);
  Register("bitwise_convert_long_bits_to_double", LongBitsToDouble);
  Register("cast_long", CastLong);
  Register("cast_double", CastDouble);
  Register("cast_string", CastString);
  Register("cast_boolean", CastBoolean);
  Register("bool_to_string", BoolToString);
}

}  // namespace strata::engine
