#pragma once
// What each endpoint reads from its merged parameters (routing.hpp), as pure
// functions to a value or a 400. Handlers call them before they read the
// store or send a command; the fuzz target calls them on hostile input.
// Search parameters are in search_api.hpp, node specs in node_spec.hpp.
#include <optional>
#include <string>
#include <vector>

#include "actors/api/fields.hpp"
#include "engine/events.hpp"

namespace backbeat::actors::api {

// What names a workflow in a create (POST /workflows) or a lookup (GET).
struct WorkflowKey {
  std::string name;
  std::string decider;
  Json subject;
};
Result<WorkflowKey> workflow_key(const Json& params);

// The subject texts a lookup may mean: the value as sent, and, for a string
// holding JSON (query strings carry nothing else), the JSON it holds, with
// keys normalised as they were at creation (docs/contract.md §19: the lookup
// must work).
std::vector<std::string> lookup_subjects(const Json& subject);

// POST /workflows/:id/signal[/:name]: the node to add.
Result<engine::NodeSpec> signal_input(const Json& params);

// POST /activities/:id/decisions: the nodes to add, in order.
Result<std::vector<engine::NodeSpec>> decisions_input(const Json& params);

// PUT /activities/:id/status/:status.
struct StatusReport {
  engine::ev::StatusWord word;
  std::optional<std::string> response;  // JSON text, when the client sent one
  std::optional<std::string> error;     // response["error"], JSON text
};
Result<StatusReport> status_report(const Json& params);

// POST /users.
struct NewUser {
  std::string name;
  std::string activity_endpoint;
  std::string decision_endpoint;      // may be empty
  std::string notification_endpoint;  // may be empty
  std::optional<std::string> auth_token;
};
Result<NewUser> new_user_input(const Json& params);
// An auth_token the admin chose (POST /users, POST /users/:id/token):
// nullopt when none was given, 400 when it is under 16 characters.
Result<std::optional<std::string>> chosen_token(const Json& params);
// PUT /users/:id/disabled: {"disabled": false} enables again; absent is true.
Result<bool> disabled_input(const Json& params);

// PUT /admin/drain: the switch's new position.
Result<bool> drain_input(const Json& params);

// GET /workflows/:id/nodes: exact status words to keep (unset: any).
struct NodeFilter {
  std::optional<std::string> server_status;
  std::optional<std::string> client_status;
};
Result<NodeFilter> node_filter(const Json& params);

// per_page of a paged listing, when given: 1..kMaxPerPage, else a 400.
inline constexpr int64_t kMaxPerPage = 1000;
Result<std::optional<size_t>> per_page_input(const Json& params);

// GET /workflows/:id/nodes and /children: a page of the nodes after the
// node last_id (in seq order), when per_page or last_id is given; nullopt:
// all of them, as the original answered.
struct NodePaging {
  size_t per_page = 25;
  std::optional<Uuid> last_id;
};
Result<std::optional<NodePaging>> node_paging(const Json& params);

}  // namespace backbeat::actors::api
