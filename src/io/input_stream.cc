#include "io/input_stream.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "io/compression.h"

namespace strata::io {
namespace {

class FileInputStream : public InputStream {
 public:
  explicit FileInputStream(std::unique_ptr<SequentialFile> file) : file_(std::move(file)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    ASSIGN_OR_RETURN(size_t got, file_->Read(buf, n));
    bytes_read_ += got;
    return got;
  }
  uint64_t bytes_read() const override { return bytes_read_; }

 private:
  std::unique_ptr<SequentialFile> file_;
  uint64_t bytes_read_ = 0;
};

class MemoryInputStream : public InputStream {
 public:
  explicit MemoryInputStream(std::string data) : data_(std::move(data)) {}
  Result<size_t> Read(char* buf, size_t n) override {
    size_t take = std::min(n, data_.size() - pos_);
    std::memcpy(buf, data_.data() + pos_, take);
    pos_ += take;
    return take;
  }
  uint64_t bytes_read() const override { return pos_; }

 private:
  std::string data_;
  size_t pos_ = 0;
};

// The lines of a file that start inside a byte range (see OpenFileLineRange).
class LineRangeStream : public InputStream {
 public:
  LineRangeStream(FileSystem* fs, std::string path, std::unique_ptr<SequentialFile> file, int64_t file_pos, int64_t offset,
                  int64_t end)
      : fs_(fs), path_(std::move(path)), file_(std::move(file)), pos_(file_pos), offset_(offset), end_(end) {}


  Result<size_t> Read(char* buf, size_t n) override {
    if (done_) return size_t{0};
    if (!started_) {
      started_ = true;
      // The line that crosses `offset` belongs to the previous range: skip through its newline.
      if (offset_ > 0) {
        char c = 0;
        while (c != '\n') {
          ASSIGN_OR_RETURN(size_t got, file_->Read(&c, 1));
          if (got == 0) {
            done_ = true;
            return size_t{0};
          }
          ++pos_;
        }
      }
      first_byte_ = pos_;
      if (pos_ >= end_) {  // no line starts inside the range
        done_ = true;
        return size_t{0};
      }
    }
    ASSIGN_OR_RETURN(size_t got, file_->Read(buf, n));
    if (got == 0) {
      done_ = true;
      return size_t{0};
    }
    // Stop after the first newline at or past the range's last byte.
    int64_t scan_from = std::max<int64_t>(0, end_ - 1 - pos_);
    size_t produced = got;
    if (scan_from < static_cast<int64_t>(got)) {
      const void* nl = std::memchr(buf + scan_from, '\n', got - static_cast<size_t>(scan_from));
      if (nl != nullptr) {
        produced = static_cast<size_t>(static_cast<const char*>(nl) - buf) + 1;
        done_ = true;
      }
    }
    pos_ += static_cast<int64_t>(produced);
    bytes_read_ += produced;
    return produced;
  }

  uint64_t bytes_read() const override { return bytes_read_; }

  int64_t lines_before() override {
    if (lines_before_ >= 0) return lines_before_;
    lines_before_ = 0;
    Result<std::unique_ptr<SequentialFile>> f = fs_->NewSequentialFile(path_);
    if (!f.ok()) return 0;
    std::vector<char> buf(1 << 20);
    int64_t remaining = first_byte_;
    while (remaining > 0) {
      Result<size_t> got = (*f)->Read(buf.data(), static_cast<size_t>(std::min<int64_t>(remaining, static_cast<int64_t>(buf.size()))));
      if (!got.ok() || *got == 0) break;
      for (size_t i = 0; i < *got; ++i) lines_before_ += buf[i] == '\n';
      remaining -= static_cast<int64_t>(*got);
    }
    return lines_before_;
  }

 private:
  FileSystem* fs_;
  std::string path_;
  std::unique_ptr<SequentialFile> file_;
  int64_t pos_;
  int64_t offset_;
  int64_t end_;
  int64_t first_byte_ = 0;
  uint64_t bytes_read_ = 0;
  bool started_ = false;
  bool done_ = false;
  int64_t lines_before_ = -1;
};

}  // namespace

Result<std::unique_ptr<InputStream>> OpenFileLineRange(FileSystem* fs, const std::string& path, int64_t offset, int64_t length) {
  int64_t start = offset > 0 ? offset - 1 : 0;  // the byte before the range tells if a line starts at `offset`
  ASSIGN_OR_RETURN(auto file, fs->NewSequentialFileAt(path, static_cast<uint64_t>(start)));
  return std::unique_ptr<InputStream>(new LineRangeStream(fs, path, std::move(file), start, offset, offset + length));
}

Result<std::unique_ptr<InputStream>> OpenFileStream(FileSystem* fs, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, fs->NewSequentialFile(path));
  return std::unique_ptr<InputStream>(new FileInputStream(std::move(file)));
}

std::unique_ptr<InputStream> NewMemoryInputStream(std::string data) {
  return std::make_unique<MemoryInputStream>(std::move(data));
}

Result<std::unique_ptr<InputStream>> OpenFileMaybeCompressed(FileSystem* fs, const std::string& path) {
  ASSIGN_OR_RETURN(auto stream, OpenFileStream(fs, path));
  if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0) {
    return NewGzipInputStream(std::move(stream));
  }
  return stream;
}

}  // namespace strata::io
