#include "engine/operators.h"

#include <algorithm>

#include "engine/aggregation.h"
#include "engine/external_sort.h"
#include "engine/hash_join.h"
#include "engine/row_hash.h"
#include "engine/sort.h"

namespace strata::engine {

using columnar::ColumnPtr;
using columnar::Frame;

Result<Frame> ApplyFilter(const Frame& frame, const Expr& predicate, const EvalContext& ctx) {
  ASSIGN_OR_RETURN(ColumnPtr verdict, predicate.Evaluate(frame, ctx));
  std::vector<uint32_t> keep;
  keep.reserve(frame.num_rows);
  const auto& c = *verdict;
  if (c.type == ColumnType::kLong) {
    bool nulls = c.has_nulls();
    for (int64_t i = 0; i < frame.num_rows; ++i) {
      if (c.longs[i] != 0 && !(nulls && c.nulls[i])) keep.push_back(static_cast<uint32_t>(i));
    }
  } else {
    for (int64_t i = 0; i < frame.num_rows; ++i) {
      if (!c.IsNull(i) && columnar::GetValue(c, i).AsDouble() != 0) keep.push_back(static_cast<uint32_t>(i));
    }
  }
  if (static_cast<int64_t>(keep.size()) == frame.num_rows) return frame;
  return columnar::GatherFrame(frame, keep);
}

namespace {

class FilterOperator : public Operator {
 public:
  FilterOperator(ExprPtr predicate, const EvalContext* ctx, Operator* next)
      : predicate_(std::move(predicate)), ctx_(ctx), next_(next) {}
  Status Push(Frame frame) override {
    ASSIGN_OR_RETURN(Frame out, ApplyFilter(frame, *predicate_, *ctx_));
    if (out.num_rows == 0) return Status::OK();
    return next_->Push(std::move(out));
  }
  Status Finish() override { return next_->Finish(); }
  bool done() const override { return next_->done(); }
  Status EndOfPartition() override { return next_->EndOfPartition(); }
  Status StartPartition(int p) override { return next_->StartPartition(p); }

 private:
  ExprPtr predicate_;
  const EvalContext* ctx_;
  Operator* next_;
};

class ProjectOperator : public Operator {
 public:
  ProjectOperator(std::vector<ExprPtr> exprs, const EvalContext* ctx, Operator* next)
      : exprs_(std::move(exprs)), ctx_(ctx), next_(next) {}
  Status Push(Frame frame) override {
    Frame out;
    out.num_rows = frame.num_rows;
    out.columns.reserve(exprs_.size());
    for (const auto& e : exprs_) {
      ASSIGN_OR_RETURN(ColumnPtr c, e->Evaluate(frame, *ctx_));
      out.columns.push_back(std::move(c));
    }
    return next_->Push(std::move(out));
  }
  Status Finish() override { return next_->Finish(); }
  bool done() const override { return next_->done(); }
  Status EndOfPartition() override { return next_->EndOfPartition(); }
  Status StartPartition(int p) override { return next_->StartPartition(p); }

 private:
  std::vector<ExprPtr> exprs_;
  const EvalContext* ctx_;
  Operator* next_;
};

// Hash aggregation within the worker's memory budget. Past its share of the budget, a partial
// (pre-shuffle) aggregation emits what it has and starts over — the merge downstream combines
// the pieces; a merging aggregation spills its groups as intermediate rows, hash-partitioned
// into files, and merges each file on its own at the end (a sixteenth of the groups at a time).
class AggregateOperator : public Operator {
 public:
  AggregateOperator(const AggregateSpec& spec, Operator* next, PipelineResources resources)
      : spec_(spec), aggregator_(spec.key_types, spec.aggregators, spec.merge), next_(next), resources_(resources) {
    if (!spec.merge && !spec.final) aggregator_.GroupByDictionary();  // a pre-shuffle aggregation
  }
  ~AggregateOperator() override {
    if (resources_.budget) resources_.budget->Release(reserved_);
    DeleteSpills();
  }
  Status Push(Frame frame) override {
    RETURN_IF_ERROR(aggregator_.Add(frame));
    for (auto& f : aggregator_.TakeFlushed()) RETURN_IF_ERROR(next_->Push(std::move(f)));
    return KeepWithinBudget();
  }
  Status Finish() override {
    if (spec_.emit_empty_group) aggregator_.EnsureGlobalGroup();
    RETURN_IF_ERROR(EmitAll());
    return next_->Finish();
  }
  Status EndOfPartition() override {
    if (!spec_.merge || spec_.key_types.empty()) return Status::OK();
    RETURN_IF_ERROR(EmitAll());
    return next_->EndOfPartition();
  }
  Status StartPartition(int p) override {
    if (!spec_.merge || spec_.key_types.empty()) return Status::OK();
    return next_->StartPartition(p);
  }
  // Downstream can only be done before this emits when the query was canceled.
  bool done() const override { return next_->done(); }

 private:
  static constexpr int kSpillPartitions = 16;

