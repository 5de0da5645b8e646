#include "engine/external_sort.h"

#include <algorithm>
#include <cstring>
#include <unordered_map>

namespace strata::engine {

using columnar::Column;
using columnar::Frame;
using types::ColumnType;

namespace {

// Leading sort keys are turned into unsigned 64-bit words that compare exactly like the keys:
// LONG values with the sign bit flipped, doubles by their order-preserving bits, strings by their
// rank among the distinct values of the rows being sorted. Most sorts then never compare cells.
constexpr int kMaxWords = 3;

struct NormalizedRow {
  uint64_t w[kMaxWords];
  RowRef ref;
};

uint64_t OrderedDoubleBits(double d) {
  if (d == 0) d = 0;  // -0.0 equals 0.0
  uint64_t bits;
  std::memcpy(&bits, &d, 8);
  if (d != d) return ~0ULL;  // NaN last, like Java's Double.compare
  return (bits & (1ULL << 63)) ? ~bits : bits | (1ULL << 63);
}

// Fills word `w` of every row for `key`; false if the key cannot be normalized exactly.
bool NormalizeKey(const std::vector<Frame>& frames, const SortKey& key, int w, std::vector<NormalizedRow>* rows) {
  ColumnType type = frames[0].column(key.column).type;
  bool has_nulls = false;
  for (const auto& f : frames) {
    const Column& c = f.column(key.column);
    if (c.type != type || c.multi_value || c.has_offsets()) return false;
    has_nulls |= c.has_nulls();
  }
  size_t i = 0;
  if (type == ColumnType::kLong || type == ColumnType::kFloat || type == ColumnType::kDouble) {
    if (has_nulls) return false;
    for (const auto& f : frames) {
      const Column& c = f.column(key.column);
      for (int64_t r = 0; r < f.num_rows; ++r, ++i) {
        uint64_t v = type == ColumnType::kLong ? static_cast<uint64_t>(c.longs[r]) ^ (1ULL << 63) : OrderedDoubleBits(c.doubles[r]);
        (*rows)[i].w[w] = key.ascending ? v : ~v;
      }
    }
    return true;
  }
  if (type != ColumnType::kString) return false;
  // Ranks of the distinct strings.
  std::unordered_map<std::string_view, uint32_t> index;
  std::vector<std::string_view> distinct;
  std::vector<uint32_t> local(rows->size());
  bool any_null = false;
  for (const auto& f : frames) {
    const Column& c = f.column(key.column);
    for (int64_t r = 0; r < f.num_rows; ++r, ++i) {
      std::string_view s = c.strings[r];
      if (columnar::IsNullString(s)) {
        local[i] = UINT32_MAX;
        any_null = true;
        continue;
      }
      auto [it, inserted] = index.emplace(s, static_cast<uint32_t>(distinct.size()));
      if (inserted) distinct.push_back(s);
      local[i] = it->second;
    }
  }
  std::vector<uint32_t> order(distinct.size());
  for (uint32_t k = 0; k < order.size(); ++k) order[k] = k;
  std::sort(order.begin(), order.end(), [&](uint32_t a, uint32_t b) { return distinct[a] < distinct[b]; });
  std::vector<uint64_t> rank(distinct.size());
  for (uint32_t k = 0; k < order.size(); ++k) rank[order[k]] = k + 1;  // 0 and max are for NULL
  (void)any_null;
  for (size_t j = 0; j < rows->size(); ++j) {
    uint64_t v;
    if (local[j] == UINT32_MAX) {
      // Words are in output order: NULLs first take 0, NULLs last take the maximum.
      (*rows)[j].w[w] = key.nulls_first ? 0 : ~0ULL;
      continue;
    }
    v = rank[local[j]];
    (*rows)[j].w[w] = key.ascending ? v : ~v;
  }
  return true;
}

}  // namespace

std::vector<RowRef> SortRows(const std::vector<Frame>& frames, const std::vector<SortKey>& keys, int64_t limit) {
  size_t total = 0;
  for (const auto& f : frames) total += static_cast<size_t>(f.num_rows);
  std::vector<NormalizedRow> rows(total);
  size_t i = 0;
  for (uint32_t fi = 0; fi < frames.size(); ++fi) {
    for (int64_t r = 0; r < frames[fi].num_rows; ++r, ++i) rows[i] = NormalizedRow{{0, 0, 0}, {fi, static_cast<uint32_t>(r)}};
  }
  // A small top-k compares few rows: ranking every distinct string of a key would cost more
  // than it saves, so only numeric keys are normalized then.
  bool top_k = limit >= 0 && static_cast<size_t>(limit) * 8 < total;
  int words = 0;
  if (total > 1) {
    while (words < kMaxWords && words < static_cast<int>(keys.size())) {
      if (top_k && frames[0].column(keys[words].column).type == ColumnType::kString) break;
      if (!NormalizeKey(frames, keys[words], words, &rows)) break;
      ++words;
    }
  }
  std::vector<SortKey> rest(keys.begin() + words, keys.end());
  auto less = [&](const NormalizedRow& a, const NormalizedRow& b) {
    for (int k = 0; k < words; ++k) {
      if (a.w[k] != b.w[k]) return a.w[k] < b.w[k];
    }
    if (!rest.empty()) {
      int c = CompareRows(frames[a.ref.first], a.ref.second, frames[b.ref.first], b.ref.second, rest);
      if (c != 0) return c < 0;
    }
    return a.ref < b.ref;  // stable
  };
  if (limit >= 0 && static_cast<size_t>(limit) < rows.size()) {
    std::partial_sort(rows.begin(), rows.begin() + limit, rows.end(), less);
    rows.resize(static_cast<size_t>(limit));
  } else {
    std::sort(rows.begin(), rows.end(), less);
  }
  std::vector<RowRef> out(rows.size());
  for (size_t k = 0; k < rows.size(); ++k) out[k] = rows[k].ref;
  return out;
}

ExternalSorter::ExternalSorter(std::vector<SortKey> keys, MemoryBudget* budget, SpillDirectory* spill, int64_t run_bytes)
    : keys_(std::move(keys)), buffer_(budget, spill, run_bytes) {}

ExternalSorter::~ExternalSorter() = default;

Status ExternalSorter::Add(Frame frame) {
  if (buffer_.Add(std::move(frame))) return SpillRun();
  return Status::OK();
}

Status ExternalSorter::SpillRun() {
  return buffer_.Spill("sort-run", [&](const std::vector<Frame>& frames, io::WritableFile* file, int64_t* written) {
    auto order = SortRows(frames, keys_);
    for (size_t start = 0; start < order.size(); start += columnar::kDefaultFrameRows) {
      size_t n = std::min<size_t>(columnar::kDefaultFrameRows, order.size() - start);
      RETURN_IF_ERROR(AppendFrameToFile(file, GatherRows(frames, order.data() + start, n), written));
    }
    return Status::OK();
  });
}

namespace {

// Reads buffered frames in the order of a sort permutation, gathering frames of max_rows rows.
class PermutationReader : public FrameReader {
 public:
  PermutationReader(const std::vector<Frame>* frames, const std::vector<RowRef>* order, int64_t max_rows)
      : frames_(frames), order_(order), max_rows_(max_rows) {}
  Result<bool> Next(Frame* out) override {
    if (pos_ >= order_->size()) return false;
    size_t n = std::min<size_t>(static_cast<size_t>(max_rows_), order_->size() - pos_);
    *out = GatherRows(*frames_, order_->data() + pos_, n);
    pos_ += n;
    return true;
  }

