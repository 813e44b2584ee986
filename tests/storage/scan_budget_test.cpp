// The scan budget of searches (storage/search.hpp): a query that has looked
// at its budget of entries answers with what it found and where it stopped,
// and a walk continued from there with last_id gives every row exactly once,
// as an unbudgeted walk does, with whatever budget, filter and page size.
#include <boost/test/unit_test.hpp>

#include <functional>

#include "tests/storage/search_fixture.hpp"

namespace backbeat::storage::test {
namespace {

using Search = std::function<Found<Uuid>(const PageRequest&)>;

struct BudgetFixture : SearchFixture {
  // Workflow i: named "x" when even, "y" when odd; subject with "hit" when
  // i % 7 == 0; one node, ready when i % 3 == 0, whose metadata has "hit"
  // when i % 5 == 0. Several share a created_at.
  BudgetFixture() {
    for (uint64_t i = 0; i < 60; ++i) {
      const std::string subject = i % 7 == 0 ? R"({"hit":1})" : R"({"miss":1})";
      Workflow wf = workflow(id(100 + i), kAlice, i % 2 ? "y" : "x", 1000 + Millis(i / 4), subject);
      node(wf, id(300 + i), i % 2 ? "y" : "x", 2000 + Millis(i / 4),
           i % 3 == 0 ? ServerStatus::ready : ServerStatus::pending, ClientStatus::pending,
           std::nullopt, i % 5 == 0 ? R"({"hit":1})" : "{}");
    }
    workflow(id(999), kBob, "x", 1003, R"({"hit":1})");
  }

  Search of_workflows(SearchFilter f) {
    return [this, f](const PageRequest& p) {
      Found<Workflow> found = must(search_workflows(*store, kAlice, f, p));
      return ids_of(found, [](const Workflow& wf) { return wf.id; });
    };
  }

  Search of_nodes(SearchFilter f) {
    return [this, f](const PageRequest& p) {
      Found<NodeHit> found = must(search_nodes(*store, kAlice, f, p));
      return ids_of(found, [](const NodeHit& hit) { return hit.node.id; });
    };
  }

  template <class T, class Id>
  static Found<Uuid> ids_of(const Found<T>& found, Id id) {
    Found<Uuid> out{{}, found.partial, found.scanned_to};
    for (const T& row : found.rows) out.rows.push_back(id(row));
    return out;
  }

