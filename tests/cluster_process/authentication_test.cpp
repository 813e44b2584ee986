// Members prove who they are (docs/cluster.md, "Member authentication"):
// links are mutual TLS with certificates of the cluster's CA. A node with a
// certificate of another CA, or with no TLS at all, reaches the members'
// cluster port and still never joins: it is never listed, gets no
// partitions, and nothing sent through it reaches the cluster.
#include <boost/test/unit_test.hpp>

#include <fstream>
#include <set>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

namespace {

bool has_problem(const Json& status, const std::string& text) {
  for (const Json& p : status.value("problems", Json::array()))
    if (p.get<std::string>().find(text) != std::string::npos) return true;
  return false;
}

std::set<std::string> owners(const Json& status) {
  std::set<std::string> out;
  for (const Json& row : status.value("map", Json::array())) out.insert(row["owner"].get<std::string>());
  return out;
}

// A node that asks to join the cluster through n1, as `--join` does.
std::unique_ptr<BackbeatServer> outsider(const Cluster& cluster, const std::string& id,
                                         const std::string& links) {
  auto node = std::make_unique<BackbeatServer>();
  node->set_config(member_config(id, closed_port(), cluster.address(0), links));
  node->start();
  return node;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(authentication)

BOOST_AUTO_TEST_CASE(a_member_of_another_ca_or_without_tls_cannot_join) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "insider");
  wait_user_everywhere(cluster, client);

  // n4 has a certificate and key of its own, signed by a CA the cluster
  // does not trust; n5 links in clear. Both name n1 as their way in.
  TempDir foreign("backbeat-foreign-ca");
  require_certs(foreign.path(), {"n4"});
  auto impostor = outsider(cluster, "n4", cluster_tls_lines(foreign.path(), "n4"));
  auto plain = outsider(cluster, "n5", "allow_plaintext = true\n");
  BOOST_TEST(plain->log().find("warning: cluster.allow_plaintext") != std::string::npos, plain->log());

  // Each tried and was refused during the TLS handshake, before a message.
  for (BackbeatServer* node : {impostor.get(), plain.get()}) {
    Json last;
    const bool refused = eventually(
        [&] {
          last = node->admin("GET", "/admin/cluster").json();
          return has_problem(last, "closed during its handshake");
        },
        15s);
    BOOST_TEST(refused, "no refused handshake noted: " << last.dump() << "\n" << node->log());
    BOOST_TEST(last["members"].size() == 1u, last.dump());  // only itself
    BOOST_TEST(!owners(last).count(last["self"].get<std::string>()), last.dump());
  }
  // Several heartbeat rounds and reconnects later (one suspect period is
  // seven of each), the members still are exactly n1..n3 at epoch 1: no
  // one was listed, no partition moved.
  std::this_thread::sleep_for(std::chrono::milliseconds(Cluster::kSuspectAfterMs));
  for (size_t i = 0; i < Cluster::kSize; ++i) {
    const Json s = cluster.status(i);
    BOOST_TEST_CONTEXT("as " << Cluster::member(i) << " sees it: " << s.dump()) {
      BOOST_TEST(all_up(s, 3));
      BOOST_TEST(!member_row(s, "n4"));
      BOOST_TEST(!member_row(s, "n5"));
      BOOST_TEST((owners(s) == std::set<std::string>{"n1", "n2", "n3"}));
      BOOST_TEST(s["epoch"] == 1);
    }
  }

  // Nothing sent through them reaches the cluster: a user created on the
  // impostor stays there, an admin request it would forward to n1 fails,
  // and the cluster's user is unknown to it.
  const TestResponse user = impostor->admin(
      "POST", "/users", {{"name", "intruder"}, {"activity_endpoint", "http://127.0.0.1:1/a"}});
  BOOST_REQUIRE_MESSAGE(user.status == 201, user.body);
  const std::string intruder_id = user.json().at("id");
  const TestResponse drain = impostor->admin("PUT", "/admin/cluster/members/n1/drain");
  BOOST_TEST(drain.status / 100 != 2, drain.body);
  BOOST_TEST(client.send_via(*impostor, "GET", "/workflows/names").status == 401);
  std::this_thread::sleep_for(1s);
  for (size_t i = 0; i < Cluster::kSize; ++i) {
    const TestResponse there = cluster.node(i).admin("GET", "/users/" + intruder_id);
    BOOST_TEST(there.status == 404, Cluster::member(i) << ": " << there.body);
    const Json status = cluster.status(i);
    const Json* n1 = member_row(status, "n1");
    BOOST_REQUIRE(n1);
    BOOST_TEST((*n1)["draining"] == false);
  }

  // And the members keep working together over TLS: workflows created,
  // decided and completed through different gateways.
  std::vector<Trip> trips(6);
  for (size_t i = 0; i < trips.size(); ++i) {
    trips[i].subject = Json{{"order", i}};
    trips[i].create_via = i % 3;
    trips[i].signal_via = (i + 1) % 3;
    trips[i].decide_via = (i + 2) % 3;
    trips[i].finish_via = i % 3;
  }
  run_trips(cluster, client, trips);
}

// Without TLS and without the opt-out, a member refuses to start (exit 2)
// and says which keys to set and which command makes the files.
BOOST_AUTO_TEST_CASE(a_member_without_tls_does_not_start) {
  TempDir dir("backbeat-no-tls");
  const auto config = dir.path() / "member.conf";
  std::ofstream(config) << member_config("n1", 0, "", "");
  ServerProcessOptions o;
  o.args = {"serve", "--http-port", "0", "--data-dir", (dir.path() / "data").string(), "--config",
            config.string()};
  o.log_dir = dir.path();
  ServerProcess proc(o);
  BOOST_TEST(!proc.start());
  BOOST_TEST(proc.wait() == 2);
  const std::string log = proc.log();
  for (const char* said : {"cluster.tls_cert", "cluster.tls_key", "cluster.tls_ca",
                           "backbeat cluster certs", "cluster.allow_plaintext = true"})
    BOOST_TEST(log.find(said) != std::string::npos, said << " not in:\n" << log);
}

BOOST_AUTO_TEST_SUITE_END()
