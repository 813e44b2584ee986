#pragma once
// The outbox: delivers link updates to the workflows they concern, and
// notifications (retries exhausted, server errors) to users' notification
// endpoints, at least once. Each one is an outbox record written
// in the same batch as the change that caused it; it is deleted once the
// endpoint accepts it and retried with back-off until then. A failing
// endpoint never fails the client call that caused the notification
// (docs/contract.md §19).
#include <caf/all.hpp>

#include "actors/services.hpp"

namespace backbeat::actors {

// Messages: (notify_atom, storage::OutboxEntry)
caf::actor spawn_notifier(caf::actor_system& system, const Services* svc);

}  // namespace backbeat::actors
