// Link updates crossing members (docs/cluster.md, "Routing"): a node of a
// workflow on n2 names a node of a workflow on n1 as its parent_link_id
// (docs/contract.md §4.6). The update reaches n1 through the ClusterLink, and
// n2 deletes its outbox record only once n1 has applied it durably.
#include <boost/test/unit_test.hpp>

#include <thread>

#include "tests/support/eventually.hpp"
#include "tests/actors/loopback_cluster.hpp"

namespace backbeat::test {
namespace {

using namespace loopback;

size_t links_in_outbox(Member& m) {
  auto outbox = m.node.store->load_outbox();
  BOOST_TEST_REQUIRE(outbox.ok());
  return std::count_if(outbox->begin(), outbox->end(), [](const storage::OutboxEntry& e) {
    return e.kind == storage::OutboxEntry::Kind::link;
  });
}

// A parent node on n1 waiting for a link node on n2, both at the client.
struct LinkedAcross : Cluster {
  std::string parent_wf, child_wf, target, decision, link;

  LinkedAcross() {
    for (int i = 0; parent_wf.empty() || child_wf.empty(); ++i) {
      BOOST_TEST_REQUIRE(i < 64);
      auto [id, owner] = create(n1, "linked", {{"i", i}});
      (owner == "n1" ? parent_wf : child_wf) = id;
    }
    target = ask(n1, "POST", "/workflows/" + parent_wf + "/signal/ship", json::object()).body["id"];
    decision = ask(n1, "POST", "/workflows/" + child_wf + "/signal/bill", json::object()).body["id"];
    BOOST_TEST_REQUIRE(eventually([&] { return status(target) == "sent_to_client/received"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
    BOOST_TEST_REQUIRE(eventually([&] { return status(decision) == "sent_to_client/received"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
    Reply linked = ask(n1, "POST", "/activities/" + decision + "/decisions",
                       {{"decisions", {{{"name", "pay"}, {"parentLinkId", target}}}}});
    BOOST_TEST_REQUIRE(linked.status == 201, linked.raw.body);
    link = linked.body[0];
    BOOST_TEST_REQUIRE(ask(n1, "PUT", "/activities/" + decision + "/status/completed").status == 200);
    BOOST_TEST_REQUIRE(eventually([&] { return status(link) == "sent_to_client/received"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
    // The registration crossed to n1 and n2 let go of its record.
    BOOST_TEST_REQUIRE(eventually([&] { return links_in_outbox(n2) == 0; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
    BOOST_TEST(links_on_target() == 1u);
    BOOST_TEST_REQUIRE(ask(n1, "PUT", "/activities/" + target + "/status/completed").status == 200);
    BOOST_TEST_REQUIRE(eventually([&] { return status(target) == "processing_children/complete"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  }

  std::string status(const std::string& node) {
    Reply r = ask(n1, "GET", "/activities/" + node);
    if (r.status != 200) return "HTTP " + std::to_string(r.status);
    return r.body["currentServerStatus"].get<std::string>() + "/" +
           r.body["currentClientStatus"].get<std::string>();
  }

  // Read on n1's own store: what its workflow holds, whoever is down.
  size_t links_on_target() {
    auto loc = n1.node.store->find_node(*Uuid::parse(target));
    BOOST_TEST_REQUIRE((loc.ok() && loc->has_value()));
    auto nodes = n1.node.store->load_nodes((*loc)->workflow_id);
    BOOST_TEST_REQUIRE(nodes.ok());
    for (const Node& n : *nodes)
      if (n.id.str() == target) return n.links.size();
    return 0;
  }
  bool target_complete_on_n1() {
    auto loc = n1.node.store->find_node(*Uuid::parse(target));
    auto nodes = n1.node.store->load_nodes((*loc)->workflow_id);
    for (const Node& n : *nodes)
      if (n.id.str() == target) return n.server_status == ServerStatus::complete;
    return false;
  }
};

BOOST_FIXTURE_TEST_SUITE(cluster_links, LinkedAcross)

BOOST_AUTO_TEST_CASE(a_link_finishing_on_another_member_completes_its_target) {
  BOOST_TEST(owner_of(partition_of_workflow(*Uuid::parse(parent_wf), kPartitions)) == "n1");
  BOOST_TEST(owner_of(partition_of_workflow(*Uuid::parse(child_wf), kPartitions)) == "n2");
  net.take_trail();
  BOOST_TEST_REQUIRE(ask(n2, "PUT", "/activities/" + link + "/status/completed").status == 200);
  BOOST_TEST(eventually([&] { return status(link) == "complete/complete"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  BOOST_TEST(eventually([&] { return status(target) == "complete/complete"; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  BOOST_TEST(eventually([&] { return links_in_outbox(n2) == 0; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  BOOST_TEST(any_line(net.take_trail(), "n2 link " + target + " to n1"));
  BOOST_TEST(links_in_outbox(n1) == 0u);
}

BOOST_AUTO_TEST_CASE(a_link_for_a_down_owner_waits_in_the_outbox_until_it_is_back) {
  net.down.insert("n1");
  BOOST_TEST_REQUIRE(ask(n2, "PUT", "/activities/" + link + "/status/completed").status == 200);
  // The record is kept while n1 cannot apply it; nothing reached n1.
  BOOST_TEST_REQUIRE(eventually([&] { return links_in_outbox(n2) == 1; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  BOOST_TEST(links_in_outbox(n2) == 1u);
  BOOST_TEST(!target_complete_on_n1());

  net.down.erase("n1");  // the next retry (the notifier's backoff) delivers it
  BOOST_TEST(eventually([&] { return target_complete_on_n1(); }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  BOOST_TEST(eventually([&] { return links_in_outbox(n2) == 0; }, std::chrono::seconds(20), std::chrono::milliseconds(25)));
  BOOST_TEST(status(target) == "complete/complete");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace
}  // namespace backbeat::test
