#pragma once
// Threads that are started one per piece of work (a callback, a workflow
// start) and must all be joined before the objects they use go away. A
// thread per piece of work is deliberate: a handler blocks for as long as
// the server is down, as a real client's worker would, and must not hold
// up the next one.
#include <atomic>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>
#include <vector>

namespace backbeat::crash {

class ThreadGroup {
 public:
  ThreadGroup() = default;
  ~ThreadGroup() { join_all(); }
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;

  void spawn(std::function<void()> work) {
    std::lock_guard lock(mu_);
    reap_finished();
    auto finished = std::make_shared<std::atomic<bool>>(false);
    ++running_;
    threads_.push_back(Entry{std::thread([this, work = std::move(work), finished] {
                               work();
                               finished->store(true);
                               --running_;
                             }),
                             finished});
  }

  // Threads still running their work.
  size_t running() const { return running_.load(); }

  void join_all() {
    std::vector<Entry> all;
    {
      std::lock_guard lock(mu_);
      all.swap(threads_);
    }
    for (auto& e : all) e.thread.join();
  }

 private:
  struct Entry {
    std::thread thread;
    std::shared_ptr<std::atomic<bool>> finished;
  };

  void reap_finished() {  // with mu_ held
    for (auto it = threads_.begin(); it != threads_.end();) {
      if (it->finished->load()) {
        it->thread.join();
        it = threads_.erase(it);
      } else {
        ++it;
      }
    }
  }

  std::mutex mu_;
  std::vector<Entry> threads_;
  std::atomic<size_t> running_{0};
};

}  // namespace backbeat::crash
