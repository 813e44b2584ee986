#include "storage/group_commit.hpp"

#include <algorithm>
#include <exception>

#include "storage/errors.hpp"
#include "storage/store.hpp"

namespace backbeat::storage {

GroupCommitter::GroupCommitter(Store& store, GroupCommitOptions options)
    : GroupCommitter([&store](std::span<const WriteSet> sets) { return store.write(sets, true); },
                     options) {}

GroupCommitter::GroupCommitter(Sink sink, GroupCommitOptions options)
    : sink_(std::move(sink)), options_(options), thread_([this] { run(); }) {}

GroupCommitter::~GroupCommitter() { stop(); }

void GroupCommitter::submit(WriteSet&& set, Callback on_durable) {
  std::optional<Error> refused = set.error();
  std::unique_lock lock(mu_);
  if (finished_) {
    // Nothing is left in flight, so answering here keeps submission order.
    lock.unlock();
    on_durable(make_error(Error::Kind::shutting_down, "storage has stopped"));
    return;
  }
  if (stopping_ && !refused) {
    refused = make_error(Error::Kind::shutting_down, "storage is stopping");
  }
  queue_.push_back(Pending{std::move(set), std::move(on_durable), std::move(refused)});
  lock.unlock();
  wake_.notify_one();
}

void GroupCommitter::stop() {
  std::lock_guard join_lock(join_mu_);
  {
    std::lock_guard lock(mu_);
    stopping_ = true;
  }
  wake_.notify_all();
  if (thread_.joinable()) thread_.join();
}

GroupCommitStats GroupCommitter::stats() const {
  std::lock_guard lock(mu_);
  return stats_;
}

void GroupCommitter::take_group(std::vector<Pending>& group) {
  size_t bytes = 0;
  while (!queue_.empty() && group.size() < options_.max_group_batches) {
    size_t next = queue_.front().set.byte_size();
    if (!group.empty() && bytes + next > options_.max_group_bytes) break;
    bytes += next;
    group.push_back(std::move(queue_.front()));
    queue_.pop_front();
  }
}

Status GroupCommitter::commit(std::vector<Pending>& group, bool& wrote) {
  // Barriers and refused sets add nothing; a group of only those needs no
  // write, because every earlier group is durable before this one starts.
  std::vector<WriteSet> sets;
  for (Pending& p : group) {
    if (!p.refused && !p.set.empty()) sets.push_back(std::move(p.set));
  }
  wrote = !sets.empty();
  if (!wrote) return ok_status();
  try {
    return sink_(sets);
  } catch (const std::exception& e) {
    // A throwing sink must not kill the thread and strand every submitter.
    return storage_error(std::string("group commit failed: ") + e.what());
  }
}

void GroupCommitter::run() {
  std::vector<Pending> group;
  for (;;) {
    {
      std::unique_lock lock(mu_);
      wake_.wait(lock, [&] { return stopping_ || !queue_.empty(); });
      if (queue_.empty()) {
        finished_ = true;
        return;
      }
      take_group(group);
    }
    uint64_t ops = 0, bytes = 0;  // before commit(), which may move the sets' contents
    for (const Pending& p : group) {
      ops += p.set.count();
      bytes += p.set.byte_size();
    }
    bool wrote = false;
    Status result = commit(group, wrote);
    {
      // Counted before the callbacks run, so a caller that has seen its
      // callback also sees the group that carried it.
      std::lock_guard lock(mu_);
      stats_.groups += wrote ? 1 : 0;
      stats_.batches += group.size();
      stats_.max_group = std::max(stats_.max_group, group.size());
      if (wrote) {
        stats_.ops += ops;
        stats_.bytes += bytes;
      }
    }
    for (Pending& p : group) p.on_durable(p.refused ? Status(*p.refused) : result);
    group.clear();
  }
}

}  // namespace backbeat::storage
