// Losing a member (docs/cluster.md, "What a node loss costs"): a killed or
// frozen member is seen down by the others from missing heartbeats; its
// partitions answer 503 while the rest keep working; once back it serves
// its partitions again from its own disk.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

namespace {

constexpr size_t kN1 = 0, kN2 = 1, kN3 = 2;

// Waits until `observer` reports `member` in `state`; the time it took.
std::chrono::milliseconds wait_member_state(const Cluster& cluster, size_t observer,
                                            const std::string& member, const std::string& state,
                                            std::chrono::milliseconds timeout) {
  const auto start = std::chrono::steady_clock::now();
  Json last;
  const bool seen = cluster.wait_status(
      observer, [&](const Json& s) { return state_of(s, member) == state; }, timeout, &last);
  BOOST_REQUIRE_MESSAGE(seen, Cluster::member(observer) + " never saw " + member + " " + state +
                                  " within " + std::to_string(timeout.count()) +
                                  " ms; last status:\n" + last.dump(1));
  return std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() -
                                                               start);
}

void check_unavailable(const TestResponse& r, const std::string& what) {
  BOOST_TEST(r.status == 503, what << ": " << r.status << " " << r.body);
  BOOST_TEST(!r.header("Retry-After").empty(), what << " has no Retry-After");
  if (r.status == 503) {
    const Json body = r.json();
    BOOST_TEST(body.contains("errorClass"), what << ": " << r.body);
    BOOST_TEST(body.contains("message"), what << ": " << r.body);
  }
}

}  // namespace

BOOST_AUTO_TEST_SUITE(failures)

BOOST_AUTO_TEST_CASE(a_killed_member_is_down_then_rejoins_with_nothing_lost) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(kN1), "survivor");
  wait_user_everywhere(cluster, client);
  const Json map = cluster.status(kN1);

  // Workflows until every member owns at least two of them.
  std::vector<Trip> trips;
  std::map<std::string, int> owners;
  for (size_t i = 0; i < 60 && (owners["n1"] < 2 || owners["n2"] < 2 || owners["n3"] < 2); ++i) {
    Trip t;
    t.subject = Json{{"before", i}};
    t.create_via = i % 3;
    t.signal_via = (i + 1) % 3;
    t.decide_via = (i + 2) % 3;
    t.finish_via = i % 3;
    // The id is derived from user, name and subject: create it to learn it.
    std::vector<Trip> one{t};
    run_trips(cluster, client, one);
    trips.push_back(one[0]);
    ++owners[owner_of(map, one[0].workflow)];
  }
  BOOST_REQUIRE(owners["n3"] >= 2);
  std::map<std::string, Readback> before;
  for (const Trip& t : trips) before[t.workflow] = read_back(client, cluster.node(kN1), t);

  cluster.node(kN3).kill(SIGKILL);
  const auto took = wait_member_state(cluster, kN1, "n3", "down", 10s);
  BOOST_TEST_MESSAGE("n1 saw n3 down after " << took.count() << " ms");
  wait_member_state(cluster, kN2, "n3", "down", 5s);
  BOOST_TEST(state_of(cluster.status(kN1), "n2") == "up");

  for (const Trip& t : trips) {
    const bool on_n3 = owner_of(map, t.workflow) == "n3";
    for (size_t g : {kN1, kN2}) {
      const std::string via = " via " + Cluster::member(g);
      const TestResponse wf = client.send_via(cluster.node(g), "GET", "/workflows/" + t.workflow);
      const TestResponse node = client.send_via(cluster.node(g), "GET", "/activities/" + t.activity);
      if (on_n3) {
        check_unavailable(wf, "GET workflow on n3" + via);
        check_unavailable(node, "GET activity on n3" + via);
        check_unavailable(client.send_via(cluster.node(g), "POST",
                                          "/workflows/" + t.workflow + "/signal/again", "{}"),
                          "signal on n3" + via);
      } else {
        BOOST_TEST(std::to_string(wf.status) + " " + wf.body == before[t.workflow]["/workflows/" + t.workflow]);
        BOOST_TEST(std::to_string(node.status) + " " + node.body ==
                   before[t.workflow]["/activities/" + t.activity]);
      }
    }
  }
  // A search cannot be complete without n3's partitions: 503, not a short page.
  check_unavailable(client.send_via(cluster.node(kN1), "GET", "/workflows/search"),
                    "search with n3 down");

  // Life goes on for the others: a workflow in one of n1's partitions, entirely through n2.
  Trip during;
  bool placed = false;
  for (int k = 0; k < 100 && !placed; ++k) {
    const Json subject{{"during", k}};
    const TestResponse r = client.send_via(cluster.node(kN2), "POST", "/workflows",
                                           Json{{"workflowType", "order"},
                                                {"subject", subject},
                                                {"decider", "ClusterDecider"}}
                                               .dump());
    if (r.status == 503) continue;  // one of n3's partitions
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    if (owner_of(map, r.json()["id"]) != "n1") continue;
    during.subject = subject;
    placed = true;
  }
  BOOST_REQUIRE(placed);
  during.create_via = during.signal_via = during.decide_via = during.finish_via = kN2;
  std::vector<Trip> one{during};
  run_trips(cluster, client, one);  // the creation finds the workflow made above
  during = one[0];
  BOOST_TEST(owner_of(map, during.workflow) == "n1");

  // A user created while n3 is away: n3 copies it when it comes back.
  ClientService latecomer(cluster.node(kN1), "latecomer");

  // n3 comes back on its own data dir, as a new incarnation.
  cluster.node(kN3).start();
  Json last;
  const bool rejoined = cluster.wait_status(
      kN1, [](const Json& s) { return state_of(s, "n3") == "up" && incarnation_of(s, "n3") == 2; },
      15s, &last);
  BOOST_REQUIRE_MESSAGE(rejoined, "n1 never saw n3 back as incarnation 2:\n" + last.dump(1));
  // Logged as a rejoin, not as a member seen for the first time.
  BOOST_TEST(cluster.node(kN1).log().find("member n3 rejoined as incarnation 2") != std::string::npos,
             "n1 log:\n" << cluster.node(kN1).log());
  cluster.wait_converged();
  BOOST_TEST(incarnation_of(cluster.status(kN3), "n3") == 2u);
  BOOST_TEST(cluster.status(kN3)["map"] == map["map"]);

  // Nothing lost: every workflow as it was, from every gateway, n3's included.
  for (const Trip& t : trips)
    for (size_t g = 0; g < Cluster::kSize; ++g)
      BOOST_TEST((read_back(client, cluster.node(g), t) == before[t.workflow]),
                 t.workflow << " via " << Cluster::member(g));
  const auto during_now = read_back(client, cluster.node(kN3), during);
  BOOST_TEST((during_now == read_back(client, cluster.node(kN1), during)));
  const TestResponse all = client.send_via(cluster.node(kN3), "GET", "/workflows/search?per_page=1000");
  BOOST_REQUIRE_EQUAL(all.status, 200);
  std::set<std::string> listed;
  for (const Json& row : all.json()) listed.insert(row["id"]);
  for (const Trip& t : trips) BOOST_TEST(listed.count(t.workflow) == 1u, t.workflow);
  BOOST_TEST(listed.count(during.workflow) == 1u);
  wait_user_everywhere(cluster, latecomer);
}

