// In-engine activity actors through the real binary (docs/activity-actors.md):
// a node whose decision names an activity_type runs inside the server, never
// reaches the client's endpoint, and keeps every rule of a client node:
// retries, complete_by, pause/resume, restart, notifications, and a re-run
// after a crash. The test.* types misbehave on purpose ([activities] test_kit).
#include <atomic>
#include <boost/test/unit_test.hpp>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;
using namespace std::chrono_literals;
using backbeat::net::HttpRequest;
using backbeat::net::HttpResponse;

namespace {

constexpr const char* kTestKit = "[activities]\ntest_kit = true\n";
constexpr const char* kDeadlineText = "Client did not respond within the specified 'complete_by' time";

using Clock = std::chrono::steady_clock;

int64_t ms_since(Clock::time_point start) {
  return std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start).count();
}

// An unlabelled metric's value; -1 when /metrics does not have it.
double metric(const BackbeatServer& server, const std::string& name) {
  const std::string text = "\n" + server.request("GET", "/metrics").body;
  const std::string key = "\n" + name + " ";
  const size_t at = text.find(key);
  return at == std::string::npos ? -1 : std::stod(text.substr(at + key.size()));
}

Json read(const ClientService& c, const std::string& node, const std::string& what) {
  auto r = c.get("/activities/" + node + "/" + what);
  BOOST_REQUIRE_MESSAGE(r.status == 200, what + ": " + r.body);
  return r.json();
}

// The messages of a node's recorded errors, oldest first.
std::vector<std::string> error_messages(const ClientService& c, const std::string& node) {
  std::vector<std::string> out;
  for (const Json& e : read(c, node, "errors")) {
    const Json& error = e["response"]["error"];
    out.push_back(error.is_object() ? error.value("message", error.dump()) : error.dump());
  }
  return out;
}

bool has_client_change(const ClientService& c, const std::string& node, const std::string& to) {
  for (const Json& sc : read(c, node, "status_changes"))
    if (sc["statusType"] == "current_client_status" && sc["toStatus"] == to) return true;
  return false;
}

size_t requests_at(const FakeEndpoint& endpoint, const std::string& path) {
  size_t n = 0;
  for (const auto& r : endpoint.received())
    if (r.path() == path) ++n;
  return n;
}

// Whether any request the endpoint received mentions `id`.
bool heard_of(const FakeEndpoint& endpoint, const std::string& id) {
  for (const auto& r : endpoint.received())
    if (r.body.find(id) != std::string::npos) return true;
  return false;
}

// A fresh workflow whose decision adds `elements` and completes, which
// releases them.
struct Flow {
  std::string wf;
  std::string decision;
  std::vector<std::string> nodes;
};

Flow start_flow(ClientService& c, const std::string& subject, const Json& elements) {
  Flow f;
  f.wf = c.workflow("activities", subject);
  f.decision = c.decide(f.wf);
  f.nodes = c.add_decisions(f.decision, elements);
  report(c, f.decision, "completed");
  return f;
}

// The allow-list entry naming an endpoint's loopback address.
std::string loopback_prefix(const FakeEndpoint& endpoint) {
  return "http://127.0.0.1:" + std::to_string(endpoint.port());
}

