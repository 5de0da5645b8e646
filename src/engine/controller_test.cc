#include "engine/controller.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <map>

#include "segment/segment.h"
#include "storage/deep_storage.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;
using types::Value;

constexpr int64_t kDay = types::kMillisPerDay;

class CollectSink : public ResultSink {
 public:
  Status Consume(const Frame& f) override {
    for (int64_t r = 0; r < f.num_rows; ++r) {
      std::string row;
      for (int c = 0; c < f.num_columns(); ++c) row += (c ? "|" : "") + columnar::GetValue(f.column(c), r).ToString();
      rows.push_back(row);
    }
    return Status::OK();
  }
  std::vector<std::string> rows;
};

class FakeAllocator : public SegmentAllocator {
 public:
  Result<catalog::SegmentId> Allocate(const types::Interval& chunk) override {
    std::lock_guard<std::mutex> lock(mu);
    return catalog::SegmentId{"ds", chunk, "v1", next[chunk.start]++};
  }
  std::mutex mu;
  std::map<int64_t, int32_t> next;
};

class ControllerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("strata_controller_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
    deep_ = storage::NewLocalDeepStorage(io::FileSystem::Local(), (dir_ / "deep").string());
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::shared_ptr<ExecutionContext> Context(QueryDefinition q, int max_num_tasks = 3) {
    ExecutionOptions o;
    o.max_num_tasks = max_num_tasks;
    o.temp_dir = (dir_ / "tmp").string();
    o.task_id = "t";
    return std::make_shared<ExecutionContext>(std::make_shared<QueryDefinition>(std::move(q)), o, io::FileSystem::Local(), nullptr,
                                              deep_.get(), &allocator_);
  }

  // key STRING, time LONG, value LONG; `n` rows over `days` days.
  static InputSpec InlineRows(int n, int days, bool null_time = false) {
    ColumnBuilder k(ColumnType::kString), t(ColumnType::kLong), v(ColumnType::kLong);
    for (int i = 0; i < n; ++i) {
      k.AppendString(std::string(1, static_cast<char>('a' + i % 3)));
      if (null_time && i == n / 2) t.AppendNull();
      else t.AppendLong((i % days) * kDay + i);
      v.AppendLong(i);
    }
    InputSpec in;
    in.kind = InputSpec::Kind::kInline;
    Frame f;
    f.num_rows = n;
    f.columns = {k.Finish(), t.Finish(), v.Finish()};
    // Two frames so more than one worker gets work downstream.
    in.inline_rows.frames = {columnar::SliceFrame(f, 0, n / 2), columnar::SliceFrame(f, n / 2, n - n / 2)};
    in.inline_rows.signature = {{"k", ColumnType::kString}, {"__time", ColumnType::kLong}, {"v", ColumnType::kLong}};
    return in;
  }

  std::filesystem::path dir_;
  std::unique_ptr<storage::DeepStorage> deep_;
  FakeAllocator allocator_;
};

TEST_F(ControllerTest, TwoStageGroupBy) {
  QueryDefinition q;
  q.query_id = "q";
  StageDefinition s0;
  s0.stage_number = 0;
  s0.inputs = {InlineRows(90, 3)};
  AggregateSpec partial;
  partial.key_types = {ColumnType::kString};
  AggregatorSpec sum;
  sum.kind = AggregatorKind::kSum;
  sum.input = 2;
  sum.result_type = ColumnType::kLong;
  partial.aggregators = {sum};
  partial.final = false;
  s0.operators = {OperatorSpec::Project({Expr::Column(0, ColumnType::kString), Expr::Column(0, ColumnType::kString),
                                         Expr::Column(2, ColumnType::kLong)}),
                  OperatorSpec::Aggregate(partial)};
  s0.signature = {{"k", ColumnType::kString}, {"a0", ColumnType::kLong}};
  s0.shuffle.kind = ShuffleSpec::Kind::kHash;
  s0.shuffle.keys = {SortKey::Asc(0)};
  s0.shuffle.num_partitions = 2;
  s0.max_worker_count = 2;
  StageDefinition s1;
  s1.stage_number = 1;
  InputSpec from0;
  from0.kind = InputSpec::Kind::kStage;
  from0.stage = 0;
  s1.inputs = {from0};
  AggregateSpec final_spec = partial;
  final_spec.merge = true;
  final_spec.final = true;
  s1.operators = {OperatorSpec::Aggregate(final_spec), OperatorSpec::Sort({SortKey::Asc(0)})};
  s1.signature = s0.signature;
  s1.max_worker_count = 1;
  q.stages = {s0, s1};
  Controller controller(Context(std::move(q)));
  CollectSink sink;
  auto result = controller.Run(&sink);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // Sum of i for i % 3 == 0, 1, 2 over i < 90.
  EXPECT_EQ(sink.rows, (std::vector<std::string>{"'a'|1305", "'b'|1335", "'c'|1365"}));
  ControllerSnapshot snap = controller.Snapshot();
  EXPECT_EQ(snap.stages[0].phase, "FINISHED");
  EXPECT_EQ(snap.stages[1].phase, "FINISHED");
  EXPECT_NE(snap.counters_json.find("\"output\""), std::string::npos);
}

