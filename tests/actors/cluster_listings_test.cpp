// Gathered listings while members hold copies of partitions they do not own
// (docs/cluster.md, "Searches"), on two members in one process
// (tests/actors/loopback_cluster.hpp). n1 holds a copy of every workflow of
// n2's, as while n2's partitions stream to it or after n1 gave them away; a
// member answers from the partitions it owns alone, so every listing shows
// each row once, as its owner has it, and pages count only those rows.
#include <boost/test/unit_test.hpp>

#include <map>
#include <set>

#include "actors/api/workflow_identity.hpp"
#include "actors/partition_transfer.hpp"
#include "tests/actors/loopback_cluster.hpp"

namespace backbeat::test {

using namespace loopback;

namespace {

struct Copies : Cluster {
  std::vector<std::pair<std::string, std::string>> made;  // workflow, owner
  std::map<std::string, std::string> node_of;             // workflow -> its errored node
  std::string ghost;     // n2's, deleted there; n1 still holds its copy
  std::string resolved;  // n2's, resolved there after n1 copied it errored

  Copies() {
    made = spread(12, "kept-");
    for (const auto& [wf, owner] : made) node_of[wf] = errored_node(wf);
    for (const auto& [wf, owner] : made) {
      if (owner != "n2") continue;
      copy(n2, n1, wf);
      if (resolved.empty()) resolved = wf;
    }
    BOOST_TEST_REQUIRE(!resolved.empty());
    Reply r = ask(n2, "PUT", "/activities/" + node_of[resolved] + "/status/resolved");
    BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
    // Only a subject that falls in one of n2's partitions: no ghost of n1's.
    for (int i = 0; ghost.empty(); ++i) {
      const json subject = {{"g", i}};
      const Uuid id = actors::api::created_workflow(user.id, {"ghost", "D", subject}).id;
      if (owner_of(partition_of_workflow(id, kPartitions)) == "n2")
        ghost = create(n1, "ghost", subject).first;
    }
    copy(n2, n1, ghost);
    auto purge = actors::purge_workflow_writes(*n2.node.store, *Uuid::parse(ghost));
    BOOST_TEST_REQUIRE(purge.ok());
    BOOST_TEST_REQUIRE(n2.node.store->write(std::move(*purge), true).ok());
  }

  // A node at the client reported errored, with no retry left.
  std::string errored_node(const std::string& wf) {
    Reply s = ask(n1, "POST", "/workflows/" + wf + "/signal/go", {{"retry", 0}});
    BOOST_TEST_REQUIRE(s.status == 201, s.raw.body);
    const std::string node = s.body["id"];
    Reply e = ask(n2, "PUT", "/activities/" + node + "/status/errored");
    BOOST_TEST_REQUIRE(e.status == 200, e.raw.body);
    return node;
  }

  // What a move lays out on its target: the source's records, indexes and all.
  void copy(Member& from, Member& to, const std::string& wf) {
    auto exported = storage::export_workflow(*from.node.store, *Uuid::parse(wf));
    BOOST_TEST_REQUIRE(exported.ok());
    BOOST_TEST_REQUIRE(exported->has_value());
    auto writes = actors::import_workflow(**exported);
    BOOST_TEST_REQUIRE(writes.ok());
    BOOST_TEST_REQUIRE(to.node.store->write(std::move(*writes), true).ok());
  }

  std::set<std::string> owned_by(const std::string& member) const {
    std::set<std::string> out;
    for (const auto& [wf, owner] : made)
      if (owner == member) out.insert(wf);
    return out;
  }

  // As spread() names them, sorted and each once.
  json names_owned_by(const std::string& member) const {
    std::set<std::string> names;
    for (size_t i = 0; i < made.size(); ++i)
      if (made[i].second == member) names.insert("kept-" + std::to_string(i % 3));
    return json(std::vector<std::string>(names.begin(), names.end()));
  }

