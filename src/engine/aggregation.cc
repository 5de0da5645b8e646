#include "engine/aggregation.h"

#include <algorithm>
#include <cstring>
#include <limits>

#include "base/arena.h"
#include "engine/hll.h"
#include "engine/sort.h"
#include "engine/internal/kernel_util.h"

namespace strata::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::Frame;
using columnar::IsNullString;
using internal::DoubleAt;
using internal::LongAt;
using internal::NullAt;

ColumnType AggregatorSpec::IntermediateType(int i) const {
  switch (kind) {
    case AggregatorKind::kCount: return ColumnType::kLong;
    case AggregatorKind::kArrayAgg:
    case AggregatorKind::kStringAgg:
    case AggregatorKind::kCountDistinct: return types::ArrayOf(input_type);
    case AggregatorKind::kApproxDistinct:
    case AggregatorKind::kSketch: return ColumnType::kComplex;
    case AggregatorKind::kEarliest:
    case AggregatorKind::kLatest: return i == 0 ? result_type : ColumnType::kLong;
    default: return result_type;
  }
}

std::string AggregatorSpec::ToJson(const std::vector<std::string>& input_names) const {
  auto field = [&](int idx) { return idx >= 0 && idx < static_cast<int>(input_names.size()) ? input_names[idx] : std::string(); };
  std::string prefix = result_type == ColumnType::kLong ? "long" : (result_type == ColumnType::kFloat ? "float" : (result_type == ColumnType::kString ? "string" : "double"));
  std::string type;
  switch (kind) {
    case AggregatorKind::kCount: type = "count"; break;
    case AggregatorKind::kSum: type = prefix + "Sum"; break;
    case AggregatorKind::kMin: type = prefix + "Min"; break;
    case AggregatorKind::kMax: type = prefix + "Max"; break;
    case AggregatorKind::kEarliest: type = prefix + "First"; break;
    case AggregatorKind::kLatest: type = prefix + "Last"; break;
    case AggregatorKind::kAnyValue: type = prefix + "Any"; break;
    case AggregatorKind::kApproxDistinct:
    case AggregatorKind::kSketch: type = "hyperUnique"; break;
    case AggregatorKind::kArrayAgg: type = distinct ? "arrayAggDistinct" : "arrayAgg"; break;
    case AggregatorKind::kStringAgg: type = distinct ? "stringAggDistinct" : "stringAgg"; break;
    case AggregatorKind::kCountDistinct: type = "distinctCount"; break;
    case AggregatorKind::kBitAnd: type = "bitAnd"; break;
    case AggregatorKind::kBitOr: type = "bitOr"; break;
    case AggregatorKind::kBitXor: type = "bitXor"; break;
  }
  std::string out = "{\"type\":\"" + type + "\",\"name\":\"" + name + "\"";
  if (input >= 0) out += ",\"fieldName\":\"" + field(input) + "\"";
  return out + "}";
}

// ---------------------------------------------------------------------------------------------
// Accumulators

class Accumulator {
 public:
  virtual ~Accumulator() = default;
  virtual void Resize(size_t groups) = 0;
  /// Raw rows; `mask` (may be null) selects rows that count.
  virtual Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) = 0;
  /// Intermediate rows starting at column `first`.
  virtual Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) = 0;
  virtual void Emit(bool final, size_t begin, size_t end, std::vector<ColumnPtr>* out) const = 0;
  /// Applies updates an accumulator deferred (called before Emit).
  virtual void Flush() {}
  virtual int64_t memory_bytes() const = 0;
  explicit Accumulator(const AggregatorSpec& spec) : spec_(spec) {}

 protected:
  const AggregatorSpec spec_;
};

