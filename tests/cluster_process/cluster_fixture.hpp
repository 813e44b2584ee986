#pragma once
// Three real backbeat members on loopback (docs/cluster.md), each with its
// own data dir, HTTP port and cluster port, all naming all as seeds, linked
// over mutual TLS with certificates of one CA (`backbeat cluster certs`).
// Built on the integration fixture: each member is a BackbeatServer.
#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "tests/integration/backbeat_fixture.hpp"
#include "tests/support/cluster_certs.hpp"

namespace backbeat::test {

using namespace std::chrono_literals;

// A member's [cluster] section with the fixture's timings; `links` is its
// TLS lines (cluster_tls_lines) or "allow_plaintext = true\n".
std::string member_config(const std::string& id, uint16_t port, const std::string& seeds,
                          const std::string& links);
// make_cluster_certs, failing the test when the command does.
void require_certs(const std::filesystem::path& dir, const std::vector<std::string>& members);

class Cluster {
 public:
  static constexpr size_t kSize = 3;  // members started by start()
  static constexpr int kHeartbeatMs = 200;
  static constexpr int kSuspectAfterMs = 1500;
  static constexpr uint32_t kPartitions = 64;

  Cluster();  // picks the ports and writes each member's config; starts nothing
  ~Cluster();  // with BACKBEAT_SHOW_LOGS set, shows every member's log
  static std::string member(size_t i) { return "n" + std::to_string(i + 1); }
  std::string address(size_t i) const;  // member i's cluster address, host:port
  size_t size() const { return nodes_.size(); }
  BackbeatServer& node(size_t i) { return *nodes_.at(i); }
  const BackbeatServer& node(size_t i) const { return *nodes_.at(i); }

  // Starts n1, n2, n3 in turn and waits until every member sees all three
  // up with one map (fails the test otherwise).
  void start();
  void wait_converged(std::chrono::milliseconds timeout = 20s) const;
  // Starts one more member, n<size+1>, with only n1 as its seed (what
  // `--join` does); returns its index at once, before it has joined.
  size_t add_member();

  // GET /admin/cluster on member i; the test fails unless it is a 200 JSON.
  Json status(size_t i) const;
  // Polls member i's /admin/cluster until `ready`; false after `timeout`,
  // with the last status seen in *last.
  bool wait_status(size_t i, const std::function<bool(const Json&)>& ready,
                   std::chrono::milliseconds timeout, Json* last = nullptr,
                   std::chrono::milliseconds every = 50ms) const;
  // Every member's log, for failure messages.
  std::string logs() const;

 private:
  TempDir certs_;  // the CA and every member's files
  std::vector<uint16_t> cluster_ports_;
  std::vector<std::unique_ptr<BackbeatServer>> nodes_;
};

// Reading a GET /admin/cluster answer.
const Json* member_row(const Json& status, const std::string& id);
std::string state_of(const Json& status, const std::string& id);  // "" if unknown
uint64_t incarnation_of(const Json& status, const std::string& id);  // 0 if unknown
bool all_up(const Json& status, size_t members);
// The owner of a workflow id's partition by this status's map.
std::string owner_of(const Json& status, const std::string& workflow_id);

// One workflow taken through a full cycle, each step through a chosen
// gateway: create, signal, answer the decision callback with one activity,
// complete that activity.
struct Trip {
  size_t create_via = 0, signal_via = 0, decide_via = 0, finish_via = 0;
  Json subject;
  std::string workflow, decision, activity;
};

// What a gateway answers for a trip's workflow and nodes, status changes
// included, by target; waits out 503s (send_patiently).
using Readback = std::map<std::string, std::string>;
Readback read_back(const ClientService& client, const BackbeatServer& gateway, const Trip& t);

// Runs the trips, then reads each back through member 0, by workflow id.
std::map<std::string, Readback> run_and_read(Cluster& cluster, ClientService& client,
                                             std::vector<Trip>& trips);

// Runs every trip one step at a time (all creations, then all signals, ...),
// so callbacks from different members overlap as they would in production.
void run_trips(Cluster& cluster, ClientService& client, std::vector<Trip>& trips);

// A request through `gateway` that is retried while it answers 503 with a
// Retry-After (the owner is down or its partition is moving), for up to
// `patience`; any other answer is returned as it is.
TestResponse send_patiently(const ClientService& client, const BackbeatServer& gateway,
                            const std::string& method, const std::string& target,
                            const std::string& body = "", std::chrono::milliseconds patience = 30s);
// How many 503s send_patiently has waited through, in this process.
size_t unavailable_answers();

// Waits until `client` authenticates on every member: users reach the
// others asynchronously after creation.
void wait_user_everywhere(const Cluster& cluster, const ClientService& client);

}  // namespace backbeat::test
