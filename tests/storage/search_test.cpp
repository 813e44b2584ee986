// Search indexes end to end at the storage level: entries written through
// WriteSet by index_workflow/index_nodes (as plan_persistence does after an
// engine apply), read back by storage/search.hpp.
#include <boost/test/unit_test.hpp>

#include <algorithm>
#include <set>
#include <vector>

#include "tests/storage/search_fixture.hpp"

namespace backbeat::storage::test {

BOOST_FIXTURE_TEST_SUITE(search, SearchFixture)

BOOST_AUTO_TEST_CASE(text_encoding_keeps_order_and_delimits) {
  std::vector<std::string> texts = {"", "a", std::string("a\0", 2), std::string("a\0b", 3), "ab",
                                    "b", "\xFF"};
  std::vector<std::string> encoded;
  for (const auto& t : texts) {
    std::string e;
    index::append_text(e, t);
    encoded.push_back(e);
    std::string_view in = e;
    auto back = index::read_text(in);
    BOOST_TEST_REQUIRE(back.has_value());
    BOOST_TEST(*back == t);
    BOOST_TEST(in.empty());
  }
  BOOST_TEST(std::is_sorted(encoded.begin(), encoded.end()));
  // No name's entries start with another name's prefix.
  BOOST_TEST(!index::workflows_named(kAlice, "ab").starts_with(index::workflows_named(kAlice, "a")));
}

BOOST_AUTO_TEST_CASE(order_keys_sort_newest_first_then_id_desc) {
  BOOST_TEST((index::order_key(200, id(1)) < index::order_key(100, id(9))));
  BOOST_TEST((index::order_key(100, id(9)) < index::order_key(100, id(1))));
  BOOST_TEST((index::order_key(-5, id(1)) > index::order_key(0, id(1))));
  BOOST_TEST((*index::id_of(index::order_key(7, id(3, 4))) == id(3, 4)));
}

BOOST_AUTO_TEST_CASE(workflows_newest_first_with_or_without_nodes_and_only_the_users) {
  auto a = workflow(id(1), kAlice, "w", 100);
  workflow(id(2), kAlice, "w", 300);
  workflow(id(3), kAlice, "w", 200);
  workflow(id(4), kAlice, "w", 200);  // same time: higher id first
  workflow(id(5), kBob, "w", 250);
  node(a, id(11), "n", 101);
  BOOST_TEST((workflows(kAlice) == Ids{id(2), id(4), id(3), id(1)}));
  BOOST_TEST((workflows(kBob) == Ids{id(5)}));
  BOOST_TEST(workflows(id(0xCC)).empty());
}

BOOST_AUTO_TEST_CASE(pages_and_last_id_walk_everything_once) {
  Ids all;
  for (uint64_t i = 0; i < 30; ++i) {
    // Several share a created_at, so the id decides part of the order.
    workflow(id(100 + i), kAlice, i % 2 ? "odd" : "even", 1000 + Millis(i / 3));
  }
  workflow(id(999), kBob, "odd", 1005);
  all = workflows(kAlice, {}, PageRequest{1000, 1, {}});
  BOOST_TEST_REQUIRE(all.size() == 30u);

  Ids by_page, by_key;
  for (size_t p = 1; p <= 5; ++p) {
    Ids got = workflows(kAlice, {}, PageRequest{7, p, {}});
    BOOST_TEST(got.size() == (p < 5 ? 7u : 2u));
    by_page.insert(by_page.end(), got.begin(), got.end());
  }
  std::optional<Uuid> last;
  for (;;) {
    Ids got = workflows(kAlice, {}, PageRequest{7, 1, last});
    if (got.empty()) break;
    by_key.insert(by_key.end(), got.begin(), got.end());
    last = got.back();
  }
  BOOST_TEST((by_page == all));
  BOOST_TEST((by_key == all));
  // last_id and page combine: the second page after the 3rd row.
  BOOST_TEST((workflows(kAlice, {}, PageRequest{5, 2, all[2]}) == Ids(all.begin() + 8, all.begin() + 13)));
  // Unknown, or another user's, last_id: nothing.
  BOOST_TEST(workflows(kAlice, {}, PageRequest{7, 1, id(12345)}).empty());
  BOOST_TEST(workflows(kAlice, {}, PageRequest{7, 1, id(999)}).empty());
  // Past the end.
  BOOST_TEST(workflows(kAlice, {}, PageRequest{7, 9, {}}).empty());
}

// A cluster's gateway resolves last_id once and asks every member for the
// rows after that position; members have no row there (docs/cluster.md).
BOOST_AUTO_TEST_CASE(an_explicit_cursor_pages_like_last_id_without_a_row_behind_it) {
  std::vector<Workflow> made;
  for (uint64_t i = 0; i < 20; ++i) made.push_back(workflow(id(100 + i), kAlice, "w", 1000 + Millis(i / 4)));
  workflow(id(999), kBob, "w", 1002);
  const Ids all = workflows(kAlice, {}, PageRequest{1000, 1, {}});
  BOOST_TEST_REQUIRE(all.size() == 20u);
  auto after = [](Millis created, Uuid id, size_t per_page, size_t page = 1) {
    PageRequest p;
    p.per_page = per_page;
    p.page = page;
    p.after = SearchCursor{created, id};
    return p;
  };
  auto position = [&](const Uuid& wf) { return *must(workflow_position(*store, kAlice, wf)); };

  // Walking by positions gives what walking by last_id gives.
  Ids walked;
  std::optional<SearchCursor> at;
  for (;;) {
    PageRequest p{6, 1, {}};
    p.after = at;
    Ids got = workflows(kAlice, {}, p);
    if (got.empty()) break;
    walked.insert(walked.end(), got.begin(), got.end());
    at = position(got.back());
  }
  BOOST_TEST((walked == all));

  // A position between rows: same created_at, an id no row has. Ties on
  // created_at go by id, descending, so the rows of that time with a lower id follow.
  BOOST_TEST((workflows(kAlice, {}, after(1002, id(110, 0), 100)) ==
              Ids{id(109), id(108), id(107), id(106), id(105), id(104), id(103), id(102), id(101),
                  id(100)}));
  // A position newer than everything gives everything; older than everything, nothing.
  BOOST_TEST((workflows(kAlice, {}, after(5000, id(0), 100)) == all));
  BOOST_TEST(workflows(kAlice, {}, after(0, id(0), 100)).empty());
  // Pages count from the position, and a cursor wins over last_id.
  PageRequest both = after(1004, id(118), 3, 2);
  both.last_id = id(100);
  BOOST_TEST((workflows(kAlice, {}, both) == Ids{id(114), id(113), id(112)}));
  // Only the user's rows, whoever else has rows at that position.
  BOOST_TEST((workflows(kBob, {}, after(1003, id(0), 10)) == Ids{id(999)}));

  BOOST_TEST((position(id(105)) == SearchCursor{1001, id(105)}));
  BOOST_TEST(!must(workflow_position(*store, kAlice, id(999))).has_value());  // bob's
  BOOST_TEST(!must(workflow_position(*store, kAlice, id(12345))).has_value());
}

BOOST_AUTO_TEST_CASE(node_positions_are_the_nodes_own_user_s) {
  auto wf = workflow(id(1), kAlice, "w", 1);
  auto other = workflow(id(2), kBob, "w", 2);
  node(wf, id(100), "n", 10);
  node(wf, id(101), "n", 10);
  node(wf, id(102), "n", 11);
  node(other, id(200), "for alice", 12, ServerStatus::pending, ClientStatus::pending, kAlice);
  BOOST_TEST((*must(node_position(*store, kAlice, id(101))) == SearchCursor{10, id(101)}));
  BOOST_TEST((*must(node_position(*store, kAlice, id(200))) == SearchCursor{12, id(200)}));
  BOOST_TEST(!must(node_position(*store, kBob, id(200))).has_value());
  BOOST_TEST(!must(node_position(*store, kAlice, id(77))).has_value());
  PageRequest p;
  p.after = SearchCursor{11, id(102)};
  BOOST_TEST((nodes(kAlice, {}, p) == Ids{id(101), id(100)}));
  p.after = SearchCursor{12, id(999)};
  BOOST_TEST((nodes(kAlice, {}, p) == Ids{id(200), id(102), id(101), id(100)}));
}

BOOST_AUTO_TEST_CASE(names_are_distinct_sorted_and_exact) {
  workflow(id(1), kAlice, "b", 1);
  workflow(id(2), kAlice, "a", 2);
  workflow(id(3), kAlice, "ab", 3);
  workflow(id(4), kAlice, "a", 4);
  workflow(id(5), kAlice, std::string("a\0z", 3), 5);
  workflow(id(6), kBob, "zz", 6);
  auto names = must(workflow_names(*store, kAlice)).rows;
  BOOST_TEST((names == std::vector<std::string>{"a", std::string("a\0z", 3), "ab", "b"}));
  BOOST_TEST((must(workflow_names(*store, kBob)).rows == std::vector<std::string>{"zz"}));
  SearchFilter f;
  f.name = "a";
  BOOST_TEST((workflows(kAlice, f) == Ids{id(4), id(2)}));
  f.name = "zz";
  BOOST_TEST(workflows(kAlice, f).empty());
}

BOOST_AUTO_TEST_CASE(current_status_follows_moves_and_keeps_types_apart) {
  auto wf = workflow(id(1), kAlice, "w", 1);
  // Born ready/ready: no rows, still indexed under both fields.
  Node n = node(wf, id(11), "sig", 2, ServerStatus::ready, ClientStatus::ready);
  BOOST_TEST((nodes(kAlice, current("ready")) == Ids{id(11)}));
  BOOST_TEST((workflows(kAlice, current("ready")) == Ids{id(1)}));
  // The client leaves ready; the server 'ready' entry must survive.
  move(wf, n, {{StatusType::client, "received"}}, 3);
  BOOST_TEST((nodes(kAlice, current("ready")) == Ids{id(11)}));
  BOOST_TEST((nodes(kAlice, current("received")) == Ids{id(11)}));
  move(wf, n, {{StatusType::server, "started"}, {StatusType::server, "sent_to_client"}}, 4);
  BOOST_TEST(nodes(kAlice, current("ready")).empty());
  BOOST_TEST(workflows(kAlice, current("ready")).empty());
  BOOST_TEST(nodes(kAlice, current("started")).empty());  // passed through in one apply
  BOOST_TEST((workflows(kAlice, current("sent_to_client")) == Ids{id(1)}));
  // There and back in one apply: the entry is where the node ends.
  move(wf, n, {{StatusType::client, "processing"}, {StatusType::client, "errored"},
               {StatusType::client, "received"}}, 5);
  BOOST_TEST((nodes(kAlice, current("received")) == Ids{id(11)}));
  BOOST_TEST(nodes(kAlice, current("processing")).empty());
  BOOST_TEST(nodes(kAlice, current("errored")).empty());
  // Statuses no node has, or that are not statuses at all.
  BOOST_TEST(workflows(kAlice, current("pending")).empty());
  BOOST_TEST(workflows(kAlice, current("nonsense")).empty());
}

BOOST_AUTO_TEST_CASE(a_workflow_matches_while_any_of_its_nodes_does_and_is_listed_once) {
  auto wf = workflow(id(1), kAlice, "w", 1);
  workflow(id(2), kAlice, "w", 2);
  Node a = node(wf, id(11), "a", 3);
  Node b = node(wf, id(12), "b", 4);
  BOOST_TEST((workflows(kAlice, current("pending")) == Ids{id(1)}));
  move(wf, a, {{StatusType::server, "ready"}}, 5);
  BOOST_TEST((workflows(kAlice, current("pending")) == Ids{id(1)}));  // b still is
  move(wf, b, {{StatusType::server, "ready"}}, 6);
  BOOST_TEST((workflows(kAlice, current("pending")) == Ids{id(1)}));  // both clients are
  move(wf, a, {{StatusType::client, "ready"}}, 7);
  move(wf, b, {{StatusType::client, "ready"}}, 8);
  BOOST_TEST(workflows(kAlice, current("pending")).empty());
  BOOST_TEST((workflows(kAlice, current("ready")) == Ids{id(1)}));
}

BOOST_AUTO_TEST_CASE(past_status_and_time_range_constrain_the_same_row) {
  auto w1 = workflow(id(1), kAlice, "w", 1);
  auto w2 = workflow(id(2), kAlice, "w", 2);
  Node a = node(w1, id(11), "a", 3);
  Node b = node(w2, id(12), "b", 4);
  move(w1, a, {{StatusType::client, "errored"}}, 100);
  move(w1, a, {{StatusType::client, "resolved"}}, 200);
  move(w2, b, {{StatusType::client, "complete"}}, 150);

  BOOST_TEST((workflows(kAlice, past("errored")) == Ids{id(1)}));
  BOOST_TEST((nodes(kAlice, past("errored")) == Ids{id(11)}));
  BOOST_TEST(workflows(kAlice, past("pending")).empty());  // only to_status counts

  SearchFilter f = past("errored");
  f.status_start = 150;  // errored at 100 only: the resolved row at 200 must not count
  BOOST_TEST(workflows(kAlice, f).empty());
  BOOST_TEST(nodes(kAlice, f).empty());
  f.status_start = 100;
  f.status_end = 100;  // both ends inclusive
  BOOST_TEST((workflows(kAlice, f) == Ids{id(1)}));
  BOOST_TEST((nodes(kAlice, f) == Ids{id(11)}));

  SearchFilter range;  // any row in range
  range.status_start = 120;
  range.status_end = 160;
  BOOST_TEST((workflows(kAlice, range) == Ids{id(2)}));
  BOOST_TEST((nodes(kAlice, range) == Ids{id(12)}));
  range.status_end = 250;
  BOOST_TEST((workflows(kAlice, range) == Ids{id(2), id(1)}));
  range.status_start.reset();
  range.status_end = 99;
  BOOST_TEST(workflows(kAlice, range).empty());
  BOOST_TEST(workflows(kBob, past("errored")).empty());
}

BOOST_AUTO_TEST_CASE(filters_combine) {
  auto w1 = workflow(id(1), kAlice, "order", 1, R"({"order_id":42})");
  auto w2 = workflow(id(2), kAlice, "order", 2, R"({"order_id":7})");
  auto w3 = workflow(id(3), kAlice, "refund", 3, R"({"order_id":42})");
  Node a = node(w1, id(11), "charge", 10, ServerStatus::pending, ClientStatus::pending, {},
                R"({"tag":"x"})");
  Node b = node(w2, id(12), "charge", 11);
  Node c = node(w3, id(13), "refund", 12);
  move(w1, a, {{StatusType::client, "errored"}}, 20);
  move(w2, b, {{StatusType::client, "errored"}}, 21);
  move(w2, b, {{StatusType::client, "resolved"}}, 22);
  move(w3, c, {{StatusType::client, "errored"}}, 23);

  SearchFilter f;
  f.name = "order";
  f.current_status = "errored";
  BOOST_TEST((workflows(kAlice, f) == Ids{id(1)}));
  f.current_status.reset();
  f.past_status = "errored";
  BOOST_TEST((workflows(kAlice, f) == Ids{id(2), id(1)}));
  f.text = "42";
  BOOST_TEST((workflows(kAlice, f) == Ids{id(1)}));
  f.name.reset();
  BOOST_TEST((workflows(kAlice, f) == Ids{id(3), id(1)}));

  SearchFilter n;
  n.name = "charge";
  n.current_status = "errored";
  BOOST_TEST((nodes(kAlice, n) == Ids{id(11)}));
  n.current_status.reset();
  n.text = R"("tag":"x")";
  BOOST_TEST((nodes(kAlice, n) == Ids{id(11)}));
  n.text = "nope";
  BOOST_TEST(nodes(kAlice, n).empty());
}

BOOST_AUTO_TEST_CASE(nodes_belong_to_their_own_user_and_page_stably) {
  auto wf = workflow(id(1), kAlice, "w", 1);
  auto other = workflow(id(2), kBob, "w", 2);
  Ids expected;
  for (uint64_t i = 0; i < 12; ++i) {
    node(wf, id(100 + i), "n", 10 + Millis(i / 4));
    expected.push_back(id(100 + i));
  }
  // Run for alice inside bob's workflow (client_id): alice's node, bob's workflow.
  node(other, id(200), "for alice", 5, ServerStatus::pending, ClientStatus::pending, kAlice);
  node(other, id(201), "bob's", 6);
  std::sort(expected.begin(), expected.end(), [](const Uuid& a, const Uuid& b) {
    return index::order_key(10 + Millis((a.hi - 100) / 4), a) <
           index::order_key(10 + Millis((b.hi - 100) / 4), b);
  });
  expected.push_back(id(200));  // created earliest

  BOOST_TEST((nodes(kAlice, {}, PageRequest{100, 1, {}}) == expected));
  BOOST_TEST((nodes(kBob) == Ids{id(201)}));
  Ids walked;
  std::optional<Uuid> last;
  for (;;) {
    Ids got = nodes(kAlice, {}, PageRequest{5, 1, last});
    if (got.empty()) break;
    walked.insert(walked.end(), got.begin(), got.end());
    last = got.back();
  }
  BOOST_TEST((walked == expected));
  BOOST_TEST((nodes(kAlice, {}, PageRequest{5, 3, {}}) == Ids(expected.begin() + 10, expected.end())));
  BOOST_TEST(nodes(kAlice, {}, PageRequest{5, 1, id(201)}).empty());  // bob's node
}

BOOST_AUTO_TEST_CASE(error_workflows_follow_the_users_errored_nodes) {
  auto w1 = workflow(id(1), kAlice, "w", 1);
  auto w2 = workflow(id(2), kAlice, "w", 2);
  auto bobs = workflow(id(3), kBob, "w", 3);
  Node a = node(w1, id(11), "a", 4);
  Node b = node(w2, id(12), "b", 5);
  Node b2 = node(w2, id(13), "b2", 6);
  Node c = node(bobs, id(14), "for alice", 7, ServerStatus::pending, ClientStatus::pending, kAlice);
  for (Node* n : {&a, &b, &b2}) move(n == &a ? w1 : w2, *n, {{StatusType::client, "errored"}}, 8);
  move(bobs, c, {{StatusType::client, "errored"}}, 8);
  auto ids = [&] {
    Ids out;
    for (const Workflow& wf : must(error_workflows(*store, kAlice)).rows) out.push_back(wf.id);
    return out;
  };
  BOOST_TEST((ids() == Ids{id(2), id(1)}));  // once each, never bob's workflow
  move(w1, a, {{StatusType::client, "resolved"}}, 9);
  BOOST_TEST((ids() == Ids{id(2)}));
  BOOST_TEST(must(error_workflows(*store, kBob)).rows.empty());  // bob's own nodes are fine
}

BOOST_AUTO_TEST_CASE(indexes_survive_reopening) {
  auto wf = workflow(id(1), kAlice, "w", 1);
  Node n = node(wf, id(11), "a", 2);
  move(wf, n, {{StatusType::server, "ready"}}, 3);
  reopen();
  BOOST_TEST((workflows(kAlice, current("ready")) == Ids{id(1)}));
  BOOST_TEST((nodes(kAlice, past("ready")) == Ids{id(11)}));
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
