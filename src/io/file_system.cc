#include "io/file_system.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>

#include "base/ids.h"

namespace strata::io {
namespace {

Status ErrnoStatus(const std::string& what, const std::string& path, int err) {
  return Status::IoError(what + " [" + path + "]: " + std::strerror(err));
}

class PosixWritableFile : public WritableFile {
 public:
  PosixWritableFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) { buffer_.reserve(kBufferSize); }
  ~PosixWritableFile() override {
    if (fd_ >= 0) {
      FlushBuffer();
      ::close(fd_);
    }
  }
  Status Append(std::string_view data) override {
    size_ += data.size();
    if (buffer_.size() + data.size() <= kBufferSize) {
      buffer_.append(data);
      return Status::OK();
    }
    RETURN_IF_ERROR(FlushBuffer());
    if (data.size() >= kBufferSize) return WriteRaw(data);
    buffer_.append(data);
    return Status::OK();
  }
  Status Sync() override {
    RETURN_IF_ERROR(FlushBuffer());
    if (::fdatasync(fd_) != 0) return ErrnoStatus("fsync failed", path_, errno);
    return Status::OK();
  }
  Status Close() override {
    if (fd_ < 0) return Status::OK();
    Status s = FlushBuffer();
    if (::close(fd_) != 0 && s.ok()) s = ErrnoStatus("close failed", path_, errno);
    fd_ = -1;
    return s;
  }
  uint64_t size() const override { return size_; }

 private:
  static constexpr size_t kBufferSize = 1 << 20;

  Status FlushBuffer() {
    if (buffer_.empty()) return Status::OK();
    Status s = WriteRaw(buffer_);
    buffer_.clear();
    return s;
  }
  Status WriteRaw(std::string_view data) {
    const char* p = data.data();
    size_t left = data.size();
    while (left > 0) {
      ssize_t n = ::write(fd_, p, left);
      if (n < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("write failed", path_, errno);
      }
      p += n;
      left -= static_cast<size_t>(n);
    }
    return Status::OK();
  }

  std::string path_;
  int fd_;
  std::string buffer_;
  uint64_t size_ = 0;
};

class PosixSequentialFile : public SequentialFile {
 public:
  PosixSequentialFile(std::string path, int fd) : path_(std::move(path)), fd_(fd) {}
  ~PosixSequentialFile() override { ::close(fd_); }
  Result<size_t> Read(char* buf, size_t n) override {
    while (true) {
      ssize_t r = ::read(fd_, buf, n);
      if (r < 0) {
        if (errno == EINTR) continue;
        return ErrnoStatus("read failed", path_, errno);
      }
      return static_cast<size_t>(r);
    }
  }

 private:
  std::string path_;
  int fd_;
};

class PosixMappedFile : public MappedFile {
 public:
  PosixMappedFile(void* addr, size_t size) : addr_(addr), size_(size) {}
  ~PosixMappedFile() override {
    if (addr_ != nullptr && size_ > 0) ::munmap(addr_, size_);
  }
  const char* data() const override { return size_ ? static_cast<const char*>(addr_) : ""; }
  size_t size() const override { return size_; }

