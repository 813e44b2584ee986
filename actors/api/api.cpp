#include "actors/api/api.hpp"

#include <exception>
#include <random>
#include <string_view>
#include <vector>

#include "actors/api/auth.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/search_api.hpp"
#include "net/params.hpp"

namespace backbeat::actors::api {
namespace {

enum class Access { open, admin, user };

struct Route {
  std::string_view method;
  std::string_view pattern;  // segments; ":x" captures route parameter x
  Access access;
  void (*handler)(Call);
  bool root_only = false;  // not under the deprecated /v2 prefix
};

// Literal segments before captures, so /workflows/search never reads as an id.
const std::vector<Route>& routes() {
  static const std::vector<Route> table = {
      {"POST", "users", Access::admin, create_user, true},
      {"GET", "users", Access::admin, list_users, true},
      {"GET", "users/:id", Access::admin, get_user, true},
      {"POST", "workflows", Access::user, find_or_create_workflow},
      {"GET", "workflows", Access::user, find_workflow},
      {"GET", "workflows/search", Access::user, search_workflows},
      {"GET", "workflows/names", Access::user, workflow_names},
      {"GET", "activities/search", Access::user, search_activities},
      {"GET", "debug/error_workflows", Access::user, error_workflows},
      {"GET", "workflows/:id", Access::user, get_workflow},
      {"POST", "workflows/:id/signal", Access::user, signal_workflow},
      {"POST", "workflows/:id/signal/:name", Access::user, signal_workflow},
      {"PUT", "workflows/:id/complete", Access::user, complete_workflow},
      {"PUT", "workflows/:id/pause", Access::user, pause_workflow},
      {"PUT", "workflows/:id/resume", Access::user, resume_workflow},
      {"GET", "workflows/:id/children", Access::user, workflow_children},
      {"GET", "workflows/:id/nodes", Access::user, workflow_nodes},
      {"GET", "workflows/:id/tree", Access::user, workflow_tree},
      {"GET", "workflows/:id/tree/print", Access::user, workflow_tree_print},
      {"POST", "activities/:id/decisions", Access::user, add_decisions},
      {"PUT", "activities/:id/status/:status", Access::user, update_status},
      {"GET", "activities/:id", Access::user, get_activity},
      {"GET", "activities/:id/status_changes", Access::user, get_status_changes},
      {"GET", "activities/:id/errors", Access::user, get_errors},
      {"GET", "activities/:id/response", Access::user, get_response},
      {"PUT", "activities/:id/restart", Access::user, restart_activity},
      {"PUT", "activities/:id/reset", Access::user, reset_activity},
      {"PUT", "activities/:id/schedule", Access::user, schedule_activity},
      {"GET", "admin/drain", Access::admin, get_drain, true},
      {"PUT", "admin/drain", Access::admin, set_drain, true},
      {"GET", "admin/errored", Access::admin, errored_report, true},
      // Rack middleware in the original: any method.
      {"*", "health", Access::open, health, true},
      {"GET", "metrics", Access::open, metrics, true},
      {"*", "heartbeat.txt", Access::open, heartbeat, true},
  };
  return table;
}

std::string percent_decode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size() && std::isxdigit(static_cast<unsigned char>(s[i + 1])) &&
        std::isxdigit(static_cast<unsigned char>(s[i + 2]))) {
      out.push_back(char(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16)));
      i += 2;
    } else {
      out.push_back(s[i]);
    }
  }
  return out;
}

std::vector<std::string> split(std::string_view path) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(percent_decode(path.substr(i, j - i)));
    i = j;
  }
  return out;
}

// The route patterns split once, in table order: matching runs per request.
const std::vector<std::vector<std::string>>& route_segments() {
  static const std::vector<std::vector<std::string>> segments = [] {
    std::vector<std::vector<std::string>> out;
    for (const Route& r : routes()) out.push_back(split(r.pattern));
    return out;
  }();
  return segments;
}

bool match(const std::vector<std::string>& pattern, const std::vector<std::string>& segs,
           net::RouteParams& captured) {
  if (pattern.size() != segs.size()) return false;
  captured.clear();
  for (size_t i = 0; i < segs.size(); ++i) {
    if (pattern[i][0] == ':')
      captured.emplace_back(pattern[i].substr(1), segs[i]);
    else if (pattern[i] != segs[i])
      return false;
  }
  return true;
}

// Seven characters that tell one request's log lines from another's (§9.5).
std::string transaction_id() {
  static constexpr char kDigits[] = "0123456789abcdef";
  thread_local std::mt19937 rng{std::random_device{}()};
  std::string tid(7, '0');
  for (char& c : tid) c = kDigits[rng() % 16];
  return tid;
}

Error no_route(const net::HttpRequest& r) {
  return make_error(Error::Kind::not_found, "Backbeat::NotFound",
                    "No route for " + r.method + " " + std::string(r.path()));
}

Result<nlohmann::json> merged_params(const net::HttpRequest& r, const net::RouteParams& route) {
  auto query = net::parse_query(r.query());
  if (!query) return query.error();
  auto body = net::parse_body(r.header("Content-Type"), r.body);
  if (!body) return body.error();
  return net::normalize_keys(net::merge_params(std::move(*query), std::move(*body), route));
}

}  // namespace

Api::Api(const Services* svc, caf::actor gateway, ApiOptions options)
    : svc_(svc), gateway_(std::move(gateway)), options_(std::move(options)) {}

void Api::handle(net::HttpRequest&& request, net::Responder respond) const {
  net::Responder counted = [svc = svc_, tid = transaction_id(),
                            respond = std::move(respond)](net::HttpResponse r) {
    svc->metrics.count_response(r.status);
    r.headers.emplace_back("X-backbeat-tid", tid);
    respond(std::move(r));
  };
  Call call{svc_, &gateway_, &options_, std::move(request), {}, std::nullopt, std::move(counted)};
  try {
    std::vector<std::string> segs = split(call.request.path());
    bool v2 = false;
    if (!segs.empty() && segs[0] == "v2") {
      v2 = true;
      segs.erase(segs.begin());
      if (!segs.empty() && segs[0] == "events") segs[0] = "activities";
    }
    net::RouteParams captured;
    const Route* route = nullptr;
    for (size_t i = 0; i < routes().size() && !route; ++i) {
      const Route& r = routes()[i];
      if ((r.method == "*" || r.method == call.request.method) && !(v2 && r.root_only) &&
          match(route_segments()[i], segs, captured))
        route = &r;
    }
    if (!route) return call.fail(no_route(call.request));

    auto params = merged_params(call.request, captured);
    if (!params) return call.fail(params.error());
    call.params = std::move(*params);
    if (route->access == Access::admin) {
      if (auto ok = authenticate_admin(call); !ok) return call.fail(ok.error());
    } else if (route->access == Access::user) {
      auto user = authenticate_user(call);
      if (!user) return call.fail(user.error());
      call.user = std::move(*user);
    }
    route->handler(std::move(call));
  } catch (const std::exception& e) {
    // A handler bug must cost one request, never the node. Once the call
    // has moved into a handler, its dropped responder answers 500 instead.
    if (call.respond) call.fail(make_error(Error::Kind::internal, "Backbeat::InternalError", e.what()));
  }
}

}  // namespace backbeat::actors::api
