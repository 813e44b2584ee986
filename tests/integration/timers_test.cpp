// Durable timers through the real binary: a node's fires_at holds it back, and
// a client that never answers errors out at its complete_by deadline.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <ctime>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;
using std::chrono::milliseconds;

namespace {

std::string iso_in(milliseconds delta) {
  auto t = std::chrono::system_clock::now() + delta;
  std::time_t secs = std::chrono::system_clock::to_time_t(t);
  auto ms = std::chrono::duration_cast<milliseconds>(t.time_since_epoch()).count() % 1000;
  char buf[64];
  std::tm tm{};
  gmtime_r(&secs, &tm);
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
  return std::string(buf) + "." + std::to_string(1000 + ms).substr(1) + "Z";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(timers)

BOOST_AUTO_TEST_CASE(deadline_errors_an_unanswered_node_then_notifies) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "silent");
  const std::string wf = client.workflow("wf", "deadline");
  auto signal = client.post("/workflows/" + wf + "/signal/go",
                            {{"retry", 0}, {"client_data", {{"timeout", 1}}}});
  BOOST_REQUIRE_EQUAL(signal.status, 201);
  const std::string node = signal.json()["id"];
  client.next_callback("/decision");  // ... and never answered

  Json note = client.next_callback("/notification", std::chrono::seconds(15));
  BOOST_TEST(note["activity"]["id"] == node);
  BOOST_TEST(note["activity"]["currentServerStatus"] == "retries_exhausted");
  BOOST_TEST(note["error"]["message"] ==
             "Client did not respond within the specified 'complete_by' time");
}

BOOST_AUTO_TEST_CASE(fires_at_holds_a_node_until_its_time) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "patient");
  const std::string wf = client.workflow("wf", "timer");
  const std::string decision = client.decide(wf);
  const std::string later =
      client.add_decisions(decision, {{{"name", "later"}, {"firesAt", iso_in(milliseconds(1500))}}})[0];
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/completed").status, 200);

  auto waiting = client.get("/activities/" + later).json();
  BOOST_TEST(waiting["currentServerStatus"] == "started");
  BOOST_TEST(waiting["currentClientStatus"] == "ready");
  Json sent = client.next_callback("/activity", std::chrono::seconds(15));
  BOOST_TEST(sent["activity"]["id"] == later);
}

BOOST_AUTO_TEST_CASE(pause_holds_a_due_timer_and_resume_sends_it) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "pausing");
  const std::string wf = client.workflow("wf", "paused-timer");
  const std::string decision = client.decide(wf);
  const std::string later =
      client.add_decisions(decision, {{{"name", "later"}, {"fires_at", iso_in(milliseconds(800))}}})[0];
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/completed").status, 200);
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/pause").status, 200);

  // The timer fires while paused: the node parks instead of being sent.
  BOOST_TEST(client.wait_status(later, "paused/ready"));
  BOOST_TEST(!client.endpoint().wait_for(
      [](const backbeat::net::HttpRequest& r) { return r.path() == "/activity"; },
      milliseconds(300)));
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/resume").status, 200);
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == later);
}

BOOST_AUTO_TEST_SUITE_END()
