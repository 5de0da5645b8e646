#include "engine/hash_join.h"

#include <algorithm>

#include "engine/group_keys.h"
#include "engine/sort.h"

namespace strata::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::Frame;

namespace {

constexpr uint32_t kNoGroup = GroupKeyTable::kNoGroup;

class HashJoinOperator : public Operator {
 public:
  HashJoinOperator(JoinSpec spec, const EvalContext* ctx, BuildLoader loader, Operator* next)
      : spec_(std::move(spec)), ctx_(ctx), loader_(std::move(loader)), next_(next) {}

  Status StartPartition(int partition) override {
    if (!spec_.copartitioned) return Status::OK();
    Reset();
    partition_ = partition;
    return Status::OK();
  }

  Status EndOfPartition() override {
    if (!spec_.copartitioned) return Status::OK();
    RETURN_IF_ERROR(EmitUnmatchedBuildRows());
    Reset();
    return Status::OK();
  }

  Status Push(Frame probe) override {
    if (probe.num_rows == 0) return Status::OK();
    RETURN_IF_ERROR(EnsureBuilt());
    int64_t n = probe.num_rows;
    std::vector<uint32_t> groups;
    if (!spec_.probe_keys.empty()) {
      groups.resize(static_cast<size_t>(n));
      std::vector<const Column*> keys;
      for (int k : spec_.probe_keys) keys.push_back(&probe.column(k));
      table_->Lookup(keys, n, groups.data());
      ClearNullKeys(keys, n, groups.data());
    }
    bool keep_unmatched = spec_.type == JoinSpec::Type::kLeft || spec_.type == JoinSpec::Type::kFull;
    std::vector<uint8_t> probe_matched(keep_unmatched ? static_cast<size_t>(n) : 0, 0);
    std::vector<uint32_t> probe_rows;
    std::vector<RowRef> build_rows;
    auto flush = [&]() -> Status {
      if (probe_rows.empty()) return Status::OK();
      Status s = EmitPairs(probe, probe_rows, build_rows, keep_unmatched ? probe_matched.data() : nullptr);
      probe_rows.clear();
      build_rows.clear();
      return s;
    };
    for (int64_t i = 0; i < n && !next_->done(); ++i) {
      uint32_t begin = 0, end = 0;
      if (spec_.probe_keys.empty()) {
        end = static_cast<uint32_t>(num_build_rows_);  // a cross join pairs every build row
      } else if (groups[i] != kNoGroup) {
        begin = group_start_[groups[i]];
        end = group_start_[groups[i] + 1];
      }
      for (uint32_t j = begin; j < end; ++j) {
        probe_rows.push_back(static_cast<uint32_t>(i));
        build_rows.push_back(BuildRef(spec_.probe_keys.empty() ? j : group_rows_[j]));
        if (probe_rows.size() >= static_cast<size_t>(columnar::kDefaultFrameRows)) RETURN_IF_ERROR(flush());
      }
    }
    RETURN_IF_ERROR(flush());
    if (keep_unmatched) {
      std::vector<uint32_t> unmatched;
      for (int64_t i = 0; i < n; ++i) {
        if (!probe_matched[i]) unmatched.push_back(static_cast<uint32_t>(i));
      }
      if (!unmatched.empty() && !next_->done()) {
        Frame out = columnar::GatherFrame(probe, unmatched);
        for (const auto& c : spec_.build_signature) out.columns.push_back(columnar::MakeNullColumn(c.type, out.num_rows));
        RETURN_IF_ERROR(next_->Push(std::move(out)));
      }
    }
    return Status::OK();
  }

  Status Finish() override {
    if (!spec_.copartitioned) RETURN_IF_ERROR(EmitUnmatchedBuildRows());
    return next_->Finish();
  }

  bool done() const override { return next_->done(); }

 private:
  void Reset() {
    built_ = false;
    build_frames_.clear();
    frame_starts_.clear();
    table_.reset();
    group_start_.clear();
    group_rows_.clear();
    build_matched_.clear();
    num_build_rows_ = 0;
  }

  // Rows with a NULL key (where NULL does not match NULL) get no group.
  void ClearNullKeys(const std::vector<const Column*>& keys, int64_t n, uint32_t* groups) const {
    for (size_t k = 0; k < keys.size(); ++k) {
      if (spec_.null_equal.size() > k && spec_.null_equal[k]) continue;
      for (int64_t i = 0; i < n; ++i) {
        if (groups[i] != kNoGroup && keys[k]->IsNull(i)) groups[i] = kNoGroup;
      }
    }
  }

  RowRef BuildRef(uint32_t row) const {
    auto it = std::upper_bound(frame_starts_.begin(), frame_starts_.end(), row);
    auto f = static_cast<uint32_t>(it - frame_starts_.begin() - 1);
    return RowRef{f, row - frame_starts_[f]};
  }

