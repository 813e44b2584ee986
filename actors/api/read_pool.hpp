#pragma once
// The threads that serve reads which may take long (searches, listings,
// trees), off the HTTP I/O threads: a slow read then delays other reads,
// never /health, /metrics or a command, which the I/O threads answer.
//
// Fair between those asking (keys: users). Each key has its own FIFO
// queue, bounded, and the threads take from the keys in turn; one key's
// reads run on at most threads - 1 threads at once (all of them when there
// is one), so a key with many slow reads queued leaves a thread for the
// others, whose reads then wait for no one's but their own.
#include <condition_variable>
#include <cstddef>
#include <deque>
#include <functional>
#include <mutex>
#include <thread>
#include <unordered_map>
#include <vector>

#include "engine/uuid.hpp"

namespace backbeat::actors::api {

struct ReadPoolOptions {
  size_t threads = 2;
  size_t queue_per_key = 32;  // waiting reads of one key; more are refused
};

class ReadPool {
 public:
  // Called exactly once: with true on a read thread, or with false when the
  // pool stops before it ran.
  using Job = std::function<void(bool run)>;

  explicit ReadPool(ReadPoolOptions options);
  ~ReadPool();  // stop()
  ReadPool(const ReadPool&) = delete;
  ReadPool& operator=(const ReadPool&) = delete;

  // Queues `job` behind the earlier ones of `key`. False, with `job` not
  // taken, when `key` already has queue_per_key waiting, or after stop().
  bool submit(const Uuid& key, Job job);

  // Lets the running jobs finish, joins the threads, then calls every job
  // still waiting with false. Idempotent; not from a job.
  void stop();

  size_t waiting() const;  // queued, not yet running, over every key

 private:
  struct Lane {
    std::deque<Job> waiting;
    size_t running = 0;
  };

  struct Taken {
    Uuid key;
    Job job;  // empty: nothing may run now
  };

  void work();
  // The next job, from the first key in turn that may run one more; that
  // key's turn then goes to the back. With mu_ held.
  Taken take();

  ReadPoolOptions options_;
  size_t max_running_per_key_;
  mutable std::mutex mu_;
  std::condition_variable ready_;
  std::unordered_map<Uuid, Lane> lanes_;
  std::deque<Uuid> turns_;  // keys with waiting jobs, next first
  size_t waiting_ = 0;
  bool stopping_ = false;
  std::vector<std::thread> threads_;
};

}  // namespace backbeat::actors::api
