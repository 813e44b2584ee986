#include "actors/command_backlog.hpp"

namespace backbeat::actors {

bool CommandBacklog::try_take(const Uuid& workflow, size_t limit) {
  Shard& s = shard(workflow);
  std::lock_guard lock(s.mu);
  auto [it, fresh] = s.counts.try_emplace(workflow, 0);
  if (it->second >= limit) {
    if (fresh) s.counts.erase(it);  // limit 0: nothing was ever in flight
    return false;
  }
  ++it->second;
  return true;
}

void CommandBacklog::give_back(const Uuid& workflow) {
  Shard& s = shard(workflow);
  std::lock_guard lock(s.mu);
  auto it = s.counts.find(workflow);
  if (it == s.counts.end()) return;
  if (--it->second == 0) s.counts.erase(it);
}

size_t CommandBacklog::in_flight(const Uuid& workflow) const {
  Shard& s = shard(workflow);
  std::lock_guard lock(s.mu);
  auto it = s.counts.find(workflow);
  return it == s.counts.end() ? 0 : it->second;
}

size_t CommandBacklog::workflows() const {
  size_t n = 0;
  for (const Shard& s : shards_) {
    std::lock_guard lock(s.mu);
    n += s.counts.size();
  }
  return n;
}

}  // namespace backbeat::actors
