// Operator controls and tree reads through the real binary: pause/resume,
// complete, children, nodes, tree, tree/print, restart, reset, schedule.
#include <boost/test/unit_test.hpp>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(workflow_controls)

BOOST_AUTO_TEST_CASE(pause_resume_complete_and_tree_reads) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "ops");
  const std::string wf = client.workflow("wf", Json{{"orderId", 7}});
  const std::string base = "/workflows/" + wf;

  BOOST_REQUIRE_EQUAL(client.put(base + "/pause").json(), Json({{"success", true}}));
  BOOST_TEST(client.get(base).json()["paused"] == true);
  const std::string first = client.post(base + "/signal/one", Json::object()).json()["id"];
  BOOST_TEST(client.wait_status(first, "paused/ready"));
  BOOST_REQUIRE_EQUAL(client.put(base + "/resume").status, 200);
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == first);

  auto kids = client.post("/activities/" + first + "/decisions",
                          {{"decisions", {{{"name", "a"}}, {{"name", "b"}, {"mode", "non_blocking"}}}}});
  BOOST_REQUIRE_EQUAL(kids.status, 201);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + first + "/status/completed").status, 200);
  client.next_callback("/activity");

  auto children = client.get(base + "/children").json();
  BOOST_TEST(children.size() == 1u);
  BOOST_TEST(children[0]["id"] == first);
  BOOST_TEST(client.get(base + "/nodes").json().size() == 3u);
  auto sent = client.get(base + "/nodes?currentServerStatus=sent_to_client").json();
  BOOST_TEST(sent.size() == 1u);
  BOOST_TEST(client.get(base + "/nodes?current_server_status=nope").json().size() == 0u);

  auto tree = client.get(base + "/tree").json();
  BOOST_TEST(tree["id"] == wf);
  BOOST_TEST(tree["subject"]["orderId"] == 7);  // the tree camelises subject keys
  BOOST_TEST(tree["children"][0]["id"] == first);
  BOOST_TEST(tree["children"][0]["children"].size() == 2u);
  auto print = client.get(base + "/tree/print").json();
  BOOST_TEST(print["print"].get<std::string>().find("a - server: sent_to_client") !=
             std::string::npos);

  BOOST_REQUIRE_EQUAL(client.put(base + "/complete").status, 200);
  auto refused = client.post(base + "/signal/two", Json::object());
  BOOST_TEST(refused.status == 400);
  BOOST_TEST(refused.json()["errorClass"] == "Backbeat::WorkflowComplete");
  BOOST_TEST(client.get("/v2/workflows/" + wf).json()["complete"] == true);
}

BOOST_AUTO_TEST_CASE(restart_reset_and_schedule_a_node) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "ops2");
  const std::string wf = client.workflow("wf", "s");
  const std::string sig =
      client.post("/workflows/" + wf + "/signal/go", {{"retry", 0}}).json()["id"];
  client.next_callback("/decision");
  BOOST_REQUIRE_EQUAL(client.post("/activities/" + sig + "/decisions",
                                  {{"decisions", {{{"name", "child"}}}}}).status, 201);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/errored").status, 200);
  BOOST_TEST(client.status(sig) == "retries_exhausted/errored");
  client.next_callback("/notification");

  // restart: ready again and re-sent at once; its undone children are reset.
  BOOST_REQUIRE_EQUAL(client.put("/v2/events/" + sig + "/restart").status, 200);
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == sig);
  BOOST_TEST(client.get("/workflows/" + wf + "/nodes?current_server_status=deactivated")
                 .json().size() == 1u);
  // A node at the client cannot be restarted: its client status has no move to ready.
  BOOST_TEST(client.put("/activities/" + sig + "/restart").status == 409);

  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(sig, "complete/complete"));
  BOOST_TEST(client.put("/activities/" + sig + "/reset").status == 200);
  BOOST_TEST(client.put("/activities/" + sig + "/schedule").status == 200);
  BOOST_TEST(client.status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_SUITE_END()
