#pragma once
// Which operation a request names, and the parameters it carries: the pure
// part of every API request, before anyone is authenticated or anything is
// read. Api::handle uses it on every request; the fuzz target calls it on
// raw requests.
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "actors/api/call.hpp"
#include "net/http_message.hpp"
#include "net/contract/params.hpp"

namespace backbeat::actors::api {

// members_only: only requests another member sent (X-Backbeat-Forwarded, which no
// client can set); to anyone else the route does not exist.
enum class Access { open, admin, user, members_only };

// Where a request runs in a cluster (docs/cluster.md, "Routing"); on a
// single node everything is local.
enum class Where {
  workflow_id,  // on the owner of the partition of the workflow `:id`
  node_id,      // on the owner of the partition stamped in the node `:id`
  identity,     // on the owner of the workflow named by user, name and subject
  everywhere,   // asked of every member, answers merged (the route's `gather`)
  users,        // here, then the new user is sent to every member
  local,        // here: node-level state (health, drain) or replicated users
  member,       // on the member named by `:member` (its own cluster state)
};

// Where a request's handler runs on this node: the I/O thread that read it
// (point reads, commands handed to actors, node state), or the read pool
// (read_pool.hpp), for reads whose cost grows with the data.
enum class Lane { io, reads };

struct Route {
  std::string_view method;   // "*" matches any
  std::string_view pattern;  // segments; ":x" captures route parameter x
  Access access;
  Where where;
  void (*handler)(Call);
  bool root_only = false;  // not under the deprecated /v2 prefix
  // Where::everywhere: the gateway's side, which asks every member (each
  // runs `handler`) and merges their answers.
  void (*gather)(Call) = nullptr;
  Lane lane = Lane::io;
};

// Every route, in matching order.
const std::vector<Route>& routes();

struct RouteMatch {
  const Route* route = nullptr;
  contract::RouteParams captured;  // percent-decoded
};

// The route for a method and path (/v2 and /v2/events aliases included);
// a not_found Error naming them when there is none.
Result<RouteMatch> find_route(std::string_view method, std::string_view path);

// Query string, body and route parameters merged, keys snake_cased
// (docs/contract.md §2.1–2.2); bad_request for a malformed query or body.
Result<nlohmann::json> request_params(const net::HttpRequest& request,
                                      const contract::RouteParams& captured);

}  // namespace backbeat::actors::api