namespace {

std::shared_ptr<Column> NumericColumn(ColumnType type, size_t n) {
  auto c = std::make_shared<Column>();
  c->type = type;
  c->num_rows = static_cast<int64_t>(n);
  if (type == ColumnType::kLong) c->longs.resize(n);
  else c->doubles.resize(n);
  return c;
}

class CountAccumulator : public Accumulator {
 public:
  using Accumulator::Accumulator;
  void Resize(size_t g) override { counts_.resize(g, 0); }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    if (spec_.input < 0) {
      if (!mask && counts_.size() == 1) {  // one group: every row is in it
        counts_[0] += n;
        return Status::OK();
      }
      if (!mask) {
        for (int64_t i = 0; i < n; ++i) ++counts_[groups[i]];
      } else {
        for (int64_t i = 0; i < n; ++i) counts_[groups[i]] += mask[i];
      }
      return Status::OK();
    }
    const Column& c = f.column(spec_.input);
    for (int64_t i = 0; i < n; ++i) {
      if ((!mask || mask[i]) && !c.IsNull(i)) ++counts_[groups[i]];
    }
    return Status::OK();
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    const Column& c = f.column(first);
    for (int64_t i = 0; i < n; ++i) counts_[groups[i]] += c.longs[i];
    return Status::OK();
  }
  void Emit(bool, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    auto c = NumericColumn(ColumnType::kLong, end - begin);
    std::copy(counts_.begin() + begin, counts_.begin() + end, c->longs.begin());
    out->push_back(c);
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(counts_.size() * 8); }

 private:
  std::vector<int64_t> counts_;
};

// SUM / MIN / MAX / ANY_VALUE over LONG or DOUBLE/FLOAT values.
class NumericAccumulator : public Accumulator {
 public:
  explicit NumericAccumulator(const AggregatorSpec& spec) : Accumulator(spec), is_long_(spec.result_type == ColumnType::kLong) {}
  void Resize(size_t g) override {
    has_.resize(g, 0);
    if (is_long_) longs_.resize(g, 0);
    else doubles_.resize(g, 0);
  }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    return Update(f.column(spec_.input), groups, mask, n);
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    return Update(f.column(first), groups, nullptr, n);
  }
  void Emit(bool, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    auto c = NumericColumn(spec_.result_type, end - begin);
    for (size_t g = begin; g < end; ++g) {
      if (!has_[g]) {
        if (c->nulls.empty()) c->nulls.assign(end - begin, 0);
        c->nulls[g - begin] = 1;
      }
      if (is_long_) c->longs[g - begin] = longs_[g];
      else c->doubles[g - begin] = spec_.result_type == ColumnType::kFloat ? static_cast<float>(doubles_[g]) : doubles_[g];
    }
    out->push_back(c);
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(has_.size() * 9); }

 private:
  Status Update(const Column& c, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    AggregatorKind kind = spec_.kind;
    bool nulls = c.has_nulls() || c.type == ColumnType::kString;
    if (is_long_ && c.type == ColumnType::kLong && !nulls && !mask && kind == AggregatorKind::kSum) {
      for (int64_t i = 0; i < n; ++i) {
        longs_[groups[i]] += c.longs[i];
        has_[groups[i]] = 1;
      }
      return Status::OK();
    }
    if (!is_long_ && (c.type == ColumnType::kDouble || c.type == ColumnType::kFloat) && !nulls && !mask &&
        kind == AggregatorKind::kSum) {
      for (int64_t i = 0; i < n; ++i) {
        doubles_[groups[i]] += c.doubles[i];
        has_[groups[i]] = 1;
      }
      return Status::OK();
    }
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || (nulls && NullAt(c, i))) continue;
      uint32_t g = groups[i];
      if (is_long_) {
        int64_t v = LongAt(c, i);
        Apply(kind, &longs_[g], v, has_[g]);
      } else {
        double v = DoubleAt(c, i);
        Apply(kind, &doubles_[g], v, has_[g]);
      }
      has_[g] = 1;
    }
    return Status::OK();
  }

  template <typename T>
  static void Apply(AggregatorKind kind, T* acc, T v, bool has) {
    switch (kind) {
      case AggregatorKind::kSum: *acc += v; break;
      case AggregatorKind::kMin: if (!has || v < *acc) *acc = v; break;
      case AggregatorKind::kMax: if (!has || v > *acc) *acc = v; break;
      default: if (!has) *acc = v; break;  // ANY_VALUE keeps the first
    }
  }

  bool is_long_;
  std::vector<uint8_t> has_;
  std::vector<int64_t> longs_;
  std::vector<double> doubles_;
};

