#include "engine/execution_context.h"

namespace strata::engine {

namespace {
constexpr size_t kMaxWarningReports = 10;
}

ExecutionContext::ExecutionContext(std::shared_ptr<const QueryDefinition> query, ExecutionOptions options,
                                   io::FileSystem* fs, storage::SegmentCache* segment_cache,
                                   storage::DeepStorage* deep_storage, SegmentAllocator* allocator)
    : query_(std::move(query)), options_(std::move(options)), fs_(fs), segment_cache_(segment_cache),
      deep_storage_(deep_storage), allocator_(allocator) {}

void ExecutionContext::Cancel() {
  canceled_ = true;
  std::lock_guard<std::mutex> lock(mu_);
  for (auto& [handle, callback] : cancel_callbacks_) callback();
}

int ExecutionContext::AddCancelCallback(std::function<void()> callback) {
  std::lock_guard<std::mutex> lock(mu_);
  if (canceled_.load()) callback();
  int handle = next_callback_++;
  cancel_callbacks_[handle] = std::move(callback);
  return handle;
}

void ExecutionContext::RemoveCancelCallback(int handle) {
  std::lock_guard<std::mutex> lock(mu_);
  cancel_callbacks_.erase(handle);
}

Status ExecutionContext::CheckCanceled() const {
  if (canceled_.load()) return CanceledFault().ToStatus();
  return Status::OK();
}

Status ExecutionContext::ReportParseError(int stage, int worker, const std::string& message) {
  counters_.ForWorker(stage, worker)->AddWarning("CannotParseExternalData");
  int64_t count = ++parse_errors_;
  {
    std::lock_guard<std::mutex> lock(mu_);
    if (warnings_.size() < kMaxWarningReports) {
      warnings_.push_back(ErrorReport{WorkerId(worker), options_.host, stage, CannotParseExternalDataFault(message)});
    }
  }
  int64_t max = options_.max_parse_exceptions;
  if (max >= 0 && count > max) return TooManyWarningsFault(max, "CannotParseExternalData").ToStatus();
  return Status::OK();
}

std::vector<ErrorReport> ExecutionContext::warnings() const {
  std::lock_guard<std::mutex> lock(mu_);
  return warnings_;
}

std::string ExecutionContext::WorkerId(int worker) const {
  return options_.task_id + "-worker" + std::to_string(worker) + "_0";
}

}  // namespace strata::engine
