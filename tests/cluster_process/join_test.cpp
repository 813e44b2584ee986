// Adding a member under load (docs/cluster.md, "Moving partitions"): a
// fourth member joins through one seed, a quarter of the partitions move to
// it while clients keep driving workflows through every gateway, and
// afterwards every workflow is there, byte for byte, wherever it lives;
// timers set before the move fire on the new owner.
#include <boost/test/unit_test.hpp>

#include <csignal>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "tests/cluster_process/cluster_fixture.hpp"

using namespace backbeat::test;

namespace {

// "2026-11-25T07:00:05.000Z", `ahead` from now.
std::string iso_time_in(std::chrono::seconds ahead) {
  const std::time_t t = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now() + ahead);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char out[32];
  std::strftime(out, sizeof out, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return out;
}

// Partitions per owner in a status's map.
std::map<std::string, size_t> owned(const Json& status) {
  std::map<std::string, size_t> out;
  for (const Json& a : status["map"]) ++out[a["owner"].get<std::string>()];
  return out;
}

// All `up` members up, no move under way, and the partitions spread evenly
// over `hosts` alone (the others own none).
bool balanced(const Json& s, size_t up, const std::set<std::string>& hosts) {
  if (!all_up(s, up) || s["map"].size() != Cluster::kPartitions) return false;
  if (s.contains("moving") && !s["moving"].empty()) return false;
  const auto counts = owned(s);
  const size_t least = Cluster::kPartitions / hosts.size();
  const size_t most = least + (Cluster::kPartitions % hosts.size() ? 1 : 0);
  for (const auto& [member, count] : counts)
    if (!hosts.count(member) || count < least || count > most) return false;
  return counts.size() == hosts.size();
}

// Every member sees the balance within `timeout`, or the test fails.
void wait_balanced(const Cluster& cluster, size_t up, const std::set<std::string>& hosts,
                   std::chrono::milliseconds timeout) {
  for (size_t i = 0; i < up; ++i) {
    Json last;
    const bool settled =
        cluster.wait_status(i, [&](const Json& s) { return balanced(s, up, hosts); }, timeout, &last);
    BOOST_REQUIRE_MESSAGE(settled, Cluster::member(i) + " never saw a balanced map:\n" + last.dump(1) +
                                       "\n" + cluster.logs());
  }
}

std::vector<Trip> make_trips(const std::string& key, size_t count, size_t gateways);

// Every workflow of the client a search through `gateway` lists, walked by
// last_id; nullopt if a page was refused with 503 (a partition changing
// owner); any other failure fails the test.
std::optional<std::set<std::string>> search_all(const ClientService& client,
                                                const BackbeatServer& gateway) {
  std::set<std::string> ids;
  std::string last;
  for (int guard = 0; guard < 100; ++guard) {
    const TestResponse r = client.send_via(
        gateway, "GET", "/workflows/search?per_page=200" + (last.empty() ? "" : "&last_id=" + last));
    if (r.status == 503 && !r.header("Retry-After").empty()) return std::nullopt;
    BOOST_REQUIRE_MESSAGE(r.status == 200, std::to_string(r.status) + " " + r.body);
    const Json page = r.json();
    if (page.empty()) return ids;
    for (const Json& row : page) BOOST_REQUIRE_MESSAGE(ids.insert(row["id"]).second, "listed twice");
    last = page.back()["id"];
  }
  BOOST_FAIL("search paging never ended");
  return ids;
}

// The client's workflows, and how searches for them went while partitions moved.
struct Known {
  std::set<std::string> workflows;
  size_t exact = 0, refused = 0;
};

// Rounds of trips through the first `gateways` members until `done`, for a
// minute at most, each round followed by a search that must list exactly
// the workflows made so far, or answer 503; every trip it ran.
std::vector<Trip> drive_until(Cluster& cluster, ClientService& client, size_t gateways, Known& known,
                              const std::function<bool()>& done) {
  static size_t rounds = 0;
  std::vector<Trip> all;
  const auto give_up = std::chrono::steady_clock::now() + 60s;
  for (;;) {
    const size_t round = rounds++;
    std::vector<Trip> trips = make_trips("round" + std::to_string(round), 12, gateways);
    run_trips(cluster, client, trips);
    all.insert(all.end(), trips.begin(), trips.end());
    for (const Trip& t : trips) known.workflows.insert(t.workflow);
    if (auto listed = search_all(client, cluster.node(round % gateways))) {
      BOOST_TEST((*listed == known.workflows), "search in round " << round << ": " << listed->size()
                                                                  << " of " << known.workflows.size());
      ++known.exact;
    } else {
      ++known.refused;
    }
    if (done() || std::chrono::steady_clock::now() > give_up) return all;
  }
}

std::vector<Trip> make_trips(const std::string& key, size_t count, size_t gateways) {
  std::vector<Trip> trips(count);
  for (size_t i = 0; i < count; ++i) {
    trips[i].subject = Json{{key, i}};
    trips[i].create_via = i % gateways;
    trips[i].signal_via = (i + 1) % gateways;
    trips[i].decide_via = (i + 2) % gateways;
    trips[i].finish_via = (i + 3) % gateways;
  }
  return trips;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(join)

BOOST_AUTO_TEST_CASE(a_member_joins_then_drains_under_load_and_nothing_is_lost) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "joining");
  wait_user_everywhere(cluster, client);

