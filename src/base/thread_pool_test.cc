#include "base/thread_pool.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace strata::base {
namespace {

TEST(ThreadPoolTest, RunsEveryIndexOnce) {
  ThreadPool pool(3);
  std::vector<std::atomic<int>> hits(1000);
  pool.ParallelFor(1000, [&](int64_t i) { hits[i].fetch_add(1); });
  for (auto& h : hits) EXPECT_EQ(h.load(), 1);
}

TEST(ThreadPoolTest, WorksWithoutThreadsAndForEmptyLoops) {
  ThreadPool pool(0);
  int64_t sum = 0;
  pool.ParallelFor(10, [&](int64_t i) { sum += i; });
  EXPECT_EQ(sum, 45);
  pool.ParallelFor(0, [&](int64_t) { FAIL(); });
}

TEST(ThreadPoolTest, ConcurrentAndNestedLoopsFinish) {
  ThreadPool pool(2);
  std::atomic<int64_t> total{0};
  std::vector<std::thread> callers;
  for (int c = 0; c < 4; ++c) {
    callers.emplace_back([&] {
      pool.ParallelFor(50, [&](int64_t) {
        pool.ParallelFor(20, [&](int64_t j) { total.fetch_add(j); });
      });
    });
  }
  for (auto& t : callers) t.join();
  EXPECT_EQ(total.load(), 4 * 50 * 190);
}

}  // namespace
}  // namespace strata::base
