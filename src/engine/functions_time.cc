// Time functions. The SQL binder always passes the session time zone (sqlTimeZone) as an explicit
// trailing literal argument, so kernels never depend on ambient state, and prepared state
// (granularity, pattern, zone) is built once per query.
#include <algorithm>
#include <cctype>

#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"
#include "types/granularity.h"
#include "types/interval.h"
#include "types/joda_format.h"
#include "types/period.h"

namespace strata::engine {
using columnar::IsNullString;

namespace {

using internal::LongAt;
using internal::NewColumn;
using internal::NullAt;
using internal::SetNull;
using internal::StringResult;
using types::Granularity;
using types::TimeZone;

std::string Upper(std::string s) {
  for (char& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

Result<TimeZone> ZoneArg(const std::vector<ExprPtr>& args, size_t index) {
  if (index >= args.size() || !args[index]->is_literal() || args[index]->literal().is_null()) return TimeZone::Utc();
  if (!args[index]->literal().is_string()) return Status::InvalidInput("time zone argument must be a string");
  return TimeZone::Find(args[index]->literal().string_value());
}

// Period of a SQL time unit name (SECOND .. YEAR, WEEK, QUARTER, MILLISECOND).
Result<types::Period> UnitPeriod(const std::string& unit_in) {
  std::string unit = Upper(unit_in);
  types::Period p;
  if (unit == "MILLISECOND" || unit == "MILLISECONDS") p.millis = 1;
  else if (unit == "SECOND" || unit == "SECONDS") p.seconds = 1;
  else if (unit == "MINUTE" || unit == "MINUTES") p.minutes = 1;
  else if (unit == "HOUR" || unit == "HOURS") p.hours = 1;
  else if (unit == "DAY" || unit == "DAYS") p.days = 1;
  else if (unit == "WEEK" || unit == "WEEKS") p.weeks = 1;
  else if (unit == "MONTH" || unit == "MONTHS") p.months = 1;
  else if (unit == "QUARTER" || unit == "QUARTERS") p.months = 3;
  else if (unit == "YEAR" || unit == "YEARS") p.years = 1;
  else if (unit == "DECADE") p.years = 10;
  else if (unit == "CENTURY") p.years = 100;
  else if (unit == "MILLENNIUM") p.years = 1000;
  else return Status::InvalidInput("Unsupported time unit [" + unit_in + "]");
  return p;
}

// --- time_floor(t, period, origin, tz) / time_ceil ---
Result<std::shared_ptr<const void>> PrepareFloor(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) {
    return Status::InvalidInput("TIME_FLOOR period must be a string literal");
  }
  ASSIGN_OR_RETURN(types::Period period, types::Period::Parse(args[1]->literal().string_value()));
  std::optional<int64_t> origin;
  if (args.size() > 2 && args[2]->is_literal() && !args[2]->literal().is_null()) origin = args[2]->literal().long_value();
  ASSIGN_OR_RETURN(TimeZone zone, ZoneArg(args, 3));
  return std::shared_ptr<const void>(std::make_shared<Granularity>(Granularity::OfPeriod(period, zone, origin)));
}

// --- floor_unit(t, unit, tz): FLOOR(t TO unit), DATE_TRUNC ---
Result<std::shared_ptr<const void>> PrepareUnitFloor(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) {
    return Status::InvalidInput("time unit must be a literal");
  }
  ASSIGN_OR_RETURN(types::Period period, UnitPeriod(args[1]->literal().string_value()));
  ASSIGN_OR_RETURN(TimeZone zone, ZoneArg(args, 2));
  return std::shared_ptr<const void>(std::make_shared<Granularity>(Granularity::OfPeriod(period, zone)));
}

template <bool kCeil>
Result<ColumnPtr> FloorKernel(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const Granularity& g = *call.state<Granularity>();
  const auto& t = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  bool nulls = t.has_nulls() || t.type != ColumnType::kLong;
  int64_t length = 0, phase = 0;
  if (!nulls && g.FixedBuckets(&length, &phase)) {
    // Buckets on a fixed grid: arithmetic over the whole column (instants far outside ETERNITY,
    // which Floor clamps, take the exact path).
    constexpr int64_t kSafe = int64_t{1} << 61;
    const int64_t* in = t.longs.data();
    int64_t* res = out->longs.data();
    for (int64_t i = 0; i < n; ++i) {
      int64_t v = in[i];
      if (v <= -kSafe || v >= kSafe) {
        res[i] = kCeil ? g.Ceil(v) : g.Floor(v);
        continue;
      }
      int64_t m = (v - phase) % length;
      if (m < 0) m += length;
      int64_t floor = v - m;
      res[i] = kCeil && m != 0 ? floor + length : floor;
    }
    return ColumnPtr(out);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (nulls && NullAt(t, i)) {
      SetNull(out.get(), i);
      continue;
    }
    int64_t v = LongAt(t, i);
    out->longs[i] = kCeil ? g.Ceil(v) : g.Floor(v);
  }
  return ColumnPtr(out);
}

// --- time_parse(s, pattern_or_null, tz) ---
struct ParseState {
  std::optional<types::JodaFormat> format;
  TimeZone zone;
};

Result<std::shared_ptr<const void>> PrepareParse(const std::vector<ExprPtr>& args) {
  auto state = std::make_shared<ParseState>();
  if (args.size() > 1 && args[1]->is_literal() && args[1]->literal().is_string()) {
    ASSIGN_OR_RETURN(types::JodaFormat f, types::JodaFormat::Compile(args[1]->literal().string_value()));
    state->format = std::move(f);
  }
  ASSIGN_OR_RETURN(state->zone, ZoneArg(args, 2));
  return std::shared_ptr<const void>(state);
}

Result<ColumnPtr> TimeParse(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const ParseState& st = *call.state<ParseState>();
  const auto& s = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  if (s.dictionary) {
    // Parse each distinct value once.
    const auto& values = s.dictionary->values;
    std::vector<int64_t> parsed(values.size());
    std::vector<uint8_t> ok(values.size());
    for (size_t d = 0; d < values.size(); ++d) {
      if (IsNullString(values[d])) continue;
      Result<int64_t> r = st.format ? st.format->Parse(values[d], st.zone) : types::ParseIso8601(values[d], st.zone);
      if (r.ok()) {
        parsed[d] = *r;
        ok[d] = 1;
      }
    }
    for (int64_t i = 0; i < n; ++i) {
      int32_t id = s.ids[i];
      if (ok[id]) out->longs[i] = parsed[id];
      else SetNull(out.get(), i);
    }
    return ColumnPtr(out);
  }
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(s, i)) {
      SetNull(out.get(), i);
      continue;
    }
    std::string text = s.type == ColumnType::kString ? std::string() : internal::TextAt(s, i);
    std::string_view v = s.type == ColumnType::kString ? s.strings[i] : std::string_view(text);
    Result<int64_t> r = st.format ? st.format->Parse(v, st.zone) : types::ParseIso8601(v, st.zone);
    if (r.ok()) out->longs[i] = *r;
    else SetNull(out.get(), i);
  }
  return ColumnPtr(out);
}

