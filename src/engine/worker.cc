#include "engine/worker.h"

#include <algorithm>

#include "base/clock.h"
#include "base/logging.h"
#include "engine/internal/kernel_util.h"
#include "engine/row_hash.h"
#include "engine/segment_scan.h"
#include "input/input_format.h"
#include "storage/deep_storage.h"
#include "storage/segment_cache.h"

namespace strata::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::Frame;

namespace {

constexpr int64_t kSamplesPerBucket = 2000;

}  // namespace

// The sink at the end of a worker's pipeline: counts "output" and routes rows into the stage's
// shuffle.
class StageWorker::Collector : public Operator {
 public:
  Collector(StageWorker* w) : w_(w), shuffle_(w->stage_->shuffle) {
    switch (shuffle_.kind) {
      case ShuffleSpec::Kind::kNone:
        channels_.push_back(std::make_unique<FrameChannel>(&w->budget_, &w->spill_));
        break;
      case ShuffleSpec::Kind::kHash:
        for (int p = 0; p < shuffle_.num_partitions; ++p) {
          channels_.push_back(std::make_unique<FrameChannel>(&w->budget_, &w->spill_));
        }
        break;
      case ShuffleSpec::Kind::kSort:
        sorter_ = std::make_unique<ExternalSorter>(shuffle_.keys, &w->budget_, &w->spill_, w->budget_.limit() / 2);
        break;
      case ShuffleSpec::Kind::kTimeChunk: {
        std::vector<SortKey> keys = shuffle_.cluster_keys;
        keys.push_back(SortKey::Asc(shuffle_.time_column));
        partitioner_ = std::make_unique<TimeChunkPartitioner>(shuffle_.time_column, shuffle_.segment_granularity, keys,
                                                              &w->budget_, &w->spill_, w->budget_.limit() / 2);
        break;
      }
    }
  }

  Status Push(Frame frame) override {
    if (frame.num_rows == 0) return Status::OK();
    w_->counters_->AddChannel("output", 0, frame.num_rows, frame.ByteSize(), 1);
    switch (shuffle_.kind) {
      case ShuffleSpec::Kind::kNone:
        if (w_->live_ != nullptr) return w_->live_->Push(std::move(frame));
        return channels_[0]->Append(std::move(frame));
      case ShuffleSpec::Kind::kHash:
        return PushHashed(frame);
      case ShuffleSpec::Kind::kSort:
        RETURN_IF_ERROR(sorter_->Add(std::move(frame)));
        w_->counters_->SetSortProgress(sorter_->progress());
        return Status::OK();
      case ShuffleSpec::Kind::kTimeChunk:
        return PushTimeChunk(std::move(frame));
    }
    return Status::OK();
  }
  Status Finish() override { return Status::OK(); }
  // A canceled query needs no more rows: sources and loops that watch done() stop early.
  bool done() const override { return w_->ctx_->canceled(); }

  // POST_READING: produce the partitions.
  Status Produce(const PartitionPlan& plan, std::vector<std::unique_ptr<PartitionSource>>* out) {
    if (partitioner_) {
      ASSIGN_OR_RETURN(*out, partitioner_->Route(plan, [this] { return w_->ctx_->CheckCanceled(); }));
      w_->counters_->SetSortProgress(partitioner_->progress());
      CountShuffle(*out);
      return Status::OK();
    }
    if (!sorter_) {
      for (auto& c : channels_) {
        RETURN_IF_ERROR(c->Finish());
        out->push_back(std::move(c));
      }
      CountShuffle(*out);
      return Status::OK();
    }
    ASSIGN_OR_RETURN(std::unique_ptr<FrameReader> reader, sorter_->Finish(columnar::kDefaultFrameRows));
    w_->counters_->SetSortProgress(sorter_->progress());
    if (shuffle_.kind == ShuffleSpec::Kind::kSort) {
      auto channel = std::make_unique<FrameChannel>(&w_->budget_, &w_->spill_);
      Frame f;
      while (true) {
        RETURN_IF_ERROR(w_->ctx_->CheckCanceled());
        ASSIGN_OR_RETURN(bool more, reader->Next(&f));
        if (!more) break;
        RETURN_IF_ERROR(channel->Append(std::move(f)));
      }
      RETURN_IF_ERROR(channel->Finish());
      out->push_back(std::move(channel));
      CountShuffle(*out);
      return Status::OK();
    }
    return Status::Internal("unexpected shuffle kind");
  }

