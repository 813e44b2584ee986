// Listings restricted to some workflows (SearchFilter::visible, as a
// cluster member restricts them to the partitions it owns): hidden rows
// interleaved with shown ones must not count toward per_page, page or a
// cursor, so every page is as exact as on a store without them.
#include <boost/test/unit_test.hpp>

#include <vector>

#include "tests/storage/search_fixture.hpp"

namespace backbeat::storage::test {
namespace {

// Hidden: every workflow whose id's high word is a multiple of 3, so hidden
// rows sit between shown ones, in runs of one, and at both ends.
bool shown_id(const Uuid& wf) { return wf.hi % 3 != 0; }

SearchFilter only_shown(SearchFilter f = {}) {
  f.visible = shown_id;
  return f;
}

Ids without_hidden(const Ids& all, const std::vector<Uuid>& workflow_of) {
  Ids out;
  for (size_t i = 0; i < all.size(); ++i)
    if (shown_id(workflow_of[i])) out.push_back(all[i]);
  return out;
}

PageRequest after(const SearchCursor& at, size_t per_page) {
  PageRequest p{per_page, 1, {}};
  p.after = at;
  return p;
}

struct VisibilityFixture : SearchFixture {
  // Walks a listing page by page number, each page checked to be full but the last.
  template <class List>
  Ids by_page(List list, size_t per_page, size_t expected) {
    Ids out;
    for (size_t page = 1;; ++page) {
      Ids got = list(PageRequest{per_page, page, {}});
      const size_t left = expected - out.size();
      BOOST_TEST(got.size() == std::min(per_page, left));
      out.insert(out.end(), got.begin(), got.end());
      if (got.size() < per_page || left == per_page) break;
    }
    return out;
  }

