#include <boost/test/unit_test.hpp>

#include <fstream>

#include "storage/store.hpp"
#include "tests/storage/samples.hpp"
#include "tests/storage/store_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::storage::test {

BOOST_FIXTURE_TEST_SUITE(store, StoreFixture)

BOOST_AUTO_TEST_CASE(records_survive_reopening) {
  WriteSet ws;
  ws.put_user(sample_user());
  ws.put_workflow(sample_workflow());
  ws.put_new_node(sample_node());
  ws.add_status_change(id(2), sample_change());
  ws.set_timer(Timer{10, id(2), id(3), TimerKind::deadline});
  ws.set_inflight(id(2), id(3));
  ws.put_outbox(sample_outbox());
  BOOST_TEST(ws.count() == 8u);  // put_new_node also writes node_index
  write(std::move(ws));
  reopen();

  auto user = must(store->get_user(id(1)));
  BOOST_TEST_REQUIRE(user.has_value());
  BOOST_TEST(same(*user, sample_user()));
  auto wf = must(store->get_workflow(id(2)));
  BOOST_TEST_REQUIRE(wf.has_value());
  BOOST_TEST(same(*wf, sample_workflow()));
  auto nodes = must(store->load_nodes(id(2)));
  BOOST_TEST_REQUIRE(nodes.size() == 1u);
  BOOST_TEST(same(nodes[0], sample_node()));
  auto changes = must(store->status_changes(id(2), id(3)));
  BOOST_TEST_REQUIRE(changes.size() == 1u);
  BOOST_TEST(same(changes[0], sample_change()));
  BOOST_TEST(must(store->timers_due_before(10, 10)).size() == 1u);
  BOOST_TEST(must(store->inflight_callbacks()).size() == 1u);
  auto outbox = must(store->load_outbox());
  BOOST_TEST_REQUIRE(outbox.size() == 1u);
  BOOST_TEST(same(outbox[0], sample_outbox()));
}

BOOST_AUTO_TEST_CASE(missing_records_are_empty_not_errors) {
  BOOST_TEST(!must(store->get_user(id(1))).has_value());
  BOOST_TEST(!must(store->get_workflow(id(2))).has_value());
  BOOST_TEST(!must(store->find_node(id(3))).has_value());
  BOOST_TEST(must(store->load_nodes(id(2))).empty());
  BOOST_TEST(must(store->list_users()).empty());
  BOOST_TEST(must(store->timers_due_before(INT64_MAX, 10)).empty());
}

BOOST_AUTO_TEST_CASE(later_puts_replace_earlier_ones) {
  WriteSet first;
  first.put_workflow(sample_workflow());
  write(std::move(first));
  Workflow changed = sample_workflow();
  changed.complete = false;
  changed.next_seq = 99;
  WriteSet second;
  second.put_workflow(changed);
  write(std::move(second));
  BOOST_TEST(same(*must(store->get_workflow(id(2))), changed));
}

BOOST_AUTO_TEST_CASE(list_users_returns_every_user) {
  WriteSet ws;
  for (uint64_t i = 1; i <= 5; ++i) ws.put_user(sample_user(id(i)));
  write(std::move(ws));
  auto users = must(store->list_users());
  BOOST_TEST_REQUIRE(users.size() == 5u);
  for (uint64_t i = 0; i < 5; ++i) BOOST_TEST((users[i].id == id(i + 1)));
}

BOOST_AUTO_TEST_CASE(load_nodes_orders_by_seq_and_stays_in_its_workflow) {
  const Uuid wf = id(2, 5);
  WriteSet ws;
  // Ids ascend while seqs descend, so key order alone would be wrong.
  for (uint64_t i = 0; i < 20; ++i) ws.put_node(sample_node(wf, id(100 + i), 20 - i));
  // Neighbouring workflows, just below and above in key order.
  ws.put_node(sample_node(id(2, 4), id(7), 1));
  ws.put_node(sample_node(id(2, 6), id(8), 1));
  write(std::move(ws));
  reopen();  // recovery flushes to table files, where the prefix filters apply
  auto nodes = must(store->load_nodes(wf));
  BOOST_TEST_REQUIRE(nodes.size() == 20u);
  for (size_t i = 0; i < nodes.size(); ++i) {
    BOOST_TEST(nodes[i].seq == i + 1);
    BOOST_TEST((nodes[i].workflow_id == wf));
  }
}