QueryDefinition IngestPlan(InputSpec input, int64_t rows_per_segment) {
  QueryDefinition q;
  q.query_id = "ingest";
  StageDefinition s0;
  s0.stage_number = 0;
  s0.inputs = {std::move(input)};
  // Reorder to (__time, k, v).
  s0.operators = {OperatorSpec::Project({Expr::Column(1, ColumnType::kLong), Expr::Column(0, ColumnType::kString),
                                         Expr::Column(2, ColumnType::kLong)})};
  s0.signature = {{"__time", ColumnType::kLong}, {"k", ColumnType::kString}, {"v", ColumnType::kLong}};
  s0.shuffle.kind = ShuffleSpec::Kind::kTimeChunk;
  s0.shuffle.time_column = 0;
  s0.shuffle.segment_granularity = *types::Granularity::FromName("DAY");
  s0.shuffle.cluster_keys = {SortKey::Asc(1)};
  s0.shuffle.rows_per_segment = rows_per_segment;
  s0.max_worker_count = 2;
  StageDefinition s1;
  s1.stage_number = 1;
  InputSpec from0;
  from0.kind = InputSpec::Kind::kStage;
  from0.stage = 0;
  s1.inputs = {from0};
  SegmentGeneratorSpec gen;
  gen.datasource = "ds";
  gen.columns = {{"__time", ColumnType::kLong}, {"k", ColumnType::kString}, {"v", ColumnType::kLong}};
  gen.dimensions = {"k", "v"};
  gen.segment_granularity = s0.shuffle.segment_granularity;
  gen.rows_per_segment = rows_per_segment;
  gen.segment_sort = {SortKey::Asc(0), SortKey::Asc(1)};
  s1.segment_generator = gen;
  s1.max_worker_count = 2;
  q.stages = {s0, s1};
  return q;
}

TEST_F(ControllerTest, IngestionWritesOneSortedSegmentPerChunkAndSplitsLargeChunks) {
  Controller controller(Context(IngestPlan(InlineRows(600, 3), /*rows_per_segment=*/150)));
  auto result = controller.Run(nullptr);
  ASSERT_TRUE(result.ok()) << result.status().ToString();
  // 3 days x 200 rows, at most 150 rows per segment -> 2 segments per day.
  ASSERT_EQ(result->segments.size(), 6u);
  std::map<int64_t, int64_t> rows_per_day;
  for (const auto& s : result->segments) {
    rows_per_day[s.id.interval.start] += s.num_rows;
    EXPECT_LE(s.num_rows, 150);
    EXPECT_EQ(s.id.interval.duration(), kDay);
    auto seg = segment::Segment::OpenFile(io::FileSystem::Local(), deep_->LocalPath(s.id), true);
    ASSERT_TRUE(seg.ok()) << seg.status().ToString();
    segment::ReadScratch scratch;
    columnar::Column time;
    ASSERT_TRUE((*seg)->column(0).ReadBlock(0, &time, &scratch).ok());
    EXPECT_TRUE(std::is_sorted(time.longs.begin(), time.longs.end()));
    EXPECT_GE(time.longs.front(), s.id.interval.start);
    EXPECT_LT(time.longs.back(), s.id.interval.end);
  }
  EXPECT_EQ(rows_per_day, (std::map<int64_t, int64_t>{{0, 200}, {kDay, 200}, {2 * kDay, 200}}));
  ControllerSnapshot snap = controller.Snapshot();
  EXPECT_NE(snap.counters_json.find("segmentGenerationProgress"), std::string::npos);
  EXPECT_NE(snap.counters_json.find("sortProgress"), std::string::npos);
}

TEST_F(ControllerTest, NullTimeFailsWithInsertTimeNull) {
  Controller controller(Context(IngestPlan(InlineRows(60, 2, /*null_time=*/true), 1000)));
  auto result = controller.Run(nullptr);
  ASSERT_FALSE(result.ok());
  EXPECT_EQ(Fault::FromStatus(result.status()).code, "InsertTimeNull");
  EXPECT_EQ(controller.failed_stage(), std::optional<int>(0));
  EXPECT_EQ(controller.Snapshot().stages[0].phase, "FAILED");
}

TEST_F(ControllerTest, CanceledQueryReportsCanceled) {
  Controller controller(Context(IngestPlan(InlineRows(60, 2), 1000)));
  controller.Cancel();
  auto result = controller.Run(nullptr);
  ASSERT_FALSE(result.ok());
  Fault f = Fault::FromStatus(result.status());
  EXPECT_EQ(f.code, "Canceled");
  EXPECT_EQ(f.ErrorMsg(), "Canceled: Query canceled by user or by task shutdown.");
}

}  // namespace
}  // namespace strata::engine
