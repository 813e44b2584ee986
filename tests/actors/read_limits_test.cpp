// What bounds one read on a single node (docs/api.md, "Paging and limits"),
// through the Api as the HTTP server calls it: reads answer from the read
// pool, searches stop at their scan budget and say where, a page deeper
// than the cap is a 400, and a workflow with more nodes than one answer may
// hold is a 413 for the tree and a walk of pages for /nodes and /children.
#include <boost/test/unit_test.hpp>

#include <set>

#include "actors/activity/catalog.hpp"
#include "actors/api/partial_listing.hpp"
#include "actors/api/search_window.hpp"
#include "actors/gateway_actor.hpp"
#include "storage/search.hpp"
#include "tests/actors/actor_fixture.hpp"
#include "tests/actors/api_client.hpp"

namespace backbeat::test {
namespace {

using nlohmann::json;
using actors::api::kNextLastIdHeader;
using actors::api::kPartialHeader;

actors::api::ReadLimits small_limits() {
  actors::api::ReadLimits limits;
  limits.scan_budget = 4;
  limits.max_page_depth = 100;
  limits.max_tree_nodes = 3;
  return limits;
}

struct OneNode {
  ActorFixture node;
  activity::Catalog catalog;
  caf::actor gateway;
  std::unique_ptr<actors::api::Api> api;

  explicit OneNode(actors::api::ReadLimits limits = small_limits()) {
    node.svc.activities = &catalog;
    gateway =
        actors::spawn_gateway(*node.system, node.svc.registry, node.svc.tunables.request_timeout);
    api = std::make_unique<actors::api::Api>(&node.svc, gateway,
                                             actors::api::ApiOptions{"admin", true, limits});
  }
  ~OneNode() {
    api.reset();
    caf::anon_send_exit(gateway, caf::exit_reason::user_shutdown);
  }

  Reply ask(std::string method, std::string target, const json& body = nullptr) {
    return ask_api(*api, node.user, std::move(method), std::move(target), body);
  }

  std::string workflow(const json& subject) {
    Reply r = ask("POST", "/workflows", {{"name", "w"}, {"decider", "D"}, {"subject", subject}});
    BOOST_TEST_REQUIRE(r.status == 201, r.raw.body);
    return r.body["id"];
  }

