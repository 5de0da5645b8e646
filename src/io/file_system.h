// FileSystem: the swappable file layer (as LevelDB's Env). Everything that touches disk — segment
// files, deep storage, spill and shuffle files, the metadata database directory — goes through
// it, so tests can inject faults (FaultInjectingFileSystem) and check that nothing half-written
// is ever used.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "base/status.h"

namespace strata::io {

/// A file being written. Not thread-safe.
class WritableFile {
 public:
  virtual ~WritableFile() = default;
  virtual Status Append(std::string_view data) = 0;
  /// Flushes buffers and fsyncs the file.
  virtual Status Sync() = 0;
  virtual Status Close() = 0;
  /// Bytes appended so far.
  virtual uint64_t size() const = 0;
};

/// A read-only memory mapping of a whole file. Thread-safe; unmapped on destruction.
class MappedFile {
 public:
  virtual ~MappedFile() = default;
  virtual const char* data() const = 0;
  virtual size_t size() const = 0;
  std::string_view view() const { return std::string_view(data(), size()); }
};

/// A file read sequentially. Not thread-safe.
class SequentialFile {
 public:
  virtual ~SequentialFile() = default;
  /// Reads up to `n` bytes into `buf`; returns 0 at end of file.
  virtual Result<size_t> Read(char* buf, size_t n) = 0;
};

class FileSystem {
 public:
  virtual ~FileSystem() = default;

  /// The process-wide local file system.
  static FileSystem* Local();

  /// Creates (truncating) a file for writing.
  virtual Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) = 0;
  virtual Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) = 0;
  /// A sequential reader positioned at byte `offset`.
  virtual Result<std::unique_ptr<SequentialFile>> NewSequentialFileAt(const std::string& path, uint64_t offset) = 0;
  virtual Result<std::shared_ptr<MappedFile>> MapFile(const std::string& path) = 0;
  /// Atomically replaces `to` with `from` (rename(2)).
  virtual Status RenameFile(const std::string& from, const std::string& to) = 0;
  virtual Status CreateDirs(const std::string& path) = 0;
  virtual Status DeleteFile(const std::string& path) = 0;
  /// Deletes a file or directory tree; missing paths are not an error.
  virtual Status DeleteRecursively(const std::string& path) = 0;
  virtual bool Exists(const std::string& path) = 0;
  virtual Result<uint64_t> FileSize(const std::string& path) = 0;
  /// Names (not paths) of the entries of a directory, sorted.
  virtual Result<std::vector<std::string>> ListDir(const std::string& path) = 0;
  /// fsyncs a directory so that renames/creations in it are durable.
  virtual Status SyncDir(const std::string& path) = 0;

  /// Reads a whole file.
  Result<std::string> ReadFileToString(const std::string& path);
  /// Writes `data` to `path` atomically: a temp file in the same directory, fsync, rename, fsync
  /// of the directory. A crash leaves either the old file or the new one.
  Status WriteFileAtomically(const std::string& path, std::string_view data);
};

/// Wraps another FileSystem and fails operations on demand, for crash/fault tests.
class FaultInjectingFileSystem : public FileSystem {
 public:
  explicit FaultInjectingFileSystem(FileSystem* base) : base_(base) {}

  /// After `n` more successful Append/Sync/Rename calls, every write operation fails with IoError.
  void FailWritesAfter(int64_t n) { writes_left_ = n; }
  void Heal() { writes_left_ = -1; }
  int64_t writes_left() const { return writes_left_; }

  Result<std::unique_ptr<WritableFile>> NewWritableFile(const std::string& path) override;
  Result<std::unique_ptr<SequentialFile>> NewSequentialFile(const std::string& path) override {
    return base_->NewSequentialFile(path);
  }
  Result<std::unique_ptr<SequentialFile>> NewSequentialFileAt(const std::string& path, uint64_t offset) override {
    return base_->NewSequentialFileAt(path, offset);
  }
  Result<std::shared_ptr<MappedFile>> MapFile(const std::string& path) override { return base_->MapFile(path); }
  Status RenameFile(const std::string& from, const std::string& to) override;
  Status CreateDirs(const std::string& path) override { return base_->CreateDirs(path); }
  Status DeleteFile(const std::string& path) override { return base_->DeleteFile(path); }
  Status DeleteRecursively(const std::string& path) override { return base_->DeleteRecursively(path); }
  bool Exists(const std::string& path) override { return base_->Exists(path); }
  Result<uint64_t> FileSize(const std::string& path) override { return base_->FileSize(path); }
  Result<std::vector<std::string>> ListDir(const std::string& path) override { return base_->ListDir(path); }
  Status SyncDir(const std::string& path) override { return base_->SyncDir(path); }

  /// Consumes one write credit; returns IoError once the credits are used up.
  Status ConsumeWrite();

 private:
  FileSystem* base_;
  int64_t writes_left_ = -1;  // -1: never fail
};

/// Joins path parts with '/'.
std::string JoinPath(std::string_view a, std::string_view b);

}  // namespace strata::io