// MIN / MAX / ANY_VALUE over strings.
class StringAccumulator : public Accumulator {
 public:
  using Accumulator::Accumulator;
  void Resize(size_t g) override { values_.resize(g, columnar::kNullString); }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    return Update(f.column(spec_.input), groups, mask, n);
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    return Update(f.column(first), groups, nullptr, n);
  }
  void Emit(bool, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    auto c = std::make_shared<Column>();
    c->type = ColumnType::kString;
    c->num_rows = static_cast<int64_t>(end - begin);
    c->strings.assign(values_.begin() + begin, values_.begin() + end);
    c->AddOwner(arena_);
    out->push_back(c);
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(values_.size() * 16 + arena_->allocated_bytes()); }

 private:
  Status Update(const Column& c, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || NullAt(c, i)) continue;
      std::string_view v = c.strings[i];
      std::string_view& acc = values_[groups[i]];
      bool take = IsNullString(acc) || (spec_.kind == AggregatorKind::kMin && v < acc) ||
                  (spec_.kind == AggregatorKind::kMax && v > acc);
      if (take) acc = arena_->Copy(v.substr(0, static_cast<size_t>(spec_.max_string_bytes)));
    }
    return Status::OK();
  }
  std::vector<std::string_view> values_;
  std::shared_ptr<base::Arena> arena_ = std::make_shared<base::Arena>();
};

// EARLIEST / LATEST: value at the smallest / largest time.
class TimedAccumulator : public Accumulator {
 public:
  explicit TimedAccumulator(const AggregatorSpec& spec) : Accumulator(spec), latest_(spec.kind == AggregatorKind::kLatest) {}
  void Resize(size_t g) override {
    times_.resize(g, latest_ ? std::numeric_limits<int64_t>::min() : std::numeric_limits<int64_t>::max());
    has_.resize(g, 0);
    null_.resize(g, 1);
    longs_.resize(g, 0);
    doubles_.resize(g, 0);
    strings_.resize(g, columnar::kNullString);
  }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    return Update(f.column(spec_.input), f.column(spec_.time_input), groups, mask, n);
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    return Update(f.column(first), f.column(first + 1), groups, nullptr, n);
  }
  void Emit(bool final, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    size_t n = end - begin;
    auto v = std::make_shared<Column>();
    v->type = spec_.result_type;
    v->num_rows = static_cast<int64_t>(n);
    for (size_t g = begin; g < end; ++g) {
      bool null = !has_[g] || null_[g];
      switch (spec_.result_type) {
        case ColumnType::kLong:
          v->longs.push_back(longs_[g]);
          break;
        case ColumnType::kFloat:
        case ColumnType::kDouble:
          v->doubles.push_back(doubles_[g]);
          break;
        default:
          v->strings.push_back(null ? columnar::kNullString : strings_[g]);
          break;
      }
      if (null && spec_.result_type != ColumnType::kString) {
        if (v->nulls.empty()) v->nulls.assign(n, 0);
        v->nulls[g - begin] = 1;
      }
    }
    v->AddOwner(arena_);
    out->push_back(v);
    if (!final) {
      auto t = NumericColumn(ColumnType::kLong, n);
      for (size_t g = begin; g < end; ++g) {
        t->longs[g - begin] = times_[g];
        if (!has_[g]) {
          if (t->nulls.empty()) t->nulls.assign(n, 0);
          t->nulls[g - begin] = 1;
        }
      }
      out->push_back(t);
    }
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(times_.size() * 42 + arena_->allocated_bytes()); }

 private:
  Status Update(const Column& value, const Column& time, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || NullAt(time, i)) continue;
      uint32_t g = groups[i];
      int64_t t = LongAt(time, i);
      bool better = !has_[g] || (latest_ ? t >= times_[g] : t < times_[g]);
      if (!better) continue;
      has_[g] = 1;
      times_[g] = t;
      bool null = NullAt(value, i);
      null_[g] = null;
      if (null) continue;
      switch (spec_.result_type) {
        case ColumnType::kLong: longs_[g] = LongAt(value, i); break;
        case ColumnType::kFloat:
        case ColumnType::kDouble: doubles_[g] = DoubleAt(value, i); break;
        default: {
          std::string text = value.type == ColumnType::kString ? std::string(value.strings[i]) : internal::TextAt(value, i);
          if (static_cast<int64_t>(text.size()) > spec_.max_string_bytes) text.resize(static_cast<size_t>(spec_.max_string_bytes));
          strings_[g] = arena_->Copy(text);
          break;
        }
      }
    }
    return Status::OK();
  }

  bool latest_;
  std::vector<int64_t> times_;
  std::vector<uint8_t> has_;
  std::vector<uint8_t> null_;
  std::vector<int64_t> longs_;
  std::vector<double> doubles_;
  std::vector<std::string_view> strings_;
  std::shared_ptr<base::Arena> arena_ = std::make_shared<base::Arena>();
};

