// What a client gets wrong, and what it gets back: auth failures, other users'
// data, bad input, illegal transitions, idempotent repeats.
#include <boost/test/unit_test.hpp>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(api_errors)

BOOST_AUTO_TEST_CASE(auth_scoping_and_bad_input) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice");
  ClientService bob(server, "bob");
  const std::string wf = alice.workflow("wf", Json{{"k", 1}});

  // Authentication.
  BOOST_TEST(server.request("GET", "/workflows/" + wf).status == 401);
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "", {{"Client-Id", alice.id()}}).status == 401);
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "",
                            {{"Client-Id", "00000000-0000-4000-8000-000000000000"},
                             {"Authorization", "Token token=\"" + alice.token() + "\""}})
                 .status == 401);  // unknown user
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "", {{"Client-Id", "garbage"}}).status == 401);
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "",
                            {{"Client-Id", alice.id()}, {"Authorization", "Token token=\"nope\""}})
                 .status == 401);
  BOOST_TEST(server.request("GET", "/users").status == 401);
  BOOST_TEST(server.admin("GET", "/users").status == 200);
  BOOST_TEST(server.request("GET", "/workflows/" + wf).json() == Json({{"error", "Unauthorized"}}));

  // Another user's workflow does not exist for bob; malformed ids are 400.
  BOOST_TEST(bob.get("/workflows/" + wf).status == 404);
  BOOST_TEST(bob.post("/workflows/" + wf + "/signal/x", Json::object()).status == 404);
  BOOST_TEST(alice.get("/workflows/not-a-uuid").status == 400);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 200);

  // Bad input is a 400 naming the problem.
  BOOST_TEST(alice.send("POST", "/workflows", "{not json").status == 400);
  BOOST_TEST(alice.post("/workflows", {{"name", "x"}, {"decider", "d"}}).status == 400);
  auto signal = alice.post("/workflows/" + wf + "/signal/go", Json::object());
  BOOST_REQUIRE_EQUAL(signal.status, 201);
  const std::string node = signal.json()["id"];
  alice.next_callback("/decision");
  BOOST_TEST(alice.post("/activities/" + node + "/decisions", {{"nope", 1}}).status == 400);
  BOOST_TEST(alice.post("/activities/" + node + "/decisions",
                        {{"decisions", {{{"name", "a"}, {"mode", "sideways"}}}}}).status == 400);
  auto unknown = alice.put("/activities/" + node + "/status/complete");
  BOOST_TEST(unknown.status == 400);
  BOOST_TEST(unknown.json()["errorClass"] == "Backbeat::UnknownStatus");
  BOOST_TEST(bob.put("/activities/" + node + "/status/completed").status == 404);

  // Illegal transition: 409 with the statuses; a repeated report is a 200.
  BOOST_TEST(alice.put("/activities/" + node + "/status/completed").status == 200);
  BOOST_TEST(alice.put("/activities/" + node + "/status/completed").status == 200);
  auto illegal = alice.put("/activities/" + node + "/status/resolved");
  BOOST_TEST(illegal.status == 409);
  BOOST_TEST(illegal.json()["currentStatus"] == "complete");
  BOOST_TEST(illegal.json()["attemptedStatus"] == "resolved");
  BOOST_TEST(alice.post("/activities/" + node + "/decisions", {{"decisions", Json::array()}}).status ==
             409);

  // Oversized bodies are refused before they are read whole.
  BOOST_TEST(alice.send("POST", "/workflows", std::string(2 << 20, 'x')).status == 413);
}

