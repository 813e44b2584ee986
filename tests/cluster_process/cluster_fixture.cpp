#include "tests/cluster_process/cluster_fixture.hpp"

#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <atomic>

#include "engine/placement.hpp"

namespace backbeat::test {
namespace {

// Bound to port 0, then closed: another program may take one in between,
// a race these tests accept, as they must know every address up front.
std::vector<uint16_t> distinct_free_ports(size_t n) {
  std::vector<uint16_t> ports;
  while (ports.size() < n) {
    const uint16_t p = closed_port();
    if (std::find(ports.begin(), ports.end(), p) == ports.end()) ports.push_back(p);
  }
  return ports;
}

std::string status_line(const TestResponse& r) { return std::to_string(r.status) + " " + r.body; }

bool has_id(const net::HttpRequest& r, std::string_view path, const std::string& id) {
  return r.path() == path && r.body.find(id) != std::string::npos;
}

void expect(const TestResponse& r, int status, const std::string& what) {
  BOOST_REQUIRE_MESSAGE(r.status == status, what + ": " + status_line(r));
}

// "server/client" statuses of a node, read through `gateway`.
std::string statuses(const ClientService& c, const BackbeatServer& gateway, const std::string& id) {
  TestResponse r = send_patiently(c, gateway, "GET", "/activities/" + id);
  if (r.status != 200) return status_line(r);
  Json n = r.json();
  return n["currentServerStatus"].get<std::string>() + "/" +
         n["currentClientStatus"].get<std::string>();
}

void complete_node(const ClientService& c, const BackbeatServer& gateway, const std::string& id,
                   const std::string& result) {
  expect(send_patiently(c, gateway, "PUT", "/activities/" + id + "/status/processing"), 200,
         "processing " + id);
  expect(send_patiently(c, gateway, "PUT", "/activities/" + id + "/status/completed",
                        Json{{"response", {{"result", result}}}}.dump()),
         200, "completed " + id);
}

std::atomic<size_t> waited_503{0};

}  // namespace

std::string member_config(const std::string& id, uint16_t port, const std::string& seeds,
                          const std::string& links) {
  return "[cluster]\n"
         "member_id = " + id + "\n"
         "host = 127.0.0.1\n"
         "port = " + std::to_string(port) + "\n"
         "seeds = " + seeds + "\n"
         "heartbeat_ms = " + std::to_string(Cluster::kHeartbeatMs) + "\n"
         "suspect_after_ms = " + std::to_string(Cluster::kSuspectAfterMs) + "\n" + links;
}

void require_certs(const std::filesystem::path& dir, const std::vector<std::string>& members) {
  const Status made = make_cluster_certs(dir, members);
  BOOST_REQUIRE_MESSAGE(made.ok(), (made.ok() ? std::string() : made.error().message));
}

Cluster::Cluster() : certs_("backbeat-certs"), cluster_ports_(distinct_free_ports(kSize)) {
  std::vector<std::string> ids;
  std::string seeds;
  for (size_t i = 0; i < kSize; ++i) {
    ids.push_back(member(i));
    seeds += (i ? "," : "") + member(i) + "@" + address(i);
  }
  // The members link over mutual TLS, as a real cluster must.
  require_certs(certs_.path(), ids);
  for (size_t i = 0; i < kSize; ++i) {
    nodes_.push_back(std::make_unique<BackbeatServer>());
    nodes_.back()->set_config(member_config(member(i), cluster_ports_[i], seeds,
                                            cluster_tls_lines(certs_.path(), member(i))));
  }
}

std::string Cluster::address(size_t i) const {
  return "127.0.0.1:" + std::to_string(cluster_ports_.at(i));
}

void Cluster::start() {
  for (size_t i = 0; i < kSize; ++i) {
    node(i).start();
    const std::string said = "cluster member " + member(i) + " on " + address(i) + " (mutual TLS)";
    BOOST_REQUIRE_MESSAGE(node(i).log().find(said) != std::string::npos,
                          "no '" + said + "' line:\n" + node(i).log());
  }
  wait_converged();
}

Cluster::~Cluster() {
  if (std::getenv("BACKBEAT_SHOW_LOGS")) BOOST_TEST_MESSAGE(logs());
}

size_t Cluster::add_member() {
  const size_t i = nodes_.size();
  while (cluster_ports_.size() <= i) {
    const uint16_t p = closed_port();
    if (std::find(cluster_ports_.begin(), cluster_ports_.end(), p) == cluster_ports_.end())
      cluster_ports_.push_back(p);
  }
  // Signed by the CA the others trust: a second run reuses it.
  require_certs(certs_.path(), {member(i)});
  nodes_.push_back(std::make_unique<BackbeatServer>());
  nodes_.back()->set_config(member_config(member(i), cluster_ports_[i], address(0),
                                          cluster_tls_lines(certs_.path(), member(i))));
  nodes_.back()->start();
  return i;
}

void Cluster::wait_converged(std::chrono::milliseconds timeout) const {
  const size_t n = size();
  for (size_t i = 0; i < n; ++i) {
    Json last;
    const bool up = wait_status(
        i,
        [n](const Json& s) {
          return all_up(s, n) && s["map"].size() == kPartitions && s["epoch"].get<uint64_t>() >= 1;
        },
        timeout, &last);
    BOOST_REQUIRE_MESSAGE(up, member(i) + " never saw the whole cluster up; last status:\n" +
                                  last.dump(1) + "\n" + logs());
  }
}

Json Cluster::status(size_t i) const {
  TestResponse r = node(i).admin("GET", "/admin/cluster");
  BOOST_REQUIRE_MESSAGE(r.status == 200, "GET /admin/cluster on " + member(i) + ": " + status_line(r));
  return r.json();
}

bool Cluster::wait_status(size_t i, const std::function<bool(const Json&)>& ready,
                          std::chrono::milliseconds timeout, Json* last,
                          std::chrono::milliseconds every) const {
  return eventually(
      [&] {
        Json s = status(i);
        const bool done = ready(s);
        if (last) *last = std::move(s);
        return done;
      },
      timeout, every);
}

std::string Cluster::logs() const {
  std::string out;
  for (size_t i = 0; i < size(); ++i) out += "---- " + member(i) + " ----\n" + node(i).log();
  return out;
}

const Json* member_row(const Json& status, const std::string& id) {
  if (!status.contains("members")) return nullptr;
  for (const Json& m : status["members"])
    if (m.value("id", "") == id) return &m;
  return nullptr;
}

std::string state_of(const Json& status, const std::string& id) {
  const Json* m = member_row(status, id);
  return m ? m->value("state", "") : "";
}

uint64_t incarnation_of(const Json& status, const std::string& id) {
  const Json* m = member_row(status, id);
  return m ? m->value("incarnation", uint64_t{0}) : 0;
}

bool all_up(const Json& status, size_t members) {
  if (!status.contains("members") || status["members"].size() != members) return false;
  for (const Json& m : status["members"])
    if (m.value("state", "") != "up") return false;
  return true;
}

std::string owner_of(const Json& status, const std::string& workflow_id) {
  auto id = Uuid::parse(workflow_id);
  BOOST_REQUIRE(id.has_value());
  const uint32_t p = partition_of_workflow(*id, Cluster::kPartitions);
  return status.at("map").at(p).at("owner").get<std::string>();
}

void run_trips(Cluster& cluster, ClientService& client, std::vector<Trip>& trips) {
  for (Trip& t : trips) {
    TestResponse r = send_patiently(client, cluster.node(t.create_via), "POST", "/workflows",
                                     Json{{"workflowType", "order"},
                                          {"subject", t.subject},
                                          {"decider", "ClusterDecider"}}
                                         .dump());
    expect(r, 201, "create " + t.subject.dump() + " via " + Cluster::member(t.create_via));
    t.workflow = r.json().at("id");
  }
  for (Trip& t : trips) {
    TestResponse r = send_patiently(client, cluster.node(t.signal_via), "POST",
                                    "/workflows/" + t.workflow + "/signal/go", "{}");
    expect(r, 201, "signal " + t.workflow + " via " + Cluster::member(t.signal_via));
    t.decision = r.json().at("id");
  }
  for (Trip& t : trips) {
    auto cb = client.endpoint().wait_for(
        [&](const net::HttpRequest& r) { return has_id(r, "/decision", t.decision); }, 15s);
    BOOST_REQUIRE_MESSAGE(cb, "no decision callback for " + t.decision + "\n" + cluster.logs());
  }
  for (Trip& t : trips) {
    const BackbeatServer& gw = cluster.node(t.decide_via);
    const std::string node = "/activities/" + t.decision;
    expect(send_patiently(client, gw, "PUT", node + "/status/deciding"), 200, "deciding " + t.decision);
    TestResponse added = send_patiently(client, gw, "POST", node + "/decisions",
                                         Json{{"decisions", {{{"name", "ship"}}}}}.dump());
    expect(added, 201, "decisions on " + t.decision);
    t.activity = added.json().at(0);
    complete_node(client, gw, t.decision, "decided");
  }
  for (Trip& t : trips) {
    auto cb = client.endpoint().wait_for(
        [&](const net::HttpRequest& r) { return has_id(r, "/activity", t.activity); }, 15s);
    BOOST_REQUIRE_MESSAGE(cb, "no activity callback for " + t.activity + "\n" + cluster.logs());
  }
  for (Trip& t : trips) complete_node(client, cluster.node(t.finish_via), t.activity, "shipped");
  for (Trip& t : trips) {
    const BackbeatServer& gw = cluster.node(t.finish_via);
    std::string last;
    for (const std::string& id : {t.activity, t.decision}) {
      const bool done = eventually(
          [&] { return (last = statuses(client, gw, id)) == "complete/complete"; }, 10s, 25ms);
      BOOST_CHECK_MESSAGE(done, "node " + id + " of " + t.workflow + " is " + last);
    }
  }
}

TestResponse send_patiently(const ClientService& client, const BackbeatServer& gateway,
                            const std::string& method, const std::string& target,
                            const std::string& body, std::chrono::milliseconds patience) {
  const auto deadline = std::chrono::steady_clock::now() + patience;
  for (;;) {
    TestResponse r = client.send_via(gateway, method, target, body);
    if (r.status != 503 || r.header("Retry-After").empty() ||
        std::chrono::steady_clock::now() >= deadline)
      return r;
    ++waited_503;
    std::this_thread::sleep_for(50ms);
  }
}

size_t unavailable_answers() { return waited_503.load(); }

Readback read_back(const ClientService& client, const BackbeatServer& gateway, const Trip& t) {
  Readback out;
  for (const std::string& target :
       {"/workflows/" + t.workflow, "/workflows/" + t.workflow + "/tree",
        "/activities/" + t.decision, "/activities/" + t.activity,
        "/activities/" + t.decision + "/status_changes", "/activities/" + t.activity + "/status_changes"}) {
    const TestResponse r = send_patiently(client, gateway, "GET", target);
    out[target] = status_line(r);
  }
  return out;
}

std::map<std::string, Readback> run_and_read(Cluster& cluster, ClientService& client,
                                             std::vector<Trip>& trips) {
  run_trips(cluster, client, trips);
  std::map<std::string, Readback> out;
  for (const Trip& t : trips) out[t.workflow] = read_back(client, cluster.node(0), t);
  return out;
}

void wait_user_everywhere(const Cluster& cluster, const ClientService& client) {
  for (size_t i = 0; i < cluster.size(); ++i) {
    TestResponse last;
    const bool known = eventually(
        [&] { return (last = client.send_via(cluster.node(i), "GET", "/workflows/names")).status == 200; },
        10s);
    BOOST_REQUIRE_MESSAGE(known, "user " + client.id() + " cannot authenticate on " +
                                     Cluster::member(i) + ": " + status_line(last));
  }
}

}  // namespace backbeat::test