// --- time_format(t, pattern_or_null, tz) ---
Result<ColumnPtr> TimeFormat(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const ParseState& st = *call.state<ParseState>();
  const auto& t = *args[0];
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(t, i)) {
      out.SetNull(i);
      continue;
    }
    int64_t v = LongAt(t, i);
    out.Set(i, st.format ? st.format->Format(v, st.zone) : types::FormatIso8601(v, st.zone));
  }
  return out.Finish();
}

// --- time_shift(t, period, step, tz) ---
struct ShiftState {
  types::Period period;
  TimeZone zone;
};

Result<std::shared_ptr<const void>> PrepareShift(const std::vector<ExprPtr>& args) {
  if (args.size() < 3 || !args[1]->is_literal() || !args[1]->literal().is_string()) {
    return Status::InvalidInput("TIME_SHIFT period must be a string literal");
  }
  auto st = std::make_shared<ShiftState>();
  ASSIGN_OR_RETURN(st->period, types::Period::Parse(args[1]->literal().string_value()));
  ASSIGN_OR_RETURN(st->zone, ZoneArg(args, 3));
  return std::shared_ptr<const void>(st);
}

Result<ColumnPtr> TimeShift(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const ShiftState& st = *call.state<ShiftState>();
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i) || NullAt(*args[2], i)) {
      SetNull(out.get(), i);
      continue;
    }
    out->longs[i] = types::AddPeriod(LongAt(*args[0], i), st.period, LongAt(*args[2], i), st.zone);
  }
  return ColumnPtr(out);
}

// --- timestampadd(unit, count, t, tz) ---
struct UnitState {
  std::string unit;
  types::Period period;
  TimeZone zone;
};

Result<std::shared_ptr<const void>> PrepareUnitFirst(const std::vector<ExprPtr>& args) {
  if (args.empty() || !args[0]->is_literal() || !args[0]->literal().is_string()) {
    return Status::InvalidInput("time unit must be a literal");
  }
  auto st = std::make_shared<UnitState>();
  st->unit = Upper(args[0]->literal().string_value());
  ASSIGN_OR_RETURN(st->period, UnitPeriod(st->unit));
  ASSIGN_OR_RETURN(st->zone, ZoneArg(args, 3));
  return std::shared_ptr<const void>(st);
}

