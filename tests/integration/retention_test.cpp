// Retention with the real binary: complete workflows older than the period
// are archived and deleted (404, gone from search), workflows still working
// or waiting on a timer stay, and a SIGKILL in the middle of a sweep leaves
// every workflow either whole or gone, never half, and archived before gone.
#include <boost/test/unit_test.hpp>

#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;

namespace {

std::string retention_config(const std::string& archive_dir, const std::string& interval) {
  return "[retention]\ncompleted_after = 1s\nsweep_interval = " + interval +
         "\narchive_dir = " + archive_dir + "\n";
}

// Every archived line, parsed (a line that does not parse fails the test).
std::vector<Json> archived(const std::filesystem::path& dir) {
  std::vector<Json> out;
  if (!std::filesystem::exists(dir)) return out;
  for (const auto& file : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(file.path());
    for (std::string line; std::getline(in, line);) {
      Json j = Json::parse(line, nullptr, false);
      BOOST_REQUIRE_MESSAGE(!j.is_discarded(), "archive line is not JSON: " + line);
      out.push_back(std::move(j));
    }
  }
  return out;
}

std::set<std::string> archived_ids(const std::filesystem::path& dir) {
  std::set<std::string> ids;
  for (const Json& j : archived(dir)) ids.insert(j["workflow"]["id"].get<std::string>());
  return ids;
}

// A workflow whose one signal the client completed, marked complete.
std::string finished_workflow(ClientService& client, const std::string& subject) {
  const std::string wf = client.workflow("payout", subject);
  const std::string sig = client.decide(wf);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/completed").status, 200);
  BOOST_REQUIRE(client.wait_status(sig, "complete/complete"));
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/complete").status, 200);
  return wf;
}

Json sweep(const BackbeatServer& server) {
  TestResponse r = server.admin("POST", "/admin/retention/sweep");
  BOOST_REQUIRE_MESSAGE(r.status == 200, "sweep: " + std::to_string(r.status) + " " + r.body);
  return r.json();
}

// Sweeps until `gone` answers 404; past the retention period that is the
// first sweep, give or take the clock.
Json sweep_until_gone(const BackbeatServer& server, ClientService& client,
                      const std::string& gone) {
  Json last;
  for (int i = 0; i < 60; ++i) {
    last = sweep(server);
    if (client.get("/workflows/" + gone).status == 404) return last;
    std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_FAIL("still there after a minute of sweeps: " + last.dump());
  return last;
}

std::vector<std::string> search_ids(ClientService& client) {
  std::vector<std::string> ids;
  for (const Json& w : client.get("/workflows/search?name=payout&per_page=1000").json())
    ids.push_back(w["id"]);
  return ids;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(retention)

BOOST_AUTO_TEST_CASE(complete_workflows_past_the_period_go_the_others_stay) {
  TempDir archive("backbeat-archive");
  BackbeatServer server;
  server.set_config(retention_config(archive.str(), "1h"));  // sweeps by hand only
  server.start();
  ClientService client(server, "billing");

  const std::string done = finished_workflow(client, "done");
  const std::string done_sig = client.get("/workflows/" + done + "/nodes").json()[0]["id"];
  // Marked complete while a node is still at the client.
  const std::string busy = client.workflow("payout", "busy");
  client.decide(busy);
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + busy + "/complete").status, 200);
  // Marked complete while a node waits for its start time.
  const std::string waiting = client.workflow("payout", "waiting");
  const std::string later = "2100-01-01T00:00:00Z";
  BOOST_REQUIRE_EQUAL(
      client.post("/workflows/" + waiting + "/signal/later", {{"fires_at", later}}).status, 201);
  BOOST_REQUIRE_EQUAL(client.put("/workflows/" + waiting + "/complete").status, 200);
  // Everything finished, but nobody marked it complete.
  const std::string unmarked = client.workflow("payout", "unmarked");
  const std::string sig = client.decide(unmarked);
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + sig + "/status/completed").status, 200);
  BOOST_REQUIRE(client.wait_status(sig, "complete/complete"));

  Json settings = server.admin("GET", "/admin/retention").json();
  BOOST_TEST(settings["enabled"] == true);
  BOOST_TEST(settings["completedAfterSeconds"] == 1);
  BOOST_TEST(settings["archiveDir"] == archive.str());

  sweep_until_gone(server, client, done);
  // Gone the way an unknown workflow is gone: the same 404, word for word.
  const std::string unknown = "00000000-0000-4000-8000-000000000001";
  auto same_404 = [&](const std::string& method, const std::string& path, const std::string& id) {
    TestResponse was = client.send(method, path + id, "");
    TestResponse never = client.send(method, path + unknown, "");
    BOOST_TEST(was.status == 404);
    std::string expected = never.body;
    expected.replace(expected.find(unknown), unknown.size(), id);
    BOOST_TEST(was.body == expected);
  };
  same_404("GET", "/workflows/", done);
  same_404("GET", "/activities/", done_sig);
  BOOST_TEST(client.put("/workflows/" + done + "/complete").status == 404);
  BOOST_TEST(client.post("/workflows/" + done + "/signal/go", Json::object()).status == 404);
  const auto listed = search_ids(client);
  BOOST_TEST((std::find(listed.begin(), listed.end(), done) == listed.end()));
  BOOST_TEST(listed.size() == 3u);
  for (const std::string& kept : {busy, waiting, unmarked})
    BOOST_TEST(client.get("/workflows/" + kept).status == 200, kept);

  // The next pass looks at the two marked complete and keeps them.
  Json report = sweep(server);
  BOOST_TEST(report["purged"] == 0);
  BOOST_TEST(report["kept"] == 2);
  BOOST_TEST(report["examined"] == 2);

  const std::vector<Json> lines = archived(archive.path());
  BOOST_REQUIRE_EQUAL(lines.size(), 1u);
  BOOST_TEST(lines[0]["workflow"]["id"] == done);
  BOOST_TEST(lines[0]["workflow"]["complete"] == true);
  BOOST_REQUIRE_EQUAL(lines[0]["nodes"].size(), 1u);
  BOOST_TEST(lines[0]["nodes"][0]["id"] == done_sig);
  BOOST_TEST(lines[0]["nodes"][0]["statusChanges"].size() >= 4u);

  Json after = server.admin("GET", "/admin/retention").json();
  BOOST_TEST(after["totals"]["purged"] == 1);
  BOOST_TEST(after["totals"]["archived"] == 1);
  BOOST_TEST(after["lastSweep"]["kept"] == 2);
  const std::string metrics = server.request("GET", "/metrics").body;
  BOOST_TEST(metrics.find("backbeat_retention_purged_total 1\n") != std::string::npos);
  BOOST_TEST(metrics.find("backbeat_retention_archived_total 1\n") != std::string::npos);

  // Its name is free again: find-or-create makes a new, empty workflow.
  TestResponse again =
      client.post("/workflows",
                  {{"workflowType", "payout"}, {"subject", "done"}, {"decider", "PayoutDecider"}});
  BOOST_TEST(again.status == 201);
  BOOST_TEST(again.json()["complete"] == false);
  BOOST_TEST(client.get("/workflows/" + done + "/nodes").json().empty());
}

