// A workflow's nodes a page at a time, by seq (storage/node_pages.hpp).
#include <boost/test/unit_test.hpp>

#include "storage/node_pages.hpp"
#include "tests/storage/search_fixture.hpp"

namespace backbeat::storage::test {
namespace {

struct NodePagesFixture : SearchFixture {
  Workflow wf = workflow(id(1), kAlice, "w", 1);

  // Node i has seq i; ids run against seq, so key order is not seq order.
  NodePagesFixture() {
    for (uint64_t seq = 1; seq <= 40; ++seq) {
      Node n;
      n.id = id(1000 - seq);
      n.workflow_id = wf.id;
      n.user_id = kAlice;
      n.name = "n";
      n.seq = seq;
      n.server_status = seq % 4 == 0 ? ServerStatus::ready : ServerStatus::pending;
      WriteSet ws;
      ws.put_new_node(n);
      write(std::move(ws));
    }
  }

  std::vector<uint64_t> seqs(const NodePage& page) {
    std::vector<uint64_t> out;
    for (const Node& n : page.nodes) out.push_back(n.seq);
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(node_pages, NodePagesFixture)

BOOST_AUTO_TEST_CASE(pages_come_in_seq_order_and_say_whether_more_follow) {
  NodePage first = must(workflow_nodes(*store, wf.id, NodeQuery{{}, std::nullopt, 3}));
  BOOST_TEST((seqs(first) == std::vector<uint64_t>{1, 2, 3}));
  BOOST_TEST(first.more);
  NodePage last = must(workflow_nodes(*store, wf.id, NodeQuery{{}, 37, 3}));
  BOOST_TEST((seqs(last) == std::vector<uint64_t>{38, 39, 40}));
  BOOST_TEST(!last.more);
  BOOST_TEST(must(workflow_nodes(*store, wf.id, NodeQuery{{}, 40, 3})).nodes.empty());
  // Exactly the limit: nothing more.
  BOOST_TEST(!must(workflow_nodes(*store, wf.id, NodeQuery{{}, std::nullopt, 40})).more);
  BOOST_TEST(must(workflow_nodes(*store, wf.id, NodeQuery{{}, std::nullopt, 39})).more);
  BOOST_TEST(must(workflow_nodes(*store, id(2), NodeQuery{{}, std::nullopt, 5})).nodes.empty());
}

BOOST_AUTO_TEST_CASE(kept_nodes_page_by_themselves) {
  auto ready = [](const Node& n) { return n.server_status == ServerStatus::ready; };
  std::vector<uint64_t> walked;
  std::optional<uint64_t> after;
  for (int guard = 0; guard < 20; ++guard) {
    NodePage page = must(workflow_nodes(*store, wf.id, NodeQuery{ready, after, 3}));
    for (uint64_t s : seqs(page)) walked.push_back(s);
    if (!page.more) break;
    after = page.nodes.back().seq;
  }
  BOOST_TEST((walked == std::vector<uint64_t>{4, 8, 12, 16, 20, 24, 28, 32, 36, 40}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