class SketchAccumulator : public Accumulator {
 public:
  using Accumulator::Accumulator;
  void Resize(size_t g) override { sketches_.resize(g); }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    const Column& c = f.column(spec_.input);
    if (c.type == ColumnType::kComplex) return MergeColumn(c, groups, mask, n);
    if (c.multi_value) {
      for (int64_t i = 0; i < n; ++i) {
        if (mask && !mask[i]) continue;
        for (uint32_t e = c.offsets[i]; e < c.offsets[i + 1]; ++e) {
          if (!IsNullString(c.strings[e])) sketches_[groups[i]].AddHash(HashForSketch(c.strings[e]));
        }
      }
      return Status::OK();
    }
    if (c.type == ColumnType::kString && c.dictionary && static_cast<int64_t>(c.ids.size()) >= n) {
      return UpdateDictionary(c, groups, mask, n);
    }
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || NullAt(c, i)) continue;
      uint64_t h;
      switch (c.type) {
        case ColumnType::kLong: h = HashForSketch(c.longs[i]); break;
        case ColumnType::kFloat:
        case ColumnType::kDouble: h = HashForSketch(c.doubles[i]); break;
        default: h = HashForSketch(c.strings[i]); break;
      }
      sketches_[groups[i]].AddHash(h);
    }
    return Status::OK();
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    return MergeColumn(f.column(first), groups, nullptr, n);
  }
  void Emit(bool final, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    size_t n = end - begin;
    if (final && spec_.kind == AggregatorKind::kApproxDistinct) {
      auto c = NumericColumn(ColumnType::kLong, n);
      for (size_t g = begin; g < end; ++g) c->longs[g - begin] = sketches_[g].EstimateRounded();
      out->push_back(c);
      return;
    }
    auto arena = std::make_shared<base::Arena>();
    auto c = std::make_shared<Column>();
    c->type = ColumnType::kComplex;
    c->complex_type = "hyperUnique";
    c->num_rows = static_cast<int64_t>(n);
    std::string buf;
    for (size_t g = begin; g < end; ++g) {
      buf.clear();
      sketches_[g].Serialize(&buf);
      c->strings.push_back(arena->Copy(buf));
    }
    c->AddOwner(arena);
    out->push_back(c);
  }
  int64_t memory_bytes() const override {
    // Sampled (the exact sum costs a pass over every group, and this is asked after each frame):
    // the average of up to 64 sketches spread over the groups, times their number.
    size_t n = sketches_.size();
    if (n == 0) return 0;
    size_t step = std::max<size_t>(1, n / 64);
    int64_t sampled = 0, count = 0;
    for (size_t g = 0; g < n; g += step, ++count) sampled += static_cast<int64_t>(sketches_[g].memory_bytes()) + 48;
    return sampled / count * static_cast<int64_t>(n);
  }

 private:
  Status MergeColumn(const Column& c, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    HllSketch other;
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || IsNullString(c.strings[i])) continue;
      if (!other.Deserialize(c.strings[i])) return Status::Corruption("invalid HLL sketch in intermediate data");
      sketches_[groups[i]].Merge(other);
    }
    return Status::OK();
  }
  // A dictionary-encoded column (possibly ids only): each distinct value is hashed once per
  // dictionary (a segment's). While every row of the dictionary goes to one group (a global
  // APPROX_COUNT_DISTINCT), rows only mark their ids; the marked values are hashed in id order
  // when the dictionary changes or at Flush (adding a hash twice would change nothing anyway).
  Status UpdateDictionary(const Column& c, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    const columnar::Dictionary& dict = *c.dictionary;
    if (dict_.get() != &dict) {
      Flush();
      dict_ = c.dictionary;
      dict_state_.assign(dict.values.size(), 0);
      dict_hashes_.clear();
      marked_group_ = -1;
    }
    bool one_group = n > 0 && marked_group_ != kManyGroups;
    for (int64_t i = 0; i < n && one_group; ++i) one_group = groups[i] == groups[0];
    if (one_group && marked_group_ >= 0 && marked_group_ != static_cast<int64_t>(groups[0])) one_group = false;
    if (one_group) {
      marked_group_ = groups[0];
      uint8_t* state = dict_state_.data();
      for (int64_t i = 0; i < n; ++i) {
        if (!mask || mask[i]) state[c.ids[i]] |= kMarked;
      }
      return Status::OK();
    }
    Flush();
    marked_group_ = kManyGroups;
    if (dict_hashes_.empty()) dict_hashes_.assign(dict.values.size(), 0);
    for (int64_t i = 0; i < n; ++i) {
      if (mask && !mask[i]) continue;
      int32_t id = c.ids[i];
      uint8_t& st = dict_state_[id];
      if (!(st & kKnown)) {
        std::string_view v = dict.values[id];
        st |= kKnown | (IsNullString(v) ? kNull : 0);
        if (!(st & kNull)) dict_hashes_[id] = HashForSketch(v);
      }
      if (!(st & kNull)) sketches_[groups[i]].AddHash(dict_hashes_[id]);
    }
    return Status::OK();
  }

 public:
  void Flush() override {
    if (marked_group_ < 0 || !dict_) return;
    HllSketch& sketch = sketches_[marked_group_];
    const auto& values = dict_->values;
    for (size_t id = 0; id < dict_state_.size(); ++id) {
      if (!(dict_state_[id] & kMarked)) continue;
      dict_state_[id] &= ~kMarked;
      if (!IsNullString(values[id])) sketch.AddHash(HashForSketch(values[id]));
    }
  }

 private:
  static constexpr uint8_t kKnown = 1, kNull = 2, kMarked = 4;
  static constexpr int64_t kManyGroups = -2;
  std::vector<HllSketch> sketches_;
  std::shared_ptr<const columnar::Dictionary> dict_;  // the dictionary dict_state_ describes
  int64_t marked_group_ = -1;  // the one group fed from dict_ so far (-1: none yet), or kManyGroups
  std::vector<uint64_t> dict_hashes_;  // per id, once kKnown (with several groups)
  std::vector<uint8_t> dict_state_;  // per id: kKnown, kNull, kMarked bits
};

