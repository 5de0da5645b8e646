#include "engine/aggregation.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <map>

#include "engine/hll.h"
#include "engine/internal/test_sink.h"
#include "engine/operators.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;
using types::Value;

std::vector<std::vector<Value>> Rows(const std::vector<Frame>& frames) {
  std::vector<std::vector<Value>> rows;
  for (const auto& f : frames) {
    for (int64_t r = 0; r < f.num_rows; ++r) {
      std::vector<Value> row;
      for (int c = 0; c < f.num_columns(); ++c) row.push_back(columnar::GetValue(f.column(c), r));
      rows.push_back(std::move(row));
    }
  }
  std::sort(rows.begin(), rows.end(), [](const auto& a, const auto& b) { return a[0].ToString() < b[0].ToString(); });
  return rows;
}

AggregatorSpec Spec(AggregatorKind kind, int input, ColumnType input_type, ColumnType result) {
  AggregatorSpec s;
  s.kind = kind;
  s.input = input;
  s.input_type = input_type;
  s.result_type = result;
  return s;
}

// key STRING, value LONG (with a NULL), time LONG
Frame Input() {
  ColumnBuilder k(ColumnType::kString), v(ColumnType::kLong), t(ColumnType::kLong);
  const char* keys[] = {"a", "b", "a", "a", "b"};
  for (int i = 0; i < 5; ++i) {
    k.AppendString(keys[i]);
    if (i == 3) v.AppendNull();
    else v.AppendLong(i * 10);
    t.AppendLong(100 - i);
  }
  Frame f;
  f.num_rows = 5;
  f.columns = {k.Finish(), v.Finish(), t.Finish()};
  return f;
}

// A dictionary-encoded string column over `dict` with the given ids (id 0 may be NULL).
Frame DictionaryFrame(std::shared_ptr<columnar::Dictionary> dict, const std::vector<int32_t>& ids, int64_t value) {
  auto key = std::make_shared<columnar::Column>();
  key->type = ColumnType::kString;
  key->num_rows = static_cast<int64_t>(ids.size());
  key->dictionary = dict;
  key->ids = ids;
  for (int32_t id : ids) key->strings.push_back(dict->values[id]);
  ColumnBuilder v(ColumnType::kLong);
  for (size_t i = 0; i < ids.size(); ++i) v.AppendLong(value);
  Frame f;
  f.num_rows = key->num_rows;
  f.columns = {key, v.Finish()};
  return f;
}

TEST(AggregationTest, GroupByDictionaryFlushesPerDictionaryAndMergesRight) {
  // Two "segments" with their own dictionaries sharing values; NULL is id 0 of the first.
  auto d1 = std::make_shared<columnar::Dictionary>();
  d1->values = {columnar::kNullString, "a", "b", "c"};
  auto d2 = std::make_shared<columnar::Dictionary>();
  d2->values = {"b", "c", "d"};
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong)};
  HashAggregator partial({ColumnType::kString}, specs, /*merge=*/false);
  partial.GroupByDictionary();
  std::vector<Frame> intermediate;
  for (const Frame& f : {DictionaryFrame(d1, {1, 2, 1, 0, 3}, 1), DictionaryFrame(d1, {2, 2}, 10),
                         DictionaryFrame(d2, {0, 2, 2, 1}, 100), DictionaryFrame(d1, {1}, 1000)}) {
    ASSERT_TRUE(partial.Add(f).ok());
    for (auto& flushed : partial.TakeFlushed()) intermediate.push_back(std::move(flushed));
  }
  EXPECT_EQ(intermediate.size(), 2u);  // the d1 groups, then the d2 groups
  auto rest = partial.Emit(false, 1024);
  ASSERT_TRUE(rest.ok());
  for (auto& f : *rest) intermediate.push_back(std::move(f));
  HashAggregator final_agg({ColumnType::kString}, specs, /*merge=*/true);
  for (const auto& f : intermediate) ASSERT_TRUE(final_agg.Add(f).ok());
  auto out = final_agg.Emit(true, 1024);
  ASSERT_TRUE(out.ok());
  std::map<std::string, std::pair<Value, Value>> by_key;  // key (NULL as "<null>") -> (count, sum)
  for (const auto& row : Rows(*out)) {
    by_key[row[0].is_null() ? "<null>" : row[0].string_value()] = {row[1], row[2]};
  }
  ASSERT_EQ(by_key.size(), 5u);
  EXPECT_EQ(by_key["<null>"], std::make_pair(Value::Long(1), Value::Long(1)));
  EXPECT_EQ(by_key["a"], std::make_pair(Value::Long(3), Value::Long(1002)));
  EXPECT_EQ(by_key["b"], std::make_pair(Value::Long(4), Value::Long(121)));
  EXPECT_EQ(by_key["c"], std::make_pair(Value::Long(2), Value::Long(101)));
  EXPECT_EQ(by_key["d"], std::make_pair(Value::Long(2), Value::Long(200)));
}

