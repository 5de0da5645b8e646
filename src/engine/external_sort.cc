#include "engine/external_sort.h"

#include <algorithm>
#include <cstring>

namespace strata::engine {

using columnar::Column;
using columnar::Frame;
using types::ColumnType;

namespace {

// Up to two leading sort keys normalized to unsigned 64-bit words so most comparisons are integer
// compares. A word is exact for non-null LONG keys; string keys contribute their first 8 bytes
// (ties fall back to full comparison).
struct NormalizedRow {
  uint64_t w0;
  uint64_t w1;
  uint32_t frame;
  uint32_t row;
};

bool Normalizable(const Column& c) {
  return (c.type == ColumnType::kLong && !c.has_nulls()) || (c.type == ColumnType::kString && !c.multi_value);
}

uint64_t NormalizeCell(const Column& c, int64_t row, const SortKey& key, bool* exact) {
  uint64_t w;
  if (c.type == ColumnType::kLong) {
    w = static_cast<uint64_t>(c.longs[row]) ^ (1ULL << 63);
  } else {
    std::string_view s = c.strings[row];
    if (columnar::IsNullString(s)) {
      *exact = false;
      // Words are already in output order: NULLs first take the smallest word, NULLs last the
      // largest (ties with real values are resolved by the full comparison).
      return key.nulls_first ? 0 : ~0ULL;
    }
    unsigned char buf[8] = {0};
    std::memcpy(buf, s.data(), std::min<size_t>(8, s.size()));
    w = 0;
    for (int i = 0; i < 8; ++i) w = (w << 8) | buf[i];
    // Not exact: longer strings share prefixes; also '' vs NULL must be told apart by full compare.
    *exact = false;
  }
  return key.ascending ? w : ~w;
}

}  // namespace

std::vector<std::pair<uint32_t, uint32_t>> SortRows(const std::vector<Frame>& frames, const std::vector<SortKey>& keys) {
  size_t total = 0;
  for (const auto& f : frames) total += static_cast<size_t>(f.num_rows);
  std::vector<NormalizedRow> rows;
  rows.reserve(total);
  int num_words = 0;
  bool exact = true;
  if (!keys.empty()) {
    bool ok = true;
    for (const auto& f : frames) ok &= Normalizable(f.column(keys[0].column));
    if (ok) num_words = 1;
    if (ok && keys.size() > 1) {
      bool ok2 = true;
      for (const auto& f : frames) ok2 &= Normalizable(f.column(keys[1].column));
      if (ok2) num_words = 2;
    }
  }
  for (uint32_t fi = 0; fi < frames.size(); ++fi) {
    const Frame& f = frames[fi];
    const Column* c0 = num_words >= 1 ? &f.column(keys[0].column) : nullptr;
    const Column* c1 = num_words >= 2 ? &f.column(keys[1].column) : nullptr;
    for (int64_t r = 0; r < f.num_rows; ++r) {
      NormalizedRow nr{0, 0, fi, static_cast<uint32_t>(r)};
      if (c0) nr.w0 = NormalizeCell(*c0, r, keys[0], &exact);
      if (c1) nr.w1 = NormalizeCell(*c1, r, keys[1], &exact);
      rows.push_back(nr);
    }
  }
  bool needs_full = !exact || static_cast<int>(keys.size()) > num_words;
  auto less = [&](const NormalizedRow& a, const NormalizedRow& b) {
    if (a.w0 != b.w0) return a.w0 < b.w0;
    if (a.w1 != b.w1) return a.w1 < b.w1;
    if (needs_full) {
      int c = CompareRows(frames[a.frame], a.row, frames[b.frame], b.row, keys);
      if (c != 0) return c < 0;
    }
    if (a.frame != b.frame) return a.frame < b.frame;  // stable
    return a.row < b.row;
  };
  std::sort(rows.begin(), rows.end(), less);
  std::vector<std::pair<uint32_t, uint32_t>> out(rows.size());
  for (size_t i = 0; i < rows.size(); ++i) out[i] = {rows[i].frame, rows[i].row};
  return out;
}

ExternalSorter::ExternalSorter(std::vector<SortKey> keys, MemoryBudget* budget, SpillDirectory* spill, int64_t run_bytes)
    : keys_(std::move(keys)), budget_(budget), spill_(spill), run_bytes_(run_bytes) {}

ExternalSorter::~ExternalSorter() {
  if (budget_) budget_->Release(buffered_bytes_);
  if (spill_) {
    for (const auto& p : run_paths_) spill_->fs()->DeleteFile(p);
  }
}

Status ExternalSorter::Add(Frame frame) {
  if (frame.num_rows == 0) return Status::OK();
  int64_t bytes = frame.ByteSize();
  num_rows_ += frame.num_rows;
  buffered_bytes_ += bytes;
  if (budget_) budget_->Reserve(bytes);
  buffered_.push_back(std::move(frame));
  if (spill_ && (buffered_bytes_ > run_bytes_ || (budget_ && budget_->exceeded()))) return SpillRun();
  return Status::OK();
}

Status ExternalSorter::SpillRun() {
  if (buffered_.empty()) return Status::OK();
  auto order = SortRows(buffered_, keys_);
  ASSIGN_OR_RETURN(std::string path, spill_->NewFile("sort-run"));
  ASSIGN_OR_RETURN(auto file, spill_->fs()->NewWritableFile(path));
  run_paths_.push_back(path);
  ++spill_->files_written;
  FrameBuilder builder(buffered_[0]);
  int64_t written = 0;
  for (const auto& [fi, row] : order) {
    builder.AppendRow(buffered_[fi], row);
    if (builder.num_rows() >= columnar::kDefaultFrameRows) {
      RETURN_IF_ERROR(AppendFrameToFile(file.get(), builder.Finish(), &written));
    }
  }
  if (builder.num_rows() > 0) RETURN_IF_ERROR(AppendFrameToFile(file.get(), builder.Finish(), &written));
  RETURN_IF_ERROR(file->Close());
  spill_->bytes_written += written;
  if (budget_) budget_->Release(buffered_bytes_);
  buffered_.clear();
  buffered_bytes_ = 0;
  return Status::OK();
}

namespace {

// Reads a sorted in-memory frame in slices.
class SliceReader : public FrameReader {
 public:
  SliceReader(const Frame* frame, int64_t max_rows) : frame_(frame), max_rows_(max_rows) {}
  Result<bool> Next(Frame* out) override {
    if (pos_ >= frame_->num_rows) return false;
    int64_t n = std::min(max_rows_, frame_->num_rows - pos_);
    *out = columnar::SliceFrame(*frame_, pos_, n);
    pos_ += n;
    return true;
  }