// Total order for collected values: NULL first, then numbers by value, then strings by bytes.
bool ValueLess(const types::Value& a, const types::Value& b) {
  if (a.is_null() || b.is_null()) return a.is_null() && !b.is_null();
  if (a.is_number() && b.is_number()) {
    if (a.is_long() && b.is_long()) return a.long_value() < b.long_value();
    return a.AsDouble() < b.AsDouble();
  }
  if (a.is_number() != b.is_number()) return a.is_number();
  return a.string_value() < b.string_value();
}

// ARRAY_AGG, STRING_AGG and exact COUNT(DISTINCT): the values of each group. The intermediate is
// an array of them (deduplicated for the distinct forms), which the merge appends.
class CollectAccumulator : public Accumulator {
 public:
  using Accumulator::Accumulator;
  void Resize(size_t g) override { values_.resize(g); }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    const Column& c = f.column(spec_.input);
    bool keep_nulls = spec_.kind == AggregatorKind::kArrayAgg;
    for (int64_t i = 0; i < n; ++i) {
      if (mask && !mask[i]) continue;
      if (!keep_nulls && NullAt(c, i)) continue;
      Add(groups[i], columnar::GetValue(c, i));
    }
    return Status::OK();
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    const Column& c = f.column(first);
    for (int64_t i = 0; i < n; ++i) {
      types::Value v = columnar::GetValue(c, i);
      if (!v.is_array()) continue;  // NULL: the group saw no values
      for (const auto& e : v.array_value()) Add(groups[i], e);
    }
    return Status::OK();
  }
  void Emit(bool final, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    size_t n = end - begin;
    bool distinct = spec_.distinct || spec_.kind == AggregatorKind::kCountDistinct;
    auto values_of = [&](size_t g) {
      std::vector<types::Value> v = values_[g];
      if (distinct) Dedupe(&v);
      return v;
    };
    if (final && spec_.kind == AggregatorKind::kCountDistinct) {
      auto c = NumericColumn(ColumnType::kLong, n);
      for (size_t g = begin; g < end; ++g) c->longs[g - begin] = static_cast<int64_t>(values_of(g).size());
      out->push_back(c);
      return;
    }
    if (final && spec_.kind == AggregatorKind::kStringAgg) {
      columnar::ColumnBuilder b(ColumnType::kString);
      for (size_t g = begin; g < end; ++g) {
        std::vector<types::Value> v = values_of(g);
        if (v.empty()) {
          b.AppendNull();
          continue;
        }
        std::string joined;
        for (size_t k = 0; k < v.size(); ++k) {
          std::string text = v[k].is_string() ? v[k].string_value() : v[k].ToString();
          size_t extra = (k ? spec_.separator.size() : 0) + text.size();
          if (static_cast<int64_t>(joined.size() + extra) > spec_.max_string_bytes) break;  // maxBytes
          if (k) joined += spec_.separator;
          joined += text;
        }
        b.AppendString(joined);
      }
      out->push_back(b.Finish());
      return;
    }
    // The array (ARRAY_AGG's result, and every intermediate); no values: NULL.
    columnar::ColumnBuilder b(types::ArrayOf(spec_.input_type));
    for (size_t g = begin; g < end; ++g) {
      std::vector<types::Value> v = values_of(g);
      if (v.empty()) b.AppendNull();
      else b.AppendValue(types::Value::Array(std::move(v)));
    }
    out->push_back(b.Finish());
  }
  int64_t memory_bytes() const override { return bytes_; }

 private:
  static void Dedupe(std::vector<types::Value>* v) {
    std::sort(v->begin(), v->end(), ValueLess);
    v->erase(std::unique(v->begin(), v->end()), v->end());
  }
  void Add(uint32_t g, types::Value v) {
    bytes_ += 32 + (v.is_string() ? static_cast<int64_t>(v.string_value().size()) : 0);
    values_[g].push_back(std::move(v));
    // Distinct forms keep their lists short: deduplicate when one doubles past its last size.
    bool distinct = spec_.distinct || spec_.kind == AggregatorKind::kCountDistinct;
    if (distinct && values_[g].size() >= 64 && (values_[g].size() & (values_[g].size() - 1)) == 0) Dedupe(&values_[g]);
  }

  std::vector<std::vector<types::Value>> values_;
  int64_t bytes_ = 0;
};

