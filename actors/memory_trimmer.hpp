#pragma once
// Gives memory back to the system after a burst. Passivated workflow actors
// free their memory into malloc's free lists, and glibc returns it to the
// system only from the top of each heap, so without this a node's resident
// memory would stay at its busiest moment forever (measured: 120 MB after
// 8,000 workflows were touched and passivated, 82 MB after a trim). Every
// second this actor compares the live workflow actors with the most seen
// since the last trim; once at most half of them are left (and at least
// 1,000 fewer), it calls malloc_trim(0), at most every 5 s: a few
// milliseconds of one worker.
#include <atomic>
#include <cstdint>

#include <caf/all.hpp>

namespace backbeat::actors {

// `live_workflows`: the count of live workflow actors (Metrics); outlives the actor.
caf::actor spawn_memory_trimmer(caf::actor_system& system,
                                const std::atomic<int64_t>* live_workflows);

}  // namespace backbeat::actors
