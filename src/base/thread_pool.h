// ThreadPool: a fixed set of threads that help run loops of independent tasks. The thread that
// calls ParallelFor runs tasks of its own loop too, so loops never wait for a free thread and
// nested or concurrent loops cannot deadlock: when several threads each run a loop (two ingestion
// workers building segments), idle pool threads take tasks from whichever loop has some left,
// which balances uneven work across the cores.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

#include "base/thread_annotations.h"

namespace strata::base {

class ThreadPool {
 public:
  /// `num_threads` helper threads (0: loops run on the calling thread only).
  explicit ThreadPool(int num_threads);
  ~ThreadPool();
  ThreadPool(const ThreadPool&) = delete;
  ThreadPool& operator=(const ThreadPool&) = delete;

  /// Runs fn(0), ..., fn(n - 1) on the calling thread and the pool's threads, in no particular
  /// order; returns when all have returned. `fn` must not throw.
  void ParallelFor(int64_t n, const std::function<void(int64_t)>& fn);

  int num_threads() const { return static_cast<int>(threads_.size()); }

  /// The process-wide pool: one thread per core.
  static ThreadPool* Shared();

 private:
  struct Loop;
  void WorkerMain();
  // Runs tasks of `loop` until none is left to claim.
  static void RunTasks(Loop* loop);

  std::mutex mu_;
  std::condition_variable wake_;
  std::deque<std::shared_ptr<Loop>> loops_ GUARDED_BY(mu_);
  bool stopping_ GUARDED_BY(mu_) = false;
  std::vector<std::thread> threads_;
};

}  // namespace strata::base