  // A workflow with `n` signals: n top-level nodes, in seq order.
  std::pair<std::string, std::vector<std::string>> with_nodes(size_t n, const json& subject) {
    const std::string wf = workflow(subject);
    std::vector<std::string> nodes;
    for (size_t i = 0; i < n; ++i) {
      Reply s = ask("POST", "/workflows/" + wf + "/signal/s" + std::to_string(i), json::object());
      BOOST_TEST_REQUIRE(s.status == 201, s.raw.body);
      nodes.push_back(s.body["id"]);
    }
    return {wf, nodes};
  }
};

std::vector<std::string> ids_of(const json& rows) {
  std::vector<std::string> out;
  for (const json& row : rows) out.push_back(row["id"]);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(read_limits, OneNode)

BOOST_AUTO_TEST_CASE(reads_answer_from_the_read_pool_and_the_rest_where_they_arrive) {
  const std::string wf = workflow({{"k", 1}});
  const auto here = std::this_thread::get_id();
  for (const char* read : {"/workflows/search", "/activities/search", "/workflows/names",
                           "/v2/debug/error_workflows"})
    BOOST_TEST((ask("GET", read).answered_on != here), read);
  BOOST_TEST((ask("GET", "/workflows/" + wf + "/tree").answered_on != here));
  BOOST_TEST((ask("GET", "/health").answered_on == here));
  BOOST_TEST((ask("GET", "/workflows/" + wf).answered_on == here));  // a point read
}

BOOST_AUTO_TEST_CASE(a_page_deeper_than_the_cap_is_a_400_that_points_at_last_id) {
  workflow({{"k", 1}});
  for (const char* listing : {"/workflows/search", "/activities/search"}) {
    BOOST_TEST_CONTEXT(listing) {
      Reply huge = ask("GET", std::string(listing) + "?page=9223372036854775807");
      BOOST_TEST(huge.status == 400);
      BOOST_TEST(huge.body["errorClass"] == "Backbeat::PageTooDeep");
      BOOST_TEST(huge.body["message"].get<std::string>().find("last_id") != std::string::npos);
      // page x per_page = 100 is the deepest allowed here.
      BOOST_TEST(ask("GET", std::string(listing) + "?page=4&per_page=25").status == 200);
      BOOST_TEST(ask("GET", std::string(listing) + "?page=5&per_page=25").status == 400);
      BOOST_TEST(ask("GET", std::string(listing) + "?page=2&per_page=51").status == 400);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_search_stops_at_its_budget_and_its_cursor_continues_the_walk) {
  for (int i = 0; i < 14; ++i) workflow({{"k", i % 3 == 0 ? "hit" : "miss"}, {"i", i}});
  storage::SearchFilter hits;
  hits.text = "hit";
  std::vector<std::string> expected;
  auto all = storage::search_workflows(*node.store, node.user.id, hits, storage::PageRequest{1000});
  BOOST_TEST_REQUIRE(all.ok());
  for (const Workflow& wf : all->rows) expected.push_back(wf.id.str());
  BOOST_TEST_REQUIRE(expected.size() == 5u);

  // Nothing matches: the first answer is [] and partial, 4 entries in.
  Reply none = ask("GET", "/workflows/search?subject=nomatch");
  BOOST_TEST(none.status == 200);
  BOOST_TEST(none.body == json::array());
  BOOST_TEST(none.header(kPartialHeader) == "true");
  BOOST_TEST(!none.header(kNextLastIdHeader).empty());
  BOOST_TEST(none.header(actors::api::kScannedToHeader).empty());  // internal: members only

  std::vector<std::string> walked;
  std::string last;
  int partials = 0;
  for (int guard = 0; guard < 50; ++guard) {
    Reply r = ask("GET", "/workflows/search?subject=hit&per_page=2" +
                             (last.empty() ? "" : "&last_id=" + last));
    BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
    for (const std::string& id : ids_of(r.body)) walked.push_back(id);
    if (!r.header(kPartialHeader).empty()) {
      ++partials;
      last = r.header(kNextLastIdHeader);
      continue;
    }
    if (r.body.size() < 2) break;
    last = walked.back();
  }
  BOOST_TEST((walked == expected));
  BOOST_TEST(partials > 0);
  // A full page is whole: no partial headers.
  Reply full = ask("GET", "/workflows/search?per_page=3");
  BOOST_TEST(full.body.size() == 3u);
  BOOST_TEST(full.header(kPartialHeader).empty());
}

BOOST_AUTO_TEST_CASE(names_say_when_they_are_partial) {
  for (int i = 0; i < 6; ++i) {
    const json create = {{"name", "n" + std::to_string(i)}, {"decider", "D"}, {"subject", {{"i", i}}}};
    BOOST_TEST_REQUIRE(ask("POST", "/workflows", create).status == 201);
  }
  Reply names = ask("GET", "/workflows/names");
  BOOST_TEST(names.status == 200);
  BOOST_TEST(names.body.size() == 4u);
  BOOST_TEST(names.header(kPartialHeader) == "true");
  BOOST_TEST(names.header(kNextLastIdHeader).empty());  // no cursor: names are not paged
}

BOOST_AUTO_TEST_CASE(a_tree_over_the_cap_is_a_413_naming_the_paged_read) {
  auto [small, small_nodes] = with_nodes(2, {{"k", "small"}});
  BOOST_TEST(ask("GET", "/workflows/" + small + "/tree").status == 200);
  BOOST_TEST(ask("GET", "/workflows/" + small + "/nodes").body.size() == 2u);

  auto [big, nodes] = with_nodes(5, {{"k", "big"}});
  for (const char* read : {"/tree", "/tree/print", "/nodes", "/children"}) {
    BOOST_TEST_CONTEXT(read) {
      Reply r = ask("GET", "/workflows/" + big + read);
      BOOST_TEST(r.status == 413);
      BOOST_TEST(r.body["errorClass"] == "Backbeat::TooManyNodes");
      const std::string message = r.body["message"];
      BOOST_TEST(message.find("more than 3 nodes") != std::string::npos, message);
      BOOST_TEST(message.find("per_page") != std::string::npos, message);
    }
  }
}

BOOST_AUTO_TEST_CASE(nodes_and_children_page_in_seq_order_with_last_id) {
  auto [wf, nodes] = with_nodes(5, {{"k", "paged"}});
  for (const char* read : {"/nodes", "/children"}) {
    BOOST_TEST_CONTEXT(read) {
      std::vector<std::string> walked;
      std::string last;
      for (int guard = 0; guard < 10; ++guard) {
        Reply r = ask("GET", "/workflows/" + wf + read + "?per_page=2" +
                                 (last.empty() ? "" : "&last_id=" + last));
        BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
        BOOST_TEST(r.body.size() <= 2u);
        for (const std::string& id : ids_of(r.body)) walked.push_back(id);
        if (r.body.size() < 2) break;
        last = walked.back();
      }
      BOOST_TEST((walked == nodes));
    }
  }
  // A page larger than the cap is still a page: per_page bounds it.
  BOOST_TEST(ask("GET", "/workflows/" + wf + "/nodes?per_page=1000").body.size() == 5u);
  // Filters page too.
  Reply none = ask("GET", "/workflows/" + wf + "/nodes?per_page=2&current_server_status=nothing");
  BOOST_TEST(none.body == json::array());
  // A last_id that is no node of this workflow, or a bad per_page: 400.
  auto [other, other_nodes] = with_nodes(1, {{"k", "other"}});
  BOOST_TEST(ask("GET", "/workflows/" + wf + "/nodes?last_id=" + other_nodes[0]).status == 400);
  BOOST_TEST(ask("GET", "/workflows/" + wf + "/nodes?per_page=0").status == 400);
  BOOST_TEST(ask("GET", "/workflows/" + wf + "/nodes?per_page=1001").status == 400);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