HttpResponse json_response(int status, const std::string& body) {
  return HttpResponse{status, "application/json", body, {}};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(activity_actors)

BOOST_AUTO_TEST_CASE(sum_amounts_and_transform_complete_in_the_engine_never_at_the_client) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "builtins");
  const Flow f = start_flow(client, "invoice-7", Json::parse(R"([
    {"name": "total", "activity_type": "sum_amounts",
     "client_data": {"amounts": [1250, 399, -100]}},
    {"name": "reshape",
     "options": {"activity_type": "transform",
                 "client_data": {"input": {"invoice": {"id": "INV-7", "lines": [10, 20]}},
                                 "output": {"ref": "/invoice/id", "second": "/invoice/lines/1",
                                            "kept": 3, "list": ["/invoice/id"]}}}},
    {"name": "by hand"}
  ])"));
  const std::string total = f.nodes.at(0), reshape = f.nodes.at(1), by_hand = f.nodes.at(2);

  // Blocking siblings: the client node is sent only once both engine nodes are done.
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == by_hand);
  BOOST_TEST(client.wait_status(total, "complete/complete"), client.status(total));
  BOOST_TEST(client.wait_status(reshape, "complete/complete"), client.status(reshape));
  BOOST_TEST(read(client, total, "response") == Json::parse(R"({"total_cents": 1549, "count": 3})"));
  BOOST_TEST(read(client, reshape, "response") ==
             Json::parse(R"({"ref": "INV-7", "second": 20, "kept": 3, "list": ["INV-7"]})"));
  BOOST_TEST(read(client, total, "errors").empty());

  BOOST_TEST(client.node(total)["activityType"] == "sum_amounts");
  BOOST_TEST(client.node(reshape)["activityType"] == "transform");
  BOOST_TEST(!client.node(by_hand).contains("activityType"));
  BOOST_TEST(!client.node(f.decision).contains("activityType"));
  BOOST_TEST(!heard_of(client.endpoint(), total));
  BOOST_TEST(!heard_of(client.endpoint(), reshape));
  BOOST_TEST(requests_at(client.endpoint(), "/activity") == 1u);

  report(client, by_hand, "completed");
  BOOST_TEST(client.wait_status(f.decision, "complete"));

  // A signal is the decider's: naming an activity actor on one is refused.
  auto signal = client.post("/workflows/" + f.wf + "/signal/tally",
                            {{"activity_type", "sum_amounts"}, {"client_data", {{"amounts", {1, 2, 3}}}}});
  BOOST_TEST(signal.status == 400);
  BOOST_TEST(signal.body.find("activity_type is only for activity nodes, not type decision") !=
                 std::string::npos,
             signal.body);

  BOOST_TEST(metric(server, "backbeat_activities_started_total") == 2);
  BOOST_TEST(metric(server, "backbeat_activities_completed_total") == 2);
  BOOST_TEST(metric(server, "backbeat_activities_running") == 0);
}

BOOST_AUTO_TEST_CASE(http_calls_the_target_and_follows_the_retry_policy_on_errors) {
  FakeEndpoint target;
  BackbeatServer server;
  // The target is on loopback: only an entry naming its address lets it be called.
  server.set_config("[activities]\nhttp_allowed_urls = " + loopback_prefix(target) + "\n");
  server.start();
  ClientService client(server, "caller");
  target.set_handler([](const HttpRequest& r) {
    if (r.path() == "/down") return json_response(500, R"({"why": "down"})");
    return json_response(200, R"({"ok": true, "id": 42})");
  });

  const Json echo_data = {{"url", target.url("/echo")}, {"note", "all of it"}};
  const Flow ok = start_flow(client, "ok", Json::array({
      {{"name", "call"}, {"activity_type", "http"},
       {"client_data", {{"url", target.url("/hook")}, {"method", "PUT"},
                        {"headers", {{"X-Trace", "abc-123"}}}, {"body", {{"invoice", 7}}}}}},
      {{"name", "default body"}, {"activity_type", "http"}, {"client_data", echo_data}}}));
  const std::string call = ok.nodes.at(0), echo = ok.nodes.at(1);

  auto hook = target.wait_for([](const HttpRequest& r) { return r.path() == "/hook"; });
  BOOST_REQUIRE_MESSAGE(hook, "no request at the target; server log:\n" + server.log());
  BOOST_TEST(hook->method == "PUT");
  BOOST_TEST(hook->header("X-Trace") == "abc-123");
  BOOST_TEST(Json::parse(hook->body) == Json({{"invoice", 7}}));
  BOOST_TEST(client.wait_status(call, "complete/complete"), client.status(call));
  BOOST_TEST(read(client, call, "response") ==
             Json::parse(R"({"status": 200, "body": {"ok": true, "id": 42}})"));
  BOOST_TEST(has_client_change(client, call, "processing"));

  // No body given: the whole client_data is POSTed.
  auto echoed = target.wait_for([](const HttpRequest& r) { return r.path() == "/echo"; });
  BOOST_REQUIRE(echoed);
  BOOST_TEST(echoed->method == "POST");
  BOOST_TEST(Json::parse(echoed->body) == echo_data);
  BOOST_TEST(client.wait_status(ok.decision, "complete"));

  // A 500: errored, retried once at once, then exhausted with a notification.
  const Flow down = start_flow(client, "down", Json::array({
      {{"name", "down"}, {"activity_type", "http"}, {"retry", 1}, {"retry_interval", 0},
       {"client_data", {{"url", target.url("/down")}}}}}));
  const std::string failing = down.nodes.at(0);
  BOOST_TEST(client.wait_status(failing, "retries_exhausted/errored"), client.status(failing));
  const std::string expected = "POST " + target.url("/down") + " answered 500";
  BOOST_TEST(error_messages(client, failing) == std::vector<std::string>({expected, expected}),
             read(client, failing, "errors").dump());
  const Json last_error = read(client, failing, "errors").back()["response"]["error"];
  BOOST_TEST(last_error["status"] == 500);
  BOOST_TEST(last_error["body"] == Json({{"why", "down"}}));
  BOOST_TEST(requests_at(target, "/down") == 2u);
  const Json note = client.next_callback("/notification");
  BOOST_TEST(note["activity"]["id"] == failing);
  BOOST_TEST(note["notification"]["message"] == "Client Error");
  BOOST_TEST(note.dump().find(expected) != std::string::npos, note.dump());

  BOOST_TEST(requests_at(client.endpoint(), "/activity") == 0u);
  BOOST_TEST(metric(server, "backbeat_activities_started_total") == 4);
  BOOST_TEST(metric(server, "backbeat_activities_errored_total") == 2);
}

