// DeadlineMonitor: one background thread that runs a callback when a registered deadline passes
// (query timeouts), so a query costs no thread of its own to watch its clock. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <thread>

#include "base/thread_annotations.h"

namespace strata::query {

class DeadlineMonitor {
 public:
  DeadlineMonitor();
  ~DeadlineMonitor();
  DeadlineMonitor(const DeadlineMonitor&) = delete;
  DeadlineMonitor& operator=(const DeadlineMonitor&) = delete;

  /// Runs `on_expiry` (on the monitor's thread) once `deadline_millis` (epoch ms) has passed,
  /// unless Remove(handle) came first. Returns the handle.
  int64_t Add(int64_t deadline_millis, std::function<void()> on_expiry);
  /// Forgets a deadline. After it returns, the callback is not running and will not run.
  void Remove(int64_t handle);

 private:
  void Run();

  std::mutex mu_;
  std::condition_variable changed_;
  std::condition_variable idle_;  // signalled when a callback has finished
  std::multimap<int64_t, int64_t> by_deadline_ GUARDED_BY(mu_);  // deadline -> handle
  std::map<int64_t, std::pair<int64_t, std::function<void()>>> entries_ GUARDED_BY(mu_);  // handle -> (deadline, callback)
  int64_t next_handle_ GUARDED_BY(mu_) = 1;
  int64_t running_ GUARDED_BY(mu_) = 0;  // handle whose callback runs now
  bool stopping_ GUARDED_BY(mu_) = false;
  std::thread thread_;
};

}  // namespace strata::query
