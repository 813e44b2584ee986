// Client errors, retries and their back-off
// (docs/contract.md §6 ClientError/RetryNode, §7.3 as changed by §19),
// exhaustion and the ways out of it (docs/contract.md §11.2).
#include "tests/unit/engine_fixture.hpp"
#include "tests/support/error_view.hpp"

namespace backbeat::engine::test {

BOOST_AUTO_TEST_SUITE(retry_delay)

BOOST_AUTO_TEST_CASE(doubles_from_one_interval) {
  // docs/contract.md §19: retry n waits interval * 2^(n-1) (the original
  // started at 2x).
  const int64_t no_cap = 1'000'000;
  BOOST_TEST(retry_delay_ms(1200, 1, 1.0, no_cap) == 1'200'000);
  BOOST_TEST(retry_delay_ms(1200, 2, 1.0, no_cap) == 2'400'000);
  BOOST_TEST(retry_delay_ms(1200, 3, 1.0, no_cap) == 4'800'000);
  BOOST_TEST(retry_delay_ms(1200, 6, 1.0, no_cap) == 38'400'000);
  BOOST_TEST(retry_delay_ms(10, 1, 1.0, no_cap) == 10'000);
}

BOOST_AUTO_TEST_CASE(jitter_scales_the_delay) {
  BOOST_TEST(retry_delay_ms(100, 1, 0.8, 3600) == 80'000);
  BOOST_TEST(retry_delay_ms(100, 2, 1.2, 3600) == 240'000);
}

BOOST_AUTO_TEST_CASE(capped_at_the_maximum) {
  BOOST_TEST(retry_delay_ms(1200, 3, 1.0, 3600) == 3'600'000);
  BOOST_TEST(retry_delay_ms(1200, 2, 1.2, 2880) == 2'880'000);  // jitter cannot exceed the cap
  BOOST_TEST(retry_delay_ms(1, 200, 1.0, 3600) == 3'600'000);   // no overflow for huge n
  BOOST_TEST(retry_delay_ms(1200, 1, 1.0, 0) == 0);
}

BOOST_AUTO_TEST_CASE(interval_zero_is_immediate) {
  for (int n : {1, 2, 6, 40}) BOOST_TEST(retry_delay_ms(0, n, 1.2, 3600) == 0);
}

BOOST_AUTO_TEST_CASE(non_positive_n_counts_as_first) {
  BOOST_TEST(retry_delay_ms(10, 0, 1.0, 3600) == 10'000);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(client_error, EngineFixture)

BOOST_AUTO_TEST_CASE(retries_with_back_off) {
  const Uuid a = sent_activity(Spec("a").interval(10));
  advance(kSec);
  report(a, W::errored, R"({"error":{"why":"boom"}})", R"({"why":"boom"})");
  BOOST_TEST(status(a) == "retrying/errored");
  // The response rides on the client row only
  // (docs/contract.md §6 ClientError).
  BOOST_TEST(rows_with_response(a) ==
             "C received>errored {\"error\":{\"why\":\"boom\"}}, S sent_to_client>retrying {}");
  const Node& n = node(a);
  BOOST_TEST(n.retries_remaining == 5);
  BOOST_TEST(n.retries_made == 1);
  BOOST_TEST(n.fires_at == now() + 10 * kSec);
  BOOST_TEST(!n.callback_pending);
  BOOST_TEST(inflight_cleared() == "a");
  BOOST_TEST(timers_cleared() == "deadline a @+172799s");
  BOOST_TEST(timers_set() == "retry a @+10s");
  BOOST_TEST(notifications() == "");
  BOOST_TEST(callbacks() == "");

  advance(10 * kSec);
  fire(TimerKind::retry, a);
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(rows(a) == "C errored>ready, S retrying>ready, S ready>started, "
                        "S started>sent_to_client, C ready>received");
  BOOST_TEST(callbacks() == "a#2");
  BOOST_TEST(inflight_set() == "a");
  BOOST_TEST(timers_cleared() == "retry a @+0s");
  BOOST_TEST(timers_set() == "deadline a @+172800s");

  // The second retry waits twice as long.
  report(a, W::errored);
  BOOST_TEST(node(a).fires_at == now() + 20 * kSec);
  BOOST_TEST(node(a).retries_remaining == 4);
  BOOST_TEST(timers_set() == "retry a @+20s");
}

BOOST_AUTO_TEST_CASE(defaults_wait_twenty_minutes_then_double_up_to_the_cap) {
  const Uuid a = sent_activity();
  std::vector<Millis> waits;
  for (int i = 0; i < 4; ++i) {
    report(a, W::errored);
    waits.push_back(node(a).fires_at - now());
    advance(waits.back());
    fire(TimerKind::retry, a);
  }
  const std::vector<Millis> expected = {1200 * kSec, 2400 * kSec, 3600 * kSec, 3600 * kSec};
  BOOST_TEST(waits == expected, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(jitter_comes_from_the_context_and_respects_the_cap) {
  const Uuid a = sent_activity(Spec("a").interval(100));
  ctx.jitter = [] { return 1.2; };
  report(a, W::errored);
  BOOST_TEST(node(a).fires_at == now() + 120 * kSec);
  ctx.rules.max_retry_delay_s = 50;
  advance(120 * kSec);
  fire(TimerKind::retry, a);
  report(a, W::errored);
  BOOST_TEST(node(a).fires_at == now() + 50 * kSec);
  ctx.jitter = nullptr;  // no jitter function means 1.0
  advance(50 * kSec);
  fire(TimerKind::retry, a);
  ctx.rules.max_retry_delay_s = 3600;
  report(a, W::errored);
  BOOST_TEST(node(a).fires_at == now() + 400 * kSec);
}

BOOST_AUTO_TEST_CASE(interval_zero_resends_in_the_same_apply) {
  const Uuid a = sent_activity(Spec("a").interval(0));
  report(a, W::errored);
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(rows(a) == "C received>errored, S sent_to_client>retrying, C errored>ready, "
                        "S retrying>ready, S ready>started, S started>sent_to_client, "
                        "C ready>received");
  BOOST_TEST(callbacks() == "a#2");
  BOOST_TEST(node(a).retries_remaining == 5);
  BOOST_TEST(timers_set() == "");
  BOOST_TEST(timers_cleared() == "");
  BOOST_TEST(node(a).callback_pending);
  BOOST_TEST(inflight_set() == "");  // pending before, pending after
}

BOOST_AUTO_TEST_CASE(retry_deactivates_descendants) {
  const Uuid a = sent_activity(Spec("a").interval(0));
  const Uuid child = decide(a, Spec("child"));
  report(a, W::errored);
  BOOST_TEST(status(child) == "deactivated/pending");
  BOOST_TEST(status(a) == "sent_to_client/received");
}

BOOST_AUTO_TEST_CASE(retry_waits_behind_an_unfinished_blocking_sibling) {
  const std::vector<Uuid> k = running_children({Spec("first"), Spec("second")});
  // Retrying the later one: the earlier blocking sibling holds it back
  // (docs/contract.md §6 RetryNode).
  Node second = node(k[1]);
  second.server_status = S::retrying;
  second.client_status = C::errored;
  state.upsert(second);
  fire(TimerKind::retry, k[1]);
  BOOST_TEST(status(k[1]) == "ready/ready");
  BOOST_TEST(callbacks() == "");
  report(k[0], W::completed);
  BOOST_TEST(callbacks() == "second#1");
}

BOOST_AUTO_TEST_CASE(exhaustion_notifies_with_the_responses_error) {
  const Uuid a = sent_activity(Spec("a").retries(1).interval(0));
  report(a, W::errored, R"({"error":"first"})", R"("first")");
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(node(a).retries_remaining == 0);
  report(a, W::errored, R"({"error":{"code":7}})", R"({"code":7})");
  BOOST_TEST(status(a) == "retries_exhausted/errored");
  BOOST_TEST(notifications() == "a Client Error {\"code\":7}");
  BOOST_TEST(node(a).retries_remaining == 0);
  BOOST_TEST(node(a).retries_made == 1);
  BOOST_TEST(timers_set() == "");
  BOOST_TEST(callbacks() == "");
  // A blocking exhausted node holds its parent open and later siblings back.
  BOOST_TEST(status(sig) == "processing_children/complete");
}

BOOST_AUTO_TEST_CASE(no_retries_exhausts_at_once) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  report(a, W::errored);  // no response: the error is JSON null
  BOOST_TEST(status(a) == "retries_exhausted/errored");
  BOOST_TEST(rows(a) == "C received>errored, S sent_to_client>retries_exhausted");
  BOOST_TEST(notifications() == "a Client Error null");
}

BOOST_AUTO_TEST_CASE(error_from_processing_is_accepted) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  report(a, W::processing);
  report(a, W::errored);
  BOOST_TEST(rows(a) == "C processing>errored, S sent_to_client>retries_exhausted");
}

BOOST_AUTO_TEST_CASE(error_before_send_is_a_conflict_and_changes_nothing) {
  // docs/contract.md §17.7: the original changed C and the counter before the
  // server move failed; ours checks both first.
  const std::vector<Uuid> k = running_children({Spec("t").fires_at(kT0 + 60 * kSec)});
  BOOST_TEST(status(k[0]) == "started/ready");
  const Error e = fails(word(k[0], W::errored));
  check_transition_error(e, true, "started", "retrying");
  BOOST_TEST(node(k[0]).retries_remaining == 6);
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(ways_out, EngineFixture)

BOOST_AUTO_TEST_CASE(resolved_runs_children_posted_before_the_error) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  const Uuid child = decide(a, Spec("child"));
  report(a, W::errored);
  report(a, W::resolved, R"({"fixed":true})");
  BOOST_TEST(status(a) == "processing_children/resolved");
  BOOST_TEST(rows_with_response(a) == "C errored>resolved {\"fixed\":true}, "
                                      "S retries_exhausted>processing_children {\"fixed\":true}");
  BOOST_TEST(callbacks() == "child#1");
  report(child, W::completed);
  BOOST_TEST(status(a) == "complete/resolved");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(shutdown_of_a_blocking_node_deactivates_later_siblings) {
  const std::vector<Uuid> k = running_children(
      {Spec("before").mode(Mode::non_blocking), Spec("x").retries(0), Spec("after1"),
       Spec("after2").mode(Mode::fire_and_forget)});
  report(k[1], W::errored);
  report(k[1], W::shutdown);
  BOOST_TEST(status(k[1]) == "complete/shutdown");
  BOOST_TEST(status(k[2]) == "deactivated/ready");
  BOOST_TEST(status(k[3]) == "deactivated/ready");
  BOOST_TEST(status(k[0]) == "sent_to_client/received");  // earlier sibling untouched
  BOOST_TEST(rows(k[1]) == "C errored>shutdown, S retries_exhausted>processing_children, "
                           "S processing_children>complete");
  report(k[0], W::completed);
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(shutdown_of_a_non_blocking_node_spares_siblings) {
  const std::vector<Uuid> k =
      running_children({Spec("x").mode(Mode::non_blocking).retries(0), Spec("after")});
  report(k[0], W::errored);
  report(k[0], W::shutdown);
  BOOST_TEST(status(k[1]) == "sent_to_client/received");
}

BOOST_AUTO_TEST_CASE(shutdown_of_a_signal_kills_later_signals) {
  create();
  const Uuid first = signal(Spec("first").retries(0));
  const Uuid second = signal(Spec("second"));
  report(first, W::errored);
  report(first, W::shutdown);
  BOOST_TEST(status(first) == "complete/shutdown");
  BOOST_TEST(status(second) == "deactivated/ready");
  BOOST_TEST(callbacks() == "");
}

BOOST_AUTO_TEST_CASE(canceled_deactivates_the_subtree_and_reschedules_the_parent) {
  const std::vector<Uuid> k = running_children({Spec("x"), Spec("next")});
  const Uuid grandchild = decide(k[0], Spec("gc"));
  report(k[0], W::canceled);
  BOOST_TEST(status(k[0]) == "deactivated/received");
  BOOST_TEST(status(grandchild) == "deactivated/pending");
  BOOST_TEST(rows(grandchild) == "S pending>deactivated");
  BOOST_TEST(callbacks() == "next#1");
  BOOST_TEST(timers_cleared() == "deadline x @+172800s");
  report(k[1], W::completed);
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(canceling_the_last_child_completes_the_parent) {
  const std::vector<Uuid> k = running_children({Spec("x").retries(0)});
  report(k[0], W::errored);
  report(k[0], W::canceled);
  BOOST_TEST(status(k[0]) == "deactivated/errored");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(canceling_a_signal_starts_the_next_one) {
  const Uuid first = sent_signal();
  const Uuid second = signal(Spec("second"));
  report(first, W::canceled);
  BOOST_TEST(status(first) == "deactivated/received");
  BOOST_TEST(status(second) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "second#1");
}

BOOST_AUTO_TEST_CASE(deactivated_kills_every_earlier_node_of_the_workflow) {
  // docs/contract.md §6 DeactivatePreviousNodes / §17.2: ancestors and other
  // branches alike.
  const std::vector<Uuid> k =
      running_children({Spec("a").mode(Mode::non_blocking), Spec("b").mode(Mode::non_blocking)});
  const Uuid a_child = decide(k[0], Spec("a-child"));  // seq 4
  const Uuid b_child = decide(k[1], Spec("b-child"));  // seq 5
  const Uuid b_late = decide(k[1], Spec("b-late"));    // seq 6
  report(b_child, W::deactivated);
  BOOST_TEST(all_rows() == "sig S processing_children>deactivated, a S sent_to_client>deactivated, "
                           "b S sent_to_client>deactivated, a-child S pending>deactivated");
  BOOST_TEST(status(a_child) == "deactivated/pending");
  BOOST_TEST(status(b_child) == "pending/pending");  // itself untouched
  BOOST_TEST(status(b_late) == "pending/pending");   // later nodes untouched
  BOOST_TEST(callbacks() == "");                     // nothing scheduled
  report(a_child, W::deactivated);  // the gate: a dead node's word is ignored
  BOOST_TEST(last.effects.persists_nothing());
}

BOOST_AUTO_TEST_CASE(deactivated_rewrites_dead_nodes) {
  const std::vector<Uuid> k = running_children({Spec("a").mode(Mode::non_blocking), Spec("b")});
  report(k[0], W::canceled);
  report(k[1], W::deactivated);
  BOOST_TEST(rows(k[0]) == "S deactivated>deactivated");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_FIXTURE_TEST_SUITE(restart_reset_schedule, EngineFixture)

BOOST_AUTO_TEST_CASE(restart_of_an_exhausted_node_resends_now) {
  const Uuid a = sent_activity(Spec("a").retries(0));
  const Uuid child = decide(a, Spec("child"));
  report(a, W::errored);
  advance(kSec);
  restart(a);
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(rows(a) == "C errored>ready, S retries_exhausted>ready, S ready>started, "
                        "S started>sent_to_client, C ready>received");
  BOOST_TEST(status(child) == "deactivated/pending");
  BOOST_TEST(callbacks() == "a#2");
  BOOST_TEST(node(a).fires_at == now());
  // The counter stays at 0: one more failure exhausts again
  // (docs/contract.md §11.2).
  report(a, W::errored);
  BOOST_TEST(status(a) == "retries_exhausted/errored");
}

BOOST_AUTO_TEST_CASE(restart_of_a_retrying_node_does_not_wait_for_the_back_off) {
  const Uuid a = sent_activity();
  report(a, W::errored);
  BOOST_TEST(timers_set() == "retry a @+1200s");
  restart(a);
  BOOST_TEST(status(a) == "sent_to_client/received");
  BOOST_TEST(callbacks() == "a#2");
  BOOST_TEST(timers_cleared() == "retry a @+1200s");
  BOOST_TEST(node(a).retries_remaining == 5);
  // The old retry timer, should it still fire, finds nothing to do.
  advance(1200 * kSec);
  ok(ev::TimerFired{timer(TimerKind::retry, a, now())});
  BOOST_TEST(last.effects.status_changes.empty());
  BOOST_TEST(callbacks() == "");
}

BOOST_AUTO_TEST_CASE(restart_from_states_without_an_edge_to_ready_is_a_conflict) {
  // docs/contract.md §9.2 restart row: the client field is checked first.
  const Uuid a = sent_activity();
  check_transition_error(fails(ev::Restart{user, a}), false, "received", "ready");
  report(a, W::processing);
  check_transition_error(fails(ev::Restart{user, a}), false, "processing", "ready");
  report(a, W::completed);
  check_transition_error(fails(ev::Restart{user, a}), false, "complete", "ready");
}

BOOST_AUTO_TEST_CASE(restart_client_legal_server_illegal_is_a_server_conflict) {
  const Uuid s = sent_signal();
  // A timer node waiting in started/ready: the client part has no edge.
  const Uuid waiting = decide(s, Spec("w").fires_at(kT0 + 60 * kSec));
  report(s, W::completed);
  check_transition_error(fails(ev::Restart{user, waiting}), false, "ready", "ready");
  // Honoured initial statuses give a client part that may go to ready while
  // the server part may not (docs/contract.md §9.2: formerly a 500).
  const Uuid odd = decide(waiting, Spec("odd").statuses(S::started, C::pending));
  check_transition_error(fails(ev::Restart{user, odd}), true, "started", "ready");
}

BOOST_AUTO_TEST_CASE(reset_deactivates_descendants_only) {
  const Uuid a = sent_activity();
  const Uuid b = decide(a, Spec("b"));
  report(a, W::completed);
  const Uuid c = decide(b, Spec("c"));
  reset(a);
  BOOST_TEST(status(a) == "processing_children/complete");
  BOOST_TEST(status(b) == "deactivated/received");
  BOOST_TEST(status(c) == "deactivated/pending");
  BOOST_TEST(callbacks() == "");
  BOOST_TEST(status(sig) == "processing_children/complete");  // reset schedules nothing
  // reset + schedule completes the abandoned node (docs/contract.md §11.3).
  advance(kSec);
  schedule(a);
  BOOST_TEST(status(a) == "complete/complete");
  BOOST_TEST(status(sig) == "complete/complete");
}

BOOST_AUTO_TEST_CASE(schedule_touches_the_deadline_and_rewalks) {
  const Uuid a = sent_activity();
  advance(10 * kSec);
  schedule(a);
  BOOST_TEST(node(a).complete_by.value_or(0) == now() + 172800 * kSec);
  BOOST_TEST(timers_cleared() == "deadline a @+172790s");
  BOOST_TEST(timers_set() == "deadline a @+172800s");
  BOOST_TEST(last.effects.status_changes.empty());
  BOOST_TEST(status(a) == "sent_to_client/received");  // NodeComplete needs processing_children
}

BOOST_AUTO_TEST_CASE(operator_events_on_foreign_or_dead_nodes) {
  const std::vector<Uuid> k = running_children({Spec("a").mode(Mode::non_blocking), Spec("b")});
  for (const Event& e : {Event(ev::Restart{other_user, k[0]}), Event(ev::Reset{other_user, k[0]}),
                         Event(ev::ScheduleNode{other_user, k[0]})})
    BOOST_TEST((backbeat::test::http_status(fails(e)) == 404));
  report(k[0], W::canceled);
  restart(k[0]);
  BOOST_TEST(last.effects.persists_nothing());
  reset(k[0]);
  BOOST_TEST(last.effects.persists_nothing());
  schedule(k[0]);
  BOOST_TEST(last.effects.persists_nothing());
  BOOST_TEST(status(k[0]) == "deactivated/received");
}

BOOST_AUTO_TEST_SUITE_END()

}  // namespace backbeat::engine::test