  // n1's part of a gathered listing, as the gateway asks for it.
  Reply part_of_n1(const std::string& target, bool admin = false) {
    std::vector<std::pair<std::string, std::string>> headers = {{actors::kForwardedHeader, "n2 1"}};
    if (admin) headers.insert(headers.end(), kAdmin.begin(), kAdmin.end());
    Reply r = ask(n1, "GET", target, nullptr, headers);
    BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
    return r;
  }
};

std::set<std::string> as_set(const std::vector<std::string>& ids) {
  return {ids.begin(), ids.end()};
}

std::set<std::string> workflows_of(const json& nodes) {
  std::set<std::string> out;
  for (const json& n : nodes) out.insert(n["workflowId"].get<std::string>());
  return out;
}

std::set<std::string> workflows_of_report(const json& report) {
  std::set<std::string> out;
  for (const json& row : report["nodes"]) out.insert(row["node"]["workflowId"].get<std::string>());
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(cluster_listings, Copies)

BOOST_AUTO_TEST_CASE(a_member_answers_only_from_the_partitions_it_owns) {
  const std::set<std::string> mine = owned_by("n1");
  BOOST_TEST_REQUIRE(!mine.empty());
  BOOST_TEST(stored_on(n1, ghost));
  BOOST_TEST(stored_on(n1, resolved));

  BOOST_TEST((as_set(ids_in(part_of_n1("/workflows/search?per_page=100").body)) == mine));
  BOOST_TEST((workflows_of(part_of_n1("/activities/search?per_page=100").body) == mine));
  BOOST_TEST((part_of_n1("/workflows/names").body == names_owned_by("n1")));
  BOOST_TEST((as_set(ids_in(part_of_n1("/v2/debug/error_workflows").body)) == mine));
  const json report = part_of_n1("/admin/errored", true).body;
  BOOST_TEST((workflows_of_report(report) == mine), report.dump());
  // n2 down makes its partitions unavailable, not n1's: the copies stay hidden.
  net.down.insert("n2");
  BOOST_TEST((as_set(ids_in(part_of_n1("/workflows/search?per_page=100").body)) == mine));
}

BOOST_AUTO_TEST_CASE(gathered_listings_show_each_row_once_as_its_owner_has_it) {
  std::vector<std::string> everything;
  for (const auto& [wf, owner] : made) everything.push_back(wf);
  std::set<std::string> still_errored = as_set(everything);
  still_errored.erase(resolved);
  for (Member* gateway : {&n1, &n2}) {
    BOOST_TEST_CONTEXT("via " << gateway->link.self_id()) {
      Reply all = ask(*gateway, "GET", "/workflows/search?per_page=1000");
      BOOST_TEST_REQUIRE(all.status == 200, all.raw.body);
      const std::vector<std::string> listed = ids_in(all.body);
      BOOST_TEST((as_set(listed) == as_set(everything)));
      BOOST_TEST(listed.size() == everything.size());
      // Exact pages: by number, every one full but the last, and by last_id.
      std::vector<std::string> by_page, by_last;
      for (int page = 1; page <= 3; ++page) {
        Reply r = ask(*gateway, "GET", "/workflows/search?per_page=5&page=" + std::to_string(page));
        BOOST_TEST(r.body.size() == (page < 3 ? 5u : 2u));
        for (auto& id : ids_in(r.body)) by_page.push_back(id);
      }
      std::string last;
      for (int guard = 0; guard < 10; ++guard) {
        const std::string after = last.empty() ? "" : "&last_id=" + last;
        Reply r = ask(*gateway, "GET", "/workflows/search?per_page=5" + after);
        if (r.body.empty()) break;
        for (auto& id : ids_in(r.body)) by_last.push_back(id);
        last = by_last.back();
      }
      BOOST_TEST((by_page == listed));
      BOOST_TEST((by_last == listed));

      Reply nodes = ask(*gateway, "GET", "/activities/search?per_page=1000");
      BOOST_TEST(nodes.body.size() == made.size());
      BOOST_TEST((workflows_of(nodes.body) == as_set(everything)));
      BOOST_TEST((ask(*gateway, "GET", "/workflows/names").body ==
                  json::array({"kept-0", "kept-1", "kept-2"})));
      // The copy n1 holds is errored; the owner's node is resolved.
      Reply errored = ask(*gateway, "GET", "/v2/debug/error_workflows");
      BOOST_TEST((as_set(ids_in(errored.body)) == still_errored));
      Reply report = ask(*gateway, "GET", "/admin/errored", nullptr, kAdmin);
      BOOST_TEST_REQUIRE(report.status == 200, report.raw.body);
      const std::set<std::string> reported = workflows_of_report(report.body);
      BOOST_TEST(!reported.count(ghost));
      BOOST_TEST(reported.size() == report.body["nodes"].size());  // one node each
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
