#pragma once
// Drives everything scheduled for later: fires_at timers, retry back-off and
// complete_by deadlines. Timers are records in the store; this actor keeps
// only those due within a window in memory and rescans the store as the
// window moves, so a million far-off timers cost no memory.
#include <chrono>
#include <functional>

#include <caf/all.hpp>

#include "actors/metrics.hpp"
#include "engine/model.hpp"
#include "storage/store.hpp"

namespace backbeat::actors {

// Messages:
//   (arm_atom, Timers)     durable timers to fire when due
//   (disarm_atom, Timers)  timers no longer wanted
//   (stats_atom) -> size_t timers held in memory
// A due timer becomes (route_atom, workflow, TimerFired) to the registry;
// the workflow decides whether it still matters.
// Spawned idle, so its handle can be stored before it does anything;
// start_timer_actor sets it going (first scan of the store).
struct TimerDeps {
  const storage::Store* store = nullptr;  // where timers are kept; outlives the actor
  caf::actor registry;                    // where due timers go
  std::function<Millis()> clock;
  Metrics* metrics = nullptr;             // timers_armed, timers_fired; outlives the actor
  std::chrono::seconds window{600};       // timers held in memory ahead of time
  std::chrono::seconds rescan{60};        // how often the window moves
};
caf::actor spawn_timer_actor(caf::actor_system& system, TimerDeps deps);
void start_timer_actor(const caf::actor& timers);

}  // namespace backbeat::actors
