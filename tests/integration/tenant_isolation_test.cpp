// Issue 13's attacks by one tenant on another, through the real binary
// (docs/security.md). Each of these passed before the change: a link into
// another user's node, a node handed to another user, one tenant's backlog
// refusing another's work, tokens in plaintext on disk, a token that could
// never change, a relaxed token check that relaxed every route.
#include <boost/test/unit_test.hpp>

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include "tests/integration/backbeat_fixture.hpp"

using namespace backbeat::test;
using namespace std::chrono_literals;

namespace {

const std::string kStranger = "7a1d4e55-0000-4000-8000-00000000beef";  // no such user

Json decisions(const Json& elements) { return {{"decisions", elements}}; }

// A workflow of `c` with its decision open at the client.
std::string open_decision(ClientService& c, const std::string& subject) {
  return c.decide(c.workflow("tenants", subject));
}

unsigned mode_of(const std::filesystem::path& p) {
  struct stat st {};
  BOOST_REQUIRE(::stat(p.c_str(), &st) == 0);
  return st.st_mode & 0777;
}

// Whether any file under `dir` holds `needle`.
bool any_file_holds(const std::filesystem::path& dir, const std::string& needle) {
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (!entry.is_regular_file()) continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream text;
    text << in.rdbuf();
    if (text.str().find(needle) != std::string::npos) return true;
  }
  return false;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(tenant_isolation)

// Findings 1 and 2.
BOOST_AUTO_TEST_CASE(links_and_hand_offs_to_another_user_need_the_admins_grant) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice"), bob(server, "bob");
  const std::string bobs = open_decision(bob, "bobs");
  const std::string alices = open_decision(alice, "alices");
  const std::string path = "/activities/" + alices + "/decisions";

  // A link into bob's node: as unknown as any node of his.
  auto link = alice.post(path, decisions({{{"name", "l"}, {"parent_link_id", bobs}}}));
  BOOST_TEST(link.status == 404, link.body);
  BOOST_TEST(alice.get("/activities/" + bobs).status == 404);
  // bob's node is not held: it completes as soon as bob says so.
  BOOST_REQUIRE(bob.put("/activities/" + bobs + "/status/completed").status == 200);
  BOOST_TEST(bob.wait_status(bobs, "complete/complete"), bob.status(bobs));

  // A node handed to bob, or to nobody: the same 403, so ids cannot be probed.
  auto to_bob = alice.post(path, decisions({{{"name", "h"}, {"client_id", bob.id()}}}));
  auto to_none = alice.post(path, decisions({{{"name", "h"}, {"client_id", kStranger}}}));
  for (const TestResponse* r : {&to_bob, &to_none}) {
    BOOST_TEST(r->status == 403, r->body);
    BOOST_TEST(r->json()["errorClass"] == "Backbeat::Forbidden");
  }
  const std::string wf = alice.workflow("tenants", "alices");
  auto signal = alice.post("/workflows/" + wf + "/signal/x", {{"client_id", bob.id()}});
  BOOST_TEST(signal.status == 403, signal.body);
  BOOST_TEST(alice.get("/workflows/" + wf + "/nodes").json().size() == 1u);  // nothing made

  // The admin grants alice the right to involve bob.
  BOOST_TEST(server.admin("GET", "/users/" + alice.id() + "/grants").json() == Json::array());
  auto granted = server.admin("PUT", "/users/" + alice.id() + "/grants/" + bob.id());
  BOOST_TEST(granted.status == 200, granted.body);
  BOOST_TEST(granted.json() == Json::array({{{"id", bob.id()}, {"name", "bob"}}}));
  BOOST_TEST(server.admin("PUT", "/users/" + alice.id() + "/grants/" + kStranger).status == 404);
  BOOST_TEST(server.admin("PUT", "/users/" + alice.id() + "/grants/" + alice.id()).status == 400);
  BOOST_TEST(alice.post(path, decisions({{{"name", "h"}, {"client_id", kStranger}}})).status == 403);
  const std::string bobs_open = open_decision(bob, "bobs-2");
  auto handed = alice.post(path, decisions({{{"name", "for bob"}, {"client_id", bob.id()}},
                                            {{"name", "waits"}, {"parent_link_id", bobs_open}}}));
  BOOST_REQUIRE_MESSAGE(handed.status == 201, handed.body);
  BOOST_REQUIRE(alice.put("/activities/" + alices + "/status/completed").status == 200);
  const Json sent = bob.next_callback("/activity");
  BOOST_TEST(sent["activity"]["id"] == handed.json()[0]);
  BOOST_TEST(bob.node(handed.json()[0])["userId"] == bob.id());

