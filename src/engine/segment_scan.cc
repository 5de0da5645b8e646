#include "engine/segment_scan.h"

#include <algorithm>
#include <limits>

#include "engine/function_registry.h"
#include "engine/internal/kernel_util.h"

namespace strata::engine {

using columnar::Column;
using columnar::ColumnPtr;
using columnar::Frame;
using segment::Bitmap;
using segment::Segment;
using segment::SegmentColumn;

void SplitConjuncts(const ExprPtr& predicate, std::vector<ExprPtr>* out) {
  if (!predicate) return;
  if (predicate->is_call("and")) {
    for (const auto& a : predicate->args()) SplitConjuncts(a, out);
    return;
  }
  out->push_back(predicate);
}

namespace {

// Narrows [lo, hi) with a comparison of the time column against a literal.
bool TimeBound(const ExprPtr& e, int time_column, int64_t* lo, int64_t* hi) {
  if (e->kind() != Expr::Kind::kCall || e->args().size() != 2) return false;
  const std::string& fn = e->function();
  const ExprPtr& a = e->args()[0];
  const ExprPtr& b = e->args()[1];
  bool col_left = a->is_column() && a->column_index() == time_column && b->is_literal() && b->literal().is_long();
  bool col_right = b->is_column() && b->column_index() == time_column && a->is_literal() && a->literal().is_long();
  if (!col_left && !col_right) return false;
  int64_t v = col_left ? b->literal().long_value() : a->literal().long_value();
  std::string op = fn;
  if (col_right) {  // literal OP column  ==  column OP' literal
    if (op == "lt") op = "gt";
    else if (op == "le") op = "ge";
    else if (op == "gt") op = "lt";
    else if (op == "ge") op = "le";
  }
  if (op == "ge") *lo = std::max(*lo, v);
  else if (op == "gt") *lo = std::max(*lo, v == std::numeric_limits<int64_t>::max() ? v : v + 1);
  else if (op == "lt") *hi = std::min(*hi, v);
  else if (op == "le") *hi = std::min(*hi, v == std::numeric_limits<int64_t>::max() ? v : v + 1);
  else if (op == "eq") {
    *lo = std::max(*lo, v);
    *hi = std::min(*hi, v + 1);
  } else {
    return false;
  }
  return true;
}

// First row whose time is >= t (rows are sorted by time within a segment).
Result<int64_t> LowerBoundRow(const Segment& seg, const SegmentColumn& time, int64_t t, segment::ReadScratch* scratch) {
  if (time.has_min_max() && t <= time.min_long()) return int64_t{0};
  if (time.has_min_max() && t > time.max_long()) return seg.num_rows();
  int64_t lo = 0, hi = seg.num_blocks();
  Column block;
  // Find the first block whose last value is >= t.
  while (lo < hi) {
    int64_t mid = (lo + hi) / 2;
    RETURN_IF_ERROR(time.ReadBlock(mid, &block, scratch));
    if (block.longs.back() < t) lo = mid + 1;
    else hi = mid;
  }
  if (lo >= seg.num_blocks()) return seg.num_rows();
  RETURN_IF_ERROR(time.ReadBlock(lo, &block, scratch));
  int64_t in_block = std::lower_bound(block.longs.begin(), block.longs.end(), t) - block.longs.begin();
  return lo * seg.block_rows() + in_block;
}

// Whether `e` calls a function that takes a multi-value row whole (MV_LENGTH, MV_TO_ARRAY,
// ARRAY_CONTAINS, ...) rather than value by value: over a multi-value column it cannot be decided
// one dictionary value at a time.
bool TakesRowsWhole(const ExprPtr& e) {
  if (e->kind() != Expr::Kind::kCall) return false;
  const FunctionDef* def = e->function_def();
  if (def && def->handles_multi_value && e->function() != "is_null" && e->function() != "is_not_null") return true;
  for (const auto& a : e->args()) {
    if (TakesRowsWhole(a)) return true;
  }
  return false;
}

// Evaluates a one-column conjunct over the dictionary of that column: the rows where it is true.
Result<std::optional<Bitmap>> DictionaryConjunct(const Segment& seg, const Signature& all_columns, const ExprPtr& conjunct,
                                                 const EvalContext& ctx) {
  std::vector<int> cols;
  conjunct->CollectColumns(&cols);
  if (cols.size() != 1) return std::optional<Bitmap>();
  const ColumnSignature& sig = all_columns[cols[0]];
  if (sig.type != ColumnType::kString) return std::optional<Bitmap>();
  const SegmentColumn* column = seg.FindColumn(sig.name);
  if (column == nullptr) {
    // Missing column: every row is NULL; decide once.
    Frame one;
    one.num_rows = 1;
    std::vector<int> mapping(all_columns.size(), 0);
    one.columns.push_back(columnar::MakeNullColumn(ColumnType::kString, 1));
    ASSIGN_OR_RETURN(ColumnPtr verdict, conjunct->Remap(mapping)->Evaluate(one, ctx));
    bool all = !verdict->IsNull(0) && verdict->longs[0] != 0;
    return std::optional<Bitmap>(all ? Bitmap::Range(0, static_cast<uint32_t>(seg.num_rows())) : Bitmap());
  }
  if (column->type() != ColumnType::kString || !column->dictionary()) return std::optional<Bitmap>();
  if (column->multi_value() && TakesRowsWhole(conjunct)) return std::optional<Bitmap>();
  const auto& dict = column->dictionary();
  // One row per dictionary value.
  auto values = std::make_shared<Column>();
  values->type = ColumnType::kString;
  values->num_rows = dict->size();
  values->strings = dict->values;
  values->dictionary = dict;
  values->ids.resize(dict->size());
  for (int32_t i = 0; i < dict->size(); ++i) values->ids[i] = i;
  Frame frame;
  frame.num_rows = dict->size();
  frame.columns.push_back(values);
  std::vector<int> mapping(all_columns.size(), 0);
  ASSIGN_OR_RETURN(ColumnPtr verdict, conjunct->Remap(mapping)->Evaluate(frame, ctx));
  std::vector<const Bitmap*> parts;
  std::vector<Bitmap> owned;
  owned.reserve(dict->size() + 1);
  for (int32_t id = 0; id < dict->size(); ++id) {
    if (verdict->IsNull(id) || verdict->longs[id] == 0) continue;
    if (columnar::IsNullString(dict->values[id])) {
      ASSIGN_OR_RETURN(Bitmap nulls, column->NullBitmap());
      owned.push_back(std::move(nulls));
    } else {
      ASSIGN_OR_RETURN(Bitmap b, column->ValueBitmap(id));
      owned.push_back(std::move(b));
    }
  }
  if (!column->has_nulls()) {
    // A predicate true for NULL also matches rows of a multi-value column without values... which
    // cannot exist without has_nulls; nothing to add.
  }
  for (const auto& b : owned) parts.push_back(&b);
  return std::optional<Bitmap>(Bitmap::OrMany(parts));
}

}  // namespace

Status ScanSegment(const Segment& seg, const std::vector<types::Interval>& visible, const TableInput& input,
                   const EvalContext& ctx, const std::function<Result<bool>(Frame)>& emit, ScanStats* stats) {
  if (seg.num_rows() == 0) return Status::OK();
  segment::ReadScratch scratch;
  // The filter numbers the emitted columns, then the filter-only ones.
  Signature all_columns = input.columns;
  all_columns.insert(all_columns.end(), input.filter_columns.begin(), input.filter_columns.end());
  int time_index = -1;
  for (size_t i = 0; i < all_columns.size(); ++i) {
    if (all_columns[i].name == "__time") time_index = static_cast<int>(i);
  }
  // 1. Conjuncts: time bounds, dictionary-answerable ones, and the rest.
  std::vector<ExprPtr> conjuncts;
  SplitConjuncts(input.filter, &conjuncts);
  int64_t time_lo = std::numeric_limits<int64_t>::min(), time_hi = std::numeric_limits<int64_t>::max();
  std::optional<Bitmap> rows;
  std::vector<ExprPtr> residual;
  for (const auto& c : conjuncts) {
    if (time_index >= 0 && TimeBound(c, time_index, &time_lo, &time_hi)) continue;
    if (c->IsConstant()) {
      ASSIGN_OR_RETURN(types::Value v, c->EvaluateConstant(ctx));
      if (v.is_null() || (v.is_long() && v.long_value() == 0)) return Status::OK();
      continue;
    }
    ASSIGN_OR_RETURN(std::optional<Bitmap> b, DictionaryConjunct(seg, all_columns, c, ctx));
    if (!b) {
      residual.push_back(c);
      continue;
    }
    rows = rows ? rows->And(*b) : std::move(*b);
    if (rows->IsEmpty()) return Status::OK();
  }
  // 2. Row ranges from the visible intervals intersected with the time bounds.
  const SegmentColumn* time = seg.FindColumn("__time");
  std::vector<std::pair<int64_t, int64_t>> ranges;
  for (const types::Interval& v : visible) {
    int64_t lo = std::max(v.start, time_lo), hi = std::min(v.end, time_hi);
    if (lo >= hi) continue;
    if (time == nullptr) {
      ranges.emplace_back(0, seg.num_rows());
      continue;
    }
    ASSIGN_OR_RETURN(int64_t first, LowerBoundRow(seg, *time, lo, &scratch));
    ASSIGN_OR_RETURN(int64_t last, LowerBoundRow(seg, *time, hi, &scratch));
    if (first < last) ranges.emplace_back(first, last);
  }
  ExprPtr residual_filter;
  if (residual.size() == 1) {
    residual_filter = residual[0];
  } else if (residual.size() > 1) {
    ASSIGN_OR_RETURN(residual_filter, Expr::Call("and", residual, ColumnType::kLong));
  }
  // 3. Shortcuts when the matching rows can be known without reading values.
  if (!residual_filter && (input.columns.empty() || input.rows_only)) {
    // Only the number of rows matters (COUNT(*)): one frame of that many rows, no columns.
    int64_t count = 0;
    for (const auto& [lo, hi] : ranges) {
      count += rows ? static_cast<int64_t>(rows->CountInRange(static_cast<uint32_t>(lo), static_cast<uint32_t>(hi))) : hi - lo;
    }
    if (stats) stats->rows_matched += count;
    constexpr int64_t kRowsPerFrame = 1 << 16;
    for (int64_t done = 0; done < count;) {
      Frame frame;
      frame.num_rows = std::min(kRowsPerFrame, count - done);
      done += frame.num_rows;
      ASSIGN_OR_RETURN(bool more, emit(std::move(frame)));
      if (!more) break;
    }
    return Status::OK();
  }
  if (!residual_filter && input.time_extremes_only) {
    // MIN/MAX(__time): the first and last matching rows of the segment stand for all of them.
    int64_t first = -1, last = -1;
    for (const auto& [lo, hi] : ranges) {
      int64_t a = lo, b = hi - 1;
      if (rows) {
        Bitmap slice = rows->And(Bitmap::Range(static_cast<uint32_t>(lo), static_cast<uint32_t>(hi)));
        if (slice.IsEmpty()) continue;
        a = slice.Minimum();
        b = slice.Maximum();
      }
      if (first < 0 || a < first) first = a;
      if (b > last) last = b;
    }
    if (first < 0) return Status::OK();
    const SegmentColumn* time = seg.FindColumn("__time");
    if (first == 0 && last == seg.num_rows() - 1 && input.columns.size() == 1 && time_index == 0 && time &&
        time->has_min_max()) {
      // The whole segment: its time range is in the column's stats, no block need be read.
      auto times = std::make_shared<Column>();
      times->type = ColumnType::kLong;
      times->longs = {time->min_long(), time->max_long()};
      times->num_rows = 2;
      Frame frame;
      frame.num_rows = 2;
      frame.columns.push_back(std::move(times));
      if (stats) stats->rows_matched += 2;
      ASSIGN_OR_RETURN(bool more, emit(std::move(frame)));
      (void)more;
      return Status::OK();
    }
    ranges = {{first, first + 1}};
    if (last != first) ranges.push_back({last, last + 1});
    rows.reset();
  }

  // 4. Columns to read: the emitted ones, and the filter-only ones the residual filter needs.
  std::vector<const SegmentColumn*> sources;
  for (const auto& c : all_columns) sources.push_back(seg.FindColumn(c.name));
  std::vector<bool> read(all_columns.size(), false);
  for (size_t c = 0; c < input.columns.size(); ++c) read[c] = true;
  if (residual_filter) {
    std::vector<int> residual_columns;
    residual_filter->CollectColumns(&residual_columns);
    for (int c : residual_columns) read[c] = true;
  }
  size_t frame_columns = input.filter_columns.empty() || !residual_filter ? input.columns.size() : all_columns.size();
  std::vector<bool> ids_only(all_columns.size(), false);
  for (size_t c = 0; c < input.columns.size(); ++c) {
    for (const auto& name : input.ids_only_columns) ids_only[c] = ids_only[c] || input.columns[c].name == name;
  }
  if (residual_filter) {
    // The residual filter evaluates rows: every column it reads needs its strings.
    std::vector<int> residual_columns;
    residual_filter->CollectColumns(&residual_columns);
    for (int c : residual_columns) ids_only[c] = false;
  }

  std::vector<uint32_t> selected;
  for (const auto& [range_begin, range_end] : ranges) {
    int64_t first_block = range_begin / seg.block_rows();
    int64_t last_block = (range_end - 1) / seg.block_rows();
    for (int64_t b = first_block; b <= last_block; ++b) {
      int64_t block_start = b * seg.block_rows();
      int64_t block_rows = seg.BlockSize(b);
      int64_t lo = std::max(range_begin, block_start) - block_start;
      int64_t hi = std::min(range_end, block_start + block_rows) - block_start;
      selected.clear();
      bool all = false;
      if (rows) {
        rows->RowsInRange(static_cast<uint32_t>(block_start + lo), static_cast<uint32_t>(block_start + hi), &selected);
        if (selected.empty()) {
          if (stats) ++stats->blocks_skipped;
          continue;
        }
        for (uint32_t& r : selected) r -= static_cast<uint32_t>(block_start);
      } else if (lo == 0 && hi == block_rows) {
        all = true;
      } else {
        for (int64_t r = lo; r < hi; ++r) selected.push_back(static_cast<uint32_t>(r));
      }
      Frame frame;
      frame.num_rows = block_rows;
      for (size_t c = 0; c < frame_columns; ++c) {
        if (sources[c] == nullptr || !read[c]) {
          // Missing from the segment (NULL), or a filter-only column the residual does not read.
          frame.columns.push_back(columnar::MakeNullColumn(all_columns[c].type, block_rows));
          continue;
        }
        auto col = std::make_shared<Column>();
        RETURN_IF_ERROR(sources[c]->ReadBlock(b, col.get(), &scratch, ids_only[c]));
        if (col->type != all_columns[c].type) {
          // Schema drift between segments: convert numbers, stringify otherwise.
          if (all_columns[c].type == ColumnType::kString) {
            columnar::ColumnBuilder sb(ColumnType::kString);
            for (int64_t r = 0; r < col->num_rows; ++r) {
              if (col->IsNull(r)) sb.AppendNull();
              else sb.AppendString(internal::TextAt(*col, r));
            }
            frame.columns.push_back(sb.Finish());
            continue;
          }
          columnar::ColumnBuilder nb(all_columns[c].type);
          for (int64_t r = 0; r < col->num_rows; ++r) nb.AppendValue(columnar::GetValue(*col, r));
          frame.columns.push_back(nb.Finish());
          continue;
        }
        frame.columns.push_back(std::move(col));
      }
      if (stats) stats->rows_scanned += block_rows;
      if (!all) frame = columnar::GatherFrame(frame, selected);
      if (residual_filter && frame.num_rows > 0) {
        ASSIGN_OR_RETURN(ColumnPtr verdict, residual_filter->Evaluate(frame, ctx));
        std::vector<uint32_t> keep;
        keep.reserve(frame.num_rows);
        for (int64_t r = 0; r < frame.num_rows; ++r) {
          if (!verdict->IsNull(r) && verdict->longs[r] != 0) keep.push_back(static_cast<uint32_t>(r));
        }
        if (static_cast<int64_t>(keep.size()) != frame.num_rows) frame = columnar::GatherFrame(frame, keep);
      }
      frame.columns.resize(input.columns.size());  // drop the filter-only columns
      if (frame.num_rows == 0) continue;
      if (stats) stats->rows_matched += frame.num_rows;
      ASSIGN_OR_RETURN(bool more, emit(std::move(frame)));
      if (!more) return Status::OK();
    }
  }
  return Status::OK();
}

}  // namespace strata::engine
