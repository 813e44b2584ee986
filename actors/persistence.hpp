#pragma once
// Turns an engine outcome into the one atomic batch that makes it durable.
// Notifications and link updates become outbox records in the same batch, so
// a crash between the commit and their delivery cannot lose them.
#include <vector>

#include "actors/user_directory.hpp"
#include "runtime/engine/effects.hpp"
#include "runtime/engine/workflow_state.hpp"
#include "storage/records.hpp"
#include "storage/write_set.hpp"

namespace backbeat::actors {

struct PersistPlan {
  storage::WriteSet writes;
  std::vector<storage::OutboxEntry> outbox;  // to hand to the outbox actor once durable
};

PersistPlan plan_persistence(const Uuid& workflow_id, const engine::WorkflowState& state, const engine::Effects& effects,
                             const UserDirectory& users, UuidGenerator& ids, Millis now);

}  // namespace backbeat::actors
