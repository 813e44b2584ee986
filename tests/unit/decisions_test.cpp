// Decisions (docs/contract.md §9.2 decision element), the happy path of
// docs/contract.md §11.1, modes and ordering (docs/contract.md §4.2, §4.3), and
// flags (docs/contract.md §4.1).
#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {

BOOST_FIXTURE_TEST_SUITE(add_decisions, EngineFixture)

BOOST_AUTO_TEST_CASE(children_are_pending_with_consecutive_seqs_and_defaults) {
  const Uuid s = sent_signal();
  advance(kSec);
  const std::vector<Uuid> kids = decide(s, {Spec("a"), Spec("b"), Spec("c")});
  BOOST_TEST_REQUIRE(kids.size() == 3u);
  BOOST_TEST(names(kids) == "a, b, c");
  for (size_t i = 0; i < kids.size(); ++i) {
    const Node& n = node(kids[i]);
    BOOST_TEST_CONTEXT("child " << n.name) {
      BOOST_TEST(status(kids[i]) == "pending/pending");
      BOOST_TEST(n.seq == 2 + i);
      BOOST_TEST((n.parent_id == s));
      BOOST_TEST((n.user_id == user));
      BOOST_TEST((n.workflow_id == wf));
      BOOST_TEST((n.mode == Mode::blocking));
      BOOST_TEST(n.legacy_type == "activity");
      BOOST_TEST(n.retries_remaining == 6);
      BOOST_TEST(n.retry_interval_s == 1200);
      BOOST_TEST(n.fires_at == kT0);  // now - 1 s
      BOOST_TEST(n.client_data == "{}");
      BOOST_TEST(n.metadata == "{}");
      BOOST_TEST(!n.complete_by.has_value());
      BOOST_TEST(n.created_at == kT0 + kSec);
    }
  }
  BOOST_TEST(state.workflow().next_seq == 5u);
  BOOST_TEST(last.effects.status_changes.empty());  // creation writes no rows
  BOOST_TEST(last.effects.callbacks.empty());
  BOOST_TEST(last.effects.timers_set.empty());
  BOOST_TEST(changed() == "a, b, c");
  BOOST_TEST(last.effects.workflow_changed);  // next_seq moved
  BOOST_TEST(status(s) == "sent_to_client/received");
}

BOOST_AUTO_TEST_CASE(explicit_fields_and_client_id_override) {
  const Uuid s = sent_signal();
  NodeSpec spec = Spec("x").type("timer").mode(Mode::non_blocking).fires_at(kT0 + 5).retries(0)
                      .interval(0).client(other_user).timeout(9);
  spec.client_data = "{\"timeout\":9}";
  spec.metadata = "{\"m\":true}";
  const Uuid x = decide(s, spec);
  const Node& n = node(x);
  BOOST_TEST((n.user_id == other_user));
  BOOST_TEST(n.legacy_type == "timer");
  BOOST_TEST((n.mode == Mode::non_blocking));
  BOOST_TEST(n.fires_at == kT0 + 5);
  BOOST_TEST(n.retries_remaining == 0);
  BOOST_TEST(n.retry_interval_s == 0);
  BOOST_TEST(n.timeout_s.value_or(-1) == 9);
  BOOST_TEST(n.client_data == "{\"timeout\":9}");
  BOOST_TEST(n.metadata == "{\"m\":true}");
  // Only the owner sees the node (docs/contract.md §4.7).
  const Error e = fails(ev::ClientStatusUpdate{user, x, W::processing, "{}", "null"});
  BOOST_TEST((backbeat::test::http_status(e) == 404));
  BOOST_TEST(e.message == "Couldn't find Backbeat::Node with id=" + x.str());
}

BOOST_AUTO_TEST_CASE(initial_statuses_are_honoured) {
  const Uuid s = sent_signal();
  const Uuid x = decide(s, Spec("x").statuses(S::deactivated, C::complete));
  BOOST_TEST(status(x) == "deactivated/complete");
  // A deactivated child is skipped by MarkChildrenReady and counts as finished.
  report(s, W::completed);
  BOOST_TEST(status(s) == "complete/complete");
  BOOST_TEST(rows(x) == "");
}

BOOST_AUTO_TEST_CASE(validation_rejects_the_whole_batch) {
  const Uuid s = sent_signal();
  const uint64_t ids_before = ids.count();
  for (const NodeSpec& bad : {NodeSpec(Spec("")), NodeSpec(Spec("n").retries(-1)),
                              NodeSpec(Spec("n").interval(-5))}) {
    const Error e = fails(ev::AddDecisions{user, s, {Spec("good"), bad}});
    BOOST_TEST((backbeat::test::http_status(e) == 400));
    BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::ValidationError");
  }
  BOOST_TEST(ids.count() == ids_before);
}