// Issue 13, finding 4: by default the http type may call nothing, a URL
// outside the allow-list is a 400 naming it when the decision arrives, and
// "*" never reaches a loopback address (checked on the connection, so a
// name resolving there counts too).
BOOST_AUTO_TEST_CASE(http_refuses_urls_outside_http_allowed_urls_without_calling_them) {
  FakeEndpoint target;
  const std::string port = std::to_string(target.port());
  for (const char* config : {"", "[activities]\nhttp_allowed_urls = http://10.0.0.1/\n"}) {
    BOOST_TEST_CONTEXT(config) {
      BackbeatServer server;
      server.set_config(config);
      server.start();
      ClientService client(server, "fenced");
      const std::string wf = client.workflow("activities", "fenced");
      const std::string decision = client.decide(wf);
      for (const std::string& url : {target.url("/hook"), std::string("file:///etc/passwd")}) {
        auto r = client.post("/activities/" + decision + "/decisions",
                             {{"decisions", Json::array({{{"name", "elsewhere"},
                                                          {"activity_type", "http"},
                                                          {"client_data", {{"url", url}}}}})}});
        BOOST_TEST(r.status == 400, r.body);
        BOOST_TEST(r.body.find("client_data.url " + url) != std::string::npos, r.body);
        BOOST_TEST(r.body.find("http_allowed_urls") != std::string::npos, r.body);
      }
      BOOST_TEST(client.get("/workflows/" + wf + "/nodes").json().size() == 1u);
    }
  }
  BackbeatServer server;
  server.set_config("[activities]\nhttp_allowed_urls = *\n");
  server.start();
  ClientService client(server, "starred");
  const Flow f = start_flow(client, "starred", Json::array({
      {{"name", "loopback"}, {"activity_type", "http"}, {"retry", 0}, {"mode", "non_blocking"},
       {"client_data", {{"url", target.url("/hook")}}}},
      {{"name", "by name"}, {"activity_type", "http"}, {"retry", 0}, {"mode", "non_blocking"},
       {"client_data", {{"url", "http://localhost:" + port + "/hook"}}}}}));
  for (const std::string& node : f.nodes) {
    BOOST_TEST(client.wait_status(node, "retries_exhausted/errored"), client.status(node));
    const auto messages = error_messages(client, node);
    BOOST_REQUIRE_EQUAL(messages.size(), 1u);
    BOOST_TEST(messages[0].find("refused to call internal address") != std::string::npos,
               messages[0]);
  }
  BOOST_TEST(target.received().empty());
}

BOOST_AUTO_TEST_CASE(sleep_completes_after_its_seconds) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "sleeper");
  const auto posted = Clock::now();
  const Flow f = start_flow(client, "nap", Json::array({
      {{"name", "nap"}, {"activity_type", "sleep"}, {"client_data", {{"seconds", 0.5}}}},
      {{"name", "bad nap"}, {"activity_type", "sleep"}, {"retry", 0},
       {"client_data", {{"seconds", "soon"}}}}}));
  const std::string nap = f.nodes.at(0), bad = f.nodes.at(1);
  BOOST_TEST(client.wait_status(nap, "complete/complete"), client.status(nap));
  BOOST_TEST(ms_since(posted) >= 500);
  BOOST_TEST(read(client, nap, "response") == Json({{"slept_ms", 500}}));
  // Bad client_data is the run's error, not the POST's: the server reads only timeout.
  BOOST_TEST(client.wait_status(bad, "retries_exhausted/errored"), client.status(bad));
  BOOST_TEST(error_messages(client, bad) ==
                 std::vector<std::string>({"client_data.seconds must be a number of seconds, 0 to 604800"}),
             read(client, bad, "errors").dump());
}

