// SIGKILL in the middle of a cycle: what the server acknowledged survives, the
// retry timer set before the crash fires after it, and a callback that was in
// flight is sent again (at least once).
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <future>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;


BOOST_AUTO_TEST_SUITE(crash_recovery)

BOOST_AUTO_TEST_CASE(sigkill_mid_cycle_loses_nothing_acknowledged) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "billing");
  const std::string wf = client.workflow("payout", "subject-1");

  const std::string decision = client.decide(wf);
  const auto added = client.add_decisions(
      decision, {{{"name", "transfer"}, {"retry", 2}, {"retry_interval", 2}}, {{"name", "receipt"}}});
  const std::string transfer = added[0], receipt = added[1];
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + decision + "/status/completed").status, 200);
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == transfer);

  // An acknowledged error arms a durable retry timer (~2 s); then the crash.
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + transfer + "/status/errored",
                                 {{"response", {{"error", "timeout"}}}}).status, 200);
  const size_t changes_before = client.get("/activities/" + transfer + "/status_changes").json().size();
  server.kill(SIGKILL);
  server.start();

  BOOST_TEST(client.node(transfer)["currentServerStatus"] == "retrying");
  BOOST_TEST(client.get("/activities/" + transfer + "/status_changes").json().size() == changes_before);
  // The timer fires after the restart and the node is sent again.
  Json again = client.next_callback("/activity", std::chrono::seconds(20));
  BOOST_TEST(again["activity"]["id"] == transfer);

  // Now crash while a callback is in flight: the endpoint holds the POST.
  std::promise<void> release;
  std::shared_future<void> released = release.get_future().share();
  std::atomic<bool> holding{true};
  client.endpoint().set_before_response([&, released](const backbeat::net::HttpRequest& r) {
    if (holding && r.body.find(receipt) != std::string::npos) released.wait();
  });
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + transfer + "/status/completed").status, 200);
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == receipt);
  server.kill(SIGKILL);
  holding = false;
  release.set_value();
  server.start();

  // At least once: the unanswered callback comes again after the restart.
  BOOST_TEST(client.next_callback("/activity", std::chrono::seconds(20))["activity"]["id"] == receipt);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + receipt + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(receipt, "complete"));
  BOOST_TEST(client.wait_status(decision, "complete"));
  BOOST_TEST(client.node(transfer)["currentClientStatus"] == "complete");
}

BOOST_AUTO_TEST_SUITE_END()
