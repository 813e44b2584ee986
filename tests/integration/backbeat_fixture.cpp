#include "tests/integration/backbeat_fixture.hpp"

#include <boost/test/unit_test.hpp>
#include <fstream>
#include <thread>

#include "tests/support/sanitizer_report.hpp"

namespace backbeat::test {

BackbeatServer::BackbeatServer() : dir_("backbeat-it") {}

BackbeatServer::~BackbeatServer() { check_output(); }

void BackbeatServer::check_output() const {
  if (!proc_) return;
  const std::string report = sanitizer_report(proc_->log());
  BOOST_CHECK_MESSAGE(report.empty(), "backbeat reported:\n" + report);
}

void BackbeatServer::start() {
  check_output();  // of the run this start replaces
  ServerProcessOptions o;
  o.args = {"serve", "--http-port", "0", "--data-dir", data_dir().string()};
  if (!config_.empty()) {
    const std::string path = (dir_.path() / "backbeat.conf").string();
    std::ofstream(path) << config_;
    o.args.insert(o.args.end(), {"--config", path});
  }
  if (env_admin_token_) o.env = {{"BACKBEAT_ADMIN_TOKEN", kAdminToken}};
  o.log_dir = dir_.path();
  o.name = "backbeat-" + std::to_string(++starts_);
  proc_ = std::make_unique<ServerProcess>(o);
  const bool up = proc_->start();
  BOOST_REQUIRE_MESSAGE(up, "backbeat did not start:\n" + proc_->log());
}

void BackbeatServer::kill(int sig) {
  proc_->kill(sig);
  proc_->wait();
  BOOST_REQUIRE(proc_->wait_output_closed());
  check_output();
}

TestResponse BackbeatServer::request(const std::string& method, const std::string& target,
                                     const std::string& body, Headers headers,
                                     std::chrono::milliseconds timeout) const {
  return http_request("127.0.0.1", port(), method, target, body, std::move(headers), timeout);
}

TestResponse BackbeatServer::admin(const std::string& method, const std::string& target,
                                   const Json& body) const {
  return request(method, target, body.is_null() ? "" : body.dump(),
                 {{"Authorization", "Token token=\"" + admin_token() + "\""}});
}

std::string BackbeatServer::admin_token() const {
  if (env_admin_token_) return kAdminToken;
  std::string token;
  std::ifstream(data_dir() / "admin-token") >> token;
  return token;
}

ClientService::ClientService(BackbeatServer& server, const std::string& name) : server_(server) {
  register_user(name, endpoint_.url(""));
}

ClientService::ClientService(BackbeatServer& server, const std::string& name,
                             const std::string& endpoint_base)
    : server_(server) {
  register_user(name, endpoint_base);
}

void ClientService::register_user(const std::string& name, std::string base) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  TestResponse r = server_.admin("POST", "/users",
                                {{"name", name},
                                 {"decision_endpoint", base + "/decision"},
                                 {"activity_endpoint", base + "/activity"},
                                 {"notification_endpoint", base + "/notification"}});
  BOOST_REQUIRE_MESSAGE(r.status == 201, "user creation: " + std::to_string(r.status) + " " + r.body);
  id_ = r.json().at("id").get<std::string>();
  token_ = r.json().at("authToken").get<std::string>();
}

TestResponse ClientService::send(const std::string& method, const std::string& target,
                                 const std::string& body) const {
  return send_via(server_, method, target, body);
}

TestResponse ClientService::send_via(const BackbeatServer& gateway, const std::string& method,
                                     const std::string& target, const std::string& body) const {
  return gateway.request(method, target, body,
                         {{"Client-Id", id_}, {"Authorization", "Token token=\"" + token_ + "\""}});
}

TestResponse ClientService::get(const std::string& target) const { return send("GET", target, ""); }

TestResponse ClientService::post(const std::string& target, const Json& body) const {
  return send("POST", target, body.dump());
}