 private:
  void CountShuffle(const std::vector<std::unique_ptr<PartitionSource>>& channels) {
    for (size_t p = 0; p < channels.size(); ++p) {
      const auto& c = channels[p];
      if (c->num_rows() > 0) w_->counters_->AddChannel("shuffle", static_cast<int>(p), c->num_rows(), c->num_bytes(), c->num_frames());
    }
  }

  Status PushHashed(const Frame& frame) {
    int n = shuffle_.num_partitions;
    if (n == 1) return channels_[0]->Append(frame);
    std::vector<std::vector<uint32_t>> rows(n);
    std::vector<int> key_columns;
    for (const auto& k : shuffle_.keys) key_columns.push_back(k.column);
    for (int64_t r = 0; r < frame.num_rows; ++r) {
      // Mixed, so a partition's keys still spread over all bits of the consumers' hash tables.
      rows[PartitionOf(HashRow(frame, key_columns, r), n)].push_back(static_cast<uint32_t>(r));
    }
    for (int p = 0; p < n; ++p) {
      if (!rows[p].empty()) RETURN_IF_ERROR(channels_[p]->Append(columnar::GatherFrame(frame, rows[p])));
    }
    return Status::OK();
  }

  Status PushTimeChunk(Frame frame) {
    const Column& time = frame.column(shuffle_.time_column);
    auto bucket = internal::NewColumn(ColumnType::kLong, frame.num_rows);
    const auto& g = shuffle_.segment_granularity;
    for (int64_t r = 0; r < frame.num_rows; ++r) {
      if (time.IsNull(r)) return InsertTimeNullFault().ToStatus();
      int64_t t = time.longs[r];
      int64_t b = g.Floor(t);
      bucket->longs[r] = b;
      if (shuffle_.allowed_intervals) {
        bool inside = false;
        for (const auto& iv : *shuffle_.allowed_intervals) inside |= iv.Contains(t);
        if (!inside) {
          types::Interval chunk{b, g.Next(b)};
          return InsertTimeOutOfBoundsFault(chunk.ToString()).ToStatus();
        }
      }
      KeyStatistics::Bucket& st = w_->stats_.buckets[b];
      ++st.rows;
      ++w_->stats_.total_rows;
      if (w_->stats_.buckets.size() > 5000) return TooManyBucketsFault(5000).ToStatus();
    }
    SampleKeys(frame, *bucket);
    RETURN_IF_ERROR(partitioner_->Add(std::move(frame)));
    w_->counters_->SetSortProgress(partitioner_->progress());
    return Status::OK();
  }

  // Keeps a systematic sample of the key columns (cluster keys, then time) per bucket.
  void SampleKeys(const Frame& frame, const Column& buckets) {
    std::vector<int> key_cols;
    for (const auto& k : shuffle_.cluster_keys) key_cols.push_back(k.column);
    key_cols.push_back(shuffle_.time_column);
    std::map<int64_t, std::vector<uint32_t>> picks;
    for (int64_t r = 0; r < frame.num_rows; ++r) {
      int64_t b = buckets.longs[r];
      int64_t& seen = sample_seen_[b];
      int64_t& step = sample_step_[b];
      if (step == 0) step = 1;
      if (seen++ % step == 0) picks[b].push_back(static_cast<uint32_t>(r));
    }
    for (auto& [b, rows] : picks) {
      Frame keys;
      keys.num_rows = static_cast<int64_t>(rows.size());
      // Compact copies: a sample must not keep the whole input frame's strings alive.
      for (int c : key_cols) keys.columns.push_back(columnar::CompactCopy(*columnar::Gather(frame.column(c), rows)));
      auto& samples = w_->stats_.buckets[b].samples;
      samples.push_back(std::move(keys));
      int64_t total = 0;
      for (const auto& s : samples) total += s.num_rows;
      if (total > kSamplesPerBucket) {
        // Halve the sample: keep every other row, and sample half as often from now on.
        Frame all = columnar::ConcatFrames(samples);
        std::vector<uint32_t> keep;
        for (int64_t i = 0; i < all.num_rows; i += 2) keep.push_back(static_cast<uint32_t>(i));
        samples.clear();
        Frame halved = columnar::GatherFrame(all, keep);
        for (auto& c : halved.columns) c = columnar::CompactCopy(*c);
        samples.push_back(std::move(halved));
        sample_step_[b] *= 2;
      }
    }
  }