 private:
  void* addr_;
  size_t size_;
};

class LocalFileSystem : public FileSystem {
 public:
  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) return ErrnoStatus("cannot create file", path, errno);
    return std::unique_ptr<WritableFile>(new PosixWritableFile(path, fd));
  }
  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open file", path, errno);
    return std::unique_ptr<SequentialFile>(new PosixSequentialFile(path, fd));
  }
  Result<std::unique_ptr<SequentialFile>> NewSequentialFileAt(const std::string& path, uint64_t offset) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open file", path, errno);
    if (::lseek(fd, static_cast<off_t>(offset), SEEK_SET) < 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot seek in file", path, err);
    }
    return std::unique_ptr<SequentialFile>(new PosixSequentialFile(path, fd));
  }
  Result<std::shared_ptr<MappedFile>> MapFile(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open file", path, errno);
    struct stat st;
    if (::fstat(fd, &st) != 0) {
      int err = errno;
      ::close(fd);
      return ErrnoStatus("cannot stat file", path, err);
    }
    size_t size = static_cast<size_t>(st.st_size);
    void* addr = nullptr;
    if (size > 0) {
      addr = ::mmap(nullptr, size, PROT_READ, MAP_SHARED, fd, 0);
      if (addr == MAP_FAILED) {
        int err = errno;
        ::close(fd);
        return ErrnoStatus("cannot map file", path, err);
      }
    }
    ::close(fd);
    return std::shared_ptr<MappedFile>(new PosixMappedFile(addr, size));
  }
  Status RenameFile(const std::string& from, const std::string& to) override {
    if (::rename(from.c_str(), to.c_str()) != 0) return ErrnoStatus("cannot rename to [" + to + "]", from, errno);
    return Status::OK();
  }
  Status CreateDirs(const std::string& path) override {
    std::error_code ec;
    std::filesystem::create_directories(path, ec);
    if (ec) return Status::IoError("cannot create directory [" + path + "]: " + ec.message());
    return Status::OK();
  }
  Status DeleteFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT) return ErrnoStatus("cannot delete file", path, errno);
    return Status::OK();
  }
  Status DeleteRecursively(const std::string& path) override {
    std::error_code ec;
    std::filesystem::remove_all(path, ec);
    if (ec) return Status::IoError("cannot delete [" + path + "]: " + ec.message());
    return Status::OK();
  }
  bool Exists(const std::string& path) override {
    struct stat st;
    return ::stat(path.c_str(), &st) == 0;
  }
  Result<uint64_t> FileSize(const std::string& path) override {
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return ErrnoStatus("cannot stat file", path, errno);
    return static_cast<uint64_t>(st.st_size);
  }
  Result<std::vector<std::string>> ListDir(const std::string& path) override {
    std::error_code ec;
    std::vector<std::string> names;
    for (auto it = std::filesystem::directory_iterator(path, ec); !ec && it != std::filesystem::directory_iterator();
         it.increment(ec)) {
      names.push_back(it->path().filename().string());
    }
    if (ec) return Status::IoError("cannot list directory [" + path + "]: " + ec.message());
    std::sort(names.begin(), names.end());
    return names;
  }
  Status SyncDir(const std::string& path) override {
    int fd = ::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0) return ErrnoStatus("cannot open directory", path, errno);
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return ErrnoStatus("cannot fsync directory", path, err);
    return Status::OK();
  }
};

class FaultInjectingWritableFile : public WritableFile {
 public:
  FaultInjectingWritableFile(std::unique_ptr<WritableFile> base, FaultInjectingFileSystem* fs)
      : base_(std::move(base)), fs_(fs) {}
  Status Append(std::string_view data) override {
    RETURN_IF_ERROR(fs_->ConsumeWrite());
    return base_->Append(data);
  }
  Status Sync() override {
    RETURN_IF_ERROR(fs_->ConsumeWrite());
    return base_->Sync();
  }
  Status Close() override { return base_->Close(); }
  uint64_t size() const override { return base_->size(); }

 private:
  std::unique_ptr<WritableFile> base_;
  FaultInjectingFileSystem* fs_;
};

}  // namespace

FileSystem* FileSystem::Local() {
  static LocalFileSystem* fs = new LocalFileSystem();
  return fs;
}

Result<std::string> FileSystem::ReadFileToString(const std::string& path) {
  ASSIGN_OR_RETURN(auto file, NewSequentialFile(path));
  std::string out;
  char buf[65536];
  while (true) {
    ASSIGN_OR_RETURN(size_t n, file->Read(buf, sizeof(buf)));
    if (n == 0) break;
    out.append(buf, n);
  }
  return out;
}

Status FileSystem::WriteFileAtomically(const std::string& path, std::string_view data) {
  std::string tmp = path + ".tmp-" + base::RandomLetters(8);
  {
    ASSIGN_OR_RETURN(auto file, NewWritableFile(tmp));
    Status s = file->Append(data);
    if (s.ok()) s = file->Sync();
    if (s.ok()) s = file->Close();
    if (!s.ok()) {
      DeleteFile(tmp);
      return s;
    }
  }
  Status s = RenameFile(tmp, path);
  if (!s.ok()) {
    DeleteFile(tmp);
    return s;
  }
  std::string dir = std::filesystem::path(path).parent_path().string();
  return SyncDir(dir.empty() ? "." : dir);
}

Result<std::unique_ptr<WritableFile>> FaultInjectingFileSystem::NewWritableFile(const std::string& path) {
  RETURN_IF_ERROR(ConsumeWrite());
  ASSIGN_OR_RETURN(auto base, base_->NewWritableFile(path));
  return std::unique_ptr<WritableFile>(new FaultInjectingWritableFile(std::move(base), this));
}

Status FaultInjectingFileSystem::RenameFile(const std::string& from, const std::string& to) {
  RETURN_IF_ERROR(ConsumeWrite());
  return base_->RenameFile(from, to);
}

Status FaultInjectingFileSystem::ConsumeWrite() {
  if (writes_left_ < 0) return Status::OK();
  if (writes_left_ == 0) return Status::IoError("injected fault");
  --writes_left_;
  return Status::OK();
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out.push_back('/');
  out.append(b);
  return out;
}

}  // namespace strata::io