  // Loads the build side (the whole input, or this partition of it) and indexes its rows by key.
  Status EnsureBuilt() {
    if (built_) return Status::OK();
    built_ = true;
    ASSIGN_OR_RETURN(build_frames_, loader_(spec_.build_input, spec_.copartitioned ? partition_ : -1));
    std::vector<types::ColumnType> key_types;
    for (int k : spec_.build_keys) key_types.push_back(spec_.build_signature[k].type);
    table_ = std::make_unique<GroupKeyTable>(key_types);
    std::vector<uint32_t> row_groups;
    for (const Frame& f : build_frames_) {
      frame_starts_.push_back(static_cast<uint32_t>(num_build_rows_));
      if (!spec_.build_keys.empty() && f.num_rows > 0) {
        std::vector<const Column*> keys;
        for (int k : spec_.build_keys) keys.push_back(&f.column(k));
        size_t base = row_groups.size();
        row_groups.resize(base + static_cast<size_t>(f.num_rows));
        table_->Assign(keys, f.num_rows, row_groups.data() + base);
        ClearNullKeys(keys, f.num_rows, row_groups.data() + base);
      }
      num_build_rows_ += f.num_rows;
    }
    if (num_build_rows_ > UINT32_MAX / 2) {
      return Status::ResourceExhausted("the build side of a join has more than 2^31 rows").WithErrorCode("resourceExhausted");
    }
    // Rows of each group together (a counting sort of the rows by group).
    size_t groups = table_->num_groups();
    group_start_.assign(groups + 1, 0);
    for (uint32_t g : row_groups) {
      if (g != kNoGroup) ++group_start_[g + 1];
    }
    for (size_t g = 0; g < groups; ++g) group_start_[g + 1] += group_start_[g];
    group_rows_.resize(group_start_[groups]);
    std::vector<uint32_t> cursor(group_start_.begin(), group_start_.end() - 1);
    for (size_t r = 0; r < row_groups.size(); ++r) {
      if (row_groups[r] != kNoGroup) group_rows_[cursor[row_groups[r]]++] = static_cast<uint32_t>(r);
    }
    if (spec_.type == JoinSpec::Type::kRight || spec_.type == JoinSpec::Type::kFull) {
      build_matched_.assign(static_cast<size_t>(num_build_rows_), 0);
    }
    return Status::OK();
  }

  // Emits the pairs (probe_rows[i], build_rows[i]) that satisfy the condition; marks matches.
  Status EmitPairs(const Frame& probe, const std::vector<uint32_t>& probe_rows, const std::vector<RowRef>& build_rows,
                   uint8_t* probe_matched) {
    Frame joined = columnar::GatherFrame(probe, probe_rows);
    Frame build = GatherRows(build_frames_, build_rows.data(), build_rows.size());
    for (auto& c : build.columns) joined.columns.push_back(std::move(c));
    std::vector<uint32_t> keep;
    if (spec_.condition) {
      ASSIGN_OR_RETURN(ColumnPtr verdict, spec_.condition->Evaluate(joined, *ctx_));
      for (int64_t i = 0; i < joined.num_rows; ++i) {
        if (!verdict->IsNull(i) && verdict->longs[i] != 0) keep.push_back(static_cast<uint32_t>(i));
      }
    }
    bool all = !spec_.condition || static_cast<int64_t>(keep.size()) == joined.num_rows;
    size_t count = all ? probe_rows.size() : keep.size();
    for (size_t k = 0; k < count; ++k) {
      size_t i = all ? k : keep[k];
      if (probe_matched) probe_matched[probe_rows[i]] = 1;
      if (!build_matched_.empty()) build_matched_[frame_starts_[build_rows[i].first] + build_rows[i].second] = 1;
    }
    if (!all) joined = columnar::GatherFrame(joined, keep);
    if (joined.num_rows == 0) return Status::OK();
    return next_->Push(std::move(joined));
  }

  // RIGHT and FULL joins: the build rows no probe row matched, with NULL probe columns.
  Status EmitUnmatchedBuildRows() {
    if (spec_.type != JoinSpec::Type::kRight && spec_.type != JoinSpec::Type::kFull) return Status::OK();
    RETURN_IF_ERROR(EnsureBuilt());
    std::vector<RowRef> rows;
    auto flush = [&]() -> Status {
      if (rows.empty() || next_->done()) return Status::OK();
      Frame out;
      out.num_rows = static_cast<int64_t>(rows.size());
      for (const auto& c : spec_.probe_signature) out.columns.push_back(columnar::MakeNullColumn(c.type, out.num_rows));
      Frame build = GatherRows(build_frames_, rows.data(), rows.size());
      for (auto& c : build.columns) out.columns.push_back(std::move(c));
      rows.clear();
      return next_->Push(std::move(out));
    };
    for (int64_t r = 0; r < num_build_rows_; ++r) {
      if (build_matched_[r]) continue;
      rows.push_back(BuildRef(static_cast<uint32_t>(r)));
      if (rows.size() >= static_cast<size_t>(columnar::kDefaultFrameRows)) RETURN_IF_ERROR(flush());
    }
    return flush();
  }

  JoinSpec spec_;
  const EvalContext* ctx_;
  BuildLoader loader_;
  Operator* next_;
  int partition_ = -1;
  bool built_ = false;
  std::vector<Frame> build_frames_;
  std::vector<uint32_t> frame_starts_;  // first global row of each build frame
  int64_t num_build_rows_ = 0;
  std::unique_ptr<GroupKeyTable> table_;
  std::vector<uint32_t> group_start_;  // rows of group g: group_rows_[group_start_[g] .. group_start_[g + 1])
  std::vector<uint32_t> group_rows_;
  std::vector<uint8_t> build_matched_;  // RIGHT/FULL
};

}  // namespace

std::unique_ptr<Operator> MakeHashJoinOperator(const JoinSpec& spec, const EvalContext* ctx, BuildLoader loader,
                                               Operator* next) {
  return std::make_unique<HashJoinOperator>(spec, ctx, std::move(loader), next);
}

}  // namespace strata::engine