  StageWorker* w_;
  const ShuffleSpec& shuffle_;
  std::vector<std::unique_ptr<FrameChannel>> channels_;
  std::unique_ptr<ExternalSorter> sorter_;
  std::unique_ptr<TimeChunkPartitioner> partitioner_;
  std::map<int64_t, int64_t> sample_seen_;
  std::map<int64_t, int64_t> sample_step_;
};

StageWorker::StageWorker(ExecutionContext* ctx, const StageDefinition* stage, int worker, WorkOrder order,
                         const StageOutputs* upstream)
    : ctx_(ctx), stage_(stage), worker_(worker), order_(std::move(order)), upstream_(upstream),
      counters_(ctx->counters().ForWorker(stage->stage_number, worker)),
      budget_(ctx->options().worker_memory_bytes),
      spill_(ctx->fs(), io::JoinPath(ctx->options().temp_dir, "stage" + std::to_string(stage->stage_number) + "_worker" +
                                                                  std::to_string(worker))) {}

StageWorker::~StageWorker() = default;

Status StageWorker::PushToPipeline(const std::string& channel, Frame frame) {
  (void)channel;
  RETURN_IF_ERROR(ctx_->CheckCanceled());
  return pipeline_.head->Push(std::move(frame));
}

Status StageWorker::ReadInput() {
  if (stage_->segment_generator) {
    // The segment generator reads its partitions in ProduceOutput, one partition at a time.
    return Status::OK();
  }
  collector_ = std::make_unique<Collector>(this);
  BuildLoader build_loader = [this](int input, int partition) { return LoadBuildSide(input, partition); };
  ASSIGN_OR_RETURN(pipeline_, BuildPipeline(stage_->operators, &ctx_->eval(), collector_.get(), build_loader,
                                            PipelineResources{&budget_, &spill_}));
  for (size_t i = 0; i < stage_->inputs.size(); ++i) {
    const InputSpec& spec = stage_->inputs[i];
    const WorkOrder::Slices& slices = order_.inputs[i];
    if (spec.broadcast || spec.copartitioned) continue;  // join build sides, loaded by the join
    switch (spec.kind) {
      case InputSpec::Kind::kExternal: RETURN_IF_ERROR(ReadExternal(static_cast<int>(i), spec, slices)); break;
      case InputSpec::Kind::kTable: RETURN_IF_ERROR(ReadTable(static_cast<int>(i), spec, slices)); break;
      case InputSpec::Kind::kStage: RETURN_IF_ERROR(ReadStage(static_cast<int>(i), spec, slices)); break;
      case InputSpec::Kind::kInline:
        if (slices.inline_rows) {
          for (const Frame& f : spec.inline_rows.frames) {
            counters_->AddChannel("input" + std::to_string(i), 0, f.num_rows, f.ByteSize(), 1);
            RETURN_IF_ERROR(PushToPipeline("", f));
          }
        }
        break;
    }
    if (pipeline_.head->done()) break;
  }
  return pipeline_.head->Finish();
}

