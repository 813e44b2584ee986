// The HTTP API in a cluster (actors/api/cluster_routing.hpp), on two members
// in one process (tests/actors/loopback_cluster.hpp): where each route runs,
// what a gathered request costs, and what a down member does.
#include <boost/test/unit_test.hpp>

#include <set>

#include "actors/api/workflow_identity.hpp"
#include "tests/actors/loopback_cluster.hpp"

namespace backbeat::test {

using namespace loopback;

BOOST_FIXTURE_TEST_SUITE(cluster_api, Cluster)

BOOST_AUTO_TEST_CASE(a_create_lands_on_the_owner_of_its_partition_from_any_gateway) {
  std::set<std::string> owners;
  for (int i = 0; i < 12; ++i) {
    Member& gateway = i % 2 ? n2 : n1;
    net.take_trail();
    auto [id, owner] = create(gateway, "create", {{"i", i}});
    owners.insert(owner);
    BOOST_TEST(stored_on(member(owner), id));
    BOOST_TEST(!stored_on(member(owner == "n1" ? "n2" : "n1"), id));
    const auto trail = net.take_trail();
    const uint32_t p = partition_of_workflow(*Uuid::parse(id), kPartitions);
    if (owner == gateway.link.self_id()) {
      BOOST_TEST(trail.empty());  // run where it arrived
    } else {
      BOOST_TEST((trail == std::vector<std::string>{gateway.link.self_id() + " forward " +
                                                     std::to_string(p) + " to " + owner +
                                                     ": POST /workflows"}));
    }
    // Read back through both gateways; find-or-create finds it through both.
    for (Member* m : {&n1, &n2}) {
      BOOST_TEST(ask(*m, "GET", "/workflows/" + id).body["id"] == id);
      BOOST_TEST(ask(*m, "GET", "/v2/workflows/" + id + "/tree").status == 200);
      Reply again = ask(*m, "POST", "/workflows", {{"name", "create"}, {"decider", "D"}, {"subject", {{"i", i}}}});
      BOOST_TEST(again.body["id"] == id);
    }
  }
  BOOST_TEST(owners.size() == 2u);
}

BOOST_AUTO_TEST_CASE(a_lookup_tries_each_subject_text_where_it_would_live) {
  // A query string carries the subject as text: the lookup tries it as sent
  // and as the JSON it holds (lookup_subjects). Find subjects whose two
  // readings live on different members, so the gateway must try both.
  int found_split = 0;
  for (int i = 0; i < 40 && found_split < 3; ++i) {
    const json subject = {{"k", i}};
    actors::api::WorkflowKey key{"lookup", "D", json(subject.dump())};
    auto ids = actors::api::looked_up_workflows(user.id, key);
    BOOST_TEST_REQUIRE(ids.size() == 2u);
    const std::string as_text_owner = owner_of(partition_of_workflow(ids[0], kPartitions));
    const std::string as_json_owner = owner_of(partition_of_workflow(ids[1], kPartitions));
    if (as_text_owner == as_json_owner) continue;
    ++found_split;
    auto [id, owner] = create(n1, "lookup", subject);
    BOOST_TEST(owner == as_json_owner);
    for (Member* m : {&n1, &n2}) {
      Reply r = ask(*m, "GET", "/workflows?name=lookup&decider=D&subject=%7B%22k%22%3A" + std::to_string(i) + "%7D");
      BOOST_TEST(r.status == 200, r.raw.body);
      BOOST_TEST(r.body["id"] == id);
    }
    // Nothing under another decider: a 404 after both members were asked.
    net.take_trail();
    Reply none = ask(n1, "GET", "/workflows?name=lookup&decider=X&subject=%7B%22k%22%3A" + std::to_string(i) + "%7D");
    BOOST_TEST(none.status == 404);
    BOOST_TEST(none.body["errorClass"] == "ActiveRecord::RecordNotFound");
    BOOST_TEST(net.take_trail().size() == 1u);  // one forward, one local read
  }
  BOOST_TEST(found_split == 3);
}

BOOST_AUTO_TEST_CASE(searches_merge_every_member_and_page_by_last_id_across_them) {
  spread(14);
  Reply all = ask(n1, "GET", "/workflows/search?per_page=1000");
  BOOST_TEST_REQUIRE(all.status == 200, all.raw.body);
  const std::vector<std::string> everything = ids_in(all.body);
  BOOST_TEST_REQUIRE(everything.size() == 14u);
  // Newest first, then by id, over both members' rows.
  for (size_t i = 1; i < all.body.size(); ++i) {
    const json &a = all.body[i - 1], &b = all.body[i];
    BOOST_TEST((a["createdAt"] > b["createdAt"] || (a["createdAt"] == b["createdAt"] && a["id"] > b["id"])));
  }
  for (Member* gateway : {&n1, &n2}) {
    // By page number and by last_id, through either gateway.
    std::vector<std::string> by_page, by_last;
    for (int page = 1; page <= 5; ++page) {
      Reply r = ask(*gateway, "GET", "/workflows/search?per_page=4&page=" + std::to_string(page));
      BOOST_TEST_REQUIRE(r.status == 200);
      for (auto& id : ids_in(r.body)) by_page.push_back(id);
    }
    std::string last;
    for (int guard = 0; guard < 10; ++guard) {
      Reply r = ask(*gateway, "GET", "/v2/workflows/search?per_page=3" + (last.empty() ? "" : "&last_id=" + last));
      BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
      if (r.body.empty()) break;
      for (auto& id : ids_in(r.body)) by_last.push_back(id);
      last = by_last.back();
    }
    BOOST_TEST((by_page == everything));
    BOOST_TEST((by_last == everything));
    // last_id and page combine, as on one node.
    Reply combined = ask(*gateway, "GET", "/workflows/search?per_page=2&page=2&last_id=" + everything[3]);
    BOOST_TEST((ids_in(combined.body) == std::vector<std::string>{everything[6], everything[7]}));
  }
  // Filters reach every member.
  Reply named = ask(n2, "GET", "/workflows/search?name=w1&per_page=100");
  for (const json& row : named.body) BOOST_TEST(row["name"] == "w1");
  BOOST_TEST(named.body.size() == 5u);  // i = 1, 4, 7, 10, 13
  // An unknown last_id gives an empty page; a bad query is one 400.
  BOOST_TEST(ask(n1, "GET", "/workflows/search?last_id=" + Uuid{1, 2}.str()).body == json::array());
  Reply bad = ask(n1, "GET", "/workflows/search?colour=red");
  BOOST_TEST(bad.status == 400);
  BOOST_TEST(bad.body["message"] == "unknown search parameter: colour");
  // A client cannot pass the members' window itself.
  Reply windowed = ask(n1, "GET", "/workflows/search?per_page=1000", nullptr,
                       {{"X-Backbeat-Search-Window", "1"}});
  BOOST_TEST(windowed.body.size() == 14u);
}

BOOST_AUTO_TEST_CASE(names_and_activities_are_gathered_too) {
  auto made = spread(8, "name-");
  Reply names = ask(n2, "GET", "/workflows/names");
  BOOST_TEST_REQUIRE(names.status == 200);
  BOOST_TEST((names.body == json::array({"name-0", "name-1", "name-2"})));

  // A node per workflow, signalled through the other gateway.
  std::vector<std::string> nodes;
  for (const auto& [wf, owner] : made) {
    Reply s = ask(owner == "n1" ? n2 : n1, "POST", "/workflows/" + wf + "/signal/hello", json::object());
    BOOST_TEST_REQUIRE(s.status == 201, s.raw.body);
    nodes.push_back(s.body["id"]);
    // Stamped with its workflow's partition: any gateway places it.
    const uint32_t p = partition_of_workflow(*Uuid::parse(wf), kPartitions);
    BOOST_TEST((partition_of_stamped(*Uuid::parse(nodes.back()), kPartitions) == p));
    BOOST_TEST(ask(owner == "n1" ? n2 : n1, "GET", "/v2/events/" + nodes.back()).body["workflowId"] == wf);
  }
  Reply found = ask(n1, "GET", "/activities/search?per_page=1000");
  BOOST_TEST_REQUIRE(found.status == 200, found.raw.body);
  std::vector<std::string> listed = ids_in(found.body), expected = nodes;
  std::sort(listed.begin(), listed.end());
  std::sort(expected.begin(), expected.end());
  BOOST_TEST((listed == expected));
  std::vector<std::string> walked;
  std::string last;
  for (int guard = 0; guard < 20; ++guard) {
    Reply r = ask(n2, "GET", "/activities/search?per_page=3" + (last.empty() ? "" : "&last_id=" + last));
    BOOST_TEST_REQUIRE(r.status == 200, r.raw.body);
    if (r.body.empty()) break;
    for (auto& id : ids_in(r.body)) walked.push_back(id);
    last = walked.back();
  }
  BOOST_TEST((walked == ids_in(found.body)));
}

BOOST_AUTO_TEST_CASE(a_down_member_makes_its_partitions_and_every_listing_unavailable) {
  auto made = spread(10);
  net.down.insert("n2");
  net.take_trail();
  for (const auto& [id, owner] : made) {
    Reply r = ask(n1, "GET", "/workflows/" + id);
    if (owner == "n1") {
      BOOST_TEST(r.status == 200);
    } else {
      BOOST_TEST(r.status == 503);
      BOOST_TEST(r.body["errorClass"] == "Backbeat::PartitionUnavailable");
      BOOST_TEST(r.body["message"].get<std::string>().find("n2, which is down") != std::string::npos);
      BOOST_TEST(r.header("Retry-After") == "1");
    }
  }
  BOOST_TEST(net.take_trail().empty());  // nothing sent to a member known down
  for (const char* listing : {"/workflows/search", "/workflows/names", "/activities/search",
                              "/v2/debug/error_workflows"}) {
    Reply r = ask(n1, "GET", listing);
    BOOST_TEST(r.status == 503, listing);
    BOOST_TEST(r.body["errorClass"] == "Backbeat::PartitionUnavailable");
    BOOST_TEST(r.body["message"].get<std::string>().find("owner n2 did not answer") != std::string::npos);
    BOOST_TEST(r.header("Retry-After") == "1");
  }
  // What is this node's own keeps working.
  BOOST_TEST(ask(n1, "GET", "/health").status == 200);
  BOOST_TEST(ask(n1, "GET", "/users", nullptr, kAdmin).status == 200);
}

BOOST_AUTO_TEST_CASE(a_forwarded_request_runs_only_on_the_owner_and_never_travels_again) {
  auto made = spread(10);
  net.take_trail();
  for (const auto& [id, owner] : made) {
    const uint32_t p = partition_of_workflow(*Uuid::parse(id), kPartitions);
    for (Member* m : {&n1, &n2}) {
      Reply r = ask(*m, "GET", "/workflows/" + id, nullptr, {{actors::kForwardedHeader, "n9 1"}});
      if (m->link.self_id() == owner) {
        BOOST_TEST(r.status == 200);
      } else {
        // A stale sender: refused, not forwarded a second time.
        BOOST_TEST(r.status == 503);
        BOOST_TEST(r.body["message"] == "partition " + std::to_string(p) + " is owned by " + owner + " at epoch 1");
        BOOST_TEST(r.header("Retry-After") == "1");
      }
    }
    // The sender knows a later assignment than the owner: the owner missed a move.
    Reply missed = ask(member(owner), "GET", "/workflows/" + id, nullptr, {{actors::kForwardedHeader, "n9 2"}});
    BOOST_TEST(missed.status == 503);
    BOOST_TEST(missed.body["errorClass"] == "Backbeat::PartitionUnavailable");
  }
  BOOST_TEST(net.take_trail().empty());
  // A forwarded listing answers from this member's data alone: it is one
  // part of a gathered request.
  size_t on_n1 = 0;
  for (const auto& made_one : made) on_n1 += made_one.second == "n1";
  Reply part = ask(n1, "GET", "/workflows/search?per_page=100", nullptr, {{actors::kForwardedHeader, "n2 1"}});
  BOOST_TEST(part.body.size() == on_n1);
  BOOST_TEST(net.take_trail().empty());
}

BOOST_AUTO_TEST_CASE(node_ids_made_before_stamping_are_asked_of_every_member) {
  auto [wf, owner] = create(n1, "old", {{"old", true}});
  Member& home = member(owner);
  Member& other = member(owner == "n1" ? "n2" : "n1");
  Reply s = ask(home, "POST", "/workflows/" + wf + "/signal/legacy", json::object());
  BOOST_TEST_REQUIRE(s.status == 201);
  // The same node stored again under a version-4 id, as before clustering.
  Node node = **home.node.store->get_node(*Uuid::parse(wf), *Uuid::parse(s.body["id"].get<std::string>()));
  node.id = Uuid{0x1234567812344abcull, 0x8000000000000042ull};
  BOOST_TEST_REQUIRE(!partition_of_stamped(node.id, kPartitions).has_value());
  storage::WriteSet ws;
  ws.put_new_node(node);
  BOOST_TEST_REQUIRE(home.node.store->write(std::move(ws), true).ok());

  net.take_trail();
  Reply here = ask(home, "GET", "/activities/" + node.id.str());
  BOOST_TEST(here.status == 200);
  BOOST_TEST(net.take_trail().empty());  // found in this member's store
  Reply there = ask(other, "GET", "/activities/" + node.id.str());
  BOOST_TEST(there.status == 200, there.raw.body);
  BOOST_TEST(there.body["id"] == node.id.str());
  // The other member lacks it, so cannot place it: it asked everyone.
  BOOST_TEST((net.take_trail() == std::vector<std::string>{other.link.self_id() +
                                                           " gather: GET /activities/" + node.id.str()}));
  // A member holding a copy it does not own (left behind by a move) places
  // it by its workflow and forwards it to the owner: one hop, no scatter.
  storage::WriteSet copy;
  copy.put_new_node(node);
  BOOST_TEST_REQUIRE(other.node.store->write(std::move(copy), true).ok());
  BOOST_TEST(ask(other, "GET", "/activities/" + node.id.str()).body["id"] == node.id.str());
  auto trail = net.take_trail();
  BOOST_TEST(trail.size() == 1u);
  BOOST_TEST(any_line(trail, other.link.self_id() + " forward"));

  // Nobody has it: every member is asked, and all say 404.
  const Uuid unknown{0x1234567812344abcull, 0x8000000000000043ull};
  Reply none = ask(n1, "GET", "/activities/" + unknown.str());
  BOOST_TEST(none.status == 404);
  BOOST_TEST(any_line(net.take_trail(), "n1 gather: GET /activities/" + unknown.str()));
  // ... unless a member that may have it is down.
  net.down.insert("n2");
  BOOST_TEST(ask(n1, "GET", "/activities/" + unknown.str()).status == 503);
}

BOOST_AUTO_TEST_CASE(an_old_node_that_only_another_member_has_is_found_by_asking_all) {
  auto [wf, owner] = create(n1, "old2", {{"old", 2}});
  Member& home = member(owner);
  Member& other = member(owner == "n1" ? "n2" : "n1");
  Reply s = ask(home, "POST", "/workflows/" + wf + "/signal/legacy", json::object());
  BOOST_TEST_REQUIRE(s.status == 201);
  Node node = **home.node.store->get_node(*Uuid::parse(wf), *Uuid::parse(s.body["id"].get<std::string>()));
  node.id = Uuid{0x1234567812344abcull, 0x8000000000000077ull};
  storage::WriteSet ws;
  ws.put_new_node(node);
  BOOST_TEST_REQUIRE(home.node.store->write(std::move(ws), true).ok());
  net.take_trail();
  // The other member lacks it and cannot place it: it asks everyone.
  Reply r = ask(other, "GET", "/activities/" + node.id.str() + "/status_changes");
  BOOST_TEST(r.status == 200, r.raw.body);
  BOOST_TEST(any_line(net.take_trail(), other.link.self_id() + " gather"));
}

BOOST_AUTO_TEST_CASE(a_new_user_is_shared_and_local_routes_stay_local) {
  const auto& admin = kAdmin;
  Reply made = ask(n1, "POST", "/users", {{"name", "shared"}, {"activity_endpoint", "http://a/x"}}, admin);
  BOOST_TEST_REQUIRE(made.status == 201, made.raw.body);
  BOOST_TEST((net.take_trail() == std::vector<std::string>{"n1 share shared"}));
  BOOST_TEST(ask(n2, "GET", "/users/" + made.body["id"].get<std::string>(), nullptr, admin).status == 200);
  for (const char* path : {"/health", "/heartbeat.txt", "/metrics", "/admin/drain", "/admin/retention"})
    BOOST_TEST(ask(n2, "GET", path, nullptr, admin).status == 200, path);
  BOOST_TEST(net.take_trail().empty());
  // The admin's report is gathered.
  Reply report = ask(n2, "GET", "/admin/errored", nullptr, admin);
  BOOST_TEST(report.status == 200, report.raw.body);
  BOOST_TEST(report.body["nodes"] == json::array());
  BOOST_TEST(any_line(net.take_trail(), "n2 gather: GET /admin/errored"));
  // The debug listing exists only under /v2, in a cluster as on one node.
  BOOST_TEST(ask(n1, "GET", "/debug/error_workflows").status == 404);
  BOOST_TEST(ask(n1, "GET", "/v2/debug/error_workflows").body == json::array());
}

BOOST_AUTO_TEST_CASE(bad_requests_are_answered_where_they_arrive) {
  net.take_trail();
  BOOST_TEST(ask(n1, "GET", "/workflows/not-an-id").status == 400);
  BOOST_TEST(ask(n1, "GET", "/activities/not-an-id").status == 400);
  BOOST_TEST(ask(n1, "POST", "/workflows", {{"name", "x"}}).status == 400);
  BOOST_TEST(ask(n1, "GET", "/workflows/search?per_page=0").status == 400);
  BOOST_TEST(net.take_trail().empty());
  // Authentication comes first, on the gateway.
  net::HttpRequest r;
  r.method = "GET";
  r.target = "/workflows/" + Uuid{1, 1}.str();
  std::promise<int> status;
  n1.api->handle(std::move(r), [&](net::HttpResponse resp) { status.set_value(resp.status); });
  BOOST_TEST(status.get_future().get() == 401);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::test
