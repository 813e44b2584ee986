#pragma once
// Delivers a node to its user's endpoint. The POST runs on the HTTP client's
// thread; its outcome comes back to the workflow as an engine event, because
// real clients report back before they answer the POST (ARCHITECTURE inv. 6).
#include <string>

#include "actors/services.hpp"

namespace backbeat::actors {

// Hands the node to the endpoint gate. When its endpoint's queue is full the
// callback is not held in memory: the node stays in flight on disk and the
// redelivery actor offers it again once there is room (invariant 3 holds:
// it is sent at least once, just later).
// A node that runs in the engine goes to the activity runner instead.
void send_callback(const Services& svc, const Node& node, const Workflow& wf);

// Where a node is POSTed: decisions to the decision endpoint if the user has
// one, everything else to the activity endpoint.
std::string callback_url(const Node& node, const User& user);

}  // namespace backbeat::actors
