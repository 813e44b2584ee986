// A node in one workflow that names a node of another as parent_link_id
// holds that node open until it finishes (contract §4.6).
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

  const std::string target =
      client.post("/workflows/" + waiting_wf + "/signal/ship", Json::object()).json()["id"];
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == target);
  const std::string decision =
      client.post("/workflows/" + linking_wf + "/signal/bill", Json::object()).json()["id"];
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == decision);
  auto linked = client.post("/activities/" + decision + "/decisions",
                            {{"decisions", {{{"name", "pay"}, {"parentLinkId", target}}}}});
  BOOST_REQUIRE_EQUAL(linked.status, 201);
  const std::string link = linked.json()[0];
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/completed").status, 200);
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == link);

  // The target is done with the client, but its link is not finished yet.
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + target + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(target, "processing_children/complete"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  BOOST_TEST(client.status(target) == "processing_children/complete");

  BOOST_REQUIRE_EQUAL(client.put("/activities/" + link + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(link, "complete/complete"));
  BOOST_TEST(client.wait_status(target, "complete/complete"));
  BOOST_TEST(client.wait_status(decision, "complete/complete"));
}

BOOST_AUTO_TEST_SUITE_END()
