// Bounded queue and prefetching loader: order, bound, end of data, early stop, errors.
#include "prism/prefetch_queue.h"

#include <gtest/gtest.h>

#include <atomic>
#include <stdexcept>
#include <string>
#include <vector>

namespace prism {
namespace {

TEST(BoundedQueue, FifoAndClose) {
  BoundedQueue<int> q(3);
  EXPECT_TRUE(q.Push(1));
  EXPECT_TRUE(q.Push(2));
  EXPECT_EQ(q.Size(), 2u);
  EXPECT_EQ(*q.Pop(), 1);
  q.Close();
  EXPECT_FALSE(q.Push(3));
  EXPECT_EQ(*q.Pop(), 2);  // drains after close
  EXPECT_FALSE(q.Pop().has_value());
}

TEST(BoundedQueue, PushBlocksWhenFull) {
  BoundedQueue<int> q(1);
  ASSERT_TRUE(q.Push(1));
  std::atomic<bool> pushed{false};
  std::thread t([&] {
    q.Push(2);
    pushed = true;
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  EXPECT_FALSE(pushed.load());  // still blocked: capacity 1
  EXPECT_EQ(*q.Pop(), 1);
  t.join();
  EXPECT_TRUE(pushed.load());
  EXPECT_EQ(*q.Pop(), 2);
}

TEST(Prefetcher, DeliversAllInOrder) {
  int next = 0;
  Prefetcher<std::vector<int>> p(
      [&]() -> std::optional<std::vector<int>> {
        if (next == 100) return std::nullopt;
        ++next;
        return std::vector<int>(3, next);
      },
      4);
  int expected = 1;
  while (auto item = p.Next()) {
    ASSERT_EQ(item->size(), 3u);
    EXPECT_EQ((*item)[0], expected++);
  }
  EXPECT_EQ(expected, 101);
  EXPECT_FALSE(p.Next().has_value());
  EXPECT_GE(p.WaitSeconds(), 0.0);
}

TEST(Prefetcher, StaysBoundedAndStopsEarly) {
  std::atomic<int> produced{0};
  {
    Prefetcher<int> p(
        [&]() -> std::optional<int> { return produced++; },  // endless
        2);
    EXPECT_EQ(*p.Next(), 0);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    // 1 consumed + 2 queued + at most 1 in the producer's hand.
    EXPECT_LE(produced.load(), 4);
  }  // destructor stops the endless producer
  EXPECT_LE(produced.load(), 5);
}

TEST(Prefetcher, RethrowsProducerError) {
  int n = 0;
  Prefetcher<int> p(
      [&]() -> std::optional<int> {
        if (n == 2) throw std::runtime_error("bad record at line 3");
        return n++;
      },
      8);
  EXPECT_EQ(*p.Next(), 0);
  EXPECT_EQ(*p.Next(), 1);
  try {
    p.Next();
    ADD_FAILURE() << "expected the producer's error";
  } catch (const std::runtime_error& e) {
    EXPECT_EQ(std::string(e.what()), "bad record at line 3");
  }
}

TEST(Prefetcher, MeasuresWaitingForSlowLoader) {
  int n = 0;
  Prefetcher<int> p(
      [&]() -> std::optional<int> {
        if (n == 3) return std::nullopt;
        std::this_thread::sleep_for(std::chrono::milliseconds(20));
        return n++;
      },
      1);
  while (p.Next()) {
  }
  EXPECT_GT(p.WaitSeconds(), 0.02);  // it waited for items 2 and 3 (20 ms each) at least
}

}  // namespace
}  // namespace prism