// APPROX_COUNT_DISTINCT over a dictionary-encoded column (ids only, as a scan gives it) builds
// the same sketches as over the strings: with one group (marks flushed in id order, across
// dictionary switches and a FILTER mask) and with several groups (hashes cached per id).
TEST(AggregationTest, SketchOverDictionaryIdsEqualsSketchOverStrings) {
  auto d1 = std::make_shared<columnar::Dictionary>();
  auto d2 = std::make_shared<columnar::Dictionary>();
  std::vector<std::string> texts;
  for (int i = 0; i < 3000; ++i) texts.push_back("user-" + std::to_string(i));
  d1->values.push_back(columnar::kNullString);
  for (int i = 0; i < 2000; ++i) d1->values.push_back(texts[i]);
  for (int i = 1000; i < 3000; ++i) d2->values.push_back(texts[i]);
  // Rows: ids cycling through each dictionary, some repeated; a mask drops every 7th row.
  auto frames_of = [&](bool ids_only) {
    std::vector<Frame> frames;
    for (const auto& [dict, count] : {std::pair{d1, 5000}, std::pair{d2, 4000}, std::pair{d1, 700}}) {
      std::vector<int32_t> ids;
      for (int i = 0; i < count; ++i) ids.push_back(static_cast<int32_t>((i * 7919) % dict->size()));
      Frame f = DictionaryFrame(dict, ids, 1);
      auto key = std::make_shared<columnar::Column>(f.column(0));
      if (ids_only) key->strings.clear();
      else key->dictionary.reset(), key->ids.clear();
      ColumnBuilder mask(ColumnType::kLong);
      ColumnBuilder group(ColumnType::kString);
      for (int i = 0; i < count; ++i) {
        mask.AppendLong(i % 7 != 0);
        group.AppendString(i % 3 == 0 ? "x" : "y");
      }
      f.columns = {group.Finish(), key, mask.Finish()};
      frames.push_back(std::move(f));
    }
    return frames;
  };
  for (bool grouped : {false, true}) {
    AggregatorSpec sketch = Spec(AggregatorKind::kApproxDistinct, grouped ? 1 : 0, ColumnType::kString, ColumnType::kLong);
    AggregatorSpec filtered = sketch;
    filtered.filter = 2;
    if (!grouped) {
      sketch.input = filtered.input = 1;
    }
    std::vector<ColumnType> keys = grouped ? std::vector<ColumnType>{ColumnType::kString} : std::vector<ColumnType>{};
    std::vector<std::vector<Value>> results[2];
    for (bool ids_only : {false, true}) {
      HashAggregator agg(keys, {sketch, filtered}, /*merge=*/false);
      for (const Frame& f : frames_of(ids_only)) {
        Frame input = f;
        if (!grouped) input.columns = {f.columns[0], f.columns[1], f.columns[2]};
        ASSERT_TRUE(agg.Add(input).ok());
      }
      auto out = agg.Emit(false, 1024);
      ASSERT_TRUE(out.ok());
      results[ids_only] = Rows(*out);
    }
    EXPECT_EQ(results[0], results[1]) << (grouped ? "grouped" : "global");
    EXPECT_EQ(results[0].size(), grouped ? 2u : 1u);
  }
}

