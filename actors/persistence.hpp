#pragma once
// Turns an engine outcome into the one atomic batch that makes it durable.
// Notifications and link updates become outbox records in the same batch, so
// a crash between the commit and their delivery cannot lose them.
#include <vector>

#include "actors/user_directory.hpp"
#include "engine/effects.hpp"
#include "engine/workflow_state.hpp"
#include "storage/records.hpp"
#include "storage/write_set.hpp"

namespace backbeat::actors {

struct PersistPlan {
  storage::WriteSet writes;
  std::vector<storage::OutboxEntry> outbox;  // to hand to the outbox actor once durable
};

PersistPlan plan_persistence(const Uuid& workflow_id, const engine::WorkflowState& state, const engine::Effects& effects,
                             const UserDirectory& users, UuidGenerator& ids, Millis now);

// The effects of creating the workflow exactly as it is now, with its whole
// history (every status change row of every node): persisting them writes
// every key the workflow has. Retention erases those keys (purge_plan.hpp);
// a partition move writes them on the new owner (partition_transfer.hpp).
// Nothing in them asks for a notification, a link update or a new id.
engine::Effects effects_of_whole(const engine::WorkflowState& state,
                                 std::vector<StatusChange> history);

}  // namespace backbeat::actors