  // Finished before the join: read back later from every gateway.
  std::vector<Trip> before = make_trips("before", 40, Cluster::kSize);
  auto seen = run_and_read(cluster, client, before);
  Known known;
  for (const Trip& t : before) known.workflows.insert(t.workflow);

  // Timers set before the join, firing after its moves are done.
  const auto timers_at = std::chrono::steady_clock::now() + 12s;
  std::vector<std::string> timer_workflows, timer_decisions;
  for (int i = 0; i < 40; ++i) {
    const std::string wf = client.workflow("timer", Json{{"timer", i}});
    TestResponse r = send_patiently(client, cluster.node(i % Cluster::kSize), "POST",
                                    "/workflows/" + wf + "/signal/later",
                                    Json{{"fires_at", iso_time_in(12s)}}.dump());
    BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
    timer_workflows.push_back(wf);
    known.workflows.insert(wf);
    timer_decisions.push_back(r.json().at("id"));
  }

  const auto joined_at = std::chrono::steady_clock::now();
  const size_t n4 = cluster.add_member();
  const size_t members = cluster.size();
  wait_user_everywhere(cluster, client);

  // Load through every gateway, the new one included, until the moves are done.
  const std::set<std::string> all_four{"n1", "n2", "n3", "n4"};
  std::vector<Trip> during = drive_until(cluster, client, members, known, [&] {
    return balanced(cluster.status(n4), members, all_four);
  });
  wait_balanced(cluster, members, all_four, 30s);
  const Json status = cluster.status(0);
  BOOST_TEST_MESSAGE("balanced " << std::chrono::duration_cast<std::chrono::milliseconds>(
                                        std::chrono::steady_clock::now() - joined_at).count()
                                 << " ms after n4 started");
  BOOST_TEST(owned(status)["n4"] == Cluster::kPartitions / members);
  BOOST_TEST_MESSAGE("workflows driven during the join: " << during.size() << ", 503s waited out: "
                                                          << unavailable_answers());

  // Nothing lost, nothing changed: every gateway answers as before the join.
  size_t moved_to_n4 = 0;
  for (const Trip& t : before) {
    if (owner_of(status, t.workflow) == "n4") ++moved_to_n4;
    for (size_t g = 0; g < members; ++g)
      BOOST_TEST((read_back(client, cluster.node(g), t) == seen[t.workflow]),
                 t.workflow << " via " << Cluster::member(g));
  }
  BOOST_TEST(moved_to_n4 > 0u);
  for (const Trip& t : during) {
    const auto here = read_back(client, cluster.node(n4), t);
    for (size_t g = 0; g + 1 < members; ++g)
      BOOST_TEST((read_back(client, cluster.node(g), t) == here), t.workflow << " via " << Cluster::member(g));
  }

  // The timers fire once, where their partitions now live, not before their time.
  auto timer_calls = [&](const std::string& decision) {
    size_t calls = 0;
    for (const auto& r : client.endpoint().received())
      if (r.path() == "/decision" && r.body.find(decision) != std::string::npos) ++calls;
    return calls;
  };
  if (std::chrono::steady_clock::now() < timers_at - 1s) {
    for (const std::string& d : timer_decisions) BOOST_TEST(timer_calls(d) == 0u, d << " fired early");
  } else {
    BOOST_TEST_MESSAGE("the moves outlasted the timers' lead: early firing not checked");
  }
  size_t timers_on_n4 = 0;
  for (size_t i = 0; i < timer_workflows.size(); ++i) {
    const bool fired = eventually([&] { return timer_calls(timer_decisions[i]) > 0; }, 30s);
    BOOST_REQUIRE_MESSAGE(fired, "timer " + timer_decisions[i] + " never fired\n" + cluster.logs());
    if (owner_of(status, timer_workflows[i]) == "n4") ++timers_on_n4;
  }
  std::this_thread::sleep_for(500ms);  // a second firing would have arrived by now
  for (const std::string& d : timer_decisions) BOOST_TEST(timer_calls(d) == 1u, d);
  BOOST_TEST(timers_on_n4 > 0u);
  BOOST_TEST_MESSAGE("of 40 timers, " << timers_on_n4 << " fired on n4 after their move");
  BOOST_TEST(cluster.node(n4).log().find("is live here") != std::string::npos);