  template <class List>
  Ids by_last_id(List list, size_t per_page) {
    Ids out;
    std::optional<Uuid> last;
    for (int guard = 0; guard < 100; ++guard) {
      Ids got = list(PageRequest{per_page, 1, last});
      if (got.empty()) break;
      BOOST_TEST(got.size() <= per_page);
      out.insert(out.end(), got.begin(), got.end());
      last = got.back();
    }
    return out;
  }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(search_visibility, VisibilityFixture)

BOOST_AUTO_TEST_CASE(hidden_workflows_page_as_if_absent) {
  for (uint64_t i = 0; i < 30; ++i)
    workflow(id(100 + i), kAlice, i % 2 ? "odd" : "even", 1000 + Millis(i / 4));
  workflow(id(301), kBob, "odd", 1003);
  const Ids all = workflows(kAlice, {}, PageRequest{1000, 1, {}});
  BOOST_TEST_REQUIRE(all.size() == 30u);
  const Ids shown = without_hidden(all, all);
  BOOST_TEST_REQUIRE(shown.size() == 20u);
  BOOST_TEST_REQUIRE(!shown_id(all.front()));  // a hidden row leads the listing

  BOOST_TEST((workflows(kAlice, only_shown(), PageRequest{1000, 1, {}}) == shown));
  auto list = [&](const PageRequest& p) { return workflows(kAlice, only_shown(), p); };
  for (size_t per_page : {1u, 3u, 7u, 20u}) {
    BOOST_TEST_CONTEXT("per_page " << per_page) {
      BOOST_TEST((by_page(list, per_page, shown.size()) == shown));
      BOOST_TEST((by_last_id(list, per_page) == shown));
    }
  }
  // Page 3 of 4 is rows 8..11 of what is shown; with last_id, counted from it.
  BOOST_TEST((list(PageRequest{4, 3, {}}) == Ids(shown.begin() + 8, shown.begin() + 12)));
  BOOST_TEST((list(PageRequest{3, 2, shown[4]}) == Ids(shown.begin() + 8, shown.begin() + 11)));
  // The gateway's positions (after) page the same, hidden rows or not at them.
  Ids walked;
  std::optional<SearchCursor> at;
  for (int guard = 0; guard < 20; ++guard) {
    PageRequest p{6, 1, {}};
    p.after = at;
    Ids got = list(p);
    if (got.empty()) break;
    BOOST_TEST(got.size() == std::min<size_t>(6, shown.size() - walked.size()));
    walked.insert(walked.end(), got.begin(), got.end());
    at = *must(workflow_position(*store, kAlice, got.back()));
  }
  BOOST_TEST((walked == shown));
  const SearchCursor hidden_at = *must(workflow_position(*store, kAlice, all[3]));
  BOOST_TEST_REQUIRE(!shown_id(all[3]));
  BOOST_TEST((list(after(hidden_at, 2)) == Ids{all[4], all[5]}));
  // A hidden last_id is no row of this listing: nothing, as for an unknown one.
  BOOST_TEST(list(PageRequest{5, 1, all[0]}).empty());
  // Visibility narrows what the other filters found, and the other way round.
  SearchFilter odd;
  odd.name = "odd";
  Ids odd_shown;
  for (const Uuid& wf : workflows(kAlice, odd, PageRequest{1000, 1, {}}))
    if (shown_id(wf)) odd_shown.push_back(wf);
  BOOST_TEST((workflows(kAlice, only_shown(odd), PageRequest{1000, 1, {}}) == odd_shown));
  BOOST_TEST((workflows(kAlice, only_shown(odd), PageRequest{2, 2, {}}) ==
              Ids(odd_shown.begin() + 2, odd_shown.begin() + 4)));
  // Nothing hidden: the filter changes nothing.
  SearchFilter everything;
  everything.visible = [](const Uuid&) { return true; };
  BOOST_TEST((workflows(kAlice, everything, PageRequest{1000, 1, {}}) == all));
}

BOOST_AUTO_TEST_CASE(nodes_are_hidden_with_their_workflow) {
  std::vector<Workflow> wfs;
  for (uint64_t w = 0; w < 6; ++w) wfs.push_back(workflow(id(30 + w), kAlice, "w", 1));
  // Three nodes per workflow, created in turns so the listing interleaves them.
  std::vector<Uuid> workflow_of_node;
  for (uint64_t i = 0; i < 18; ++i) {
    const Workflow& wf = wfs[i % wfs.size()];
    node(wf, id(500 + i), "n", 10 + Millis(i / 2), ServerStatus::ready);
  }
  const Ids all = nodes(kAlice, {}, PageRequest{1000, 1, {}});
  BOOST_TEST_REQUIRE(all.size() == 18u);
  for (const NodeHit& hit : must(search_nodes(*store, kAlice, {}, PageRequest{1000, 1, {}})).rows)
    workflow_of_node.push_back(hit.workflow.id);
  const Ids shown = without_hidden(all, workflow_of_node);
  BOOST_TEST_REQUIRE(shown.size() == 12u);

  auto list = [&](const PageRequest& p) { return nodes(kAlice, only_shown(), p); };
  BOOST_TEST((list(PageRequest{1000, 1, {}}) == shown));
  const PageRequest everything{1000, 1, {}};
  for (const NodeHit& hit : must(search_nodes(*store, kAlice, only_shown(), everything)).rows)
    BOOST_TEST(shown_id(hit.workflow.id));
  for (size_t per_page : {1u, 5u, 12u}) {
    BOOST_TEST_CONTEXT("per_page " << per_page) {
      BOOST_TEST((by_page(list, per_page, shown.size()) == shown));
      BOOST_TEST((by_last_id(list, per_page) == shown));
    }
  }
  BOOST_TEST((list(PageRequest{5, 2, {}}) == Ids(shown.begin() + 5, shown.begin() + 10)));
  // A filtered node search (current status) is narrowed the same way.
  BOOST_TEST((nodes(kAlice, only_shown(current("ready")), PageRequest{4, 3, {}}) ==
              Ids(shown.begin() + 8, shown.end())));
  // A node of a hidden workflow as last_id: nothing.
  for (size_t i = 0; i < all.size(); ++i)
    if (!shown_id(workflow_of_node[i])) BOOST_TEST(list(PageRequest{5, 1, all[i]}).empty());
}

BOOST_AUTO_TEST_CASE(names_and_errored_workflows_only_of_shown_workflows) {
  workflow(id(3), kAlice, "hidden only", 5);
  workflow(id(6), kAlice, "both", 9);  // the newest of its name, so its entry comes first
  workflow(id(9), kAlice, "both", 8);
  workflow(id(4), kAlice, "both", 7);
  workflow(id(12), kAlice, "late", 1);
  workflow(id(7), kAlice, "late", 2);
  workflow(id(5), kAlice, "shown", 3);
  BOOST_TEST((must(workflow_names(*store, kAlice)).rows ==
              std::vector<std::string>{"both", "hidden only", "late", "shown"}));
  BOOST_TEST((must(workflow_names(*store, kAlice, shown_id)).rows ==
              std::vector<std::string>{"both", "late", "shown"}));
  BOOST_TEST(must(workflow_names(*store, kAlice, [](const Uuid&) { return false; })).rows.empty());

  auto errored = [&](const Workflow& wf, uint64_t node_id) {
    Node n = node(wf, id(node_id), "n", 20);
    move(wf, n, {{StatusType::client, "errored"}}, 21);
  };
  const Workflow hidden = workflow(id(21), kAlice, "e", 30);
  const Workflow seen = workflow(id(22), kAlice, "e", 31);
  const Workflow seen_too = workflow(id(23), kAlice, "e", 29);
  errored(hidden, 600);
  errored(seen, 601);
  errored(seen_too, 602);
  auto ids = [&](const WorkflowVisible& visible) {
    Ids out;
    for (const Workflow& wf : must(error_workflows(*store, kAlice, visible)).rows) out.push_back(wf.id);
    return out;
  };
  BOOST_TEST((ids({}) == Ids{id(22), id(21), id(23)}));
  BOOST_TEST((ids(shown_id) == Ids{id(22), id(23)}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
