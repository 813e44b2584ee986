// Every status word of PUT /activities/:id/status/:status through HTTP:
// the legacy spellings, shutdown, canceled and deactivated.
#include <boost/test/unit_test.hpp>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(status_words)

BOOST_AUTO_TEST_CASE(legacy_words_shutdown_cancel_deactivate) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "words");
  const std::string wf = client.workflow("wf", "words");
  const std::string decision = client.decide(wf);
  const auto kids = client.add_decisions(
      decision, {{{"name", "a"}, {"mode", "non_blocking"}}, {{"name", "b"}, {"mode", "non_blocking"}},
                 {{"name", "c"}, {"mode", "non_blocking"}}});
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/deciding").status, 200);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/deciding_complete").status, 200);
  for (int i = 0; i < 3; ++i) client.next_callback("/activity");

  // canceled: the node (and its subtree) dies; a response is refused.
  BOOST_TEST(client.put("/activities/" + kids[0] + "/status/canceled", {{"response", {{"x", 1}}}})
                 .status == 400);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + kids[0] + "/status/canceled").status, 200);
  BOOST_TEST(client.status(kids[0]) == "deactivated/received");
  // Any word on a dead node is a quiet 200.
  BOOST_TEST(client.put("/activities/" + kids[0] + "/status/completed").status == 200);
  BOOST_TEST(client.status(kids[0]) == "deactivated/received");

  // deactivated: every earlier node of the workflow dies (the decision, a).
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + kids[2] + "/status/deactivated").status, 200);
  BOOST_TEST(client.status(decision).substr(0, 11) == "deactivated");
  BOOST_TEST(client.status(kids[1]).substr(0, 11) == "deactivated");
  BOOST_TEST(client.status(kids[2]) == "sent_to_client/received");

  // shutdown after an error: done with the client, later siblings die.
  const std::string wf2 = client.workflow("wf", "words-2");
  const std::string first = client.decide(wf2, {{"retry", 0}});
  BOOST_REQUIRE_EQUAL(client.post("/workflows/" + wf2 + "/signal/later", Json::object()).status, 201);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + first + "/status/errored").status, 200);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + first + "/status/shutdown").status, 200);
  BOOST_TEST(client.wait_status(first, "complete/shutdown"));
  auto signals = client.get("/workflows/" + wf2 + "/children").json();
  BOOST_REQUIRE_EQUAL(signals.size(), 2u);
  BOOST_TEST(signals[1]["currentServerStatus"] == "deactivated");
}

BOOST_AUTO_TEST_SUITE_END()