  // Pages with last_id until a short page that is not partial; a partial one
  // continues at its scanned_to, which must name a row where it sits.
  Ids walk(const Search& search, size_t per_page, size_t budget, bool of_nodes,
           size_t* partials = nullptr) {
    Ids out;
    std::optional<Uuid> last;
    for (int guard = 0; guard < 1000; ++guard) {
      PageRequest p{per_page, 1, last};
      p.scan_budget = budget;
      Found<Uuid> got = search(p);
      BOOST_TEST(got.rows.size() <= per_page);
      out.insert(out.end(), got.rows.begin(), got.rows.end());
      BOOST_TEST(got.partial == got.scanned_to.has_value());
      if (got.partial) {
        BOOST_TEST(got.rows.size() < per_page);  // a full page is never partial
        const Uuid at = got.scanned_to->id;
        auto position = of_nodes ? node_position(*store, kAlice, at)
                                 : workflow_position(*store, kAlice, at);
        BOOST_TEST((must(std::move(position)) == got.scanned_to));
        if (partials) ++*partials;
        last = at;
        continue;
      }
      if (got.rows.size() < per_page) return out;
      last = got.rows.back();
    }
    BOOST_FAIL("the walk did not end");
    return out;
  }
};

SearchFilter text(std::string t) {
  SearchFilter f;
  f.text = std::move(t);
  return f;
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(scan_budget, BudgetFixture)

BOOST_AUTO_TEST_CASE(a_spent_budget_answers_what_it_found_and_where_it_stopped) {
  PageRequest p{25, 1, {}};
  p.scan_budget = 10;
  // A substring only 1 in 7 subjects have: the page is far from full when
  // the 10 newest of alice's workflows have been looked at.
  const Ids all = workflows(kAlice, {}, PageRequest{1000, 1, {}});
  Ids hits_among_them;
  for (size_t i = 0; i < 10; ++i)
    if ((all[i].hi - 100) % 7 == 0) hits_among_them.push_back(all[i]);
  Found<Workflow> found = must(search_workflows(*store, kAlice, text("hit"), p));
  BOOST_TEST(found.partial);
  Ids got;
  for (const Workflow& wf : found.rows) got.push_back(wf.id);
  BOOST_TEST((got == hits_among_them));
  BOOST_TEST_REQUIRE(found.scanned_to.has_value());
  BOOST_TEST((*found.scanned_to == SearchCursor{1012, all[9]}));  // the last entry looked at
  // Unbudgeted, the same query answers the whole page.
  p.scan_budget = kUnlimitedScan;
  found = must(search_workflows(*store, kAlice, text("hit"), p));
  BOOST_TEST(!found.partial);
  BOOST_TEST(found.rows.size() == 9u);
}

BOOST_AUTO_TEST_CASE(a_full_page_or_the_end_of_the_listing_is_not_partial) {
  PageRequest p{3, 1, {}};
  p.scan_budget = 3;
  Found<Workflow> full = must(search_workflows(*store, kAlice, {}, p));
  BOOST_TEST(full.rows.size() == 3u);
  BOOST_TEST(!full.partial);
  // Bob has one workflow: the listing ends within any budget.
  p.scan_budget = 2;
  Found<Workflow> ended = must(search_workflows(*store, kBob, {}, p));
  BOOST_TEST(ended.rows.size() == 1u);
  BOOST_TEST(!ended.partial);
}

BOOST_AUTO_TEST_CASE(walks_continued_at_the_stop_give_every_row_once) {
  SearchFilter both_indexes;  // a join whose listings mostly disagree
  both_indexes.name = "x";
  both_indexes.current_status = "ready";
  SearchFilter time_range;  // post-filtered through status changes: none match
  time_range.status_start = 1;
  time_range.status_end = 2;
  const std::vector<std::pair<std::string, std::pair<Search, bool>>> searches = {
      {"workflows, substring", {of_workflows(text("hit")), false}},
      {"workflows, name and status", {of_workflows(both_indexes), false}},
      {"workflows, time range", {of_workflows(time_range), false}},
      {"nodes, substring", {of_nodes(text("hit")), true}},
      {"nodes, name and status", {of_nodes(both_indexes), true}},
      {"nodes, everything", {of_nodes({}), true}},
  };
  for (const auto& [name, search] : searches) {
    const Ids expected = walk(search.first, 1000, kUnlimitedScan, search.second);
    for (size_t budget : {1u, 2u, 3u, 7u, 50u}) {
      for (size_t per_page : {1u, 4u, 25u}) {
        BOOST_TEST_CONTEXT(name << ", budget " << budget << ", per_page " << per_page) {
          size_t partials = 0;
          BOOST_TEST((walk(search.first, per_page, budget, search.second, &partials) == expected));
          if (budget < per_page) BOOST_TEST(partials > 0u);
        }
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(names_and_the_error_listing_stop_at_the_budget) {
  workflow(id(50), kAlice, "a-first", 1);
  Found<std::string> names = must(workflow_names(*store, kAlice, {}, 2));
  BOOST_TEST(names.partial);
  BOOST_TEST((names.rows == std::vector<std::string>{"a-first", "x"}));
  names = must(workflow_names(*store, kAlice, {}, 3));
  BOOST_TEST(!names.partial);
  BOOST_TEST(names.rows.size() == 3u);

  for (uint64_t i = 0; i < 4; ++i) {
    Workflow wf = workflow(id(700 + i), kAlice, "e", 5000 + Millis(i));
    Node n = node(wf, id(800 + i), "n", 5000 + Millis(i));
    move(wf, n, {{StatusType::client, "errored"}}, 6000);
  }
  Found<Workflow> errored = must(error_workflows(*store, kAlice, {}, 2));
  BOOST_TEST(errored.partial);
  BOOST_TEST(errored.rows.size() == 2u);
  BOOST_TEST((errored.rows[0].id == id(703)));  // those of the newest errored nodes
  BOOST_TEST(!must(error_workflows(*store, kAlice, {}, 4)).partial);
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