Result<ColumnPtr> TimestampAdd(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const UnitState& st = *call.state<UnitState>();
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[1], i) || NullAt(*args[2], i)) {
      SetNull(out.get(), i);
      continue;
    }
    out->longs[i] = types::AddPeriod(LongAt(*args[2], i), st.period, LongAt(*args[1], i), st.zone);
  }
  return ColumnPtr(out);
}

// Whole units between t1 and t2 (negative when t2 < t1), as Calcite's TIMESTAMPDIFF.
int64_t UnitsBetween(const UnitState& st, int64_t t1, int64_t t2) {
  const types::Period& p = st.period;
  if (p.years == 0 && p.months == 0) {
    int64_t len = p.FixedMillis();
    return (t2 - t1) / len;
  }
  int64_t months_per_unit = p.years * 12 + p.months;
  types::CivilTime a = types::ToCivilUtc(st.zone.ToLocal(t1));
  types::CivilTime b = types::ToCivilUtc(st.zone.ToLocal(t2));
  int64_t months = (b.year - a.year) * 12 + (b.month - a.month);
  // Step back one month if the day/time of month in t2 has not reached t1's.
  int64_t a_rest = ((a.day * 24 + a.hour) * 60 + a.minute) * 60000LL + a.second * 1000LL + a.millis;
  int64_t b_rest = ((b.day * 24 + b.hour) * 60 + b.minute) * 60000LL + b.second * 1000LL + b.millis;
  if (months > 0 && b_rest < a_rest) --months;
  if (months < 0 && b_rest > a_rest) ++months;
  return months / months_per_unit;
}

Result<ColumnPtr> TimestampDiff(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const UnitState& st = *call.state<UnitState>();
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[1], i) || NullAt(*args[2], i)) {
      SetNull(out.get(), i);
      continue;
    }
    out->longs[i] = UnitsBetween(st, LongAt(*args[1], i), LongAt(*args[2], i));
  }
  return ColumnPtr(out);
}

// --- time_extract(t, unit, tz) ---
struct ExtractState {
  std::string unit;
  TimeZone zone;
};

Result<std::shared_ptr<const void>> PrepareExtract(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) {
    return Status::InvalidInput("EXTRACT unit must be a literal");
  }
  auto st = std::make_shared<ExtractState>();
  st->unit = Upper(args[1]->literal().string_value());
  static const char* kUnits[] = {"EPOCH", "MILLISECOND", "MICROSECOND", "SECOND", "MINUTE", "HOUR", "DAY", "DOW",
                                 "ISODOW", "DOY", "WEEK", "MONTH", "QUARTER", "YEAR", "ISOYEAR", "DECADE",
                                 "CENTURY", "MILLENNIUM"};
  if (std::find(std::begin(kUnits), std::end(kUnits), st->unit) == std::end(kUnits)) {
    return Status::InvalidInput("Unsupported time unit [" + args[1]->literal().string_value() + "] for EXTRACT");
  }
  ASSIGN_OR_RETURN(st->zone, ZoneArg(args, 2));
  return std::shared_ptr<const void>(st);
}

int64_t ExtractField(const std::string& unit, int64_t t, const TimeZone& zone) {
  int64_t local = zone.ToLocal(t);
  types::CivilTime c = types::ToCivilUtc(local);
  int64_t days = types::FloorDiv(local, types::kMillisPerDay);
  int dow = static_cast<int>(types::FloorMod(days + 3, 7)) + 1;  // 1 = Monday
  if (unit == "EPOCH") return types::FloorDiv(t, 1000);
  // Druid's fields (Joda's): the millisecond within the second, Monday-based days of the week
  // (Sunday is 7, for DOW too), and ISOYEAR as the calendar year.
  if (unit == "MILLISECOND") return c.millis;
  if (unit == "MICROSECOND") return c.millis * 1000LL;
  if (unit == "SECOND") return c.second;
  if (unit == "MINUTE") return c.minute;
  if (unit == "HOUR") return c.hour;
  if (unit == "DAY") return c.day;
  if (unit == "DOW" || unit == "ISODOW") return dow;
  if (unit == "DOY") return days - types::DaysFromCivil(c.year, 1, 1) + 1;
  if (unit == "MONTH") return c.month;
  if (unit == "QUARTER") return (c.month - 1) / 3 + 1;
  if (unit == "YEAR") return c.year;
  if (unit == "DECADE") return types::FloorDiv(c.year, 10);
  if (unit == "CENTURY") return c.year > 0 ? (c.year + 99) / 100 : -((-c.year + 99) / 100);
  if (unit == "MILLENNIUM") return c.year > 0 ? (c.year + 999) / 1000 : -((-c.year + 999) / 1000);
  // ISO week and ISO year: the week containing Thursday.
  int64_t thursday = days - (dow - 1) + 3;
  types::CivilTime th;
  types::CivilFromDays(thursday, &th);
  if (unit == "ISOYEAR") return c.year;
  int64_t first_thursday_week = (thursday - types::DaysFromCivil(th.year, 1, 1)) / 7 + 1;
  return first_thursday_week;  // WEEK
}

