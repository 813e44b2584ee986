// Client endpoints that refuse connections, hang, crawl or answer 500 only
// affect their own nodes: those follow the retry policy (timeout or error ->
// retrying -> retries_exhausted + notification), a hanging endpoint holds at
// most callbacks.per_endpoint_concurrency connections, and a healthy
// client's workflows complete all the while. Callbacks run on the curl-multi
// thread, so no engine thread ever waits on a client.
#include <boost/test/unit_test.hpp>
#include <set>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;
using namespace std::chrono_literals;

namespace {

// One whole workflow of a well-behaved client: signal, decision, one
// activity, both completed, the decision complete.
void complete_one_workflow(ClientService& c, const std::string& subject) {
  const std::string wf = c.workflow("healthy", subject);
  const std::string decision = c.decide(wf);
  report(c, decision, "processing");
  const auto activities = c.add_decisions(decision, Json::array({{{"name", "work"}}}));
  report(c, decision, "completed");
  Json callback = c.next_callback("/activity");
  BOOST_REQUIRE_EQUAL(callback["activity"]["id"].get<std::string>(), activities.at(0));
  report(c, activities[0], "processing");
  report(c, activities[0], "completed");
  BOOST_TEST(c.wait_status(decision, "complete"));
}

size_t requests_at(FakeEndpoint& endpoint, const std::string& path) {
  size_t n = 0;
  for (const auto& r : endpoint.received())
    if (r.path() == path) ++n;
  return n;
}

bool metric_is(const BackbeatServer& server, const std::string& line) {
  return server.request("GET", "/metrics").body.find(line + "\n") != std::string::npos;
}

std::string signal_once(ClientService& c, const std::string& wf) {
  auto r = c.post("/workflows/" + wf + "/signal/go", {{"retry", 1}, {"retryInterval", 0}});
  BOOST_REQUIRE_MESSAGE(r.status == 201, "signal: " + r.body);
  return r.json().at("id").get<std::string>();
}

}  // namespace

BOOST_AUTO_TEST_SUITE(endpoint_failures)

BOOST_AUTO_TEST_CASE(a_hanging_endpoint_holds_only_its_slots_and_its_backlog_waits_on_disk) {
  BackbeatServer server;
  server.set_config(
      "[callbacks]\n"
      "timeout_ms = 60000\n"  // the test lets go of the endpoint itself
      "per_endpoint_concurrency = 4\n"
      "max_queued_per_endpoint = 8\n"
      "rescan_s = 1\n");
  server.start();
  ClientService stuck(server, "stuck");
  ClientService healthy(server, "healthy");

  const std::string wf = stuck.workflow("fan", "out");
  const std::string decision = stuck.decide(wf);
  report(stuck, decision, "processing");
  Json twenty = Json::array();
  for (int i = 0; i < 20; ++i)
    twenty.push_back({{"name", "a" + std::to_string(i)}, {"mode", "non_blocking"}});
  const auto activities = stuck.add_decisions(decision, twenty);

  // Completing the decision releases 20 callbacks in one step: 4 go out and
  // hang, 8 wait in the endpoint's queue, 8 find it full and stay on disk.
  stuck.endpoint().hang(true);
  report(stuck, decision, "completed");
  BOOST_REQUIRE(eventually([&] { return stuck.endpoint().in_progress() == 4; }));
  BOOST_TEST(eventually([&] { return metric_is(server, "backbeat_callbacks_deferred_total 8"); }),
             server.request("GET", "/metrics").body);
  BOOST_TEST(metric_is(server, "backbeat_callbacks_queued 8"));

  // New work for the stuck client waits with the client: 503 + Retry-After.
  const std::string other = stuck.workflow("other", "x");  // creating adds no callback
  auto refused = stuck.post("/workflows/" + other + "/signal/go", Json::object());
  BOOST_TEST(refused.status == 503);
  BOOST_TEST(refused.header("Retry-After") == "1");
  BOOST_TEST(refused.json()["errorClass"] == "Backbeat::CallbackBacklog");
  BOOST_TEST(metric_is(server, "backbeat_new_work_shed_total 1"));

  // Another client is served as usual.
  complete_one_workflow(healthy, "h1");
  complete_one_workflow(healthy, "h2");
  BOOST_TEST(stuck.endpoint().in_progress() == 4u);
  BOOST_TEST(stuck.endpoint().max_in_progress() == 4u);

  // Let go: every activity arrives, the 8 left on disk included, and never
  // more than 4 at once.
  stuck.endpoint().hang(false);
  std::set<std::string> delivered;
  BOOST_TEST(eventually([&] {
    for (const auto& r : stuck.endpoint().received())
      if (r.path() == "/activity") delivered.insert(Json::parse(r.body)["activity"]["id"].get<std::string>());
    return delivered.size() == 20;
  }), "delivered " + std::to_string(delivered.size()) + " of 20\n" + server.log());
  BOOST_TEST(delivered == std::set<std::string>(activities.begin(), activities.end()));
  BOOST_TEST(stuck.endpoint().max_in_progress() == 4u);
  for (const std::string& a : activities) BOOST_TEST(stuck.status(a) == "sent_to_client/received");

  // Drained: new work is welcome again.
  BOOST_TEST(eventually([&] {
    return stuck.post("/workflows/" + other + "/signal/go", Json::object()).status == 201;
  }));
}

