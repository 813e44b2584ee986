#pragma once
// A queue that lets a test wait for what another thread produces (a result,
// a Responder, a signal) instead of sleeping and hoping.
#include <chrono>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <optional>

namespace backbeat::test {

template <class T>
class Mailbox {
 public:
  // Notifies under the lock: a waiter may destroy the mailbox as soon as
  // it sees the item, and must not do so while we still touch it.
  void push(T value) {
    std::lock_guard lock(mu_);
    items_.push_back(std::move(value));
    ready_.notify_all();
  }

  std::optional<T> pop(std::chrono::milliseconds timeout = std::chrono::seconds(10)) {
    std::unique_lock lock(mu_);
    if (!ready_.wait_for(lock, timeout, [&] { return !items_.empty(); })) return std::nullopt;
    T value = std::move(items_.front());
    items_.pop_front();
    return value;
  }

  size_t size() const {
    std::lock_guard lock(mu_);
    return items_.size();
  }

 private:
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::deque<T> items_;
};

}  // namespace backbeat::test
