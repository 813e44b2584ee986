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
#include "net/params.hpp"

namespace backbeat::actors::api {

enum class Access { open, admin, user };

struct Route {
  std::string_view method;   // "*" matches any
  std::string_view pattern;  // segments; ":x" captures route parameter x
  Access access;
  void (*handler)(Call);
  bool root_only = false;  // not under the deprecated /v2 prefix
};

// Every route, in matching order.
const std::vector<Route>& routes();

struct RouteMatch {
  const Route* route = nullptr;
  net::RouteParams captured;  // percent-decoded
};

// The route for a method and path (/v2 and /v2/events aliases included);
// a not_found Error naming them when there is none.
Result<RouteMatch> find_route(std::string_view method, std::string_view path);

// Query string, body and route parameters merged, keys snake_cased
// (contract §2.1–2.2); bad_request for a malformed query or body.
Result<nlohmann::json> request_params(const net::HttpRequest& request,
                                      const net::RouteParams& captured);

}  // namespace backbeat::actors::api