  Status KeepWithinBudget() {
    MemoryBudget* budget = resources_.budget;
    if (budget == nullptr) return Status::OK();
    int64_t now = aggregator_.memory_bytes();
    budget->Reserve(now - reserved_);
    reserved_ = now;
    if (!budget->exceeded() && now <= budget->limit() / 2) return Status::OK();
    if (!spec_.merge && !spec_.final) {
      // Partial: hand the groups on now; the merge after the shuffle combines repeats.
      ASSIGN_OR_RETURN(std::vector<Frame> frames, aggregator_.Emit(false, columnar::kDefaultFrameRows));
      ReleaseReservation();
      for (auto& f : frames) RETURN_IF_ERROR(next_->Push(std::move(f)));
      return Status::OK();
    }
    if (spec_.merge && !spec_.key_types.empty() && resources_.spill != nullptr) return SpillGroups();
    return Status::OK();  // one group (no keys): nothing to split
  }

  void ReleaseReservation() {
    if (resources_.budget) resources_.budget->Release(reserved_);
    reserved_ = 0;
  }

  // Moves the groups held to the spill files, partitioned by their keys.
  Status SpillGroups() {
    SpillDirectory* spill = resources_.spill;
    if (spill_files_.empty()) {
      for (int p = 0; p < kSpillPartitions; ++p) {
        ASSIGN_OR_RETURN(std::string path, spill->NewFile("aggregate"));
        ASSIGN_OR_RETURN(auto file, spill->fs()->NewWritableFile(path));
        spill_paths_.push_back(path);
        spill_files_.push_back(std::move(file));
        ++spill->files_written;
      }
    }
    ASSIGN_OR_RETURN(std::vector<Frame> frames, aggregator_.Emit(false, columnar::kDefaultFrameRows));
    ReleaseReservation();
    std::vector<int> keys;
    for (size_t k = 0; k < spec_.key_types.size(); ++k) keys.push_back(static_cast<int>(k));
    std::vector<std::vector<uint32_t>> rows(kSpillPartitions);
    for (const Frame& f : frames) {
      for (auto& r : rows) r.clear();
      for (int64_t r = 0; r < f.num_rows; ++r) {
        rows[PartitionOf(HashRow(f, keys, r, /*seed=*/0x5bd1e995), kSpillPartitions)].push_back(static_cast<uint32_t>(r));
      }
      for (int p = 0; p < kSpillPartitions; ++p) {
        if (rows[p].empty()) continue;
        int64_t written = 0;
        RETURN_IF_ERROR(AppendFrameToFile(spill_files_[p].get(), columnar::GatherFrame(f, rows[p]), &written));
        spill->bytes_written += written;
      }
    }
    return Status::OK();
  }

  Status EmitAll() {
    if (spill_files_.empty()) {
      ASSIGN_OR_RETURN(std::vector<Frame> frames, aggregator_.Emit(spec_.final, columnar::kDefaultFrameRows));
      ReleaseReservation();
      return PushAll(std::move(frames));
    }
    // Spilled: each partition's groups merged on their own.
    RETURN_IF_ERROR(SpillGroups());
    for (auto& f : spill_files_) RETURN_IF_ERROR(f->Close());
    spill_files_.clear();
    for (const std::string& path : spill_paths_) {
      HashAggregator merge(spec_.key_types, spec_.aggregators, /*merge=*/true);
      ASSIGN_OR_RETURN(auto reader, OpenFrameFile(resources_.spill->fs(), path));
      Frame f;
      while (true) {
        ASSIGN_OR_RETURN(bool more, reader->Next(&f));
        if (!more) break;
        RETURN_IF_ERROR(merge.Add(f));
      }
      ASSIGN_OR_RETURN(std::vector<Frame> frames, merge.Emit(spec_.final, columnar::kDefaultFrameRows));
      RETURN_IF_ERROR(PushAll(std::move(frames)));
    }
    DeleteSpills();
    return Status::OK();
  }

  Status PushAll(std::vector<Frame> frames) {
    for (auto& f : frames) {
      if (next_->done()) break;
      RETURN_IF_ERROR(next_->Push(std::move(f)));
    }
    return Status::OK();
  }

  void DeleteSpills() {
    spill_files_.clear();
    if (resources_.spill) {
      for (const auto& p : spill_paths_) resources_.spill->fs()->DeleteFile(p);
    }
    spill_paths_.clear();
  }

