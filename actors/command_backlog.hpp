#pragma once
// API commands in flight per workflow: taken when a command leaves the HTTP
// thread for the workflow's actor, given back when it is answered. One busy
// workflow (a client looping on one id, a retry storm) may only queue so much
// in its actor's mailbox; past that its own requests get 503 while every
// other workflow is served. Memory is one entry per workflow with commands
// in flight, so it is bounded by http.max_in_flight.
#include <array>
#include <cstddef>
#include <mutex>
#include <unordered_map>

#include "engine/uuid.hpp"

namespace backbeat::actors {

class CommandBacklog {
 public:
  // False (and nothing taken) when `workflow` already has `limit` in flight.
  bool try_take(const Uuid& workflow, size_t limit);
  void give_back(const Uuid& workflow);
  size_t in_flight(const Uuid& workflow) const;
  size_t workflows() const;  // with anything in flight

 private:
  // Sharded so HTTP threads and the gateway rarely meet on one lock.
  struct Shard {
    mutable std::mutex mu;
    std::unordered_map<Uuid, size_t> counts;
  };
  Shard& shard(const Uuid& workflow) const { return shards_[std::hash<Uuid>{}(workflow) % kShards]; }

  static constexpr size_t kShards = 16;
  mutable std::array<Shard, kShards> shards_;
};

}  // namespace backbeat::actors
