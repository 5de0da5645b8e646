#include <gtest/gtest.h>

#include <unistd.h>

#include <algorithm>
#include <filesystem>

#include "io/compression.h"
#include "io/file_system.h"
#include "io/input_stream.h"

namespace strata::io {
namespace {

std::string ReadAll(InputStream* in) {
  std::string out;
  char buf[7];  // small buffer to exercise partial reads
  while (true) {
    Result<size_t> n = in->Read(buf, sizeof(buf));
    EXPECT_TRUE(n.ok());
    if (!n.ok() || *n == 0) break;
    out.append(buf, *n);
  }
  return out;
}

class IoTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() / ("strata_io_test_" + std::to_string(::getpid()));
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string Path(const std::string& name) { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

TEST_F(IoTest, CodecsRoundTrip) {
  std::string data;
  for (int i = 0; i < 10000; ++i) data += "row " + std::to_string(i % 17) + ";";
  for (Codec codec : {Codec::kNone, Codec::kLz4, Codec::kZstd}) {
    std::string compressed;
    Compress(codec, data, &compressed);
    if (codec != Codec::kNone) {
      EXPECT_LT(compressed.size(), data.size() / 4);
    }
    std::string back(data.size(), '\0');
    ASSERT_TRUE(Decompress(codec, compressed, back.data(), back.size()).ok());
    EXPECT_EQ(back, data);
  }
  std::string garbage = "not lz4 data at all";
  std::string out(100, '\0');
  EXPECT_EQ(Decompress(Codec::kLz4, garbage, out.data(), out.size()).code(), StatusCode::kCorruption);
}

TEST_F(IoTest, GzipStreamHandlesConcatenatedMembers) {
  std::string a = "first line\nsecond line\n";
  std::string b = "third line\n";
  std::string gz = GzipCompress(a) + GzipCompress(b);
  auto in = NewGzipInputStream(NewMemoryInputStream(gz));
  EXPECT_EQ(ReadAll(in.get()), a + b);
}

TEST_F(IoTest, GzipTruncatedIsCorruption) {
  std::string gz = GzipCompress(std::string(5000, 'x'));
  auto in = NewGzipInputStream(NewMemoryInputStream(gz.substr(0, gz.size() / 2)));
  char buf[100000];
  Status s;
  while (true) {
    Result<size_t> n = in->Read(buf, sizeof(buf));
    if (!n.ok()) {
      s = n.status();
      break;
    }
    if (*n == 0) break;
  }
  EXPECT_EQ(s.code(), StatusCode::kCorruption);
}

TEST_F(IoTest, AtomicWriteAndMap) {
  FileSystem* fs = FileSystem::Local();
  ASSERT_TRUE(fs->WriteFileAtomically(Path("a.txt"), "hello").ok());
  auto mapped = fs->MapFile(Path("a.txt"));
  ASSERT_TRUE(mapped.ok());
  EXPECT_EQ((*mapped)->view(), "hello");
  auto names = fs->ListDir(dir_.string());
  ASSERT_TRUE(names.ok());
  EXPECT_EQ(*names, std::vector<std::string>{"a.txt"});  // no temp file left behind
  auto stream = OpenFileMaybeCompressed(fs, Path("a.txt"));
  ASSERT_TRUE(stream.ok());
  EXPECT_EQ(ReadAll(stream->get()), "hello");
}

TEST_F(IoTest, FaultInjectionLeavesOldFile) {
  FileSystem* local = FileSystem::Local();
  ASSERT_TRUE(local->WriteFileAtomically(Path("b.txt"), "old").ok());
  FaultInjectingFileSystem faulty(local);
  faulty.FailWritesAfter(1);  // the temp file is created, the append fails
  Status s = faulty.WriteFileAtomically(Path("b.txt"), "new contents");
  EXPECT_EQ(s.code(), StatusCode::kIoError);
  EXPECT_EQ(*local->ReadFileToString(Path("b.txt")), "old");
  EXPECT_EQ(*local->ListDir(dir_.string()), std::vector<std::string>{"b.txt"});
}

}  // namespace
}  // namespace strata::io

namespace strata::io {
namespace {

TEST_F(IoTest, LineRangesPartitionAFile) {
  std::string data;
  for (int i = 0; i < 200; ++i) data += "line " + std::to_string(i) + std::string(i % 7, 'x') + "\n";
  data += "last line without newline";
  ASSERT_TRUE(FileSystem::Local()->WriteFileAtomically(Path("lines.txt"), data).ok());
  for (int64_t piece : {1, 5, 13, 64, 1000, 100000}) {
    std::string joined;
    int64_t expected_lines_before = 0;
    for (int64_t start = 0; start < static_cast<int64_t>(data.size()); start += piece) {
      int64_t len = std::min<int64_t>(piece, static_cast<int64_t>(data.size()) - start);
      auto in = OpenFileLineRange(FileSystem::Local(), Path("lines.txt"), start, len);
      ASSERT_TRUE(in.ok());
      std::string part = ReadAll(in->get());
      if (!part.empty()) {
        // Every range starts at a line start and reports the lines before it.
        EXPECT_TRUE(joined.empty() || joined.back() == '\n');
        EXPECT_EQ((*in)->lines_before(), expected_lines_before);
        expected_lines_before += std::count(part.begin(), part.end(), '\n');
      }
      joined += part;
    }
    EXPECT_EQ(joined, data) << "piece " << piece;
  }
}

}  // namespace
}  // namespace strata::io