Result<ColumnPtr> TimeExtract(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const ExtractState& st = *call.state<ExtractState>();
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) SetNull(out.get(), i);
    else out->longs[i] = ExtractField(st.unit, LongAt(*args[0], i), st.zone);
  }
  return ColumnPtr(out);
}

// --- string_to_timestamp(s, tz) / string_to_date(s, tz) ---
Result<std::shared_ptr<const void>> PrepareZoneAt1(const std::vector<ExprPtr>& args) {
  ASSIGN_OR_RETURN(TimeZone zone, ZoneArg(args, 1));
  return std::shared_ptr<const void>(std::make_shared<TimeZone>(zone));
}

template <bool kDate>
Result<ColumnPtr> StringToTimestamp(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const TimeZone& zone = *call.state<TimeZone>();
  const auto& s = *args[0];
  auto out = NewColumn(ColumnType::kLong, n);
  Granularity day = Granularity::OfPeriod(types::Period{0, 0, 0, 1, 0, 0, 0, 0}, zone);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(s, i)) {
      SetNull(out.get(), i);
      continue;
    }
    Result<int64_t> r = types::ParseSqlTimestamp(s.strings[i], zone);
    if (!r.ok()) r = types::ParseIso8601(s.strings[i], zone);
    if (!r.ok()) {
      SetNull(out.get(), i);
      continue;
    }
    out->longs[i] = kDate ? day.Floor(*r) : *r;
  }
  return ColumnPtr(out);
}

template <bool kDate>
Result<ColumnPtr> TimestampToString(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const TimeZone& zone = *call.state<TimeZone>();
  StringResult out(n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) out.SetNull(i);
    else if (kDate) out.Set(i, types::FormatSqlDate(LongAt(*args[0], i), zone));
    else out.Set(i, types::FormatSqlTimestamp(types::FloorDiv(LongAt(*args[0], i), 1000) * 1000, zone));  // Druid's 'yyyy-MM-dd HH:mm:ss'
  }
  return out.Finish();
}

// --- time_in_interval(t, 'interval') ---
Result<std::shared_ptr<const void>> PrepareInterval(const std::vector<ExprPtr>& args) {
  if (args.size() < 2 || !args[1]->is_literal() || !args[1]->literal().is_string()) {
    return Status::InvalidInput("TIME_IN_INTERVAL interval must be a string literal");
  }
  ASSIGN_OR_RETURN(types::Interval iv, types::Interval::Parse(args[1]->literal().string_value()));
  return std::shared_ptr<const void>(std::make_shared<types::Interval>(iv));
}

Result<ColumnPtr> TimeInInterval(const Expr& call, const std::vector<ColumnPtr>& args, int64_t n, const EvalContext&) {
  const types::Interval& iv = *call.state<types::Interval>();
  auto out = NewColumn(ColumnType::kLong, n);
  for (int64_t i = 0; i < n; ++i) {
    if (NullAt(*args[0], i)) SetNull(out.get(), i);
    else out->longs[i] = iv.Contains(LongAt(*args[0], i));
  }
  return ColumnPtr(out);
}

void Register(const char* name, Kernel kernel, Prepare prepare) {
  RegisterFunction(FunctionDef{name, std::move(kernel), std::move(prepare), false});
}

}  // namespace

void RegisterTimeFunctions() {
  Register("time_floor", FloorKernel<false>, PrepareFloor);
  Register("time_ceil", FloorKernel<true>, PrepareFloor);
  Register("floor_unit", FloorKernel<false>, PrepareUnitFloor);
  Register("ceil_unit", FloorKernel<true>, PrepareUnitFloor);
  Register("time_parse", TimeParse, PrepareParse);
  Register("time_format", TimeFormat, PrepareParse);
  Register("time_shift", TimeShift, PrepareShift);
  Register("timestampadd", TimestampAdd, PrepareUnitFirst);
  Register("timestampdiff", TimestampDiff, PrepareUnitFirst);
  Register("time_extract", TimeExtract, PrepareExtract);
  Register("string_to_timestamp", StringToTimestamp<false>, PrepareZoneAt1);
  Register("string_to_date", StringToTimestamp<true>, PrepareZoneAt1);
  Register("timestamp_to_string", TimestampToString<false>, PrepareZoneAt1);
  Register("date_to_string", TimestampToString<true>, PrepareZoneAt1);
  Register("time_in_interval", TimeInInterval, PrepareInterval);
}

}  // namespace strata::engine
