#include "engine/time_chunk_partitioner.h"

#include <algorithm>

namespace strata::engine {

using columnar::Column;
using columnar::Frame;

// Finds the plan partition of a row: its time chunk's range of partitions, then (when the chunk
// has several) the last one whose lower bound the row's key reaches.
class TimeChunkPartitioner::Router {
 public:
  Router(const PartitionPlan& plan, const std::vector<SortKey>& keys, int time_column, types::Granularity granularity)
      : plan_(plan), keys_(keys), time_column_(time_column), granularity_(granularity) {
    for (uint32_t i = 0; i < plan.partitions.size(); ++i) {
      auto [it, inserted] = ranges_.emplace(plan.partitions[i].bucket, std::make_pair(i, i + 1));
      if (!inserted) it->second.second = i + 1;
    }
  }

  // Partition of every row of `f` into `out`.
  Status Assign(const Frame& f, std::vector<uint32_t>* out) {
    out->resize(static_cast<size_t>(f.num_rows));
    const Column& time = f.column(time_column_);
    for (int64_t r = 0; r < f.num_rows; ++r) {
      int64_t t = time.longs[r];
      if (!(t >= chunk_start_ && t < chunk_end_)) RETURN_IF_ERROR(EnterChunk(t));
      uint32_t p = range_.first;
      if (range_.second - range_.first > 1) {
        // Boundaries ascend within a chunk; the first partition has no lower bound.
        uint32_t lo = range_.first, hi = range_.second;  // answer in [lo, hi)
        while (hi - lo > 1) {
          uint32_t mid = lo + (hi - lo) / 2;
          if (KeyAtLeast(f, r, plan_.partitions[mid])) lo = mid;
          else hi = mid;
        }
        p = lo;
      }
      (*out)[static_cast<size_t>(r)] = p;
    }
    return Status::OK();
  }

 private:
  Status EnterChunk(int64_t t) {
    chunk_start_ = granularity_.Floor(t);
    chunk_end_ = granularity_.is_all() ? INT64_MAX : granularity_.Next(chunk_start_);
    if (granularity_.is_all()) chunk_start_ = INT64_MIN;
    auto it = ranges_.find(granularity_.is_all() ? granularity_.Floor(t) : chunk_start_);
    if (it == ranges_.end()) {
      return Status::Internal("no output partition was planned for the time chunk of " + std::to_string(t));
    }
    range_ = it->second;
    return Status::OK();
  }

  bool KeyAtLeast(const Frame& f, int64_t row, const PartitionPlan::Partition& p) const {
    if (!p.lower) return true;
    // The boundary frame holds the key columns in `keys_` order.
    for (size_t k = 0; k < keys_.size(); ++k) {
      const Column& a = f.column(keys_[k].column);
      const Column& b = p.lower->column(static_cast<int>(k));
      bool na = a.IsNull(row), nb = b.IsNull(0);
      int c;
      if (na || nb) c = na == nb ? 0 : (na ? -1 : 1);
      else c = CompareCells(a, row, b, 0);
      if (!keys_[k].ascending) c = -c;
      if (c != 0) return c > 0;
    }
    return true;
  }

  const PartitionPlan& plan_;
  const std::vector<SortKey>& keys_;
  int time_column_;
  types::Granularity granularity_;
  std::map<int64_t, std::pair<uint32_t, uint32_t>> ranges_;
  int64_t chunk_start_ = 0, chunk_end_ = 0;  // empty: the first row looks its chunk up
  std::pair<uint32_t, uint32_t> range_{0, 0};
};

// The buffered frames of a partitioner that kept everything in memory, shared by the partitions
// that reference their rows; the memory stays reserved in the budget until the last one goes.
struct TimeChunkPartitioner::FrameStore {
  std::vector<Frame> frames;
  MemoryBudget* budget = nullptr;
  int64_t bytes = 0;
  ~FrameStore() {
    if (budget) budget->Release(bytes);
  }
};

namespace {

// A partition made of rows of buffered frames; readers gather them into frames.
class RowRefPartition : public PartitionSource {
 public:
  RowRefPartition(std::shared_ptr<const void> store, const std::vector<Frame>* frames, std::vector<RowRef> rows,
                  int64_t bytes)
      : store_(std::move(store)), frames_(frames), rows_(std::move(rows)), bytes_(bytes) {}

  Result<std::unique_ptr<FrameReader>> OpenReader() const override {
    class Reader : public FrameReader {
     public:
      explicit Reader(const RowRefPartition* p) : p_(p) {}
      Result<bool> Next(Frame* out) override {
        if (pos_ >= p_->rows_.size()) return false;
        size_t n = std::min<size_t>(columnar::kDefaultFrameRows, p_->rows_.size() - pos_);
        *out = GatherRows(*p_->frames_, p_->rows_.data() + pos_, n);
        pos_ += n;
        return true;
      }

     private:
      const RowRefPartition* p_;
      size_t pos_ = 0;
    };
    return std::unique_ptr<FrameReader>(new Reader(this));
  }
  int64_t num_rows() const override { return static_cast<int64_t>(rows_.size()); }
  int64_t num_bytes() const override { return bytes_; }
  int64_t num_frames() const override {
    return (num_rows() + columnar::kDefaultFrameRows - 1) / columnar::kDefaultFrameRows;
  }

