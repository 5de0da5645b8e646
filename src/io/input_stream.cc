#include "io/input_stream.h"

#include <algorithm>
#include <cstring>

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

}  // namespace

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