BOOST_AUTO_TEST_CASE(each_failure_follows_the_retry_policy_while_a_healthy_client_completes) {
  BackbeatServer server;
  server.set_config(
      "[callbacks]\n"
      "connect_timeout_ms = 1000\n"
      "timeout_ms = 1000\n"
      "per_endpoint_concurrency = 4\n");
  server.start();
  ClientService refusing(server, "refusing", "http://127.0.0.1:" + std::to_string(closed_port()));
  ClientService hanging(server, "hanging");
  ClientService failing(server, "failing");
  ClientService slow(server, "slow");
  ClientService healthy(server, "healthy");
  hanging.endpoint().hang(true);
  failing.endpoint().set_handler([](const backbeat::net::HttpRequest&) {
    return backbeat::net::HttpResponse{500, "application/json", "{}", {}};
  });
  slow.endpoint().set_before_response(
      [](const backbeat::net::HttpRequest&) { std::this_thread::sleep_for(300ms); });

  // One retry, at once: two attempts each, then exhausted.
  const std::string refused_node = signal_once(refusing, refusing.workflow("wf", "r"));
  const std::string hung_node = signal_once(hanging, hanging.workflow("wf", "h"));
  const std::string failed_node = signal_once(failing, failing.workflow("wf", "f"));
  std::vector<std::string> slow_nodes;
  for (int i = 0; i < 8; ++i)
    slow_nodes.push_back(signal_once(slow, slow.workflow("wf", "s" + std::to_string(i))));

  for (int i = 0; i < 3; ++i) complete_one_workflow(healthy, "h" + std::to_string(i));

  const std::vector<std::pair<const ClientService*, std::string>> bad = {
      {&refusing, refused_node}, {&hanging, hung_node}, {&failing, failed_node}};
  // Not a structured binding: clang 14 (the sanitizer build) cannot capture one.
  for (const auto& entry : bad) {
    const ClientService* client = entry.first;
    const std::string& node = entry.second;
    BOOST_TEST(eventually([&] { return client->status(node) == "retries_exhausted/errored"; }),
               node + " is " + client->status(node));
    auto errors = client->get("/activities/" + node + "/errors");
    BOOST_REQUIRE_EQUAL(errors.status, 200);
    BOOST_TEST(errors.json().size() == 2u, errors.body);
  }
  const std::string refused_errors = refusing.get("/activities/" + refused_node + "/errors").body;
  BOOST_TEST(refused_errors.find("Could not POST") != std::string::npos, refused_errors);
  const std::string hung_errors = hanging.get("/activities/" + hung_node + "/errors").body;
  BOOST_TEST(hung_errors.find("timed out") != std::string::npos, hung_errors);
  const std::string failed_errors = failing.get("/activities/" + failed_node + "/errors").body;
  BOOST_TEST(failed_errors.find("HTTP request for decision failed") != std::string::npos, failed_errors);
  BOOST_TEST(requests_at(hanging.endpoint(), "/decision") == 2u);  // one per attempt
  BOOST_TEST(requests_at(failing.endpoint(), "/decision") == 2u);
  Json note = failing.next_callback("/notification");
  BOOST_TEST(note["notification"]["message"] == "Client Error");

  // Slow but within the timeout: delivered, four at a time.
  BOOST_TEST(eventually([&] { return requests_at(slow.endpoint(), "/decision") == 8; }));
  BOOST_TEST(slow.endpoint().max_in_progress() <= 4u);
  BOOST_TEST(eventually([&] { return slow.endpoint().in_progress() == 0; }));
  for (const std::string& n : slow_nodes) {
    BOOST_TEST(slow.status(n) == "sent_to_client/received");
    BOOST_TEST(slow.get("/activities/" + n + "/errors").json().empty());
  }
  BOOST_TEST(hanging.endpoint().max_in_progress() <= 4u);
  complete_one_workflow(healthy, "after");
}

BOOST_AUTO_TEST_SUITE_END()
