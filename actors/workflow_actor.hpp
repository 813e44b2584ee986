#pragma once
// One actor per workflow instance. Its mailbox is the only way to change the
// workflow, which is what serialises its processing. It applies engine events
// in memory, hands the resulting batch to the group committer, and performs
// effects (replies, callbacks, timers, notifications) strictly after that
// batch is durable and in the order the events arrived.
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

// recover: the previous incarnation crashed or the node restarted. Waits for
// everything already queued for the disk before loading, then re-arms timers
// and re-sends callbacks that were in flight (at-least-once).
// Spawned by the registry, which monitors it.
caf::actor spawn_workflow_actor(caf::event_based_actor* supervisor, Uuid id, const Services* svc,
                                bool recover);

}  // namespace backbeat::actors
