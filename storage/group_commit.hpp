#pragma once
// Many writers, one fsync. Submitters hand over WriteSets and return at once;
// one thread merges whatever has queued into a single synced batch, then
// reports to each submitter in submission order. Under load a group's fsync
// is shared by all its members, which is where the throughput comes from.
//
// Guarantees: if A is submitted before B (on any threads, as ordered by
// submit() returning), A's callback runs before B's and A is durable no
// later than B. Every callback runs exactly once: on the committer thread,
// or on the submitter's own once the committer has finished stopping.
#include <condition_variable>
#include <cstddef>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <mutex>
#include <span>
#include <thread>
#include <vector>

#include "engine/result.hpp"
#include "storage/write_set.hpp"

namespace backbeat::storage {

class Store;

struct GroupCommitOptions {
  // A group stops growing at either cap, so one write (and every caller
  // waiting on it) stays short even when a backlog has built up.
  size_t max_group_batches = 1024;
  size_t max_group_bytes = size_t{4} << 20;
};

struct GroupCommitStats {
  uint64_t groups = 0;     // synced writes issued
  uint64_t batches = 0;    // submissions completed, barriers included
  size_t max_group = 0;    // most submissions covered by one write
  // Keys put or deleted, and their key+value bytes: what each event costs
  // the memtable, the committer's main expense.
  uint64_t ops = 0;
  uint64_t bytes = 0;
};

class GroupCommitter {
 public:
  // Must apply the sets atomically and durably; Store::write(sets, true) is
  // the real one, tests inject failures through it.
  using Sink = std::function<Status(std::span<const WriteSet>)>;
  // Runs on the committer thread, so a slow one delays every later group.
  // Must not throw, nor call stop() (it would wait for itself).
  using Callback = std::function<void(const Status&)>;

  explicit GroupCommitter(Store& store, GroupCommitOptions options = {});  // store outlives us
  explicit GroupCommitter(Sink sink, GroupCommitOptions options = {});
  ~GroupCommitter();  // stop()
  GroupCommitter(const GroupCommitter&) = delete;
  GroupCommitter& operator=(const GroupCommitter&) = delete;

  // Never waits for the disk. An empty set is a barrier: its callback means
  // everything submitted before it is durable. If the group's write fails,
  // every callback in that group gets the error. A set carrying an encode
  // error fails alone. After stop() has begun, submissions are refused with
  // an `unavailable` error, still in order.
  void submit(WriteSet&& set, Callback on_durable);

  // Completes everything already submitted, then joins the thread. Idempotent.
  void stop();

  GroupCommitStats stats() const;

 private:
  struct Pending {
    WriteSet set;
    Callback on_durable;
    std::optional<Error> refused;  // completes with this instead of being written
  };

  void run();
  void take_group(std::vector<Pending>& group);  // with mu_ held
  Status commit(std::vector<Pending>& group, bool& wrote);

  Sink sink_;
  GroupCommitOptions options_;
  mutable std::mutex mu_;
  std::condition_variable wake_;
  std::deque<Pending> queue_;
  bool stopping_ = false;
  bool finished_ = false;  // the thread has completed its last callback
  GroupCommitStats stats_;
  std::mutex join_mu_;  // serialises concurrent stop() calls around join()
  std::thread thread_;
};

}  // namespace backbeat::storage
