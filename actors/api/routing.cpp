#include "actors/api/routing.hpp"

#include <cctype>
#include <string>

#include "actors/api/cluster_listings.hpp"
#include "actors/api/handlers.hpp"
#include "actors/api/search_api.hpp"

namespace backbeat::actors::api {
namespace {

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
           contract::RouteParams& captured) {
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

}  // namespace

// Literal segments before captures, so /workflows/search never reads as an id.
const std::vector<Route>& routes() {
  using enum Access;
  using enum Where;
  constexpr Lane kReads = Lane::reads;
  static const std::vector<Route> table = {
      {"POST", "users", admin, users, create_user, true},
      {"GET", "users", admin, local, list_users, true},
      {"GET", "users/:id", admin, local, get_user, true},
      {"POST", "users/:id/token", admin, users, rotate_token, true},
      {"PUT", "users/:id/disabled", admin, users, set_disabled, true},
      {"DELETE", "users/:id/disabled", admin, users, set_disabled, true},
      {"GET", "users/:id/grants", admin, local, list_grants, true},
      {"PUT", "users/:id/grants/:other", admin, users, set_grant, true},
      {"DELETE", "users/:id/grants/:other", admin, users, set_grant, true},
      {"POST", "workflows", user, identity, find_or_create_workflow},
      {"GET", "workflows", user, identity, find_workflow},
      {"GET", "workflows/search", user, everywhere, search_workflows, false, gather_workflow_search, kReads},
      {"GET", "workflows/names", user, everywhere, workflow_names, false, gather_workflow_names, kReads},
      {"GET", "activities/search", user, everywhere, search_activities, false, gather_activity_search, kReads},
      {"GET", "debug/error_workflows", user, everywhere, error_workflows, false, gather_error_workflows, kReads},
      {"GET", "workflows/:id", user, workflow_id, get_workflow},
      {"POST", "workflows/:id/signal", user, workflow_id, signal_workflow},
      {"POST", "workflows/:id/signal/:name", user, workflow_id, signal_workflow},
      {"PUT", "workflows/:id/complete", user, workflow_id, complete_workflow},
      {"PUT", "workflows/:id/pause", user, workflow_id, pause_workflow},
      {"PUT", "workflows/:id/resume", user, workflow_id, resume_workflow},
      {"GET", "workflows/:id/children", user, workflow_id, workflow_children, false, nullptr, kReads},
      {"GET", "workflows/:id/nodes", user, workflow_id, workflow_nodes, false, nullptr, kReads},
      {"GET", "workflows/:id/tree", user, workflow_id, workflow_tree, false, nullptr, kReads},
      {"GET", "workflows/:id/tree/print", user, workflow_id, workflow_tree_print, false, nullptr, kReads},
      {"POST", "activities/:id/decisions", user, node_id, add_decisions},
      {"PUT", "activities/:id/status/:status", user, node_id, update_status},
      {"GET", "activities/:id", user, node_id, get_activity},
      {"GET", "activities/:id/status_changes", user, node_id, get_status_changes, false, nullptr, kReads},
      {"GET", "activities/:id/errors", user, node_id, get_errors, false, nullptr, kReads},
      {"GET", "activities/:id/response", user, node_id, get_response, false, nullptr, kReads},
      {"PUT", "activities/:id/restart", user, node_id, restart_activity},
      {"PUT", "activities/:id/reset", user, node_id, reset_activity},
      {"PUT", "activities/:id/schedule", user, node_id, schedule_activity},
      {"GET", "admin/drain", admin, local, get_drain, true},
      {"PUT", "admin/drain", admin, local, set_drain, true},
      {"GET", "admin/errored", admin, everywhere, errored_report, true, gather_errored_report, kReads},
      {"GET", "admin/retention", admin, local, get_retention, true},
      {"POST", "admin/retention/sweep", admin, local, sweep_retention, true},
      {"GET", "admin/cluster", admin, local, cluster_status, true},
      {"PUT", "admin/cluster/members/:member/drain", admin, member, drain_member, true},
      {"DELETE", "admin/cluster/members/:member/drain", admin, member, undrain_member, true},
      // Rack middleware in the original: any method.
      {"*", "health", open, local, health, true},
      {"GET", "metrics", open, local, metrics, true},
      {"*", "heartbeat.txt", open, local, heartbeat, true},
      {"GET", "internal/nodes/:id/owner", members_only, node_id, node_owner, true},
  };
  return table;
}

Result<RouteMatch> find_route(std::string_view method, std::string_view path) {
  std::vector<std::string> segs = split(path);
  bool v2 = false;
  if (!segs.empty() && segs[0] == "v2") {
    v2 = true;
    segs.erase(segs.begin());
    if (!segs.empty() && segs[0] == "events") segs[0] = "activities";
  }
  RouteMatch found;
  for (size_t i = 0; i < routes().size(); ++i) {
    const Route& r = routes()[i];
    if ((r.method == "*" || r.method == method) && !(v2 && r.root_only) &&
        match(route_segments()[i], segs, found.captured)) {
      found.route = &r;
      return found;
    }
  }
  return make_error(Error::Kind::no_route,
                    "No route for " + std::string(method) + " " + std::string(path));
}

Result<nlohmann::json> request_params(const net::HttpRequest& request,
                                      const contract::RouteParams& captured) {
  auto query = contract::parse_query(request.query());
  if (!query) return query.error();
  auto body = contract::parse_body(request.header("Content-Type"), request.body);
  if (!body) return body.error();
  return contract::normalize_keys(contract::merge_params(std::move(*query), std::move(*body), captured));
}

}  // namespace backbeat::actors::api
