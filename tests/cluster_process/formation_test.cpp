// Three members come up as one cluster: membership, the first partition map
// and shared users, as every member reports them (docs/cluster.md).
#include <boost/test/unit_test.hpp>

#include <map>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(formation)

BOOST_AUTO_TEST_CASE(three_members_agree_on_membership_and_map) {
  Cluster cluster;
  cluster.start();
  const Json first = cluster.status(0);
  for (size_t i = 0; i < Cluster::kSize; ++i) {
    const Json s = cluster.status(i);
    BOOST_TEST_CONTEXT("as " << Cluster::member(i) << " sees it: " << s.dump()) {
      BOOST_TEST(s["clustered"] == true);
      BOOST_TEST(s["self"] == Cluster::member(i));
      BOOST_TEST(s["partitions"] == Cluster::kPartitions);
      BOOST_TEST(s["epoch"] == 1);
      BOOST_TEST(all_up(s, 3));
      BOOST_TEST(s["problems"].empty());
      std::map<std::string, int> owned;
      for (const Json& row : s["map"]) ++owned[row["owner"].get<std::string>()];
      BOOST_TEST((owned == std::map<std::string, int>{{"n1", 22}, {"n2", 21}, {"n3", 21}}));
      BOOST_TEST(s["map"] == first["map"]);  // one map, every member
      for (size_t j = 0; j < Cluster::kSize; ++j) {
        const Json* m = member_row(s, Cluster::member(j));
        BOOST_REQUIRE(m);
        BOOST_TEST((*m)["incarnation"] == 1);
        BOOST_TEST((*m)["self"] == (i == j));
        BOOST_TEST((*m)["partitionsOwned"] == (j == 0 ? 22 : 21));
        BOOST_TEST((*m)["httpAddress"] == "127.0.0.1:" + std::to_string(cluster.node(j).port()));
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(a_user_created_on_one_member_is_known_to_all) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "shared");
  wait_user_everywhere(cluster, client);
  for (size_t i = 1; i < Cluster::kSize; ++i) {
    // The user is really checked there: its token works, another does not.
    const TestResponse mine = client.send_via(cluster.node(i), "GET", "/workflows/search");
    BOOST_TEST(mine.status == 200, mine.body);
    const TestResponse forged = cluster.node(i).request(
        "GET", "/workflows/search", "",
        {{"Client-Id", client.id()}, {"Authorization", "Token token=\"not-the-token\""}});
    BOOST_TEST(forged.status == 401, forged.body);
    // And the admin listing of users on that member has it.
    const TestResponse users = cluster.node(i).admin("GET", "/users/" + client.id());
    BOOST_TEST(users.status == 200, users.body);
  }
}

BOOST_AUTO_TEST_CASE(a_single_node_has_no_cluster) {
  BackbeatServer single;
  single.start();
  BOOST_TEST(single.log().find("cluster member") == std::string::npos);
  const TestResponse r = single.admin("GET", "/admin/cluster");
  BOOST_REQUIRE_EQUAL(r.status, 200);
  BOOST_TEST(r.json() == Json({{"clustered", false}}));
  const TestResponse drain = single.admin("PUT", "/admin/cluster/members/n1/drain");
  BOOST_TEST(drain.status == 409, drain.body);
  BOOST_TEST(drain.json()["errorClass"] == "Backbeat::NotClustered");
  BOOST_TEST(single.request("GET", "/admin/cluster").status == 401);  // admin only
  ClientService client(single, "alone");
  const std::string wf = client.workflow("order", Json{{"n", 1}});
  BOOST_TEST(client.get("/workflows/" + wf).status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
