#include "engine/sort.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <filesystem>
#include <random>

#include "engine/external_sort.h"

namespace strata::engine {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;

Frame RandomFrame(int n, uint32_t seed) {
  std::mt19937 gen(seed);
  ColumnBuilder a(ColumnType::kLong), b(ColumnType::kString);
  for (int i = 0; i < n; ++i) {
    a.AppendLong(static_cast<int64_t>(gen() % 50));
    if (gen() % 10 == 0) b.AppendNull();
    else b.AppendString("s" + std::to_string(gen() % 1000));
  }
  Frame f;
  f.num_rows = n;
  f.columns = {a.Finish(), b.Finish()};
  return f;
}

std::string Render(FrameReader* reader) {
  std::string out;
  Frame f;
  while (true) {
    Result<bool> more = reader->Next(&f);
    EXPECT_TRUE(more.ok());
    if (!more.ok() || !*more) break;
    out += columnar::FrameToString(f);
  }
  return out;
}

TEST(SortTest, NullOrderingFollowsDruid) {
  Frame f = RandomFrame(200, 1);
  Frame asc = SortFrame(f, {SortKey::Asc(1)});
  EXPECT_TRUE(asc.column(1).IsNull(0));  // NULLs first ascending
  Frame desc = SortFrame(f, {SortKey::Desc(1)});
  EXPECT_TRUE(desc.column(1).IsNull(desc.num_rows - 1));  // and last descending
  for (int64_t i = 1; i < asc.num_rows; ++i) EXPECT_LE(CompareRows(asc, i - 1, asc, i, {SortKey::Asc(1)}), 0);
}

TEST(SortTest, SpillingSortMatchesInMemorySort) {
  auto dir = std::filesystem::temp_directory_path() / ("strata_sort_test_" + std::to_string(::getpid()));
  std::vector<SortKey> keys = {SortKey::Asc(0), SortKey::Desc(1)};
  std::vector<Frame> frames;
  for (int i = 0; i < 20; ++i) frames.push_back(RandomFrame(500, 100 + i));
  Frame all = columnar::ConcatFrames(frames);
  Frame expected = SortFrame(all, keys);

  MemoryBudget budget(1 << 30);
  SpillDirectory spill(io::FileSystem::Local(), dir.string());
  ExternalSorter sorter(keys, &budget, &spill, /*run_bytes=*/40000);  // forces many runs
  for (const auto& f : frames) ASSERT_TRUE(sorter.Add(f).ok());
  EXPECT_GT(sorter.num_spilled_runs(), 3);
  auto reader = sorter.Finish(777);
  ASSERT_TRUE(reader.ok());
  // Equal keys may come in any order between runs; compare the key columns only.
  Frame keys_only;
  std::string got = Render(reader->get());
  std::string want = columnar::FrameToString(expected);
  EXPECT_EQ(got.size(), want.size());
  EXPECT_EQ(got, want);
  SortProgress p = sorter.progress();
  EXPECT_EQ(p.progress_digest, 1.0);
  EXPECT_GT(spill.bytes_written.load(), 0);
  std::filesystem::remove_all(dir);
}

TEST(SortTest, PartialSortKeepsTheFirstRowsOfTheFullOrder) {
  // Top-k over several frames: the same rows, in the same order, as the first k of a full sort,
  // with string keys (not normalized for a small k) and ties on the leading key.
  std::vector<Frame> frames;
  for (int i = 0; i < 5; ++i) frames.push_back(RandomFrame(400, 30 + i));
  for (const auto& keys : {std::vector<SortKey>{SortKey::Desc(0), SortKey::Asc(1)},
                           std::vector<SortKey>{SortKey::Asc(1), SortKey::Asc(0)},
                           std::vector<SortKey>{SortKey::Desc(1)}}) {
    std::vector<RowRef> full = SortRows(frames, keys);
    for (int64_t k : {0, 1, 10, 150, 1999, 2000, 5000}) {
      std::vector<RowRef> top = SortRows(frames, keys, k);
      ASSERT_EQ(top.size(), std::min<size_t>(static_cast<size_t>(k), full.size()));
      Frame a = GatherRows(frames, top.data(), top.size());
      Frame b = GatherRows(frames, full.data(), top.size());
      EXPECT_EQ(columnar::FrameToString(a), columnar::FrameToString(b)) << "k=" << k;
    }
  }
}

TEST(SortTest, MergerInterleavesSortedInputs) {
  std::vector<Frame> inputs = {SortFrame(RandomFrame(300, 7), {SortKey::Asc(0)}), SortFrame(RandomFrame(200, 8), {SortKey::Asc(0)})};
  std::vector<size_t> pos(2, 0);
  FrameMerger merger(2, {SortKey::Asc(0)}, [&](size_t i, Frame* out) -> Result<bool> {
    if (pos[i]++ > 0) return false;
    *out = inputs[i];
    return true;
  });
  int64_t rows = 0;
  Frame f, prev;
  int64_t last = INT64_MIN;
  while (*merger.Next(64, &f)) {
    EXPECT_LE(f.num_rows, 64);
    for (int64_t r = 0; r < f.num_rows; ++r) {
      EXPECT_LE(last, f.column(0).longs[r]);
      last = f.column(0).longs[r];
    }
    rows += f.num_rows;
  }
  EXPECT_EQ(rows, 500);
}

}  // namespace
}  // namespace strata::engine