  // Revoked, it is refused again; grants are one way.
  BOOST_TEST(server.admin("DELETE", "/users/" + alice.id() + "/grants/" + bob.id()).json() ==
             Json::array());
  const std::string again = open_decision(alice, "alices-2");
  BOOST_TEST(alice.post("/activities/" + again + "/decisions",
                        decisions({{{"name", "h"}, {"client_id", bob.id()}}})).status == 403);
  BOOST_TEST(bob.post("/activities/" + open_decision(bob, "bobs-3") + "/decisions",
                      decisions({{{"name", "h"}, {"client_id", alice.id()}}})).status == 403);
}

// Finding 2's backlog and the 74,001-node request: each limit is the
// user's own, and past it only that user is refused.
BOOST_AUTO_TEST_CASE(quotas_refuse_only_the_user_past_them) {
  BackbeatServer server;
  server.set_config(
      "[quotas]\ndecisions_per_request = 3\nnodes_per_workflow = 6\ncallbacks_queued = 1\n");
  server.start();
  ClientService alice(server, "alice"), bob(server, "bob");

  const std::string d = open_decision(alice, "many");
  const std::string path = "/activities/" + d + "/decisions";
  const Json four = Json::array({{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}, {{"name", "d"}}});
  auto too_many = alice.post(path, decisions(four));
  BOOST_TEST(too_many.status == 413, too_many.body);
  BOOST_TEST(too_many.json()["errorClass"] == "Backbeat::QuotaExceeded");
  const Json three = Json::array({{{"name", "a"}}, {{"name", "b"}}, {{"name", "c"}}});
  BOOST_TEST(alice.post(path, decisions(three)).status == 201);  // 4 nodes with the decision
  auto full = alice.post(path, decisions(three));                // would be 7 of 6
  BOOST_TEST(full.status == 409, full.body);
  BOOST_TEST(full.json()["errorClass"] == "Backbeat::QuotaExceeded");
  BOOST_TEST(full.body.find("at most 6") != std::string::npos, full.body);

  // One callback of alice's on its way (her endpoint hangs): her new work
  // waits, bob's does not.
  alice.endpoint().hang(true);
  const std::string wf = alice.workflow("tenants", "hanging");
  BOOST_REQUIRE(alice.post("/workflows/" + wf + "/signal/one", Json::object()).status == 201);
  auto second = alice.post("/workflows/" + wf + "/signal/two", Json::object());
  for (int i = 0; i < 50 && second.status == 201; ++i) {  // until the first is on its way
    std::this_thread::sleep_for(20ms);
    second = alice.post("/workflows/" + wf + "/signal/two", Json::object());
  }
  BOOST_TEST(second.status == 429, second.body);
  BOOST_TEST(second.header("Retry-After") == "1");
  BOOST_TEST(second.body.find("quotas.callbacks_queued") != std::string::npos, second.body);
  BOOST_TEST(second.body.find("bob") == std::string::npos);
  const std::string bobs = bob.workflow("tenants", "fine");
  BOOST_TEST(bob.post("/workflows/" + bobs + "/signal/go", Json::object()).status == 201);
  alice.endpoint().hang(false);

  // Per-user overrides: no commands at all for alice, the default for bob.
  server.kill(SIGTERM);
  server.set_config("[quotas.user." + alice.id() + "]\ncommands_in_flight = 0\n");
  server.start();
  auto refused = alice.post("/workflows/" + wf + "/signal/three", Json::object());
  BOOST_TEST(refused.status == 429, refused.body);
  BOOST_TEST(refused.body.find("quotas.commands_in_flight") != std::string::npos, refused.body);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 200);  // reads are not commands
  BOOST_TEST(bob.post("/workflows/" + bobs + "/signal/again", Json::object()).status == 201);
}

