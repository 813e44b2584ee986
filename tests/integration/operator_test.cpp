// The operator's view: the drain switch behind /heartbeat.txt (it survives a
// restart), the admin acting for a user, and the CLI against a live node.
#include <boost/test/unit_test.hpp>
#include <cstdio>
#include <cstdlib>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

namespace {

// Runs `backbeat ARGS --url <node>` and returns what it printed; exit code in *code.
std::string cli(const BackbeatServer& server, const std::string& args, int* code) {
  const char* binary = std::getenv("BACKBEAT_BINARY");
  BOOST_REQUIRE(binary);
  const std::string command = std::string("BACKBEAT_ADMIN_TOKEN=") + BackbeatServer::kAdminToken +
                              " " + binary + " " + args + " --url http://127.0.0.1:" +
                              std::to_string(server.port()) + " 2>&1";
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  BOOST_REQUIRE(pipe);
  char buf[4096];
  while (size_t n = fread(buf, 1, sizeof buf, pipe)) out.append(buf, n);
  const int status = pclose(pipe);
  *code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(operator_view)

BOOST_AUTO_TEST_CASE(drain_switch_survives_restart) {
  BackbeatServer server;
  server.start();
  BOOST_TEST(server.request("GET", "/heartbeat.txt").status == 200);
  BOOST_TEST(server.request("GET", "/heartbeat.txt").body == "We have a pulse.");
  BOOST_TEST(server.request("POST", "/heartbeat.txt").status == 200);  // any method, as Rack's
  BOOST_TEST(server.request("PUT", "/health").json()["status"] == "OK");
  BOOST_TEST(server.request("GET", "/health").header("X-backbeat-tid").size() == 7u);
  BOOST_TEST(server.admin("PUT", "/admin/drain", {{"draining", "yes"}}).status == 400);
  BOOST_TEST(server.request("PUT", "/admin/drain", R"({"draining":true})").status == 401);

  int code = -1;
  cli(server, "drain on", &code);
  BOOST_TEST(code == 0);
  auto dead = server.request("GET", "/heartbeat.txt");
  BOOST_TEST(dead.status == 503);
  BOOST_TEST(dead.body == "It's dead, Jim.");
  BOOST_TEST(server.request("GET", "/health").status == 200);  // still serving

  server.kill(SIGTERM);
  server.start();
  BOOST_TEST(server.request("GET", "/heartbeat.txt").status == 503);
  BOOST_TEST(cli(server, "drain status", &code).find("\"draining\": true") != std::string::npos);
  cli(server, "drain off", &code);
  BOOST_TEST(server.request("GET", "/heartbeat.txt").status == 200);
}

BOOST_AUTO_TEST_CASE(cli_users_tree_restart) {
  BackbeatServer server;
  server.start();
  int code = -1;
  std::string added = cli(server, "users add cli-user http://127.0.0.1:9/a", &code);
  BOOST_TEST(code == 0);
  BOOST_TEST(added.find("authToken") != std::string::npos);
  BOOST_TEST(cli(server, "users list", &code).find("cli-user") != std::string::npos);

  ClientService client(server, "treeuser");
  const std::string wf = client.workflow("wf", "s");
  const std::string sig =
      client.post("/workflows/" + wf + "/signal/go", {{"retry", 0}}).json()["id"];
  client.next_callback("/decision");
  // The admin token works for any user's routes, with that user's Client-Id.
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "",
                            {{"Client-Id", client.id()},
                             {"Authorization", std::string("Token token=\"") +
                                                   BackbeatServer::kAdminToken + "\""}})
                 .status == 200);
  std::string tree = cli(server, "tree " + client.id() + " " + wf, &code);
  BOOST_TEST(code == 0);
  BOOST_TEST(tree.find("go - server: sent_to_client, client: received") != std::string::npos);

  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/errored").status, 200);
  cli(server, "restart " + client.id() + " " + sig, &code);
  BOOST_TEST(code == 0);
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == sig);
  cli(server, "restart " + client.id() + " " + sig, &code);
  BOOST_TEST(code == 1);  // at the client now: 409
}

BOOST_AUTO_TEST_CASE(errored_report_lists_nodes_that_need_a_person) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "reported");
  const std::string wf = client.workflow("billing", "r");
  const std::string sig =
      client.post("/workflows/" + wf + "/signal/go", {{"retry", 0}}).json()["id"];
  client.next_callback("/decision");
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/errored").status, 200);
  client.decide(client.workflow("billing", "fine"));

  auto report = server.admin("GET", "/admin/errored");
  BOOST_REQUIRE_EQUAL(report.status, 200);
  Json r = report.json();
  BOOST_TEST(r["nodes"].size() == 1u);
  BOOST_TEST(r["nodes"][0]["node"]["id"] == sig);
  BOOST_TEST(r["nodes"][0]["user"]["name"] == "reported");
  BOOST_TEST(r["counts"]["billing"]["retries_exhausted"] == 1);
  BOOST_TEST(server.request("GET", "/admin/errored").status == 401);

  int code = -1;
  BOOST_TEST(cli(server, "errored", &code).find(sig) != std::string::npos);
  BOOST_TEST(code == 0);
}

BOOST_AUTO_TEST_CASE(metrics_in_prometheus_text) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "measured");
  client.decide(client.workflow("wf", "m"));
  auto m = server.request("GET", "/metrics");
  BOOST_REQUIRE_EQUAL(m.status, 200);
  BOOST_TEST(m.header("Content-Type").find("text/plain") == 0u);
  for (const char* name : {"backbeat_http_responses_total{class=\"2xx\"}",
                           "backbeat_events_applied_total", "backbeat_workflow_actors 1",
                           "backbeat_callbacks_sent_total 1", "backbeat_commit_groups_total"})
    BOOST_TEST(m.body.find(name) != std::string::npos, name);
}

BOOST_AUTO_TEST_SUITE_END()