BOOST_AUTO_TEST_CASE(empty_batch_is_fine) {
  const Uuid s = sent_signal();
  BOOST_TEST(decide(s, std::vector<NodeSpec>{}).empty());
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_CASE(unknown_or_foreign_node_is_not_found) {
  const Uuid s = sent_signal();
  BOOST_TEST(
      (backbeat::test::http_status(fails(ev::AddDecisions{other_user, s, {Spec("a")}})) == 404));
  BOOST_TEST(
      (backbeat::test::http_status(fails(ev::AddDecisions{user, Uuid{7, 7}, {Spec("a")}})) == 404));
}

BOOST_AUTO_TEST_CASE(after_completion_is_a_conflict) {
  // docs/contract.md §19: the original orphaned such children; we answer 409.
  const Uuid s = sent_signal();
  decide(s, Spec("keeps-it-open"));
  report(s, W::completed);
  const Error e = fails(ev::AddDecisions{user, s, {Spec("late")}});
  BOOST_TEST((backbeat::test::http_status(e) == 409));
  BOOST_TEST(backbeat::test::error_class(e) == "Backbeat::InvalidDecisionsState");
  BOOST_TEST(e.message == "Cannot add decisions to a node whose client status is complete");
}

BOOST_AUTO_TEST_CASE(after_resolved_or_shutdown_is_a_conflict) {
  for (W w : {W::resolved, W::shutdown}) {
    EngineFixture f;
    f.create();
    const Uuid s = f.signal(Spec("sig").retries(0));
    f.decide(s, Spec("open"));
    f.report(s, W::errored);
    f.report(s, w);
    BOOST_TEST(f.status(s) == "processing_children/" + std::string(w == W::resolved ? "resolved" : "shutdown"));
    BOOST_TEST(
        (backbeat::test::http_status(f.fails(ev::AddDecisions{f.user, s, {Spec("late")}})) == 409));
  }
}

BOOST_AUTO_TEST_CASE(allowed_while_errored) {
  const Uuid s = sent_signal();
  report(s, W::errored);
  BOOST_TEST(status(s) == "retrying/errored");
  BOOST_TEST(decide(s, Spec("a")).hi != 0u);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(happy_path, EngineFixture)

BOOST_AUTO_TEST_CASE(one_decision_one_activity_section_11_1) {
  const Uuid s = sent_signal();                          // steps 1-3
  report(s, W::processing);                              // step 4
  BOOST_TEST(rows(s) == "C received>processing");
  BOOST_TEST(inflight_cleared() == "sig");
  const Uuid a = decide(s, Spec("a1"));                  // step 5
  BOOST_TEST(status(a) == "pending/pending");

  report(s, W::completed, R"({"result":1})");            // steps 6-8
  BOOST_TEST(status(s) == "processing_children/complete");
  BOOST_TEST(rows_with_response(s) == "C processing>complete {\"result\":1}, "
                                      "S sent_to_client>processing_children {\"result\":1}");
  BOOST_TEST(rows(a) == "S pending>ready, C pending>ready, S ready>started, "
                        "S started>sent_to_client, C ready>received");
  BOOST_TEST(all_rows() == "sig C processing>complete, sig S sent_to_client>processing_children, "
                           "a1 S pending>ready, a1 C pending>ready, a1 S ready>started, "
                           "a1 S started>sent_to_client, a1 C ready>received");
  BOOST_TEST(callbacks() == "a1#1");
  BOOST_TEST(inflight_set() == "a1");
  BOOST_TEST(!node(s).complete_by.has_value());
  BOOST_TEST(timers_cleared() == "deadline sig @+172800s");
  BOOST_TEST(timers_set() == "deadline a1 @+172800s");

  report(a, W::completed);                               // steps 9-12
  BOOST_TEST(status(a) == "complete/complete");
  BOOST_TEST(status(s) == "complete/complete");
  BOOST_TEST(all_rows() == "a1 C received>complete, a1 S sent_to_client>processing_children, "
                           "a1 S processing_children>complete, "
                           "sig S processing_children>complete");
  BOOST_TEST(inflight_cleared() == "a1");
  BOOST_TEST(timers_cleared() == "deadline a1 @+172800s");
  BOOST_TEST(timers_set() == "");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(!state.workflow().complete);  // never automatic (docs/contract.md §4.4)
  BOOST_TEST(node(a).status_change_count == 8u);
}

BOOST_AUTO_TEST_CASE(activity_status_history_in_order) {
  // The same path, collected across every apply for A1 alone.
  const Uuid s = sent_signal();
  const Uuid a = decide(s, Spec("a1"));
  std::vector<std::string> history;
  auto collect = [&] { if (!rows(a).empty()) history.push_back(rows(a)); };
  report(s, W::completed);
  collect();
  report(a, W::processing);
  collect();
  report(a, W::completed);
  collect();
  std::string joined;
  for (const std::string& h : history) joined += (joined.empty() ? "" : ", ") + h;
  BOOST_TEST(joined == "S pending>ready, C pending>ready, S ready>started, "
                       "S started>sent_to_client, C ready>received, C received>processing, "
                       "C processing>complete, S sent_to_client>processing_children, "
                       "S processing_children>complete");
}

BOOST_AUTO_TEST_CASE(nested_decisions_complete_bottom_up) {
  const Uuid a = sent_activity(Spec("a"));
  const Uuid b = decide(a, Spec("b"));
  report(a, W::completed);
  BOOST_TEST(status(b) == "sent_to_client/received");
  BOOST_TEST(status(a) == "processing_children/complete");
  report(b, W::completed);
  BOOST_TEST(all_rows() == "b C received>complete, b S sent_to_client>processing_children, "
                           "b S processing_children>complete, a S processing_children>complete, "
                           "sig S processing_children>complete");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(modes, EngineFixture)

BOOST_AUTO_TEST_CASE(walk_stops_at_the_first_unfinished_blocking_child) {
  const std::vector<Uuid> k = running_children({Spec("nb").mode(Mode::non_blocking),
                                                Spec("ff").mode(Mode::fire_and_forget),
                                                Spec("b1"), Spec("b2"),
                                                Spec("nb2").mode(Mode::non_blocking)});
  BOOST_TEST(callbacks() == "nb#1, ff#1, b1#1");
  BOOST_TEST(status(k[3]) == "ready/ready");
  BOOST_TEST(status(k[4]) == "ready/ready");
  report(k[2], W::completed);  // b1 done: the walk moves on to b2 and stops there
  BOOST_TEST(callbacks() == "b2#1");
  BOOST_TEST(status(k[4]) == "ready/ready");
  report(k[3], W::completed);
  BOOST_TEST(callbacks() == "nb2#1");
  BOOST_TEST(status(sig) == "processing_children/complete");  // nb, nb2 outstanding
  report(k[0], W::completed);
  BOOST_TEST(status(sig) == "processing_children/complete");
  report(k[4], W::completed);
  // fire_and_forget is ignored for the parent's completion.
  BOOST_TEST(status(k[1]) == "sent_to_client/received");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(fire_and_forget_completion_does_not_touch_the_parent) {
  const std::vector<Uuid> k =
      running_children({Spec("ff").mode(Mode::fire_and_forget), Spec("b")});
  report(k[1], W::completed);
  BOOST_TEST(status(sig) == "complete/complete");
  report(k[0], W::completed);
  BOOST_TEST(status(k[0]) == "complete/complete");
  BOOST_TEST(all_rows() == "ff C received>complete, ff S sent_to_client>processing_children, "
                           "ff S processing_children>complete");
}

BOOST_AUTO_TEST_CASE(blocking_future_timer_holds_back_later_siblings) {
  const std::vector<Uuid> k =
      running_children({Spec("timer").fires_at(kT0 + 30 * kSec), Spec("after")});
  BOOST_TEST(status(k[0]) == "started/ready");
  BOOST_TEST(status(k[1]) == "ready/ready");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(timers_set() == "start_node timer @+30s");
  advance(30 * kSec);
  fire(TimerKind::start_node, k[0]);
  BOOST_TEST(callbacks() == "timer#1");
  report(k[0], W::completed);
  BOOST_TEST(callbacks() == "after#1");
}

BOOST_AUTO_TEST_CASE(non_blocking_timer_does_not_hold_back) {
  const std::vector<Uuid> k = running_children(
      {Spec("timer").mode(Mode::non_blocking).fires_at(kT0 + 30 * kSec), Spec("now")});
  BOOST_TEST(status(k[0]) == "started/ready");
  BOOST_TEST(callbacks() == "now#1");
  report(k[1], W::completed);
  BOOST_TEST(status(sig) == "processing_children/complete");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(flag_nodes, EngineFixture)

BOOST_AUTO_TEST_CASE(a_flag_completes_itself_without_a_callback) {
  const std::vector<Uuid> k = running_children({Spec("f").type("flag"), Spec("after")});
  const Uuid f = k[0];
  BOOST_TEST(status(f) == "complete/complete");
  BOOST_TEST(rows(f) == "S pending>ready, C pending>ready, S ready>started, "
                        "S started>sent_to_client, C ready>received, C received>complete, "
                        "S sent_to_client>processing_children, S processing_children>complete");
  BOOST_TEST(callbacks() == "after#1");
  BOOST_TEST(inflight_set() == "after");
  BOOST_TEST(!node(f).callback_pending);
  BOOST_TEST(!node(f).complete_by.has_value());
  BOOST_TEST(timers_set() == "deadline after @+172800s");
}

BOOST_AUTO_TEST_CASE(a_flag_in_a_paused_workflow_parks) {
  const Uuid s = sent_signal();
  const Uuid f = decide(s, Spec("f").type("flag"));
  set_flag(ev::WorkflowFlag::pause);
  report(s, W::completed);
  BOOST_TEST(status(f) == "paused/ready");
  set_flag(ev::WorkflowFlag::resume);
  BOOST_TEST(status(f) == "complete/complete");
  BOOST_TEST(status(s) == "complete/complete");
  BOOST_TEST(callbacks() == "");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
