// prism/prefetch_queue.h - a bounded blocking queue and a loader thread that fills it, so the
// trainer overlaps data loading (tokenising, batching) with compute.
//
//   Prefetcher<Batch> loader([&]() -> std::optional<Batch> { return MakeNextBatch(); }, 4);
//   while (auto batch = loader.Next()) Train(*batch);
//   double waited = loader.WaitSeconds();  // time Next() blocked: the data-wait of the epoch
//
// The producer runs on its own thread; it returns std::nullopt at the end of the data. An
// exception thrown by the producer is rethrown by Next() in the consumer.
#pragma once

#include <chrono>
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <exception>
#include <functional>
#include <mutex>
#include <optional>
#include <thread>
#include <utility>

namespace prism {

/// A FIFO of at most `capacity` items; Push blocks while full, Pop while empty. Close() wakes
/// everyone: later Pushes fail, Pops drain what is left and then return nullopt.
template <typename T>
class BoundedQueue {
 public:
  /// capacity >= 1 (0 is treated as 1).
  explicit BoundedQueue(size_t capacity) : capacity_(capacity ? capacity : 1) {}

  /// Adds `item`, waiting for room; false (item dropped) when the queue is closed.
  bool Push(T item) {
    std::unique_lock<std::mutex> lock(mu_);
    not_full_.wait(lock, [&] { return closed_ || items_.size() < capacity_; });
    if (closed_) return false;
    items_.push_back(std::move(item));
    not_empty_.notify_one();
    return true;
  }

  /// Removes the oldest item, waiting for one; nullopt once closed and empty.
  std::optional<T> Pop() {
    std::unique_lock<std::mutex> lock(mu_);
    not_empty_.wait(lock, [&] { return closed_ || !items_.empty(); });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    not_full_.notify_one();
    return item;
  }

  /// No more pushes; wakes all waiters.
  void Close() {
    std::lock_guard<std::mutex> lock(mu_);
    closed_ = true;
    not_empty_.notify_all();
    not_full_.notify_all();
  }

  /// Items currently queued.
  size_t Size() const {
    std::lock_guard<std::mutex> lock(mu_);
    return items_.size();
  }
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::mutex mu_;
  std::condition_variable not_empty_, not_full_;
  std::deque<T> items_;
  bool closed_ = false;
};

/// Runs `produce` on a loader thread, keeping up to `depth` items ready ahead of Next().
template <typename T>
class Prefetcher {
 public:
  /// `produce` returns the next item or nullopt at the end; it runs on the loader thread only.
  Prefetcher(std::function<std::optional<T>()> produce, size_t depth)
      : queue_(depth), thread_([this, produce = std::move(produce)] { Run(produce); }) {}

  /// Stops the loader (it finishes the item it is making) and joins it.
  ~Prefetcher() {
    queue_.Close();
    if (thread_.joinable()) thread_.join();
  }
  Prefetcher(const Prefetcher&) = delete;
  Prefetcher& operator=(const Prefetcher&) = delete;

  /// The next item, waiting for the loader if needed; nullopt at the end of the data. Rethrows
  /// an exception thrown by the producer (after the items produced before it).
  std::optional<T> Next() {
    const auto start = std::chrono::steady_clock::now();
    std::optional<T> item = queue_.Pop();
    wait_seconds_ += std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    if (!item) {
      std::lock_guard<std::mutex> lock(error_mu_);
      if (error_) std::rethrow_exception(std::exchange(error_, nullptr));
    }
    return item;
  }

  /// Total seconds Next() spent waiting for the loader (the consumer's data-wait time).
  double WaitSeconds() const { return wait_seconds_; }

 private:
  void Run(const std::function<std::optional<T>()>& produce) {
    try {
      while (auto item = produce()) {
        if (!queue_.Push(std::move(*item))) break;  // consumer went away
      }
    } catch (...) {
      std::lock_guard<std::mutex> lock(error_mu_);
      error_ = std::current_exception();
    }
    queue_.Close();
  }

  BoundedQueue<T> queue_;
  std::mutex error_mu_;
  std::exception_ptr error_;
  double wait_seconds_ = 0;
  std::thread thread_;  // last: starts after the members it uses exist
};

}  // namespace prism