BOOST_AUTO_TEST_CASE(the_sweeper_runs_on_its_own_and_operators_need_the_admin_token) {
  TempDir archive("backbeat-archive");
  BackbeatServer server;
  server.set_config(retention_config(archive.str(), "1s"));
  server.start();
  ClientService client(server, "billing");
  const std::string done = finished_workflow(client, "done");
  bool gone = false;
  for (int i = 0; i < 240 && !gone; ++i) {
    gone = client.get("/workflows/" + done).status == 404;
    if (!gone) std::this_thread::sleep_for(std::chrono::milliseconds(250));
  }
  BOOST_TEST(gone);
  BOOST_TEST(archived_ids(archive.path()).count(done) == 1u);
  BOOST_TEST(server.request("GET", "/admin/retention").status == 401);
  BOOST_TEST(server.request("POST", "/admin/retention/sweep").status == 401);
  BOOST_TEST(client.send("POST", "/admin/retention/sweep", "").status == 401);
}

BOOST_AUTO_TEST_CASE(retention_is_off_unless_configured) {
  BackbeatServer server;
  server.start();
  ClientService client(server, "billing");
  const std::string done = finished_workflow(client, "done");
  Json settings = server.admin("GET", "/admin/retention").json();
  BOOST_TEST(settings["enabled"] == false);
  BOOST_TEST(settings["completedAfterSeconds"].is_null());
  TestResponse r = server.admin("POST", "/admin/retention/sweep");
  BOOST_TEST(r.status == 409);
  BOOST_TEST(r.json()["errorClass"] == "Backbeat::RetentionOff");
  BOOST_TEST(client.get("/workflows/" + done).status == 200);
}