 private:
  std::shared_ptr<const void> store_;
  const std::vector<Frame>* frames_;
  std::vector<RowRef> rows_;
  int64_t bytes_;
};

}  // namespace

TimeChunkPartitioner::TimeChunkPartitioner(int time_column, types::Granularity granularity,
                                           std::vector<SortKey> key_columns, MemoryBudget* budget,
                                           SpillDirectory* spill, int64_t buffer_bytes)
    : time_column_(time_column), granularity_(granularity), key_columns_(std::move(key_columns)),
      buffer_(budget, spill, buffer_bytes) {}

TimeChunkPartitioner::~TimeChunkPartitioner() = default;

Status TimeChunkPartitioner::Add(Frame frame) {
  if (buffer_.Add(std::move(frame))) return Spill();
  return Status::OK();
}

Status TimeChunkPartitioner::Spill() {
  return buffer_.Spill("partition-input", [](const std::vector<Frame>& frames, io::WritableFile* file, int64_t* written) {
    for (const Frame& f : frames) RETURN_IF_ERROR(AppendFrameToFile(file, f, written));
    return Status::OK();
  });
}

Result<std::vector<std::unique_ptr<PartitionSource>>> TimeChunkPartitioner::Route(
    const PartitionPlan& plan, const std::function<Status()>& check_canceled) {
  batches_ = std::max<int64_t>(1, static_cast<int64_t>(buffer_.spill_paths().size()) + (buffer_.empty() ? 0 : 1));
  routed_ = true;
  size_t num_partitions = std::max<size_t>(1, plan.partitions.size());
  Router router(plan, key_columns_, time_column_, granularity_);
  std::vector<std::unique_ptr<PartitionSource>> out;
  std::vector<uint32_t> assigned;

  if (buffer_.spill_paths().empty()) {
    // Everything is in memory: partitions reference the buffered rows (a counting sort by
    // partition, keeping arrival order), nothing is copied.
    auto store = std::make_shared<FrameStore>();
    store->frames = buffer_.Take(&store->bytes);
    store->budget = buffer_.budget();
    std::vector<std::vector<uint32_t>> per_frame(store->frames.size());
    std::vector<size_t> counts(num_partitions, 0);
    for (size_t fi = 0; fi < store->frames.size(); ++fi) {
      RETURN_IF_ERROR(check_canceled());
      RETURN_IF_ERROR(router.Assign(store->frames[fi], &per_frame[fi]));
      for (uint32_t p : per_frame[fi]) ++counts[p];
    }
    std::vector<std::vector<RowRef>> rows(num_partitions);
    for (size_t p = 0; p < num_partitions; ++p) rows[p].reserve(counts[p]);
    for (size_t fi = 0; fi < store->frames.size(); ++fi) {
      const auto& parts = per_frame[fi];
      for (size_t r = 0; r < parts.size(); ++r) rows[parts[r]].emplace_back(static_cast<uint32_t>(fi), static_cast<uint32_t>(r));
      per_frame[fi] = {};
    }
    int64_t rows_total = buffer_.num_rows();
    double bytes_per_row = rows_total > 0 ? static_cast<double>(store->bytes) / static_cast<double>(rows_total) : 0;
    const std::vector<Frame>* frames = &store->frames;
    std::shared_ptr<const void> owner = store;
    for (size_t p = 0; p < num_partitions; ++p) {
      auto bytes = static_cast<int64_t>(bytes_per_row * static_cast<double>(rows[p].size()));
      out.push_back(std::make_unique<RowRefPartition>(owner, frames, std::move(rows[p]), bytes));
    }
    return out;
  }

  // Spilled: read the spilled frames back (then the buffered ones) and append each row to its
  // partition's channel, which spills in turn when the budget is exceeded.
  RETURN_IF_ERROR(Spill());
  SpillDirectory* spill = buffer_.spill_directory();
  std::vector<std::unique_ptr<FrameChannel>> channels;
  for (size_t p = 0; p < num_partitions; ++p) channels.push_back(std::make_unique<FrameChannel>(buffer_.budget(), spill));
  std::vector<std::vector<uint32_t>> rows(num_partitions);
  for (const std::string& path : buffer_.spill_paths()) {
    ASSIGN_OR_RETURN(auto reader, OpenFrameFile(spill->fs(), path));
    Frame f;
    while (true) {
      RETURN_IF_ERROR(check_canceled());
      ASSIGN_OR_RETURN(bool more, reader->Next(&f));
      if (!more) break;
      RETURN_IF_ERROR(router.Assign(f, &assigned));
      for (auto& r : rows) r.clear();
      for (size_t r = 0; r < assigned.size(); ++r) rows[assigned[r]].push_back(static_cast<uint32_t>(r));
      for (size_t p = 0; p < num_partitions; ++p) {
        if (rows[p].empty()) continue;
        if (rows[p].size() == static_cast<size_t>(f.num_rows)) {
          RETURN_IF_ERROR(channels[p]->Append(std::move(f)));
          break;
        }
        RETURN_IF_ERROR(channels[p]->Append(columnar::GatherFrame(f, rows[p])));
      }
    }
  }
  buffer_.DeleteSpills();
  for (auto& c : channels) {
    RETURN_IF_ERROR(c->Finish());
    out.push_back(std::move(c));
  }
  return out;
}

SortProgress TimeChunkPartitioner::progress() const {
  SortProgress p;
  auto spilled = static_cast<int64_t>(buffer_.spill_paths().size());
  int64_t batches = routed_ ? batches_ : std::max<int64_t>(1, spilled + (buffer_.empty() ? 0 : 1));
  p.total_merging_levels = 2;
  p.level_to_total_batches[0] = batches;
  p.level_to_merged_batches[0] = routed_ ? batches : spilled;
  p.level_to_total_batches[1] = 1;
  p.level_to_merged_batches[1] = routed_ ? 1 : 0;
  p.total_mergers_for_ultimate_level = 1;
  p.progress_digest = routed_ ? 1.0 : 0.0;
  return p;
}

}  // namespace strata::engine
