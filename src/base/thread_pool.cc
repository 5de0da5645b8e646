#include "base/thread_pool.h"

#include <algorithm>
#include <atomic>

namespace strata::base {

struct ThreadPool::Loop {
  int64_t n = 0;
  const std::function<void(int64_t)>* fn = nullptr;
  std::atomic<int64_t> next{0};
  std::atomic<int64_t> done{0};
  std::mutex mu;
  std::condition_variable finished;
};

ThreadPool::ThreadPool(int num_threads) {
  for (int i = 0; i < num_threads; ++i) threads_.emplace_back([this] { WorkerMain(); });
}

ThreadPool::~ThreadPool() {
  {
    std::lock_guard<std::mutex> lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  for (auto& t : threads_) t.join();
}

ThreadPool* ThreadPool::Shared() {
  // Never destroyed: threads of a static pool must not be joined during exit.
  static ThreadPool* pool = new ThreadPool(static_cast<int>(std::max(1u, std::thread::hardware_concurrency())));
  return pool;
}

void ThreadPool::RunTasks(Loop* loop) {
  while (true) {
    int64_t i = loop->next.fetch_add(1);
    if (i >= loop->n) return;
    (*loop->fn)(i);
    if (loop->done.fetch_add(1) + 1 == loop->n) {
      std::lock_guard<std::mutex> lock(loop->mu);
      loop->finished.notify_all();
    }
  }
}

void ThreadPool::ParallelFor(int64_t n, const std::function<void(int64_t)>& fn) {
  if (n <= 0) return;
  if (n == 1 || threads_.empty()) {
    for (int64_t i = 0; i < n; ++i) fn(i);
    return;
  }
  auto loop = std::make_shared<Loop>();
  loop->n = n;
  loop->fn = &fn;
  {
    std::lock_guard<std::mutex> lock(mu_);
    loops_.push_back(loop);
  }
  wake_.notify_all();
  RunTasks(loop.get());
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = std::find(loops_.begin(), loops_.end(), loop);
    if (it != loops_.end()) loops_.erase(it);
  }
  // Wait for tasks other threads claimed.
  std::unique_lock<std::mutex> lock(loop->mu);
  loop->finished.wait(lock, [&] { return loop->done.load() == n; });
}

void ThreadPool::WorkerMain() {
  while (true) {
    std::shared_ptr<Loop> loop;
    {
      std::unique_lock<std::mutex> lock(mu_);
      wake_.wait(lock, [&] {
        if (stopping_) return true;
        // Drop loops with nothing left to claim.
        while (!loops_.empty() && loops_.front()->next.load() >= loops_.front()->n) loops_.pop_front();
        return !loops_.empty();
      });
      if (stopping_) return;
      // Take the oldest loop with work; rotate it so concurrent loops share the threads.
      loop = loops_.front();
      loops_.pop_front();
      loops_.push_back(loop);
    }
    RunTasks(loop.get());
  }
}

}  // namespace strata::base
