#include "engine/sort.h"

#include <algorithm>
#include <numeric>

namespace strata::engine {

using columnar::Column;
using columnar::Frame;
using columnar::IsNullString;
using types::ColumnType;

namespace {

template <typename T>
int Cmp(const T& a, const T& b) {
  return a < b ? -1 : (b < a ? 1 : 0);
}

int CompareDoubles(double a, double b) {
  // NaN sorts last, like Java's Double.compare.
  bool an = a != a, bn = b != b;
  if (an || bn) return an == bn ? 0 : (an ? 1 : -1);
  return Cmp(a, b);
}

bool CellIsNull(const Column& c, int64_t r) { return c.IsNull(r); }

}  // namespace

int CompareCells(const Column& a, int64_t ra, const Column& b, int64_t rb) {
  switch (a.type) {
    case ColumnType::kLong: return Cmp(a.longs[ra], b.longs[rb]);
    case ColumnType::kFloat:
    case ColumnType::kDouble: return CompareDoubles(a.doubles[ra], b.doubles[rb]);
    case ColumnType::kString:
      if (a.multi_value || b.multi_value) {
        // Compare element lists lexicographically.
        uint32_t ab = a.multi_value ? a.offsets[ra] : 0, ae = a.multi_value ? a.offsets[ra + 1] : 1;
        uint32_t bb = b.multi_value ? b.offsets[rb] : 0, be = b.multi_value ? b.offsets[rb + 1] : 1;
        for (;; ++ab, ++bb) {
          if (ab == ae || bb == be) return (ab == ae) == (bb == be) ? 0 : (ab == ae ? -1 : 1);
          std::string_view x = a.multi_value ? a.strings[ab] : a.strings[ra];
          std::string_view y = b.multi_value ? b.strings[bb] : b.strings[rb];
          int c = x.compare(y);
          if (c != 0) return c < 0 ? -1 : 1;
        }
      }
      if (a.dictionary && a.dictionary == b.dictionary && a.dictionary->sorted) return Cmp(a.ids[ra], b.ids[rb]);
      {
        int c = a.strings[ra].compare(b.strings[rb]);
        return c < 0 ? -1 : (c > 0 ? 1 : 0);
      }
    default: {
      uint32_t ab = a.offsets.empty() ? 0 : a.offsets[ra], ae = a.offsets.empty() ? 0 : a.offsets[ra + 1];
      uint32_t bb = b.offsets.empty() ? 0 : b.offsets[rb], be = b.offsets.empty() ? 0 : b.offsets[rb + 1];
      for (;; ++ab, ++bb) {
        if (ab == ae || bb == be) return (ab == ae) == (bb == be) ? 0 : (ab == ae ? -1 : 1);
        int c = 0;
        if (a.type == ColumnType::kLongArray) c = Cmp(a.longs[ab], b.longs[bb]);
        else if (a.type == ColumnType::kDoubleArray) c = CompareDoubles(a.doubles[ab], b.doubles[bb]);
        else if (!a.strings.empty()) c = a.strings[ab].compare(b.strings[bb]);
        if (c != 0) return c < 0 ? -1 : 1;
      }
    }
  }
}

int CompareRows(const Frame& a, int64_t ra, const Frame& b, int64_t rb, const std::vector<SortKey>& keys) {
  for (const SortKey& k : keys) {
    const Column& ca = a.column(k.column);
    const Column& cb = b.column(k.column);
    bool na = CellIsNull(ca, ra), nb = CellIsNull(cb, rb);
    if (na || nb) {
      if (na && nb) continue;
      return (na == k.nulls_first) ? -1 : 1;
    }
    int c = CompareCells(ca, ra, cb, rb);
    if (c != 0) return k.ascending ? c : -c;
  }
  return 0;
}

std::vector<uint32_t> SortPermutation(const Frame& frame, const std::vector<SortKey>& keys) {
  std::vector<uint32_t> perm(frame.num_rows);
  std::iota(perm.begin(), perm.end(), 0);
  if (keys.empty() || frame.num_rows < 2) return perm;
  // Fast path: first key is a non-null LONG column; sort (value, row) pairs then fix ties.
  const SortKey& first = keys[0];
  const Column& c0 = frame.column(first.column);
  if (c0.type == ColumnType::kLong && !c0.has_nulls()) {
    std::vector<std::pair<int64_t, uint32_t>> pairs(frame.num_rows);
    for (int64_t i = 0; i < frame.num_rows; ++i) {
      pairs[i] = {first.ascending ? c0.longs[i] : -(c0.longs[i] + 1) /* avoids overflow of INT64_MIN */, static_cast<uint32_t>(i)};
    }
    std::vector<SortKey> rest(keys.begin() + 1, keys.end());
    std::stable_sort(pairs.begin(), pairs.end(), [&](const auto& x, const auto& y) {
      if (x.first != y.first) return x.first < y.first;
      if (rest.empty()) return false;
      return CompareRows(frame, x.second, frame, y.second, rest) < 0;
    });
    for (int64_t i = 0; i < frame.num_rows; ++i) perm[i] = pairs[i].second;
    return perm;
  }
  std::stable_sort(perm.begin(), perm.end(),
                   [&](uint32_t x, uint32_t y) { return CompareRows(frame, x, frame, y, keys) < 0; });
  return perm;
}

Frame SortFrame(const Frame& frame, const std::vector<SortKey>& keys) {
  return columnar::GatherFrame(frame, SortPermutation(frame, keys));
}

Frame GatherRows(const std::vector<Frame>& frames, const RowRef* rows, size_t count) {
  Frame out;
  out.num_rows = static_cast<int64_t>(count);
  if (frames.empty()) return out;
  int num_columns = frames[0].num_columns();
  // Which frames are referenced (their owners are shared once per column).
  std::vector<uint8_t> used(frames.size(), 0);
  for (size_t i = 0; i < count; ++i) used[rows[i].first] = 1;
  for (int c = 0; c < num_columns; ++c) {
    auto col = std::make_shared<Column>();
    const Column& proto = frames[0].column(c);
    col->type = proto.type;
    col->complex_type = proto.complex_type;
    col->num_rows = out.num_rows;
    bool any_nulls = false, any_mv = false, any_offsets = false, any_elem_nulls = false;
    const columnar::Dictionary* dict = proto.dictionary.get();
    for (size_t f = 0; f < frames.size(); ++f) {
      if (!used[f]) continue;
      const Column& src = frames[f].column(c);
      any_nulls |= src.has_nulls();
      any_mv |= src.multi_value;
      any_offsets |= src.has_offsets();
      any_elem_nulls |= !src.element_nulls.empty();
      if (src.dictionary.get() != dict) dict = nullptr;
      col->ShareOwners(src);
    }
    if (any_nulls) col->nulls.resize(count);
    switch (col->type) {
      case ColumnType::kLong:
        if (!any_offsets) {
          col->longs.resize(count);
          for (size_t i = 0; i < count; ++i) {
            const Column& src = frames[rows[i].first].column(c);
            col->longs[i] = src.longs[rows[i].second];
            if (any_nulls) col->nulls[i] = src.has_nulls() ? src.nulls[rows[i].second] : 0;
          }
          break;
        }
        [[fallthrough]];
      case ColumnType::kFloat:
      case ColumnType::kDouble:
        if (!any_offsets) {
          col->doubles.resize(count);
          for (size_t i = 0; i < count; ++i) {
            const Column& src = frames[rows[i].first].column(c);
            col->doubles[i] = src.doubles[rows[i].second];
            if (any_nulls) col->nulls[i] = src.has_nulls() ? src.nulls[rows[i].second] : 0;
          }
          break;
        }
        [[fallthrough]];
      default: {
        if (!any_offsets && !any_mv) {
          // Single-valued strings / complex values.
          col->strings.resize(count);
          for (size_t i = 0; i < count; ++i) col->strings[i] = frames[rows[i].first].column(c).strings[rows[i].second];
          if (dict != nullptr && proto.dictionary) {
            col->dictionary = proto.dictionary;
            col->ids.resize(count);
            for (size_t i = 0; i < count; ++i) col->ids[i] = frames[rows[i].first].column(c).ids[rows[i].second];
          }
          if (any_nulls) {
            for (size_t i = 0; i < count; ++i) {
              const Column& src = frames[rows[i].first].column(c);
              col->nulls[i] = src.has_nulls() ? src.nulls[rows[i].second] : 0;
            }
          }
          break;
        }
        // Element lists (multi-value strings, arrays), with single-valued sources as 0/1 element.
        col->multi_value = any_mv;
        col->offsets.resize(count + 1);
        col->offsets[0] = 0;
        for (size_t i = 0; i < count; ++i) {
          const Column& src = frames[rows[i].first].column(c);
          uint32_t r = rows[i].second;
          if (any_nulls) col->nulls[i] = src.has_nulls() ? src.nulls[r] : 0;
          if (src.has_offsets()) {
            for (uint32_t e = src.offsets[r]; e < src.offsets[r + 1]; ++e) {
              if (!src.strings.empty()) col->strings.push_back(src.strings[e]);
              if (!src.longs.empty()) col->longs.push_back(src.longs[e]);
              if (!src.doubles.empty()) col->doubles.push_back(src.doubles[e]);
              if (any_elem_nulls) col->element_nulls.push_back(src.element_nulls.empty() ? 0 : src.element_nulls[e]);
            }
          } else if (!IsNullString(src.strings[r])) {
            col->strings.push_back(src.strings[r]);
          }
          col->offsets[i + 1] = static_cast<uint32_t>(col->strings.size() + col->longs.size() + col->doubles.size());
        }
        break;
      }
    }
    out.columns.push_back(std::move(col));
  }
  return out;
}

FrameMerger::FrameMerger(size_t num_inputs, std::vector<SortKey> keys, NextFn next_input)
    : keys_(std::move(keys)), next_input_(std::move(next_input)), cursors_(num_inputs) {}

Status FrameMerger::Advance(size_t input) {
  Cursor& c = cursors_[input];
  while (true) {
    Result<bool> more = next_input_(input, &c.frame);
    if (!more.ok()) return more.status();
    if (!*more) {
      c.done = true;
      return Status::OK();
    }
    c.row = 0;
    if (c.frame.num_rows > 0) return Status::OK();
  }
}

bool FrameMerger::Less(size_t a, size_t b) const {
  int c = CompareRows(cursors_[a].frame, cursors_[a].row, cursors_[b].frame, cursors_[b].row, keys_);
  return c != 0 ? c < 0 : a < b;  // stable across inputs
}

Result<bool> FrameMerger::Next(int64_t max_rows, Frame* out) {
  auto greater = [this](size_t a, size_t b) { return Less(b, a); };
  if (!started_) {
    started_ = true;
    for (size_t i = 0; i < cursors_.size(); ++i) {
      RETURN_IF_ERROR(Advance(i));
      if (!cursors_[i].done) heap_.push_back(i);
    }
    std::make_heap(heap_.begin(), heap_.end(), greater);
  }
  // Takes runs of rows from the input with the smallest row: every row of the run sorts before
  // the smallest row of the other inputs, found by galloping search. Rows are then gathered
  // column by column.
  std::vector<Frame> batch_frames;
  std::vector<int> batch_index(cursors_.size(), -1);
  std::vector<RowRef> rows;
  int64_t produced = 0;
  while (!heap_.empty() && produced < max_rows) {
    std::pop_heap(heap_.begin(), heap_.end(), greater);
    size_t top = heap_.back();
    heap_.pop_back();
    Cursor& c = cursors_[top];
    int64_t limit = std::min(c.frame.num_rows, c.row + (max_rows - produced));
    int64_t end = limit;
    if (!heap_.empty()) {
      size_t next = heap_.front();
      const Cursor& n = cursors_[next];
      // Row r of `top` may go before next's row when it sorts before it (or ties, if `top` comes
      // first among equals: inputs are merged stably by input index).
      auto goes_first = [&](int64_t r) {
        int cmp = CompareRows(c.frame, r, n.frame, n.row, keys_);
        return cmp < 0 || (cmp == 0 && top < next);
      };
      int64_t lo = c.row + 1, step = 1;
      // c.row itself goes first (it was the heap minimum); gallop for the end of the run.
      while (lo < limit && goes_first(lo)) {
        lo += step;
        step *= 2;
      }
      int64_t hi = std::min(lo, limit);
      lo = std::max(c.row + 1, lo - step / 2);
      while (lo < hi) {
        int64_t mid = lo + (hi - lo) / 2;
        if (goes_first(mid)) lo = mid + 1;
        else hi = mid;
      }
      end = lo;
    }
    if (batch_index[top] < 0) {
      batch_index[top] = static_cast<int>(batch_frames.size());
      batch_frames.push_back(c.frame);
    }
    for (int64_t r = c.row; r < end; ++r) rows.emplace_back(static_cast<uint32_t>(batch_index[top]), static_cast<uint32_t>(r));
    produced += end - c.row;
    c.row = end;
    if (c.row >= c.frame.num_rows) {
      batch_index[top] = -1;  // the next frame of this input is a different batch frame
      RETURN_IF_ERROR(Advance(top));
    }
    if (!c.done) {
      heap_.push_back(top);
      std::push_heap(heap_.begin(), heap_.end(), greater);
    }
  }
  if (rows.empty()) return false;
  *out = GatherRows(batch_frames, rows.data(), rows.size());
  return true;
}

}  // namespace strata::engine
