#pragma once
// The extension API for work that runs inside the engine instead of at a
// client (docs/activity-actors.md). A node whose decision names an
// activity_type is handed to a fresh actor of that type, which answers one
// request, (run_atom, Job), with an Outcome. Everything around the run is the
// engine's, exactly as for a client: retries with back-off, the complete_by
// deadline, pause and resume, status changes and notifications.
//
// A run is at-least-once. After a server crash, a timeout or a restart the
// node runs again (same node_id, higher attempt), so an activity with side
// effects elsewhere should make them idempotent, e.g. keyed by node_id.
#include <chrono>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include <caf/all.hpp>
#include <nlohmann/json.hpp>

#include "engine/model.hpp"

namespace backbeat::net {
class EndpointGate;
}

namespace backbeat::activity {

using Json = nlohmann::json;

using run_atom = caf::atom_constant<caf::atom("bb_actrun")>;
using progress_atom = caf::atom_constant<caf::atom("bb_actprog")>;

// Names one run: a node and its attempt.
struct RunKey {
  Uuid node_id;
  uint32_t attempt = 0;
};

// One run of one node.
struct Job {
  Uuid node_id;
  Uuid workflow_id;
  std::string activity_type;
  std::string name;           // the node's name
  std::string workflow_name;
  Json subject;               // the workflow's subject
  Json client_data;           // the decision's client_data, an object
  uint32_t attempt = 0;       // 1 for the first run of the node
  // The node's last change before this run: when it was sent, or when a run
  // last reported processing. A re-run after a restart can subtract the time
  // already spent (the sleep built-in does).
  Millis sent_at = 0;
  std::optional<Millis> deadline;  // complete_by: the run is stopped after it
  caf::actor runner;          // where processing() goes; use the helper
};

// What a run ends with. completed: response is recorded on the node, as a
// client's PUT .../status/completed response is. errored: response is
// {"error": {...}}; the node is retried with back-off like a client error.
struct Outcome {
  bool completed = false;
  Json response = Json::object();
};

Outcome completed(Json response = Json::object());
// response = {"error": {"message": message, ...details}}.
Outcome errored(const std::string& message, Json details = Json::object());

// Tells the engine the run is alive: the node's client status becomes
// processing and its complete_by deadline starts again from now (the
// node's client_data.timeout). Safe to call any number of times.
void processing(caf::event_based_actor* self, const Job& job);

// What the node lends its activities besides the job. Owned by the node; it
// outlives every activity actor.
struct Env {
  net::EndpointGate* gate = nullptr;  // outgoing HTTP, with per-endpoint limits
  std::function<Millis()> clock;      // wall clock, ms since the epoch
  // URL prefixes the http built-in may call; "*" allows any http(s) URL
  // but an internal address. Empty (the default): none.
  std::vector<std::string> http_allowed_urls;
  std::chrono::milliseconds http_connect_timeout{5000};
  std::chrono::milliseconds http_timeout{60000};
};

}  // namespace backbeat::activity

CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::activity::Job)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::activity::RunKey)
CAF_ALLOW_UNSAFE_MESSAGE_TYPE(backbeat::activity::Outcome)
