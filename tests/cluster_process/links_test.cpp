// A link across members (docs/cluster.md, "Routing"): a node of a workflow
// on one member names a node of a workflow on another as parent_link_id
// (docs/contract.md §4.6); the update travels agent to agent over CAF.
#include <boost/test/unit_test.hpp>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(cluster_links)

BOOST_AUTO_TEST_CASE(a_link_on_another_member_holds_its_target_open_then_completes_it) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "linker");
  wait_user_everywhere(cluster, client);

  const Json status = cluster.status(0);
  const std::string waiting_wf = client.workflow("shipment", "s-1");
  std::string linking_wf;
  for (int i = 0; i < 64 && linking_wf.empty(); ++i) {
    const std::string wf = client.workflow("invoice", "i-" + std::to_string(i));
    if (owner_of(status, wf) != owner_of(status, waiting_wf)) linking_wf = wf;
  }
  BOOST_REQUIRE(!linking_wf.empty());

  // The registration reaches the other member: the target waits for its link.
  const auto [target, decision, link] = link_across(client, waiting_wf, linking_wf);

  // Finished on the linking member, through yet another gateway.
  TestResponse done = client.send_via(cluster.node(2), "PUT", "/activities/" + link + "/status/completed");
  BOOST_REQUIRE_MESSAGE(done.status == 200, done.body);
  BOOST_TEST(client.wait_status(link, "complete/complete"));
  BOOST_TEST(client.wait_status(target, "complete/complete"), cluster.logs());
  BOOST_TEST(client.wait_status(decision, "complete/complete"));
}

BOOST_AUTO_TEST_SUITE_END()
