// The whole life of a workflow through the real binary: user -> workflow ->
// signal -> decision callback -> decisions (three activities, mixed modes) ->
// activity callbacks -> completed / errored -> retry -> exhausted ->
// notification -> resolved -> workflow done.
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

namespace {

void complete(const ClientService& c, const std::string& id, const Json& result) {
  BOOST_REQUIRE_EQUAL(c.put("/activities/" + id + "/status/processing").status, 200);
  auto r = c.put("/activities/" + id + "/status/completed", {{"response", {{"result", result}}}});
  BOOST_REQUIRE_MESSAGE(r.status == 200, r.body);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(full_cycle)

BOOST_AUTO_TEST_CASE(signal_decide_activities_retry_exhaust_resolve) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "accounting");

  const std::string wf = client.workflow("invoice", {{"orderId", 42}});
  BOOST_TEST(client.workflow("invoice", {{"orderId", 42}}) == wf);  // find-or-create

  auto signal = client.post("/workflows/" + wf + "/signal/bill", {{"options", {{"client_data", {{"amount", 10}}}}}});
  BOOST_REQUIRE_MESSAGE(signal.status == 201, signal.body);
  const std::string decision_id = signal.json()["id"];
  BOOST_TEST(signal.json()["currentServerStatus"] == "ready");

  Json decision = client.next_callback("/decision");
  BOOST_TEST(decision["decision"]["id"] == decision_id);
  BOOST_TEST(decision["decision"]["currentServerStatus"] == "sent_to_client");
  BOOST_TEST(decision["decision"]["clientData"]["amount"] == 10);
  BOOST_TEST(decision["decision"]["subject"]["order_id"] == 42);

  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision_id + "/status/deciding").status, 200);
  auto added = client.post("/activities/" + decision_id + "/decisions",
                           {{"decisions",
                             {{{"name", "charge"}, {"mode", "non_blocking"}},
                              {{"name", "ledger"}, {"mode", "blocking"}, {"retry", 1},
                               {"retryInterval", 1}},
                              {{"name", "email"}, {"mode", "fire_and_forget"}, {"retry", 0}}}}});
  BOOST_REQUIRE_MESSAGE(added.status == 201, added.body);
  const std::string charge = added.json()[0], ledger = added.json()[1], email = added.json()[2];
  BOOST_TEST(client.status(charge) == "pending/pending");
  complete(client, decision_id, "decided");

  // charge is non_blocking, so ledger (blocking) goes out too; email waits.
  Json first = client.next_callback("/activity");
  Json second = client.next_callback("/activity");
  std::set<std::string> sent = {first["activity"]["id"], second["activity"]["id"]};
  BOOST_TEST((sent == std::set<std::string>{charge, ledger}));
  BOOST_TEST(client.status(email) == "ready/ready");

  complete(client, charge, "charged");
  BOOST_TEST(client.wait_status(charge, "complete/complete"));

  // ledger fails twice: one retry after ~1 s, then exhausted and notified.
  auto err = client.put("/activities/" + ledger + "/status/errored",
                        {{"response", {{"error", {{"errorCode", 7}}}}}});
  BOOST_REQUIRE_EQUAL(err.status, 200);
  BOOST_TEST(client.status(ledger) == "retrying/errored");
  Json retried = client.next_callback("/activity", std::chrono::seconds(15));
  BOOST_TEST(retried["activity"]["id"] == ledger);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + ledger + "/status/errored",
                                 {{"response", {{"error", "disk full"}}}}).status, 200);
  BOOST_TEST(client.status(ledger) == "retries_exhausted/errored");
  Json note = client.next_callback("/notification");
  BOOST_TEST(note["activity"]["id"] == ledger);
  BOOST_TEST(note["notification"]["message"] == "Client Error");
  BOOST_TEST(note["notification"]["name"] == "ledger");
  BOOST_TEST(note["error"]["message"] == "disk full");

  auto errors = client.get("/activities/" + ledger + "/errors");
  BOOST_REQUIRE_EQUAL(errors.status, 200);
  BOOST_TEST(errors.json().size() == 2u);
  BOOST_TEST(client.get("/activities/" + ledger + "/response").json()["error"] == "disk full");

  // resolved lets the blocked walk go on: email (fire and forget) is sent.
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + ledger + "/status/resolved").status, 200);
  BOOST_TEST(client.wait_status(ledger, "complete/resolved"));
  Json last = client.next_callback("/activity");
  std::string seen;
  for (auto& r : client.endpoint().received()) {
    auto j = Json::parse(r.body);
    Json n = j.contains("activity") ? j["activity"] : j["decision"];
    seen += std::string(r.path()) + " " + n["name"].get<std::string>() + " " + n["currentServerStatus"].get<std::string>() + "\n";
  }
  BOOST_TEST(last["activity"]["id"] == email, seen + server.log());
  BOOST_TEST(client.wait_status(decision_id, "complete/complete"));
  complete(client, email, "sent");
  BOOST_TEST(client.wait_status(email, "complete/complete"));

  auto history = client.get("/activities/" + charge + "/status_changes");
  std::vector<std::string> server_track;
  for (const Json& sc : history.json())
    if (sc["statusType"] == "current_server_status")
      server_track.push_back(sc["fromStatus"].get<std::string>() + ">" + sc["toStatus"].get<std::string>());
  BOOST_TEST((server_track == std::vector<std::string>{"pending>ready", "ready>started",
                                                       "started>sent_to_client",
                                                       "sent_to_client>processing_children",
                                                       "processing_children>complete"}));
}

BOOST_AUTO_TEST_SUITE_END()