BOOST_AUTO_TEST_CASE(bad_activity_types_are_a_400_and_create_nothing) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "careless");
  const std::string wf = client.workflow("activities", "careless");
  const std::string decision = client.decide(wf);
  auto post = [&](const Json& elements) {
    return client.post("/activities/" + decision + "/decisions", {{"decisions", elements}});
  };
  auto refused = [&](const backbeat::test::TestResponse& r, const std::string& words) {
    BOOST_TEST(r.status == 400, r.body);
    BOOST_TEST(r.body.find(words) != std::string::npos, r.body);
  };

  // A known type beside an unknown one: the whole POST is refused.
  auto unknown = post(Json::array({{{"name", "a"}, {"activity_type", "sum_amounts"}},
                                   {{"name", "b"}, {"activity_type", "no_such_type"}}}));
  refused(unknown, "decisions[1]: unknown activity_type 'no_such_type'");
  for (const char* known : {"http", "sleep", "sum_amounts", "transform"})
    BOOST_TEST(unknown.body.find(known) != std::string::npos, unknown.body);
  BOOST_TEST(unknown.body.find("test.") == std::string::npos, unknown.body);  // no test kit here
  BOOST_TEST(unknown.json().is_object());

  for (const char* type : {"decision", "flag"})
    refused(post(Json::array({{{"name", "d"}, {"type", type}, {"activity_type", "sum_amounts"}}})),
            std::string("not type ") + type);
  refused(post(Json::array({{{"name", "n"}, {"activity_type", "Bad Name!"}}})),
          "activity_type must be 1-64 characters");
  refused(post(Json::array({{{"name", "n"}, {"activity_type", std::string(65, 'a')}}})),
          "activity_type must be 1-64 characters");
  refused(post(Json::array({{{"name", "n"}, {"activity_type", ""}}})),
          "activity_type must be 1-64 characters");
  BOOST_TEST(post(Json::array({{{"name", "n"}, {"activity_type", 42}}})).status == 400);
  BOOST_TEST(post(Json::array({{{"name", "n"}, {"options", {{"activity_type", {"http"}}}}}})).status == 400);

  refused(client.post("/workflows/" + wf + "/signal/x", {{"activity_type", "no_such_type"}}),
          "unknown activity_type 'no_such_type'");
  refused(client.post("/workflows/" + wf + "/signal/x", {{"activity_type", "Bad Name!"}}),
          "activity_type must be 1-64 characters");

  BOOST_TEST(client.get("/workflows/" + wf + "/nodes").json().size() == 1u);  // the decision only
  BOOST_TEST(client.status(decision) == "sent_to_client/received");

  // The decision is none the worse: a good element is taken and runs.
  const auto good = client.add_decisions(decision, Json::array({{{"name", "sum"},
      {"activity_type", "sum_amounts"}, {"client_data", {{"amounts", {1, 2}}}}}}));
  report(client, decision, "completed");
  BOOST_TEST(client.wait_status(good.at(0), "complete/complete"));
  BOOST_TEST(client.wait_status(decision, "complete"));
}

