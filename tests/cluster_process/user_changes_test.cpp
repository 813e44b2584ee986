// Changes to a user made on one member hold on every member (docs/security.md):
// a rotated token, a grant, a disabled user. A member that was down while a
// change was made gets the newer record when it is back (user records carry a
// version; a member keeps the highest). Before this, members adopted a user
// once and never heard of a change again.
#include <boost/test/unit_test.hpp>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

namespace {

int status_via(const ClientService& c, const BackbeatServer& gateway, const std::string& target) {
  return c.send_via(gateway, "GET", target).status;
}

// Whether `want` is what every member answers for `target`, within 10 s.
bool everywhere(const Cluster& cluster, const ClientService& c, const std::string& target,
                int want) {
  for (size_t i = 0; i < cluster.size(); ++i)
    if (!eventually([&] { return status_via(c, cluster.node(i), target) == want; }, 10s))
      return false;
  return true;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(user_changes)

BOOST_AUTO_TEST_CASE(rotations_grants_and_disabling_reach_every_member) {
  Cluster cluster;
  cluster.start();
  ClientService alice(cluster.node(0), "alice"), bob(cluster.node(0), "bob");
  wait_user_everywhere(cluster, alice);
  wait_user_everywhere(cluster, bob);
  const std::string names = "/workflows/names";

  // Rotated on n2: the old token fails and the new one works on all three.
  auto rotated = cluster.node(1).admin("POST", "/users/" + alice.id() + "/token");
  BOOST_REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
  const std::string old_token = alice.token();
  BOOST_TEST(everywhere(cluster, alice, names, 401), cluster.logs());
  alice.set_token(rotated.json()["authToken"]);
  BOOST_TEST(everywhere(cluster, alice, names, 200), cluster.logs());

  // A grant made on n3 lets alice hand bob a node through n1.
  BOOST_REQUIRE(
      cluster.node(2).admin("PUT", "/users/" + alice.id() + "/grants/" + bob.id()).status == 200);
  const std::string wf = alice.workflow("users", "grant");
  bool handed = eventually(
      [&] {
        return alice.send_via(cluster.node(0), "POST", "/workflows/" + wf + "/signal/x",
                              Json{{"client_id", bob.id()}}.dump())
                   .status == 201;
      },
      10s);
  BOOST_TEST(handed, cluster.logs());

  // n3 is down while bob is disabled on n1; back up, it hears of it too.
  cluster.node(2).kill(SIGKILL);
  BOOST_REQUIRE(cluster.node(0).admin("PUT", "/users/" + bob.id() + "/disabled").status == 200);
  BOOST_TEST(eventually([&] { return status_via(bob, cluster.node(1), names) == 403; }, 10s));
  cluster.node(2).start();
  cluster.wait_converged();
  BOOST_TEST(eventually([&] { return status_via(bob, cluster.node(2), names) == 403; }, 10s),
             cluster.logs());
  // And the rotation it had heard of before is still what it holds.
  BOOST_TEST(status_via(alice, cluster.node(2), names) == 200);
  alice.set_token(old_token);
  BOOST_TEST(status_via(alice, cluster.node(2), names) == 401);
}

// A parent_link_id into a partition the deciding member does not own is
// asked of that partition's owner before the decision is taken: 404 unless
// the target is the requester's or a granted user's, through any gateway.
BOOST_AUTO_TEST_CASE(links_into_another_members_partition_are_vetted_by_its_owner) {
  Cluster cluster;
  cluster.start();
  ClientService alice(cluster.node(0), "alice"), bob(cluster.node(0), "bob");
  wait_user_everywhere(cluster, alice);
  wait_user_everywhere(cluster, bob);
  const Json map = cluster.status(0);
  const std::string alices_wf = alice.workflow("links", "alice");
  // A workflow of bob's whose partition another member owns.
  std::string bobs_wf;
  for (int i = 0; i < 64 && bobs_wf.empty(); ++i) {
    const std::string wf = bob.workflow("links", "bob-" + std::to_string(i));
    if (owner_of(map, wf) != owner_of(map, alices_wf)) bobs_wf = wf;
  }
  BOOST_REQUIRE(!bobs_wf.empty());
  const std::string bobs = bob.decide(bobs_wf);
  const std::string alices = alice.decide(alices_wf);
  const std::string path = "/activities/" + alices + "/decisions";
  const Json body = {{"decisions", {{{"name", "l"}, {"parent_link_id", bobs}}}}};
  for (size_t i = 0; i < cluster.size(); ++i) {
    auto r = alice.send_via(cluster.node(i), "POST", path, body.dump());
    BOOST_TEST(r.status == 404, Cluster::member(i) << ": " << r.body);
  }
  // The internal question is no client's to ask.
  auto asked = cluster.node(0).request("GET", "/internal/nodes/" + bobs + "/owner");
  BOOST_TEST(asked.status == 404, asked.body);
  BOOST_REQUIRE(
      cluster.node(1).admin("PUT", "/users/" + alice.id() + "/grants/" + bob.id()).status == 200);
  bool linked = eventually(
      [&] { return alice.send_via(cluster.node(2), "POST", path, body.dump()).status == 201; }, 10s);
  BOOST_TEST(linked, cluster.logs());
}

BOOST_AUTO_TEST_SUITE_END()
