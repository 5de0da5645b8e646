#include "engine/frame_channel.h"

#include <cstring>

#include "columnar/frame_serde.h"
#include "io/compression.h"

namespace strata::engine {

using columnar::Frame;

Result<std::string> SpillDirectory::NewFile(const std::string& prefix) {
  if (!created_.load()) {
    RETURN_IF_ERROR(fs_->CreateDirs(dir_));
    created_ = true;
  }
  return io::JoinPath(dir_, prefix + "-" + std::to_string(next_++) + ".frames");
}

Status AppendFrameToFile(io::WritableFile* file, const Frame& frame, int64_t* bytes_written) {
  // Record: u32 raw_len | u32 stored_len | u8 codec | 3 pad | bytes. Spill files are written
  // uncompressed: they live for one query on local disk, and compressing them cost more CPU than
  // the I/O it saved (the record keeps a codec byte so compressed records stay readable).
  std::string raw;
  columnar::SerializeFrame(frame, &raw);
  const std::string& stored = raw;
  uint8_t codec = static_cast<uint8_t>(io::Codec::kNone);
  char header[12];
  uint32_t raw_len = static_cast<uint32_t>(raw.size()), stored_len = static_cast<uint32_t>(stored.size());
  std::memcpy(header, &raw_len, 4);
  std::memcpy(header + 4, &stored_len, 4);
  header[8] = static_cast<char>(codec);
  header[9] = header[10] = header[11] = 0;
  RETURN_IF_ERROR(file->Append(std::string_view(header, 12)));
  RETURN_IF_ERROR(file->Append(stored));
  if (bytes_written) *bytes_written += 12 + static_cast<int64_t>(stored.size());
  return Status::OK();
}

namespace {

class FileFrameReader : public FrameReader {
 public:
  explicit FileFrameReader(std::unique_ptr<io::SequentialFile> file) : file_(std::move(file)) {}
  Result<bool> Next(Frame* out) override {
    char header[12];
    ASSIGN_OR_RETURN(size_t got, ReadFully(header, 12));
    if (got == 0) return false;
    if (got != 12) return Status::Corruption("truncated spill file");
    uint32_t raw_len, stored_len;
    std::memcpy(&raw_len, header, 4);
    std::memcpy(&stored_len, header + 4, 4);
    auto codec = static_cast<io::Codec>(static_cast<uint8_t>(header[8]));
    std::string stored(stored_len, '\0');
    ASSIGN_OR_RETURN(size_t n, ReadFully(stored.data(), stored_len));
    if (n != stored_len) return Status::Corruption("truncated spill file");
    auto raw = std::make_shared<std::string>(raw_len, '\0');
    RETURN_IF_ERROR(io::Decompress(codec, stored, raw->data(), raw_len));
    ASSIGN_OR_RETURN(*out, columnar::DeserializeFrame(std::move(raw)));
    return true;
  }

 private:
  Result<size_t> ReadFully(char* buf, size_t n) {
    size_t total = 0;
    while (total < n) {
      ASSIGN_OR_RETURN(size_t got, file_->Read(buf + total, n - total));
      if (got == 0) break;
      total += got;
    }
    return total;
  }
  std::unique_ptr<io::SequentialFile> file_;
};

class ChannelReader : public FrameReader {
 public:
  ChannelReader(const std::vector<Frame>* memory, std::unique_ptr<FrameReader> file)
      : memory_(memory), file_(std::move(file)) {}
  Result<bool> Next(Frame* out) override {
    if (index_ < memory_->size()) {
      *out = (*memory_)[index_++];
      return true;
    }
    if (file_) return file_->Next(out);
    return false;
  }

