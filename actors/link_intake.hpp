#pragma once
// The owner's side of a link update another member sent (docs/cluster.md,
// "Routing"): the sender keeps its outbox record until this says the update
// is applied, so `done(true)` means durable, never just "received".
#include <functional>

#include <caf/all.hpp>

#include "actors/services.hpp"
#include "storage/records.hpp"

namespace backbeat::actors {

// Finds the workflow of `link.target_node` in this member's store and asks
// the registry to apply the update there. `done` runs on `self`, once:
// true once the target's batch is durable; false if the target is not here,
// its partition is not ours (the registry refuses), or no answer in time.
// The sender deletes its own record, so the update carries no message id.
void take_link(caf::event_based_actor* self, const Services& svc, const storage::OutboxEntry& link,
               std::function<void(bool applied)> done);

}  // namespace backbeat::actors
