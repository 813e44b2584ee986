#pragma once
// Callbacks that found their endpoint's queue full (net/endpoint_gate.hpp)
// are not kept in memory: they stay where every callback on its way already
// is, in the store's in-flight index. This actor offers them again. A pass
// reads the in-flight index, skips what the gate holds, and wakes (through
// the registry, in recovery mode) the workflows of the rest, at most as many
// as each endpoint has room for right now; their actors re-send what is
// still in flight. What does not fit is marked deferred again for the next
// pass. So a backlog of any size costs disk, not memory, and nothing is lost.
//
// Passes run when the gate reports an endpoint with deferred calls has
// drained to half its queue, every tunables.callback_rescan while anything is
// deferred, and once at start-up, where they replace re-sending every
// in-flight callback at once (which would wake every such workflow at once).
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

// Spawned idle; start_redelivery runs the start-up pass and sets the
// periodic one going. Messages: (rescan_atom) a pass if anything is
// deferred; (room_atom) the gate has room again, a pass soon.
caf::actor spawn_redelivery(caf::actor_system& system, const Services* svc);
void start_redelivery(const caf::actor& redelivery);

// For EndpointGate::on_room: tells the actor, never blocks.
std::function<void()> room_signal(const caf::actor& redelivery);

}  // namespace backbeat::actors
