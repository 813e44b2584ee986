// A node in one workflow that names a node of another as parent_link_id
// holds that node open until it finishes (docs/contract.md §4.6).
#include <boost/test/unit_test.hpp>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(links)

BOOST_AUTO_TEST_CASE(link_across_workflows_holds_its_target_open) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "linker");
  const std::string waiting_wf = client.workflow("shipment", "s-1");
  const std::string linking_wf = client.workflow("invoice", "i-1");

  const auto [target, decision, link] = link_across(client, waiting_wf, linking_wf);

  BOOST_REQUIRE_EQUAL(client.put("/activities/" + link + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(link, "complete/complete"));
  BOOST_TEST(client.wait_status(target, "complete/complete"));
  BOOST_TEST(client.wait_status(decision, "complete/complete"));
}

BOOST_AUTO_TEST_SUITE_END()