Status StageWorker::ReadExternal(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices) {
  const std::string channel = "input" + std::to_string(input_number);
  const ExternalInput& ext = spec.external;
  int stage_number = stage_->stage_number;
  for (const input::InputSlice& slice : slices.files) {
    RETURN_IF_ERROR(ctx_->CheckCanceled());
    Result<std::unique_ptr<io::InputStream>> stream = ext.source->Open(slice);
    if (!stream.ok()) return stream.status();
    // A shutdown must not wait for a slow source: cancellation wakes a blocked read.
    io::InputStream* raw_stream = stream->get();
    struct Deregister {
      ExecutionContext* ctx;
      int handle;
      ~Deregister() { ctx->RemoveCancelCallback(handle); }
    };
    ASSIGN_OR_RETURN(auto reader,
                     input::NewRowReader(ext.format, ext.signature, std::move(*stream), slice.uri,
                                         [this, stage_number](const input::ParseError& e) {
                                           return ctx_->ReportParseError(stage_number, worker_, e.message);
                                         }));
    // Registered once the reader owns the stream; the guard is destroyed before the reader.
    Deregister deregister{ctx_, ctx_->AddCancelCallback([raw_stream] { raw_stream->Cancel(); })};
    uint64_t last_bytes = 0;
    while (true) {
      Frame frame;
      Result<bool> next = reader->Next(columnar::kDefaultFrameRows, &frame);
      if (!next.ok()) {
        RETURN_IF_ERROR(ctx_->CheckCanceled());  // report the cancellation, not the aborted read
        return next.status();
      }
      bool more = *next;
      uint64_t bytes = reader->bytes_read();
      if (more) counters_->AddChannel(channel, 0, frame.num_rows, static_cast<int64_t>(bytes - last_bytes), 1);
      last_bytes = bytes;
      if (!more) break;
      RETURN_IF_ERROR(PushToPipeline(channel, std::move(frame)));
      if (pipeline_.head->done()) return Status::OK();
    }
    counters_->AddFiles(channel, 0, 1, 0);
  }
  return Status::OK();
}

Status StageWorker::ReadTable(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices) {
  const std::string channel = "input" + std::to_string(input_number);
  for (const catalog::TimelineEntry& entry : slices.segments) {
    RETURN_IF_ERROR(ctx_->CheckCanceled());
    ASSIGN_OR_RETURN(auto segment, ctx_->segment_cache()->Get(*entry.segment));
    bool stop = false;
    ScanStats stats;
    RETURN_IF_ERROR(ScanSegment(
        *segment, entry.visible, spec.table, ctx_->eval(),
        [&](Frame frame) -> Result<bool> {
          counters_->AddChannel(channel, 0, frame.num_rows, frame.ByteSize(), 1);
          RETURN_IF_ERROR(PushToPipeline(channel, std::move(frame)));
          stop = pipeline_.head->done();
          return !stop;
        },
        &stats));
    counters_->AddFiles(channel, 0, 1, 0);
    if (stop) break;
  }
  return Status::OK();
}

Status StageWorker::ReadStage(int input_number, const InputSpec& spec, const WorkOrder::Slices& slices) {
  const std::string channel = "input" + std::to_string(input_number);
  auto it = upstream_->find(spec.stage);
  if (it == upstream_->end()) return Status::Internal("stage " + std::to_string(spec.stage) + " output is missing");
  const StageDefinition& producer = ctx_->query().stages[spec.stage];
  // Partitions of a hash shuffle share no keys: operators may finish each on its own. (Only when
  // this is the stage's one streamed input; a union of inputs interleaves their partitions.)
  int streamed = 0;
  for (const auto& in : stage_->inputs) streamed += in.broadcast || in.copartitioned ? 0 : 1;
  bool disjoint = producer.shuffle.kind == ShuffleSpec::Kind::kHash && streamed == 1;
  for (int p : slices.partitions) {
    if (disjoint) RETURN_IF_ERROR(pipeline_.head->StartPartition(p));
    ASSIGN_OR_RETURN(auto reader, OpenStagePartition(producer, it->second, p));
    Frame frame;
    while (true) {
      ASSIGN_OR_RETURN(bool more, reader->Next(&frame));
      if (!more) break;
      counters_->AddChannel(channel, p, frame.num_rows, frame.ByteSize(), 1);
      RETURN_IF_ERROR(PushToPipeline(channel, std::move(frame)));
      if (pipeline_.head->done()) return Status::OK();
    }
    if (disjoint) RETURN_IF_ERROR(pipeline_.head->EndOfPartition());
  }
  return Status::OK();
}