// BIT_AND / BIT_OR / BIT_XOR over non-NULL longs; NULL when a group has none.
class BitAccumulator : public Accumulator {
 public:
  using Accumulator::Accumulator;
  void Resize(size_t g) override {
    bits_.resize(g, 0);
    has_.resize(g, 0);
  }
  Status UpdateRaw(const Frame& f, const uint32_t* groups, const uint8_t* mask, int64_t n) override {
    return Update(f.column(spec_.input), groups, mask, n);
  }
  Status UpdateMerge(const Frame& f, int first, const uint32_t* groups, int64_t n) override {
    return Update(f.column(first), groups, nullptr, n);
  }
  void Emit(bool, size_t begin, size_t end, std::vector<ColumnPtr>* out) const override {
    auto c = NumericColumn(ColumnType::kLong, end - begin);
    for (size_t g = begin; g < end; ++g) {
      c->longs[g - begin] = bits_[g];
      if (!has_[g]) {
        if (c->nulls.empty()) c->nulls.assign(end - begin, 0);
        c->nulls[g - begin] = 1;
      }
    }
    out->push_back(c);
  }
  int64_t memory_bytes() const override { return static_cast<int64_t>(bits_.size() * 9); }

 private:
  Status Update(const Column& c, const uint32_t* groups, const uint8_t* mask, int64_t n) {
    for (int64_t i = 0; i < n; ++i) {
      if ((mask && !mask[i]) || NullAt(c, i)) continue;
      uint32_t g = groups[i];
      int64_t v = LongAt(c, i);
      if (!has_[g]) bits_[g] = v;
      else if (spec_.kind == AggregatorKind::kBitAnd) bits_[g] &= v;
      else if (spec_.kind == AggregatorKind::kBitOr) bits_[g] |= v;
      else bits_[g] ^= v;
      has_[g] = 1;
    }
    return Status::OK();
  }
  std::vector<int64_t> bits_;
  std::vector<uint8_t> has_;
};

