// Clients like the original Ruby one do all their work inside the callback:
// they report processing, post decisions and complete the node before they
// answer the POST that delivered it. The server must take those calls while
// its own POST is still open.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(nested_calls)

BOOST_AUTO_TEST_CASE(client_completes_inside_the_callback) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "ruby-like");
  client.endpoint().set_before_response([&](const backbeat::net::HttpRequest& r) {
    Json body = Json::parse(r.body);
    const bool decision = body.contains("decision");
    const std::string id = (decision ? body["decision"] : body["activity"])["id"];
    BOOST_REQUIRE_EQUAL(client.put("/activities/" + id + "/status/processing").status, 200);
    if (decision)
      BOOST_REQUIRE_EQUAL(client.post("/activities/" + id + "/decisions",
                                      {{"decisions", {{{"name", "step1"}, {"clientData", {{"n", 1}}}},
                                                      {{"name", "step2"}}}}}).status, 201);
    BOOST_REQUIRE_EQUAL(client.put("/activities/" + id + "/status/completed",
                                   {{"response", {{"jsonrpc", "2.0"}, {"result", 1},
                                                  {"error", nullptr}, {"id", nullptr}}}}).status, 200);
  });

  const std::string wf = client.workflow("nested", Json{{"a", 1}});
  auto signal = client.post("/workflows/" + wf + "/signal/go", Json::object());
  BOOST_REQUIRE_EQUAL(signal.status, 201);
  const std::string decision = signal.json()["id"];
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == decision);
  BOOST_TEST(client.next_callback("/activity")["activity"]["name"] == "step1");
  BOOST_TEST(client.next_callback("/activity")["activity"]["name"] == "step2");

  BOOST_TEST(client.wait_status(decision, "complete/complete"));
}

BOOST_AUTO_TEST_SUITE_END()
