#include "actors/api/read_pool.hpp"

#include <algorithm>

namespace backbeat::actors::api {

ReadPool::ReadPool(ReadPoolOptions options)
    : options_(options),
      max_running_per_key_(options.threads > 1 ? options.threads - 1 : 1) {
  const size_t n = std::max<size_t>(1, options_.threads);
  threads_.reserve(n);
  for (size_t i = 0; i < n; ++i) threads_.emplace_back([this] { work(); });
}

ReadPool::~ReadPool() { stop(); }

bool ReadPool::submit(const Uuid& key, Job job) {
  std::lock_guard lock(mu_);
  if (stopping_) return false;
  Lane& lane = lanes_[key];
  if (lane.waiting.size() >= options_.queue_per_key) {
    if (lane.waiting.empty() && lane.running == 0) lanes_.erase(key);  // a zero bound
    return false;
  }
  if (lane.waiting.empty()) turns_.push_back(key);
  lane.waiting.push_back(std::move(job));
  ++waiting_;
  ready_.notify_one();
  return true;
}

ReadPool::Taken ReadPool::take() {
  for (auto turn = turns_.begin(); turn != turns_.end(); ++turn) {
    Lane& lane = lanes_.at(*turn);
    if (lane.running >= max_running_per_key_) continue;
    Taken taken{*turn, std::move(lane.waiting.front())};
    lane.waiting.pop_front();
    ++lane.running;
    --waiting_;
    turns_.erase(turn);
    if (!lane.waiting.empty()) turns_.push_back(taken.key);
    return taken;
  }
  return {};
}

void ReadPool::work() {
  std::unique_lock lock(mu_);
  for (;;) {
    Taken next;
    ready_.wait(lock, [&] { return stopping_ || (next = take()).job != nullptr; });
    if (!next.job) return;  // stopping
    lock.unlock();
    try {
      next.job(true);
    } catch (...) {
      // A job answers its own failures; one that throws costs only itself.
    }
    next.job = nullptr;  // what it holds goes here, off the lock
    lock.lock();
    Lane& lane = lanes_.at(next.key);
    --lane.running;
    if (lane.waiting.empty() && lane.running == 0) lanes_.erase(next.key);
    // This key may run another now, or another key may: wake one to look.
    ready_.notify_one();
  }
}

void ReadPool::stop() {
  {
    std::lock_guard lock(mu_);
    if (stopping_ && threads_.empty()) return;
    stopping_ = true;
  }
  ready_.notify_all();
  for (std::thread& t : threads_) t.join();
  threads_.clear();
  std::vector<Job> abandoned;
  {
    std::lock_guard lock(mu_);
    for (auto& [key, lane] : lanes_)
      for (Job& job : lane.waiting) abandoned.push_back(std::move(job));
    lanes_.clear();
    turns_.clear();
    waiting_ = 0;
  }
  for (Job& job : abandoned) {
    try {
      job(false);
    } catch (...) {
    }
  }
}

size_t ReadPool::waiting() const {
  std::lock_guard lock(mu_);
  return waiting_;
}

}  // namespace backbeat::actors::api
