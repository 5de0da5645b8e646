// FrameChannel: an append-only sequence of frames — one shuffle partition written by one worker,
// one sorted run of a sort. Frames stay in memory while the owning worker's MemoryBudget allows,
// and go to a spill file (docs/formats/frame.md, "Spill files") when it does not. Readers see the
// frames in append order. Appending is single-threaded; once finished, any number of readers may
// read concurrently.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "base/status.h"
#include "columnar/frame.h"
#include "io/file_system.h"

namespace strata::engine {

/// Memory shared by one worker's buffers; when used() exceeds limit(), buffers spill. Thread-safe.
class MemoryBudget {
 public:
  explicit MemoryBudget(int64_t limit_bytes) : limit_(limit_bytes) {}
  void Reserve(int64_t bytes) { used_ += bytes; }
  void Release(int64_t bytes) { used_ -= bytes; }
  bool exceeded() const { return used_.load() > limit_; }
  int64_t used() const { return used_.load(); }
  int64_t limit() const { return limit_; }

 private:
  int64_t limit_;
  std::atomic<int64_t> used_{0};
};

/// Where spill files go: a directory and a counter for unique names. Thread-safe.
class SpillDirectory {
 public:
  SpillDirectory(io::FileSystem* fs, std::string dir) : fs_(fs), dir_(std::move(dir)) {}
  io::FileSystem* fs() const { return fs_; }
  /// A fresh file path inside the directory (created lazily).
  Result<std::string> NewFile(const std::string& prefix);
  /// Bytes written to spill files so far.
  std::atomic<int64_t> bytes_written{0};
  std::atomic<int64_t> files_written{0};

 private:
  io::FileSystem* fs_;
  std::string dir_;
  std::atomic<int64_t> next_{0};
  std::atomic<bool> created_{false};
};

class FrameReader {
 public:
  virtual ~FrameReader() = default;
  /// Next frame; false at the end.
  virtual Result<bool> Next(columnar::Frame* out) = 0;
};

/// One output partition of a worker as its consumers see it: its size and a reader of its frames.
class PartitionSource {
 public:
  virtual ~PartitionSource() = default;
  /// A reader over the partition's frames; several readers may be open at once.
  virtual Result<std::unique_ptr<FrameReader>> OpenReader() const = 0;
  virtual int64_t num_rows() const = 0;
  /// Serialized bytes of the rows (the "bytes" of channel counters).
  virtual int64_t num_bytes() const = 0;
  virtual int64_t num_frames() const = 0;
};

class FrameChannel : public PartitionSource {
 public:
  /// `budget` and `spill` may be null (never spill).
  FrameChannel(MemoryBudget* budget, SpillDirectory* spill) : budget_(budget), spill_(spill) {}
  ~FrameChannel();
  FrameChannel(const FrameChannel&) = delete;
  FrameChannel& operator=(const FrameChannel&) = delete;

  Status Append(columnar::Frame frame);
  /// Flushes and closes the spill file, if any. Call before reading.
  Status Finish();
  /// A reader over all frames appended (memory frames and spilled ones, in order).
  Result<std::unique_ptr<FrameReader>> OpenReader() const override;

  int64_t num_rows() const override { return num_rows_; }
  int64_t num_frames() const override { return num_frames_; }
  int64_t num_bytes() const override { return num_bytes_; }
  bool spilled() const { return !spill_path_.empty(); }

 private:
  // Frames before the first spill are kept in memory_frames_; later ones go to the file, so a
  // reader returns memory frames first, then the file's.
  std::vector<columnar::Frame> memory_frames_;
  int64_t memory_bytes_ = 0;
  MemoryBudget* budget_;
  SpillDirectory* spill_;
  std::string spill_path_;
  std::unique_ptr<io::WritableFile> spill_file_;
  int64_t num_rows_ = 0;
  int64_t num_frames_ = 0;
  int64_t num_bytes_ = 0;
};

/// Frames handed from one producer thread to one consumer thread as they are made (a query's
/// final stage streaming to the client). The producer blocks while `capacity_bytes` are waiting;
/// Abort() (the consumer is gone or the query failed) unblocks it. Thread-safe.
class LiveChannel {
 public:
  explicit LiveChannel(int64_t capacity_bytes) : capacity_bytes_(capacity_bytes) {}
  /// Queues `frame`; Canceled once the channel was aborted.
  Status Push(columnar::Frame frame);
  /// The producer is done; `status` is what Pop reports after the last frame.
  void Close(Status status);
  /// Next frame (true), or false once closed and drained; the producer's error if it failed.
  Result<bool> Pop(columnar::Frame* out);
  void Abort();

 private:
  int64_t capacity_bytes_;
  std::mutex mu_;
  std::condition_variable changed_;
  std::deque<columnar::Frame> frames_;
  int64_t bytes_ = 0;
  bool closed_ = false;
  bool aborted_ = false;
  Status status_;
};

/// Frames buffered against a worker's MemoryBudget and the spill files written for them: the
/// common state of ExternalSorter and TimeChunkPartitioner. Destroying it releases the frames'
/// reservation and deletes the spill files.
class SpillableBuffer {
 public:
  /// `spill_bytes`: buffered bytes past which Add asks for a spill (so does an exceeded budget);
  /// `budget` and `spill` may be null (never spill).
  SpillableBuffer(MemoryBudget* budget, SpillDirectory* spill, int64_t spill_bytes)
      : budget_(budget), spill_(spill), spill_bytes_(spill_bytes) {}
  ~SpillableBuffer();
  SpillableBuffer(const SpillableBuffer&) = delete;
  SpillableBuffer& operator=(const SpillableBuffer&) = delete;

  /// Buffers `frame`; true when the caller should spill the buffer now.
  bool Add(columnar::Frame frame);
  const std::vector<columnar::Frame>& frames() const { return frames_; }
  bool empty() const { return frames_.empty(); }
  /// Rows added over the buffer's life (spilled or not).
  int64_t num_rows() const { return num_rows_; }

  /// Writes the buffered frames to a new spill file with `write` (which appends records through
  /// AppendFrameToFile), then empties the buffer.
  Status Spill(const std::string& prefix,
               const std::function<Status(const std::vector<columnar::Frame>&, io::WritableFile*, int64_t*)>& write);
  const std::vector<std::string>& spill_paths() const { return spill_paths_; }
  /// Deletes the spill files (after they were read back).
  void DeleteSpills();

  /// Empties the buffer, handing its frames to the caller, who takes over their reservation of
  /// `*bytes` (to Release on `budget()` later).
  std::vector<columnar::Frame> Take(int64_t* bytes);
  MemoryBudget* budget() const { return budget_; }
  SpillDirectory* spill_directory() const { return spill_; }

 private:
  MemoryBudget* budget_;
  SpillDirectory* spill_;
  int64_t spill_bytes_;
  std::vector<columnar::Frame> frames_;
  int64_t bytes_ = 0;
  int64_t num_rows_ = 0;
  std::vector<std::string> spill_paths_;
};

/// Writes frames to a spill file / reads them back (used by FrameChannel and ExternalSorter).
Status AppendFrameToFile(io::WritableFile* file, const columnar::Frame& frame, int64_t* bytes_written);
Result<std::unique_ptr<FrameReader>> OpenFrameFile(io::FileSystem* fs, const std::string& path);

}  // namespace strata::engine