// Finding 6: plaintext tokens on disk, tokens that could not change, users
// that could not be shut out.
BOOST_AUTO_TEST_CASE(tokens_are_sealed_rotated_and_users_disabled) {
  BackbeatServer server;
  server.start();
  ClientService alice(server, "alice");
  const std::string wf = alice.workflow("tenants", "tokens");
  const std::string old_token = alice.token();
  BOOST_TEST(!any_file_holds(server.data_dir(), old_token));

  auto rotated = server.admin("POST", "/users/" + alice.id() + "/token");
  BOOST_REQUIRE_MESSAGE(rotated.status == 200, rotated.body);
  const std::string new_token = rotated.json()["authToken"];
  BOOST_TEST(new_token.size() == 22u);
  BOOST_TEST(new_token != old_token);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 401);  // still the old one
  alice.set_token(new_token);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 200);
  auto chosen = server.admin("POST", "/users/" + alice.id() + "/token", {{"auth_token", "short"}});
  BOOST_TEST(chosen.status == 400, chosen.body);
  BOOST_TEST(server.admin("POST", "/users/" + kStranger + "/token").status == 404);

  auto off = server.admin("PUT", "/users/" + alice.id() + "/disabled");
  BOOST_TEST(off.status == 200, off.body);
  BOOST_TEST(off.json()["disabled"] == true);
  auto refused = alice.get("/workflows/" + wf);
  BOOST_TEST(refused.status == 403, refused.body);
  BOOST_TEST(refused.json()["errorClass"] == "Backbeat::UserDisabled");

  // Both changes are durable, and the token is nowhere on disk.
  server.kill(SIGKILL);
  server.start();
  BOOST_TEST(alice.get("/workflows/" + wf).status == 403);
  BOOST_TEST(server.admin("DELETE", "/users/" + alice.id() + "/disabled").status == 200);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 200);
  alice.set_token(old_token);
  BOOST_TEST(alice.get("/workflows/" + wf).status == 401);
  BOOST_TEST(!any_file_holds(server.data_dir(), new_token));
}

BOOST_AUTO_TEST_CASE(a_relaxed_token_check_still_guards_every_change) {
  BackbeatServer server;
  server.set_config("[auth]\nrequire_token = false\n");
  server.start();
  ClientService alice(server, "alice");
  const std::string wf = alice.workflow("tenants", "relaxed");
  const Headers id_only = {{"Client-Id", alice.id()}, {"Content-Type", "application/json"}};
  BOOST_TEST(server.request("GET", "/workflows/" + wf, "", id_only).status == 200);
  for (const auto& [method, target] :
       {std::pair{"POST", "/workflows/" + wf + "/signal/x"}, {"PUT", "/workflows/" + wf + "/pause"},
        {"POST", "/workflows"}}) {
    auto r = server.request(method, target, R"({"name":"w","decider":"d","subject":1})", id_only);
    BOOST_TEST(r.status == 401, method << " " << target << ": " << r.body);
  }
}

// Finding 6: files 0644 in a 0755 data dir, the admin token printed.
BOOST_AUTO_TEST_CASE(the_data_dir_and_a_generated_admin_token_are_private) {
  BackbeatServer server;
  server.generate_admin_token();
  server.start();
  const std::filesystem::path file = server.data_dir() / "admin-token";
  BOOST_REQUIRE(std::filesystem::exists(file));
  const std::string token = server.admin_token();
  BOOST_TEST(token.size() == 32u);
  BOOST_TEST(server.log().find("admin token: in " + file.string()) != std::string::npos,
             server.log());
  BOOST_TEST(server.log().find(token) == std::string::npos);
  ClientService alice(server, "alice");  // the admin call works with the file's token
  BOOST_TEST(mode_of(server.data_dir()) == 0700u);
  for (const auto& entry : std::filesystem::directory_iterator(server.data_dir()))
    BOOST_TEST(mode_of(entry.path()) == 0600u, entry.path());
  // The same token after a restart.
  server.kill(SIGTERM);
  server.start();
  BOOST_TEST(server.admin_token() == token);
  BOOST_TEST(server.admin("GET", "/users").status == 200);
}

BOOST_AUTO_TEST_SUITE_END()