Result<std::vector<Frame>> StageWorker::LoadBuildSide(int input_number, int partition) {
  const InputSpec& spec = stage_->inputs[input_number];
  if (spec.kind != InputSpec::Kind::kStage) return Status::Internal("a join's build side must be a stage input");
  auto it = upstream_->find(spec.stage);
  if (it == upstream_->end()) return Status::Internal("stage " + std::to_string(spec.stage) + " output is missing");
  const StageDefinition& producer = ctx_->query().stages[spec.stage];
  std::vector<int> partitions = partition >= 0 ? std::vector<int>{partition} : order_.inputs[input_number].partitions;
  const std::string channel = "input" + std::to_string(input_number);
  std::vector<Frame> frames;
  for (int p : partitions) {
    RETURN_IF_ERROR(ctx_->CheckCanceled());
    ASSIGN_OR_RETURN(auto reader, OpenStagePartition(producer, it->second, p));
    Frame frame;
    while (true) {
      ASSIGN_OR_RETURN(bool more, reader->Next(&frame));
      if (!more) break;
      counters_->AddChannel(channel, p, frame.num_rows, frame.ByteSize(), 1);
      frames.push_back(std::move(frame));
    }
  }
  return frames;
}

Status StageWorker::ProduceOutput(const PartitionPlan& plan) {
  if (stage_->segment_generator) return GenerateSegments(plan);
  Status s = collector_->Produce(plan, &partitions_);
  collector_.reset();
  return s;
}

Status StageWorker::GenerateSegments(const PartitionPlan&) {
  const InputSpec& spec = stage_->inputs[0];
  auto it = upstream_->find(spec.stage);
  if (it == upstream_->end()) return Status::Internal("segment generator input is missing");
  const StageDefinition& producer = ctx_->query().stages[spec.stage];
  const SegmentGeneratorSpec& gen = *stage_->segment_generator;
  for (int p : order_.inputs[0].partitions) {
    RETURN_IF_ERROR(ctx_->CheckCanceled());
    int64_t total = 0;
    for (const auto& w : it->second) total += w->PartitionRows(p);
    if (total == 0) continue;
    // Rows arrive in no particular order; the segment writer sorts them when it writes.
    ASSIGN_OR_RETURN(auto reader, OpenStagePartition(producer, it->second, p, /*merge=*/false));
    if (total <= gen.rows_per_segment) {
      // One segment: stream the partition into the writer, which holds a few bytes per row.
      std::unique_ptr<segment::SegmentWriter> writer;
      types::Interval chunk;
      RangeKeyMin range;
      Frame frame;
      while (true) {
        RETURN_IF_ERROR(ctx_->CheckCanceled());
        ASSIGN_OR_RETURN(bool more, reader->Next(&frame));
        if (!more) break;
        if (frame.num_rows == 0) continue;
        counters_->AddChannel("input0", p, frame.num_rows, frame.ByteSize(), 1);
        if (!writer) {
          chunk = ChunkOf(frame.column(0).longs[0]);
          writer = NewSegmentWriter(chunk);
        }
        range.Add(frame, gen.range_shard_columns);
        RETURN_IF_ERROR(writer->Append(frame));
        counters_->AddSegmentGeneration(frame.num_rows, 0, 0, 0);
      }
      if (writer) RETURN_IF_ERROR(FinishSegment(std::move(writer), chunk, range));
    } else {
      // Several segments: order the partition by the CLUSTERED BY columns and cut it into
      // ranges of at most rows_per_segment rows, so each segment covers a range of cluster keys.
      std::vector<Frame> frames;
      Frame frame;
      while (true) {
        ASSIGN_OR_RETURN(bool more, reader->Next(&frame));
        if (!more) break;
        counters_->AddChannel("input0", p, frame.num_rows, frame.ByteSize(), 1);
        frames.push_back(std::move(frame));
      }
      RETURN_IF_ERROR(WriteSplitSegments(std::move(frames), producer.shuffle));
    }
    reader.reset();
    for (const auto& w : it->second) w->ReleasePartition(p);  // this worker was its only reader
  }
  return Status::OK();
}

types::Interval StageWorker::ChunkOf(int64_t time) const {
  const SegmentGeneratorSpec& gen = *stage_->segment_generator;
  if (gen.segment_granularity.is_all()) return types::Interval::Eternity();
  int64_t start = gen.segment_granularity.Floor(time);
  return types::Interval{start, gen.segment_granularity.Next(start)};
}