  AggregateSpec spec_;
  HashAggregator aggregator_;
  Operator* next_;
  PipelineResources resources_;
  int64_t reserved_ = 0;
  std::vector<std::string> spill_paths_;
  std::vector<std::unique_ptr<io::WritableFile>> spill_files_;
};

// A blocking sort of the worker's rows; with `limit` >= 0 only the first `limit` rows of the order
// are produced (ORDER BY ... LIMIT: a partial sort).
class SortOperator : public Operator {
 public:
  SortOperator(std::vector<SortKey> keys, int64_t limit, Operator* next)
      : keys_(std::move(keys)), limit_(limit), next_(next) {}
  Status Push(Frame frame) override {
    if (frame.num_rows > 0) frames_.push_back(std::move(frame));
    return Status::OK();
  }
  Status Finish() override {
    if (!frames_.empty()) {
      std::vector<RowRef> order = SortRows(frames_, keys_, limit_);
      for (size_t start = 0; start < order.size() && !next_->done(); start += columnar::kDefaultFrameRows) {
        size_t n = std::min<size_t>(columnar::kDefaultFrameRows, order.size() - start);
        RETURN_IF_ERROR(next_->Push(GatherRows(frames_, order.data() + start, n)));
      }
      frames_.clear();
    }
    return next_->Finish();
  }
  bool done() const override { return next_->done(); }  // (canceled)

 private:
  std::vector<SortKey> keys_;
  int64_t limit_;
  std::vector<Frame> frames_;
  Operator* next_;
};

class LimitOperator : public Operator {
 public:
  LimitOperator(int64_t offset, int64_t limit, Operator* next) : to_skip_(offset), remaining_(limit), next_(next) {}
  Status Push(Frame frame) override {
    if (done()) return Status::OK();
    int64_t start = std::min(to_skip_, frame.num_rows);
    to_skip_ -= start;
    int64_t n = frame.num_rows - start;
    if (remaining_ >= 0) {
      n = std::min(n, remaining_);
      remaining_ -= n;
    }
    if (n <= 0) return Status::OK();
    return next_->Push(columnar::SliceFrame(frame, start, n));
  }
  Status Finish() override { return next_->Finish(); }
  bool done() const override { return remaining_ == 0 || next_->done(); }
  Status EndOfPartition() override { return next_->EndOfPartition(); }
  Status StartPartition(int p) override { return next_->StartPartition(p); }

 private:
  int64_t to_skip_;
  int64_t remaining_;
  Operator* next_;
};

// GROUPING SETS: each frame once per set (ExpandSpec).
class ExpandOperator : public Operator {
 public:
  ExpandOperator(ExpandSpec spec, Operator* next) : spec_(std::move(spec)), next_(next) {}
  Status Push(Frame frame) override {
    for (const auto& set : spec_.sets) {
      if (next_->done()) break;
      int64_t gid = 0;
      Frame out;
      out.num_rows = frame.num_rows;
      for (int j = 0; j < spec_.num_keys; ++j) {
        bool in_set = std::find(set.begin(), set.end(), j) != set.end();
        if (in_set) {
          out.columns.push_back(frame.columns[j]);
        } else {
          gid |= int64_t{1} << (spec_.num_keys - 1 - j);
          out.columns.push_back(columnar::MakeNullColumn(frame.column(j).type, frame.num_rows));
        }
      }
      out.columns.push_back(columnar::MakeConstantColumn(types::Value::Long(gid), ColumnType::kLong, frame.num_rows));
      for (int c = spec_.num_keys; c < frame.num_columns(); ++c) out.columns.push_back(frame.columns[c]);
      RETURN_IF_ERROR(next_->Push(std::move(out)));
    }
    return Status::OK();
  }
  Status Finish() override { return next_->Finish(); }
  bool done() const override { return next_->done(); }

 private:
  ExpandSpec spec_;
  Operator* next_;
};

}  // namespace

Result<Pipeline> BuildPipeline(const std::vector<OperatorSpec>& specs, const EvalContext* ctx, Operator* sink,
                               BuildLoader build_loader, PipelineResources resources) {
  Pipeline p;
  Operator* next = sink;
  for (auto it = specs.rbegin(); it != specs.rend(); ++it) {
    std::unique_ptr<Operator> op;
    switch (it->kind) {
      case OperatorSpec::Kind::kFilter: op = std::make_unique<FilterOperator>(it->predicate, ctx, next); break;
      case OperatorSpec::Kind::kProject: op = std::make_unique<ProjectOperator>(it->exprs, ctx, next); break;
      case OperatorSpec::Kind::kAggregate: op = std::make_unique<AggregateOperator>(it->aggregate, next, resources); break;
      case OperatorSpec::Kind::kSort: op = std::make_unique<SortOperator>(it->sort_keys, it->limit, next); break;
      case OperatorSpec::Kind::kLimit: op = std::make_unique<LimitOperator>(it->offset, it->limit, next); break;
      case OperatorSpec::Kind::kExpand: op = std::make_unique<ExpandOperator>(it->expand, next); break;
      case OperatorSpec::Kind::kHashJoin:
        if (!build_loader) return Status::Internal("a hash join needs its build side");
        op = MakeHashJoinOperator(it->join, ctx, build_loader, next);
        break;
      case OperatorSpec::Kind::kExplodeMultiValue:
        return Status::Unsupported("multi-value unnesting operator");
    }
    next = op.get();
    p.operators.push_back(std::move(op));
  }
  p.head = next;
  return p;
}

}  // namespace strata::engine