BOOST_AUTO_TEST_CASE(a_frozen_member_is_down_and_back_when_thawed) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(kN1), "patient");
  wait_user_everywhere(cluster, client);
  const Json map = cluster.status(kN1);
  std::vector<Trip> before(6);
  for (size_t i = 0; i < before.size(); ++i) {
    before[i].subject = Json{{"before_freeze", i}};
    before[i].create_via = i % 3;
    before[i].signal_via = before[i].decide_via = before[i].finish_via = (i + 1) % 3;
  }
  run_trips(cluster, client, before);

  const auto frozen_at = std::chrono::steady_clock::now();
  cluster.node(kN2).signal(SIGSTOP);
  const auto limit = std::chrono::milliseconds(Cluster::kSuspectAfterMs) + 4500ms;
  const auto took = wait_member_state(cluster, kN1, "n2", "down", limit);
  BOOST_TEST_MESSAGE("n1 saw frozen n2 down after " << took.count() << " ms");
  wait_member_state(cluster, kN3, "n2", "down", limit);

  // n2's partitions answer 503 at once instead of waiting on a member that
  // cannot answer; the others are served.
  for (const Trip& t : before) {
    for (size_t g : {kN1, kN3}) {
      const TestResponse r = client.send_via(cluster.node(g), "GET", "/workflows/" + t.workflow);
      if (owner_of(map, t.workflow) == "n2")
        check_unavailable(r, "GET workflow on frozen n2 via " + Cluster::member(g));
      else
        BOOST_TEST(r.status == 200, r.body);
    }
  }

  // Frozen past CAF's own connection timeout (5 s, runtime/node.cpp), so
  // the peers drop their connections to n2 and must connect again.
  std::this_thread::sleep_until(frozen_at + 7s);
  cluster.node(kN2).signal(SIGCONT);
  const auto back = wait_member_state(cluster, kN1, "n2", "up", 20s);
  BOOST_TEST_MESSAGE("n1 saw thawed n2 up after " << back.count() << " ms");
  wait_member_state(cluster, kN3, "n2", "up", 20s);
  cluster.wait_converged();
  for (size_t i = 0; i < Cluster::kSize; ++i)
    BOOST_TEST(incarnation_of(cluster.status(i), "n2") == 1u, "as " << Cluster::member(i) << " sees it");
  // It serves again: what was there before, and new workflows through it.
  // Membership says up as soon as heartbeats flow in; n2's own way out to
  // the others may take a tick more to come back (seen once in ~25 runs:
  // "member n1 is not connected" for a moment after a thaw), so the first
  // answer through n2 is awaited, bounded.
  const auto thawed = std::chrono::steady_clock::now();
  for (const Trip& t : before) {
    TestResponse last;
    const bool served = eventually(
        [&] {
          last = client.send_via(cluster.node(kN2), "GET", "/activities/" + t.activity);
          return last.status == 200;
        },
        5s, 20ms);
    BOOST_TEST(served, t.activity << " via n2: " << last.status << " " << last.body);
  }
  BOOST_TEST_MESSAGE("n2 forwarded again "
                     << std::chrono::duration_cast<std::chrono::milliseconds>(
                            std::chrono::steady_clock::now() - thawed)
                            .count()
                     << " ms after the cluster looked converged");
  for (const Trip& t : before)
    for (size_t g = 0; g < Cluster::kSize; ++g) {
      const TestResponse r = client.send_via(cluster.node(g), "GET", "/activities/" + t.activity);
      BOOST_TEST(r.status == 200, t.activity << " via " << Cluster::member(g) << ": " << r.body);
    }
  std::vector<Trip> trips(3);
  for (size_t i = 0; i < trips.size(); ++i) {
    trips[i].subject = Json{{"thawed", i}};
    trips[i].create_via = trips[i].signal_via = trips[i].decide_via = trips[i].finish_via = kN2;
  }
  run_trips(cluster, client, trips);
}

BOOST_AUTO_TEST_SUITE_END()
