#pragma once
// Drives everything scheduled for later: fires_at timers, retry back-off and
// complete_by deadlines. Timers are records in the store; this actor keeps
// only those due within a window in memory and rescans the store as the
// window moves, so a million far-off timers cost no memory.
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

// Messages:
//   (arm_atom, Timers)     durable timers to fire when due
//   (disarm_atom, Timers)  timers no longer wanted
//   (stats_atom) -> size_t timers held in memory
// A due timer becomes (route_atom, workflow, TimerFired) to the registry;
// the workflow decides whether it still matters.
// Spawned idle, so its handle can be stored before it does anything;
// start_timer_actor sets it going (first scan of the store).
caf::actor spawn_timer_actor(caf::actor_system& system, const Services* svc);
void start_timer_actor(const caf::actor& timers);

}  // namespace backbeat::actors
