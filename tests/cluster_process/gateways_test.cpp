// Every member is a gateway for every request (docs/cluster.md, "Routing"):
// workflows created, signalled, decided and completed through different
// members, read back identically from all, and found by a gathered search.
#include <boost/test/unit_test.hpp>

#include <set>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

namespace {

// Newest first, then id descending (the listing's order).
bool newest_first(const std::vector<Json>& rows) {
  for (size_t i = 1; i < rows.size(); ++i) {
    const std::string a = rows[i - 1]["createdAt"], b = rows[i]["createdAt"];
    const std::string ia = rows[i - 1]["id"], ib = rows[i]["id"];
    if (a < b || (a == b && ia <= ib)) return false;
  }
  return true;
}

// Walks a search with keyset paging through one gateway; every page's size.
std::vector<Json> walk_search(const ClientService& client, const BackbeatServer& gateway,
                              const std::string& query, size_t per_page,
                              std::vector<size_t>& page_sizes) {
  std::vector<Json> rows;
  std::string last;
  for (int guard = 0; guard < 100; ++guard) {
    const std::string target = "/workflows/search?" + query + "&per_page=" +
                               std::to_string(per_page) + (last.empty() ? "" : "&last_id=" + last);
    TestResponse r = client.send_via(gateway, "GET", target);
    BOOST_REQUIRE_MESSAGE(r.status == 200, target + ": " + std::to_string(r.status) + " " + r.body);
    const Json page = r.json();
    BOOST_REQUIRE(page.is_array());
    if (page.empty()) return rows;
    page_sizes.push_back(page.size());
    for (const Json& row : page) rows.push_back(row);
    last = page.back()["id"];
  }
  BOOST_FAIL("search paging never ended");
  return rows;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(gateways)

BOOST_AUTO_TEST_CASE(workflows_through_every_gateway) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "gateways");
  wait_user_everywhere(cluster, client);

  constexpr size_t kWorkflows = 30;
  std::vector<Trip> trips(kWorkflows);
  for (size_t i = 0; i < kWorkflows; ++i) {
    trips[i].subject = Json{{"order", i}};
    trips[i].create_via = i % 3;
    trips[i].signal_via = (i + 1) % 3;
    trips[i].decide_via = (i + 2) % 3;
    trips[i].finish_via = i % 3;  // not the member that took the decisions
  }
  run_trips(cluster, client, trips);

  // The workflows landed on every member.
  const Json status = cluster.status(0);
  std::map<std::string, int> owners;
  for (const Trip& t : trips) ++owners[owner_of(status, t.workflow)];
  BOOST_TEST_MESSAGE("workflows per owner: n1 " << owners["n1"] << ", n2 " << owners["n2"]
                                                << ", n3 " << owners["n3"]);
  BOOST_TEST(owners.size() == 3u);

  // Every gateway gives the same answer for every workflow and node.
  for (const Trip& t : trips) {
    for (const std::string& target :
         {"/workflows/" + t.workflow, "/activities/" + t.decision, "/activities/" + t.activity,
          "/workflows/" + t.workflow + "/tree", "/activities/" + t.activity + "/status_changes"}) {
      const TestResponse first = client.send_via(cluster.node(0), "GET", target);
      BOOST_TEST(first.status == 200, target << ": " << first.body);
      for (size_t g = 1; g < Cluster::kSize; ++g) {
        const TestResponse other = client.send_via(cluster.node(g), "GET", target);
        BOOST_TEST(other.status == first.status, target << " via " << Cluster::member(g));
        BOOST_TEST(other.body == first.body, target << " via " << Cluster::member(g));
      }
    }
    const Json wf = client.send_via(cluster.node(1), "GET", "/workflows/" + t.workflow).json();
    BOOST_TEST(wf["subject"] == t.subject);
  }

  // A gathered search: all 30, in order, pages of 7, identical from every gateway.
  std::set<std::string> expected;
  for (const Trip& t : trips) expected.insert(t.workflow);
  std::vector<std::string> first_walk;
  for (size_t g = 0; g < Cluster::kSize; ++g) {
    BOOST_TEST_CONTEXT("search via " << Cluster::member(g)) {
      std::vector<size_t> sizes;
      const std::vector<Json> rows = walk_search(client, cluster.node(g), "name=order", 7, sizes);
      std::vector<std::string> ids;
      for (const Json& row : rows) ids.push_back(row["id"]);
      BOOST_TEST(ids.size() == kWorkflows);
      BOOST_TEST((std::set<std::string>(ids.begin(), ids.end()) == expected));
      BOOST_TEST((sizes == std::vector<size_t>{7, 7, 7, 7, 2}));
      BOOST_TEST(newest_first(rows));
      if (g == 0) first_walk = ids;
      BOOST_TEST(ids == first_walk);
      // One big page says the same.
      const TestResponse all = client.send_via(cluster.node(g), "GET", "/workflows/search?per_page=100");
      BOOST_REQUIRE_EQUAL(all.status, 200);
      std::vector<std::string> at_once;
      for (const Json& row : all.json()) at_once.push_back(row["id"]);
      BOOST_TEST(at_once == first_walk);
      // Numbered pages too.
      const TestResponse third = client.send_via(cluster.node(g), "GET",
                                                 "/workflows/search?per_page=7&page=3");
      BOOST_REQUIRE_EQUAL(third.status, 200);
      std::vector<std::string> page3;
      for (const Json& row : third.json()) page3.push_back(row["id"]);
      BOOST_TEST((page3 == std::vector<std::string>(first_walk.begin() + 14, first_walk.begin() + 21)));
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
