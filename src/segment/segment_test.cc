#include "segment/segment.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "segment/column_codec.h"
#include "segment/segment_writer.h"

namespace strata::segment {
namespace {

using columnar::ColumnBuilder;
using columnar::Frame;
using types::ColumnType;
using types::Value;

class SegmentTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("strata_segment_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }

  std::vector<SegmentColumnSchema> Schema() {
    return {{"__time", ColumnType::kLong}, {"page", ColumnType::kString}, {"tags", ColumnType::kString},
            {"added", ColumnType::kLong}, {"ratio", ColumnType::kFloat}, {"score", ColumnType::kDouble}};
  }

  // 10 rows: page cycles b, a, NULL, '' ; tags multi-value on some rows.
  Frame Rows(int64_t start_time, int n) {
    ColumnBuilder t(ColumnType::kLong), page(ColumnType::kString), tags(ColumnType::kString, true),
        added(ColumnType::kLong), ratio(ColumnType::kFloat), score(ColumnType::kDouble);
    for (int i = 0; i < n; ++i) {
      t.AppendLong(start_time + i * 1000);
      switch (i % 4) {
        case 0: page.AppendString("b"); break;
        case 1: page.AppendString("a"); break;
        case 2: page.AppendNull(); break;
        default: page.AppendString(""); break;
      }
      if (i % 3 == 0) tags.AppendStrings({"y", "x"});
      else if (i % 3 == 1) tags.AppendStrings({});
      else tags.AppendStrings({"x"});
      if (i % 5 == 4) added.AppendNull();
      else added.AppendLong(i * 100 - 300);
      ratio.AppendDouble(0.1 * i);
      score.AppendDouble(i * 1.5);
    }
    Frame f;
    f.num_rows = n;
    f.columns = {t.Finish(), page.Finish(), tags.Finish(), added.Finish(), ratio.Finish(), score.Finish()};
    return f;
  }

  std::filesystem::path dir_;
};

TEST_F(SegmentTest, LongBlockCodecs) {
  std::vector<int64_t> sorted = {1000, 1001, 1005, 1005, 2000};
  std::vector<int64_t> random = {5, -3, 1LL << 40, 7};
  std::vector<int64_t> constant(100, 42);
  for (const auto& v : {sorted, random, constant}) {
    std::string raw;
    internal::EncodeLongBlock(v.data(), v.size(), &raw);
    std::vector<int64_t> back(v.size());
    ASSERT_TRUE(internal::DecodeLongBlock(raw, back.data(), back.size()).ok());
    EXPECT_EQ(back, v);
  }
  std::string raw;
  internal::EncodeLongBlock(sorted.data(), sorted.size(), &raw);
  EXPECT_EQ(raw.size(), 16u + 5u * 2u);  // delta encoding, 2-byte deltas
}

TEST_F(SegmentTest, RoundTrip) {
  SegmentWriterOptions options;
  options.block_rows = 4;
  options.properties = R"({"dataSource":"wiki"})";
  SegmentWriter writer(Schema(), types::Interval{0, 86400000}, options);
  ASSERT_TRUE(writer.Append(Rows(0, 6)).ok());
  ASSERT_TRUE(writer.Append(Rows(6000, 4)).ok());
  Result<SegmentFileInfo> info = writer.Write(io::FileSystem::Local(), Path("s1.seg"));
  ASSERT_TRUE(info.ok()) << info.status().ToString();
  EXPECT_EQ(info->num_rows, 10);

  auto seg = Segment::OpenFile(io::FileSystem::Local(), Path("s1.seg"), true);
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const Segment& s = **seg;
  EXPECT_EQ(s.num_rows(), 10);
  EXPECT_EQ(s.num_blocks(), 3);
  EXPECT_EQ(s.interval(), (types::Interval{0, 86400000}));
  EXPECT_EQ(s.properties(), R"({"dataSource":"wiki"})");

  const SegmentColumn* page = s.FindColumn("page");
  ASSERT_NE(page, nullptr);
  EXPECT_TRUE(page->has_nulls());
  // Dictionary: NULL, '', 'a', 'b'.
  EXPECT_EQ(page->cardinality(), 4);
  EXPECT_EQ(page->LookupId("a"), 2);
  EXPECT_EQ(page->LookupId(""), 1);
  EXPECT_EQ(page->LookupId(columnar::kNullString), 0);
  EXPECT_EQ(page->LookupId("zzz"), -1);
  auto a_rows = page->ValueBitmap(2);
  ASSERT_TRUE(a_rows.ok());
  std::vector<uint32_t> rows;
  a_rows->RowsInRange(0, 10, &rows);
  EXPECT_EQ(rows, (std::vector<uint32_t>{1, 5, 7}));  // the second batch restarts the pattern
  auto null_rows = page->NullBitmap();
  ASSERT_TRUE(null_rows.ok());
  EXPECT_EQ(null_rows->Cardinality(), 2u);

  const SegmentColumn* added = s.FindColumn("added");
  ASSERT_TRUE(added->has_min_max());
  EXPECT_EQ(added->min_long(), -300);
  EXPECT_EQ(added->max_long(), 200);

  // Read every block of every column and compare with what was written.
  Frame expected = columnar::ConcatFrames({Rows(0, 6), Rows(6000, 4)});
  ReadScratch scratch;
  for (int c = 0; c < s.num_columns(); ++c) {
    int64_t row = 0;
    for (int64_t b = 0; b < s.num_blocks(); ++b) {
      columnar::Column col;
      ASSERT_TRUE(s.column(c).ReadBlock(b, &col, &scratch).ok());
      for (int64_t i = 0; i < col.num_rows; ++i, ++row) {
        Value want = columnar::GetValue(expected.column(c), row);
        Value got = columnar::GetValue(col, i);
        if (c == 4 && !want.is_null()) {
          EXPECT_FLOAT_EQ(static_cast<float>(got.double_value()), static_cast<float>(want.double_value()));
        } else if (c == 2 && want.is_array()) {
          // Multi-value rows are stored sorted (Druid's SORTED_ARRAY).
          EXPECT_EQ(got, Value::Array({Value::String("x"), Value::String("y")})) << "row " << row;
        } else {
          EXPECT_EQ(got, want) << "column " << c << " row " << row;
        }
      }
    }
    EXPECT_EQ(row, 10);
  }
  const SegmentColumn* tags = s.FindColumn("tags");
  ASSERT_TRUE(tags->multi_value());
  auto y_rows = tags->ValueBitmap(tags->LookupId("y"));
  ASSERT_TRUE(y_rows.ok());
  EXPECT_EQ(y_rows->Cardinality(), 4u);  // rows 0, 3, 6, 9
  auto tag_nulls = tags->NullBitmap();
  ASSERT_TRUE(tag_nulls.ok());
  EXPECT_EQ(tag_nulls->Cardinality(), 3u);  // rows 1, 4, 7 have no tags
}

TEST_F(SegmentTest, SortsRowsWhenWritten) {
  // Rows arrive out of order; the writer stores them by (__time, page) with NULL pages first,
  // carrying every other column (including multi-value ones) along.
  SegmentWriterOptions options;
  options.block_rows = 4;
  options.sort_columns = {0, 1};
  SegmentWriter writer(Schema(), types::Interval{0, 86400000}, options);
  Frame a = Rows(0, 10);
  // Reverse the rows of the frame, and give pairs of rows equal times.
  std::vector<uint32_t> reversed;
  for (uint32_t i = 10; i-- > 0;) reversed.push_back(i);
  Frame shuffled = columnar::GatherFrame(a, reversed);
  ColumnBuilder times_builder(ColumnType::kLong);
  for (int64_t i = 0; i < shuffled.num_rows; ++i) times_builder.AppendLong((9 - i) / 2 * 1000);
  shuffled.columns[0] = times_builder.Finish();
  ASSERT_TRUE(writer.Append(shuffled).ok());
  ASSERT_TRUE(writer.Write(io::FileSystem::Local(), Path("sorted.seg")).ok());
  auto seg = Segment::OpenFile(io::FileSystem::Local(), Path("sorted.seg"), true);
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  ReadScratch scratch;
  std::vector<Value> times, pages, tags, added;
  for (int64_t b = 0; b < (*seg)->num_blocks(); ++b) {
    columnar::Column t, p, g, d;
    ASSERT_TRUE((*seg)->column(0).ReadBlock(b, &t, &scratch).ok());
    ASSERT_TRUE((*seg)->column(1).ReadBlock(b, &p, &scratch).ok());
    ASSERT_TRUE((*seg)->column(2).ReadBlock(b, &g, &scratch).ok());
    ASSERT_TRUE((*seg)->column(3).ReadBlock(b, &d, &scratch).ok());
    for (int64_t i = 0; i < t.num_rows; ++i) {
      times.push_back(columnar::GetValue(t, i));
      pages.push_back(columnar::GetValue(p, i));
      tags.push_back(columnar::GetValue(g, i));
      added.push_back(columnar::GetValue(d, i));
    }
  }
  // Original row i had time (i / 2) * 1000 and page pattern b, a, NULL, '' by i % 4.
  std::vector<int> want_rows = {1, 0, 2, 3, 5, 4, 6, 7, 9, 8};
  ASSERT_EQ(times.size(), 10u);
  for (size_t k = 0; k < want_rows.size(); ++k) {
    int i = want_rows[k];
    EXPECT_EQ(times[k], Value::Long(i / 2 * 1000)) << k;
    EXPECT_EQ(added[k], columnar::GetValue(a.column(3), i)) << k;
    Value want_tags = columnar::GetValue(a.column(2), i);
    if (want_tags.is_array() && want_tags.array_value().size() == 2) {
      want_tags = Value::Array({Value::String("x"), Value::String("y")});
    }
    EXPECT_EQ(tags[k], want_tags) << k;
  }
  EXPECT_EQ(pages[0], Value::String("a"));
  EXPECT_EQ(pages[1], Value::String("b"));
  EXPECT_TRUE(pages[2].is_null());
  EXPECT_EQ(pages[3], Value::String(""));
  // The bitmap index follows the stored order.
  const SegmentColumn* page = (*seg)->FindColumn("page");
  auto b_rows = page->ValueBitmap(page->LookupId("b"));
  ASSERT_TRUE(b_rows.ok());
  std::vector<uint32_t> rows;
  b_rows->RowsInRange(0, 10, &rows);
  EXPECT_EQ(rows, (std::vector<uint32_t>{1, 5, 9}));
}

// ARRAY columns keep NULL rows apart from empty arrays, NULL elements, and element order,
// across blocks and when rows are reordered by the sort.
TEST_F(SegmentTest, ArrayColumnsRoundTrip) {
  std::vector<Value> strings = {
      Value::Array({Value::String("d"), Value::String("e")}), Value::Null(), Value::Array({}),
      Value::Array({Value::String("b"), Value::Null(), Value::String("")}), Value::Array({Value::Null()})};
  std::vector<Value> longs = {Value::Array({Value::Long(1), Value::Long(4)}), Value::Array({Value::Null()}),
                              Value::Null(), Value::Array({}), Value::Array({Value::Long(-7), Value::Null(), Value::Long(3)})};
  std::vector<Value> doubles = {Value::Null(), Value::Array({Value::Null()}), Value::Array({Value::Double(1.5), Value::Null()}),
                                Value::Array({}), Value::Array({Value::Double(-0.25)})};
  std::vector<SegmentColumnSchema> schema = {{"__time", ColumnType::kLong},
                                             {"s", ColumnType::kStringArray},
                                             {"l", ColumnType::kLongArray},
                                             {"d", ColumnType::kDoubleArray}};
  ColumnBuilder t(ColumnType::kLong), sb(ColumnType::kStringArray), lb(ColumnType::kLongArray), db(ColumnType::kDoubleArray);
  for (int i = 0; i < 5; ++i) {
    t.AppendLong(1000 * (4 - i));  // reversed: the writer reorders the rows by time
    sb.AppendValue(strings[i]);
    lb.AppendValue(longs[i]);
    db.AppendValue(doubles[i]);
  }
  Frame f;
  f.num_rows = 5;
  f.columns = {t.Finish(), sb.Finish(), lb.Finish(), db.Finish()};
  for (int i = 0; i < 5; ++i) {
    ASSERT_EQ(columnar::GetValue(f.column(1), i), strings[i]) << i;
    ASSERT_EQ(columnar::GetValue(f.column(2), i), longs[i]) << i;
    ASSERT_EQ(columnar::GetValue(f.column(3), i), doubles[i]) << i;
  }
  SegmentWriterOptions options;
  options.block_rows = 2;
  options.sort_columns = {0};
  SegmentWriter writer(schema, types::Interval{0, 86400000}, options);
  ASSERT_TRUE(writer.Append(f).ok());
  ASSERT_TRUE(writer.Write(io::FileSystem::Local(), Path("arrays.seg")).ok());
  auto seg = Segment::OpenFile(io::FileSystem::Local(), Path("arrays.seg"), true);
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  EXPECT_EQ((*seg)->column(2).type(), ColumnType::kLongArray);
  ReadScratch scratch;
  int64_t row = 0;
  for (int64_t b = 0; b < (*seg)->num_blocks(); ++b) {
    columnar::Column s, l, d;
    ASSERT_TRUE((*seg)->column(1).ReadBlock(b, &s, &scratch).ok());
    ASSERT_TRUE((*seg)->column(2).ReadBlock(b, &l, &scratch).ok());
    Status st = (*seg)->column(3).ReadBlock(b, &d, &scratch);
    ASSERT_TRUE(st.ok()) << st.ToString();
    for (int64_t i = 0; i < s.num_rows; ++i, ++row) {
      int orig = 4 - static_cast<int>(row);  // stored in time order
      EXPECT_EQ(columnar::GetValue(s, i), strings[orig]) << row;
      EXPECT_EQ(columnar::GetValue(l, i), longs[orig]) << row;
      EXPECT_EQ(columnar::GetValue(d, i), doubles[orig]) << row;
    }
  }
  EXPECT_EQ(row, 5);
}

// A complex column whose first row is NULL keeps it NULL (and the others' bytes).
TEST_F(SegmentTest, ComplexColumnWithLeadingNull) {
  std::vector<SegmentColumnSchema> schema = {{"__time", ColumnType::kLong}, {"sketch", ColumnType::kComplex, "hyperUnique"}};
  ColumnBuilder t(ColumnType::kLong), c(ColumnType::kComplex);
  for (int i = 0; i < 3; ++i) t.AppendLong(i);
  c.AppendNull();
  c.AppendString("ab");
  c.AppendString("");
  Frame f;
  f.num_rows = 3;
  f.columns = {t.Finish(), c.Finish()};
  SegmentWriter writer(schema, types::Interval{0, 86400000}, SegmentWriterOptions{});
  ASSERT_TRUE(writer.Append(f).ok());
  ASSERT_TRUE(writer.Write(io::FileSystem::Local(), Path("complex.seg")).ok());
  auto seg = Segment::OpenFile(io::FileSystem::Local(), Path("complex.seg"), true);
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  ReadScratch scratch;
  columnar::Column out;
  ASSERT_TRUE((*seg)->column(1).ReadBlock(0, &out, &scratch).ok());
  ASSERT_EQ(out.num_rows, 3);
  EXPECT_TRUE(out.IsNull(0));
  EXPECT_EQ(out.strings[1], "ab");
  EXPECT_FALSE(out.IsNull(2));
}

TEST_F(SegmentTest, DictionaryIsInByteOrderForSharedPrefixes) {
  // Values that share long prefixes, end inside or exactly at 8-byte words, hold NUL bytes and
  // bytes >= 0x80: the dictionary must be in plain byte order whatever the writer's sort does.
  std::vector<std::string> values = {"", "a", "ab", std::string("ab\0", 3), std::string("ab\0\0", 4), "abcdefgh",
                                     "abcdefgh\x01", "abcdefghi", "abcdefg", "abcdefgh", "\xff", "\xc3\xa9t\xc3\xa9",
                                     "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz1", "zzzzzzzzzzzzzzzzzzzzzzzzzzzzzzzz0",
                                     "zzzzzzzzzzzzzzzz", "zzzzzzzzzzzzzzzzz", "Category:Foo", "Category:Bar"};
  for (int i = 0; i < 300; ++i) values.push_back("common-prefix-for-many-values/" + std::to_string(i * 7919 % 1000));
  ColumnBuilder t(ColumnType::kLong), v(ColumnType::kString);
  for (size_t i = 0; i < values.size(); ++i) {
    t.AppendLong(static_cast<int64_t>(i));
    v.AppendString(values[i]);
  }
  Frame f;
  f.num_rows = static_cast<int64_t>(values.size());
  f.columns = {t.Finish(), v.Finish()};
  base::ThreadPool pool(2);
  SegmentWriterOptions options;
  options.pool = &pool;
  SegmentWriter writer({{"__time", ColumnType::kLong}, {"v", ColumnType::kString}}, types::Interval{0, 86400000}, options);
  ASSERT_TRUE(writer.Append(f).ok());
  ASSERT_TRUE(writer.Write(io::FileSystem::Local(), Path("dict.seg")).ok());
  auto seg = Segment::OpenFile(io::FileSystem::Local(), Path("dict.seg"), true);
  ASSERT_TRUE(seg.ok()) << seg.status().ToString();
  const auto& dict = (*seg)->FindColumn("v")->dictionary()->values;
  std::vector<std::string> want = values;
  std::sort(want.begin(), want.end());
  want.erase(std::unique(want.begin(), want.end()), want.end());
  ASSERT_EQ(dict.size(), want.size());
  for (size_t i = 0; i < want.size(); ++i) EXPECT_EQ(std::string(dict[i]), want[i]) << i;
}

TEST_F(SegmentTest, IndexStoresRowListsAndBitmaps) {
  // "many" is on 60 rows (a bitmap), "few" on 3 (a row list), "one" on 1; the same segment written
  // with the kBitmaps fallback answers the same.
  ColumnBuilder t(ColumnType::kLong), v(ColumnType::kString);
  std::vector<uint32_t> many, few, one;
  for (uint32_t i = 0; i < 100; ++i) {
    t.AppendLong(i);
    if (i % 5 == 4) {
      v.AppendNull();
    } else if (i == 7) {
      v.AppendString("one");
      one.push_back(i);
    } else if (i == 10 || i == 50 || i == 90) {
      v.AppendString("few");
      few.push_back(i);
    } else {
      v.AppendString("many");
      many.push_back(i);
    }
  }
  Frame f;
  f.num_rows = 100;
  f.columns = {t.Finish(), v.Finish()};
  for (uint64_t max_bitmap : {uint64_t{1} << 20, uint64_t{16}}) {
    SegmentWriterOptions options;
    options.max_index_bitmap_bytes = max_bitmap;
    SegmentWriter writer({{"__time", ColumnType::kLong}, {"v", ColumnType::kString}}, types::Interval{0, 86400000}, options);
    ASSERT_TRUE(writer.Append(f).ok());
    std::string path = Path("index-" + std::to_string(max_bitmap) + ".seg");
    ASSERT_TRUE(writer.Write(io::FileSystem::Local(), path).ok());
    auto seg = Segment::OpenFile(io::FileSystem::Local(), path, true);
    ASSERT_TRUE(seg.ok()) << seg.status().ToString();
    const SegmentColumn* col = (*seg)->FindColumn("v");
    for (const auto& [value, want] : {std::pair{"many", many}, std::pair{"few", few}, std::pair{"one", one}}) {
      auto bitmap = col->ValueBitmap(col->LookupId(value));
      ASSERT_TRUE(bitmap.ok());
      std::vector<uint32_t> rows;
      bitmap->RowsInRange(0, 100, &rows);
      EXPECT_EQ(rows, want) << value << " max " << max_bitmap;
    }
    auto nulls = col->NullBitmap();
    ASSERT_TRUE(nulls.ok());
    EXPECT_EQ(nulls->Cardinality(), 20u);
  }
}

TEST_F(SegmentTest, DetectsCorruptionAndTruncation) {
  SegmentWriter writer(Schema(), types::Interval{0, 86400000}, SegmentWriterOptions{});
  ASSERT_TRUE(writer.Append(Rows(0, 10)).ok());
  ASSERT_TRUE(writer.Write(io::FileSystem::Local(), Path("s2.seg")).ok());
  std::string bytes = *io::FileSystem::Local()->ReadFileToString(Path("s2.seg"));

  std::string flipped = bytes;
  flipped[100] ^= 0x55;
  ASSERT_TRUE(io::FileSystem::Local()->WriteFileAtomically(Path("flipped.seg"), flipped).ok());
  auto bad = Segment::OpenFile(io::FileSystem::Local(), Path("flipped.seg"), true);
  EXPECT_EQ(bad.status().code(), StatusCode::kCorruption);

  ASSERT_TRUE(io::FileSystem::Local()->WriteFileAtomically(Path("cut.seg"), bytes.substr(0, bytes.size() / 2)).ok());
  auto cut = Segment::OpenFile(io::FileSystem::Local(), Path("cut.seg"), false);
  EXPECT_EQ(cut.status().code(), StatusCode::kCorruption);
}

TEST_F(SegmentTest, FailedWriteLeavesNoFile) {
  io::FaultInjectingFileSystem faulty(io::FileSystem::Local());
  SegmentWriter writer(Schema(), types::Interval{0, 86400000}, SegmentWriterOptions{});
  ASSERT_TRUE(writer.Append(Rows(0, 10)).ok());
  faulty.FailWritesAfter(3);
  auto info = writer.Write(&faulty, Path("s3.seg"));
  EXPECT_EQ(info.status().code(), StatusCode::kIoError);
  EXPECT_TRUE(std::filesystem::is_empty(dir_));
}

}  // namespace
}  // namespace strata::segment