BOOST_AUTO_TEST_CASE(sigkill_in_the_middle_of_a_sweep_leaves_each_workflow_whole_or_gone) {
  TempDir archive("backbeat-archive");
  BackbeatServer server;
  server.set_config(retention_config(archive.str(), "1h"));
  server.start();
  ClientService client(server, "billing");

  // Mostly bare workflows (cheap to make), some with history.
  std::map<std::string, size_t> nodes_of;
  for (int i = 0; i < 6; ++i) nodes_of[finished_workflow(client, "full-" + std::to_string(i))] = 1;
  for (int i = 0; i < 150; ++i) {
    const std::string wf = client.workflow("payout", "bare-" + std::to_string(i));
    BOOST_REQUIRE_EQUAL(client.put("/workflows/" + wf + "/complete").status, 200);
    nodes_of[wf] = 0;
  }
  std::this_thread::sleep_for(std::chrono::milliseconds(1100));  // past the period

  // The sweep's answer never comes: the node dies once a fifth of the
  // workflows are archived, with purges in flight (8 at a time).
  std::thread sweeper([&] { server.admin("POST", "/admin/retention/sweep"); });
  for (int i = 0; i < 4000 && archived(archive.path()).size() < nodes_of.size() / 5; ++i)
    std::this_thread::sleep_for(std::chrono::milliseconds(1));
  server.kill(SIGKILL);
  sweeper.join();
  server.start();

  const std::set<std::string> archived_before = archived_ids(archive.path());
  size_t gone = 0;
  for (const auto& [wf, nodes] : nodes_of) {
    TestResponse r = client.get("/workflows/" + wf);
    if (r.status == 404) {
      ++gone;
      BOOST_TEST(archived_before.count(wf) == 1u, "deleted without an archive line: " << wf);
      continue;
    }
    BOOST_REQUIRE_EQUAL(r.status, 200);
    BOOST_TEST(r.json()["complete"] == true);
    BOOST_TEST(client.get("/workflows/" + wf + "/nodes").json().size() == nodes);
  }
  BOOST_TEST_MESSAGE("deleted before the kill: " << gone << " of " << nodes_of.size());
  BOOST_TEST(search_ids(client).size() == nodes_of.size() - gone);

  // The next sweep finishes the job, whatever the kill interrupted.
  Json report = sweep(server);
  BOOST_TEST(report["failed"] == 0);
  for (const auto& [wf, nodes] : nodes_of)
    BOOST_TEST(client.get("/workflows/" + wf).status == 404, wf);
  BOOST_TEST(search_ids(client).empty());
  const std::set<std::string> archived_after = archived_ids(archive.path());
  for (const auto& [wf, nodes] : nodes_of) BOOST_TEST(archived_after.count(wf) == 1u, wf);
  BOOST_TEST(sweep(server)["examined"] == 0);
}

BOOST_AUTO_TEST_SUITE_END()