// A partial aggregation grouping by a dictionary emits its groups in dictionary order, each with
// its own aggregates (more groups than one frame holds).
TEST(AggregationTest, GroupByDictionaryEmitsInDictionaryOrder) {
  auto dict = std::make_shared<columnar::Dictionary>();
  std::vector<std::string> texts;
  for (int i = 0; i < 5000; ++i) texts.push_back("k" + std::to_string(100000 + i));
  for (const auto& t : texts) dict->values.push_back(t);
  dict->sorted = true;
  std::vector<int32_t> ids;
  for (int i = 0; i < 5000; ++i) ids.push_back(static_cast<int32_t>((i * 2999) % 5000));  // a permutation
  ids.push_back(42);
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong)};
  HashAggregator partial({ColumnType::kString}, specs, /*merge=*/false);
  partial.GroupByDictionary();
  Frame f = DictionaryFrame(dict, ids, 3);
  ASSERT_TRUE(partial.Add(f).ok());
  auto out = partial.Emit(false, 1024);
  ASSERT_TRUE(out.ok());
  ASSERT_EQ(out->size(), 5u);
  int64_t row = 0;
  for (const Frame& frame : *out) {
    for (int64_t r = 0; r < frame.num_rows; ++r, ++row) {
      ASSERT_EQ(columnar::GetValue(frame.column(0), r), Value::String(texts[row]));
      int64_t expected = row == 42 ? 2 : 1;
      EXPECT_EQ(columnar::GetValue(frame.column(1), r), Value::Long(expected));
      EXPECT_EQ(columnar::GetValue(frame.column(2), r), Value::Long(3 * expected));
    }
  }
  EXPECT_EQ(row, 5000);
}

// Two dictionary-encoded keys group by their id combinations (flushing when either dictionary
// changes, or when a frame is not dictionary-encoded); the merge gives the per-pair totals.
TEST(AggregationTest, GroupByTwoDictionariesMergesRight) {
  auto channels = std::make_shared<columnar::Dictionary>();
  channels->values = {columnar::kNullString, "#de", "#en"};
  auto spaces1 = std::make_shared<columnar::Dictionary>();
  spaces1->values = {"Main", "Talk"};
  auto spaces2 = std::make_shared<columnar::Dictionary>();
  spaces2->values = {"Main", "User"};
  auto frame = [](std::shared_ptr<columnar::Dictionary> d1, std::vector<int32_t> i1, std::shared_ptr<columnar::Dictionary> d2,
                  std::vector<int32_t> i2, int64_t value) {
    Frame a = DictionaryFrame(d1, i1, value);
    Frame b = DictionaryFrame(d2, i2, value);
    Frame f;
    f.num_rows = a.num_rows;
    f.columns = {a.columns[0], b.columns[0], a.columns[1]};
    return f;
  };
  ColumnBuilder plain1(ColumnType::kString), plain2(ColumnType::kString), plain_v(ColumnType::kLong);
  plain1.AppendString("#en");
  plain2.AppendString("Talk");
  plain_v.AppendLong(1000);
  Frame plain;
  plain.num_rows = 1;
  plain.columns = {plain1.Finish(), plain2.Finish(), plain_v.Finish()};
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 2, ColumnType::kLong, ColumnType::kLong)};
  HashAggregator partial({ColumnType::kString, ColumnType::kString}, specs, /*merge=*/false);
  partial.GroupByDictionary();
  std::vector<Frame> intermediate;
  for (const Frame& f : {frame(channels, {2, 2, 1, 0, 2}, spaces1, {0, 1, 0, 0, 0}, 1),
                         frame(channels, {1, 2}, spaces1, {1, 0}, 10), frame(channels, {2, 0}, spaces2, {1, 1}, 100),
                         plain}) {
    ASSERT_TRUE(partial.Add(f).ok());
    for (auto& flushed : partial.TakeFlushed()) intermediate.push_back(std::move(flushed));
  }
  EXPECT_EQ(intermediate.size(), 2u);  // the spaces1 groups, then the spaces2 groups
  auto rest = partial.Emit(false, 1024);
  ASSERT_TRUE(rest.ok());
  for (auto& f : *rest) intermediate.push_back(std::move(f));
  HashAggregator final_agg({ColumnType::kString, ColumnType::kString}, specs, /*merge=*/true);
  for (const auto& f : intermediate) ASSERT_TRUE(final_agg.Add(f).ok());
  auto out = final_agg.Emit(true, 1024);
  ASSERT_TRUE(out.ok());
  std::map<std::string, std::pair<int64_t, int64_t>> by_pair;
  for (const auto& row : Rows(*out)) {
    std::string key = (row[0].is_null() ? "<null>" : row[0].string_value()) + "/" + row[1].string_value();
    by_pair[key] = {row[2].long_value(), row[3].long_value()};
  }
  std::map<std::string, std::pair<int64_t, int64_t>> expected = {
      {"#en/Main", {3, 12}}, {"#en/Talk", {2, 1001}}, {"#de/Main", {1, 1}}, {"<null>/Main", {1, 1}},
      {"#de/Talk", {1, 10}}, {"#en/User", {1, 100}},  {"<null>/User", {1, 100}}};
  EXPECT_EQ(by_pair, expected);
}

