#pragma once
// The supervisor of a node's workflow actors: routes every message for a
// workflow to its actor, spawning it on first use, lets idle ones go, and
// restarts crashed ones from their persisted state.
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

// Messages:
//   (route_atom, Uuid workflow, engine::Event) -> CommandResult
//   (purge_atom, Uuid workflow, Millis cutoff, caf::actor archiver) -> CommandResult
//                                   retention: delete it if it qualifies (no error),
//                                   else an is_retained() error (purge_plan.hpp)
//   (recover_atom, Uuid workflow)   start it now, resuming in-flight work
//   (stats_atom) -> size_t          live workflow actors
//   (lookup_atom, Uuid) -> caf::actor  the live actor of a workflow, if any
//   (fence_atom, uint32_t partition, bool on) -> bool
//                                   on: refuse the partition's workflows and stop
//                                   their actors; answers once all have quit
//                                   (their batches durable). off: lift the fence.
// In a cluster, commands for workflows of partitions this member does not
// own are refused (unavailable).
caf::actor spawn_registry(caf::actor_system& system, const Services* svc);

}  // namespace backbeat::actors