std::unique_ptr<segment::SegmentWriter> StageWorker::NewSegmentWriter(const types::Interval& chunk) const {
  const SegmentGeneratorSpec& gen = *stage_->segment_generator;
  segment::SegmentWriterOptions options;
  options.pool = base::ThreadPool::Shared();
  // Segment order: __time, then the CLUSTERED BY columns.
  for (const SortKey& k : gen.segment_sort) options.sort_columns.push_back(k.column);
  return std::make_unique<segment::SegmentWriter>(gen.columns, chunk, std::move(options));
}

Status StageWorker::WriteSplitSegments(std::vector<Frame> frames, const ShuffleSpec& shuffle) {
  const SegmentGeneratorSpec& gen = *stage_->segment_generator;
  int64_t total = 0;
  for (const auto& f : frames) total += f.num_rows;
  std::vector<SortKey> keys = shuffle.cluster_keys;
  keys.push_back(SortKey::Asc(shuffle.time_column));
  std::vector<RowRef> order = SortRows(frames, keys);
  types::Interval chunk = ChunkOf(frames[order[0].first].column(0).longs[order[0].second]);
  int64_t pieces = (total + gen.rows_per_segment - 1) / gen.rows_per_segment;
  int64_t per_piece = (total + pieces - 1) / pieces;
  size_t pos = 0;
  for (int64_t piece = 0; piece < pieces; ++piece) {
    RETURN_IF_ERROR(ctx_->CheckCanceled());
    std::unique_ptr<segment::SegmentWriter> writer = NewSegmentWriter(chunk);
    RangeKeyMin range;
    size_t end = std::min(order.size(), pos + static_cast<size_t>(per_piece));
    while (pos < end) {
      size_t n = std::min<size_t>(65536, end - pos);
      Frame piece_rows = GatherRows(frames, order.data() + pos, n);
      range.Add(piece_rows, gen.range_shard_columns);
      RETURN_IF_ERROR(writer->Append(std::move(piece_rows)));
      counters_->AddSegmentGeneration(static_cast<int64_t>(n), 0, 0, 0);
      pos += n;
    }
    RETURN_IF_ERROR(FinishSegment(std::move(writer), chunk, range));
  }
  return Status::OK();
}

Status StageWorker::FinishSegment(std::unique_ptr<segment::SegmentWriter> writer, const types::Interval& chunk,
                                  const RangeKeyMin& range) {
  const SegmentGeneratorSpec& gen = *stage_->segment_generator;
  RETURN_IF_ERROR(ctx_->CheckCanceled());
  ASSIGN_OR_RETURN(catalog::SegmentId id, ctx_->allocator()->Allocate(chunk));
  writer->set_properties("{\"dataSource\":\"" + gen.datasource + "\",\"version\":\"" + id.version + "\"}");
  int64_t rows = writer->num_rows();
  counters_->AddSegmentGeneration(0, rows, 0, 0);
  RETURN_IF_ERROR(ctx_->fs()->CreateDirs(ctx_->options().temp_dir));
  std::string local = io::JoinPath(ctx_->options().temp_dir, "segment-" + std::to_string(stage_->stage_number) + "-" +
                                                                 std::to_string(worker_) + "-" + id.ToString() + ".seg");
  ASSIGN_OR_RETURN(segment::SegmentFileInfo info, writer->Write(ctx_->fs(), local));
  writer.reset();
  counters_->AddSegmentGeneration(0, 0, rows, 0);
  ASSIGN_OR_RETURN(std::string load_spec, ctx_->deep_storage()->Push(local, id));
  counters_->AddSegmentGeneration(0, 0, 0, rows);
  GeneratedSegment g;
  g.id = id;
  g.num_rows = rows;
  g.size_bytes = info.size_bytes;
  g.load_spec_json = load_spec;
  g.columns = gen.columns;
  g.dimensions = gen.dimensions;
  g.metrics = gen.metrics;
  if (!gen.range_shard_columns.empty() && (range.seen || range.multi_valued)) {
    g.multi_valued_range_key = range.multi_valued;
    if (!range.multi_valued) {
      for (int c : gen.range_shard_columns) g.range_dimensions.push_back(gen.columns[c].name);
      g.range_min = range.min;
    }
  }
  segments_.push_back(std::move(g));
  return Status::OK();
}