TEST(AggregationTest, GroupsAndNulls) {
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kCount, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kMax, 1, ColumnType::kLong, ColumnType::kLong)};
  AggregatorSpec latest = Spec(AggregatorKind::kLatest, 1, ColumnType::kLong, ColumnType::kLong);
  latest.time_input = 2;
  specs.push_back(latest);
  HashAggregator agg({ColumnType::kString}, specs, false);
  ASSERT_TRUE(agg.Add(Input()).ok());
  auto out = agg.Emit(true, 100);
  ASSERT_TRUE(out.ok());
  auto rows = Rows(*out);
  ASSERT_EQ(rows.size(), 2u);
  // a: rows 0 (0, t=100), 2 (20, t=98), 3 (NULL, t=97) -> latest by time is row 0.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("a"), Value::Long(3), Value::Long(2), Value::Long(20), Value::Long(20),
                                         Value::Long(0)}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("b"), Value::Long(2), Value::Long(2), Value::Long(50), Value::Long(40),
                                         Value::Long(10)}));
}

TEST(AggregationTest, PartialThenMergeEqualsSinglePass) {
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kMin, 1, ColumnType::kLong, ColumnType::kLong)};
  AggregatorSpec earliest = Spec(AggregatorKind::kEarliest, 1, ColumnType::kLong, ColumnType::kLong);
  earliest.time_input = 2;
  specs.push_back(earliest);
  HashAggregator part1({ColumnType::kString}, specs, false), part2({ColumnType::kString}, specs, false);
  Frame in = Input();
  ASSERT_TRUE(part1.Add(columnar::SliceFrame(in, 0, 2)).ok());
  ASSERT_TRUE(part2.Add(columnar::SliceFrame(in, 2, 3)).ok());
  HashAggregator merged({ColumnType::kString}, specs, true);
  for (auto* p : {&part1, &part2}) {
    auto frames = p->Emit(false, 100);
    ASSERT_TRUE(frames.ok());
    for (const auto& f : *frames) ASSERT_TRUE(merged.Add(f).ok());
  }
  auto rows = Rows(*merged.Emit(true, 100));
  ASSERT_EQ(rows.size(), 2u);
  // a: values 0, 20, NULL; earliest time is row 3 (t=97) whose value is NULL.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("a"), Value::Long(20), Value::Long(0), Value::Null()}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("b"), Value::Long(50), Value::Long(10), Value::Long(40)}));
}

TEST(AggregationTest, GlobalAggregateOverNothing) {
  HashAggregator agg({}, {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                          Spec(AggregatorKind::kSum, 0, ColumnType::kLong, ColumnType::kLong)},
                     false);
  agg.EnsureGlobalGroup();
  auto rows = Rows(*agg.Emit(true, 10));
  ASSERT_EQ(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::Long(0), Value::Null()}));
}

TEST(AggregationTest, MultiValueKeysExplode) {
  ColumnBuilder k(ColumnType::kString, true);
  k.AppendStrings({"x", "y"});
  k.AppendStrings({});
  k.AppendStrings({"y"});
  Frame f;
  f.num_rows = 3;
  f.columns = {k.Finish()};
  HashAggregator agg({ColumnType::kString}, {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong)}, false);
  ASSERT_TRUE(agg.Add(f).ok());
  auto rows = Rows(*agg.Emit(true, 10));
  ASSERT_EQ(rows.size(), 3u);
  // Rows sort by their rendering: 'x', 'y', NULL.
  EXPECT_EQ(rows[0], (std::vector<Value>{Value::String("x"), Value::Long(1)}));
  EXPECT_EQ(rows[1], (std::vector<Value>{Value::String("y"), Value::Long(2)}));
  EXPECT_EQ(rows[2], (std::vector<Value>{Value::Null(), Value::Long(1)}));
}