BOOST_AUTO_TEST_CASE(crashing_actors_are_node_errors_and_the_workflow_carries_on) {
  BackbeatServer server;
  server.set_config(kTestKit);
  server.start();
  ClientService client(server, "crashes");
  // fire_and_forget: the decision (and so the workflow's next signal) does
  // not wait for them; the blocking sibling runs meanwhile.
  const Flow f = start_flow(client, "crashes", Json::array({
      {{"name", "thrower"}, {"activity_type", "test.throw"}, {"mode", "fire_and_forget"},
       {"retry", 1}, {"retry_interval", 0}},
      {{"name", "quitter"}, {"activity_type", "test.exit"}, {"mode", "fire_and_forget"},
       {"retry", 1}, {"retry_interval", 0}},
      {{"name", "sibling"}, {"activity_type", "sum_amounts"},
       {"client_data", {{"amounts", {5, 6}}}}}}));
  const std::string thrower = f.nodes.at(0), quitter = f.nodes.at(1), sibling = f.nodes.at(2);

  BOOST_TEST(client.wait_status(thrower, "retries_exhausted/errored"), client.status(thrower));
  BOOST_TEST(error_messages(client, thrower) ==
                 std::vector<std::string>(
                     {"activity actor test.throw threw: test.throw was asked to fail on attempt 1",
                      "activity actor test.throw threw: test.throw was asked to fail on attempt 2"}),
             read(client, thrower, "errors").dump());
  BOOST_TEST(client.wait_status(quitter, "retries_exhausted/errored"), client.status(quitter));
  const auto quit_messages = error_messages(client, quitter);
  BOOST_TEST(quit_messages.size() == 2u, read(client, quitter, "errors").dump());
  for (const std::string& m : quit_messages)
    BOOST_TEST((m.find("activity actor test.exit") == 0u && m.find("test.exit quit") != std::string::npos), m);
  BOOST_TEST(client.wait_status(sibling, "complete/complete"));
  BOOST_TEST(client.wait_status(f.decision, "complete"));
  BOOST_TEST(eventually([&] { return requests_at(client.endpoint(), "/notification") == 2; }, 15s));

  // The workflow's actor never noticed: the next signal is decided and runs.
  const std::string next = client.decide(f.wf);
  const auto after = client.add_decisions(next, Json::array({{{"name", "after"},
      {"activity_type", "sum_amounts"}, {"client_data", {{"amounts", {7}}}}}}));
  report(client, next, "completed");
  BOOST_TEST(client.wait_status(after.at(0), "complete/complete"));
  BOOST_TEST(read(client, after.at(0), "response") == Json::parse(R"({"total_cents": 7, "count": 1})"));

  BOOST_TEST(metric(server, "backbeat_activities_crashed_total") == 4);
  BOOST_TEST(metric(server, "backbeat_activities_errored_total") == 4);
  BOOST_TEST(metric(server, "backbeat_activities_running") == 0);
}

BOOST_AUTO_TEST_CASE(a_run_past_complete_by_is_stopped_and_the_node_times_out) {
  BackbeatServer server;
  server.set_config(kTestKit);
  server.start();
  ClientService client(server, "slow");
  const auto posted = Clock::now();
  std::vector<std::string> nodes;
  for (const char* type : {"sleep", "test.hang"}) {
    const Flow f = start_flow(client, type, Json::array({{{"name", "slow"}, {"activity_type", type},
        {"retry", 0}, {"client_data", {{"seconds", 30}, {"timeout", 1}}}}}));
    nodes.push_back(f.nodes.at(0));
  }
  for (const std::string& node : nodes) {
    BOOST_TEST(client.wait_status(node, "retries_exhausted/errored"), client.status(node));
    BOOST_TEST(read(client, node, "errors").at(0)["response"]["error"] == kDeadlineText);
  }
  BOOST_TEST(ms_since(posted) < 10000);  // the deadline, not the 30 s sleep
  BOOST_TEST(eventually([&] { return metric(server, "backbeat_activities_timed_out_total") == 2; }, 15s),
             server.request("GET", "/metrics").body);
  BOOST_TEST(eventually([&] { return metric(server, "backbeat_activities_running") == 0; }, 15s));
  BOOST_TEST(metric(server, "backbeat_activities_completed_total") == 0);
}

