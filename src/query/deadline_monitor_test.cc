#include "query/deadline_monitor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

#include "base/clock.h"

namespace strata::query {
namespace {

TEST(DeadlineMonitorTest, RunsExpiredCallbacksInDeadlineOrder) {
  DeadlineMonitor monitor;
  std::atomic<int> order{0};
  std::atomic<int> first{0}, second{0};
  int64_t now = base::NowMillis();
  monitor.Add(now + 60, [&] { second = ++order; });
  monitor.Add(now + 20, [&] { first = ++order; });
  for (int i = 0; i < 200 && order.load() < 2; ++i) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  EXPECT_EQ(first.load(), 1);
  EXPECT_EQ(second.load(), 2);
}

TEST(DeadlineMonitorTest, RemovedDeadlinesDoNotFire) {
  DeadlineMonitor monitor;
  std::atomic<bool> fired{false};
  int64_t handle = monitor.Add(base::NowMillis() + 30, [&] { fired = true; });
  monitor.Remove(handle);
  std::this_thread::sleep_for(std::chrono::milliseconds(80));
  EXPECT_FALSE(fired.load());
  monitor.Remove(handle);  // removing twice is harmless
}

}  // namespace
}  // namespace strata::query