TEST(AggregationTest, ApproxDistinctIsExactWhenSmallAndCloseWhenLarge) {
  HllSketch small;
  for (int i = 0; i < 100; ++i) small.AddHash(HashForSketch(static_cast<int64_t>(i % 37)));
  EXPECT_EQ(small.EstimateRounded(), 37);
  HllSketch big, other;
  for (int64_t i = 0; i < 100000; ++i) (i % 2 ? big : other).AddHash(HashForSketch(i));
  big.Merge(other);
  EXPECT_NEAR(big.Estimate(), 100000, 100000 * 0.05);
  std::string bytes;
  big.Serialize(&bytes);
  HllSketch back;
  ASSERT_TRUE(back.Deserialize(bytes));
  EXPECT_EQ(back.EstimateRounded(), big.EstimateRounded());
}

}  // namespace
}  // namespace strata::engine

namespace strata::engine {
namespace {

// Runs partial -> merge aggregation pipelines over 20 frames of 500 rows with 3000 distinct keys,
// with the given worker memory; returns the final rows.
std::vector<std::string> AggregateWithBudget(int64_t budget_bytes, int64_t* spilled_bytes, int64_t* partial_frames) {
  std::vector<AggregatorSpec> specs = {Spec(AggregatorKind::kCount, -1, ColumnType::kLong, ColumnType::kLong),
                                       Spec(AggregatorKind::kSum, 1, ColumnType::kLong, ColumnType::kLong)};
  AggregateSpec partial{{ColumnType::kString}, specs, /*merge=*/false, /*final=*/false, false};
  AggregateSpec final_spec{{ColumnType::kString}, specs, /*merge=*/true, /*final=*/true, false};
  auto dir = std::filesystem::temp_directory_path() / ("strata_agg_spill_" + std::to_string(::getpid()) + "_" + std::to_string(budget_bytes));
  MemoryBudget budget(budget_bytes);
  SpillDirectory spill(io::FileSystem::Local(), dir.string());
  EvalContext ctx;
  test_util::TextRowSink sink;
  auto merge = BuildPipeline({OperatorSpec::Aggregate(final_spec)}, &ctx, &sink, nullptr, PipelineResources{&budget, &spill});
  EXPECT_TRUE(merge.ok());
  // The partial stage's output, as a counting pass-through into the merge.
  class Counter : public Operator {
   public:
    explicit Counter(Operator* next) : next_(next) {}
    Status Push(columnar::Frame f) override {
      ++frames;
      return next_->Push(std::move(f));
    }
    Status Finish() override { return next_->Finish(); }
    int64_t frames = 0;

   private:
    Operator* next_;
  } counter(merge->head);
  auto pre = BuildPipeline({OperatorSpec::Aggregate(partial)}, &ctx, &counter, nullptr, PipelineResources{&budget, &spill});
  EXPECT_TRUE(pre.ok());
  for (int f = 0; f < 20; ++f) {
    ColumnBuilder k(ColumnType::kString), v(ColumnType::kLong);
    for (int i = 0; i < 500; ++i) {
      int key = (f * 500 + i) * 7 % 3000;
      k.AppendString("key-" + std::to_string(key));
      v.AppendLong(key % 11);
    }
    columnar::Frame frame;
    frame.num_rows = 500;
    frame.columns = {k.Finish(), v.Finish()};
    EXPECT_TRUE(pre->head->Push(std::move(frame)).ok());
  }
  EXPECT_TRUE(pre->head->Finish().ok());
  *spilled_bytes = spill.bytes_written.load();
  *partial_frames = counter.frames;
  EXPECT_EQ(budget.used(), 0);  // everything reserved was given back
  std::filesystem::remove_all(dir);
  return sink.rows;
}

TEST(AggregationTest, StaysWithinTheBudgetBySpillingAndFlushing) {
  int64_t spilled = 0, frames = 0;
  std::vector<std::string> unbounded = AggregateWithBudget(1LL << 30, &spilled, &frames);
  EXPECT_EQ(spilled, 0);
  int64_t frames_unbounded = frames;
  ASSERT_EQ(unbounded.size(), 3000u);
  std::vector<std::string> bounded = AggregateWithBudget(64 << 10, &spilled, &frames);
  EXPECT_GT(spilled, 0);                   // the merge spilled its groups
  EXPECT_GT(frames, frames_unbounded);      // the partial aggregation emitted early
  EXPECT_EQ(bounded, unbounded);
}

}  // namespace
}  // namespace strata::engine