TestResponse ClientService::put(const std::string& target, const Json& body) const {
  return send("PUT", target, body.is_null() ? "" : body.dump());
}

Json ClientService::node(const std::string& id) const {
  TestResponse r = get("/activities/" + id);
  BOOST_REQUIRE_MESSAGE(r.status == 200, "GET node: " + r.body);
  return r.json();
}

std::string ClientService::status(const std::string& id) const {
  Json n = node(id);
  return n["currentServerStatus"].get<std::string>() + "/" +
         n["currentClientStatus"].get<std::string>();
}

bool ClientService::wait_status(const std::string& id, const std::string& want) const {
  const bool server_only = want.find('/') == std::string::npos;
  for (int i = 0; i < 400; ++i) {
    const std::string now = status(id);
    if ((server_only ? now.substr(0, now.find('/')) : now) == want) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(25));
  }
  return false;
}

Json ClientService::next_callback(const std::string& path, std::chrono::milliseconds timeout) {
  auto req = endpoint_.wait_for([&](const net::HttpRequest& r) { return r.path() == path; },
                                timeout);
  BOOST_REQUIRE_MESSAGE(req, "no callback at " + path + "; server log:\n" + server_.log());
  return Json::parse(req->body);
}

std::string ClientService::decide(const std::string& wf, const Json& signal) {
  TestResponse r = post("/workflows/" + wf + "/signal/go", signal);
  BOOST_REQUIRE_MESSAGE(r.status == 201, "signal: " + r.body);
  const std::string id = r.json().at("id");
  Json callback = next_callback("/decision");
  BOOST_REQUIRE_EQUAL(callback["decision"]["id"].get<std::string>(), id);
  return id;
}

std::vector<std::string> ClientService::add_decisions(const std::string& node,
                                                      const Json& decisions) {
  TestResponse r = post("/activities/" + node + "/decisions", {{"decisions", decisions}});
  BOOST_REQUIRE_MESSAGE(r.status == 201, "decisions: " + r.body);
  return r.json().get<std::vector<std::string>>();
}

std::string ClientService::workflow(const std::string& name, const Json& subject) {
  TestResponse r = post("/workflows", {{"workflowType", name}, {"subject", subject},
                                       {"decider", "TestDecider"}});
  BOOST_REQUIRE_MESSAGE(r.status == 201, "workflow creation: " + r.body);
  return r.json().at("id").get<std::string>();
}

CrossLink link_across(ClientService& client, const std::string& waiting_wf,
                      const std::string& linking_wf) {
  CrossLink out;
  out.target = client.post("/workflows/" + waiting_wf + "/signal/ship", Json::object()).json()["id"];
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == out.target);
  out.decision = client.post("/workflows/" + linking_wf + "/signal/bill", Json::object()).json()["id"];
  BOOST_TEST(client.next_callback("/decision")["decision"]["id"] == out.decision);
  auto linked = client.post("/activities/" + out.decision + "/decisions",
                            {{"decisions", {{{"name", "pay"}, {"parentLinkId", out.target}}}}});
  BOOST_REQUIRE_EQUAL(linked.status, 201);
  out.link = linked.json()[0];
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + out.decision + "/status/completed").status, 200);
  BOOST_TEST(client.next_callback("/activity")["activity"]["id"] == out.link);

  // The target is done with the client, but its link is not finished yet.
  BOOST_REQUIRE_EQUAL(client.put("/activities/" + out.target + "/status/completed").status, 200);
  BOOST_TEST(client.wait_status(out.target, "processing_children/complete"));
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  BOOST_TEST(client.status(out.target) == "processing_children/complete");
  return out;
}

void report(const ClientService& c, const std::string& node, const std::string& word) {
  auto r = c.put("/activities/" + node + "/status/" + word);
  BOOST_REQUIRE_MESSAGE(r.status == 200, word + ": " + r.body);
}

}  // namespace backbeat::test