BOOST_AUTO_TEST_CASE(get_node_is_a_point_read_within_its_workflow) {
  WriteSet ws;
  ws.put_node(sample_node(id(2), id(3), 4));
  write(std::move(ws));
  auto found = must(store->get_node(id(2), id(3)));
  BOOST_TEST_REQUIRE(found.has_value());
  BOOST_TEST(found->seq == 4u);
  BOOST_TEST(!must(store->get_node(id(9), id(3))).has_value());  // another workflow
  BOOST_TEST(!must(store->get_node(id(2), id(4))).has_value());
}

BOOST_AUTO_TEST_CASE(find_node_uses_the_index) {
  Node n = sample_node(id(2), id(3));
  n.user_id = id(42);
  WriteSet ws;
  ws.put_new_node(n);
  write(std::move(ws));
  auto location = must(store->find_node(id(3)));
  BOOST_TEST_REQUIRE(location.has_value());
  BOOST_TEST((*location == NodeLocation{id(2), id(42)}));
}

BOOST_AUTO_TEST_CASE(a_changed_node_keeps_its_index_entry_without_rewriting_it) {
  Node n = sample_node(id(2), id(3));
  WriteSet created;
  created.put_new_node(n);
  BOOST_TEST(created.count() == 2u);
  write(std::move(created));
  n.seq = 9;
  WriteSet changed;
  changed.put_node(n);
  BOOST_TEST(changed.count() == 1u);  // the record only
  write(std::move(changed));
  BOOST_TEST(must(store->find_node(id(3))).has_value());
  BOOST_TEST(must(store->get_node(id(2), id(3)))->seq == 9u);
}