void RangeKeyMin::Add(const Frame& frame, const std::vector<int>& columns) {
  if (columns.empty() || multi_valued || frame.num_rows == 0) return;
  std::vector<const columnar::Column*> keys;
  for (int c : columns) {
    const columnar::Column& col = frame.column(c);
    if (col.multi_value || col.type != ColumnType::kString) {
      multi_valued = true;
      return;
    }
    keys.push_back(&col);
  }
  // -1 / 0 / 1: row r's tuple against the current minimum (NULL sorts first).
  auto compare = [&](int64_t r) {
    for (size_t k = 0; k < keys.size(); ++k) {
      bool null = keys[k]->IsNull(r);
      const std::optional<std::string>& m = min[k];
      if (null || !m) {
        if (null && m) return -1;
        if (!null && !m) return 1;
        continue;
      }
      int c = keys[k]->strings[r].compare(*m);
      if (c != 0) return c < 0 ? -1 : 1;
    }
    return 0;
  };
  for (int64_t r = 0; r < frame.num_rows; ++r) {
    if (seen && compare(r) >= 0) continue;
    min.clear();
    for (const auto* k : keys) {
      min.push_back(k->IsNull(r) ? std::nullopt : std::optional<std::string>(std::string(k->strings[r])));
    }
    seen = true;
  }
}

Result<std::unique_ptr<FrameReader>> StageWorker::OpenPartition(int p) const {
  if (p < 0 || p >= static_cast<int>(partitions_.size())) {
    struct Empty : FrameReader {
      Result<bool> Next(Frame*) override { return false; }
    };
    return std::unique_ptr<FrameReader>(new Empty());
  }
  if (!partitions_[p]) return Status::Internal("partition " + std::to_string(p) + " was already consumed");
  return partitions_[p]->OpenReader();
}

void StageWorker::ReleaseOutput() { partitions_.clear(); }

int64_t StageWorker::PartitionRows(int p) const {
  if (p < 0 || p >= static_cast<int>(partitions_.size()) || !partitions_[p]) return 0;
  return partitions_[p]->num_rows();
}

void StageWorker::ReleasePartition(int p) {
  if (p >= 0 && p < static_cast<int>(partitions_.size())) partitions_[p].reset();
}

namespace {

class ConcatReader : public FrameReader {
 public:
  explicit ConcatReader(std::vector<std::unique_ptr<FrameReader>> readers) : readers_(std::move(readers)) {}
  Result<bool> Next(Frame* out) override {
    while (index_ < readers_.size()) {
      ASSIGN_OR_RETURN(bool more, readers_[index_]->Next(out));
      if (more) return true;
      ++index_;
    }
    return false;
  }

 private:
  std::vector<std::unique_ptr<FrameReader>> readers_;
  size_t index_ = 0;
};

class MergingReader : public FrameReader {
 public:
  MergingReader(std::vector<std::unique_ptr<FrameReader>> readers, std::vector<SortKey> keys)
      : readers_(std::move(readers)),
        merger_(readers_.size(), std::move(keys), [this](size_t i, Frame* f) { return readers_[i]->Next(f); }) {}
  Result<bool> Next(Frame* out) override { return merger_.Next(columnar::kDefaultFrameRows, out); }

 private:
  std::vector<std::unique_ptr<FrameReader>> readers_;
  FrameMerger merger_;
};

}  // namespace

Result<std::unique_ptr<FrameReader>> OpenStagePartition(const StageDefinition& stage,
                                                        const std::vector<std::shared_ptr<StageWorker>>& workers, int p,
                                                        bool merge) {
  std::vector<std::unique_ptr<FrameReader>> readers;
  for (const auto& w : workers) {
    ASSIGN_OR_RETURN(auto r, w->OpenPartition(p));
    readers.push_back(std::move(r));
  }
  if (merge && stage.shuffle.sorted() && readers.size() > 1) {
    return std::unique_ptr<FrameReader>(new MergingReader(std::move(readers), stage.shuffle.keys));
  }
  return std::unique_ptr<FrameReader>(new ConcatReader(std::move(readers)));
}

}  // namespace strata::engine
