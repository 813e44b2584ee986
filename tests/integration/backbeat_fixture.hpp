#pragma once
// The real backbeat binary on 127.0.0.1 with a temp data dir, and a client
// service (a real HTTP endpoint) registered as a user. No part of Backbeat is
// mocked: tests talk HTTP to the server and read what it POSTs back.
#include <chrono>
#include <filesystem>
#include <memory>
#include <string>
#include <functional>
#include <vector>

#include <nlohmann/json.hpp>

#include "tests/support/eventually.hpp"
#include "tests/support/fake_endpoint.hpp"
#include "tests/support/http_test_client.hpp"
#include "tests/support/server_process.hpp"
#include "tests/support/temp_dir.hpp"

namespace backbeat::test {

using Json = nlohmann::json;

class BackbeatServer {
 public:
  static constexpr const char* kAdminToken = "integration-admin-token";

  BackbeatServer();
  // Fails the test if the server's output holds a sanitizer report.
  ~BackbeatServer();
  BackbeatServer(const BackbeatServer&) = delete;
  BackbeatServer& operator=(const BackbeatServer&) = delete;
  // Starts (or restarts, on the same data dir) the binary; fails the test
  // if it does not come up.
  void start();
  // Extra `key = value` lines for a config file the next start() uses.
  void set_config(const std::string& text) { config_ = text; }
  // Starts without BACKBEAT_ADMIN_TOKEN: the server makes its own, in the
  // data dir, which admin() then reads.
  void generate_admin_token() { env_admin_token_ = false; }
  std::string admin_token() const;
  void kill(int sig = SIGKILL);
  // Sends `sig` to the server's process group and returns at once:
  // SIGSTOP and SIGCONT leave it alive, with nothing to reap.
  void signal(int sig) { proc_->kill(sig); }
  uint16_t port() const { return proc_->port(); }
  // Where start() points the server: fill it first to start on that data.
  std::filesystem::path data_dir() const { return dir_.path() / "data"; }
  std::string log() const { return proc_ ? proc_->log() : ""; }

  TestResponse request(const std::string& method, const std::string& target,
                       const std::string& body = "", Headers headers = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(10)) const;
  TestResponse admin(const std::string& method, const std::string& target,
                     const Json& body = nullptr) const;

 private:
  TempDir dir_;
  int starts_ = 0;
  std::string config_;
  bool env_admin_token_ = true;
  std::unique_ptr<ServerProcess> proc_;

  // The sanitizer build aborts the server on its first report; this makes
  // sure the test fails too, with the report, even if it never noticed.
  void check_output() const;
};

// A client service: its own endpoint, registered as a user of the server.
class ClientService {
 public:
  ClientService(BackbeatServer& server, const std::string& name);
  // Registered with endpoints under `endpoint_base` ("http://127.0.0.1:PORT")
  // instead of its own FakeEndpoint: a client whose endpoint is elsewhere
  // (a closed port, a hanging server).
  ClientService(BackbeatServer& server, const std::string& name, const std::string& endpoint_base);

  const std::string& id() const { return id_; }
  const std::string& token() const { return token_; }
  void set_token(std::string token) { token_ = std::move(token); }  // after a rotation
  FakeEndpoint& endpoint() { return endpoint_; }

  TestResponse get(const std::string& target) const;
  TestResponse post(const std::string& target, const Json& body) const;
  TestResponse put(const std::string& target, const Json& body = nullptr) const;
  TestResponse send(const std::string& method, const std::string& target,
                    const std::string& body) const;
  // The same, through another server: in a cluster every member is a
  // gateway, and the client is known to all of them.
  TestResponse send_via(const BackbeatServer& gateway, const std::string& method,
                        const std::string& target, const std::string& body = "") const;

  // The next callback POSTed to this client at `path` ("/decision", ...),
  // parsed; fails the test after `timeout`.
  Json next_callback(const std::string& path,
                     std::chrono::milliseconds timeout = std::chrono::seconds(10));
  // GET /activities/:id, which must succeed.
  Json node(const std::string& id) const;
  // "server/client" statuses of a node, e.g. "complete/complete".
  std::string status(const std::string& id) const;
  // Polls until the node's statuses are `want` ("server/client", or just
  // "server"): the server moves on one commit after the report that caused it.
  bool wait_status(const std::string& id, const std::string& want) const;
  // Signals `wf` (signal name "go") and waits for the decision callback; the
  // decision node's id.
  std::string decide(const std::string& wf, const Json& signal = Json::object());
  // Posts decisions on `node`; the new nodes' ids, in order.
  std::vector<std::string> add_decisions(const std::string& node, const Json& decisions);
  // Creates (or finds) a workflow and returns its id.
  std::string workflow(const std::string& name, const Json& subject);

 private:
  void register_user(const std::string& name, std::string endpoint_base);

  BackbeatServer& server_;
  FakeEndpoint endpoint_;
  std::string id_;
  std::string token_;
};

// PUT /activities/:node/status/:word as `c`, which must succeed.
void report(const ClientService& c, const std::string& node, const std::string& word);

// eventually() with the patience of a test against a running server.
inline bool eventually(const std::function<bool()>& done) {
  return eventually(done, std::chrono::seconds(20));
}

// A link across workflows (docs/contract.md §4.6): a decision of `linking_wf`
// adds a node whose parent_link_id is a decision of `waiting_wf`; the client
// gets the node, completes the target, and the target waits for its link.
struct CrossLink {
  std::string target;    // the decision of waiting_wf, held open
  std::string decision;  // the decision of linking_wf that made the link
  std::string link;      // the linking node, sent to the client
};
CrossLink link_across(ClientService& client, const std::string& waiting_wf,
                      const std::string& linking_wf);

}  // namespace backbeat::test
