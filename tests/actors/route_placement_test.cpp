// Every route says where it runs in a cluster (docs/cluster.md, "Routing"):
// the table below is the design's, written out once more so a route added
// or changed without deciding its placement fails here.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>
#include <string>
#include <utility>

#include "actors/api/routing.hpp"

namespace backbeat::actors::api {
namespace {

using Key = std::pair<std::string, std::string>;  // method, pattern

const std::map<Key, Where>& expected() {
  static const std::map<Key, Where> table = {
      {{"POST", "users"}, Where::users},
      {{"GET", "users"}, Where::local},
      {{"GET", "users/:id"}, Where::local},
      {{"POST", "users/:id/token"}, Where::users},
      {{"PUT", "users/:id/disabled"}, Where::users},
      {{"DELETE", "users/:id/disabled"}, Where::users},
      {{"GET", "users/:id/grants"}, Where::local},
      {{"PUT", "users/:id/grants/:other"}, Where::users},
      {{"DELETE", "users/:id/grants/:other"}, Where::users},
      {{"POST", "workflows"}, Where::identity},
      {{"GET", "workflows"}, Where::identity},
      {{"GET", "workflows/search"}, Where::everywhere},
      {{"GET", "workflows/names"}, Where::everywhere},
      {{"GET", "activities/search"}, Where::everywhere},
      {{"GET", "debug/error_workflows"}, Where::everywhere},
      {{"GET", "workflows/:id"}, Where::workflow_id},
      {{"POST", "workflows/:id/signal"}, Where::workflow_id},
      {{"POST", "workflows/:id/signal/:name"}, Where::workflow_id},
      {{"PUT", "workflows/:id/complete"}, Where::workflow_id},
      {{"PUT", "workflows/:id/pause"}, Where::workflow_id},
      {{"PUT", "workflows/:id/resume"}, Where::workflow_id},
      {{"GET", "workflows/:id/children"}, Where::workflow_id},
      {{"GET", "workflows/:id/nodes"}, Where::workflow_id},
      {{"GET", "workflows/:id/tree"}, Where::workflow_id},
      {{"GET", "workflows/:id/tree/print"}, Where::workflow_id},
      {{"POST", "activities/:id/decisions"}, Where::node_id},
      {{"PUT", "activities/:id/status/:status"}, Where::node_id},
      {{"GET", "activities/:id"}, Where::node_id},
      {{"GET", "activities/:id/status_changes"}, Where::node_id},
      {{"GET", "activities/:id/errors"}, Where::node_id},
      {{"GET", "activities/:id/response"}, Where::node_id},
      {{"PUT", "activities/:id/restart"}, Where::node_id},
      {{"PUT", "activities/:id/reset"}, Where::node_id},
      {{"PUT", "activities/:id/schedule"}, Where::node_id},
      {{"GET", "admin/drain"}, Where::local},
      {{"PUT", "admin/drain"}, Where::local},
      {{"GET", "admin/errored"}, Where::everywhere},
      {{"GET", "admin/retention"}, Where::local},
      {{"POST", "admin/retention/sweep"}, Where::local},
      {{"GET", "admin/cluster"}, Where::local},
      {{"PUT", "admin/cluster/members/:member/drain"}, Where::member},
      {{"DELETE", "admin/cluster/members/:member/drain"}, Where::member},
      {{"*", "health"}, Where::local},
      {{"GET", "metrics"}, Where::local},
      {{"*", "heartbeat.txt"}, Where::local},
      {{"GET", "internal/nodes/:id/owner"}, Where::node_id},
  };
  return table;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(route_placement)

BOOST_AUTO_TEST_CASE(every_route_is_placed_as_the_design_says) {
  std::set<Key> seen;
  for (const Route& r : routes()) {
    const Key key{std::string(r.method), std::string(r.pattern)};
    BOOST_TEST_CONTEXT(key.first << " " << key.second) {
      BOOST_TEST(seen.insert(key).second, "listed twice");
      auto it = expected().find(key);
      BOOST_TEST_REQUIRE((it != expected().end()), "a route the placement table does not know");
      BOOST_TEST((r.where == it->second));
      // Gathered routes merge on the gateway; nothing else has a merge.
      BOOST_TEST(((r.gather != nullptr) == (r.where == Where::everywhere)));
    }
  }
  BOOST_TEST(seen.size() == expected().size(), "a placed route is missing from routes()");
}

BOOST_AUTO_TEST_CASE(aliases_keep_their_placement) {
  auto where = [](std::string_view method, std::string_view path) {
    auto found = find_route(method, path);
    BOOST_TEST_REQUIRE(found.ok());
    return found->route->where;
  };
  BOOST_TEST((where("GET", "/v2/events/6f1c0c0e-0000-4000-8000-000000000001") == Where::node_id));
  BOOST_TEST((where("PUT", "/v2/events/x/status/completed") == Where::node_id));
  BOOST_TEST((where("GET", "/v2/workflows/search") == Where::everywhere));
  BOOST_TEST((where("GET", "/v2/debug/error_workflows") == Where::everywhere));
  BOOST_TEST((where("GET", "/v2/workflows/abc/tree") == Where::workflow_id));
  BOOST_TEST((where("HEAD", "/health") == Where::local));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::actors::api