std::unique_ptr<Accumulator> MakeAccumulator(const AggregatorSpec& spec) {
  switch (spec.kind) {
    case AggregatorKind::kArrayAgg:
    case AggregatorKind::kStringAgg:
    case AggregatorKind::kCountDistinct: return std::make_unique<CollectAccumulator>(spec);
    case AggregatorKind::kBitAnd:
    case AggregatorKind::kBitOr:
    case AggregatorKind::kBitXor: return std::make_unique<BitAccumulator>(spec);
    case AggregatorKind::kCount: return std::make_unique<CountAccumulator>(spec);
    case AggregatorKind::kEarliest:
    case AggregatorKind::kLatest: return std::make_unique<TimedAccumulator>(spec);
    case AggregatorKind::kApproxDistinct:
    case AggregatorKind::kSketch: return std::make_unique<SketchAccumulator>(spec);
    default:
      if (spec.result_type == ColumnType::kString) return std::make_unique<StringAccumulator>(spec);
      return std::make_unique<NumericAccumulator>(spec);
  }
}

// Replicates rows so that every multi-value key column becomes single-valued (cartesian product
// across several multi-value keys; a row without values keeps one NULL).
Frame ExplodeMultiValueKeys(const Frame& frame, int num_keys) {
  std::vector<int> mv_keys;
  for (int k = 0; k < num_keys; ++k) {
    if (frame.column(k).multi_value) mv_keys.push_back(k);
  }
  if (mv_keys.empty()) return frame;
  std::vector<uint32_t> rows;
  std::vector<std::vector<std::string_view>> values(mv_keys.size());
  std::vector<uint32_t> counts(mv_keys.size());
  for (int64_t r = 0; r < frame.num_rows; ++r) {
    size_t combos = 1;
    for (size_t m = 0; m < mv_keys.size(); ++m) {
      const Column& c = frame.column(mv_keys[m]);
      counts[m] = std::max<uint32_t>(1, c.offsets[r + 1] - c.offsets[r]);
      combos *= counts[m];
    }
    for (size_t combo = 0; combo < combos; ++combo) {
      size_t rest = combo;
      for (size_t m = 0; m < mv_keys.size(); ++m) {
        const Column& c = frame.column(mv_keys[m]);
        uint32_t idx = static_cast<uint32_t>(rest % counts[m]);
        rest /= counts[m];
        uint32_t begin = c.offsets[r];
        values[m].push_back(c.offsets[r + 1] == begin ? columnar::kNullString : c.strings[begin + idx]);
      }
      rows.push_back(static_cast<uint32_t>(r));
    }
  }
  Frame out = columnar::GatherFrame(frame, rows);
  for (size_t m = 0; m < mv_keys.size(); ++m) {
    auto c = std::make_shared<Column>();
    c->type = ColumnType::kString;
    c->num_rows = out.num_rows;
    c->strings = std::move(values[m]);
    c->ShareOwners(frame.column(mv_keys[m]));
    out.columns[mv_keys[m]] = c;
  }
  return out;
}

}  // namespace

HashAggregator::HashAggregator(std::vector<ColumnType> key_types, std::vector<AggregatorSpec> aggregators, bool merge)
    : key_types_(std::move(key_types)), specs_(std::move(aggregators)), merge_(merge),
      keys_(std::make_unique<GroupKeyTable>(key_types_)) {
  for (const auto& s : specs_) accumulators_.push_back(MakeAccumulator(s));
}

HashAggregator::~HashAggregator() = default;

void HashAggregator::GroupByDictionary() {
  group_by_dictionary_ = !merge_ && !key_types_.empty() &&
                         std::all_of(key_types_.begin(), key_types_.end(), [](ColumnType t) { return t == ColumnType::kString; });
  keys_->set_group_by_dictionary(group_by_dictionary_);
}

