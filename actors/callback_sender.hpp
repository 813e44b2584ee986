#pragma once
// Delivers a node to its user's endpoint. The POST runs on the HTTP client's
// thread; its outcome comes back to the workflow as an engine event, because
// real clients report back before they answer the POST (ARCHITECTURE inv. 6).
#include "actors/services.hpp"

namespace backbeat::actors {

void send_callback(const Services& svc, const Node& node, const Workflow& wf);

}  // namespace backbeat::actors