  // Drain n4 again, asked through another gateway; load goes on meanwhile.
  std::map<std::string, Readback> before_drain;
  for (const Trip& t : during) before_drain[t.workflow] = read_back(client, cluster.node(0), t);
  const TestResponse drain = cluster.node(1).admin("PUT", "/admin/cluster/members/n4/drain");
  BOOST_REQUIRE_MESSAGE(drain.status == 200, drain.body);
  BOOST_TEST(drain.json() == Json({{"member", "n4"}, {"draining", true}}));
  const std::set<std::string> first_three{"n1", "n2", "n3"};
  std::vector<Trip> draining = drive_until(cluster, client, members, known, [&] {
    return balanced(cluster.status(n4), members, first_three);
  });
  wait_balanced(cluster, members, first_three, 30s);
  const Json after_drain = cluster.status(2);
  const Json* row = member_row(after_drain, "n4");
  BOOST_REQUIRE(row);
  BOOST_TEST((*row)["draining"] == true);
  BOOST_TEST((*row)["drained"] == true);
  BOOST_TEST((*row)["partitionsOwned"] == 0);
  BOOST_TEST_MESSAGE("workflows driven during the drain: " << draining.size() << "; searches exact: "
                                                            << known.exact << ", refused with 503: "
                                                            << known.refused);
  BOOST_TEST(known.exact > 0u);

  // Then n4 stops; the three serve everything, as it was.
  cluster.node(n4).kill(SIGTERM);
  for (size_t g = 0; g < Cluster::kSize; ++g) {
    for (const Trip& t : before)
      BOOST_TEST((read_back(client, cluster.node(g), t) == seen[t.workflow]),
                 t.workflow << " via " << Cluster::member(g) << " after the drain");
    for (const Trip& t : during)
      BOOST_TEST((read_back(client, cluster.node(g), t) == before_drain[t.workflow]),
                 t.workflow << " via " << Cluster::member(g) << " after the drain");
  }
  for (const Trip& t : draining)
    BOOST_TEST(read_back(client, cluster.node(2), t) == read_back(client, cluster.node(0), t));
}

// Frozen, then killed, while partitions move to it: the move under way is
// given up once it is seen down, the old owners serve their partitions
// again, the ones it already had wait for it, and once it is back the join
// finishes with nothing lost.
BOOST_AUTO_TEST_CASE(a_member_killed_while_joining_loses_nothing) {
  Cluster cluster;
  cluster.start();
  ClientService client(cluster.node(0), "interrupted");
  wait_user_everywhere(cluster, client);
  std::vector<Trip> before = make_trips("before", 120, Cluster::kSize);
  auto seen = run_and_read(cluster, client, before);

  // Freeze it in the middle of a move if one can be caught; else after a few.
  const size_t n4 = cluster.add_member();
  bool caught = false;
  const bool started = eventually(
      [&] {
        for (size_t i = 0; i < Cluster::kSize && !caught; ++i) {
          const Json s = cluster.status(i);
          caught = owned(s)["n4"] >= 2 && s.contains("moving") && !s["moving"].empty();
        }
        return caught || owned(cluster.status(0))["n4"] >= 6;
      },
      30s, 1ms);
  BOOST_REQUIRE_MESSAGE(started, "n4 never got partitions\n" + cluster.logs());
  cluster.node(n4).signal(SIGSTOP);
  BOOST_TEST_MESSAGE("n4 frozen " << (caught ? "in the middle of a move" : "between moves"));
  for (size_t i = 0; i < Cluster::kSize; ++i)
    BOOST_REQUIRE(cluster.wait_status(i, [](const Json& s) {
      return state_of(s, "n4") == "down" && (!s.contains("moving") || s["moving"].empty());
    }, 10s));
  cluster.node(n4).kill(SIGKILL);

  // While it is down: its partitions answer 503, every other one as before.
  const Json down = cluster.status(0);
  size_t waiting = 0;
  for (const Trip& t : before) {
    if (owner_of(down, t.workflow) == "n4") {
      const TestResponse r = client.send_via(cluster.node(1), "GET", "/workflows/" + t.workflow);
      BOOST_TEST(r.status == 503, r.body);
      ++waiting;
      continue;
    }
    for (size_t g = 0; g < Cluster::kSize; ++g)
      BOOST_TEST((read_back(client, cluster.node(g), t) == seen[t.workflow]), t.workflow);
  }
  BOOST_TEST_MESSAGE(waiting << " of " << before.size() << " workflows waited for n4 (partitions moved: "
                             << owned(down)["n4"] << ")");

  cluster.node(n4).start();
  wait_balanced(cluster, cluster.size(), {"n1", "n2", "n3", "n4"}, 30s);
  for (const Trip& t : before)
    for (size_t g = 0; g < cluster.size(); ++g)
      BOOST_TEST((read_back(client, cluster.node(g), t) == seen[t.workflow]),
                 t.workflow << " via " << Cluster::member(g) << " after n4 came back");
  // And the workflows still move on, wherever they live now.
  std::vector<Trip> after = make_trips("after", 12, cluster.size());
  run_trips(cluster, client, after);
}

BOOST_AUTO_TEST_SUITE_END()