 private:
  const std::vector<Frame>* frames_;
  const std::vector<RowRef>* order_;
  int64_t max_rows_;
  size_t pos_ = 0;
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
  if (buffer_.spill_paths().empty()) {
    // Everything fits in memory: one sort, no I/O.
    order_ = SortRows(buffer_.frames(), keys_);
    merged_ = true;
    return std::unique_ptr<FrameReader>(new PermutationReader(&buffer_.frames(), &order_, max_rows));
  }
  RETURN_IF_ERROR(SpillRun());
  std::vector<std::unique_ptr<FrameReader>> readers;
  for (const auto& p : buffer_.spill_paths()) {
    ASSIGN_OR_RETURN(auto r, OpenFrameFile(buffer_.spill_directory()->fs(), p));
    readers.push_back(std::move(r));
  }
  merged_ = true;
  return std::unique_ptr<FrameReader>(new MergeReader(std::move(readers), keys_, max_rows));
}

SortProgress ExternalSorter::progress() const {
  SortProgress p;
  auto spilled = static_cast<int64_t>(buffer_.spill_paths().size());
  int64_t runs = std::max<int64_t>(1, spilled + (buffer_.empty() ? 0 : 1));
  p.total_merging_levels = 2;
  p.level_to_total_batches[0] = runs;
  p.level_to_merged_batches[0] = finished_ ? runs : spilled;
  p.level_to_total_batches[1] = 1;
  p.level_to_merged_batches[1] = merged_ ? 1 : 0;
  p.total_mergers_for_ultimate_level = 1;
  p.progress_digest = merged_ ? 1.0 : (finished_ ? 0.5 : 0.0);
  return p;
}

}  // namespace strata::engine
