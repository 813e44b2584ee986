// A gathered search whose members' scan budgets run out (docs/cluster.md,
// "Searches"), on two members in one process: the gateway answers only the
// rows every member has vouched for, says it is partial, and its cursor
// continues the walk, so a client following it sees every row once, in
// the order one node holding everything would give.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <map>
#include <tuple>

#include "actors/api/partial_listing.hpp"
#include "actors/api/search_window.hpp"
#include "storage/search.hpp"
#include "tests/actors/loopback_cluster.hpp"

namespace backbeat::test {

using namespace loopback;

namespace {

actors::api::ReadLimits tiny_budget() {
  actors::api::ReadLimits limits;
  limits.scan_budget = 3;
  return limits;
}

struct Budgeted : Cluster {
  Budgeted() : Cluster(tiny_budget()) {}

  // The rows of both members' stores matching `text`, in listing order.
  std::vector<std::string> expected(const std::string& text) {
    storage::SearchFilter f;
    f.text = text;
    std::vector<Workflow> all;
    for (Member* m : {&n1, &n2}) {
      auto found = storage::search_workflows(*m->node.store, user.id, f, storage::PageRequest{1000});
      BOOST_TEST_REQUIRE(found.ok());
      all.insert(all.end(), found->rows.begin(), found->rows.end());
    }
    std::sort(all.begin(), all.end(), [](const Workflow& a, const Workflow& b) {
      return std::tie(b.created_at, b.id) < std::tie(a.created_at, a.id);
    });
    std::vector<std::string> out;
    for (const Workflow& wf : all) out.push_back(wf.id.str());
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_partial, Budgeted)

BOOST_AUTO_TEST_CASE(partial_gathered_pages_walk_every_row_once) {
  spread(16);  // subjects {"n": 0} ... {"n": 15}
  const std::vector<std::string> want = expected("1");
  BOOST_TEST_REQUIRE(want.size() == 7u);  // 1, 10 ... 15
  for (Member* gateway : {&n1, &n2}) {
    BOOST_TEST_CONTEXT("via " << gateway->link.self_id()) {
      std::vector<std::string> walked;
      std::string last;
      int partials = 0;
      for (int guard = 0; guard < 100; ++guard) {
        Reply r = ask(*gateway, "GET",
                      "/workflows/search?subject=1&per_page=2" + (last.empty() ? "" : "&last_id=" + last));
        BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
        BOOST_TEST(r.header(actors::api::kScannedToHeader).empty());
        for (const std::string& id : ids_in(r.body)) walked.push_back(id);
        if (r.header(actors::api::kPartialHeader) == "true") {
          ++partials;
          last = r.header(actors::api::kNextLastIdHeader);
          BOOST_TEST_REQUIRE(!last.empty());
          continue;
        }
        if (r.body.size() < 2) break;
        last = walked.back();
      }
      BOOST_TEST((walked == want));
      BOOST_TEST(partials > 0);
    }
  }
}

BOOST_AUTO_TEST_CASE(gathered_names_are_partial_when_a_member_is) {
  // Distinct names until each member holds more than its budget of them.
  std::map<std::string, int> held;
  for (int i = 0; held["n1"] < 4 || held["n2"] < 4; ++i) {
    BOOST_TEST_REQUIRE(i < 200);
    held[create(i % 2 ? n2 : n1, "name-" + std::to_string(i), {{"i", i}}).second]++;
  }
  Reply names = ask(n1, "GET", "/workflows/names");
  BOOST_TEST_REQUIRE(names.status == 200, names.raw.body);
  BOOST_TEST(names.header(actors::api::kPartialHeader) == "true");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
