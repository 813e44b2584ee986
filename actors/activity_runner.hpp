#pragma once
// Runs the nodes whose activity_type names an in-engine activity
// (activity/activity.hpp): one supervised actor per run. The runner turns
// what the run ends with into the engine's client-status events, so a node
// run here lives by the same rules as one sent to a client.
//
// Supervision: a run's actor that throws or stops without answering is
// reported as a client error on its node, with the reason, and retried by
// the node's retry rules; the workflow's own actor never notices. A run
// still going at the node's complete_by is stopped; the engine's deadline
// timer records the error. Superseded runs (a newer attempt of the node) are
// stopped, and their late reports are ignored by the engine (attempt check).
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

caf::actor spawn_activity_runner(caf::actor_system& system, const Services* svc);

// Hands over a node the engine just sent (a snapshot taken when its batch
// became durable). At-least-once and idempotent per attempt: a second
// hand-over of a running attempt is ignored.
void run_in_engine(const Services& svc, const Node& node, const Workflow& wf);

}  // namespace backbeat::actors