BOOST_AUTO_TEST_CASE(status_changes_come_back_in_index_order_per_node) {
  WriteSet ws;
  for (uint32_t index : {300u, 2u, 256u, 0u, 1u}) ws.add_status_change(id(2), sample_change(id(3), index));
  ws.add_status_change(id(2), sample_change(id(4), 5));  // another node
  ws.add_status_change(id(9), sample_change(id(3), 6));  // same node id, other workflow
  write(std::move(ws));
  reopen();
  auto changes = must(store->status_changes(id(2), id(3)));
  std::vector<uint32_t> indexes;
  for (const auto& c : changes) indexes.push_back(c.index);
  BOOST_TEST(indexes == (std::vector<uint32_t>{0, 1, 2, 256, 300}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(timers_come_due_in_order_up_to_the_limit) {
  std::vector<Timer> timers = {
      {50, id(2), id(3), TimerKind::retry},       {-20, id(2), id(4), TimerKind::start_node},
      {10, id(2), id(5), TimerKind::deadline},    {10, id(1), id(5), TimerKind::deadline},
      {51, id(2), id(3), TimerKind::start_node},  {1'800'000'000'000, id(2), id(6), TimerKind::retry},
  };
  WriteSet ws;
  for (const auto& t : timers) ws.set_timer(t);
  write(std::move(ws));

  auto due = must(store->timers_due_before(50, 100));  // inclusive of 50
  std::vector<Timer> expected = {timers[1], timers[3], timers[2], timers[0]};
  BOOST_TEST_REQUIRE(due.size() == expected.size());
  for (size_t i = 0; i < due.size(); ++i) BOOST_TEST((due[i] == expected[i]));

  auto first_two = must(store->timers_due_before(INT64_MAX, 2));
  BOOST_TEST_REQUIRE(first_two.size() == 2u);
  BOOST_TEST((first_two[0] == timers[1]));
  BOOST_TEST((first_two[1] == timers[3]));
  BOOST_TEST(must(store->timers_due_before(-21, 10)).empty());
  BOOST_TEST(must(store->timers_due_before(INT64_MAX, 100)).size() == timers.size());
}

BOOST_AUTO_TEST_CASE(clear_timer_removes_exactly_that_timer) {
  Timer deadline{10, id(2), id(3), TimerKind::deadline};
  Timer retry{10, id(2), id(3), TimerKind::retry};
  WriteSet set;
  set.set_timer(deadline);
  set.set_timer(retry);
  write(std::move(set));
  WriteSet clear;
  clear.clear_timer(deadline);
  clear.clear_timer(Timer{11, id(2), id(3), TimerKind::retry});  // not set: no effect
  write(std::move(clear));
  auto due = must(store->timers_due_before(INT64_MAX, 10));
  BOOST_TEST_REQUIRE(due.size() == 1u);
  BOOST_TEST((due[0] == retry));
}

BOOST_AUTO_TEST_CASE(inflight_callbacks_are_set_and_cleared) {
  WriteSet set;
  set.set_inflight(id(2), id(3));
  set.set_inflight(id(2), id(4));
  set.set_inflight(id(1), id(9));
  write(std::move(set));
  WriteSet clear;
  clear.clear_inflight(id(2), id(3));
  write(std::move(clear));
  reopen();
  auto inflight = must(store->inflight_callbacks());
  using Pair = std::pair<Uuid, Uuid>;
  BOOST_TEST_REQUIRE(inflight.size() == 2u);
  BOOST_TEST((inflight[0] == Pair{id(1), id(9)}));
  BOOST_TEST((inflight[1] == Pair{id(2), id(4)}));
}

BOOST_AUTO_TEST_CASE(outbox_is_oldest_first_and_deletable) {
  WriteSet ws;
  ws.put_outbox(sample_outbox(id(1), 300));
  ws.put_outbox(sample_outbox(id(2), 100));
  ws.put_outbox(sample_outbox(id(3), 200));
  write(std::move(ws));
  WriteSet del;
  del.delete_outbox(id(3));
  write(std::move(del));
  auto outbox = must(store->load_outbox());
  BOOST_TEST_REQUIRE(outbox.size() == 2u);
  BOOST_TEST((outbox[0].id == id(2)));
  BOOST_TEST((outbox[1].id == id(1)));
}

BOOST_AUTO_TEST_CASE(empty_write_set_is_a_successful_no_op) {
  WriteSet ws;
  BOOST_TEST(ws.empty());
  BOOST_TEST(ws.count() == 0u);
  write(std::move(ws));
}

BOOST_AUTO_TEST_CASE(several_sets_apply_as_one_write) {
  std::vector<WriteSet> sets(2);
  sets[0].put_user(sample_user());
  sets[1].put_workflow(sample_workflow());
  BOOST_TEST(store->write(sets, false).ok());
  BOOST_TEST(must(store->get_user(id(1))).has_value());
  BOOST_TEST(must(store->get_workflow(id(2))).has_value());
}

BOOST_AUTO_TEST_CASE(meta_round_trips_and_schema_version_is_stamped) {
  BOOST_TEST(must(store->get_meta("schema_version")).value_or("") == "1");
  WriteSet ws;
  ws.put_meta("cluster", "east");
  write(std::move(ws));
  reopen();
  BOOST_TEST(must(store->get_meta("cluster")).value_or("") == "east");
  BOOST_TEST(!must(store->get_meta("absent")).has_value());
}

BOOST_AUTO_TEST_CASE(another_schema_version_is_refused) {
  WriteSet ws;
  ws.put_meta("schema_version", "99");
  write(std::move(ws));
  store.reset();
  auto opened = Store::open(dir.str());
  BOOST_TEST_REQUIRE(!opened.ok());
  BOOST_TEST(backbeat::test::http_status(opened.error()) == 500);
}

BOOST_AUTO_TEST_CASE(open_failures_are_errors) {
  auto second = Store::open(dir.str());  // the first instance holds the lock
  BOOST_TEST_REQUIRE(!second.ok());
  BOOST_TEST(backbeat::test::http_status(second.error()) == 500);

  auto file = dir.path() / "not-a-directory";
  std::ofstream(file) << "x";
  auto on_file = Store::open(file.string());
  BOOST_TEST(!on_file.ok());
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::storage::test