int64_t HashAggregator::num_groups() const { return static_cast<int64_t>(keys_->num_groups()); }

int64_t HashAggregator::memory_bytes() const {
  int64_t total = keys_->memory_bytes();
  for (const auto& a : accumulators_) total += a->memory_bytes();
  return total;
}

void HashAggregator::EnsureGlobalGroup() {
  if (key_types_.empty() && keys_->num_groups() == 0) {
    keys_->GlobalGroup();
    for (auto& a : accumulators_) a->Resize(1);
  }
}

Status HashAggregator::Add(const Frame& input) {
  int num_keys = static_cast<int>(key_types_.size());
  Frame frame = ExplodeMultiValueKeys(input, num_keys);
  int64_t n = frame.num_rows;
  if (n == 0) return Status::OK();
  groups_.resize(static_cast<size_t>(n));
  std::vector<const Column*> key_columns;
  for (int k = 0; k < num_keys; ++k) key_columns.push_back(&frame.column(k));
  if (keys_->NeedsFlush(key_columns)) {
    ASSIGN_OR_RETURN(std::vector<Frame> out, Emit(false, columnar::kDefaultFrameRows));
    for (auto& f : out) flushed_.push_back(std::move(f));
  }
  keys_->Assign(key_columns, n, groups_.data());
  size_t num_groups = keys_->num_groups();
  for (auto& a : accumulators_) a->Resize(num_groups);
  const uint32_t* groups = groups_.data();
  if (merge_) {
    int col = num_keys;
    for (size_t a = 0; a < accumulators_.size(); ++a) {
      RETURN_IF_ERROR(accumulators_[a]->UpdateMerge(frame, col, groups, n));
      col += specs_[a].num_intermediate();
    }
    return Status::OK();
  }
  std::vector<uint8_t> mask;
  for (size_t a = 0; a < accumulators_.size(); ++a) {
    const uint8_t* m = nullptr;
    if (specs_[a].filter >= 0) {
      const Column& f = frame.column(specs_[a].filter);
      mask.resize(n);
      for (int64_t i = 0; i < n; ++i) mask[i] = !NullAt(f, i) && LongAt(f, i) != 0;
      m = mask.data();
    }
    RETURN_IF_ERROR(accumulators_[a]->UpdateRaw(frame, groups, m, n));
  }
  return Status::OK();
}

Result<std::vector<Frame>> HashAggregator::Emit(bool final, int64_t max_rows) {
  std::vector<Frame> frames;
  size_t total = keys_->num_groups();
  // Groups of a dictionary leave in dictionary order: whoever reads the keys next (the shuffle
  // hashes every one) then walks the dictionary's strings front to back instead of at random.
  std::vector<uint32_t> order = total > static_cast<size_t>(max_rows) ? keys_->DictionaryOrder() : std::vector<uint32_t>{};
  for (size_t begin = 0; begin < total; begin += static_cast<size_t>(max_rows)) {
    size_t end = std::min(total, begin + static_cast<size_t>(max_rows));
    Frame f;
    f.num_rows = static_cast<int64_t>(end - begin);
    f.columns = keys_->EmitKeys(begin, end);
    for (const auto& a : accumulators_) {
      if (begin == 0) a->Flush();
      a->Emit(final, begin, end, &f.columns);
    }
    frames.push_back(std::move(f));
  }
  if (!order.empty()) {
    std::vector<RowRef> refs(order.size());
    auto per_frame = static_cast<uint32_t>(max_rows);
    for (size_t i = 0; i < order.size(); ++i) refs[i] = RowRef{order[i] / per_frame, order[i] % per_frame};
    std::vector<Frame> ordered;
    for (size_t start = 0; start < refs.size(); start += per_frame) {
      size_t n = std::min<size_t>(per_frame, refs.size() - start);
      ordered.push_back(GatherRows(frames, refs.data() + start, n));
    }
    frames = std::move(ordered);
  }
  keys_ = std::make_unique<GroupKeyTable>(key_types_);
  keys_->set_group_by_dictionary(group_by_dictionary_);
  accumulators_.clear();
  for (const auto& s : specs_) accumulators_.push_back(MakeAccumulator(s));
  return frames;
}

}  // namespace strata::engine
