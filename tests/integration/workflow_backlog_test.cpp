// actors.max_commands_per_workflow: commands waiting for one workflow beyond
// the limit get 503 + Retry-After, for that workflow only.
#include <boost/test/unit_test.hpp>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

BOOST_AUTO_TEST_SUITE(workflow_backlog)

BOOST_AUTO_TEST_CASE(limit_zero_refuses_every_command_but_reads_are_served) {
  BackbeatServer server;
  server.set_config("[actors]\nmax_commands_per_workflow = 0\n");
  server.start();
  ClientService client(server, "busy");
  auto shed = client.post("/workflows", {{"name", "wf"}, {"subject", "s"}, {"decider", "d"}});
  BOOST_TEST(shed.status == 503);
  BOOST_TEST(shed.header("Retry-After") == "1");
  BOOST_TEST(shed.json()["errorClass"] == "Backbeat::WorkflowBusy");
  BOOST_TEST(shed.json()["message"].get<std::string>().find("retry") != std::string::npos);
  BOOST_TEST(client.get("/workflows/search").status == 200);
  const std::string metrics = server.request("GET", "/metrics").body;
  BOOST_TEST(metrics.find("backbeat_workflow_commands_shed_total 1\n") != std::string::npos);
  BOOST_TEST(metrics.find("backbeat_commands_in_flight 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_flooded_workflow_sheds_its_own_commands_only) {
  BackbeatServer server;
  server.set_config("[actors]\nmax_commands_per_workflow = 1\n");
  server.start();
  ClientService client(server, "flood");
  const std::string hot = client.workflow("hot", "h");
  const std::string calm = client.workflow("calm", "c");

  // Rounds of concurrent signals at one workflow: with one command allowed
  // in flight, those arriving while another waits for the disk get 503.
  // Between rounds the calm workflow, signalled alone, is never refused.
  int busy = 0;
  int accepted = 0;
  int calm_ok = 0;
  for (int round = 0; round < 20 && busy == 0; ++round) {
    std::vector<int> statuses(24, 0);
    std::vector<std::string> classes(24);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < statuses.size(); ++i)
      threads.emplace_back([&, i] {
        auto r = client.post("/workflows/" + hot + "/signal/go", backbeat::test::Json::object());
        statuses[i] = r.status;
        if (r.status == 503) classes[i] = r.json()["errorClass"].get<std::string>();
      });
    for (auto& t : threads) t.join();
    for (size_t i = 0; i < statuses.size(); ++i) {
      BOOST_TEST((statuses[i] == 201 || statuses[i] == 503), statuses[i]);
      if (statuses[i] == 201) ++accepted;
      if (statuses[i] == 503) {
        BOOST_TEST(classes[i] == "Backbeat::WorkflowBusy");
        ++busy;
      }
    }
    auto r = client.post("/workflows/" + calm + "/signal/go", backbeat::test::Json::object());
    BOOST_TEST(r.status == 201, r.body);
    calm_ok += r.status == 201;
  }
  BOOST_TEST(busy > 0);
  BOOST_TEST(accepted > 0);
  BOOST_TEST(calm_ok > 0);
  // Every place taken was given back: the hot workflow takes commands again.
  auto after = client.post("/workflows/" + hot + "/signal/go", backbeat::test::Json::object());
  BOOST_TEST(after.status == 201, after.body);
}

BOOST_AUTO_TEST_SUITE_END()