 private:
  const Frame* frame_;
  int64_t max_rows_;
  int64_t pos_ = 0;
};

class MergeReader : public FrameReader {
 public:
  MergeReader(std::vector<std::unique_ptr<FrameReader>> inputs, std::vector<SortKey> keys, int64_t max_rows)
      : inputs_(std::move(inputs)), max_rows_(max_rows),
        merger_(inputs_.size(), std::move(keys), [this](size_t i, Frame* f) { return inputs_[i]->Next(f); }) {}
  Result<bool> Next(Frame* out) override { return merger_.Next(max_rows_, out); }

 private:
  std::vector<std::unique_ptr<FrameReader>> inputs_;
  int64_t max_rows_;
  FrameMerger merger_;
};

}  // namespace

Result<std::unique_ptr<FrameReader>> ExternalSorter::Finish(int64_t max_rows) {
  finished_ = true;
  if (run_paths_.empty()) {
    // Everything fits in memory: one sort, no I/O.
    if (!buffered_.empty()) {
      auto order = SortRows(buffered_, keys_);
      FrameBuilder builder(buffered_[0]);
      for (const auto& [fi, row] : order) builder.AppendRow(buffered_[fi], row);
      sorted_ = builder.Finish();
      buffered_.clear();
    }
    merged_ = true;
    return std::unique_ptr<FrameReader>(new SliceReader(&sorted_, max_rows));
  }
  RETURN_IF_ERROR(SpillRun());
  std::vector<std::unique_ptr<FrameReader>> readers;
  for (const auto& p : run_paths_) {
    ASSIGN_OR_RETURN(auto r, OpenFrameFile(spill_->fs(), p));
    readers.push_back(std::move(r));
  }
  merged_ = true;
  return std::unique_ptr<FrameReader>(new MergeReader(std::move(readers), keys_, max_rows));
}

SortProgress ExternalSorter::progress() const {
  SortProgress p;
  int64_t runs = std::max<int64_t>(1, static_cast<int64_t>(run_paths_.size()) + (buffered_.empty() ? 0 : 1));
  p.total_merging_levels = 2;
  p.level_to_total_batches[0] = runs;
  p.level_to_merged_batches[0] = finished_ ? runs : static_cast<int64_t>(run_paths_.size());
  p.level_to_total_batches[1] = 1;
  p.level_to_merged_batches[1] = merged_ ? 1 : 0;
  p.total_mergers_for_ultimate_level = 1;
  p.progress_digest = merged_ ? 1.0 : (finished_ ? 0.5 : 0.0);
  return p;
}

}  // namespace strata::engine
