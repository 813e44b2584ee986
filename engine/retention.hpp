#pragma once
// When a workflow may be deleted by retention (docs/storage.md): the pure
// rule, asked twice — by the sweeper on what the store holds, to skip the
// obvious keepers cheaply, and by the workflow's own actor on its current
// state, which is the answer that counts.
#include <optional>
#include <string>

#include "engine/workflow_state.hpp"

namespace backbeat::engine {

// The last time anything about the workflow changed: its record, a node, a
// status change (whose row time is its node's updated_at).
Millis last_activity(const WorkflowState& state);

// Why the workflow must stay, or nullopt when it may go: it is marked
// complete, every node has finished, nothing is waiting (no callback out,
// no timer, no link still open), and nothing changed after `cutoff`.
// Undelivered outbox messages are not part of the state; the caller asks.
std::optional<std::string> retention_blocker(const WorkflowState& state, Millis cutoff);

}  // namespace backbeat::engine
