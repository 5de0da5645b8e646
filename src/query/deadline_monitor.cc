#include "query/deadline_monitor.h"

#include <chrono>

#include "base/clock.h"

namespace strata::query {

DeadlineMonitor::DeadlineMonitor() : thread_([this] { Run(); }) {}

DeadlineMonitor::~DeadlineMonitor() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  changed_.notify_all();
  thread_.join();
}

int64_t DeadlineMonitor::Add(int64_t deadline_millis, std::function<void()> on_expiry) {
  std::lock_guard<std::mutex> lock(mu_);
  int64_t handle = next_handle_++;
  entries_[handle] = {deadline_millis, std::move(on_expiry)};
  by_deadline_.emplace(deadline_millis, handle);
  changed_.notify_all();
  return handle;
}

void DeadlineMonitor::Remove(int64_t handle) {
  std::unique_lock<std::mutex> lock(mu_);
  idle_.wait(lock, [&] { return running_ != handle; });
  auto it = entries_.find(handle);
  if (it == entries_.end()) return;
  auto range = by_deadline_.equal_range(it->second.first);
  for (auto d = range.first; d != range.second; ++d) {
    if (d->second == handle) {
      by_deadline_.erase(d);
      break;
    }
  }
  entries_.erase(it);
}

void DeadlineMonitor::Run() {
  std::unique_lock<std::mutex> lock(mu_);
  while (!stopping_) {
    if (by_deadline_.empty()) {
      changed_.wait(lock);
      continue;
    }
    int64_t now = base::NowMillis();
    auto first = by_deadline_.begin();
    if (first->first > now) {
      changed_.wait_for(lock, std::chrono::milliseconds(first->first - now));
      continue;
    }
    int64_t handle = first->second;
    by_deadline_.erase(first);
    auto it = entries_.find(handle);
    std::function<void()> callback = std::move(it->second.second);
    entries_.erase(it);
    running_ = handle;
    lock.unlock();
    callback();
    lock.lock();
    running_ = 0;
    idle_.notify_all();
  }
}

}  // namespace strata::query