BOOST_AUTO_TEST_CASE(a_run_cut_by_a_server_crash_runs_again_after_the_restart) {
  FakeEndpoint target;
  BackbeatServer server;
  server.set_config("[activities]\nhttp_allowed_urls = " + loopback_prefix(target) + "\n");
  server.start();
  ClientService client(server, "crashed");
  std::atomic<int> calls{0};
  target.set_handler([&](const HttpRequest&) {
    return ++calls == 1 ? json_response(503, "{}") : json_response(200, R"({"paid": true})");
  });

  const auto posted = Clock::now();
  const Flow f = start_flow(client, "crash", Json::array({
      {{"name", "nap"}, {"activity_type", "sleep"}, {"client_data", {{"seconds", 3}}}}}));
  const std::string nap = f.nodes.at(0);
  BOOST_TEST(client.wait_status(nap, "sent_to_client/received"));
  BOOST_TEST(eventually([&] { return metric(server, "backbeat_activities_running") == 1; }, 15s));
  server.kill(SIGKILL);
  server.start();

  BOOST_TEST(client.wait_status(nap, "complete/complete"), client.status(nap));
  BOOST_TEST(ms_since(posted) >= 3000);  // slept again, not lost
  BOOST_TEST(read(client, nap, "response") == Json({{"slept_ms", 3000}}));
  BOOST_TEST(read(client, nap, "errors").empty());
  BOOST_TEST(metric(server, "backbeat_activities_started_total") == 1);  // the new process's run
  BOOST_TEST(client.wait_status(f.decision, "complete"));

  // A node waiting for its retry when the server dies is retried after it.
  const Flow g = start_flow(client, "retry", Json::array({
      {{"name", "flaky"}, {"activity_type", "http"}, {"retry", 1}, {"retry_interval", 2},
       {"client_data", {{"url", target.url("/pay")}, {"body", {{"n", 1}}}}}}}));
  const std::string flaky = g.nodes.at(0);
  BOOST_TEST(client.wait_status(flaky, "retrying"), client.status(flaky));
  server.kill(SIGKILL);
  server.start();
  BOOST_TEST(client.wait_status(flaky, "complete/complete"), client.status(flaky));
  BOOST_TEST(calls == 2);
  BOOST_TEST(read(client, flaky, "response") == Json::parse(R"({"status": 200, "body": {"paid": true}})"));
  BOOST_TEST(error_messages(client, flaky) ==
             std::vector<std::string>({"POST " + target.url("/pay") + " answered 503"}));
}

BOOST_AUTO_TEST_CASE(a_paused_workflow_parks_activity_nodes_until_resumed) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "pauser");
  const std::string wf = client.workflow("activities", "paused");
  const std::string decision = client.decide(wf);
  const auto nodes = client.add_decisions(decision, Json::array({{{"name", "sum"},
      {"activity_type", "sum_amounts"}, {"client_data", {{"amounts", {40, 2}}}}}}));
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/pause").status, 200);
  report(client, decision, "completed");

  BOOST_TEST(client.wait_status(nodes.at(0), "paused"), client.status(nodes.at(0)));
  BOOST_TEST(metric(server, "backbeat_activities_started_total") == 0);
  BOOST_TEST(!has_client_change(client, nodes.at(0), "received"));  // never handed out

  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/resume").status, 200);
  BOOST_TEST(client.wait_status(nodes.at(0), "complete/complete"), client.status(nodes.at(0)));
  BOOST_TEST(read(client, nodes.at(0), "response") == Json::parse(R"({"total_cents": 42, "count": 2})"));
  BOOST_TEST(metric(server, "backbeat_activities_started_total") == 1);
  BOOST_TEST(client.wait_status(decision, "complete"));
}

BOOST_AUTO_TEST_CASE(restart_starts_a_new_run_and_stops_the_old_one) {
  BackbeatServer server;
  server.set_config(kTestKit);
  server.start();
  ClientService client(server, "restarter");
  const Flow f = start_flow(client, "hang", Json::array({
      {{"name", "hang"}, {"activity_type", "test.hang"}, {"retry", 0}}}));
  const std::string hang = f.nodes.at(0);
  BOOST_TEST(client.wait_status(hang, "sent_to_client/received"));
  BOOST_TEST(eventually([&] { return metric(server, "backbeat_activities_running") == 1; }, 15s));

  // As for a client node: no restart while the run is out ...
  BOOST_TEST(client.put("/activities/" + hang + "/restart").status == 409);
  // ... but once an operator gives up on it. The runner hears only of new
  // attempts, so the first run is still going.
  report(client, hang, "errored");
  BOOST_TEST(client.status(hang) == "retries_exhausted/errored");
  BOOST_TEST(metric(server, "backbeat_activities_running") == 1);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + hang + "/restart").status, 200);

  BOOST_TEST(client.wait_status(hang, "sent_to_client/received"), client.status(hang));
  BOOST_TEST(eventually([&] { return metric(server, "backbeat_activities_started_total") == 2; }, 15s));
  BOOST_TEST(metric(server, "backbeat_activities_running") == 1);  // the first run was stopped
  size_t sends = 0;
  for (const Json& sc : read(client, hang, "status_changes"))
    if (sc["toStatus"] == "sent_to_client") ++sends;
  BOOST_TEST(sends == 2u);
}

BOOST_AUTO_TEST_SUITE_END()