 private:
  const std::vector<Frame>* memory_;
  size_t index_ = 0;
  std::unique_ptr<FrameReader> file_;
};

}  // namespace

Result<std::unique_ptr<FrameReader>> OpenFrameFile(io::FileSystem* fs, const std::string& path) {
  ASSIGN_OR_RETURN(auto file, fs->NewSequentialFile(path));
  return std::unique_ptr<FrameReader>(new FileFrameReader(std::move(file)));
}

FrameChannel::~FrameChannel() {
  if (budget_) budget_->Release(memory_bytes_);
  if (spill_file_) spill_file_->Close();
  if (!spill_path_.empty() && spill_) spill_->fs()->DeleteFile(spill_path_);
}

Status FrameChannel::Append(Frame frame) {
  if (frame.num_rows == 0) return Status::OK();
  int64_t bytes = frame.ByteSize();
  num_rows_ += frame.num_rows;
  ++num_frames_;
  num_bytes_ += bytes;
  bool must_spill = spill_ != nullptr && (spill_file_ != nullptr || (budget_ && budget_->exceeded()));
  if (!must_spill) {
    if (budget_) budget_->Reserve(bytes);
    memory_bytes_ += bytes;
    memory_frames_.push_back(std::move(frame));
    return Status::OK();
  }
  if (!spill_file_) {
    ASSIGN_OR_RETURN(spill_path_, spill_->NewFile("channel"));
    ASSIGN_OR_RETURN(spill_file_, spill_->fs()->NewWritableFile(spill_path_));
    ++spill_->files_written;
  }
  int64_t written = 0;
  RETURN_IF_ERROR(AppendFrameToFile(spill_file_.get(), frame, &written));
  spill_->bytes_written += written;
  return Status::OK();
}

Status FrameChannel::Finish() {
  if (spill_file_) {
    Status s = spill_file_->Close();
    spill_file_.reset();
    return s;
  }
  return Status::OK();
}

Result<std::unique_ptr<FrameReader>> FrameChannel::OpenReader() const {
  std::unique_ptr<FrameReader> file;
  if (!spill_path_.empty()) {
    ASSIGN_OR_RETURN(file, OpenFrameFile(spill_->fs(), spill_path_));
  }
  return std::unique_ptr<FrameReader>(new ChannelReader(&memory_frames_, std::move(file)));
}

SpillableBuffer::~SpillableBuffer() {
  if (budget_) budget_->Release(bytes_);
  DeleteSpills();
}

bool SpillableBuffer::Add(Frame frame) {
  if (frame.num_rows == 0) return false;
  int64_t bytes = frame.ByteSize();
  num_rows_ += frame.num_rows;
  bytes_ += bytes;
  if (budget_) budget_->Reserve(bytes);
  frames_.push_back(std::move(frame));
  return spill_ != nullptr && (bytes_ > spill_bytes_ || (budget_ && budget_->exceeded()));
}

Status SpillableBuffer::Spill(
    const std::string& prefix,
    const std::function<Status(const std::vector<Frame>&, io::WritableFile*, int64_t*)>& write) {
  if (frames_.empty()) return Status::OK();
  if (spill_ == nullptr) return Status::Internal("spilling without a spill directory");
  ASSIGN_OR_RETURN(std::string path, spill_->NewFile(prefix));
  ASSIGN_OR_RETURN(auto file, spill_->fs()->NewWritableFile(path));
  spill_paths_.push_back(path);
  ++spill_->files_written;
  int64_t written = 0;
  RETURN_IF_ERROR(write(frames_, file.get(), &written));
  RETURN_IF_ERROR(file->Close());
  spill_->bytes_written += written;
  if (budget_) budget_->Release(bytes_);
  frames_.clear();
  bytes_ = 0;
  return Status::OK();
}

void SpillableBuffer::DeleteSpills() {
  if (spill_) {
    for (const auto& p : spill_paths_) spill_->fs()->DeleteFile(p);
  }
  spill_paths_.clear();
}

std::vector<Frame> SpillableBuffer::Take(int64_t* bytes) {
  *bytes = bytes_;
  bytes_ = 0;
  std::vector<Frame> out = std::move(frames_);
  frames_.clear();
  return out;
}

Status LiveChannel::Push(Frame frame) {
  int64_t bytes = frame.ByteSize();
  std::unique_lock<std::mutex> lock(mu_);
  // A frame larger than the capacity still goes through once the queue is empty.
  changed_.wait(lock, [&] { return aborted_ || frames_.empty() || bytes_ + bytes <= capacity_bytes_; });
  if (aborted_) return Status::Canceled("the consumer of the results is gone");
  bytes_ += bytes;
  frames_.push_back(std::move(frame));
  changed_.notify_all();
  return Status::OK();
}

void LiveChannel::Close(Status status) {
  std::lock_guard<std::mutex> lock(mu_);
  closed_ = true;
  status_ = std::move(status);
  changed_.notify_all();
}

Result<bool> LiveChannel::Pop(Frame* out) {
  std::unique_lock<std::mutex> lock(mu_);
  changed_.wait(lock, [&] { return aborted_ || closed_ || !frames_.empty(); });
  if (!frames_.empty()) {
    *out = std::move(frames_.front());
    frames_.pop_front();
    bytes_ -= out->ByteSize();
    changed_.notify_all();
    return true;
  }
  if (aborted_) return Status::Canceled("the results channel was aborted");
  if (!status_.ok()) return status_;
  return false;
}

void LiveChannel::Abort() {
  std::lock_guard<std::mutex> lock(mu_);
  aborted_ = true;
  frames_.clear();
  bytes_ = 0;
  changed_.notify_all();
}

}  // namespace strata::engine
