#pragma once
// Which commands wait while a client's callbacks are backed up.
//
// Signals, restarts, resumes and schedules start new work: each leads to more
// callbacks and finishes none. While the endpoint those callbacks would go to
// has a full queue (or callbacks deferred to disk), they answer 503 with
// Retry-After, so the backlog waits with the client instead of growing in
// Backbeat. Status reports and decisions are let through: they finish work
// already on its way (which is what drains the backlog), and the callbacks
// they release wait on disk if they must, never lost. Other clients are not
// affected: only the endpoints of the users the command concerns count,
// unless the server-wide queue itself is full.
#include <optional>

#include "actors/services.hpp"

namespace backbeat::actors::api {

// nullopt: go ahead. `requester` is the authenticated user.
std::optional<Error> refuse_new_work(const Services& svc, const User& requester,
                                     const engine::Event& event);

}  // namespace backbeat::actors::api
