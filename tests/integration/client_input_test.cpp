// Input as real clients send it: form-encoded bodies with Rack nesting,
// camelCase keys (kept verbatim inside client_data), nulls meaning "default",
// numbers as strings.
#include <boost/test/unit_test.hpp>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

namespace {

TestResponse form(const ClientService& c, const std::string& method, const std::string& target,
                  const std::string& body, const BackbeatServer& server) {
  return server.request(method, target, body,
                        {{"Client-Id", c.id()},
                         {"Authorization", "Token token=\"" + c.token() + "\""},
                         {"Content-Type", "application/x-www-form-urlencoded"}});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(client_input)

BOOST_AUTO_TEST_CASE(form_bodies_camel_case_and_nulls) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "formy");

  auto wf = form(client, "POST", "/workflows", "workflow_type=wf&subject=order%2042&decider=D", server);
  BOOST_REQUIRE_MESSAGE(wf.status == 201, wf.body);
  BOOST_TEST(wf.json()["subject"] == "order 42");
  const std::string id = wf.json()["id"];

  auto sig = form(client, "POST", "/workflows/" + id + "/signal",
                  "name=go&options[client_data][data]=123&retry=2", server);
  BOOST_REQUIRE_MESSAGE(sig.status == 201, sig.body);
  BOOST_TEST(sig.json()["clientData"]["data"] == "123");
  const std::string decision = sig.json()["id"];
  client.next_callback("/decision");

  auto kids = form(client, "POST", "/activities/" + decision + "/decisions",
                   "decisions[][name]=a&decisions[][mode]=non_blocking&decisions[][retry]=1"
                   "&decisions[][name]=b",
                   server);
  BOOST_REQUIRE_MESSAGE(kids.status == 201, kids.body);
  BOOST_TEST(kids.json().size() == 2u);
  BOOST_TEST(client.node(kids.json()[0])["mode"] == "non_blocking");
  BOOST_TEST(client.node(kids.json()[1])["mode"] == "blocking");

  // The Ruby client: camelCase outside, verbatim inside client_data, nulls.
  auto more = client.post("/activities/" + decision + "/decisions",
                          {{"decisions",
                            {{{"name", "c"}, {"mode", nullptr}, {"firesAt", nullptr},
                              {"retry", nullptr}, {"retryInterval", nullptr}, {"metadata", nullptr},
                              {"parentLinkId", nullptr}, {"clientId", nullptr},
                              {"clientData", {{"firstName", "Ada"}, {"params", {1, 2}}}}}}}});
  BOOST_REQUIRE_MESSAGE(more.status == 201, more.body);
  auto c = client.node(more.json()[0]);
  BOOST_TEST(c["clientData"]["firstName"] == "Ada");
  BOOST_TEST(c["mode"] == "blocking");

  auto done = form(client, "PUT", "/activities/" + decision + "/status/completed",
                   "response[result]=ok", server);
  BOOST_REQUIRE_EQUAL(done.status, 200);
  BOOST_TEST(client.get("/activities/" + decision + "/response").json()["result"] == "ok");
  // Numbers as strings, and bad ones named.
  auto bad = client.post("/workflows/" + id + "/signal/x", {{"retry", "many"}});
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.json()["message"].get<std::string>().find("retry") != std::string::npos);
  BOOST_TEST(client.post("/workflows/" + id + "/signal/x", {{"fires_at", "yesterday"}}).status == 400);
  BOOST_TEST(client.post("/workflows/" + id + "/signal/y",
                         {{"fires_at", "2020-01-01T10:00:00+02:00"}}).status == 201);
}

BOOST_AUTO_TEST_SUITE_END()