BOOST_AUTO_TEST_CASE(users_and_workflow_lookup) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice");
  auto one = server.admin("GET", "/users/" + alice.id());
  BOOST_REQUIRE_EQUAL(one.status, 200);
  BOOST_TEST(one.json() == Json({{"id", alice.id()}, {"name", "alice"}}));
  BOOST_TEST(server.admin("GET", "/users/00000000-0000-4000-8000-000000000000").status == 404);
  BOOST_TEST(server.admin("GET", "/users/nope").status == 400);
  BOOST_TEST(server.admin("POST", "/users", {{"name", "alice"}, {"activity_endpoint", "http://x/a"}})
                 .status == 409);
  BOOST_TEST(server.admin("POST", "/users", {{"name", "bob"}, {"activity_endpoint", "ftp://x"}})
                 .status == 400);
  BOOST_TEST(server.admin("POST", "/users", {{"name", "eve"}, {"activity_endpoint", "http://x/a"},
                                             {"auth_token", ""}}).status == 400);
  BOOST_TEST(alice.post("/workflows/00000000-0000-4000-8000-000000000000/signal/x", Json::object())
                 .status == 404);
  BOOST_TEST(alice.put("/workflows/00000000-0000-4000-8000-000000000000/pause").status == 404);
  BOOST_TEST(server.admin("GET", "/users").json()[0]["name"] == "alice");

  // The Ruby client creates with the subject as JSON text and looks it up the same way.
  const std::string subject_text = R"({"orderId":5})";
  auto created = alice.post("/workflows", {{"name", "wf"}, {"subject", subject_text}, {"decider", "D"}});
  BOOST_REQUIRE_EQUAL(created.status, 201);
  const std::string q = "/workflows?name=wf&decider=D&subject=%7B%22orderId%22%3A5%7D";
  auto found = alice.get(q);
  BOOST_REQUIRE_MESSAGE(found.status == 200, found.body);
  BOOST_TEST(found.json()["id"] == created.json()["id"]);
  BOOST_TEST(alice.get("/workflows?name=wf&decider=Other&subject=%7B%22orderId%22%3A5%7D").status == 404);
  // A structured subject is found by its JSON text too (the original never matched,
  // docs/contract.md §19).
  auto structured = alice.post("/workflows", {{"workflowType", "wf2"}, {"subject", {{"orderId", 6}}},
                                              {"decider", "D"}});
  BOOST_REQUIRE_EQUAL(structured.status, 201);
  auto by_text = alice.get("/v2/workflows?workflowType=wf2&decider=D&subject=%7B%22orderId%22%3A6%7D");
  BOOST_REQUIRE_MESSAGE(by_text.status == 200, by_text.body);
  BOOST_TEST(by_text.json()["id"] == structured.json()["id"]);
  BOOST_TEST(alice.get("/workflows?name=wf").status == 400);
}

BOOST_AUTO_TEST_CASE(overload_is_a_503_with_retry_after) {
  BackbeatServer server;
  server.set_config("[http]\nmax_in_flight = 0\n");
  server.start();
  ClientService client(server, "shed");  // users are not workflow commands
  auto shed = client.post("/workflows", {{"name", "wf"}, {"subject", "s"}, {"decider", "d"}});
  BOOST_TEST(shed.status == 503);
  BOOST_TEST(shed.header("Retry-After") == "1");
  BOOST_TEST(shed.json()["errorClass"] == "Backbeat::Overloaded");
  BOOST_TEST(client.get("/workflows/search").status == 200);  // reads still served
  BOOST_TEST(server.request("GET", "/metrics").body.find("backbeat_commands_shed_total 1") !=
             std::string::npos);
}

BOOST_AUTO_TEST_CASE(callback_failures_become_client_errors) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "flaky");
  client.endpoint().set_handler([](const backbeat::net::HttpRequest&) {
    backbeat::net::HttpResponse r;
    r.status = 500;
    r.body = "{}";
    return r;
  });
  const std::string wf = client.workflow("wf", "s");
  auto signal = client.post("/workflows/" + wf + "/signal/go", {{"retry", 0}});
  BOOST_REQUIRE_EQUAL(signal.status, 201);
  const std::string node = signal.json()["id"];
  client.next_callback("/decision");
  Json note = client.next_callback("/notification");
  BOOST_TEST(note["activity"]["id"] == node);
  BOOST_TEST(note["error"]["message"] == "HTTP request for decision failed");
  auto r = client.get("/activities/" + node);
  BOOST_TEST(r.json()["currentServerStatus"] == "retries_exhausted");
}

BOOST_AUTO_TEST_SUITE_END()
